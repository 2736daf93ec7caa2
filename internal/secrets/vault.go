package secrets

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/vault/api"
)

// Waits between the Vault client's tries of one request: the first retry
// comes 50 to 200 ms after a failure, the second twice that.
const (
	retryWaitMin = 50 * time.Millisecond
	retryWaitMax = 200 * time.Millisecond
)

// Vault is the production Store: HashiCorp Vault's KV v2 engine, one Vault
// secret per path at Mount/data/Prefix/path. Vault keeps the versions (up to
// the mount's max_versions); a version deleted or destroyed in Vault reads
// as ErrNotFound. Safe for concurrent use.
//
// A Vault logs in by itself (with a token, AppRole or Kubernetes), renews
// its token and logs in again when it must, until Close.
type Vault struct {
	client  *api.Client
	session *session
	kv      *api.KVv2
	mount   string
	prefix  string
}

// NewVault returns a Vault store for cfg and starts logging in, in the
// background; requests made before the first login wait for it. Call Ping
// to check the address, the credentials and the mount, and Close to stop.
//
// The Vault client also honours the standard VAULT_* environment variables
// for what cfg does not set (TLS files, namespace); cfg's address and
// credentials always win.
func NewVault(cfg VaultConfig) (*Vault, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	method, err := authMethod(cfg)
	if err != nil {
		return nil, err
	}
	apiCfg := api.DefaultConfig()
	if apiCfg.Error != nil {
		return nil, fmt.Errorf("vault config: %w", apiCfg.Error)
	}
	apiCfg.Address = cfg.Address
	if cfg.HTTP != nil {
		apiCfg.HttpClient = cfg.HTTP
	}
	if cfg.Timeout > 0 {
		apiCfg.Timeout = cfg.Timeout
	}
	// The client retries a failed connection or a 5xx answer (a sealed or
	// standby Vault) twice; its default waits of 1 to 1.5 s between tries
	// would hold every request that needs an uncached secret for seconds
	// while Vault is away, where Cached can serve the last value at once.
	apiCfg.MinRetryWait, apiCfg.MaxRetryWait = retryWaitMin, retryWaitMax
	client, err := api.NewClient(apiCfg)
	if err != nil {
		return nil, fmt.Errorf("vault client: %w", err)
	}
	client.ClearToken() // VAULT_TOKEN from the environment is not a credential of cfg
	return &Vault{
		client: client, session: newSession(client, method, cfg.Auth, cfg.Logger),
		kv: client.KVv2(cfg.Mount), mount: cfg.Mount, prefix: cfg.Prefix,
	}, nil
}

// Close stops the renewals and logins. The store must not be used after.
func (v *Vault) Close() { v.session.close() }

// Put implements Store.
func (v *Vault) Put(ctx context.Context, path string, data map[string]string) (int, error) {
	const op = "vault put"
	full, err := v.fullPath(op, path)
	if err != nil {
		return 0, err
	}
	values := make(map[string]any, len(data))
	for k, val := range data {
		values[k] = val
	}
	var s *api.KVSecret
	if err := v.session.call(ctx, op+" "+path, func() (err error) {
		s, err = v.kv.Put(ctx, full, values)
		return err
	}); err != nil {
		return 0, err
	}
	if s.VersionMetadata == nil {
		return 0, fmt.Errorf("%s %s: vault returned no version", op, path)
	}
	return s.VersionMetadata.Version, nil
}

// Get implements Store.
func (v *Vault) Get(ctx context.Context, path string) (Secret, error) {
	const op = "vault get"
	full, err := v.fullPath(op, path)
	if err != nil {
		return Secret{}, err
	}
	var s *api.KVSecret
	if err := v.session.call(ctx, op+" "+path, func() (err error) {
		s, err = v.kv.Get(ctx, full)
		return err
	}); err != nil {
		return Secret{}, err
	}
	return kvSecret(op, path, s)
}

// GetVersion implements Store. Versions start at 1; any other number is
// ErrNotFound (Vault itself would read 0 as "latest").
func (v *Vault) GetVersion(ctx context.Context, path string, version int) (Secret, error) {
	const op = "vault get version"
	full, err := v.fullPath(op, path)
	if err != nil {
		return Secret{}, err
	}
	if version < 1 {
		return Secret{}, fmt.Errorf("%s %s version %d: %w", op, path, version, ErrNotFound)
	}
	var s *api.KVSecret
	if err := v.session.call(ctx, op+" "+path, func() (err error) {
		s, err = v.kv.GetVersion(ctx, full, version)
		return err
	}); err != nil {
		return Secret{}, err
	}
	return kvSecret(op, path, s)
}

// Delete implements Store: it deletes the path's metadata, which destroys
// every version.
func (v *Vault) Delete(ctx context.Context, path string) error {
	const op = "vault delete"
	full, err := v.fullPath(op, path)
	if err != nil {
		return err
	}
	return v.session.call(ctx, op+" "+path, func() error { return v.kv.DeleteMetadata(ctx, full) })
}

// fullPath validates path and puts the prefix before it.
func (v *Vault) fullPath(op, path string) (string, error) {
	if err := ValidatePath(path); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return v.prefix + "/" + path, nil
}

// kvSecret converts what Vault returned. Data is nil when the version was
// deleted or destroyed.
func kvSecret(op, path string, s *api.KVSecret) (Secret, error) {
	if s == nil || s.Data == nil || s.VersionMetadata == nil || s.VersionMetadata.Destroyed {
		return Secret{}, fmt.Errorf("%s %s: %w", op, path, ErrNotFound)
	}
	data := make(map[string]string, len(s.Data))
	for k, val := range s.Data {
		str, ok := val.(string)
		if !ok {
			return Secret{}, fmt.Errorf("%s %s: value of key %q is a %T, not a string", op, path, k, val)
		}
		data[k] = str
	}
	return Secret{Data: data, Version: s.VersionMetadata.Version, CreatedAt: s.VersionMetadata.CreatedTime}, nil
}
