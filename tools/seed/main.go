// Command seed fills a wxlogin database, PostgreSQL or SQLite, with a
// realistic tenant to measure on: -identities identities over the
// tenant's accounts, belonging to persons who appear in one account or in
// several (by -overlap), some without unionid, and -events login events
// over the last -days days, more of them in Beijing daytime. Each
// identity's first and last login and login count agree with its events
// (with -events 0, none are written and each identity logged in once).
// Then it rebuilds the tenant's report rollups, which logins otherwise keep
// as they happen, and rolls up its days as wxlogin does. The tenant and accounts must exist. On PostgreSQL one transaction COPYs the
// rows; on SQLite, transactions of 5,000 rows insert them. The same -seed
// gives the same tenant, its times relative to now.
//
//	seed -database-url sqlite:data/wxlogin.db -tenant acme -appids wx…,wx…,wx… \
//	  -identities 1000000 -events 5000000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/store"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	dbURL := fs.String("database-url", "", "database: postgres://… or sqlite:PATH")
	tenant := fs.String("tenant", "", "tenant ID")
	appIDs := fs.String("appids", "", "comma-separated accounts of the tenant")
	n := fs.Int("identities", 100000, "identities to add")
	events := fs.Int("events", 0, "login events to add, at least -identities (0: none)")
	days := fs.Int("days", 90, "days back that the login events spread over")
	noUnionID := fs.Float64("no-unionid", 0.1, "share of identities without unionid")
	overlap := fs.String("overlap", "0.6,0.3,0.1", "shares of persons with a unionid in 1, 2, … accounts; the last share spreads evenly up to all accounts")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	apps := strings.Split(*appIDs, ",")
	switch {
	case *dbURL == "" || *tenant == "" || *appIDs == "":
		return errors.New("-database-url, -tenant and -appids are required")
	case len(apps) > 1000 || slices.Contains(apps, "") || len(slices.Compact(slices.Sorted(slices.Values(apps)))) != len(apps):
		return errors.New("-appids must be up to 1,000 distinct non-empty AppIDs")
	case *n < 1:
		return errors.New("-identities must be positive")
	case *events != 0 && *events < *n:
		return errors.New("-events must be 0 or at least -identities, as every identity logged in")
	case *days < 1:
		return errors.New("-days must be positive")
	case *noUnionID < 0 || *noUnionID > 1:
		return errors.New("-no-unionid must be between 0 and 1")
	}
	shares, err := parseShares(*overlap)
	if err != nil {
		return err
	}
	start := time.Now()
	p := newPlan(config{
		tenant: *tenant, apps: apps, identities: *n, events: *events, days: *days,
		noUnionID: *noUnionID, overlap: shares, seed: *seed, now: start.UTC().Truncate(time.Microsecond),
	})
	if err := write(ctx, *dbURL, p); err != nil {
		return err
	}
	elapsed := time.Since(start)
	rows := *n + *events
	if _, err := fmt.Fprintf(out, "seed: %d identities (%d persons, %d without unionid) and %d login events of %s over %d accounts: %d rows in %.1fs, %.0f rows/s\n",
		*n, p.persons, p.noUnion, *events, *tenant, len(apps), rows, elapsed.Seconds(), float64(rows)/elapsed.Seconds()); err != nil {
		return err
	}
	return rebuild(ctx, *dbURL, *tenant, out)
}

// rebuild makes the report rollups of the rows written, which logins keep
// as they happen, and rolls up every day that ended, as wxlogin does in
// the background.
func rebuild(ctx context.Context, databaseURL, tenant string, out io.Writer) (err error) {
	db, err := store.Open(ctx, databaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	start := time.Now()
	if err := db.RebuildPersons(ctx, tenant); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "seed: report rollups of %s rebuilt in %.1fs\n", tenant, time.Since(start).Seconds()); err != nil {
		return err
	}
	start = time.Now()
	days := 0
	for {
		n, err := db.RollUpDays(ctx, tenant, reports.DefaultTimeZone, time.Now(), reports.RollUpPerRound)
		if err != nil {
			return err
		}
		if days += n; n == 0 {
			break
		}
	}
	_, err = fmt.Fprintf(out, "seed: %d days of %s rolled up in %s in %.1fs\n", days, tenant, reports.DefaultTimeZone, time.Since(start).Seconds())
	return err
}

// parseShares parses -overlap: non-negative numbers, not all zero.
func parseShares(s string) ([]float64, error) {
	var shares []float64
	var sum float64
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("-overlap: %q is not a share", f)
		}
		shares = append(shares, v)
		sum += v
	}
	if sum == 0 {
		return nil, errors.New("-overlap: the shares are all zero")
	}
	return shares, nil
}
