package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/reports"
)

// Reports read the rollups that logins keep (person.go): persons rows for
// who is in which accounts, and each login event's previous logins for who
// was active when. A person is active in a window at its first login in
// it, the one whose previous login is before the window or missing; so
// counting distinct persons is counting those events, over the index of
// events by time.

// reportTx runs the queries of one report on one snapshot of the tenant.
// SQLite transactions are serializable by nature. On PostgreSQL it turns
// JIT compilation off: the reports' plans are index range scans that its
// cost model rates high enough to compile, and the compiling costs more
// than it saves (a 90-day daily activity report on 5,000,000 logins took
// 1.0 s with it, 0.7 s without).
func (db *DB) reportTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	if db.Dialect() == DialectSQLite {
		return db.bun.RunInTx(ctx, nil, fn)
	}
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	return db.bun.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}

// tenantAppIDs returns the AppIDs of the tenant's accounts, in order. A
// deleted account is left out of every report at once, though its rows
// go only as its deletion purges them: the reports read its identities'
// counts and its persons' groups without it. Until the purge relinked them,
// the logins of people whose previous login was in it may not count them
// as active or new in the tenant.
func tenantAppIDs(ctx context.Context, tx bun.Tx, tenantID string) ([]string, error) {
	var appIDs []string
	err := tx.NewSelect().Model((*accountRow)(nil)).Column("app_id").
		Where("tenant_id = ?", tenantID).
		Where(live).
		Order("app_id").
		Scan(ctx, &appIDs)
	return appIDs, err
}

// personGroup counts the tenant's persons who are in exactly the accounts
// AppIDs.
type personGroup struct {
	AppIDs  []string
	Persons int64
}

// personGroups returns the tenant's persons grouped by the accounts
// appIDs (in order) they are in: one row per combination found, however
// many persons. Other accounts (deleted ones) are left out of the
// combinations, and persons in none of appIDs out of the groups.
func personGroups(ctx context.Context, tx bun.Tx, tenantID string, appIDs []string) ([]personGroup, error) {
	var rows []struct {
		Accounts string `bun:"accounts"`
		Persons  int64  `bun:"persons"`
	}
	err := tx.NewSelect().Model((*personRow)(nil)).
		Column("accounts").
		ColumnExpr("COUNT(*) AS persons").
		Where("tenant_id = ?", tenantID).
		Group("accounts").
		Scan(ctx, &rows)
	groups := make([]personGroup, 0, len(rows))
	for _, r := range rows {
		in := slices.DeleteFunc(strings.Fields(r.Accounts), func(appID string) bool {
			_, found := slices.BinarySearch(appIDs, appID)
			return !found
		})
		if len(in) > 0 {
			groups = append(groups, personGroup{AppIDs: in, Persons: r.Persons})
		}
	}
	return groups, err
}

type identityCountRow struct {
	AppID       string `bun:"app_id"`
	Identities  int64  `bun:"identities"`
	WithUnionID int64  `bun:"with_unionid"`
}

// Summary implements reports.Store.
func (db *DB) Summary(ctx context.Context, tenantID string, w reports.Window) (reports.Summary, error) {
	var s reports.Summary
	err := db.reportTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		appIDs, err := tenantAppIDs(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		s.Accounts = make([]reports.AccountSummary, len(appIDs))
		index := make(map[string]*reports.AccountSummary, len(appIDs))
		for i, appID := range appIDs {
			s.Accounts[i].AppID = appID
			index[appID] = &s.Accounts[i]
		}
		var idents []identityCountRow
		err = tx.NewSelect().Model((*identityRow)(nil)).
			Column("app_id").
			ColumnExpr("COUNT(*) AS identities, COUNT(unionid) AS with_unionid").
			Where("tenant_id = ?", tenantID).
			Group("app_id").
			Scan(ctx, &idents)
		if err != nil {
			return err
		}
		for _, r := range idents {
			a := index[r.AppID]
			if a == nil {
				continue // a deleted account's
			}
			a.Identities, a.WithUnionID, a.WithoutUnionID = r.Identities, r.WithUnionID, r.Identities-r.WithUnionID
			s.Total.Identities += a.Identities
			s.Total.WithUnionID += a.WithUnionID
			s.Total.WithoutUnionID += a.WithoutUnionID
		}
		groups, err := personGroups(ctx, tx, tenantID, appIDs)
		if err != nil {
			return err
		}
		for _, g := range groups {
			for _, appID := range g.AppIDs {
				index[appID].Persons += g.Persons
			}
			s.Total.Persons += g.Persons
		}
		logins, err := bucketLogins(ctx, tx, tenantID, appIDs, []time.Time{w.From, w.To})
		if err != nil {
			return err
		}
		for _, r := range logins {
			a := index[r.AppID]
			a.Logins, a.ActivePersons = r.Logins, r.ActivePersons
			s.Total.Logins += r.Logins
			s.Total.ActivePersons += r.ActiveInTenant
		}
		return nil
	})
	if err != nil {
		return reports.Summary{}, wrap("summary report", err)
	}
	return s, nil
}

// Overlap implements reports.Store.
func (db *DB) Overlap(ctx context.Context, tenantID string) (reports.Overlap, error) {
	var o reports.Overlap
	err := db.reportTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if o.AppIDs, err = tenantAppIDs(ctx, tx, tenantID); err != nil {
			return err
		}
		groups, err := personGroups(ctx, tx, tenantID, o.AppIDs)
		if err != nil {
			return err
		}
		o.Both = make([][]int64, len(o.AppIDs))
		for i := range o.Both {
			o.Both[i] = make([]int64, len(o.AppIDs))
		}
		o.OnlyOne = make([]int64, len(o.AppIDs))
		for _, g := range groups {
			in := make([]int, len(g.AppIDs))
			for k, appID := range g.AppIDs {
				in[k], _ = slices.BinarySearch(o.AppIDs, appID)
			}
			for _, i := range in {
				for _, j := range in {
					o.Both[i][j] += g.Persons
				}
			}
			if len(in) == 1 {
				o.OnlyOne[in[0]] += g.Persons
			}
		}
		return nil
	})
	if err != nil {
		return reports.Overlap{}, wrap("overlap report", err)
	}
	return o, nil
}

// AccountsWithoutUnionID implements reports.Store.
func (db *DB) AccountsWithoutUnionID(ctx context.Context, tenantID string) ([]string, error) {
	var appIDs []string
	err := db.bun.NewSelect().Table("identities").
		Column("app_id").
		Where("tenant_id = ?", tenantID).
		Where("app_id NOT IN (?)", deletingAccounts(db.bun, tenantID)).
		Group("app_id").
		Having("COUNT(unionid) = 0").
		Order("app_id").
		Scan(ctx, &appIDs)
	if err != nil {
		return nil, wrap("accounts without unionid report", err)
	}
	return appIDs, nil
}
