package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

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
	// DeletedAt is set when the account is deleted: from then on it is
	// kept only for its deletion to purge (account_deletion.go).
	DeletedAt *time.Time `bun:"deleted_at"`
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

// live is the condition on an accounts row that it is not deleted.
const live = "deleted_at IS NULL"

// CreateAccount implements tenants.Store. An unknown tenant is
// tenants.ErrNotFound.
func (db *DB) CreateAccount(ctx context.Context, a tenants.Account) error {
	const op = "create account"
	_, err := db.bun.NewInsert().Model(newAccountRow(a)).Exec(ctx)
	if err == nil {
		return nil
	}
	if err = wrap(op, err); errors.Is(err, tenants.ErrConflict) {
		deleting, _ := db.bun.NewSelect().Model((*accountRow)(nil)).
			Where("tenant_id = ?", a.TenantID).
			Where("app_id = ?", a.AppID).
			Where("deleted_at IS NOT NULL").
			Exists(ctx)
		if deleting {
			return fmt.Errorf("store: %s: %w: the account of this AppId is being deleted; register it again once its deletion finished", op, tenants.ErrConflict)
		}
	}
	return err
}

// GetAccount implements tenants.Store.
func (db *DB) GetAccount(ctx context.Context, tenantID, appID string) (tenants.Account, error) {
	var row accountRow
	err := db.bun.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Where(live).
		Scan(ctx)
	if err != nil {
		return tenants.Account{}, wrap("get account", err)
	}
	return row.account(), nil
}

// ListAccounts implements tenants.Store.
func (db *DB) ListAccounts(ctx context.Context, tenantID string, p tenants.Page) ([]tenants.Account, error) {
	var rows []accountRow
	q := db.bun.NewSelect().Model(&rows).Where("tenant_id = ?", tenantID).Where(live)
	if err := paged(q, "app_id", ascending, p).Scan(ctx); err != nil {
		return nil, wrap("list accounts", err)
	}
	return convert(rows, (*accountRow).account), nil
}

// deletingAccounts selects the AppIDs of the tenant's deleted accounts,
// whose rows readers leave out until the deletion purged them.
func deletingAccounts(idb bun.IDB, tenantID string) *bun.SelectQuery {
	return idb.NewSelect().Model((*accountRow)(nil)).Column("app_id").
		Where("tenant_id = ?", tenantID).
		Where("deleted_at IS NOT NULL")
}

// Row lock strengths of lockAccount on PostgreSQL.
const (
	// forWrite makes the account's writers take turns; logins' foreign key
	// checks (KEY SHARE) go on.
	forWrite = "NO KEY UPDATE"
	// forDelete also waits for the transactions adding rows under the
	// account (logins adding an identity hold KEY SHARE on it through
	// their foreign key check), and makes those that come after wait; they
	// then find the account deleted.
	forDelete = "UPDATE"
)

// lockAccount reads the tenant's account with that AppID, unless it is
// deleted, and locks it until tx ends: the account lock of tenants.Store
// that its writers take turns on, with strength (forWrite or forDelete)
// on PostgreSQL. A SQLite transaction holds the database's one write lock
// from its start (BEGIN IMMEDIATE, see sqlitePragmas), which is lock
// enough.
func lockAccount(ctx context.Context, tx bun.Tx, tenantID, appID, strength string) (accountRow, error) {
	var row accountRow
	q := tx.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Where(live)
	if tx.Dialect().Name() == dialect.PG {
		q = q.For(strength)
	}
	return row, q.Scan(ctx)
}

// UpdateAccount implements tenants.Store.
func (db *DB) UpdateAccount(ctx context.Context, tenantID, appID string, update func(tenants.Account) (tenants.Account, error)) (tenants.Account, error) {
	var row accountRow
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		old, err := lockAccount(ctx, tx, tenantID, appID, forWrite)
		if err != nil {
			return err
		}
		a, err := update(old.account())
		if err != nil {
			return err
		}
		row = *newAccountRow(a)
		row.TenantID, row.AppID = tenantID, appID
		_, err = tx.NewUpdate().Model(&row).
			Column("name", "mode", "default_scope", "redirect_uris", "token_ttl_seconds", "open_platform_id", "updated_at").
			WherePK().
			Returning("*").
			Exec(ctx)
		return err
	})
	if err != nil {
		return tenants.Account{}, wrap("update account", err)
	}
	return row.account(), nil
}
