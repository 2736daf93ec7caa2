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
	APIKeyID  string    `bun:"api_key_id,nullzero"`
	BindingID string    `bun:"binding_id,nullzero"`
	OpenID    string    `bun:"openid"`
	UnionID   string    `bun:"unionid"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

func (r *consoleSessionRow) session() tenants.ConsoleSession {
	return tenants.ConsoleSession{Hash: r.Hash, APIKeyID: r.APIKeyID, BindingID: r.BindingID, OpenID: r.OpenID, UnionID: r.UnionID,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
}

// CreateConsoleSession implements tenants.Store; an unknown key or binding
// is tenants.ErrNotFound.
func (db *DB) CreateConsoleSession(ctx context.Context, s tenants.ConsoleSession) error {
	row := &consoleSessionRow{Hash: s.Hash, APIKeyID: s.APIKeyID, BindingID: s.BindingID, OpenID: s.OpenID, UnionID: s.UnionID,
		CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt}
	if _, err := db.bun.NewInsert().Model(row).Exec(ctx); err != nil {
		return wrap("create console session", err)
	}
	return nil
}

// ConsoleSession implements tenants.Store.
func (db *DB) ConsoleSession(ctx context.Context, hash string) (tenants.ConsoleSession, tenants.ConsoleActor, error) {
	var row consoleSessionRow
	if err := db.bun.NewSelect().Model(&row).Where("hash = ?", hash).Scan(ctx); err != nil {
		return tenants.ConsoleSession{}, tenants.ConsoleActor{}, wrap("get console session", err)
	}
	var actor tenants.ConsoleActor
	switch {
	case row.APIKeyID != "":
		var key apiKeyRow
		if err := db.bun.NewSelect().Model(&key).Where("id = ?", row.APIKeyID).Scan(ctx); err != nil {
			return tenants.ConsoleSession{}, tenants.ConsoleActor{}, wrap("get console session key", err)
		}
		k := key.apiKey()
		actor.Key = &k
	case row.BindingID != "":
		var b consoleBindingRow
		if err := db.bun.NewSelect().Model(&b).Where("id = ?", row.BindingID).Scan(ctx); err != nil {
			return tenants.ConsoleSession{}, tenants.ConsoleActor{}, wrap("get console session binding", err)
		}
		binding := b.binding()
		actor.Binding = &binding
	}
	return row.session(), actor, nil
}

// ChooseConsoleBinding implements tenants.Store.
func (db *DB) ChooseConsoleBinding(ctx context.Context, hash, bindingID string) error {
	res, err := db.bun.NewUpdate().Model((*consoleSessionRow)(nil)).
		Set("binding_id = ?", bindingID).
		Where("hash = ?", hash).
		Where("openid <> ''").
		Exec(ctx)
	return wrapAffected("choose console binding", res, err)
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
