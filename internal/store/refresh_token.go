package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/login"
)

type refreshTokenRow struct {
	bun.BaseModel `bun:"table:refresh_tokens,alias:rt"`

	Hash         string     `bun:"hash,pk"`
	TenantID     string     `bun:"tenant_id"`
	AppID        string     `bun:"app_id"`
	IdentityID   string     `bun:"identity_id"`
	FamilyID     string     `bun:"family_id"`
	ParentHash   string     `bun:"parent_hash,nullzero"`
	Scope        string     `bun:"scope"`
	Confidential bool       `bun:"confidential"`
	AuthTime     time.Time  `bun:"auth_time"`
	CreatedAt    time.Time  `bun:"created_at"`
	ExpiresAt    time.Time  `bun:"expires_at"`
	UsedAt       *time.Time `bun:"used_at"`
	RevokedAt    *time.Time `bun:"revoked_at"`
}

func newRefreshTokenRow(t login.RefreshToken) *refreshTokenRow {
	return &refreshTokenRow{
		Hash:         t.Hash,
		TenantID:     t.TenantID,
		AppID:        t.AppID,
		IdentityID:   t.IdentityID,
		FamilyID:     t.FamilyID,
		ParentHash:   t.ParentHash,
		Scope:        t.Scope,
		Confidential: t.Confidential,
		AuthTime:     t.AuthTime,
		CreatedAt:    t.CreatedAt,
		ExpiresAt:    t.ExpiresAt,
		UsedAt:       t.UsedAt,
		RevokedAt:    t.RevokedAt,
	}
}

func (r *refreshTokenRow) refreshToken() login.RefreshToken {
	return login.RefreshToken{
		Hash:         r.Hash,
		TenantID:     r.TenantID,
		AppID:        r.AppID,
		IdentityID:   r.IdentityID,
		FamilyID:     r.FamilyID,
		ParentHash:   r.ParentHash,
		Scope:        r.Scope,
		Confidential: r.Confidential,
		AuthTime:     r.AuthTime.UTC(),
		CreatedAt:    r.CreatedAt.UTC(),
		ExpiresAt:    r.ExpiresAt.UTC(),
		UsedAt:       utcPtr(r.UsedAt),
		RevokedAt:    utcPtr(r.RevokedAt),
	}
}

// CreateRefreshToken implements login.RefreshStore. An unknown identity or
// account is tenants.ErrNotFound.
func (db *DB) CreateRefreshToken(ctx context.Context, t login.RefreshToken) error {
	if _, err := db.bun.NewInsert().Model(newRefreshTokenRow(t)).Exec(ctx); err != nil {
		return wrap("create refresh token", err)
	}
	return nil
}

// GetRefreshToken implements login.RefreshStore.
func (db *DB) GetRefreshToken(ctx context.Context, tenantID, hash string) (login.RefreshToken, error) {
	row, err := getRefreshToken(ctx, db.bun, tenantID, hash)
	if err != nil {
		return login.RefreshToken{}, wrap("get refresh token", err)
	}
	return row.refreshToken(), nil
}

func getRefreshToken(ctx context.Context, idb bun.IDB, tenantID, hash string) (refreshTokenRow, error) {
	var row refreshTokenRow
	err := idb.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("hash = ?", hash).
		Scan(ctx)
	return row, err
}

// RotateRefreshToken implements login.RefreshStore. One conditional update
// claims the token (only while it is unused, unrevoked and unexpired, so of
// two concurrent rotations exactly one wins); the loser finds it used and
// revokes the family after the transaction rolled back.
func (db *DB) RotateRefreshToken(ctx context.Context, tenantID, hash string, next login.RefreshToken, now time.Time) error {
	var family string
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var claimed refreshTokenRow
		err := tx.NewUpdate().Model(&claimed).
			Set("used_at = ?", now).
			Where("tenant_id = ?", tenantID).
			Where("hash = ?", hash).
			Where("used_at IS NULL").
			Where("revoked_at IS NULL").
			Where("expires_at > ?", now).
			Returning("*").
			Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return unclaimable(ctx, tx, tenantID, hash, &family)
		}
		if err != nil {
			return err
		}
		next.FamilyID, next.ParentHash = claimed.FamilyID, claimed.Hash
		_, err = tx.NewInsert().Model(newRefreshTokenRow(next)).Exec(ctx)
		return err
	})
	if errors.Is(err, login.ErrRefreshTokenReused) {
		if rerr := db.RevokeRefreshFamily(ctx, tenantID, family, now); rerr != nil {
			return rerr
		}
	}
	if err != nil {
		return wrap("rotate refresh token", err)
	}
	return nil
}

// unclaimable says why a token could not be claimed: it was used already
// (login.ErrRefreshTokenReused, with its family), or it is unknown,
// revoked or expired (sql.ErrNoRows).
func unclaimable(ctx context.Context, tx bun.Tx, tenantID, hash string, family *string) error {
	row, err := getRefreshToken(ctx, tx, tenantID, hash)
	switch {
	case err != nil:
		return err
	case row.UsedAt != nil && row.RevokedAt == nil:
		*family = row.FamilyID
		return login.ErrRefreshTokenReused
	}
	return sql.ErrNoRows
}

// RevokeRefreshFamily implements login.RefreshStore.
func (db *DB) RevokeRefreshFamily(ctx context.Context, tenantID, familyID string, now time.Time) error {
	_, err := db.bun.NewUpdate().Model((*refreshTokenRow)(nil)).
		Set("revoked_at = ?", now).
		Where("tenant_id = ?", tenantID).
		Where("family_id = ?", familyID).
		Where("revoked_at IS NULL").
		Exec(ctx)
	if err != nil {
		return wrap("revoke refresh tokens", err)
	}
	return nil
}
