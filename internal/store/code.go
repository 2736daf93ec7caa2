package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/tenants"
)

type codeRow struct {
	bun.BaseModel `bun:"table:auth_codes,alias:c"`

	Hash          string    `bun:"hash,pk"`
	TenantID      string    `bun:"tenant_id"`
	AppID         string    `bun:"app_id"`
	TransactionID string    `bun:"transaction_id"`
	IdentityID    string    `bun:"identity_id"`
	RedirectURI   string    `bun:"redirect_uri"`
	CodeChallenge string    `bun:"code_challenge"`
	Scope         string    `bun:"scope"`
	OIDC          bool      `bun:"oidc"`
	Nonce         string    `bun:"nonce"`
	AuthTime      time.Time `bun:"auth_time,nullzero"`
	ExpiresAt     time.Time `bun:"expires_at"`
}

func newCodeRow(c login.Code) *codeRow {
	return &codeRow{
		Hash:          c.Hash,
		TenantID:      c.TenantID,
		AppID:         c.AppID,
		TransactionID: c.TransactionID,
		IdentityID:    c.IdentityID,
		RedirectURI:   c.RedirectURI,
		CodeChallenge: c.CodeChallenge,
		Scope:         c.Scope,
		OIDC:          c.OIDC,
		Nonce:         c.Nonce,
		AuthTime:      c.AuthTime,
		ExpiresAt:     c.ExpiresAt,
	}
}

func (r *codeRow) code() login.Code {
	return login.Code{
		Hash:          r.Hash,
		TenantID:      r.TenantID,
		AppID:         r.AppID,
		TransactionID: r.TransactionID,
		IdentityID:    r.IdentityID,
		RedirectURI:   r.RedirectURI,
		CodeChallenge: r.CodeChallenge,
		Scope:         r.Scope,
		OIDC:          r.OIDC,
		Nonce:         r.Nonce,
		AuthTime:      r.AuthTime.UTC(),
		ExpiresAt:     r.ExpiresAt.UTC(),
	}
}

// ReissueCode implements login.Store. The transaction must be the tenant's
// and completed; otherwise the result is tenants.ErrNotFound.
func (db *DB) ReissueCode(ctx context.Context, c login.Code) error {
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := getTransaction(ctx, tx, c.TenantID, c.TransactionID)
		switch {
		case err != nil:
			return err
		case t.CompletedAt == nil:
			return tenants.ErrNotFound
		}
		_, err = tx.NewDelete().Model((*codeRow)(nil)).
			Where("tenant_id = ?", c.TenantID).
			Where("transaction_id = ?", c.TransactionID).
			Exec(ctx)
		if err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(newCodeRow(c)).Exec(ctx)
		return err
	})
	if err != nil {
		return wrap("reissue code", err)
	}
	return nil
}

// GetCode implements login.Store.
func (db *DB) GetCode(ctx context.Context, tenantID, hash string, now time.Time) (login.Code, tenants.Identity, error) {
	var row codeRow
	err := db.bun.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("hash = ?", hash).
		Where("expires_at > ?", now).
		Scan(ctx)
	if err != nil {
		return login.Code{}, tenants.Identity{}, wrap("get code", err)
	}
	ident, err := getIdentity(ctx, db.bun, tenantID, row.IdentityID)
	if err != nil {
		return login.Code{}, tenants.Identity{}, wrap("get code: get identity", err)
	}
	return row.code(), ident.identity(), nil
}

// RedeemCode implements login.Store: one statement deletes the code, so
// of two concurrent redemptions exactly one does.
func (db *DB) RedeemCode(ctx context.Context, tenantID, hash string, now time.Time) error {
	res, err := db.bun.NewDelete().Model((*codeRow)(nil)).
		Where("tenant_id = ?", tenantID).
		Where("hash = ?", hash).
		Where("expires_at > ?", now).
		Exec(ctx)
	return wrapAffected("redeem code", res, err)
}
