package tenants_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secrets/secretstest"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

func newService(t *testing.T) *tenants.Service {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+testenv.SQLiteFile(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.MigrateUp(ctx, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	local, err := secrets.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sec := secretstest.Recorded(t, local)
	return &tenants.Service{Store: db, Secrets: sec, Keys: token.NewManager(db, sec, token.Config{}), Now: time.Now}
}

func TestCreateAccountKeepsTheSecretOutOfTheRow(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	if _, err := s.CreateTenant(ctx, tenants.Tenant{ID: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	acct := tenants.Account{TenantID: "acme", AppID: "wx1234567890abcdef", Name: "Shop", Mode: tenants.ModeLive,
		DefaultScope: tenants.ScopeBase, RedirectURIs: []string{"https://shop.example/cb"}}
	got, err := s.CreateAccount(ctx, acct, "first-secret")
	if err != nil || got.SecretVersion != 1 || got.TokenTTL != tenants.DefaultTokenTTL {
		t.Fatalf("create: %+v, %v", got, err)
	}
	// A second create of the same AppId must not touch the stored secret.
	if _, err := s.CreateAccount(ctx, acct, "attacker-secret"); !errors.Is(err, tenants.ErrConflict) {
		t.Fatalf("duplicate create: %v, want ErrConflict", err)
	}
	if v, err := s.AppSecret(ctx, "acme", acct.AppID); err != nil || v != "first-secret" {
		t.Fatalf("secret after a conflicting create: %q, %v", v, err)
	}
	if a, err := s.SetAppSecret(ctx, "acme", acct.AppID, "second-secret"); err != nil || a.SecretVersion != 2 {
		t.Fatalf("rotate: %+v, %v", a, err)
	}
	if v, _ := s.AppSecret(ctx, "acme", acct.AppID); v != "second-secret" {
		t.Errorf("secret after rotation: %q", v)
	}
	if _, err := s.CreateAccount(ctx, tenants.Account{TenantID: "nobody", AppID: acct.AppID, Name: "x", Mode: tenants.ModeLive,
		DefaultScope: tenants.ScopeBase, RedirectURIs: acct.RedirectURIs}, "s"); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("account of an unknown tenant: %v, want ErrNotFound", err)
	}
	acct.AppID = "wx00000000000000ff"
	if _, err := s.CreateAccount(ctx, acct, strings.Repeat("s", 129)); !errors.Is(err, tenants.ErrInvalid) {
		t.Errorf("AppSecret of 129 characters: %v, want ErrInvalid", err)
	}
	if got, err := s.CreateAccount(ctx, acct, ""); err != nil || got.SecretVersion != 0 {
		t.Errorf("account without an AppSecret yet: %+v, %v", got, err)
	}
}

func TestCredentials(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	if _, err := s.CreateTenant(ctx, tenants.Tenant{ID: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAccount(ctx, tenants.Account{TenantID: "acme", AppID: "wx1234567890abcdef", Name: "Shop", Mode: tenants.ModeSandbox,
		DefaultScope: tenants.ScopeBase, RedirectURIs: []string{"https://shop.example/cb"}}, "secret-of-the-shop-account"); err != nil {
		t.Fatal(err)
	}
	cs, value, err := s.CreateClientSecret(ctx, "acme", "wx1234567890abcdef")
	if err != nil || !strings.HasPrefix(value, "wxs_") || cs.Hash == value || strings.Contains(cs.Hash, value) {
		t.Fatalf("client secret %q stored as %q: %v", value, cs.Hash, err)
	}
	for _, c := range []struct {
		tenant, app, value string
		want               bool
	}{
		{"acme", "wx1234567890abcdef", value, true},
		{"acme", "wx1234567890abcdef", value + "x", false},
		{"other", "wx1234567890abcdef", value, false},
	} {
		if ok, _ := s.CheckClientSecret(ctx, c.tenant, c.app, c.value); ok != c.want {
			t.Errorf("CheckClientSecret(%s, %s) = %v, want %v", c.tenant, c.app, ok, c.want)
		}
	}
	key, value, err := s.CreateAPIKey(ctx, "acme", "ci", tenants.RoleAdmin, nil)
	if err != nil || !strings.HasPrefix(value, "wxk_") || key.Hash == value {
		t.Fatalf("api key %q: %+v %v", value, key, err)
	}
	bad := []struct {
		tenant string
		role   tenants.Role
	}{{"acme", tenants.RoleOperator}, {"", tenants.RoleAdmin}, {"acme", "root"}}
	for _, b := range bad {
		if _, _, err := s.CreateAPIKey(ctx, b.tenant, "k", b.role, nil); !errors.Is(err, tenants.ErrInvalid) {
			t.Errorf("api key tenant %q role %q: %v, want ErrInvalid", b.tenant, b.role, err)
		}
	}
}
