package tenants_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

func TestAuthenticate(t *testing.T) {
	s, clk, _ := withAccount(t)
	ctx := context.Background()
	newKey := func(expiresAt *time.Time) (tenants.APIKey, string) {
		k, value, err := s.CreateAPIKey(ctx, "acme", "ci", tenants.RoleAdmin, expiresAt)
		if err != nil {
			t.Fatal(err)
		}
		return k, value
	}
	start := clk.Now()
	expiry := start.Add(time.Hour)
	live, liveValue := newKey(nil)
	_, expiringValue := newKey(&expiry)
	revoked, revokedValue := newKey(nil)
	if err := s.RevokeAPIKey(ctx, "acme", revoked.ID); err != nil {
		t.Fatal(err)
	}

	// Each step runs at the clock's time, after the steps before it.
	steps := []struct {
		name     string
		advance  time.Duration
		value    string
		wantErr  error
		wantUsed *time.Time
	}{
		{name: "first use", value: liveValue, wantUsed: nil},
		{name: "the key shows its last use", advance: time.Hour, value: liveValue, wantUsed: &start},
		{name: "expired at its expiry", value: expiringValue, wantErr: tenants.ErrKeyExpired},
		{name: "revoked", value: revokedValue, wantErr: tenants.ErrKeyRevoked},
		{name: "unknown", value: "wxk_unknown", wantErr: tenants.ErrKeyUnknown},
		{name: "none", value: "", wantErr: tenants.ErrKeyUnknown},
	}
	for _, tc := range steps {
		clk.Advance(tc.advance)
		k, err := s.Authenticate(ctx, tc.value)
		switch {
		case tc.wantErr != nil:
			if !errors.Is(err, tc.wantErr) || !errors.Is(err, tenants.ErrUnauthenticated) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.wantErr)
			}
		case err != nil || k.ID != live.ID || !equalTimes(k.LastUsedAt, tc.wantUsed):
			t.Errorf("%s: %+v, %v; want key %s last used %v", tc.name, k, err, live.ID, tc.wantUsed)
		}
	}
}

func TestAuthenticateBeforeExpiry(t *testing.T) {
	s, clk, _ := withAccount(t)
	ctx := context.Background()
	expiry := clk.Now().Add(time.Hour)
	k, value, err := s.CreateAPIKey(ctx, "acme", "ci", tenants.RoleViewer, &expiry)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour - time.Microsecond)
	if got, err := s.Authenticate(ctx, value); err != nil || got.ID != k.ID {
		t.Errorf("Authenticate a microsecond before expiry: %+v, %v", got, err)
	}
}

func TestRevokeClientSecret(t *testing.T) {
	s, _, a := withAccount(t)
	ctx := context.Background()
	cs, value, err := s.CreateClientSecret(ctx, a.TenantID, a.AppID)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.RevokeClientSecret(ctx, a.TenantID, a.AppID, cs.ID); err != nil {
			t.Fatalf("RevokeClientSecret: %v", err)
		}
	}
	if ok, err := s.CheckClientSecret(ctx, a.TenantID, a.AppID, value); ok || err != nil {
		t.Errorf("revoked client secret accepted: %v, %v", ok, err)
	}
	if err := s.RevokeClientSecret(ctx, "other", a.AppID, cs.ID); !errors.Is(err, tenants.ErrNotFound) {
		t.Errorf("other tenant revoking: %v, want ErrNotFound", err)
	}
}

func equalTimes(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}
