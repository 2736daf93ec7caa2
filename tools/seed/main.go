// Command seed fills wxlogin's PostgreSQL database with identities for
// `make bench`: -n identities of one tenant, spread evenly over its
// accounts, each person (one unionid) in every account, with last logins
// over the past 30 days. The tenant and accounts must exist; one COPY
// writes the rows.
//
//	seed -database postgres://… -tenant bench -appids wx…,wx… -n 100000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	dbURL := fs.String("database", "", "PostgreSQL URL (postgres://…)")
	tenant := fs.String("tenant", "", "tenant ID")
	appIDs := fs.String("appids", "", "comma-separated accounts of the tenant")
	n := fs.Int("n", 100000, "identities to add")
	if err := fs.Parse(args); err != nil {
		return err
	}
	apps := strings.Split(*appIDs, ",")
	if *dbURL == "" || *tenant == "" || *appIDs == "" || *n < 1 {
		return errors.New("-database, -tenant, -appids and a positive -n are required")
	}
	conn, err := pgx.Connect(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	start := time.Now()
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"identities"},
		[]string{"id", "tenant_id", "app_id", "openid", "unionid", "first_login_at", "last_login_at", "login_count"},
		&identities{tenant: *tenant, apps: apps, n: *n, now: start.UTC()})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "seed: %d identities of %s over %d accounts in %.1fs\n", copied, *tenant, len(apps), time.Since(start).Seconds())
	return nil
}

// identities is the rows to copy, made one at a time (pgx.CopyFromSource):
// row i is person i/len(apps) in account i%len(apps).
type identities struct {
	tenant string
	apps   []string
	n, i   int
	now    time.Time
	row    []any
}

func (s *identities) Next() bool {
	if s.i == s.n {
		return false
	}
	app, person := s.apps[s.i%len(s.apps)], s.i/len(s.apps)
	last := s.now.Add(-time.Duration(person%(30*24*60)) * time.Minute)
	s.row = []any{
		uuid.Must(uuid.NewV7()).String(), s.tenant, app,
		fmt.Sprintf("o-%s-%07d", app, person), fmt.Sprintf("u-bench-%07d", person),
		last.Add(-time.Duration(person%90) * 24 * time.Hour), last, int64(1 + person%20),
	}
	s.i++
	return true
}

func (s *identities) Values() ([]any, error) { return s.row, nil }

func (s *identities) Err() error { return nil }
