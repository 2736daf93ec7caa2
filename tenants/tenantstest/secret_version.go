package tenantstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// version is a SetSecretVersion write that stores nothing and makes
// version v.
func version(v int) func(context.Context) (int, error) {
	return func(context.Context) (int, error) { return v, nil }
}

// setVersion records version v of a's AppSecret, changed at at.
func setVersion(t *testing.T, s tenants.Store, a tenants.Account, v int, at time.Time) tenants.Account {
	t.Helper()
	got, err := s.SetSecretVersion(context.Background(), a.TenantID, a.AppID, at, version(v))
	IsErr(t, "SetSecretVersion", err, nil)
	return got
}

func testSecretVersion(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := NewAccount(t, s, tenantA.ID)
	at := Now().Add(time.Minute)

	want := a
	want.SecretVersion, want.SecretUpdatedAt = 2, at
	Equal(t, "SetSecretVersion's answer", setVersion(t, s, a, 2, at), want)
	got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
	IsErr(t, "GetAccount", err, nil)
	Equal(t, "account after SetSecretVersion", got, want)

	refused := errors.New("secret store down")
	for _, tc := range []struct {
		name, tenantID, appID string
		write                 func(context.Context) (int, error)
		wantErr               error
	}{
		{"unknown account", a.TenantID, "wx0000000000000000", nil, tenants.ErrNotFound},
		{"other tenant", tenantB.ID, a.AppID, nil, tenants.ErrNotFound},
		{"the write fails", a.TenantID, a.AppID, func(context.Context) (int, error) { return 0, refused }, refused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write := tc.write
			if write == nil {
				write = func(context.Context) (int, error) {
					t.Error("write called for a missing account")
					return 9, nil
				}
			}
			_, err := s.SetSecretVersion(ctx, tc.tenantID, tc.appID, at.Add(time.Hour), write)
			IsErr(t, "SetSecretVersion", err, tc.wantErr)
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
	setVersion(t, s, a, 3, at)

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
		setVersion(t, s, a, 4, later)
		want := a
		want.SecretVersion, want.SecretConfirmedVersion, want.SecretUpdatedAt = 4, 3, later
		got, err := s.GetAccount(ctx, a.TenantID, a.AppID)
		IsErr(t, "GetAccount", err, nil)
		Equal(t, "account", got, want)
	})
}
