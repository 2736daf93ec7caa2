package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

func testRevokeClientSecret(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a, other := NewAccount(t, s, tenantA.ID), NewAccount(t, s, tenantA.ID)
	shared := a
	shared.TenantID = tenantB.ID
	IsErr(t, "CreateAccount", s.CreateAccount(ctx, shared), nil)
	cs, kept := clientSecret(a, Now()), clientSecret(shared, Now())
	for _, c := range []tenants.ClientSecret{cs, kept} {
		IsErr(t, "CreateClientSecret", s.CreateClientSecret(ctx, c), nil)
	}
	first, second := Now(), Now().Add(time.Minute)

	// Each step runs on the secrets as the steps before it left them.
	steps := []struct {
		name            string
		tenantID, appID string
		at              time.Time
		wantErr         error
		want            *time.Time
	}{
		{name: "other tenant, same AppID", tenantID: tenantB.ID, appID: a.AppID, at: first, wantErr: tenants.ErrNotFound},
		{name: "another account of the tenant", tenantID: a.TenantID, appID: other.AppID, at: first, wantErr: tenants.ErrNotFound},
		{name: "revoke", tenantID: a.TenantID, appID: a.AppID, at: first, want: &first},
		{name: "again keeps the first time", tenantID: a.TenantID, appID: a.AppID, at: second, want: &first},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "RevokeClientSecret", s.RevokeClientSecret(ctx, tc.tenantID, tc.appID, cs.ID, tc.at), tc.wantErr)
			got, err := s.ListClientSecrets(ctx, a.TenantID, a.AppID)
			IsErr(t, "ListClientSecrets", err, nil)
			want := cs
			want.RevokedAt = tc.want
			EqualList(t, "ListClientSecrets", got, []tenants.ClientSecret{want})
		})
	}
	t.Run("no longer active", func(t *testing.T) {
		got, err := s.ActiveClientSecrets(ctx, a.TenantID, a.AppID)
		IsErr(t, "ActiveClientSecrets", err, nil)
		EqualList(t, "ActiveClientSecrets", got, nil)
	})
	t.Run("other tenant's secret untouched", func(t *testing.T) {
		got, err := s.ActiveClientSecrets(ctx, shared.TenantID, shared.AppID)
		IsErr(t, "ActiveClientSecrets", err, nil)
		EqualList(t, "ActiveClientSecrets", got, []tenants.ClientSecret{kept})
	})
	t.Run("unknown", func(t *testing.T) {
		IsErr(t, "RevokeClientSecret", s.RevokeClientSecret(ctx, a.TenantID, a.AppID, "nobody", first), tenants.ErrNotFound)
	})
}
