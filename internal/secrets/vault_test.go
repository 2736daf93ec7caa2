package secrets_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

func TestVaultUnreachable(t *testing.T) {
	s, err := secrets.NewVault(secrets.VaultConfig{Address: "http://" + closedAddr(t), Token: "root-token-xyz", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	_, putErr := s.Put(ctx, "tenants/a/appsecret", map[string]string{"appsecret": secretValue})
	_, getErr := s.Get(ctx, "tenants/a/appsecret")
	for name, err := range map[string]error{"put": putErr, "get": getErr, "ping": s.Ping(ctx)} {
		if !errors.Is(err, secrets.ErrUnavailable) || !strings.Contains(err.Error(), "unreachable") {
			t.Errorf("%s error = %v, want ErrUnavailable saying unreachable", name, err)
		}
		if err != nil && (strings.Contains(err.Error(), secretValue) || strings.Contains(err.Error(), "root-token-xyz")) {
			t.Errorf("%s error leaks a secret: %v", name, err)
		}
	}
}

func TestVaultMountAndPrefix(t *testing.T) {
	raw := testenv.VaultClient(t)
	mount := "wxtest-" + opaque.Hex(4)
	if err := raw.Sys().Mount(mount, &api.MountInput{Type: "kv", Options: map[string]string{"version": "2"}}); err != nil {
		t.Fatalf("mount kv v2: %v", err)
	}
	t.Cleanup(func() { _ = raw.Sys().Unmount(mount) })
	prefix := "pfx-" + opaque.Hex(4)
	s := newVault(t, secrets.VaultConfig{Mount: mount, Prefix: prefix})
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	putWhenMountReady(t, s, "tenants/a/appsecret", map[string]string{"appsecret": secretValue})

	got, err := raw.KVv2(mount).Get(ctx, prefix+"/tenants/a/appsecret")
	if err != nil || got.Data["appsecret"] != secretValue {
		t.Errorf("raw read of %s/data/%s/tenants/a/appsecret = %v, %v", mount, prefix, got, err)
	}
	if _, err := raw.KVv2("secret").Get(ctx, prefix+"/tenants/a/appsecret"); !errors.Is(err, api.ErrSecretNotFound) {
		t.Errorf("raw read under the default mount = %v, want not found", err)
	}
}

func TestVaultDeletedVersionsAreNotFound(t *testing.T) {
	raw := testenv.VaultClient(t)
	prefix := "pfx-" + opaque.Hex(4)
	s := newVault(t, secrets.VaultConfig{Prefix: prefix})
	ctx := context.Background()
	for i := range 2 {
		if _, err := s.Put(ctx, "p", map[string]string{"v": fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	kv := raw.KVv2("secret")
	if err := kv.Delete(ctx, prefix+"/p"); err != nil { // soft-deletes version 2
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "p"); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("Get of a soft-deleted latest version = %v, want ErrNotFound", err)
	}
	if err := kv.Destroy(ctx, prefix+"/p", []int{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetVersion(ctx, "p", 1); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("GetVersion of a destroyed version = %v, want ErrNotFound", err)
	}
}

func TestVaultPingFailures(t *testing.T) {
	cases := []struct {
		name string
		cfg  secrets.VaultConfig
	}{
		{"bad token", secrets.VaultConfig{Token: "not-a-token-123"}},
		{"missing mount", secrets.VaultConfig{Mount: "no-such-mount"}},
		{"not kv v2", secrets.VaultConfig{Mount: "cubbyhole"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := newVault(t, c.cfg).Ping(context.Background())
			if err == nil || errors.Is(err, secrets.ErrUnavailable) || strings.Contains(err.Error(), "not-a-token-123") {
				t.Errorf("Ping = %v, want a plain error without the token", err)
			}
		})
	}
}

func TestVaultConfigNeverShowsCredentials(t *testing.T) {
	const token, roleID, secretID = "hvs.super-secret-token", "role-id-7f3e", "secret-id-9a1c"
	cfg := secrets.VaultConfig{Address: "http://vault:8200", Token: token, Timeout: time.Second,
		AppRole: secrets.AppRoleConfig{RoleID: roleID, SecretID: secretID}}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{string(b)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out = append(out, fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, &cfg))
	}
	for _, s := range out {
		for _, credential := range []string{token, roleID, secretID} {
			if strings.Contains(s, credential) || strings.Contains(s, fmt.Sprintf("%x", credential)) {
				t.Errorf("printed config shows %s: %s", credential, s)
			}
		}
	}
}

func TestNewVaultValidates(t *testing.T) {
	cases := []struct {
		name string
		cfg  secrets.VaultConfig
		want string
	}{
		{"no address", secrets.VaultConfig{Token: "t"}, "address"},
		{"not a URL", secrets.VaultConfig{Address: "vault:8200", Token: "t"}, "address"},
		{"no token", secrets.VaultConfig{Address: "http://vault:8200"}, "token"},
		{"bad prefix", secrets.VaultConfig{Address: "http://vault:8200", Token: "t", Prefix: "a/../b"}, "prefix"},
		{"negative timeout", secrets.VaultConfig{Address: "http://vault:8200", Token: "t", Timeout: -1}, "timeout"},
		{"unknown auth", secrets.VaultConfig{Address: "http://vault:8200", Auth: "ldap"}, "auth"},
		{"approle without role id", secrets.VaultConfig{Address: "http://vault:8200", Auth: secrets.AuthAppRole,
			AppRole: secrets.AppRoleConfig{SecretIDFile: "/run/secret-id"}}, "role id"},
		{"approle without secret id", secrets.VaultConfig{Address: "http://vault:8200", Auth: secrets.AuthAppRole,
			AppRole: secrets.AppRoleConfig{RoleID: "r"}}, "secret id"},
		{"kubernetes without role", secrets.VaultConfig{Address: "http://vault:8200", Auth: secrets.AuthKubernetes}, "role"},
		{"bad approle mount", secrets.VaultConfig{Address: "http://vault:8200", Auth: secrets.AuthAppRole,
			AppRole: secrets.AppRoleConfig{RoleID: "r", SecretID: "s", Mount: "a/../b"}}, "approle mount"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := secrets.NewVault(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("NewVault error = %v, want one about %s", err, c.want)
			}
		})
	}
}

// putWhenMountReady retries a first Put while a new KV v2 mount finishes
// its setup (Vault answers "upgrading" for a moment).
func putWhenMountReady(t *testing.T, s secrets.Store, path string, data map[string]string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := s.Put(context.Background(), path, data)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Put on a new mount: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// closedAddr returns a local address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
