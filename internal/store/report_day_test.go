package store_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	_ "time/tzdata" // the zones below wherever the tests run

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// TestLocalDays checks that the SQL of the rollups numbers days as Go does,
// in zones with daylight saving time, with half- and quarter-hour offsets,
// and with clocks that skip midnight, for random times and the seconds
// around each of their transitions.
func TestLocalDays(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		db := openMigrated(t, url)
		rng := rand.New(rand.NewPCG(12, 2))
		lo, hi := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, zone := range []string{"Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
			"Australia/Lord_Howe", "America/Havana", "Pacific/Chatham", "America/St_Johns"} {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			times := []time.Time{lo, hi}
			for range 200 {
				times = append(times, lo.Add(time.Duration(rng.Int64N(int64(hi.Sub(lo))))).Truncate(time.Microsecond))
			}
			for at := lo.In(loc); ; {
				_, end := at.ZoneBounds()
				if end.IsZero() || end.After(hi) {
					break
				}
				times = append(times, end.Add(-time.Microsecond), end, end.Add(time.Second))
				at = end
			}
			inSQL, inGo, err := db.LocalDays(context.Background(), times, zone)
			if err != nil {
				t.Fatalf("%s: %v", zone, err)
			}
			for i := range times {
				if inSQL[i] != inGo[i] {
					t.Errorf("%s: day of %v is %d in SQL, %d in Go", zone, times[i], inSQL[i], inGo[i])
				}
			}
		}
	})
}

// TestRollUp rolls up the days of each tenant that ended an hour or more
// ago, in the tenant's time zone, once: a second round finds nothing to
// do, until a late login changes a day.
func TestRollUp(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		ctx := context.Background()
		db := openMigrated(t, url)
		now := time.Now().UTC().Truncate(time.Microsecond)
		var ts []tenants.Tenant
		var today time.Time
		for _, zone := range []string{reports.DefaultTimeZone, "America/Los_Angeles"} {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			y, m, d := now.Add(-time.Hour).In(loc).Date()
			today = time.Date(y, m, d, 0, 0, 0, 0, loc) // the last day that has not ended an hour ago
			tenant := tenantstest.NewTenant(t, db)
			tenant.TimeZone = zone
			tenantstest.IsErr(t, "UpdateTenant", db.UpdateTenant(ctx, tenant), nil)
			a := tenantstest.NewAccount(t, db, tenant.ID)
			for _, at := range []time.Time{today.AddDate(0, 0, -3).Add(time.Hour), today.AddDate(0, 0, -1).Add(time.Hour), now} {
				logIn(db)(t, tenants.IdentityLogin{TenantID: tenant.ID, AppID: a.AppID, OpenID: "o1", Scope: tenants.ScopeBase, At: at})
			}
			ts = append(ts, tenant)
		}
		n, err := reports.RollUp(ctx, db, ts, now)
		tenantstest.IsErr(t, "RollUp", err, nil)
		if n != 6 {
			t.Errorf("RollUp rolled up %d days, want the 3 days of each tenant since its first login", n)
		}
		n, err = reports.RollUp(ctx, db, ts, now)
		if err != nil || n != 0 {
			t.Errorf("RollUp again = %d, %v; want 0 days", n, err)
		}
		// The second tenant's days are Los Angeles days: rolling them up in
		// that zone finds them done.
		if n, err := db.RollUpDays(ctx, ts[1].ID, "America/Los_Angeles", now, reports.RollUpPerRound); err != nil || n != 0 {
			t.Errorf("RollUpDays in the tenant's own zone after RollUp = %d, %v; want 0 days", n, err)
		}
		a, err := db.ListAccounts(ctx, ts[1].ID, tenants.Page{})
		tenantstest.IsErr(t, "ListAccounts", err, nil)
		logIn(db)(t, tenants.IdentityLogin{TenantID: ts[1].ID, AppID: a[0].AppID, OpenID: "o2", Scope: tenants.ScopeBase, At: today.AddDate(0, 0, -2)})
		n, err = reports.RollUp(ctx, db, ts, now)
		if err != nil || n != 1 {
			t.Errorf("RollUp after a late login = %d, %v; want the day it changed", n, err)
		}
	})
}
