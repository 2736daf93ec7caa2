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

// bucketLoginsSQL counts, in one bucket of time [?%[2]d, ?%[3]d) and per
// account, the tenant's (?0) logins in its accounts (?1), and how many of
// them were the first of their identity (new persons of the account), the
// first of their person (new persons of the tenant), and the first in the
// bucket of their identity and of their person (active persons). It reads
// the events' index an account at a time, in time order, so the database
// streams the counts without sorting the events.
const bucketLoginsSQL = `
SELECT %[1]d AS idx, e.app_id, COUNT(*) AS logins,
	COUNT(*) FILTER (WHERE e.account_prev_at IS NULL) AS new_persons,
	COUNT(*) FILTER (WHERE e.account_prev_at IS NULL OR e.account_prev_at < ?%[2]d) AS active_persons,
	COUNT(*) FILTER (WHERE e.person_prev_at IS NULL) AS new_in_tenant,
	COUNT(*) FILTER (WHERE e.person_prev_at IS NULL OR e.person_prev_at < ?%[2]d) AS active_in_tenant
FROM login_events AS e
WHERE e.tenant_id = ?0 AND e.app_id IN (?1) AND e.at >= ?%[2]d AND e.at < ?%[3]d
GROUP BY e.app_id`

type bucketLoginsRow struct {
	Idx            int    `bun:"idx"`
	AppID          string `bun:"app_id"`
	Logins         int64  `bun:"logins"`
	NewPersons     int64  `bun:"new_persons"`
	ActivePersons  int64  `bun:"active_persons"`
	NewInTenant    int64  `bun:"new_in_tenant"`
	ActiveInTenant int64  `bun:"active_in_tenant"`
}

// bucketLogins counts the logins of the tenant's accounts appIDs in the
// buckets [bounds[i], bounds[i+1]): one row per bucket and account with
// logins. One statement, a UNION ALL of one query per bucket (SQLite allows
// 500, more than reports.MaxBuckets).
func bucketLogins(ctx context.Context, tx bun.Tx, tenantID string, appIDs []string, bounds []time.Time) ([]bucketLoginsRow, error) {
	queries := make([]string, len(bounds)-1)
	args := []any{tenantID, bun.In(appIDs)}
	for i := range queries {
		queries[i] = fmt.Sprintf(bucketLoginsSQL, i, len(args), len(args)+1)
		args = append(args, bounds[i], bounds[i+1])
	}
	var rows []bucketLoginsRow
	err := tx.NewRaw(strings.Join(queries, "\nUNION ALL"), args...).Scan(ctx, &rows)
	return rows, err
}

// Activity implements reports.Store.
func (db *DB) Activity(ctx context.Context, tenantID string, q reports.ActivityQuery) (reports.Activity, error) {
	if err := q.Validate(); err != nil {
		return reports.Activity{}, fmt.Errorf("store: activity report: %w", err)
	}
	starts := q.Buckets()
	bounds := append(slices.Clip(starts), q.Next(starts[len(starts)-1]))
	var a reports.Activity
	err := db.reportTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		appIDs, err := tenantAppIDs(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		rows, err := bucketLogins(ctx, tx, tenantID, appIDs, bounds)
		if err != nil {
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
