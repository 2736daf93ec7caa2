package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun/migrate"

	"github.com/wxlogin/wxlogin/migrations"
)

// migrationTable is where bun/migrate records applied migrations.
const migrationTable = "bun_migrations"

// migrationLockKey names the PostgreSQL advisory lock that migrations hold
// ("wxlogin" in ASCII).
const migrationLockKey int64 = 0x77786c6f67696e

// MigrateUp applies every pending migration, as one group, and writes what
// it applied to w.
func (db *DB) MigrateUp(ctx context.Context, w io.Writer) error {
	return db.migrate(ctx, "migrate up", func(m *migrate.Migrator) error {
		group, err := m.Migrate(ctx)
		if err != nil {
			return err
		}
		return report(w, "applied", "nothing to apply: the schema is current", group)
	})
}

// MigrateDown rolls back the last group of migrations applied and writes
// what it rolled back to w.
func (db *DB) MigrateDown(ctx context.Context, w io.Writer) error {
	return db.migrate(ctx, "migrate down", func(m *migrate.Migrator) error {
		group, err := m.Rollback(ctx)
		if err != nil {
			return err
		}
		return report(w, "rolled back", "nothing to roll back", group)
	})
}

// MigrationStatus writes every migration to w, one a line: applied (with
// its group and time) or pending. It writes nothing to the database.
func (db *DB) MigrationStatus(ctx context.Context, w io.Writer) error {
	ms, err := db.migrationsWithStatus(ctx)
	if err != nil {
		return fmt.Errorf("store: migration status: %w", err)
	}
	for _, m := range ms {
		var err error
		if m.IsApplied() {
			_, err = fmt.Fprintf(w, "applied  %s  group %d  %s\n", m, m.GroupID, m.MigratedAt.UTC().Format(time.RFC3339))
		} else {
			_, err = fmt.Fprintf(w, "pending  %s\n", m)
		}
		if err != nil {
			return fmt.Errorf("store: migration status: %w", err)
		}
	}
	return nil
}

// SchemaCurrent reports whether every migration has been applied. It
// writes nothing to the database, so a readiness probe may call it.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	ms, err := db.migrationsWithStatus(ctx)
	if err != nil {
		return false, fmt.Errorf("store: schema current: %w", err)
	}
	return len(ms.Unapplied()) == 0, nil
}

func (db *DB) migrator() (*migrate.Migrator, *migrate.Migrations, error) {
	ms, err := migrations.For(db.Dialect())
	if err != nil {
		return nil, nil, err
	}
	// Record a migration only once it succeeded, so a failed one is retried.
	return migrate.NewMigrator(db.bun, ms, migrate.WithMarkAppliedOnSuccess(true)), ms, nil
}

// migrate creates bun's tables if needed and runs fn, under the migration
// lock on PostgreSQL.
func (db *DB) migrate(ctx context.Context, op string, fn func(*migrate.Migrator) error) (err error) {
	m, _, err := db.migrator()
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	unlock, err := db.lockMigrations(ctx)
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil {
			err = errors.Join(err, fmt.Errorf("store: %s: %w", op, uerr))
		}
	}()
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if err := fn(m); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return nil
}

// lockMigrations takes, on PostgreSQL, a session advisory lock on a
// connection of its own, waiting while another process migrates. Unlike
// bun's lock table it is released when the session ends, so a migrator that
// crashes never leaves the schema locked. SQLite needs no lock: the
// migration's transaction takes the database's write lock.
func (db *DB) lockMigrations(ctx context.Context) (unlock func() error, err error) {
	if db.Dialect() != DialectPostgres {
		return func() error { return nil }, nil
	}
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return nil, errors.Join(fmt.Errorf("lock migrations: %w", err), conn.Close())
	}
	return func() error {
		_, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		return errors.Join(err, conn.Close())
	}, nil
}

// migrationsWithStatus lists the migrations, applied or pending, without
// creating bun's tables when they are missing.
func (db *DB) migrationsWithStatus(ctx context.Context) (migrate.MigrationSlice, error) {
	m, ms, err := db.migrator()
	if err != nil {
		return nil, err
	}
	initialised, err := db.tableExists(ctx, migrationTable)
	switch {
	case err != nil:
		return nil, err
	case !initialised:
		return ms.Sorted(), nil
	}
	return m.MigrationsWithStatus(ctx)
}

func (db *DB) tableExists(ctx context.Context, name string) (bool, error) {
	query := "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)"
	if db.Dialect() == DialectPostgres {
		query = "SELECT to_regclass(?) IS NOT NULL"
	}
	var exists bool
	err := db.bun.NewRaw(query, name).Scan(ctx, &exists)
	return exists, err
}

// report writes the migrations of group to w, each after verb, or none
// when the group is empty.
func report(w io.Writer, verb, none string, group *migrate.MigrationGroup) error {
	if group.IsZero() {
		_, err := fmt.Fprintln(w, none)
		return err
	}
	for _, m := range group.Migrations {
		if _, err := fmt.Fprintf(w, "%s %s (group %d)\n", verb, m, group.ID); err != nil {
			return err
		}
	}
	return nil
}
