package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Dialect names, as bun and package migrations spell them.
const (
	DialectPostgres = "pg"
	DialectSQLite   = "sqlite"
)

// DefaultMaxConns is the PostgreSQL pool size when Options leaves it zero.
const DefaultMaxConns = 32

// sqlitePragmas are set on every SQLite connection. _txlock makes every
// transaction BEGIN IMMEDIATE, so it takes the write lock up front (waiting
// busy_timeout for another process) instead of failing when it upgrades.
// optimize(0x10002), as SQLite advises when a connection opens, gathers the
// query planner's statistics of the tables that lack them or changed much
// (a bounded sample, so it is quick on large tables).
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=optimize(0x10002)&_txlock=immediate"

// Options tune Open.
type Options struct {
	// MaxConns caps the PostgreSQL connection pool (DefaultMaxConns when
	// zero; at least 2, as migrations hold one connection for their lock).
	// SQLite always uses one connection.
	MaxConns int
}

// DB is wxlogin's database. It implements tenants.Store, login.Store and
// token.KeyStore, and is safe for concurrent use.
type DB struct {
	bun *bun.DB
}

// Open connects to databaseURL and checks that the database answers.
// "postgres://…" and "postgresql://…" open PostgreSQL; "sqlite:PATH",
// "file:PATH[?…]" or a plain PATH open (and create) a SQLite file, making
// its directory if needed.
func Open(ctx context.Context, databaseURL string, opts Options) (*DB, error) {
	var (
		bdb *bun.DB
		err error
	)
	switch {
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		bdb, err = openPostgres(databaseURL, opts)
	default:
		bdb, err = openSQLite(databaseURL)
	}
	if err != nil {
		return nil, err
	}
	db := &DB{bun: bdb}
	if err := db.Ping(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

func openPostgres(databaseURL string, opts Options) (*bun.DB, error) {
	maxConns := opts.MaxConns
	switch {
	case maxConns == 0:
		maxConns = DefaultMaxConns
	case maxConns < 2:
		return nil, fmt.Errorf("store: open: MaxConns is %d, want at least 2", maxConns)
	}
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	// bun writes values into the SQL text, so no two statements repeat:
	// pgx's per-connection statement cache would only hold memory (hundreds
	// of MiB across the pool) and cost a round trip to prepare each one.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	sqldb := stdlib.OpenDB(*cfg)
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns) // an idle limit below the pool size churns sessions under load
	sqldb.SetConnMaxLifetime(30 * time.Minute)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

func openSQLite(databaseURL string) (*bun.DB, error) {
	name := strings.TrimPrefix(databaseURL, "sqlite:")
	if name != databaseURL {
		name = strings.TrimPrefix(name, "//")
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(name, "file:"), "?")
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: open: %w", err)
		}
	}
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, name+sep+sqlitePragmas)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	sqldb.SetMaxOpenConns(1)
	sqldb.SetMaxIdleConns(1)
	sqldb.SetConnMaxLifetime(0)
	sqldb.SetConnMaxIdleTime(0)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// Close closes the database.
func (db *DB) Close() error {
	if err := db.bun.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.bun.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// SQL is the connection pool under the store, for its statistics.
func (db *DB) SQL() *sql.DB { return db.bun.DB }

// Dialect returns DialectPostgres or DialectSQLite.
func (db *DB) Dialect() string { return db.bun.Dialect().Name().String() }
