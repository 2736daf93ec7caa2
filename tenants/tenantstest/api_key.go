package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// createAPIKeys creates n keys of the tenant with role and returns them
// ordered by ID.
func createAPIKeys(t *testing.T, s tenants.Store, tenantID string, role tenants.Role, n int) []tenants.APIKey {
	t.Helper()
	keys := make([]tenants.APIKey, n)
	for i := range keys {
		keys[i] = apiKey(tenantID, role)
		IsErr(t, "CreateAPIKey", s.CreateAPIKey(context.Background(), keys[i]), nil)
	}
	return sortBy(keys, func(k tenants.APIKey) string { return k.ID })
}

func testListAPIKeys(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	keysA := createAPIKeys(t, s, tenantA.ID, tenants.RoleAdmin, 3)
	revoked := Now()
	IsErr(t, "RevokeAPIKey", s.RevokeAPIKey(ctx, tenantA.ID, keysA[1].ID, revoked), nil)
	keysA[1].RevokedAt = &revoked
	keysB := createAPIKeys(t, s, tenantB.ID, tenants.RoleViewer, 1)
	operators := createAPIKeys(t, s, "", tenants.RoleOperator, 2)

	for _, tc := range []struct {
		name     string
		tenantID string
		page     tenants.Page
		want     []tenants.APIKey
	}{
		{name: "ordered by ID, revoked ones too", tenantID: tenantA.ID, want: keysA},
		{name: "first page", tenantID: tenantA.ID, page: tenants.Page{Limit: 2}, want: keysA[:2]},
		{name: "next page", tenantID: tenantA.ID, page: tenants.Page{After: keysA[1].ID, Limit: 2}, want: keysA[2:]},
		{name: "only the tenant's", tenantID: tenantB.ID, want: keysB},
		{name: "operator keys under the empty tenant", tenantID: "", want: operators},
		{name: "unknown tenant", tenantID: "nobody", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListAPIKeys(ctx, tc.tenantID, tc.page)
			IsErr(t, "ListAPIKeys", err, nil)
			EqualList(t, "ListAPIKeys", got, tc.want)
		})
	}
}

func testRevokeAPIKey(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	keyA := createAPIKeys(t, s, tenantA.ID, tenants.RoleAdmin, 1)[0]
	keyB := createAPIKeys(t, s, tenantB.ID, tenants.RoleAdmin, 1)[0]
	operator := createAPIKeys(t, s, "", tenants.RoleOperator, 1)[0]
	first, second := Now(), Now().Add(time.Minute)

	// Each step runs on the keys as the steps before it left them.
	steps := []struct {
		name     string
		tenantID string
		key      tenants.APIKey
		at       time.Time
		wantErr  error
		want     *time.Time
	}{
		{name: "other tenant's key", tenantID: tenantB.ID, key: keyA, at: first, wantErr: tenants.ErrNotFound},
		{name: "a tenant key as the operator", tenantID: "", key: keyA, at: first, wantErr: tenants.ErrNotFound},
		{name: "revoke", tenantID: tenantA.ID, key: keyA, at: first, want: &first},
		{name: "again keeps the first time", tenantID: tenantA.ID, key: keyA, at: second, want: &first},
		{name: "an operator key as a tenant", tenantID: tenantA.ID, key: operator, at: first, wantErr: tenants.ErrNotFound},
		{name: "an operator key", tenantID: "", key: operator, at: second, want: &second},
		{name: "unknown", tenantID: tenantA.ID, key: apiKey(tenantA.ID, tenants.RoleAdmin), at: first, wantErr: tenants.ErrNotFound},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "RevokeAPIKey", s.RevokeAPIKey(ctx, tc.tenantID, tc.key.ID, tc.at), tc.wantErr)
			if tc.wantErr != nil {
				return
			}
			got, err := s.APIKeyByHash(ctx, tc.key.Hash)
			IsErr(t, "APIKeyByHash", err, nil)
			Equal(t, "RevokedAt", got.RevokedAt, tc.want)
		})
	}
	t.Run("other tenant's key untouched", func(t *testing.T) {
		got, err := s.APIKeyByHash(ctx, keyB.Hash)
		IsErr(t, "APIKeyByHash", err, nil)
		Equal(t, "key", got, keyB)
	})
}

func testTouchAPIKey(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	keys := createAPIKeys(t, s, NewTenant(t, s).ID, tenants.RoleAdmin, 2)
	key, other := keys[0], keys[1]
	first := Now()
	later := first.Add(tenants.LastUsedResolution + time.Microsecond)

	// Each step runs on the key as the steps before it left it.
	steps := []struct {
		name string
		at   time.Time
		want time.Time
	}{
		{name: "first use", at: first, want: first},
		{name: "a use within the resolution is not written", at: first.Add(tenants.LastUsedResolution), want: first},
		{name: "an earlier use is not written", at: first.Add(-time.Hour), want: first},
		{name: "a use past the resolution", at: later, want: later},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "TouchAPIKey", s.TouchAPIKey(ctx, key.ID, tc.at), nil)
			got, err := s.APIKeyByHash(ctx, key.Hash)
			IsErr(t, "APIKeyByHash", err, nil)
			Equal(t, "LastUsedAt", got.LastUsedAt, &tc.want)
		})
	}
	t.Run("other keys untouched", func(t *testing.T) {
		got, err := s.APIKeyByHash(ctx, other.Hash)
		IsErr(t, "APIKeyByHash", err, nil)
		Equal(t, "key", got, other)
	})
	t.Run("unknown key", func(t *testing.T) {
		IsErr(t, "TouchAPIKey", s.TouchAPIKey(ctx, "nobody", first), nil)
	})
}
