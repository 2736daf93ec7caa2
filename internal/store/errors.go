package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/wxlogin/wxlogin/tenants"
)

// wrap prefixes err with "store: op: " and makes it wrap the tenants error
// kind the database's answer means. It is the one place driver errors are
// read.
func wrap(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", op, tenants.ErrNotFound)
	}
	if kind := constraintKind(err); kind != nil {
		return fmt.Errorf("store: %s: %w: %w", op, kind, err)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// constraintKind maps a violated constraint to an error kind: a duplicate
// key is ErrConflict, a missing parent row (foreign key) ErrNotFound. It
// returns nil for any other error.
func constraintKind(err error) error {
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return tenants.ErrConflict
		case "23503": // foreign_key_violation
			return tenants.ErrNotFound
		}
		return nil
	}
	if liteErr := (*sqlite.Error)(nil); errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return tenants.ErrConflict
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return tenants.ErrNotFound
		}
	}
	return nil
}

// wrapAffected is wrap for a statement that must change a row: when it
// changed none, the row was not there.
func wrapAffected(op string, res sql.Result, err error) error {
	if err != nil {
		return wrap(op, err)
	}
	n, err := res.RowsAffected()
	switch {
	case err != nil:
		return wrap(op, err)
	case n == 0:
		return wrap(op, sql.ErrNoRows)
	}
	return nil
}
