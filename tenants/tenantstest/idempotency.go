package tenantstest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

// claim returns a new in-flight record of the principal, made at at.
func claim(principalID string, at time.Time) tenants.IdempotencyRecord {
	return tenants.IdempotencyRecord{PrincipalID: principalID, Key: "idem-" + opaque.Hex(6), RequestHash: opaque.Hex(32), CreatedAt: at}
}

// answered is r with an answer.
func answered(r tenants.IdempotencyRecord) tenants.IdempotencyRecord {
	r.Status = 201
	r.Header = map[string]string{"Location": "/v1/tenants/x", "Content-Type": "application/json"}
	r.Body = []byte(`{"id":"x"}`)
	return r
}

// mustClaim claims r and checks the outcome.
func mustClaim(t *testing.T, s tenants.Store, r tenants.IdempotencyRecord, wantClaimed bool, want tenants.IdempotencyRecord) {
	t.Helper()
	got, claimed, err := s.ClaimIdempotencyKey(context.Background(), r)
	IsErr(t, "ClaimIdempotencyKey", err, nil)
	if claimed != wantClaimed {
		t.Fatalf("ClaimIdempotencyKey claimed = %v, want %v", claimed, wantClaimed)
	}
	Equal(t, "ClaimIdempotencyKey", got, want)
}

func testIdempotencyKeys(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tn := NewTenant(t, s)
	keys := createAPIKeys(t, s, tn.ID, tenants.RoleAdmin, 2)
	now := Now()

	first := claim(keys[0].ID, now)
	mustClaim(t, s, first, true, first)
	// A duplicate, and one with another body, find the claim in flight.
	mustClaim(t, s, first, false, first)
	other := first
	other.RequestHash = opaque.Hex(32)
	mustClaim(t, s, other, false, first)
	// Another API key, or a console binding, has keys of its own.
	own := first
	own.PrincipalID = keys[1].ID
	mustClaim(t, s, own, true, own)
	binding := first
	binding.PrincipalID = newBinding(t, s, tn.ID, tenants.RoleAdmin, "u-"+opaque.Hex(6), "").ID
	mustClaim(t, s, binding, true, binding)

	// Only the request that claimed the key answers it, once.
	IsErr(t, "CompleteIdempotencyKey with another hash", s.CompleteIdempotencyKey(ctx, answered(other)), tenants.ErrNotFound)
	done := answered(first)
	IsErr(t, "CompleteIdempotencyKey", s.CompleteIdempotencyKey(ctx, done), nil)
	mustClaim(t, s, first, false, done)
	IsErr(t, "CompleteIdempotencyKey again", s.CompleteIdempotencyKey(ctx, done), tenants.ErrNotFound)
	IsErr(t, "ReleaseIdempotencyKey of an answered record", s.ReleaseIdempotencyKey(ctx, first), nil)
	mustClaim(t, s, first, false, done)

	// A withheld answer keeps no body.
	secret := claim(keys[0].ID, now)
	mustClaim(t, s, secret, true, secret)
	withheld := secret
	withheld.Status, withheld.Header, withheld.Withheld = 201, map[string]string{"Location": "/v1/tenants/x/api-keys/k"}, true
	IsErr(t, "CompleteIdempotencyKey withheld", s.CompleteIdempotencyKey(ctx, withheld), nil)
	mustClaim(t, s, secret, false, withheld)

	// A released claim may be made again.
	failed := claim(keys[0].ID, now)
	mustClaim(t, s, failed, true, failed)
	IsErr(t, "ReleaseIdempotencyKey with another hash", s.ReleaseIdempotencyKey(ctx, other), nil)
	mustClaim(t, s, failed, false, failed)
	IsErr(t, "ReleaseIdempotencyKey", s.ReleaseIdempotencyKey(ctx, failed), nil)
	IsErr(t, "ReleaseIdempotencyKey again", s.ReleaseIdempotencyKey(ctx, failed), nil)
	mustClaim(t, s, failed, true, failed)
}

func testIdempotencyKeyExpiry(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tn := NewTenant(t, s)
	key := createAPIKeys(t, s, tn.ID, tenants.RoleAdmin, 1)[0]
	now := Now()
	at := func(r tenants.IdempotencyRecord, d time.Duration) tenants.IdempotencyRecord {
		r.CreatedAt = r.CreatedAt.Add(d)
		return r
	}

	// An answer is kept for IdempotencyTTL.
	pending := claim(key.ID, now)
	mustClaim(t, s, pending, true, pending)
	done := answered(pending)
	IsErr(t, "CompleteIdempotencyKey", s.CompleteIdempotencyKey(ctx, done), nil)
	mustClaim(t, s, at(pending, tenants.IdempotencyTTL-time.Second), false, done)
	mustClaim(t, s, at(pending, tenants.IdempotencyTTL), true, at(pending, tenants.IdempotencyTTL))

	// A claim in flight gives way after IdempotencyLease.
	stuck := claim(key.ID, now)
	mustClaim(t, s, stuck, true, stuck)
	mustClaim(t, s, at(stuck, tenants.IdempotencyLease-time.Second), false, stuck)
	mustClaim(t, s, at(stuck, tenants.IdempotencyLease), true, at(stuck, tenants.IdempotencyLease))

	// The sweep deletes what is at or past the cutoff.
	old := claim(key.ID, now.Add(-time.Hour))
	mustClaim(t, s, old, true, old)
	n, err := s.DeleteIdempotencyRecords(ctx, now.Add(-time.Hour))
	IsErr(t, "DeleteIdempotencyRecords", err, nil)
	Equal(t, "records deleted", n, int64(1))
	mustClaim(t, s, old, true, old)
	n, err = s.DeleteIdempotencyRecords(ctx, now.Add(-2*time.Hour))
	IsErr(t, "DeleteIdempotencyRecords", err, nil)
	Equal(t, "records deleted", n, int64(0))
}

func testIdempotencyKeyRace(t *testing.T, s tenants.Store) {
	tn := NewTenant(t, s)
	key := createAPIKeys(t, s, tn.ID, tenants.RoleAdmin, 1)[0]
	r := claim(key.ID, Now())
	const racers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range racers {
		wg.Go(func() {
			got, claimed, err := s.ClaimIdempotencyKey(context.Background(), r)
			if err != nil {
				t.Errorf("ClaimIdempotencyKey: %v", err)
				return
			}
			Equal(t, "ClaimIdempotencyKey", got, r)
			mu.Lock()
			defer mu.Unlock()
			if claimed {
				won++
			}
		})
	}
	wg.Wait()
	Equal(t, "claims won", won, 1)
}
