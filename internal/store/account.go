package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type accountRow struct {
	bun.BaseModel `bun:"table:accounts,alias:a"`

	TenantID               string    `bun:"tenant_id,pk"`
	AppID                  string    `bun:"app_id,pk"`
	Name                   string    `bun:"name"`
	Kind                   string    `bun:"kind"`
	Mode                   string    `bun:"mode"`
	DefaultScope           string    `bun:"default_scope"`
	RedirectURIs           []string  `bun:"redirect_uris,type:jsonb"`
	TokenTTLSeconds        int64     `bun:"token_ttl_seconds"`
	OpenPlatformID         string    `bun:"open_platform_id"`
	SecretVersion          int       `bun:"secret_version"`
	SecretConfirmedVersion int       `bun:"secret_confirmed_version"`
	SecretUpdatedAt        time.Time `bun:"secret_updated_at,nullzero"`
	CreatedAt              time.Time `bun:"created_at"`
	UpdatedAt              time.Time `bun:"updated_at"`
}

func newAccountRow(a tenants.Account) *accountRow {
	return &accountRow{
		TenantID:               a.TenantID,
		AppID:                  a.AppID,
		Name:                   a.Name,
		Kind:                   string(a.Kind),
		Mode:                   string(a.Mode),
		DefaultScope:           a.DefaultScope,
		RedirectURIs:           a.RedirectURIs,
		TokenTTLSeconds:        int64(a.TokenTTL / time.Second),
		OpenPlatformID:         a.OpenPlatformID,
		SecretVersion:          a.SecretVersion,
		SecretConfirmedVersion: a.SecretConfirmedVersion,
		SecretUpdatedAt:        a.SecretUpdatedAt,
		CreatedAt:              a.CreatedAt,
		UpdatedAt:              a.UpdatedAt,
	}
}

func (r *accountRow) account() tenants.Account {
	return tenants.Account{
		TenantID:               r.TenantID,
		AppID:                  r.AppID,
		Name:                   r.Name,
		Kind:                   tenants.Kind(r.Kind),
		Mode:                   tenants.Mode(r.Mode),
		DefaultScope:           r.DefaultScope,
		RedirectURIs:           r.RedirectURIs,
		TokenTTL:               time.Duration(r.TokenTTLSeconds) * time.Second,
		OpenPlatformID:         r.OpenPlatformID,
		SecretVersion:          r.SecretVersion,
		SecretConfirmedVersion: r.SecretConfirmedVersion,
		SecretUpdatedAt:        r.SecretUpdatedAt.UTC(),
		CreatedAt:              r.CreatedAt.UTC(),
		UpdatedAt:              r.UpdatedAt.UTC(),
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
func (db *DB) ListAccounts(ctx context.Context, tenantID string, p tenants.Page) ([]tenants.Account, error) {
	var rows []accountRow
	q := db.bun.NewSelect().Model(&rows).Where("tenant_id = ?", tenantID)
	if err := paged(q, "app_id", ascending, p).Scan(ctx); err != nil {
		return nil, wrap("list accounts", err)
	}
	return convert(rows, (*accountRow).account), nil
}

// UpdateAccount implements tenants.Store.
func (db *DB) UpdateAccount(ctx context.Context, a tenants.Account) error {
	res, err := db.bun.NewUpdate().Model(newAccountRow(a)).
		Column("name", "mode", "default_scope", "redirect_uris", "token_ttl_seconds", "open_platform_id", "updated_at").
		Where("tenant_id = ?", a.TenantID).
		Where("app_id = ?", a.AppID).
		Exec(ctx)
	return wrapAffected("update account", res, err)
}

// DeleteAccount implements tenants.Store: the schema's foreign keys
// cascade the delete to the rows that hang on the account; then the
// persons who had identities in it are relinked.
func (db *DB) DeleteAccount(ctx context.Context, tenantID, appID string) error {
	var res sql.Result
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		persons, err := identityPersons(ctx, tx, tenantID, "app_id", appID)
		if err != nil {
			return err
		}
		res, err = tx.NewDelete().Model((*accountRow)(nil)).
			Where("tenant_id = ?", tenantID).
			Where("app_id = ?", appID).
			Exec(ctx)
		if err != nil {
			return err
		}
		return relinkPersons(ctx, tx, tenantID, persons)
	})
	return wrapAffected("delete account", res, err)
}
