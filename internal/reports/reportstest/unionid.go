package reportstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// testAccountsWithoutUnionID: of accounts D (identities without unionid),
// E (some with), F (no identities) and G (an identity that gained its
// unionid on a later login), only D is listed. Another tenant whose
// account has E's AppID and no unionid lists E and never D.
func testAccountsWithoutUnionID(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Tenants
	tenantID := tenantstest.NewTenant(t, s).ID
	accounts := newAccounts(t, s, tenantID, 4)
	d, e, g := accounts[0], accounts[1], accounts[3]
	logIn(t, b, d, "d1", "", t0)
	logIn(t, b, d, "d2", "", t0)
	logIn(t, b, e, "e1", "", t0)
	logIn(t, b, e, "e2", "u1", t0)
	logIn(t, b, g, "g1", "", t0)
	logIn(t, b, g, "g1", "u2", t0.Add(1))

	other := e
	other.TenantID = tenantstest.NewTenant(t, s).ID
	tenantstest.IsErr(t, "CreateAccount", s.CreateAccount(ctx, other), nil)
	logIn(t, b, other, "e3", "", t0)

	got, err := b.Reports.AccountsWithoutUnionID(ctx, tenantID)
	tenantstest.IsErr(t, "AccountsWithoutUnionID", err, nil)
	tenantstest.EqualList(t, "AccountsWithoutUnionID", got, []string{d.AppID})

	got, err = b.Reports.AccountsWithoutUnionID(ctx, other.TenantID)
	tenantstest.IsErr(t, "AccountsWithoutUnionID of the other tenant", err, nil)
	tenantstest.EqualList(t, "AccountsWithoutUnionID of the other tenant", got, []string{e.AppID})

	f := newFixture(t, b)
	got, err = b.Reports.AccountsWithoutUnionID(ctx, f.tenantID)
	tenantstest.IsErr(t, "AccountsWithoutUnionID of the fixture", err, nil)
	tenantstest.EqualList(t, "AccountsWithoutUnionID of the fixture", got, nil)
}
