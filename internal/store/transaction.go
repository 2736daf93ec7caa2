package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/login"
)

type transactionRow struct {
	bun.BaseModel `bun:"table:login_transactions,alias:lt"`

	ID             string     `bun:"id,pk"`
	TenantID       string     `bun:"tenant_id"`
	AppID          string     `bun:"app_id"`
	RedirectURI    string     `bun:"redirect_uri"`
	State          string     `bun:"state"`
	Scope          string     `bun:"scope"`
	CodeChallenge  string     `bun:"code_challenge"`
	OIDC           bool       `bun:"oidc"`
	Nonce          string     `bun:"nonce"`
	CreatedAt      time.Time  `bun:"created_at"`
	ExpiresAt      time.Time  `bun:"expires_at"`
	CompletedAt    *time.Time `bun:"completed_at"`
	WeChatCodeHash string     `bun:"wechat_code_hash,nullzero"`
	IdentityID     string     `bun:"identity_id,nullzero"`
}

func newTransactionRow(t login.Transaction) *transactionRow {
	return &transactionRow{
		ID:             t.ID,
		TenantID:       t.TenantID,
		AppID:          t.AppID,
		RedirectURI:    t.RedirectURI,
		State:          t.State,
		Scope:          t.Scope,
		CodeChallenge:  t.CodeChallenge,
		OIDC:           t.OIDC,
		Nonce:          t.Nonce,
		CreatedAt:      t.CreatedAt,
		ExpiresAt:      t.ExpiresAt,
		CompletedAt:    t.CompletedAt,
		WeChatCodeHash: t.WeChatCodeHash,
		IdentityID:     t.IdentityID,
	}
}

func (r *transactionRow) transaction() login.Transaction {
	return login.Transaction{
		ID:             r.ID,
		TenantID:       r.TenantID,
		AppID:          r.AppID,
		RedirectURI:    r.RedirectURI,
		State:          r.State,
		Scope:          r.Scope,
		CodeChallenge:  r.CodeChallenge,
		OIDC:           r.OIDC,
		Nonce:          r.Nonce,
		CreatedAt:      r.CreatedAt.UTC(),
		ExpiresAt:      r.ExpiresAt.UTC(),
		CompletedAt:    utcPtr(r.CompletedAt),
		WeChatCodeHash: r.WeChatCodeHash,
		IdentityID:     r.IdentityID,
	}
}

// CreateTransaction implements login.Store. An unknown account is
// tenants.ErrNotFound, a taken ID tenants.ErrConflict.
func (db *DB) CreateTransaction(ctx context.Context, t login.Transaction) error {
	if _, err := db.bun.NewInsert().Model(newTransactionRow(t)).Exec(ctx); err != nil {
		return wrap("create login transaction", err)
	}
	return nil
}

// GetTransaction implements login.Store.
func (db *DB) GetTransaction(ctx context.Context, tenantID, id string) (login.Transaction, error) {
	row, err := getTransaction(ctx, db.bun, tenantID, id)
	if err != nil {
		return login.Transaction{}, wrap("get login transaction", err)
	}
	return row.transaction(), nil
}

func getTransaction(ctx context.Context, idb bun.IDB, tenantID, id string) (transactionRow, error) {
	var row transactionRow
	err := idb.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("id = ?", id).
		Scan(ctx)
	return row, err
}

// DeleteExpired implements login.Store. A row whose expiry is now or
// earlier is expired, matching RedeemCode, CompleteLogin and
// RotateRefreshToken, which accept a row only while its expiry is after
// now.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, model := range []any{(*codeRow)(nil), (*transactionRow)(nil), (*refreshTokenRow)(nil)} {
		res, err := db.bun.NewDelete().Model(model).Where("expires_at <= ?", now).Exec(ctx)
		if err != nil {
			return total, wrap("delete expired", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, wrap("delete expired", err)
		}
		total += n
	}
	return total, nil
}
