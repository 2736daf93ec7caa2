package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

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

// ConfirmSecretVersion implements tenants.Store in one statement, which
// matches the account unless version is above its current one and raises
// the confirmed version only.
func (db *DB) ConfirmSecretVersion(ctx context.Context, tenantID, appID string, version int) error {
	const op = "confirm secret version"
	res, err := db.bun.NewUpdate().Model((*accountRow)(nil)).
		Set("secret_confirmed_version = CASE WHEN secret_confirmed_version < ? THEN ? ELSE secret_confirmed_version END", version, version).
		Where("tenant_id = ?", tenantID).
		Where("app_id = ?", appID).
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
