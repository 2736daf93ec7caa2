package tokentest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// Run runs the suite. newStores returns new, empty stores for each test,
// both over the same data.
func Run(t *testing.T, newStores func(t *testing.T) (tenants.Store, token.KeyStore)) {
	for _, test := range []struct {
		name string
		run  func(t *testing.T, ts tenants.Store, ks token.KeyStore)
	}{
		{"Rotation", testRotation},
		{"Refusals", testRefusals},
		{"ConcurrentRotation", testConcurrentRotation},
	} {
		t.Run(test.name, func(t *testing.T) {
			ts, ks := newStores(t)
			test.run(t, ts, ks)
		})
	}
}

// newKey is a key of the tenant created at createdAt, in no state yet.
func newKey(tenantID string, createdAt time.Time) token.Key {
	kid := opaque.New("", 12)
	return token.Key{
		TenantID:  tenantID,
		KID:       kid,
		Alg:       "ES256",
		PublicJWK: []byte(`{"kty":"EC","crv":"P-256","kid":"` + kid + `","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`),
		CreatedAt: createdAt,
	}
}

// rotate rotates k in and returns it as the store should now hold it.
func rotate(t *testing.T, ks token.KeyStore, k token.Key) token.Key {
	t.Helper()
	tenantstest.IsErr(t, "RotateKey", ks.RotateKey(context.Background(), k), nil)
	k.State = token.KeyActive
	return k
}

func passive(k token.Key) token.Key {
	k.State = token.KeyPassive
	return k
}

func keys(t *testing.T, ks token.KeyStore, tenantID string) []token.Key {
	t.Helper()
	got, err := ks.Keys(context.Background(), tenantID)
	tenantstest.IsErr(t, "Keys", err, nil)
	return got
}

// testRotation walks a tenant's keys through their life: rotated in,
// demoted by the next rotation, retired.
func testRotation(t *testing.T, ts tenants.Store, ks token.KeyStore) {
	ctx := context.Background()
	tenant, other := tenantstest.NewTenant(t, ts), tenantstest.NewTenant(t, ts)
	start := tenantstest.Now()

	k1 := rotate(t, ks, newKey(tenant.ID, start))
	tenantstest.EqualList(t, "keys after the first rotation", keys(t, ks, tenant.ID), []token.Key{k1})

	k2 := rotate(t, ks, newKey(tenant.ID, start.Add(time.Hour)))
	tenantstest.EqualList(t, "keys after the second rotation, newest first",
		keys(t, ks, tenant.ID), []token.Key{k2, passive(k1)})
	tenantstest.EqualList(t, "keys of another tenant", keys(t, ks, other.ID), nil)

	retires := []struct {
		name     string
		tenantID string
		kid      string
		wantErr  error
	}{
		{name: "the active key", tenantID: tenant.ID, kid: k2.KID, wantErr: tenants.ErrInvalid},
		{name: "another tenant's key", tenantID: other.ID, kid: k1.KID, wantErr: tenants.ErrNotFound},
		{name: "an unknown kid", tenantID: tenant.ID, kid: "nope", wantErr: tenants.ErrNotFound},
		{name: "a passive key", tenantID: tenant.ID, kid: k1.KID},
		{name: "a retired key again", tenantID: tenant.ID, kid: k1.KID},
	}
	for _, tc := range retires {
		t.Run("retire "+tc.name, func(t *testing.T) {
			err := ks.RetireKey(ctx, tc.tenantID, tc.kid, start.Add(2*time.Hour))
			tenantstest.IsErr(t, "RetireKey", err, tc.wantErr)
		})
	}
	tenantstest.EqualList(t, "keys after retiring the passive one", keys(t, ks, tenant.ID), []token.Key{k2})

	k3 := rotate(t, ks, newKey(tenant.ID, start.Add(3*time.Hour)))
	tenantstest.EqualList(t, "keys after the third rotation", keys(t, ks, tenant.ID), []token.Key{k3, passive(k2)})
}

// testRefusals checks that a refused rotation changes nothing.
func testRefusals(t *testing.T, ts tenants.Store, ks token.KeyStore) {
	ctx := context.Background()
	tenant := tenantstest.NewTenant(t, ts)
	active := rotate(t, ks, newKey(tenant.ID, tenantstest.Now()))

	taken := newKey(tenant.ID, tenantstest.Now().Add(time.Minute))
	taken.KID = active.KID
	for _, tc := range []struct {
		name    string
		key     token.Key
		wantErr error
	}{
		{name: "taken kid", key: taken, wantErr: tenants.ErrConflict},
		{name: "unknown tenant", key: newKey("nobody", tenantstest.Now()), wantErr: tenants.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tenantstest.IsErr(t, "RotateKey", ks.RotateKey(ctx, tc.key), tc.wantErr)
			tenantstest.EqualList(t, "keys", keys(t, ks, tenant.ID), []token.Key{active})
		})
	}
}

// testConcurrentRotation races rotations of one tenant: each may win or
// fail with ErrConflict, and exactly one key ends up active.
func testConcurrentRotation(t *testing.T, ts tenants.Store, ks token.KeyStore) {
	ctx := context.Background()
	tenant := tenantstest.NewTenant(t, ts)
	rotate(t, ks, newKey(tenant.ID, tenantstest.Now()))

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			err := ks.RotateKey(ctx, newKey(tenant.ID, tenantstest.Now()))
			if err != nil && !errors.Is(err, tenants.ErrConflict) {
				t.Errorf("RotateKey: %v", err)
			}
		})
	}
	wg.Wait()

	active := 0
	for _, k := range keys(t, ks, tenant.ID) {
		if k.State == token.KeyActive {
			active++
		}
	}
	if active != 1 {
		t.Errorf("%d active keys, want 1", active)
	}
}
