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
	full.Mode = tenants.ModeLive
	full.DefaultScope = tenants.ScopeUserInfo
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
		want     []tenants.Account
	}{
		{name: "ordered by AppID", tenantID: tenantA.ID, want: []tenants.Account{bare, full}},
		{name: "only the tenant's", tenantID: tenantB.ID, want: []tenants.Account{shared}},
		{name: "unknown tenant", tenantID: "nobody", want: nil},
	}
	for _, tc := range lists {
		t.Run("list "+tc.name, func(t *testing.T) {
			got, err := s.ListAccounts(ctx, tc.tenantID)
			IsErr(t, "ListAccounts", err, nil)
			EqualList(t, "ListAccounts", got, tc.want)
		})
	}
}

func testSecretVersion(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := NewAccount(t, s, tenantA.ID)
	at := Now().Add(time.Minute)

	IsErr(t, "SetSecretVersion", s.SetSecretVersion(ctx, a.TenantID, a.AppID, 2, at), nil)
	want := a
	want.SecretVersion, want.SecretUpdatedAt = 2, at
	got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
	IsErr(t, "GetAccount", err, nil)
	Equal(t, "account after SetSecretVersion", got, want)

	for _, tc := range []struct{ name, tenantID, appID string }{
		{"unknown account", a.TenantID, "wx0000000000000000"},
		{"other tenant", tenantB.ID, a.AppID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.SetSecretVersion(ctx, tc.tenantID, tc.appID, 9, at)
			IsErr(t, "SetSecretVersion", err, tenants.ErrNotFound)
			got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
			IsErr(t, "GetAccount", err, nil)
			Equal(t, "account untouched", got, want)
		})
	}
}
