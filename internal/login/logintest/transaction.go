package logintest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func testTransactions(t *testing.T, f *fixture) {
	ctx := context.Background()
	open := f.openTransaction(t)
	expired := f.transaction(t, f.account, tenantstest.Now().Add(-time.Second))
	pkce := login.Transaction{
		ID:            opaque.Hex(16),
		TenantID:      f.account.TenantID,
		AppID:         f.account.AppID,
		RedirectURI:   f.account.RedirectURIs[1],
		Scope:         tenants.ScopeUserInfo,
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		OIDC:          true,
		Nonce:         "n-0S6_WzA2Mj",
		CreatedAt:     tenantstest.Now(),
		ExpiresAt:     tenantstest.Now().Add(txLifetime),
	}
	tenantstest.IsErr(t, "CreateTransaction", f.login.CreateTransaction(ctx, pkce), nil)

	gets := []struct {
		name         string
		tenantID, id string
		want         login.Transaction
		wantErr      error
	}{
		{name: "round trip", tenantID: open.TenantID, id: open.ID, want: open},
		{name: "PKCE, OpenID Connect, no state, round trip", tenantID: pkce.TenantID, id: pkce.ID, want: pkce},
		{name: "expired is still returned", tenantID: expired.TenantID, id: expired.ID, want: expired},
		{name: "unknown", tenantID: open.TenantID, id: opaque.Hex(16), wantErr: tenants.ErrNotFound},
		{name: "other tenant", tenantID: f.other.TenantID, id: open.ID, wantErr: tenants.ErrNotFound},
	}
	for _, tc := range gets {
		t.Run("get "+tc.name, func(t *testing.T) {
			got, err := f.login.GetTransaction(ctx, tc.tenantID, tc.id)
			tenantstest.IsErr(t, "GetTransaction", err, tc.wantErr)
			if tc.wantErr == nil {
				tenantstest.Equal(t, "GetTransaction", got, tc.want)
			}
		})
	}

	dup := pkce
	dup.TenantID = f.other.TenantID
	unknownAccount := open
	unknownAccount.ID, unknownAccount.AppID = opaque.Hex(16), "wx0000000000000000"
	creates := []struct {
		name    string
		tx      login.Transaction
		wantErr error
	}{
		{name: "duplicate ID, even in another tenant", tx: dup, wantErr: tenants.ErrConflict},
		{name: "unknown account", tx: unknownAccount, wantErr: tenants.ErrNotFound},
	}
	for _, tc := range creates {
		t.Run("create "+tc.name, func(t *testing.T) {
			tenantstest.IsErr(t, "CreateTransaction", f.login.CreateTransaction(ctx, tc.tx), tc.wantErr)
		})
	}
}

func testDeleteExpired(t *testing.T, f *fixture) {
	ctx := context.Background()
	now := tenantstest.Now()
	expired := f.transaction(t, f.account, now.Add(-time.Second))
	// A completed, unexpired transaction whose code expired.
	stale := f.openTransaction(t)
	c := Completion(stale, "o-stale")
	c.Code.ExpiresAt = now.Add(-time.Second)
	_, err := f.login.CompleteLogin(ctx, c)
	tenantstest.IsErr(t, "CompleteLogin", err, nil)
	live, ident := f.loginAs(t, f.account, "o-live", nil)
	oldRefresh := f.refreshToken(t, ident, now.Add(-time.Second))
	liveRefresh := f.refreshToken(t, ident, now.Add(time.Hour))

	n, err := f.login.DeleteExpired(ctx, now)
	tenantstest.IsErr(t, "DeleteExpired", err, nil)
	if n != 3 {
		t.Errorf("DeleteExpired removed %d rows, want 3 (a transaction, a code and a refresh token)", n)
	}
	_, err = f.login.GetRefreshToken(ctx, oldRefresh.TenantID, oldRefresh.Hash)
	tenantstest.IsErr(t, "GetRefreshToken expired", err, tenants.ErrNotFound)
	_, err = f.login.GetRefreshToken(ctx, liveRefresh.TenantID, liveRefresh.Hash)
	tenantstest.IsErr(t, "GetRefreshToken live", err, nil)
	_, err = f.login.GetTransaction(ctx, expired.TenantID, expired.ID)
	tenantstest.IsErr(t, "GetTransaction expired", err, tenants.ErrNotFound)
	_, err = f.login.GetTransaction(ctx, stale.TenantID, stale.ID)
	tenantstest.IsErr(t, "GetTransaction of the expired code", err, nil)
	_, _, err = f.login.GetCode(ctx, live.Code.TenantID, live.Code.Hash, now)
	tenantstest.IsErr(t, "GetCode live", err, nil)

	n, err = f.login.DeleteExpired(ctx, now)
	tenantstest.IsErr(t, "DeleteExpired again", err, nil)
	if n != 0 {
		t.Errorf("DeleteExpired again removed %d rows, want 0", n)
	}
}
