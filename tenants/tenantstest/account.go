package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

func testAccounts(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)

	full := account(tenantA.ID, "wx00000000000000b2")
	full.Kind = tenants.KindWebsite
	full.Mode = tenants.ModeLive
	full.DefaultScope = tenants.ScopeLogin
	full.TokenTTL = 90 * time.Minute
	full.OpenPlatformID = "open-platform_1"
	full.SecretVersion = 3
	full.SecretUpdatedAt = Now().Add(-time.Hour)
	full.UpdatedAt = Now().Add(time.Minute)
	bare := account(tenantA.ID, "wx00000000000000a1")
	// Another tenant may register the same official account.
	shared := account(tenantB.ID, full.AppID)
	shared.Name = "B's view"
	for _, a := range []tenants.Account{full, bare, shared} {
		IsErr(t, "CreateAccount "+a.AppID, s.CreateAccount(ctx, a), nil)
	}

	gets := []struct {
		name            string
		tenantID, appID string
		want            tenants.Account
		wantErr         error
	}{
		{name: "every field round trips", tenantID: tenantA.ID, appID: full.AppID, want: full},
		{name: "zero secret time round trips", tenantID: tenantA.ID, appID: bare.AppID, want: bare},
		{name: "same AppID, other tenant's row", tenantID: tenantB.ID, appID: full.AppID, want: shared},
		{name: "other tenant's account", tenantID: tenantB.ID, appID: bare.AppID, wantErr: tenants.ErrNotFound},
		{name: "unknown AppID", tenantID: tenantA.ID, appID: "wx0000000000000000", wantErr: tenants.ErrNotFound},
		{name: "unknown tenant", tenantID: "nobody", appID: full.AppID, wantErr: tenants.ErrNotFound},
	}
	for _, tc := range gets {
		t.Run("get "+tc.name, func(t *testing.T) {
			got, err := s.GetAccount(ctx, tc.tenantID, tc.appID)
			IsErr(t, "GetAccount", err, tc.wantErr)
			if tc.wantErr == nil {
				Equal(t, "GetAccount", got, tc.want)
			}
		})
	}

	creates := []struct {
		name    string
		account tenants.Account
		wantErr error
	}{
		{name: "duplicate AppID", account: account(tenantA.ID, bare.AppID), wantErr: tenants.ErrConflict},
		{name: "unknown tenant", account: account("nobody", "wx00000000000000c3"), wantErr: tenants.ErrNotFound},
	}
	for _, tc := range creates {
		t.Run("create "+tc.name, func(t *testing.T) {
			IsErr(t, "CreateAccount", s.CreateAccount(ctx, tc.account), tc.wantErr)
		})
	}

	lists := []struct {
		name     string
		tenantID string
		page     tenants.Page
		want     []tenants.Account
	}{
		{name: "ordered by AppID", tenantID: tenantA.ID, want: []tenants.Account{bare, full}},
		{name: "first page", tenantID: tenantA.ID, page: tenants.Page{Limit: 1}, want: []tenants.Account{bare}},
		{name: "next page", tenantID: tenantA.ID, page: tenants.Page{After: bare.AppID, Limit: 1}, want: []tenants.Account{full}},
		{name: "past the end", tenantID: tenantA.ID, page: tenants.Page{After: full.AppID}, want: nil},
		{name: "only the tenant's", tenantID: tenantB.ID, want: []tenants.Account{shared}},
		{name: "other tenant, after a cursor of A's", tenantID: tenantB.ID, page: tenants.Page{After: bare.AppID}, want: []tenants.Account{shared}},
		{name: "unknown tenant", tenantID: "nobody", want: nil},
	}
	for _, tc := range lists {
		t.Run("list "+tc.name, func(t *testing.T) {
			got, err := s.ListAccounts(ctx, tc.tenantID, tc.page)
			IsErr(t, "ListAccounts", err, nil)
			EqualList(t, "ListAccounts", got, tc.want)
		})
	}
}

func testUpdateAccount(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := account(tenantA.ID, "wx00000000000000a1")
	a.OpenPlatformID = "platform"
	shared := a
	shared.TenantID = tenantB.ID
	for _, acct := range []tenants.Account{a, shared} {
		IsErr(t, "CreateAccount", s.CreateAccount(ctx, acct), nil)
	}

	changed := a
	changed.Name = "Renamed"
	changed.Mode = tenants.ModeLive
	changed.DefaultScope = tenants.ScopeUserInfo
	changed.RedirectURIs = []string{"https://shop.example/new"}
	changed.TokenTTL = 2 * time.Hour
	changed.OpenPlatformID = ""
	changed.UpdatedAt = a.UpdatedAt.Add(time.Hour)
	// Fields UpdateAccount leaves alone.
	update := changed
	update.SecretVersion, update.SecretConfirmedVersion, update.SecretUpdatedAt = 7, 5, Now()
	update.CreatedAt = Now().Add(time.Hour)
	IsErr(t, "UpdateAccount", s.UpdateAccount(ctx, update), nil)

	for _, tc := range []struct {
		name     string
		tenantID string
		want     tenants.Account
	}{
		{name: "mutable fields change, the others stay", tenantID: tenantA.ID, want: changed},
		{name: "other tenant's row of the AppID untouched", tenantID: tenantB.ID, want: shared},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.GetAccount(ctx, tc.tenantID, a.AppID)
			IsErr(t, "GetAccount", err, nil)
			Equal(t, "account after UpdateAccount", got, tc.want)
		})
	}

	other := NewAccount(t, s, tenantA.ID)
	for _, tc := range []struct{ name, tenantID, appID string }{
		{"other tenant's account", tenantB.ID, other.AppID},
		{"unknown AppID", tenantA.ID, "wx0000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			missing := changed
			missing.TenantID, missing.AppID = tc.tenantID, tc.appID
			IsErr(t, "UpdateAccount", s.UpdateAccount(ctx, missing), tenants.ErrNotFound)
		})
	}
}
