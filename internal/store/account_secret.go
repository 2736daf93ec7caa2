package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

// SetSecretVersion implements tenants.Store.
func (db *DB) SetSecretVersion(ctx context.Context, tenantID, appID string, at time.Time, write func(context.Context) (int, error)) (tenants.Account, error) {
	var row accountRow
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if row, err = lockAccount(ctx, tx, tenantID, appID, forWrite); err != nil {
			return err
		}
		version, err := write(ctx)
		if err != nil {
			return err
		}
		row.SecretVersion, row.SecretUpdatedAt = version, at
		_, err = tx.NewUpdate().Model(&row).Column("secret_version", "secret_updated_at").WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return tenants.Account{}, wrap("set secret version", err)
	}
	return row.account(), nil
}

// ConfirmSecretVersion implements tenants.Store in one statement, which
// matches the account unless version is above its current one and raises
// the confirmed version only.
func (db *DB) ConfirmSecretVersion(ctx context.Context, tenantID, appID string, version int) error {
	const op = "confirm secret version"
	res, err := db.bun.NewUpdate().Model((*accountRow)(nil)).
		Set("secret_confirmed_version = CASE WHEN secret_confirmed_version < ? THEN ? ELSE secret_confirmed_version END", version, version).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
		Where(live).
		Where("secret_version >= ?", version).
		Exec(ctx)
	err = wrapAffected(op, res, err)
	if !errors.Is(err, tenants.ErrNotFound) {
		return err
	}
	// Nothing matched: the account is missing, or version is above its
	// current one.
	if _, err := db.GetAccount(ctx, tenantID, appID); err != nil {
		return err
	}
	return wrap(op, tenants.Invalid("version", fmt.Sprintf("%d is above the account's current AppSecret version", version)))
}
