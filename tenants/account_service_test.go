package tenants_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/tenants"
)

// withAccount returns a service on a clock that moves only when told, with
// tenant acme and its account, whose AppSecret is "first-secret".
func withAccount(t *testing.T) (*tenants.Service, *clock.Settable, tenants.Account) {
	t.Helper()
	s := newService(t)
	clk := clock.New(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	s.Now = clk.Now
	ctx := context.Background()
	if _, err := s.CreateTenant(ctx, tenants.Tenant{ID: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateAccount(ctx, tenants.Account{TenantID: "acme", AppID: "wx1234567890abcdef", Name: "Shop", Mode: tenants.ModeLive,
		DefaultScope: tenants.ScopeBase, RedirectURIs: []string{"https://shop.example/cb"}}, "first-secret")
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, a
}

func TestUpdateTenant(t *testing.T) {
	s, clk, _ := withAccount(t)
	ctx := context.Background()
	before, _ := s.Store.GetTenant(ctx, "acme")
	clk.Advance(time.Hour)
	got, err := s.UpdateTenant(ctx, tenants.Tenant{ID: "acme", Name: "Acme Ltd", Disabled: true})
	want := before
	want.Name, want.Disabled, want.UpdatedAt = "Acme Ltd", true, clk.Now()
	if err != nil || got != want {
		t.Fatalf("UpdateTenant = %+v, %v; want %+v", got, err, want)
	}
	for _, tc := range []struct {
		name    string
		tenant  tenants.Tenant
		wantErr error
	}{
		{"no name", tenants.Tenant{ID: "acme"}, tenants.ErrInvalid},
		{"unknown", tenants.Tenant{ID: "nobody", Name: "x"}, tenants.ErrNotFound},
	} {
		if _, err := s.UpdateTenant(ctx, tc.tenant); !errors.Is(err, tc.wantErr) {
			t.Errorf("UpdateTenant %s: %v, want %v", tc.name, err, tc.wantErr)
		}
	}
}

func TestUpdateAccount(t *testing.T) {
	s, clk, a := withAccount(t)
	ctx := context.Background()
	clk.Advance(time.Hour)
	edit := a
	edit.Name, edit.TokenTTL, edit.RedirectURIs = "Shop 2", 0, []string{"http://localhost:3000/cb"}
	edit.SecretVersion, edit.CreatedAt = 9, clk.Now() // not the caller's to change
	got, err := s.UpdateAccount(ctx, edit)
	want := a
	want.Name, want.TokenTTL, want.RedirectURIs = "Shop 2", tenants.DefaultTokenTTL, edit.RedirectURIs
	want.UpdatedAt = clk.Now()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateAccount = %+v, %v; want %+v", got, err, want)
	}

	for _, tc := range []struct {
		name    string
		edit    func(*tenants.Account)
		wantErr error
	}{
		{"bad redirect URI", func(a *tenants.Account) { a.RedirectURIs = []string{"https://shop.example/cb#x"} }, tenants.ErrInvalid},
		{"unknown account", func(a *tenants.Account) { a.AppID = "wx0000000000000000" }, tenants.ErrNotFound},
		{"other tenant", func(a *tenants.Account) { a.TenantID = "nobody" }, tenants.ErrNotFound},
	} {
		bad := got
		tc.edit(&bad)
		if _, err := s.UpdateAccount(ctx, bad); !errors.Is(err, tc.wantErr) {
			t.Errorf("UpdateAccount %s: %v, want %v", tc.name, err, tc.wantErr)
		}
	}
	if after, err := s.Store.GetAccount(ctx, a.TenantID, a.AppID); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("refused updates changed the account: %+v, %v", after, err)
	}
}

func TestDeleteAccountDeletesTheAppSecret(t *testing.T) {
	s, _, a := withAccount(t)
	ctx := context.Background()
	if err := s.DeleteAccount(ctx, a.TenantID, a.AppID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.GetAccount(ctx, a.TenantID, a.AppID); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("account after delete: %v, want ErrNotFound", err)
	}
	if _, err := s.Secrets.Get(ctx, tenants.AppSecretPath(a.TenantID, a.AppID)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("AppSecret after delete: %v, want secrets.ErrNotFound", err)
	}
	if err := s.DeleteAccount(ctx, a.TenantID, a.AppID); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
}
