package store

import (
	"context"

	"github.com/wxlogin/wxlogin/internal/reports"
)

// personKey is the SQL expression of the person an identity row (aliased
// i) belongs to: its unionid, or the identity itself when it has none.
const personKey = "COALESCE(i.unionid, 'i:' || i.id)"

// summarySQL counts identities per account and for the tenant (an empty app_id),
// and the login events in the window. An event belongs to its identity's
// person as the identity is now; an event whose identity is gone falls back
// to the unionid it was recorded with.
const summarySQL = `
WITH ident AS (
	SELECT i.app_id, i.unionid, ` + personKey + ` AS person
	FROM identities AS i
	WHERE i.tenant_id = ?0
), ev AS (
	SELECT e.app_id, COALESCE(i.unionid, e.unionid, 'i:' || e.identity_id) AS person
	FROM login_events AS e
	LEFT JOIN identities AS i ON i.id = e.identity_id AND i.tenant_id = e.tenant_id
	WHERE e.tenant_id = ?0 AND e.at >= ?1 AND e.at < ?2
), ident_counts AS (
	SELECT app_id, COUNT(*) AS identities, COUNT(unionid) AS with_unionid,
		COUNT(DISTINCT person) AS persons
	FROM ident GROUP BY app_id
	UNION ALL
	SELECT '', COUNT(*), COUNT(unionid), COUNT(DISTINCT person) FROM ident
), ev_counts AS (
	SELECT app_id, COUNT(*) AS logins, COUNT(DISTINCT person) AS active_persons
	FROM ev GROUP BY app_id
	UNION ALL
	SELECT '', COUNT(*), COUNT(DISTINCT person) FROM ev
), apps AS (
	SELECT app_id FROM accounts WHERE tenant_id = ?0
	UNION ALL
	SELECT ''
)
SELECT apps.app_id,
	COALESCE(c.identities, 0) AS identities,
	COALESCE(c.with_unionid, 0) AS with_unionid,
	COALESCE(c.identities - c.with_unionid, 0) AS without_unionid,
	COALESCE(c.persons, 0) AS persons,
	COALESCE(v.logins, 0) AS logins,
	COALESCE(v.active_persons, 0) AS active_persons
FROM apps
LEFT JOIN ident_counts AS c ON c.app_id = apps.app_id
LEFT JOIN ev_counts AS v ON v.app_id = apps.app_id
ORDER BY apps.app_id`

type summaryRow struct {
	AppID          string `bun:"app_id"`
	Identities     int64  `bun:"identities"`
	WithUnionID    int64  `bun:"with_unionid"`
	WithoutUnionID int64  `bun:"without_unionid"`
	Persons        int64  `bun:"persons"`
	Logins         int64  `bun:"logins"`
	ActivePersons  int64  `bun:"active_persons"`
}

func (r *summaryRow) accountSummary() reports.AccountSummary {
	return reports.AccountSummary(*r)
}

// Summary implements reports.Store.
func (db *DB) Summary(ctx context.Context, tenantID string, w reports.Window) (reports.Summary, error) {
	var rows []summaryRow
	if err := db.bun.NewRaw(summarySQL, tenantID, w.From, w.To).Scan(ctx, &rows); err != nil {
		return reports.Summary{}, wrap("summary report", err)
	}
	// The tenant's row sorts first: its empty app_id precedes every AppID.
	return reports.Summary{
		Total:    rows[0].accountSummary(),
		Accounts: convert(rows[1:], (*summaryRow).accountSummary),
	}, nil
}

// overlapSQL pairs the persons of the tenant's accounts with themselves:
// one row per pair of accounts sharing persons, with how many, and, on the
// diagonal, how many of the account's persons are in no other account.
// Every account also gets an empty diagonal row, so accounts without
// identities are listed.
const overlapSQL = `
WITH p AS (
	SELECT DISTINCT i.app_id, ` + personKey + ` AS person
	FROM identities AS i
	WHERE i.tenant_id = ?0
), n AS (
	SELECT person, COUNT(*) AS accounts FROM p GROUP BY person
)
SELECT app_id AS a, app_id AS b, 0 AS persons, 0 AS only_one
FROM accounts WHERE tenant_id = ?0
UNION ALL
SELECT pa.app_id, pb.app_id, COUNT(*), COUNT(CASE WHEN n.accounts = 1 THEN 1 END)
FROM p AS pa
JOIN p AS pb ON pb.person = pa.person
JOIN n ON n.person = pa.person
GROUP BY pa.app_id, pb.app_id
ORDER BY 1, 2`

type overlapRow struct {
	A       string `bun:"a"`
	B       string `bun:"b"`
	Persons int64  `bun:"persons"`
	OnlyOne int64  `bun:"only_one"`
}

// Overlap implements reports.Store.
func (db *DB) Overlap(ctx context.Context, tenantID string) (reports.Overlap, error) {
	var rows []overlapRow
	if err := db.bun.NewRaw(overlapSQL, tenantID).Scan(ctx, &rows); err != nil {
		return reports.Overlap{}, wrap("overlap report", err)
	}
	return overlapMatrix(rows), nil
}

// overlapMatrix lays out rows, ordered by account, as a matrix.
func overlapMatrix(rows []overlapRow) reports.Overlap {
	var o reports.Overlap
	index := map[string]int{}
	for _, r := range rows {
		if _, ok := index[r.A]; !ok {
			index[r.A] = len(o.AppIDs)
			o.AppIDs = append(o.AppIDs, r.A)
		}
	}
	o.Both = make([][]int64, len(o.AppIDs))
	for i := range o.Both {
		o.Both[i] = make([]int64, len(o.AppIDs))
	}
	o.OnlyOne = make([]int64, len(o.AppIDs))
	for _, r := range rows {
		i, j := index[r.A], index[r.B]
		o.Both[i][j] += r.Persons
		o.OnlyOne[i] += r.OnlyOne
	}
	return o
}

// AccountsWithoutUnionID implements reports.Store.
func (db *DB) AccountsWithoutUnionID(ctx context.Context, tenantID string) ([]string, error) {
	var appIDs []string
	err := db.bun.NewSelect().Table("identities").
		Column("app_id").
		Where("tenant_id = ?", tenantID).
		Group("app_id").
		Having("COUNT(unionid) = 0").
		Order("app_id").
		Scan(ctx, &appIDs)
	if err != nil {
		return nil, wrap("accounts without unionid report", err)
	}
	return appIDs, nil
}
