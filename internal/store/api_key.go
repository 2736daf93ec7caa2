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
