package testenv

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// VaultClient is a client of the test Vault server with its root token, to
// set Vault up and look at what a test wrote.
func VaultClient(t testing.TB) *api.Client {
	t.Helper()
	addr, token := Vault(t)
	cfg := api.DefaultConfig()
	cfg.Address = addr
	c, err := api.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(token)
	return c
}

// VaultPolicy writes a policy, removed when the test ends, that lets a
// token use the secrets of the KV v2 mount "secret" under prefix, and
// returns its name.
func VaultPolicy(t testing.TB, prefix string) string {
	t.Helper()
	name := "wxtest-" + opaque.Hex(6)
	rules := fmt.Sprintf(`
path "secret/data/%[1]s/*" { capabilities = ["create", "read", "update", "delete"] }
path "secret/metadata/%[1]s/*" { capabilities = ["read", "delete", "list"] }
`, prefix)
	c := VaultClient(t)
	if err := c.Sys().PutPolicy(name, rules); err != nil {
		t.Fatalf("write vault policy: %v", err)
	}
	t.Cleanup(func() { _ = c.Sys().DeletePolicy(name) })
	return name
}

// AppRole is an AppRole auth method enabled on the test Vault at a mount of
// its own, with one role.
type AppRole struct {
	Mount, Role, RoleID string
	t                   testing.TB
	client              *api.Client
}

// NewAppRole enables AppRole at a new mount, disabled when the test ends,
// with a role whose tokens have policy, live tokenTTL, and can be renewed
// up to tokenMaxTTL.
func NewAppRole(t testing.TB, policy string, tokenTTL, tokenMaxTTL time.Duration) *AppRole {
	t.Helper()
	c := VaultClient(t)
	a := &AppRole{Mount: "approle-" + opaque.Hex(6), Role: "wxlogin", t: t, client: c}
	if err := c.Sys().EnableAuthWithOptions(a.Mount, &api.EnableAuthOptions{Type: "approle"}); err != nil {
		t.Fatalf("enable approle: %v", err)
	}
	t.Cleanup(func() { _ = c.Sys().DisableAuth(a.Mount) })
	a.write("auth/"+a.Mount+"/role/"+a.Role, map[string]any{
		"token_policies": policy, "token_ttl": tokenTTL.String(), "token_max_ttl": tokenMaxTTL.String(),
	})
	a.RoleID = a.write("auth/"+a.Mount+"/role/"+a.Role+"/role-id", nil)["role_id"].(string)
	return a
}

// write writes data to path, or reads path when data is nil, and returns
// the answer's data.
func (a *AppRole) write(path string, data map[string]any) map[string]any {
	a.t.Helper()
	var s *api.Secret
	var err error
	if data == nil {
		s, err = a.client.Logical().Read(path)
	} else {
		s, err = a.client.Logical().Write(path, data)
	}
	if err != nil {
		a.t.Fatalf("vault %s: %v", path, err)
	}
	if s == nil {
		return nil
	}
	return s.Data
}

// NewSecretID makes a secret id of the role.
func (a *AppRole) NewSecretID() string {
	a.t.Helper()
	return a.write("auth/"+a.Mount+"/role/"+a.Role+"/secret-id", map[string]any{})["secret_id"].(string)
}

// WriteNewSecretID makes a secret id and puts it in file the way an agent
// delivering secret ids does: a new file, renamed over the old one, so a
// reader never sees half of it. It returns the secret id.
func (a *AppRole) WriteNewSecretID(file string) string {
	a.t.Helper()
	id := a.NewSecretID()
	if err := os.WriteFile(file+".new", []byte(id+"\n"), 0o600); err != nil {
		a.t.Fatal(err)
	}
	if err := os.Rename(file+".new", file); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// DestroySecretID makes id unusable.
func (a *AppRole) DestroySecretID(id string) {
	a.t.Helper()
	a.write("auth/"+a.Mount+"/role/"+a.Role+"/secret-id/destroy", map[string]any{"secret_id": id})
}

// RevokeTokens revokes every token that logging in to the mount gave.
func (a *AppRole) RevokeTokens() {
	a.t.Helper()
	if err := a.client.Sys().RevokePrefixWithContext(context.Background(), "auth/"+a.Mount+"/login"); err != nil {
		a.t.Fatalf("revoke the tokens of %s: %v", a.Mount, err)
	}
}
