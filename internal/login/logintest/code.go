package logintest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func testRedeemCode(t *testing.T, f *fixture) {
	ctx := context.Background()
	c, ident := f.loginAs(t, f.account, "o-redeem", nil)
	now := c.Login.At

	refusals := []struct {
		name     string
		tenantID string
		hash     string
		at       time.Time
	}{
		{name: "other tenant", tenantID: f.other.TenantID, hash: c.Code.Hash, at: now},
		{name: "at its expiry", tenantID: c.Code.TenantID, hash: c.Code.Hash, at: c.Code.ExpiresAt},
		{name: "after its expiry", tenantID: c.Code.TenantID, hash: c.Code.Hash, at: c.Code.ExpiresAt.Add(time.Microsecond)},
		{name: "unknown", tenantID: c.Code.TenantID, hash: opaque.Hash("nope"), at: now},
	}
	for _, tc := range refusals {
		t.Run("refused "+tc.name, func(t *testing.T) {
			_, _, err := f.login.GetCode(ctx, tc.tenantID, tc.hash, tc.at)
			tenantstest.IsErr(t, "GetCode", err, tenants.ErrNotFound)
			tenantstest.IsErr(t, "RedeemCode", f.login.RedeemCode(ctx, tc.tenantID, tc.hash, tc.at), tenants.ErrNotFound)
		})
	}

	t.Run("read until redeemed once", func(t *testing.T) {
		for range 2 { // reading leaves it
			code, got, err := f.login.GetCode(ctx, c.Code.TenantID, c.Code.Hash, now)
			tenantstest.IsErr(t, "GetCode", err, nil)
			if code.Hash != c.Code.Hash || code.IdentityID != ident.ID {
				t.Errorf("code = %+v, want %s of identity %s", code, c.Code.Hash, ident.ID)
			}
			tenantstest.Equal(t, "identity", got, ident)
		}
		tenantstest.IsErr(t, "RedeemCode", f.login.RedeemCode(ctx, c.Code.TenantID, c.Code.Hash, now), nil)
		tenantstest.IsErr(t, "second RedeemCode", f.login.RedeemCode(ctx, c.Code.TenantID, c.Code.Hash, now), tenants.ErrNotFound)
		_, _, err := f.login.GetCode(ctx, c.Code.TenantID, c.Code.Hash, now)
		tenantstest.IsErr(t, "GetCode of the redeemed code", err, tenants.ErrNotFound)
	})

	t.Run("once under concurrency", func(t *testing.T) {
		c, _ := f.loginAs(t, f.account, "o-redeem-race", nil)
		var wg sync.WaitGroup
		var redeemed atomic.Int32
		for range 10 {
			wg.Go(func() {
				err := f.login.RedeemCode(ctx, c.Code.TenantID, c.Code.Hash, c.Login.At)
				switch {
				case err == nil:
					redeemed.Add(1)
				case !isNotFound(err):
					t.Errorf("RedeemCode: %v", err)
				}
			})
		}
		wg.Wait()
		if n := redeemed.Load(); n != 1 {
			t.Errorf("code redeemed %d times, want once", n)
		}
	})
}

func testReissueCode(t *testing.T, f *fixture) {
	ctx := context.Background()
	c, ident := f.loginAs(t, f.account, "o-reissue", nil)
	tx, err := f.login.GetTransaction(ctx, c.Login.TenantID, c.TransactionID)
	tenantstest.IsErr(t, "GetTransaction", err, nil)
	reissue := func() login.Code {
		next := code(tx, tenantstest.Now().Add(codeLifetime))
		next.IdentityID = tx.IdentityID
		next.OIDC, next.Nonce, next.AuthTime = true, "n-"+opaque.Hex(4), *tx.CompletedAt
		return next
	}

	refusals := []struct {
		name string
		edit func(*login.Code)
	}{
		{name: "another tenant's transaction", edit: func(c *login.Code) { c.TenantID = f.other.TenantID }},
		{name: "unknown transaction", edit: func(c *login.Code) { c.TransactionID = opaque.Hex(16) }},
		{name: "uncompleted transaction", edit: func(c *login.Code) { c.TransactionID = f.openTransaction(t).ID }},
	}
	for _, tc := range refusals {
		t.Run("refused "+tc.name, func(t *testing.T) {
			next := reissue()
			tc.edit(&next)
			tenantstest.IsErr(t, "ReissueCode", f.login.ReissueCode(ctx, next), tenants.ErrNotFound)
			_, _, err := f.login.GetCode(ctx, next.TenantID, next.Hash, c.Login.At)
			tenantstest.IsErr(t, "GetCode of the refused code", err, tenants.ErrNotFound)
		})
	}

	t.Run("replaces the unredeemed code", func(t *testing.T) {
		next := reissue()
		tenantstest.IsErr(t, "ReissueCode", f.login.ReissueCode(ctx, next), nil)
		_, _, err := f.login.GetCode(ctx, c.Code.TenantID, c.Code.Hash, c.Login.At)
		tenantstest.IsErr(t, "GetCode of the old code", err, tenants.ErrNotFound)
		got, gotIdent, err := f.login.GetCode(ctx, next.TenantID, next.Hash, c.Login.At)
		tenantstest.IsErr(t, "GetCode of the new code", err, nil)
		tenantstest.Equal(t, "code", got, next)
		tenantstest.Equal(t, "identity", gotIdent, ident)
	})

	t.Run("after redemption", func(t *testing.T) {
		next := reissue()
		tenantstest.IsErr(t, "ReissueCode", f.login.ReissueCode(ctx, next), nil)
		tenantstest.IsErr(t, "RedeemCode", f.login.RedeemCode(ctx, next.TenantID, next.Hash, c.Login.At), nil)
	})
}
