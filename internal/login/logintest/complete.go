package logintest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

func testCompleteLogin(t *testing.T, f *fixture) {
	ctx := context.Background()
	tx := f.openTransaction(t)
	c := Completion(tx, "o-first")
	c.Login.UnionID, c.Login.Nickname, c.Login.AvatarURL = "u-first", "小明", "https://thirdwx.qlogo.cn/a/132"

	ident, err := f.login.CompleteLogin(ctx, c)
	tenantstest.IsErr(t, "CompleteLogin", err, nil)
	if ident.ID == "" {
		t.Fatal("CompleteLogin returned an identity without an ID")
	}
	l := c.Login
	want := tenants.Identity{
		ID: ident.ID, TenantID: l.TenantID, AppID: l.AppID, OpenID: l.OpenID, UnionID: l.UnionID,
		Nickname: l.Nickname, AvatarURL: l.AvatarURL, FirstLoginAt: l.At, LastLoginAt: l.At, LoginCount: 1,
	}
	tenantstest.Equal(t, "identity", ident, want)

	t.Run("transaction completed", func(t *testing.T) {
		got, err := f.login.GetTransaction(ctx, tx.TenantID, tx.ID)
		tenantstest.IsErr(t, "GetTransaction", err, nil)
		tx.CompletedAt, tx.WeChatCodeHash, tx.IdentityID = &l.At, c.WeChatCodeHash, ident.ID
		tenantstest.Equal(t, "transaction", got, tx)
	})
	t.Run("identity stored", func(t *testing.T) {
		got, err := f.tenants.GetIdentity(ctx, l.TenantID, ident.ID)
		tenantstest.IsErr(t, "GetIdentity", err, nil)
		tenantstest.Equal(t, "identity", got, want)
	})
	t.Run("event recorded", func(t *testing.T) {
		got, err := f.tenants.LoginEvents(ctx, l.TenantID, ident.ID)
		tenantstest.IsErr(t, "LoginEvents", err, nil)
		if len(got) != 1 || got[0].ID == "" {
			t.Fatalf("LoginEvents = %+v, want one event with an ID", got)
		}
		tenantstest.Equal(t, "event", got[0], tenants.LoginEvent{
			ID: got[0].ID, TenantID: l.TenantID, AppID: l.AppID, IdentityID: ident.ID, OpenID: l.OpenID,
			UnionID: l.UnionID, Scope: l.Scope, At: l.At, IP: l.IP, UserAgent: l.UserAgent,
		})
	})
	t.Run("code stored with the identity", func(t *testing.T) {
		code, got, err := f.login.GetCode(ctx, c.Code.TenantID, c.Code.Hash, l.At)
		tenantstest.IsErr(t, "GetCode", err, nil)
		wantCode := c.Code
		wantCode.IdentityID = ident.ID
		tenantstest.Equal(t, "code", code, wantCode)
		tenantstest.Equal(t, "identity", got, want)
	})
}

// testCompleteLoginRefused checks every refusal writes nothing: no
// identity, no event, no code, the transaction as it was.
func testCompleteLoginRefused(t *testing.T, f *fixture) {
	ctx := context.Background()
	used := f.openTransaction(t)
	first := Completion(used, "o-used")
	_, err := f.login.CompleteLogin(ctx, first)
	tenantstest.IsErr(t, "CompleteLogin", err, nil)
	otherApp := tenantstest.NewAccount(t, f.tenants, f.account.TenantID)

	tests := []struct {
		name    string
		tx      func(t *testing.T) login.Transaction
		edit    func(*login.Completion)
		wantErr error
	}{
		{
			name:    "second completion of a transaction",
			tx:      func(*testing.T) login.Transaction { return used },
			wantErr: login.ErrTransactionUsed,
		},
		{
			name: "expired transaction",
			tx: func(t *testing.T) login.Transaction {
				return f.transaction(t, f.account, tenantstest.Now().Add(-time.Second))
			},
			wantErr: tenants.ErrNotFound,
		},
		{
			name: "transaction expiring at the login's time",
			tx:   f.openTransaction,
			edit: func(c *login.Completion) {
				tx, _ := f.login.GetTransaction(ctx, c.Login.TenantID, c.TransactionID)
				c.Login.At = tx.ExpiresAt
			},
			wantErr: tenants.ErrNotFound,
		},
		{
			name: "unknown transaction",
			tx: func(*testing.T) login.Transaction {
				return login.Transaction{ID: opaque.Hex(16), TenantID: f.account.TenantID, AppID: f.account.AppID}
			},
			wantErr: tenants.ErrNotFound,
		},
		{
			name: "another tenant's transaction",
			tx:   f.openTransaction,
			edit: func(c *login.Completion) {
				c.Login.TenantID, c.Code.TenantID = f.other.TenantID, f.other.TenantID
			},
			wantErr: tenants.ErrNotFound,
		},
		{
			name: "another account's transaction",
			tx:   f.openTransaction,
			edit: func(c *login.Completion) {
				c.Login.AppID, c.Code.AppID = otherApp.AppID, otherApp.AppID
			},
			wantErr: tenants.ErrNotFound,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := tc.tx(t)
			before, beforeErr := f.login.GetTransaction(ctx, tx.TenantID, tx.ID)
			c := Completion(tx, "o-refused-"+opaque.Hex(4))
			if tc.edit != nil {
				tc.edit(&c)
			}
			_, err := f.login.CompleteLogin(ctx, c)
			tenantstest.IsErr(t, "CompleteLogin", err, tc.wantErr)

			after, afterErr := f.login.GetTransaction(ctx, tx.TenantID, tx.ID)
			if (afterErr == nil) != (beforeErr == nil) {
				t.Errorf("GetTransaction before: %v, after: %v", beforeErr, afterErr)
			}
			tenantstest.Equal(t, "transaction", after, before)
			for _, tenantID := range []string{f.account.TenantID, f.other.TenantID} {
				ids, err := f.tenants.ListIdentities(ctx, tenantID, tenants.IdentityFilter{OpenID: c.Login.OpenID})
				tenantstest.IsErr(t, "ListIdentities", err, nil)
				tenantstest.EqualList(t, "identities", ids, nil)
			}
			_, _, err = f.login.GetCode(ctx, c.Code.TenantID, c.Code.Hash, tenantstest.Now())
			tenantstest.IsErr(t, "GetCode", err, tenants.ErrNotFound)
		})
	}

	t.Run("refused replay leaves the first login alone", func(t *testing.T) {
		ids, err := f.tenants.ListIdentities(ctx, f.account.TenantID, tenants.IdentityFilter{OpenID: first.Login.OpenID})
		tenantstest.IsErr(t, "ListIdentities", err, nil)
		if len(ids) != 1 || ids[0].LoginCount != 1 {
			t.Fatalf("identities = %+v, want one with one login", ids)
		}
		events, err := f.tenants.LoginEvents(ctx, f.account.TenantID, ids[0].ID)
		tenantstest.IsErr(t, "LoginEvents", err, nil)
		if len(events) != 1 {
			t.Errorf("%d login events, want 1", len(events))
		}
	})
}

// testCompleteLoginProfile checks how later logins update an identity.
func testCompleteLoginProfile(t *testing.T, f *fixture) {
	const openid = "o-profile"
	first, ident := f.loginAs(t, f.account, openid, func(l *tenants.IdentityLogin) {
		l.UnionID, l.Nickname, l.AvatarURL = "u-1", "Ming", "https://thirdwx.qlogo.cn/1"
	})
	steps := []struct {
		name                        string
		unionid, nickname, avatar   string
		wantUnion, wantNick, wantAv string
	}{
		{"snsapi_base login keeps the profile", "", "", "", "u-1", "Ming", "https://thirdwx.qlogo.cn/1"},
		{"new values replace old ones", "u-1", "Ming 2", "https://thirdwx.qlogo.cn/2", "u-1", "Ming 2", "https://thirdwx.qlogo.cn/2"},
		{"only the nickname", "", "Ming 3", "", "u-1", "Ming 3", "https://thirdwx.qlogo.cn/2"},
	}
	for i, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			c, got := f.loginAs(t, f.account, openid, func(l *tenants.IdentityLogin) {
				l.UnionID, l.Nickname, l.AvatarURL = step.unionid, step.nickname, step.avatar
			})
			want := ident
			want.UnionID, want.Nickname, want.AvatarURL = step.wantUnion, step.wantNick, step.wantAv
			want.FirstLoginAt, want.LastLoginAt, want.LoginCount = first.Login.At, c.Login.At, int64(i+2)
			tenantstest.Equal(t, "identity", got, want)
		})
	}

	t.Run("same openid, other account, other identity", func(t *testing.T) {
		other := tenantstest.NewAccount(t, f.tenants, f.account.TenantID)
		_, got := f.loginAs(t, other, openid, nil)
		if got.ID == ident.ID || got.LoginCount != 1 || got.UnionID != "" {
			t.Errorf("identity %+v, want a new one (first identity %s)", got, ident.ID)
		}
	})
}

// testCompleteLoginConcurrent completes 100 transactions of one openid at
// once: one identity must count them all.
func testCompleteLoginConcurrent(t *testing.T, f *fixture) {
	ctx := context.Background()
	const n = 100
	completions := make([]login.Completion, n)
	for i := range completions {
		completions[i] = Completion(f.openTransaction(t), "o-concurrent")
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, c := range completions {
		wg.Go(func() { _, errs[i] = f.login.CompleteLogin(ctx, c) })
	}
	wg.Wait()
	for i, err := range errs {
		tenantstest.IsErr(t, "CompleteLogin "+completions[i].TransactionID, err, nil)
	}

	ids, err := f.tenants.ListIdentities(ctx, f.account.TenantID, tenants.IdentityFilter{OpenID: "o-concurrent"})
	tenantstest.IsErr(t, "ListIdentities", err, nil)
	if len(ids) != 1 || ids[0].LoginCount != n {
		t.Fatalf("identities = %+v, want one with %d logins", ids, n)
	}
	events, err := f.tenants.LoginEvents(ctx, f.account.TenantID, ids[0].ID)
	tenantstest.IsErr(t, "LoginEvents", err, nil)
	if len(events) != n {
		t.Errorf("%d login events, want %d", len(events), n)
	}
}
