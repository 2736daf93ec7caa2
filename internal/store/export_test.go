package store

import "context"

// Exec runs a statement as it is, for tests that check SQL outside the
// store's methods (a migration's).
func (db *DB) Exec(ctx context.Context, query string) error {
	_, err := db.bun.ExecContext(ctx, query)
	return err
}
