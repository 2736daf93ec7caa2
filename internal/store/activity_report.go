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

// bucketLoginsSQL counts, per account, the tenant's (?0) logins in its
// accounts (?1) from ?%[2]d to ?%[3]d, in the bucket %[1]d, in its part
// that starts at ?%[4]d, and how many of them were the first of their identity (new
// persons of the account), the first of their person (new persons of the
// tenant), and the first in the bucket of their identity and of their
// person (active persons). It reads the events' index an account at a
// time, in time order, so the database streams the counts without sorting
// the events.
const bucketLoginsSQL = `
SELECT %[1]d AS idx, e.app_id, COUNT(*) AS logins,
	COUNT(*) FILTER (WHERE e.account_prev_at IS NULL) AS new_persons,
	COUNT(*) FILTER (WHERE e.account_prev_at IS NULL OR e.account_prev_at < ?%[4]d) AS active_persons,
	COUNT(*) FILTER (WHERE e.person_prev_at IS NULL) AS new_in_tenant,
	COUNT(*) FILTER (WHERE e.person_prev_at IS NULL OR e.person_prev_at < ?%[4]d) AS active_in_tenant
FROM login_events AS e
WHERE e.tenant_id = ?0 AND e.app_id IN (?1) AND e.at >= ?%[2]d AND e.at < ?%[3]d
GROUP BY e.app_id`

// bucketCellsSQL counts the same from the cells of the tenant's (?0)
// rolled-up days ?%[2]d to ?%[3]d, part of the bucket %[1]d that starts on
// day ?%[4]d.
const bucketCellsSQL = `
SELECT %[1]d AS idx, c.app_id,
	COALESCE(SUM(c.logins) FILTER (WHERE c.kind = 'a'), 0) AS logins,
	COALESCE(SUM(c.logins) FILTER (WHERE c.kind = 'a' AND c.prev_day IS NULL), 0) AS new_persons,
	COALESCE(SUM(c.logins) FILTER (WHERE c.kind = 'a' AND (c.prev_day IS NULL OR c.prev_day < ?%[4]d)), 0) AS active_persons,
	COALESCE(SUM(c.logins) FILTER (WHERE c.kind = 'p' AND c.prev_day IS NULL), 0) AS new_in_tenant,
	COALESCE(SUM(c.logins) FILTER (WHERE c.kind = 'p' AND (c.prev_day IS NULL OR c.prev_day < ?%[4]d)), 0) AS active_in_tenant
FROM report_cells AS c
WHERE c.tenant_id = ?0 AND c.app_id IN (?1) AND c.day >= ?%[2]d AND c.day <= ?%[3]d
GROUP BY c.app_id`

// bucketOverlapSQL counts, negated, the persons active in both the first
// part ?%[2]d to ?%[3]d of the bucket %[1]d and its rest, up to ?%[4]d:
// those whose first login in the first part (its previous login before
// ?%[2]d) is followed by one in the rest, of their identity (active
// persons of the account) and of their person (active persons of the
// tenant). Each probes the events' index by identity, and for a person
// its identities by unionid.
const bucketOverlapSQL = `
SELECT %[1]d AS idx, e.app_id, 0 AS logins, 0 AS new_persons,
	-COALESCE(SUM(CASE WHEN e.account_prev_at IS NULL OR e.account_prev_at < ?%[2]d THEN
		CASE WHEN EXISTS (SELECT 1 FROM login_events AS x
			WHERE x.tenant_id = ?0 AND x.identity_id = e.identity_id AND x.at >= ?%[3]d AND x.at < ?%[4]d)
		THEN 1 ELSE 0 END ELSE 0 END), 0) AS active_persons,
	0 AS new_in_tenant,
	-COALESCE(SUM(CASE WHEN e.person_prev_at IS NULL OR e.person_prev_at < ?%[2]d THEN
		CASE WHEN EXISTS (SELECT 1 FROM login_events AS x
			WHERE x.tenant_id = ?0 AND x.identity_id = e.identity_id AND x.at >= ?%[3]d AND x.at < ?%[4]d)
		OR (i.unionid IS NOT NULL AND EXISTS (SELECT 1 FROM identities AS u
			JOIN login_events AS x ON x.tenant_id = u.tenant_id AND x.identity_id = u.id AND x.at >= ?%[3]d AND x.at < ?%[4]d
			WHERE u.tenant_id = ?0 AND u.unionid = i.unionid))
		THEN 1 ELSE 0 END ELSE 0 END), 0) AS active_in_tenant
FROM login_events AS e
JOIN identities AS i ON i.id = e.identity_id
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

// add counts r's logins in b too.
func (b *bucketLoginsRow) add(r bucketLoginsRow) {
	b.Logins += r.Logins
	b.NewPersons += r.NewPersons
	b.ActivePersons += r.ActivePersons
	b.NewInTenant += r.NewInTenant
	b.ActiveInTenant += r.ActiveInTenant
}

// bucketLogins counts the logins of the tenant's accounts appIDs in the
// buckets [bounds[i], bounds[i+1]): one row per bucket and account with
// logins. It reads the cells of the rolled-up days that buckets cover
// whole, and the events of the rest (see planBucket): two statements,
// each a UNION ALL of one query per part of a bucket.
func bucketLogins(ctx context.Context, tx bun.Tx, tenantID string, appIDs []string, bounds []time.Time) ([]bucketLoginsRow, error) {
	days, err := rolledDays(ctx, tx, tenantID, bounds[0], bounds[len(bounds)-1])
	if err != nil {
		return nil, err
	}
	plans, err := planBuckets(bounds, days)
	if err != nil {
		return nil, err
	}
	var scans, cells []string
	scanArgs, cellArgs := []any{tenantID, bun.In(appIDs)}, []any{tenantID, bun.In(appIDs)}
	for i, p := range plans {
		for _, s := range p.scans {
			scans = append(scans, fmt.Sprintf(bucketLoginsSQL, i, len(scanArgs), len(scanArgs)+1, len(scanArgs)+2))
			scanArgs = append(scanArgs, s.from, s.to, s.since)
		}
		if p.head != nil {
			scans = append(scans, fmt.Sprintf(bucketOverlapSQL, i, len(scanArgs), len(scanArgs)+1, len(scanArgs)+2))
			scanArgs = append(scanArgs, p.head.from, p.head.to, bounds[i+1])
		}
		for _, r := range p.runs {
			cells = append(cells, fmt.Sprintf(bucketCellsSQL, i, len(cellArgs), len(cellArgs)+1, len(cellArgs)+2))
			cellArgs = append(cellArgs, r[0], r[1], p.startDay)
		}
	}
	sums := map[[2]any]int{} // index in rows of a bucket's account
	var rows []bucketLoginsRow
	for _, q := range []struct {
		parts []string
		args  []any
	}{{scans, scanArgs}, {cells, cellArgs}} {
		if len(q.parts) == 0 {
			continue
		}
		var part []bucketLoginsRow
		if err := tx.NewRaw(strings.Join(q.parts, "\nUNION ALL"), q.args...).Scan(ctx, &part); err != nil {
			return nil, err
		}
		for _, r := range part {
			key := [2]any{r.Idx, r.AppID}
			if i, ok := sums[key]; ok {
				rows[i].add(r)
				continue
			}
			sums[key] = len(rows)
			rows = append(rows, r)
		}
	}
	return rows, nil
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
