package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

func apiKey(tenantID string, role tenants.Role) tenants.APIKey {
	return tenants.APIKey{
		ID:        "key-" + opaque.Hex(6),
		TenantID:  tenantID,
		Name:      "ci",
		Role:      role,
		Hash:      opaque.Hash(opaque.New("wxk_", 32)),
		CreatedAt: Now(),
	}
}

func testAPIKeys(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tn := NewTenant(t, s)

	now := Now()
	expires, used, revoked := now.Add(24*time.Hour), now.Add(time.Minute), now.Add(2*time.Minute)
	full := apiKey(tn.ID, tenants.RoleAdmin)
	full.ExpiresAt, full.LastUsedAt, full.RevokedAt = &expires, &used, &revoked
	viewer := apiKey(tn.ID, tenants.RoleViewer)
	operator := apiKey("", tenants.RoleOperator)
	for _, k := range []tenants.APIKey{full, viewer, operator} {
		IsErr(t, "CreateAPIKey "+k.Name, s.CreateAPIKey(ctx, k), nil)
	}

	gets := []struct {
		name    string
		hash    string
		want    tenants.APIKey
		wantErr error
	}{
		{name: "every field round trips, revoked too", hash: full.Hash, want: full},
		{name: "unset times round trip", hash: viewer.Hash, want: viewer},
		{name: "operator key has no tenant", hash: operator.Hash, want: operator},
		{name: "unknown hash", hash: opaque.Hash("nope"), wantErr: tenants.ErrNotFound},
	}
	for _, tc := range gets {
		t.Run("get "+tc.name, func(t *testing.T) {
			got, err := s.APIKeyByHash(ctx, tc.hash)
			IsErr(t, "APIKeyByHash", err, tc.wantErr)
			if tc.wantErr == nil {
				Equal(t, "APIKeyByHash", got, tc.want)
			}
		})
	}

	sameID, sameHash := apiKey(tn.ID, tenants.RoleAdmin), apiKey(tn.ID, tenants.RoleAdmin)
	sameID.ID, sameHash.Hash = full.ID, full.Hash
	creates := []struct {
		name    string
		key     tenants.APIKey
		wantErr error
	}{
		{name: "duplicate ID", key: sameID, wantErr: tenants.ErrConflict},
		{name: "duplicate hash", key: sameHash, wantErr: tenants.ErrConflict},
		{name: "unknown tenant", key: apiKey("nobody", tenants.RoleAdmin), wantErr: tenants.ErrNotFound},
	}
	for _, tc := range creates {
		t.Run("create "+tc.name, func(t *testing.T) {
			IsErr(t, "CreateAPIKey", s.CreateAPIKey(ctx, tc.key), tc.wantErr)
		})
	}
}

func clientSecret(a tenants.Account, createdAt time.Time) tenants.ClientSecret {
	return tenants.ClientSecret{
		ID:        "cs-" + opaque.Hex(6),
		TenantID:  a.TenantID,
		AppID:     a.AppID,
		Hash:      opaque.Hash(opaque.New("", 32)),
		CreatedAt: createdAt,
	}
}

func testClientSecrets(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a, other := NewAccount(t, s, tenantA.ID), NewAccount(t, s, tenantA.ID)

	now := Now()
	older, newer, revoked := clientSecret(a, now.Add(-time.Hour)), clientSecret(a, now), clientSecret(a, now)
	revokedAt := now.Add(time.Minute)
	revoked.RevokedAt = &revokedAt
	for _, cs := range []tenants.ClientSecret{newer, revoked, older} {
		IsErr(t, "CreateClientSecret", s.CreateClientSecret(ctx, cs), nil)
	}

	// Secrets made at one time are listed in ID order.
	all := []tenants.ClientSecret{older, newer, revoked}
	if revoked.ID < newer.ID {
		all[1], all[2] = revoked, newer
	}
	lists := []struct {
		name            string
		tenantID, appID string
		wantActive      []tenants.ClientSecret
		wantAll         []tenants.ClientSecret
	}{
		{name: "oldest first", tenantID: a.TenantID, appID: a.AppID, wantActive: []tenants.ClientSecret{older, newer}, wantAll: all},
		{name: "another account's", tenantID: a.TenantID, appID: other.AppID},
		{name: "another tenant's", tenantID: tenantB.ID, appID: a.AppID},
	}
	for _, tc := range lists {
		t.Run("list "+tc.name, func(t *testing.T) {
			active, err := s.ActiveClientSecrets(ctx, tc.tenantID, tc.appID)
			IsErr(t, "ActiveClientSecrets", err, nil)
			EqualList(t, "ActiveClientSecrets", active, tc.wantActive)
			got, err := s.ListClientSecrets(ctx, tc.tenantID, tc.appID)
			IsErr(t, "ListClientSecrets", err, nil)
			EqualList(t, "ListClientSecrets", got, tc.wantAll)
		})
	}

	dup := clientSecret(a, now)
	dup.ID = older.ID
	creates := []struct {
		name    string
		secret  tenants.ClientSecret
		wantErr error
	}{
		{name: "duplicate ID", secret: dup, wantErr: tenants.ErrConflict},
		{name: "unknown account", secret: clientSecret(tenants.Account{TenantID: a.TenantID, AppID: "wx0000000000000000"}, now), wantErr: tenants.ErrNotFound},
		{name: "account of another tenant", secret: clientSecret(tenants.Account{TenantID: tenantB.ID, AppID: a.AppID}, now), wantErr: tenants.ErrNotFound},
	}
	for _, tc := range creates {
		t.Run("create "+tc.name, func(t *testing.T) {
			IsErr(t, "CreateClientSecret", s.CreateClientSecret(ctx, tc.secret), tc.wantErr)
		})
	}
}
