package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type consoleSessionRow struct {
	bun.BaseModel `bun:"table:console_sessions,alias:cs"`

	Hash      string    `bun:"hash,pk"`
	APIKeyID  string    `bun:"api_key_id"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// CreateConsoleSession implements tenants.Store; an unknown key is
// tenants.ErrNotFound.
func (db *DB) CreateConsoleSession(ctx context.Context, s tenants.ConsoleSession) error {
	row := &consoleSessionRow{Hash: s.Hash, APIKeyID: s.APIKeyID, CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt}
	if _, err := db.bun.NewInsert().Model(row).Exec(ctx); err != nil {
		return wrap("create console session", err)
	}
	return nil
}

// ConsoleSession implements tenants.Store.
func (db *DB) ConsoleSession(ctx context.Context, hash string) (tenants.ConsoleSession, tenants.APIKey, error) {
	var row consoleSessionRow
	if err := db.bun.NewSelect().Model(&row).Where("hash = ?", hash).Scan(ctx); err != nil {
		return tenants.ConsoleSession{}, tenants.APIKey{}, wrap("get console session", err)
	}
	var key apiKeyRow
	if err := db.bun.NewSelect().Model(&key).Where("id = ?", row.APIKeyID).Scan(ctx); err != nil {
		return tenants.ConsoleSession{}, tenants.APIKey{}, wrap("get console session key", err)
	}
	s := tenants.ConsoleSession{Hash: row.Hash, APIKeyID: row.APIKeyID, CreatedAt: row.CreatedAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}
	return s, key.apiKey(), nil
}

// DeleteConsoleSession implements tenants.Store.
func (db *DB) DeleteConsoleSession(ctx context.Context, hash string) error {
	if _, err := db.bun.NewDelete().Model((*consoleSessionRow)(nil)).Where("hash = ?", hash).Exec(ctx); err != nil {
		return wrap("delete console session", err)
	}
	return nil
}

// DeleteConsoleSessions implements tenants.Store.
func (db *DB) DeleteConsoleSessions(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := db.bun.NewDelete().Model((*consoleSessionRow)(nil)).Where("expires_at <= ?", cutoff).Exec(ctx)
	if err != nil {
		return 0, wrap("delete console sessions", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap("delete console sessions", err)
	}
	return n, nil
}
