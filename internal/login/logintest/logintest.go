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

// Lifetimes of the fixtures' transactions and codes.
const (
	txLifetime   = 10 * time.Minute
	codeLifetime = time.Minute
)

// Run runs the suite. newStores returns new, empty stores for each test,
// both over the same data.
func Run(t *testing.T, newStores func(t *testing.T) (tenants.Store, login.Store)) {
	for _, test := range []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"Transactions", testTransactions},
		{"CompleteLogin", testCompleteLogin},
		{"CompleteLoginRefused", testCompleteLoginRefused},
		{"CompleteLoginProfile", testCompleteLoginProfile},
		{"CompleteLoginConcurrent", testCompleteLoginConcurrent},
		{"RedeemCode", testRedeemCode},
		{"ReissueCode", testReissueCode},
		{"DeleteExpired", testDeleteExpired},
		{"RefreshTokens", testRefreshTokens},
		{"RotateRefreshToken", testRotateRefreshToken},
		{"RefreshTokenReuse", testRefreshTokenReuse},
		{"RefreshTokenReuseUnderConcurrency", testRefreshTokenConcurrentReuse},
		{"RevokeRefreshFamily", testRevokeRefreshFamily},
		{"Identities", testIdentities},
		{"LoginEvents", testLoginEvents},
	} {
		t.Run(test.name, func(t *testing.T) {
			ts, ls := newStores(t)
			test.run(t, newFixture(t, ts, ls))
		})
	}
}

// fixture is a tenant with an account, and a second tenant that registered
// the same official account: every lookup of the first tenant's rows with
// the second's ID must miss.
type fixture struct {
	tenants tenants.Store
	login   login.Store
	account tenants.Account
	other   tenants.Account
}

func newFixture(t *testing.T, ts tenants.Store, ls login.Store) *fixture {
	f := &fixture{tenants: ts, login: ls}
	f.account = tenantstest.NewAccount(t, ts, tenantstest.NewTenant(t, ts).ID)
	f.other = f.account
	f.other.TenantID = tenantstest.NewTenant(t, ts).ID
	if err := ts.CreateAccount(context.Background(), f.other); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	return f
}

// Transaction is a new login transaction of a that expires at expires.
func Transaction(a tenants.Account, expires time.Time) login.Transaction {
	return login.Transaction{
		ID:          opaque.Hex(16),
		TenantID:    a.TenantID,
		AppID:       a.AppID,
		RedirectURI: a.RedirectURIs[0],
		State:       "tenant-state-" + opaque.Hex(4),
		Scope:       tenants.ScopeBase,
		CreatedAt:   expires.Add(-txLifetime),
		ExpiresAt:   expires,
	}
}

// transaction creates a login transaction of a that expires at expires.
func (f *fixture) transaction(t *testing.T, a tenants.Account, expires time.Time) login.Transaction {
	t.Helper()
	tx := Transaction(a, expires)
	tenantstest.IsErr(t, "CreateTransaction", f.login.CreateTransaction(context.Background(), tx), nil)
	return tx
}

// openTransaction creates a transaction of the fixture's account that
// expires in ten minutes.
func (f *fixture) openTransaction(t *testing.T) login.Transaction {
	t.Helper()
	return f.transaction(t, f.account, tenantstest.Now().Add(txLifetime))
}

// Completion completes tx for openid now, with a code valid for a minute.
func Completion(tx login.Transaction, openid string) login.Completion {
	now := tenantstest.Now()
	return login.Completion{
		TransactionID:  tx.ID,
		WeChatCodeHash: opaque.Hash(opaque.New("", 16)),
		Login: tenants.IdentityLogin{
			TenantID:  tx.TenantID,
			AppID:     tx.AppID,
			OpenID:    openid,
			Scope:     tx.Scope,
			At:        now,
			IP:        "203.0.113.7",
			UserAgent: "Mozilla/5.0 MicroMessenger/8.0",
		},
		Code: code(tx, now.Add(codeLifetime)),
	}
}

// code is a new code of tx, without its identity, that expires at expires.
func code(tx login.Transaction, expires time.Time) login.Code {
	return login.Code{
		Hash:          opaque.Hash(opaque.New("", 32)),
		TenantID:      tx.TenantID,
		AppID:         tx.AppID,
		TransactionID: tx.ID,
		RedirectURI:   tx.RedirectURI,
		CodeChallenge: tx.CodeChallenge,
		Scope:         tx.Scope,
		ExpiresAt:     expires,
	}
}

// loginAs completes a new transaction of a for openid and returns the
// completion and the identity.
func (f *fixture) loginAs(t *testing.T, a tenants.Account, openid string, edit func(*tenants.IdentityLogin)) (login.Completion, tenants.Identity) {
	t.Helper()
	c := Completion(f.transaction(t, a, tenantstest.Now().Add(txLifetime)), openid)
	if edit != nil {
		edit(&c.Login)
	}
	ident, err := f.login.CompleteLogin(context.Background(), c)
	tenantstest.IsErr(t, "CompleteLogin", err, nil)
	return c, ident
}
