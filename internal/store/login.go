package store

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/tenants"
)

// completeLoginTx is READ COMMITTED on PostgreSQL: there the identity
// upsert waits for a concurrent upsert of the same openid and then updates
// the row it committed, where a stricter level would abort one of them with
// a serialization failure. SQLite transactions are serializable by nature.
var completeLoginTx = &sql.TxOptions{Isolation: sql.LevelReadCommitted}

// CompleteLogin implements login.Store in one database transaction of six
// statements: the identity upsert, the update that claims the login
// transaction (only while it is open and unexpired, so one of two racing
// callbacks wins), the upsert of the person's rollup, and the inserts of
// the login event and the code. When the claim fails everything rolls
// back, the upserts included.
func (db *DB) CompleteLogin(ctx context.Context, c login.Completion) (tenants.Identity, error) {
	var ident identityRow
	err := db.bun.RunInTx(ctx, completeLoginTx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if ident, err = upsertIdentity(ctx, tx, c.Login); err != nil {
			return err
		}
		if err := claimTransaction(ctx, tx, c, ident.ID); err != nil {
			return err
		}
		if err := insertLinkedEvent(ctx, tx, &ident, c.Login); err != nil {
			return err
		}
		code := c.Code
		code.IdentityID = ident.ID
		_, err = tx.NewInsert().Model(newCodeRow(code)).Exec(ctx)
		return err
	})
	if err != nil {
		return tenants.Identity{}, wrap("complete login", err)
	}
	return ident.identity(), nil
}

// claimTransaction marks the login transaction completed by identityID. It
// fails with login.ErrTransactionUsed when the transaction was completed
// already, and with sql.ErrNoRows when it is not the tenant's account's,
// the account was deleted, or it expired at the login's time.
func claimTransaction(ctx context.Context, tx bun.Tx, c login.Completion, identityID string) error {
	l := c.Login
	res, err := tx.NewUpdate().Model((*transactionRow)(nil)).
		Set("completed_at = ?", l.At).
		Set("wechat_code_hash = ?", c.WeChatCodeHash).
		Set("identity_id = ?", identityID).
		Where("tenant_id = ?", l.TenantID).
		Where("id = ?", c.TransactionID).
		Where("app_id = ?", c.Code.AppID). // the login's account; l.AppID is the app that logged the person in
		Where("completed_at IS NULL").
		Where("expires_at > ?", l.At).
		Where("EXISTS (?)", tx.NewSelect().Model((*accountRow)(nil)).Column("app_id").
			Where("tenant_id = ?", l.TenantID).
			Where("app_id = ?", c.Code.AppID).
			Where(live)).
		Exec(ctx)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	t, err := getTransaction(ctx, tx, l.TenantID, c.TransactionID)
	switch {
	case err != nil:
		return err
	case t.CompletedAt != nil:
		return login.ErrTransactionUsed
	}
	return sql.ErrNoRows
}
