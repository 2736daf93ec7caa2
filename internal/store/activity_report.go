package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/wxlogin/wxlogin/internal/reports"
)

// activitySQL counts, per bucket, the login events and active persons of
// each account and of the tenant (an empty app_id), and the persons whose
// first login falls in the bucket. %s is the buckets table b(idx,
// start_at, end_at); ?0 is the tenant, ?1 and ?2 the start of the first
// bucket and the end of the last. Events belong to persons as summarySQL
// has them.
const activitySQL = `
WITH b(idx, start_at, end_at) AS (
	VALUES %s
), ev AS (
	SELECT b.idx, e.app_id, COALESCE(i.unionid, e.unionid, 'i:' || e.identity_id) AS person
	FROM b
	JOIN login_events AS e ON e.tenant_id = ?0 AND e.at >= b.start_at AND e.at < b.end_at
	LEFT JOIN identities AS i ON i.id = e.identity_id AND i.tenant_id = e.tenant_id
), ev_counts AS (
	SELECT idx, app_id, COUNT(*) AS logins, COUNT(DISTINCT person) AS active_persons
	FROM ev GROUP BY idx, app_id
	UNION ALL
	SELECT idx, '', COUNT(*), COUNT(DISTINCT person) FROM ev GROUP BY idx
), firsts AS (
	SELECT i.app_id, ` + personKey + ` AS person, MIN(i.first_login_at) AS first_at
	FROM identities AS i
	WHERE i.tenant_id = ?0
	GROUP BY i.app_id, ` + personKey + `
	HAVING MIN(i.first_login_at) >= ?1 AND MIN(i.first_login_at) < ?2
	UNION ALL
	SELECT '', ` + personKey + `, MIN(i.first_login_at)
	FROM identities AS i
	WHERE i.tenant_id = ?0
	GROUP BY ` + personKey + `
	HAVING MIN(i.first_login_at) >= ?1 AND MIN(i.first_login_at) < ?2
), new_counts AS (
	SELECT b.idx, f.app_id, COUNT(*) AS new_persons
	FROM firsts AS f
	JOIN b ON f.first_at >= b.start_at AND f.first_at < b.end_at
	GROUP BY b.idx, f.app_id
), apps AS (
	SELECT app_id FROM accounts WHERE tenant_id = ?0
	UNION ALL
	SELECT ''
)
SELECT apps.app_id, b.idx,
	COALESCE(n.new_persons, 0) AS new_persons,
	COALESCE(v.active_persons, 0) AS active_persons,
	COALESCE(v.logins, 0) AS logins
FROM apps
CROSS JOIN b
LEFT JOIN new_counts AS n ON n.idx = b.idx AND n.app_id = apps.app_id
LEFT JOIN ev_counts AS v ON v.idx = b.idx AND v.app_id = apps.app_id
ORDER BY apps.app_id, b.idx`

type activityRow struct {
	AppID         string `bun:"app_id"`
	Idx           int    `bun:"idx"`
	NewPersons    int64  `bun:"new_persons"`
	ActivePersons int64  `bun:"active_persons"`
	Logins        int64  `bun:"logins"`
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
	args := []any{tenantID, starts[0], ends[len(ends)-1]}
	for i := range starts {
		values[i] = fmt.Sprintf("(%d, "+bound+", "+bound+")", i, len(args), len(args)+1)
		args = append(args, starts[i], ends[i])
	}
	var rows []activityRow
	query := fmt.Sprintf(activitySQL, strings.Join(values, ", "))
	if err := db.bun.NewRaw(query, args...).Scan(ctx, &rows); err != nil {
		return reports.Activity{}, wrap("activity report", err)
	}
	// Rows come by account, the tenant's first, and by bucket.
	var accounts []reports.AccountActivity
	for _, r := range rows {
		if r.Idx == 0 {
			accounts = append(accounts, reports.AccountActivity{AppID: r.AppID})
		}
		a := &accounts[len(accounts)-1]
		a.Buckets = append(a.Buckets, reports.ActivityBucket{
			Start: starts[r.Idx], NewPersons: r.NewPersons, ActivePersons: r.ActivePersons, Logins: r.Logins,
		})
	}
	return reports.Activity{Total: accounts[0], Accounts: accounts[1:]}, nil
}
