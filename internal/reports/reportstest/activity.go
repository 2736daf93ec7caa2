package reportstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// cst is a date and time in the default zone of activity reports.
func cst(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, reports.Shanghai)
}

// counts is a bucket: its start, new persons, active persons and logins.
type counts struct {
	start                time.Time
	news, active, logins int64
}

func activityOf(appID string, cs ...counts) reports.AccountActivity {
	a := reports.AccountActivity{AppID: appID}
	for _, c := range cs {
		a.Buckets = append(a.Buckets, reports.ActivityBucket{
			Start: c.start, NewPersons: c.news, ActivePersons: c.active, Logins: c.logins,
		})
	}
	return a
}

// testActivity runs the activity report on the fixture, whose days in
// Beijing time are: everyone's first login on the 19th at midnight; u2's
// login at the very end of the 20th; the window's logins on the 21st; u5's
// and u1's logins on the 22nd. On top of it, u11 first logs in to B at
// 23:30 on the 22nd, and again at 00:30 on the 23rd, when it also first
// logs in to C.
func testActivity(t *testing.T, b Backend) {
	ctx := context.Background()
	f := newFixture(t, b)
	logIn(t, b, f.b, openid(f.b, "u11"), "u11", cst(11, 22, 23, 30))
	logIn(t, b, f.b, openid(f.b, "u11"), "u11", cst(11, 23, 0, 30))
	logIn(t, b, f.c, openid(f.c, "u11"), "u11", cst(11, 23, 0, 45))

	days := reports.ActivityQuery{Window: reports.Window{From: cst(11, 19, 0, 0), To: cst(11, 24, 0, 0)}, Interval: reports.Day}
	got, err := b.Reports.Activity(ctx, f.tenantID, days)
	tenantstest.IsErr(t, "Activity by day", err, nil)
	d19, d20, d21, d22, d23 := cst(11, 19, 0, 0), cst(11, 20, 0, 0), cst(11, 21, 0, 0), cst(11, 22, 0, 0), cst(11, 23, 0, 0)
	tenantstest.Equal(t, "Activity by day", got, reports.Activity{
		Total: activityOf("", counts{d19, 12, 12, 20}, counts{d20, 0, 1, 1}, counts{d21, 0, 4, 8},
			counts{d22, 1, 3, 3}, counts{d23, 0, 1, 2}),
		Accounts: []reports.AccountActivity{
			activityOf(f.a.AppID, counts{d19, 8, 8, 8}, counts{d20, 0, 1, 1}, counts{d21, 0, 3, 4},
				counts{d22, 0, 1, 1}, counts{start: d23}),
			activityOf(f.b.AppID, counts{d19, 7, 7, 7}, counts{start: d20}, counts{d21, 0, 2, 2},
				counts{d22, 1, 1, 1}, counts{d23, 0, 1, 1}),
			activityOf(f.c.AppID, counts{d19, 5, 5, 5}, counts{start: d20}, counts{d21, 0, 2, 2},
				counts{d22, 0, 1, 1}, counts{d23, 1, 1, 1}),
		},
	})

	// The 19th and the 23rd are in different weeks, which start on Monday
	// the 16th and the 23rd; a window that starts within a bucket counts
	// the whole bucket.
	weeks := reports.ActivityQuery{Window: reports.Window{From: cst(11, 19, 12, 0), To: cst(11, 23, 0, 1)}, Interval: reports.Week}
	got, err = b.Reports.Activity(ctx, f.tenantID, weeks)
	tenantstest.IsErr(t, "Activity by week", err, nil)
	w16 := cst(11, 16, 0, 0)
	tenantstest.Equal(t, "Activity by week", got, reports.Activity{
		Total: activityOf("", counts{w16, 13, 13, 32}, counts{d23, 0, 1, 2}),
		Accounts: []reports.AccountActivity{
			activityOf(f.a.AppID, counts{w16, 8, 8, 14}, counts{start: d23}),
			activityOf(f.b.AppID, counts{w16, 8, 8, 10}, counts{d23, 0, 1, 1}),
			activityOf(f.c.AppID, counts{w16, 5, 5, 8}, counts{d23, 1, 1, 1}),
		},
	})

	months := reports.ActivityQuery{Window: reports.Window{From: cst(11, 19, 0, 0), To: cst(12, 2, 0, 0)}, Interval: reports.Month}
	got, err = b.Reports.Activity(ctx, f.tenantID, months)
	tenantstest.IsErr(t, "Activity by month", err, nil)
	nov, dec := cst(11, 1, 0, 0), cst(12, 1, 0, 0)
	tenantstest.Equal(t, "Activity by month", got, reports.Activity{
		Total: activityOf("", counts{nov, 13, 13, 34}, counts{start: dec}),
		Accounts: []reports.AccountActivity{
			activityOf(f.a.AppID, counts{nov, 8, 8, 14}, counts{start: dec}),
			activityOf(f.b.AppID, counts{nov, 8, 8, 11}, counts{start: dec}),
			activityOf(f.c.AppID, counts{nov, 6, 6, 9}, counts{start: dec}),
		},
	})

	// The other tenant's identities all log in once, at 01:00 on the 21st.
	got, err = b.Reports.Activity(ctx, f.otherID, days)
	tenantstest.IsErr(t, "Activity of the other tenant", err, nil)
	other := activityOf("", counts{start: d19}, counts{start: d20}, counts{d21, 8, 8, 8}, counts{start: d22}, counts{start: d23})
	tenantstest.Equal(t, "Activity of the other tenant", got.Total, other)
	other.AppID = f.a.AppID
	tenantstest.Equal(t, "Activity of the other tenant", got.Accounts, []reports.AccountActivity{other})

	got, err = b.Reports.Activity(ctx, "t-unknown", days)
	tenantstest.IsErr(t, "Activity of an unknown tenant", err, nil)
	tenantstest.Equal(t, "Activity of an unknown tenant", got.Total,
		activityOf("", counts{start: d19}, counts{start: d20}, counts{start: d21}, counts{start: d22}, counts{start: d23}))
	tenantstest.EqualList(t, "Activity of an unknown tenant", got.Accounts, nil)

	days.Interval = "year"
	_, err = b.Reports.Activity(ctx, f.tenantID, days)
	tenantstest.IsErr(t, "Activity by year", err, tenants.ErrInvalid)
}
