package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

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

func testConfirmSecretVersion(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := NewAccount(t, s, tenantA.ID)
	at := Now()
	IsErr(t, "SetSecretVersion", s.SetSecretVersion(ctx, a.TenantID, a.AppID, 3, at), nil)

	// Each step runs on the account as the steps before it left it.
	steps := []struct {
		name          string
		tenantID      string
		appID         string
		version       int
		wantErr       error
		wantConfirmed int
	}{
		{name: "an older version", tenantID: a.TenantID, appID: a.AppID, version: 2, wantConfirmed: 2},
		{name: "below the confirmed one changes nothing", tenantID: a.TenantID, appID: a.AppID, version: 1, wantConfirmed: 2},
		{name: "the current version", tenantID: a.TenantID, appID: a.AppID, version: 3, wantConfirmed: 3},
		{name: "again", tenantID: a.TenantID, appID: a.AppID, version: 3, wantConfirmed: 3},
		{name: "above the current version", tenantID: a.TenantID, appID: a.AppID, version: 4, wantErr: tenants.ErrInvalid, wantConfirmed: 3},
		{name: "other tenant", tenantID: tenantB.ID, appID: a.AppID, version: 1, wantErr: tenants.ErrNotFound, wantConfirmed: 3},
		{name: "unknown AppID", tenantID: a.TenantID, appID: "wx0000000000000000", version: 1, wantErr: tenants.ErrNotFound, wantConfirmed: 3},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "ConfirmSecretVersion", s.ConfirmSecretVersion(ctx, tc.tenantID, tc.appID, tc.version), tc.wantErr)
			want := a
			want.SecretVersion, want.SecretConfirmedVersion, want.SecretUpdatedAt = 3, tc.wantConfirmed, at
			got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
			IsErr(t, "GetAccount", err, nil)
			Equal(t, "account", got, want)
		})
	}

	t.Run("a new version keeps the confirmed one", func(t *testing.T) {
		later := at.Add(time.Minute)
		IsErr(t, "SetSecretVersion", s.SetSecretVersion(ctx, a.TenantID, a.AppID, 4, later), nil)
		want := a
		want.SecretVersion, want.SecretConfirmedVersion, want.SecretUpdatedAt = 4, 3, later
		got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
		IsErr(t, "GetAccount", err, nil)
		Equal(t, "account", got, want)
	})
}
