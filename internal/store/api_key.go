package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type apiKeyRow struct {
	bun.BaseModel `bun:"table:api_keys,alias:k"`

	ID         string     `bun:"id,pk"`
	TenantID   string     `bun:"tenant_id,nullzero"` // NULL for operator keys
	Name       string     `bun:"name"`
	Role       string     `bun:"role"`
	Hash       string     `bun:"hash"`
	CreatedAt  time.Time  `bun:"created_at"`
	ExpiresAt  *time.Time `bun:"expires_at"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
}

func newAPIKeyRow(k tenants.APIKey) *apiKeyRow {
	return &apiKeyRow{
		ID:         k.ID,
		TenantID:   k.TenantID,
		Name:       k.Name,
		Role:       string(k.Role),
		Hash:       k.Hash,
		CreatedAt:  k.CreatedAt,
		ExpiresAt:  k.ExpiresAt,
		LastUsedAt: k.LastUsedAt,
		RevokedAt:  k.RevokedAt,
	}
}

func (r *apiKeyRow) apiKey() tenants.APIKey {
	return tenants.APIKey{
		ID:         r.ID,
		TenantID:   r.TenantID,
		Name:       r.Name,
		Role:       tenants.Role(r.Role),
		Hash:       r.Hash,
		CreatedAt:  r.CreatedAt.UTC(),
		ExpiresAt:  utcPtr(r.ExpiresAt),
		LastUsedAt: utcPtr(r.LastUsedAt),
		RevokedAt:  utcPtr(r.RevokedAt),
	}
}

// CreateAPIKey implements tenants.Store. An empty TenantID makes an
// operator key; an unknown tenant is tenants.ErrNotFound, a taken ID or
// hash tenants.ErrConflict.
func (db *DB) CreateAPIKey(ctx context.Context, k tenants.APIKey) error {
	if _, err := db.bun.NewInsert().Model(newAPIKeyRow(k)).Exec(ctx); err != nil {
		return wrap("create api key", err)
	}
	return nil
}

// APIKeyByHash implements tenants.Store.
func (db *DB) APIKeyByHash(ctx context.Context, hash string) (tenants.APIKey, error) {
	var row apiKeyRow
	if err := db.bun.NewSelect().Model(&row).Where("hash = ?", hash).Scan(ctx); err != nil {
		return tenants.APIKey{}, wrap("get api key", err)
	}
	return row.apiKey(), nil
}

// ListAPIKeys implements tenants.Store.
func (db *DB) ListAPIKeys(ctx context.Context, tenantID string, p tenants.Page) ([]tenants.APIKey, error) {
	var rows []apiKeyRow
	q := ownedBy(db.bun.NewSelect().Model(&rows), tenantID)
	if err := paged(q, "id", ascending, p).Scan(ctx); err != nil {
		return nil, wrap("list api keys", err)
	}
	return convert(rows, (*apiKeyRow).apiKey), nil
}

// RevokeAPIKey implements tenants.Store. The statement matches a revoked
// key too, and keeps its time, so that revoking twice succeeds.
func (db *DB) RevokeAPIKey(ctx context.Context, tenantID, id string, at time.Time) error {
	q := db.bun.NewUpdate().Model((*apiKeyRow)(nil)).
		Set("revoked_at = COALESCE(revoked_at, ?)", at).
		Where("id = ?", id)
	res, err := ownedBy(q, tenantID).Exec(ctx)
	return wrapAffected("revoke api key", res, err)
}

// TouchAPIKey implements tenants.Store.
func (db *DB) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	_, err := db.bun.NewUpdate().Model((*apiKeyRow)(nil)).
		Set("last_used_at = ?", at).
		Where("id = ?", id).
		Where("last_used_at IS NULL OR last_used_at < ?", at.Add(-tenants.LastUsedResolution)).
		Exec(ctx)
	if err != nil {
		return wrap("touch api key", err)
	}
	return nil
}
