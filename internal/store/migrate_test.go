package store_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/tenants"
	"github.com/wxlogin/wxlogin/tenants/tenantstest"
)

// step runs a migration command and checks what it wrote.
func step(t *testing.T, name string, run func(context.Context, *strings.Builder) error, want string) {
	t.Helper()
	var out strings.Builder
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !regexp.MustCompile(want).MatchString(out.String()) {
		t.Fatalf("%s wrote %q, want a match for %q", name, out.String(), want)
	}
}

func current(t *testing.T, db *store.DB, want bool) {
	t.Helper()
	got, err := db.SchemaCurrent(context.Background())
	if err != nil || got != want {
		t.Fatalf("SchemaCurrent = %v, %v; want %v", got, err, want)
	}
}

func TestMigrateUpDownUp(t *testing.T) {
	eachDB(t, func(t *testing.T, url func(t testing.TB) string) {
		ctx := context.Background()
		db := open(t, url(t))
		up := func(ctx context.Context, w *strings.Builder) error { return db.MigrateUp(ctx, w) }
		down := func(ctx context.Context, w *strings.Builder) error { return db.MigrateDown(ctx, w) }
		status := func(ctx context.Context, w *strings.Builder) error { return db.MigrationStatus(ctx, w) }

		step(t, "status of a new database", status, `^(pending  \d{14}_\w+\n)+$`)
		current(t, db, false)
		step(t, "up", up, `(?m)^applied 20261125000001_init \(group 1\)$`)
		step(t, "status after up", status, `^(applied  \d{14}_\w+  group \d+  \d{4}-\d\d-\d\dT[\d:]+Z\n)+$`)
		current(t, db, true)
		step(t, "up again", up, `^nothing to apply`)
		tenantstest.NewAccount(t, db, tenantstest.NewTenant(t, db).ID)

		step(t, "down", down, `(?m)^rolled back 20261125000001_init \(group 1\)$`)
		step(t, "status after down", status, `^(pending  \d{14}_\w+\n)+$`)
		current(t, db, false)
		if _, err := db.ListTenants(ctx); err == nil || errors.Is(err, tenants.ErrNotFound) {
			t.Fatalf("ListTenants after down: %v, want a missing table", err)
		}
		step(t, "down again", down, `^nothing to roll back`)

		step(t, "up after down", up, `(?m)^applied 20261125000001_init \(group 1\)$`)
		current(t, db, true)
		tenantstest.NewAccount(t, db, tenantstest.NewTenant(t, db).ID)
	})
}

// TestMigrateConcurrently starts replicas together on one PostgreSQL
// database: each waits for the migration lock, and the schema is applied
// once.
func TestMigrateConcurrently(t *testing.T) {
	url := testenv.PostgresURL(t)
	const replicas = 4
	outs := make([]strings.Builder, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		db := open(t, url)
		wg.Go(func() {
			if err := db.MigrateUp(context.Background(), &outs[i]); err != nil {
				t.Errorf("MigrateUp: %v", err)
			}
		})
	}
	wg.Wait()
	applied := 0
	for i := range outs {
		if strings.HasPrefix(outs[i].String(), "applied") {
			applied++
		}
	}
	if applied != 1 {
		t.Errorf("%d replicas applied migrations, want 1", applied)
	}
}
