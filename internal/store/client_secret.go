package store

import (
	"context"
	"database/sql"
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

// CreateClientSecret implements tenants.Store.
func (db *DB) CreateClientSecret(ctx context.Context, s tenants.ClientSecret) error {
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockAccount(ctx, tx, s.TenantID, s.AppID, forWrite); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(newClientSecretRow(s)).Exec(ctx)
		return err
	})
	if err != nil {
		return wrap("create client secret", err)
	}
	return nil
}

// ActiveClientSecrets implements tenants.Store, oldest first.
func (db *DB) ActiveClientSecrets(ctx context.Context, tenantID, appID string) ([]tenants.ClientSecret, error) {
	return db.clientSecrets(ctx, tenantID, appID, true)
}

// ListClientSecrets implements tenants.Store, oldest first.
func (db *DB) ListClientSecrets(ctx context.Context, tenantID, appID string) ([]tenants.ClientSecret, error) {
	return db.clientSecrets(ctx, tenantID, appID, false)
}

// clientSecrets returns the account's client secrets, oldest first: only
// the unrevoked ones when activeOnly.
func (db *DB) clientSecrets(ctx context.Context, tenantID, appID string, activeOnly bool) ([]tenants.ClientSecret, error) {
	var rows []clientSecretRow
	q := db.bun.NewSelect().Model(&rows).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Where("app_id NOT IN (?)", deletingAccounts(db.bun, tenantID))
	if activeOnly {
		q = q.Where("revoked_at IS NULL")
	}
	if err := q.Order("created_at", "id").Scan(ctx); err != nil {
		return nil, wrap("list client secrets", err)
	}
	return convert(rows, (*clientSecretRow).clientSecret), nil
}

// RevokeClientSecret implements tenants.Store. The statement matches a
// revoked secret too, and keeps its time, so that revoking twice succeeds.
func (db *DB) RevokeClientSecret(ctx context.Context, tenantID, appID, id string, at time.Time) error {
	var res sql.Result
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockAccount(ctx, tx, tenantID, appID, forWrite); err != nil {
			return err
		}
		var err error
		res, err = tx.NewUpdate().Model((*clientSecretRow)(nil)).
			Set("revoked_at = COALESCE(revoked_at, ?)", at).
			Where("tenant_id = ?", tenantID).
			Where("app_id = ?", appID).
			Where("id = ?", id).
			Exec(ctx)
		return err
	})
	return wrapAffected("revoke client secret", res, err)
}
