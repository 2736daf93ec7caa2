package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/reports"
)

// activitySQL counts, per bucket and account, the tenant's logins, and
// how many of them were the first of their identity (new persons of the
// account), the first of their person (new persons of the tenant), and the
// first in the bucket of their identity and of their person (active
// persons). %s is the buckets table b(idx, start_at, end_at); ?0 is the
// tenant and ?1 its accounts. It reads the events' index a bucket and an
// account at a time.
const activitySQL = `
WITH b(idx, start_at, end_at) AS (
	VALUES %s
)
SELECT b.idx, e.app_id, COUNT(*) AS logins,
	COUNT(*) FILTER (WHERE e.account_prev_at IS NULL) AS new_persons,
	COUNT(*) FILTER (WHERE e.account_prev_at IS NULL OR e.account_prev_at < b.start_at) AS active_persons,
	COUNT(*) FILTER (WHERE e.person_prev_at IS NULL) AS new_in_tenant,
	COUNT(*) FILTER (WHERE e.person_prev_at IS NULL OR e.person_prev_at < b.start_at) AS active_in_tenant
FROM b
JOIN login_events AS e ON e.tenant_id = ?0 AND e.app_id IN (?1) AND e.at >= b.start_at AND e.at < b.end_at
GROUP BY b.idx, e.app_id`

type activityRow struct {
	Idx            int    `bun:"idx"`
	AppID          string `bun:"app_id"`
	Logins         int64  `bun:"logins"`
	NewPersons     int64  `bun:"new_persons"`
	ActivePersons  int64  `bun:"active_persons"`
	NewInTenant    int64  `bun:"new_in_tenant"`
	ActiveInTenant int64  `bun:"active_in_tenant"`
}

// Activity implements reports.Store.
func (db *DB) Activity(ctx context.Context, tenantID string, q reports.ActivityQuery) (reports.Activity, error) {
	if err := q.Validate(); err != nil {
		return reports.Activity{}, fmt.Errorf("store: activity report: %w", err)
	}
	starts := q.Buckets()
	ends := append(starts[1:len(starts):len(starts)], q.Next(starts[len(starts)-1]))
	// PostgreSQL reads the bounds, literals in VALUES, as text unless told.
	bound := "?%d"
	if db.Dialect() == DialectPostgres {
		bound = "CAST(?%d AS TIMESTAMPTZ)"
	}
	values := make([]string, len(starts))
	args := []any{tenantID, nil} // ?1, the accounts, once read
	for i := range starts {
		values[i] = fmt.Sprintf("(%d, "+bound+", "+bound+")", i, len(args), len(args)+1)
		args = append(args, starts[i], ends[i])
	}
	query := fmt.Sprintf(activitySQL, strings.Join(values, ", "))
	var a reports.Activity
	err := db.reportTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		appIDs, err := tenantAppIDs(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		args[1] = bun.In(appIDs)
		var rows []activityRow
		if err := tx.NewRaw(query, args...).Scan(ctx, &rows); err != nil {
			return err
		}
		a = emptyActivity(appIDs, starts)
		for _, r := range rows {
			i, _ := slices.BinarySearch(appIDs, r.AppID)
			b, t := &a.Accounts[i].Buckets[r.Idx], &a.Total.Buckets[r.Idx]
			b.Logins, b.NewPersons, b.ActivePersons = r.Logins, r.NewPersons, r.ActivePersons
			t.Logins += r.Logins
			t.NewPersons += r.NewInTenant
			t.ActivePersons += r.ActiveInTenant
		}
		return nil
	})
	if err != nil {
		return reports.Activity{}, wrap("activity report", err)
	}
	return a, nil
}

// emptyActivity is the activity of the tenant's accounts appIDs, and of
// the tenant, in buckets starting at starts, all zero.
func emptyActivity(appIDs []string, starts []time.Time) reports.Activity {
	buckets := func(appID string) reports.AccountActivity {
		a := reports.AccountActivity{AppID: appID, Buckets: make([]reports.ActivityBucket, len(starts))}
		for i, start := range starts {
			a.Buckets[i].Start = start
		}
		return a
	}
	a := reports.Activity{Total: buckets(""), Accounts: make([]reports.AccountActivity, len(appIDs))}
	for i, appID := range appIDs {
		a.Accounts[i] = buckets(appID)
	}
	return a
}
