package logintest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// RefreshToken is the first refresh token of a new family of ident's,
// created now and expiring at expires.
func RefreshToken(ident tenants.Identity, expires time.Time) login.RefreshToken {
	now := tenantstest.Now()
	return login.RefreshToken{
		Hash: opaque.Hash(opaque.New("", 32)), TenantID: ident.TenantID, AppID: ident.AppID,
		IdentityID: ident.ID, FamilyID: opaque.Hex(16), Scope: tenants.ScopeBase, Confidential: true,
		AuthTime: now.Add(-time.Minute), CreatedAt: now, ExpiresAt: expires,
	}
}

// refreshToken creates a new family's first token for ident.
func (f *fixture) refreshToken(t *testing.T, ident tenants.Identity, expires time.Time) login.RefreshToken {
	t.Helper()
	rt := RefreshToken(ident, expires)
	tenantstest.IsErr(t, "CreateRefreshToken", f.login.CreateRefreshToken(context.Background(), rt), nil)
	return rt
}

// successor is the token that rotating parent issues.
func successor(parent login.RefreshToken) login.RefreshToken {
	next := RefreshToken(tenants.Identity{TenantID: parent.TenantID, AppID: parent.AppID, ID: parent.IdentityID}, parent.ExpiresAt)
	next.FamilyID, next.AuthTime, next.Confidential = "", parent.AuthTime, parent.Confidential
	return next
}

// rotate rotates rt at now, failing the test unless the error is want.
func (f *fixture) rotate(t *testing.T, rt login.RefreshToken, want error) login.RefreshToken {
	t.Helper()
	next := successor(rt)
	err := f.login.RotateRefreshToken(context.Background(), rt.TenantID, rt.Hash, next, tenantstest.Now())
	tenantstest.IsErr(t, "RotateRefreshToken", err, want)
	next.FamilyID, next.ParentHash = rt.FamilyID, rt.Hash
	return next
}

func testRefreshTokens(t *testing.T, f *fixture) {
	ctx := context.Background()
	_, ident := f.loginAs(t, f.account, "o-refresh", nil)
	rt := f.refreshToken(t, ident, tenantstest.Now().Add(time.Hour))

	got, err := f.login.GetRefreshToken(ctx, rt.TenantID, rt.Hash)
	tenantstest.IsErr(t, "GetRefreshToken", err, nil)
	tenantstest.Equal(t, "GetRefreshToken", got, rt)
	misses := []struct{ name, tenantID, hash string }{
		{name: "other tenant", tenantID: f.other.TenantID, hash: rt.Hash},
		{name: "unknown", tenantID: rt.TenantID, hash: opaque.Hash("nope")},
	}
	for _, tc := range misses {
		t.Run("get "+tc.name, func(t *testing.T) {
			_, err := f.login.GetRefreshToken(ctx, tc.tenantID, tc.hash)
			tenantstest.IsErr(t, "GetRefreshToken", err, tenants.ErrNotFound)
		})
	}

	t.Run("create for an unknown identity", func(t *testing.T) {
		bad := RefreshToken(ident, rt.ExpiresAt)
		bad.IdentityID = "no-such-identity"
		tenantstest.IsErr(t, "CreateRefreshToken", f.login.CreateRefreshToken(ctx, bad), tenants.ErrNotFound)
	})
	t.Run("erasing the identity erases its tokens", func(t *testing.T) {
		tenantstest.IsErr(t, "DeleteIdentity", f.tenants.DeleteIdentity(ctx, ident.TenantID, ident.ID), nil)
		_, err := f.login.GetRefreshToken(ctx, rt.TenantID, rt.Hash)
		tenantstest.IsErr(t, "GetRefreshToken", err, tenants.ErrNotFound)
	})
}

func testRotateRefreshToken(t *testing.T, f *fixture) {
	ctx := context.Background()
	now := tenantstest.Now()
	_, ident := f.loginAs(t, f.account, "o-rotate", nil)
	rt := f.refreshToken(t, ident, now.Add(time.Hour))

	next := successor(rt)
	tenantstest.IsErr(t, "RotateRefreshToken", f.login.RotateRefreshToken(ctx, rt.TenantID, rt.Hash, next, now), nil)
	used, err := f.login.GetRefreshToken(ctx, rt.TenantID, rt.Hash)
	tenantstest.IsErr(t, "GetRefreshToken of the used token", err, nil)
	if used.UsedAt == nil || !used.UsedAt.Equal(now) || used.RevokedAt != nil {
		t.Errorf("used token: used at %v, revoked at %v; want used at %v, not revoked", used.UsedAt, used.RevokedAt, now)
	}
	next.FamilyID, next.ParentHash = rt.FamilyID, rt.Hash
	stored, err := f.login.GetRefreshToken(ctx, next.TenantID, next.Hash)
	tenantstest.IsErr(t, "GetRefreshToken of the successor", err, nil)
	tenantstest.Equal(t, "successor", stored, next)
	f.rotate(t, next, nil) // the successor rotates in turn

	refusals := []struct {
		name string
		rt   func() login.RefreshToken
		at   time.Time
	}{
		{name: "other tenant", at: now, rt: func() login.RefreshToken {
			other := f.refreshToken(t, ident, now.Add(time.Hour))
			other.TenantID = f.other.TenantID
			return other
		}},
		{name: "unknown", at: now, rt: func() login.RefreshToken { return RefreshToken(ident, now.Add(time.Hour)) }},
		{name: "at its expiry", at: now.Add(time.Hour), rt: func() login.RefreshToken { return f.refreshToken(t, ident, now.Add(time.Hour)) }},
		{name: "revoked", at: now, rt: func() login.RefreshToken {
			r := f.refreshToken(t, ident, now.Add(time.Hour))
			tenantstest.IsErr(t, "RevokeRefreshFamily", f.login.RevokeRefreshFamily(ctx, r.TenantID, r.FamilyID, now), nil)
			return r
		}},
	}
	for _, tc := range refusals {
		t.Run("refused "+tc.name, func(t *testing.T) {
			r := tc.rt()
			n := successor(r)
			err := f.login.RotateRefreshToken(ctx, r.TenantID, r.Hash, n, tc.at)
			tenantstest.IsErr(t, "RotateRefreshToken", err, tenants.ErrNotFound)
			_, err = f.login.GetRefreshToken(ctx, n.TenantID, n.Hash)
			tenantstest.IsErr(t, "GetRefreshToken of the refused successor", err, tenants.ErrNotFound)
		})
	}
}

func testRefreshTokenReuse(t *testing.T, f *fixture) {
	ctx := context.Background()
	_, ident := f.loginAs(t, f.account, "o-reuse", nil)
	first := f.refreshToken(t, ident, tenantstest.Now().Add(time.Hour))
	bystander := f.refreshToken(t, ident, tenantstest.Now().Add(time.Hour))
	second := f.rotate(t, first, nil)

	f.rotate(t, first, login.ErrRefreshTokenReused)
	for name, rt := range map[string]login.RefreshToken{"reused": first, "rotated-to": second} {
		got, err := f.login.GetRefreshToken(ctx, rt.TenantID, rt.Hash)
		tenantstest.IsErr(t, "GetRefreshToken", err, nil)
		if got.RevokedAt == nil {
			t.Errorf("the %s token is not revoked after the reuse", name)
		}
	}
	f.rotate(t, second, tenants.ErrNotFound)
	f.rotate(t, first, tenants.ErrNotFound) // revoked now: no longer a reuse
	f.rotate(t, bystander, nil)             // another family of the same person
}

func isReused(err error) bool { return errors.Is(err, login.ErrRefreshTokenReused) }

func testRefreshTokenConcurrentReuse(t *testing.T, f *fixture) {
	ctx := context.Background()
	_, ident := f.loginAs(t, f.account, "o-race", nil)
	rt := f.refreshToken(t, ident, tenantstest.Now().Add(time.Hour))
	var (
		wg              sync.WaitGroup
		rotated, reused atomic.Int32
		winner          atomic.Value
	)
	for range 8 {
		wg.Go(func() {
			next := successor(rt)
			err := f.login.RotateRefreshToken(ctx, rt.TenantID, rt.Hash, next, tenantstest.Now())
			switch {
			case err == nil:
				rotated.Add(1)
				winner.Store(next)
			case isReused(err):
				reused.Add(1)
			case isNotFound(err): // a reuse before this one revoked the family
			default:
				t.Errorf("RotateRefreshToken: %v", err)
			}
		})
	}
	wg.Wait()
	if rotated.Load() != 1 || reused.Load() == 0 {
		t.Fatalf("8 concurrent rotations: %d rotated, %d reused; want 1 rotated and the others reused or revoked", rotated.Load(), reused.Load())
	}
	next := winner.Load().(login.RefreshToken)
	next.FamilyID = rt.FamilyID
	f.rotate(t, next, tenants.ErrNotFound) // the reuse revoked the winner's successor
}

func testRevokeRefreshFamily(t *testing.T, f *fixture) {
	ctx := context.Background()
	now := tenantstest.Now()
	_, ident := f.loginAs(t, f.account, "o-revoke", nil)
	first := f.refreshToken(t, ident, now.Add(time.Hour))
	second := f.rotate(t, first, nil)

	tenantstest.IsErr(t, "RevokeRefreshFamily of another tenant", f.login.RevokeRefreshFamily(ctx, f.other.TenantID, first.FamilyID, now), nil)
	got, err := f.login.GetRefreshToken(ctx, second.TenantID, second.Hash)
	tenantstest.IsErr(t, "GetRefreshToken", err, nil)
	if got.RevokedAt != nil {
		t.Fatal("another tenant revoked the family")
	}
	tenantstest.IsErr(t, "RevokeRefreshFamily", f.login.RevokeRefreshFamily(ctx, first.TenantID, first.FamilyID, now), nil)
	for _, rt := range []login.RefreshToken{first, second} {
		got, err := f.login.GetRefreshToken(ctx, rt.TenantID, rt.Hash)
		tenantstest.IsErr(t, "GetRefreshToken", err, nil)
		if got.RevokedAt == nil || !got.RevokedAt.Equal(now) {
			t.Errorf("token revoked at %v, want %v", got.RevokedAt, now)
		}
	}
	f.rotate(t, second, tenants.ErrNotFound)
	tenantstest.IsErr(t, "RevokeRefreshFamily again", f.login.RevokeRefreshFamily(ctx, first.TenantID, first.FamilyID, now.Add(time.Minute)), nil)
	got, _ = f.login.GetRefreshToken(ctx, first.TenantID, first.Hash)
	if !got.RevokedAt.Equal(now) {
		t.Errorf("revoking again moved revoked_at to %v", got.RevokedAt)
	}
}
