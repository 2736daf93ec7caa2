package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type accountRow struct {
	bun.BaseModel `bun:"table:accounts,alias:a"`

	TenantID        string    `bun:"tenant_id,pk"`
	AppID           string    `bun:"app_id,pk"`
	Name            string    `bun:"name"`
	Mode            string    `bun:"mode"`
	DefaultScope    string    `bun:"default_scope"`
	RedirectURIs    []string  `bun:"redirect_uris,type:jsonb"`
	TokenTTLSeconds int64     `bun:"token_ttl_seconds"`
	OpenPlatformID  string    `bun:"open_platform_id"`
	SecretVersion   int       `bun:"secret_version"`
	SecretUpdatedAt time.Time `bun:"secret_updated_at,nullzero"`
	CreatedAt       time.Time `bun:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

func newAccountRow(a tenants.Account) *accountRow {
	return &accountRow{
		TenantID:        a.TenantID,
		AppID:           a.AppID,
		Name:            a.Name,
		Mode:            string(a.Mode),
		DefaultScope:    a.DefaultScope,
		RedirectURIs:    a.RedirectURIs,
		TokenTTLSeconds: int64(a.TokenTTL / time.Second),
		OpenPlatformID:  a.OpenPlatformID,
		SecretVersion:   a.SecretVersion,
		SecretUpdatedAt: a.SecretUpdatedAt,
		CreatedAt:       a.CreatedAt,
		UpdatedAt:       a.UpdatedAt,
	}
}

func (r *accountRow) account() tenants.Account {
	return tenants.Account{
		TenantID:        r.TenantID,
		AppID:           r.AppID,
		Name:            r.Name,
		Mode:            tenants.Mode(r.Mode),
		DefaultScope:    r.DefaultScope,
		RedirectURIs:    r.RedirectURIs,
		TokenTTL:        time.Duration(r.TokenTTLSeconds) * time.Second,
		OpenPlatformID:  r.OpenPlatformID,
		SecretVersion:   r.SecretVersion,
		SecretUpdatedAt: r.SecretUpdatedAt.UTC(),
		CreatedAt:       r.CreatedAt.UTC(),
		UpdatedAt:       r.UpdatedAt.UTC(),
	}
}

// CreateAccount implements tenants.Store. An unknown tenant is
// tenants.ErrNotFound.
func (db *DB) CreateAccount(ctx context.Context, a tenants.Account) error {
	if _, err := db.bun.NewInsert().Model(newAccountRow(a)).Exec(ctx); err != nil {
		return wrap("create account", err)
	}
	return nil
}

// GetAccount implements tenants.Store.
func (db *DB) GetAccount(ctx context.Context, tenantID, appID string) (tenants.Account, error) {
	var row accountRow
	err := db.bun.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Scan(ctx)
	if err != nil {
		return tenants.Account{}, wrap("get account", err)
	}
	return row.account(), nil
}

// ListAccounts implements tenants.Store.
func (db *DB) ListAccounts(ctx context.Context, tenantID string) ([]tenants.Account, error) {
	var rows []accountRow
	err := db.bun.NewSelect().Model(&rows).
		Where("tenant_id = ?", tenantID).
		Order("app_id").
		Scan(ctx)
	if err != nil {
		return nil, wrap("list accounts", err)
	}
	return convert(rows, (*accountRow).account), nil
}

// SetSecretVersion implements tenants.Store.
func (db *DB) SetSecretVersion(ctx context.Context, tenantID, appID string, version int, at time.Time) error {
	res, err := db.bun.NewUpdate().Model((*accountRow)(nil)).
		Set("secret_version = ?", version).
		Set("secret_updated_at = ?", at).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Exec(ctx)
	return wrapAffected("set secret version", res, err)
}
