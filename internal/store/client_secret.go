package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type clientSecretRow struct {
	bun.BaseModel `bun:"table:client_secrets,alias:cs"`

	ID        string     `bun:"id,pk"`
	TenantID  string     `bun:"tenant_id"`
	AppID     string     `bun:"app_id"`
	Hash      string     `bun:"hash"`
	CreatedAt time.Time  `bun:"created_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
}

func newClientSecretRow(s tenants.ClientSecret) *clientSecretRow {
	return &clientSecretRow{
		ID:        s.ID,
		TenantID:  s.TenantID,
		AppID:     s.AppID,
		Hash:      s.Hash,
		CreatedAt: s.CreatedAt,
		RevokedAt: s.RevokedAt,
	}
}

func (r *clientSecretRow) clientSecret() tenants.ClientSecret {
	return tenants.ClientSecret{
		ID:        r.ID,
		TenantID:  r.TenantID,
		AppID:     r.AppID,
		Hash:      r.Hash,
		CreatedAt: r.CreatedAt.UTC(),
		RevokedAt: utcPtr(r.RevokedAt),
	}
}

// CreateClientSecret implements tenants.Store. An unknown account is
// tenants.ErrNotFound.
func (db *DB) CreateClientSecret(ctx context.Context, s tenants.ClientSecret) error {
	if _, err := db.bun.NewInsert().Model(newClientSecretRow(s)).Exec(ctx); err != nil {
		return wrap("create client secret", err)
	}
	return nil
}

// ActiveClientSecrets implements tenants.Store, oldest first.
func (db *DB) ActiveClientSecrets(ctx context.Context, tenantID, appID string) ([]tenants.ClientSecret, error) {
	var rows []clientSecretRow
	err := db.bun.NewSelect().Model(&rows).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Where("revoked_at IS NULL").
		Order("created_at", "id").
		Scan(ctx)
	if err != nil {
		return nil, wrap("list client secrets", err)
	}
	return convert(rows, (*clientSecretRow).clientSecret), nil
}
