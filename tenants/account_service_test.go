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
	got, err := s.UpdateAccount(ctx, a.TenantID, a.AppID, func(edit *tenants.Account) error {
		edit.Name, edit.TokenTTL, edit.RedirectURIs = "Shop 2", 0, []string{"http://localhost:3000/cb"}
		edit.SecretVersion, edit.CreatedAt = 9, clk.Now()       // not the caller's to change
		edit.AppID, edit.Kind = "wx0000000000000000", "website" // nor these
		return nil
	})
	want := a
	want.Name, want.TokenTTL, want.RedirectURIs = "Shop 2", tenants.DefaultTokenTTL, []string{"http://localhost:3000/cb"}
	want.UpdatedAt = clk.Now()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateAccount = %+v, %v; want %+v", got, err, want)
	}

	refused := errors.New("precondition failed")
	for _, tc := range []struct {
		name    string
		tenant  string
		appID   string
		edit    func(*tenants.Account) error
		wantErr error
	}{
		{"bad redirect URI", a.TenantID, a.AppID, func(a *tenants.Account) error {
			a.RedirectURIs = []string{"https://shop.example/cb#x"}
			return nil
		}, tenants.ErrInvalid},
		{"refused by the change", a.TenantID, a.AppID, func(a *tenants.Account) error { a.Name = "x"; return refused }, refused},
		{"unknown account", a.TenantID, "wx0000000000000000", func(*tenants.Account) error { return nil }, tenants.ErrNotFound},
		{"other tenant", "nobody", a.AppID, func(*tenants.Account) error { return nil }, tenants.ErrNotFound},
	} {
		if _, err := s.UpdateAccount(ctx, tc.tenant, tc.appID, tc.edit); !errors.Is(err, tc.wantErr) {
			t.Errorf("UpdateAccount %s: %v, want %v", tc.name, err, tc.wantErr)
		}
	}
	if after, err := s.Store.GetAccount(ctx, a.TenantID, a.AppID); err != nil || !reflect.DeepEqual(after, got) {
		t.Errorf("refused updates changed the account: %+v, %v", after, err)
	}

	// The clock stands still: each update still moves the ETag forward.
	prev := got
	for range 3 {
		next, err := s.UpdateAccount(ctx, a.TenantID, a.AppID, func(*tenants.Account) error { return nil })
		if err != nil || !next.UpdatedAt.After(prev.UpdatedAt) {
			t.Fatalf("update at a standing clock: UpdatedAt %v after %v (%v)", next.UpdatedAt, prev.UpdatedAt, err)
		}
		prev = next
	}
}

func TestPurgeAccountsDeletesTheAppSecret(t *testing.T) {
	s, _, a := withAccount(t)
	ctx := context.Background()
	told := 0
	s.AccountDeleted = func() { told++ }
	d, err := s.DeleteAccount(ctx, a.TenantID, a.AppID)
	if err != nil || told != 1 {
		t.Fatalf("DeleteAccount: %v, AccountDeleted told %d times", err, told)
	}
	if _, err := s.Store.GetAccount(ctx, a.TenantID, a.AppID); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("account after delete: %v, want ErrNotFound", err)
	}
	if _, err := s.DeleteAccount(ctx, a.TenantID, a.AppID); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}

	other := tenants.Lease{Name: tenants.PurgeLease, Holder: "other replica", Expires: time.Now().Add(time.Hour)}
	if ok, err := s.Store.ClaimLease(ctx, other, s.Now()); !ok || err != nil {
		t.Fatalf("ClaimLease: %v, %v", ok, err)
	}
	purge := tenants.Purge{Holder: "this replica", BatchSize: 10}
	if done, err := s.PurgeAccounts(ctx, purge); err != nil || len(done) != 0 {
		t.Fatalf("PurgeAccounts while another replica holds the lease: %+v, %v; want nothing done", done, err)
	}
	if err := s.Store.ReleaseLease(ctx, other); err != nil {
		t.Fatal(err)
	}
	done, err := s.PurgeAccounts(ctx, purge)
	if err != nil || len(done) != 1 || done[0].ID != d.ID || done[0].FinishedAt == nil {
		t.Fatalf("PurgeAccounts = %+v, %v; want %s finished", done, err, d.ID)
	}
	if _, err := s.Secrets.Get(ctx, tenants.AppSecretPath(a.TenantID, a.AppID)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("AppSecret after the purge: %v, want secrets.ErrNotFound", err)
	}
	if ok, err := s.Store.ClaimLease(ctx, other, s.Now()); !ok || err != nil {
		t.Errorf("the purge kept its lease: another replica's claim %v, %v", ok, err)
	}
}
