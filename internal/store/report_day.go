package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

// Daily rollups (see the report_days migration): report_days lists the
// days of a tenant's time zone whose events are counted in report_cells,
// per account and by the day of each event's previous logins. Days are
// numbered from 1970-01-01 in their time zone. Triggers on login_events
// mark in report_changes the rolled-up days of any event written, until
// they are rolled up again; reports read the cells of the whole unmarked
// days they cover and count the events of the rest themselves.

type reportDayRow struct {
	bun.BaseModel `bun:"table:report_days,alias:d"`

	TenantID string    `bun:"tenant_id"`
	Day      int       `bun:"day"`
	TimeZone string    `bun:"time_zone"`
	StartAt  time.Time `bun:"start_at"`
	EndAt    time.Time `bun:"end_at"`
}

// dayNumber is the number of t's day in loc.
func dayNumber(t time.Time, loc *time.Location) int {
	y, m, d := t.In(loc).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60))
}

// dayStart returns the first instant of day n in loc, and whether it is
// one: in a time zone whose clocks skip midnight, time.Date may place the
// start elsewhere, and such days are neither rolled up nor read.
func dayStart(n int, loc *time.Location) (time.Time, bool) {
	d := time.Unix(int64(n)*24*60*60, 0).UTC()
	start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	return start, dayNumber(start, loc) == n && dayNumber(start.Add(-time.Nanosecond), loc) == n-1
}

// rollUpMargin is how long after its end a day is rolled up: long enough
// that no login still being recorded belongs to it (a change would undo
// the rollup, which is correct but wasted), and no hour the rollup locks is
// one that logins are still being recorded in.
const rollUpMargin = time.Hour

// RollUpDays implements reports.Store.
func (db *DB) RollUpDays(ctx context.Context, tenantID, timeZone string, until time.Time, max int) (int, error) {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		return 0, fmt.Errorf("store: roll up days: %w", tenants.Invalid("time_zone", err.Error()))
	}
	if err := db.dropOtherZones(ctx, tenantID, timeZone); err != nil {
		return 0, wrap("roll up days", err)
	}
	first, ok, err := db.firstLogin(ctx, db.bun, tenantID)
	if err != nil {
		return 0, wrap("roll up days", err)
	}
	if !ok {
		return 0, nil
	}
	var rolled []int
	err = db.bun.NewSelect().Model((*reportDayRow)(nil)).Column("day").
		Where("tenant_id = ?", tenantID).
		Where("NOT EXISTS (?)", changedDay(db.bun)).
		Scan(ctx, &rolled)
	if err != nil {
		return 0, wrap("roll up days", err)
	}
	done := make(map[int]bool, len(rolled))
	for _, n := range rolled {
		done[n] = true
	}
	made := 0
	for n := dayNumber(until.Add(-rollUpMargin), loc) - 1; n >= dayNumber(first, loc) && made < max; n-- {
		start, ok := dayStart(n, loc)
		end, okEnd := dayStart(n+1, loc)
		if done[n] || !ok || !okEnd {
			continue
		}
		ok, err := db.rollUpDay(ctx, reportDayRow{TenantID: tenantID, Day: n, TimeZone: timeZone, StartAt: start.UTC(), EndAt: end.UTC()}, loc)
		switch {
		case errors.Is(err, errDayBusy):
			continue
		case err != nil:
			return made, wrap("roll up days", err)
		case ok:
			made++
		}
	}
	return made, nil
}

// changedDay selects the changes to the events of the day d since it was
// rolled up.
func changedDay(idb bun.IDB) *bun.SelectQuery {
	return idb.NewSelect().Table("report_changes").ColumnExpr("1").
		Where("report_changes.tenant_id = d.tenant_id").
		Where("report_changes.at >= d.start_at").
		Where("report_changes.at < d.end_at")
}

// dropOtherZones deletes the tenant's rolled-up days of time zones other
// than timeZone (the tenant's former zones), and the marks of changes to
// them.
func (db *DB) dropOtherZones(ctx context.Context, tenantID, timeZone string) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*reportDayRow)(nil)).
			Where("tenant_id = ?", tenantID).
			Where("time_zone <> ?", timeZone).
			Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = tx.NewDelete().Table("report_changes").
			Where("tenant_id = ?", tenantID).
			Where("NOT EXISTS (?)", tx.NewSelect().Model((*reportDayRow)(nil)).ColumnExpr("1").
				Where("d.tenant_id = report_changes.tenant_id").
				Where("report_changes.at >= d.start_at").
				Where("report_changes.at < d.end_at")).
			Exec(ctx)
		return err
	})
}

// firstLoginSQL is the time of the first login event of the tenant (?0) in
// one of its accounts, read from the events' index.
const firstLoginSQL = "SELECT MIN(at) AS at FROM login_events WHERE tenant_id = ?0 AND app_id = ?%d"

// firstLogin returns the time of the tenant's first login event, if any.
func (db *DB) firstLogin(ctx context.Context, idb bun.IDB, tenantID string) (time.Time, bool, error) {
	var appIDs []string
	err := idb.NewSelect().Model((*accountRow)(nil)).Column("app_id").Where("tenant_id = ?", tenantID).Scan(ctx, &appIDs)
	if err != nil || len(appIDs) == 0 {
		return time.Time{}, false, err
	}
	queries := make([]string, len(appIDs))
	args := []any{tenantID}
	for i, appID := range appIDs {
		queries[i] = fmt.Sprintf(firstLoginSQL, i+1)
		args = append(args, appID)
	}
	var firsts []*time.Time
	if err := idb.NewRaw(strings.Join(queries, "\nUNION ALL "), args...).Scan(ctx, &firsts); err != nil {
		return time.Time{}, false, err
	}
	var first time.Time
	for _, t := range firsts {
		if t != nil && (first.IsZero() || t.Before(first)) {
			first = *t
		}
	}
	return first, !first.IsZero(), nil
}

// rollUpCellsSQL counts the events of the tenant's accounts in [start,
// end) by account and by the day of their previous login in the column
// %[2]s, numbered by the expression %[1]s.
const rollUpCellsSQL = `
INSERT INTO report_cells (tenant_id, day, app_id, kind, prev_day, logins)
SELECT ?, ?, c.app_id, ?, c.prev_day, COUNT(*)
FROM (
	SELECT e.app_id, %[1]s AS prev_day
	FROM login_events AS e
	WHERE e.tenant_id = ? AND e.app_id IN (?) AND e.at >= ? AND e.at < ?
) AS c
GROUP BY c.app_id, c.prev_day`

// lockHoursSQL tries to take, for the rest of the transaction, the lock
// on each hour of a day that changes to its events take shared (the
// report_days migration's trigger): the tenant's (?0) hours ?1 to ?2. A
// rollup never waits for these locks, as a change may hold one while it
// waits for another: it tries them all and, should one be held, gives up
// the day until the next time.
const lockHoursSQL = "SELECT bool_and(pg_try_advisory_xact_lock(hashtext(?), h)) FROM generate_series(?::integer, ?::integer) AS h"

// errDayBusy is a day being changed while a rollup would read it.
var errDayBusy = errors.New("day being changed")

// rollUpDay writes day d of loc and its cells, unless it is there
// already, and reports whether it did; it returns errDayBusy when changes
// to the day are being made.
func (db *DB) rollUpDay(ctx context.Context, d reportDayRow, loc *time.Location) (bool, error) {
	made := false
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if db.Dialect() == DialectPostgres {
			hour := func(t time.Time) int64 { return t.Unix() / 3600 }
			var locked bool
			err := tx.NewRaw(lockHoursSQL, d.TenantID, hour(d.StartAt), hour(d.EndAt.Add(-time.Nanosecond))).Scan(ctx, &locked)
			if err != nil {
				return err
			}
			if !locked {
				return errDayBusy
			}
		}
		n, err := tx.NewSelect().Model((*reportDayRow)(nil)).
			Where("tenant_id = ?", d.TenantID).
			Where("day = ?", d.Day).
			Where("NOT EXISTS (?)", changedDay(tx)).
			Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		// The day as it was rolled up before it changed, and its marks.
		_, err = tx.NewDelete().Model((*reportDayRow)(nil)).Where("tenant_id = ?", d.TenantID).Where("day = ?", d.Day).Exec(ctx)
		if err != nil {
			return err
		}
		_, err = tx.NewDelete().Table("report_changes").
			Where("tenant_id = ?", d.TenantID).
			Where("at >= ?", d.StartAt).
			Where("at < ?", d.EndAt).
			Exec(ctx)
		if err != nil {
			return err
		}
		var appIDs []string
		err = tx.NewSelect().Model((*accountRow)(nil)).Column("app_id").Where("tenant_id = ?", d.TenantID).Scan(ctx, &appIDs)
		if err != nil {
			return err
		}
		first, ok, err := db.firstLogin(ctx, tx, d.TenantID)
		if err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&d).Exec(ctx); err != nil || !ok {
			made = err == nil
			return err
		}
		for _, kind := range []struct{ name, column string }{{"a", "e.account_prev_at"}, {"p", "e.person_prev_at"}} {
			day, dayArgs := localDaySQL(db.Dialect(), kind.column, loc, first, d.EndAt)
			args := append([]any{d.TenantID, d.Day, kind.name}, dayArgs...)
			args = append(args, d.TenantID, bun.In(appIDs), d.StartAt, d.EndAt)
			if _, err := tx.NewRaw(fmt.Sprintf(rollUpCellsSQL, day), args...).Exec(ctx); err != nil {
				return err
			}
		}
		made = true
		return nil
	})
	return made && err == nil, err
}

// epochSQL is the Unix time, in seconds, of the time column %s, per
// dialect.
var epochSQL = map[string]string{
	DialectPostgres: "extract(epoch FROM %s)",
	DialectSQLite:   "unixepoch(%s)",
}

// localDaySQL returns the SQL expression, and its arguments, of the number
// of the day in loc of the time column, for times from lo to hi: the Unix
// time plus the zone's offset then, in whole days. The offsets are those
// of loc's periods between lo and hi.
func localDaySQL(dialect, column string, loc *time.Location, lo, hi time.Time) (string, []any) {
	offset, args := "", []any{}
	for t := lo.In(loc); ; {
		_, off := t.Zone()
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(hi) {
			if offset == "" {
				offset = fmt.Sprint(off)
			} else {
				offset = "CASE" + offset + fmt.Sprintf(" ELSE %d END", off)
			}
			break
		}
		offset += fmt.Sprintf(" WHEN %s < ? THEN %d", column, off)
		args = append(args, end.UTC())
		t = end
	}
	epoch := fmt.Sprintf(epochSQL[dialect], column)
	if dialect == DialectPostgres {
		return fmt.Sprintf("floor((%s + %s) / 86400)::integer", epoch, offset), args
	}
	return fmt.Sprintf("(%s + %s) / 86400", epoch, offset), args
}

// rolledDays returns the tenant's rolled-up days within [from, to) that
// have not changed since, in order.
func rolledDays(ctx context.Context, tx bun.Tx, tenantID string, from, to time.Time) ([]reportDayRow, error) {
	var days []reportDayRow
	err := tx.NewSelect().Model(&days).
		Where("tenant_id = ?", tenantID).
		Where("start_at >= ?", from).
		Where("end_at <= ?", to).
		Where("NOT EXISTS (?)", changedDay(tx)).
		Order("start_at").
		Scan(ctx)
	return days, err
}

// span is the time range [from, to) of a bucket's events, whose
// previous logins count from since: the start of the part of the bucket
// that the span is in.
type span struct{ from, to, since time.Time }

// bucketPlan is how one bucket of a report is counted: from the cells of
// its rolled-up days, in runs of consecutive days, counted from the start
// of day startDay; from the events of scans; and, for a bucket that
// starts within a day, less the persons active both in that first part
// (head) and in the rest, which each part counts.
type bucketPlan struct {
	startDay int
	runs     [][2]int // first and last day
	scans    []span
	head     *span // its events; the rest runs to head.since
}

// maxParts bounds the queries of cells, and those of events (with the
// overlaps of heads), of one report, which SQLite runs as one compound
// SELECT of at most 500 terms.
const maxParts = 450

// planBuckets plans the buckets [bounds[i], bounds[i+1]) over the rolled-up
// days, which lie within them. A bucket reads the cells of the days it
// covers whole when it starts at the start of a day of their time zone
// (then a previous login is before the bucket exactly when its day is);
// it reads the events of the rest.
func planBuckets(bounds []time.Time, days []reportDayRow) ([]bucketPlan, error) {
	var loc *time.Location
	if len(days) > 0 {
		var err error
		if loc, err = time.LoadLocation(days[0].TimeZone); err != nil {
			return nil, err
		}
	}
	plans := make([]bucketPlan, len(bounds)-1)
	scans, runs := 0, 0
	for i := range plans {
		plans[i] = planBucket(bounds[i], bounds[i+1], days, loc)
		scans, runs = scans+plans[i].eventParts(), runs+len(plans[i].runs)
	}
	for scans > maxParts || runs > maxParts {
		most := 0
		for i, p := range plans {
			if p.eventParts()+len(p.runs) > plans[most].eventParts()+len(plans[most].runs) {
				most = i
			}
		}
		scans, runs = scans-plans[most].eventParts()+1, runs-len(plans[most].runs)
		plans[most] = bucketPlan{scans: []span{{bounds[most], bounds[most+1], bounds[most]}}}
	}
	return plans, nil
}

// headRatio is how many times longer than its first part, to the end of
// the day it starts in, a bucket must be to be counted in two parts. The
// overlap of the parts costs two index probes for each login of the
// first part, many times a login read in order: for a bucket much shorter
// than that, reading all its logins costs less.
const headRatio = 32

// planBucket plans the bucket [start, end) over days of loc. A long bucket
// that starts within a day is its first part, to the day's end, and the
// rest: a person active in both is active once in the bucket.
func planBucket(start, end time.Time, days []reportDayRow, loc *time.Location) bucketPlan {
	whole := bucketPlan{scans: []span{{start, end, start}}}
	if loc == nil {
		return whole
	}
	n := dayNumber(start, loc)
	if s, ok := dayStart(n, loc); !ok || !s.Equal(start) {
		next, ok := dayStart(n+1, loc)
		if !ok || end.Sub(next) < headRatio*next.Sub(start) {
			return whole
		}
		p := planBucket(next, end, days, loc)
		if len(p.runs) == 0 {
			return whole
		}
		p.head = &span{start, next, start}
		p.scans = append(p.scans, *p.head)
		return p
	}
	p := bucketPlan{startDay: n}
	from := start
	for _, d := range days {
		if d.TimeZone != days[0].TimeZone || d.StartAt.Before(start) || d.EndAt.After(end) {
			continue
		}
		if from.Before(d.StartAt) || len(p.runs) == 0 {
			if from.Before(d.StartAt) {
				p.scans = append(p.scans, span{from, d.StartAt, start})
			}
			p.runs = append(p.runs, [2]int{d.Day, d.Day})
		}
		p.runs[len(p.runs)-1][1], from = d.Day, d.EndAt
	}
	if len(p.runs) == 0 {
		return whole
	}
	if from.Before(end) {
		p.scans = append(p.scans, span{from, end, start})
	}
	return p
}

// eventParts is how many queries of events the plan makes.
func (p bucketPlan) eventParts() int {
	if p.head != nil {
		return len(p.scans) + 1
	}
	return len(p.scans)
}
