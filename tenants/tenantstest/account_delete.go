package tenantstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/tenants"
)

// accountRows is what hangs on one account: a client secret, and an
// identity with its login event.
type accountRows struct {
	account  tenants.Account
	secret   tenants.ClientSecret
	identity tenants.Identity
}

func newAccountRows(t *testing.T, b Backend, a tenants.Account) accountRows {
	t.Helper()
	cs := clientSecret(a, Now())
	IsErr(t, "CreateClientSecret", b.Store.CreateClientSecret(context.Background(), cs), nil)
	return accountRows{account: a, secret: cs, identity: logIn(t, b, a, "o-1", "u-1", Now())}
}

// check fails t unless the account and its rows are all there, or none is.
func (r accountRows) check(t *testing.T, s tenants.Store, present bool) {
	t.Helper()
	ctx := context.Background()
	a := r.account
	wantErr, want := tenants.ErrNotFound, 0
	if present {
		wantErr, want = nil, 1
	}
	_, err := s.GetAccount(ctx, a.TenantID, a.AppID)
	IsErr(t, "GetAccount", err, wantErr)
	_, err = s.GetIdentity(ctx, a.TenantID, r.identity.ID)
	IsErr(t, "GetIdentity", err, wantErr)
	secrets, err := s.ListClientSecrets(ctx, a.TenantID, a.AppID)
	IsErr(t, "ListClientSecrets", err, nil)
	events, err := s.LoginEvents(ctx, a.TenantID, r.identity.ID)
	IsErr(t, "LoginEvents", err, nil)
	if len(secrets) != want || len(events) != want {
		t.Errorf("%d client secrets and %d login events, want %d of each", len(secrets), len(events), want)
	}
}

func testDeleteAccount(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	tenantA, tenantB := NewTenant(t, s), NewTenant(t, s)
	a := NewAccount(t, s, tenantA.ID)
	shared := a
	shared.TenantID = tenantB.ID
	IsErr(t, "CreateAccount", s.CreateAccount(ctx, shared), nil)
	deleted := newAccountRows(t, b, a)
	kept := []accountRows{newAccountRows(t, b, NewAccount(t, s, tenantA.ID)), newAccountRows(t, b, shared)}

	IsErr(t, "DeleteAccount", s.DeleteAccount(ctx, a.TenantID, a.AppID), nil)
	t.Run("the account goes with its rows", func(t *testing.T) { deleted.check(t, s, false) })
	t.Run("other accounts keep theirs", func(t *testing.T) {
		for _, r := range kept {
			r.check(t, s, true)
		}
	})

	for _, tc := range []struct{ name, tenantID, appID string }{
		{"twice", a.TenantID, a.AppID},
		{"other tenant's account", tenantB.ID, kept[0].account.AppID},
		{"unknown AppID", a.TenantID, "wx0000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			IsErr(t, "DeleteAccount", s.DeleteAccount(ctx, tc.tenantID, tc.appID), tenants.ErrNotFound)
		})
	}
	t.Run("other tenant's account untouched", func(t *testing.T) { kept[0].check(t, s, true) })
}
