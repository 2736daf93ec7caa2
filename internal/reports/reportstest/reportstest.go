// Package reportstest is the conformance suite of reports.Store: every
// backend runs it against a real database and must produce the same
// numbers. The suite logs people in through the Backend and checks each
// report of a hand-built tenant number by number.
package reportstest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// Backend is what the suite runs against: a new, empty database seen as a
// reports.Store and as a tenants.Store, and a way to log people in to it.
type Backend struct {
	Reports reports.Store
	Tenants tenants.Store
	// Login records l as a completed login does (l's account must exist)
	// and returns the identity.
	Login func(t testing.TB, l tenants.IdentityLogin) tenants.Identity

	// rolledUp, when not nil, has the suite roll up the tenant's days
	// after every login and count the days rolled up.
	rolledUp *int
}

// Run runs the suite. newBackend returns a new, empty backend for each test.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	for _, test := range []struct {
		name string
		run  func(t *testing.T, b Backend)
	}{
		{"Summary", testSummary},
		{"Overlap", testOverlap},
		{"AccountsWithoutUnionID", testAccountsWithoutUnionID},
		{"EmptyTenant", testEmptyTenant},
		{"Persons", testPersons},
		{"Activity", testActivity},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, newBackend(t)) })
		// The same numbers from days rolled up in Shanghai, made again
		// after each login changed one of them.
		t.Run(test.name+"/rolled up", func(t *testing.T) {
			b := newBackend(t)
			b.rolledUp = new(int)
			test.run(t, b)
			if *b.rolledUp == 0 && test.name != "EmptyTenant" {
				t.Errorf("no day was rolled up")
			}
		})
	}
}

// rollUpUntil is when the suite rolls days up to: after every login of
// its tenants.
var rollUpUntil = t0.AddDate(0, 0, 10)

// t0 starts the window the fixture's reports are asked about; the window
// is one day long.
var t0 = time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)

var window = reports.Window{From: t0, To: t0.Add(24 * time.Hour)}

// fixture is a tenant with three accounts (A, B, C, in AppID order) and,
// alongside it, another tenant whose rows must never be counted.
type fixture struct {
	tenantID, otherID string
	a, b, c           tenants.Account
}

// newAccounts creates n accounts of the tenant, ordered by AppID.
func newAccounts(t *testing.T, s tenants.Store, tenantID string, n int) []tenants.Account {
	t.Helper()
	accounts := make([]tenants.Account, n)
	for i := range accounts {
		accounts[i] = tenantstest.NewAccount(t, s, tenantID)
	}
	slices.SortFunc(accounts, func(x, y tenants.Account) int { return strings.Compare(x.AppID, y.AppID) })
	return accounts
}

// logIn logs openid in to account a at at, with unionid (none when empty).
func logIn(t *testing.T, b Backend, a tenants.Account, openid, unionid string, at time.Time) {
	t.Helper()
	b.Login(t, tenants.IdentityLogin{
		TenantID: a.TenantID, AppID: a.AppID, OpenID: openid, UnionID: unionid,
		Scope: tenants.ScopeUserInfo, At: at, IP: "203.0.113.7", UserAgent: "reportstest",
	})
	if b.rolledUp != nil {
		n, err := b.Reports.RollUpDays(context.Background(), a.TenantID, "Asia/Shanghai", rollUpUntil, 100)
		tenantstest.IsErr(t, "RollUpDays", err, nil)
		*b.rolledUp += n
	}
}

// newFixture builds the tenant:
//
//	persons u1–u4 in A and B, u5–u6 in B and C, u7 in A, B and C,
//	u8–u10 only in A; in C, two identities without unionid (n1, n2).
//
// Everyone first logs in two days before the window. In the window:
// u1 in A (at its start, before u1's A identity has a unionid) and in B;
// u7 in A, B and C; u8 twice in A; n1 in C. Just outside it: u2 in A a
// microsecond before, u5 in C at its end. After the window u1's A identity
// gains its unionid.
//
// The other tenant has an account with A's AppID, u1–u7 and an identity
// without unionid, all logging in during the window.
func newFixture(t *testing.T, b Backend) fixture {
	t.Helper()
	s := b.Tenants
	f := fixture{tenantID: tenantstest.NewTenant(t, s).ID, otherID: tenantstest.NewTenant(t, s).ID}
	accounts := newAccounts(t, s, f.tenantID, 3)
	f.a, f.b, f.c = accounts[0], accounts[1], accounts[2]

	before := t0.Add(-48 * time.Hour)
	members := map[string][]tenants.Account{
		"u1": {f.a, f.b}, "u2": {f.a, f.b}, "u3": {f.a, f.b}, "u4": {f.a, f.b},
		"u5": {f.b, f.c}, "u6": {f.b, f.c},
		"u7": {f.a, f.b, f.c},
		"u8": {f.a}, "u9": {f.a}, "u10": {f.a},
	}
	for _, u := range slices.Sorted(maps.Keys(members)) {
		for _, a := range members[u] {
			unionid := u
			if u == "u1" && a.AppID == f.a.AppID {
				unionid = ""
			}
			logIn(t, b, a, openid(a, u), unionid, before)
		}
	}
	logIn(t, b, f.c, openid(f.c, "n1"), "", before)
	logIn(t, b, f.c, openid(f.c, "n2"), "", before)

	logIn(t, b, f.a, openid(f.a, "u1"), "", t0)
	logIn(t, b, f.b, openid(f.b, "u1"), "u1", t0.Add(1*time.Hour))
	for _, a := range []tenants.Account{f.a, f.b, f.c} {
		logIn(t, b, a, openid(a, "u7"), "u7", t0.Add(2*time.Hour))
	}
	logIn(t, b, f.a, openid(f.a, "u8"), "u8", t0.Add(3*time.Hour))
	logIn(t, b, f.a, openid(f.a, "u8"), "u8", t0.Add(4*time.Hour))
	logIn(t, b, f.c, openid(f.c, "n1"), "", t0.Add(5*time.Hour))
	logIn(t, b, f.a, openid(f.a, "u2"), "u2", window.From.Add(-time.Microsecond))
	logIn(t, b, f.c, openid(f.c, "u5"), "u5", window.To)
	logIn(t, b, f.a, openid(f.a, "u1"), "u1", window.To.Add(time.Hour))

	other := f.a
	other.TenantID = f.otherID
	tenantstest.IsErr(t, "CreateAccount", s.CreateAccount(context.Background(), other), nil)
	for _, u := range []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7"} {
		logIn(t, b, other, openid(other, u), u, t0.Add(time.Hour))
	}
	logIn(t, b, other, openid(other, "n1"), "", t0.Add(time.Hour))
	return f
}

// openid is the openid of person u in account a: different in every
// account, as WeChat's are.
func openid(a tenants.Account, u string) string { return "o-" + a.AppID + "-" + u }
