package secrets

import (
	"context"
	"fmt"

	"github.com/hashicorp/vault/api"
)

// Ping implements Store: the token must be valid (token lookup-self) and
// Mount must be a KV version 2 engine the token can see.
func (v *Vault) Ping(ctx context.Context) error {
	const op = "vault ping"
	if err := v.session.call(ctx, op+": token lookup", func() error {
		_, err := v.client.Auth().Token().LookupSelfWithContext(ctx)
		return err
	}); err != nil {
		return err
	}
	// sys/internal/ui/mounts is readable by any token with access to
	// something under the mount; it is how the vault CLI learns a KV
	// mount's version.
	var s *api.Secret
	if err := v.session.call(ctx, op+": mount "+v.mount, func() (err error) {
		s, err = v.client.Logical().ReadWithContext(ctx, "sys/internal/ui/mounts/"+v.mount)
		return err
	}); err != nil {
		return err
	}
	if s == nil || s.Data == nil {
		return fmt.Errorf("%s: mount %s not found", op, v.mount)
	}
	options, _ := s.Data["options"].(map[string]any)
	if s.Data["type"] != "kv" || options["version"] != "2" {
		return fmt.Errorf("%s: mount %s is not a KV version 2 engine", op, v.mount)
	}
	return nil
}
