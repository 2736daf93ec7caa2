package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Exec runs a statement as it is, for tests that check SQL outside the
// store's methods (a migration's).
func (db *DB) Exec(ctx context.Context, query string) error {
	_, err := db.bun.ExecContext(ctx, query)
	return err
}

// LocalDays returns, for each of times, the number of its day in the
// IANA time zone as the rollups' SQL computes it, and as Go does.
func (db *DB) LocalDays(ctx context.Context, times []time.Time, timeZone string) (inSQL, inGo []int, err error) {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		return nil, nil, err
	}
	lo, hi := slices.MinFunc(times, time.Time.Compare), slices.MaxFunc(times, time.Time.Compare)
	day, args := localDaySQL(db.Dialect(), "x.t", loc, lo, hi.Add(time.Nanosecond))
	value := map[string]string{DialectPostgres: "CAST(? AS timestamptz)", DialectSQLite: "?"}[db.Dialect()]
	for _, t := range times {
		var n int
		err := db.bun.NewRaw(fmt.Sprintf("SELECT %s FROM (SELECT %s AS t) AS x", day, value), append(slices.Clone(args), t.UTC())...).Scan(ctx, &n)
		if err != nil {
			return nil, nil, err
		}
		inSQL, inGo = append(inSQL, n), append(inGo, dayNumber(t, loc))
	}
	return inSQL, inGo, nil
}
