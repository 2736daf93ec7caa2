package reportstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// testPersons checks persons of the fixture one by one, pages through
// them, filters them by account and keeps the other tenant's apart.
func testPersons(t *testing.T, b Backend) {
	ctx := context.Background()
	f := newFixture(t, b)
	before := t0.Add(-48 * time.Hour)
	acc := func(a tenants.Account, u string) reports.PersonAccount {
		return reports.PersonAccount{AppID: a.AppID, OpenID: openid(a, u)}
	}
	want := map[string]reports.Person{
		// u1's A identity gained its unionid after the window; its earlier
		// logins count.
		"u1": {UnionID: "u1", Accounts: []reports.PersonAccount{acc(f.a, "u1"), acc(f.b, "u1")},
			FirstAppID: f.a.AppID, FirstLoginAt: before, LastLoginAt: window.To.Add(time.Hour), Logins: 5},
		"u2": {UnionID: "u2", Accounts: []reports.PersonAccount{acc(f.a, "u2"), acc(f.b, "u2")},
			FirstAppID: f.a.AppID, FirstLoginAt: before, LastLoginAt: window.From.Add(-time.Microsecond), Logins: 3},
		"u5": {UnionID: "u5", Accounts: []reports.PersonAccount{acc(f.b, "u5"), acc(f.c, "u5")},
			FirstAppID: f.b.AppID, FirstLoginAt: before, LastLoginAt: window.To, Logins: 3},
		"u7": {UnionID: "u7", Accounts: []reports.PersonAccount{acc(f.a, "u7"), acc(f.b, "u7"), acc(f.c, "u7")},
			FirstAppID: f.a.AppID, FirstLoginAt: before, LastLoginAt: t0.Add(2 * time.Hour), Logins: 6},
		"u8": {UnionID: "u8", Accounts: []reports.PersonAccount{acc(f.a, "u8")},
			FirstAppID: f.a.AppID, FirstLoginAt: before, LastLoginAt: t0.Add(4 * time.Hour), Logins: 3},
		"u10": {UnionID: "u10", Accounts: []reports.PersonAccount{acc(f.a, "u10")},
			FirstAppID: f.a.AppID, FirstLoginAt: before, LastLoginAt: before, Logins: 1},
	}
	for u, p := range want {
		got, err := b.Reports.Person(ctx, f.tenantID, u)
		tenantstest.IsErr(t, "Person "+u, err, nil)
		tenantstest.Equal(t, "Person "+u, got, p)
	}

	all := pagePersons(t, b, f.tenantID, reports.PersonFilter{Page: tenants.Page{Limit: 3}},
		[][]string{{"u1", "u10", "u2"}, {"u3", "u4", "u5"}, {"u6", "u7", "u8"}, {"u9"}})
	for _, p := range all {
		if w, ok := want[p.UnionID]; ok {
			tenantstest.Equal(t, "Persons "+p.UnionID, p, w)
		}
	}
	got, err := b.Reports.Persons(ctx, f.tenantID, reports.PersonFilter{})
	tenantstest.IsErr(t, "Persons", err, nil)
	tenantstest.Equal(t, "Persons in one default page", got, all)
	tenantstest.Equal(t, "EachPerson", eachPerson(t, b, f.tenantID, reports.PersonFilter{}), all)
	tenantstest.Equal(t, "EachPerson by 3", eachPerson(t, b, f.tenantID, reports.PersonFilter{Page: tenants.Page{Limit: 3}}), all)

	inA := reports.PersonFilter{AppID: f.a.AppID, Page: tenants.Page{Limit: 3}}
	byA := pagePersons(t, b, f.tenantID, inA, [][]string{{"u1", "u10", "u2"}, {"u3", "u4", "u7"}, {"u8", "u9"}})
	tenantstest.Equal(t, "EachPerson in A", eachPerson(t, b, f.tenantID, inA), byA)
	inC := reports.PersonFilter{AppID: f.c.AppID, Page: tenants.Page{Limit: 3}}
	byC := pagePersons(t, b, f.tenantID, inC, [][]string{{"u5", "u6", "u7"}})
	tenantstest.Equal(t, "Persons in C", byC[0], want["u5"])
	tenantstest.Equal(t, "Persons in C", byC[2], want["u7"])
	tenantstest.Equal(t, "EachPerson in C", eachPerson(t, b, f.tenantID, inC), byC)

	for _, u := range []string{"u11", ""} {
		_, err := b.Reports.Person(ctx, f.tenantID, u)
		tenantstest.IsErr(t, "Person of unknown "+u, err, tenants.ErrNotFound)
	}

	// The other tenant has u1–u7 in an account with A's AppID and the
	// same openids; neither tenant sees the other's.
	pagePersons(t, b, f.otherID, reports.PersonFilter{Page: tenants.Page{Limit: 3}},
		[][]string{{"u1", "u2", "u3"}, {"u4", "u5", "u6"}, {"u7"}})
	at := t0.Add(time.Hour)
	got1, err := b.Reports.Person(ctx, f.otherID, "u1")
	tenantstest.IsErr(t, "Person u1 of the other tenant", err, nil)
	tenantstest.Equal(t, "Person u1 of the other tenant", got1, reports.Person{
		UnionID: "u1", Accounts: []reports.PersonAccount{acc(f.a, "u1")},
		FirstAppID: f.a.AppID, FirstLoginAt: at, LastLoginAt: at, Logins: 1,
	})
	_, err = b.Reports.Person(ctx, f.otherID, "u8")
	tenantstest.IsErr(t, "Person u8 of the other tenant", err, tenants.ErrNotFound)
	none, err := b.Reports.Persons(ctx, f.otherID, reports.PersonFilter{AppID: f.b.AppID})
	tenantstest.IsErr(t, "Persons of the other tenant in B", err, nil)
	tenantstest.EqualList(t, "Persons of the other tenant in B", none, nil)
	none, err = b.Reports.Persons(ctx, "t-unknown", reports.PersonFilter{})
	tenantstest.IsErr(t, "Persons of an unknown tenant", err, nil)
	tenantstest.EqualList(t, "Persons of an unknown tenant", none, nil)

	stop := errors.New("stop")
	var n int
	err = b.Reports.EachPerson(ctx, f.tenantID, reports.PersonFilter{Page: tenants.Page{Limit: 3}},
		func(reports.Person) error {
			n++
			if n == 4 {
				return stop
			}
			return nil
		})
	tenantstest.IsErr(t, "EachPerson stopped", err, stop)
	tenantstest.Equal(t, "persons before EachPerson stopped", n, 4)
}

// pagePersons pages through the persons f selects, following the cursor
// from f.Page.After, checks each page holds the unionids of want, and
// returns all the persons.
func pagePersons(t *testing.T, b Backend, tenantID string, f reports.PersonFilter, want [][]string) []reports.Person {
	t.Helper()
	var all []reports.Person
	for i := 0; ; i++ {
		page, err := b.Reports.Persons(context.Background(), tenantID, f)
		tenantstest.IsErr(t, "Persons", err, nil)
		if len(page) == 0 {
			tenantstest.Equal(t, "pages", i, len(want))
			return all
		}
		if i == len(want) {
			t.Fatalf("Persons after %q: got %d more persons, want none", f.Page.After, len(page))
		}
		unionids := make([]string, len(page))
		for j, p := range page {
			unionids[j] = p.UnionID
		}
		tenantstest.Equal(t, "Persons after "+f.Page.After, unionids, want[i])
		all = append(all, page...)
		f.Page.After = page[len(page)-1].UnionID
	}
}

// eachPerson returns the persons EachPerson yields.
func eachPerson(t *testing.T, b Backend, tenantID string, f reports.PersonFilter) []reports.Person {
	t.Helper()
	var got []reports.Person
	err := b.Reports.EachPerson(context.Background(), tenantID, f, func(p reports.Person) error {
		got = append(got, p)
		return nil
	})
	tenantstest.IsErr(t, "EachPerson", err, nil)
	return got
}
