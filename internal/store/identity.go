package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type identityRow struct {
	bun.BaseModel `bun:"table:identities,alias:i"`

	ID           string    `bun:"id,pk"`
	TenantID     string    `bun:"tenant_id"`
	AppID        string    `bun:"app_id"`
	OpenID       string    `bun:"openid"`
	UnionID      string    `bun:"unionid,nullzero"`
	Nickname     string    `bun:"nickname"`
	AvatarURL    string    `bun:"avatar_url"`
	FirstLoginAt time.Time `bun:"first_login_at"`
	LastLoginAt  time.Time `bun:"last_login_at"`
	LoginCount   int64     `bun:"login_count"`
}

func (r *identityRow) identity() tenants.Identity {
	return tenants.Identity{
		ID:           r.ID,
		TenantID:     r.TenantID,
		AppID:        r.AppID,
		OpenID:       r.OpenID,
		UnionID:      r.UnionID,
		Nickname:     r.Nickname,
		AvatarURL:    r.AvatarURL,
		FirstLoginAt: r.FirstLoginAt.UTC(),
		LastLoginAt:  r.LastLoginAt.UTC(),
		LoginCount:   r.LoginCount,
	}
}

// upsertIdentity records login l on its identity in one statement: it
// inserts the identity on its first login and otherwise counts the login
// and refreshes the profile, keeping known values that l leaves empty. The
// first and last login are the earliest and latest, in whatever order
// logins are recorded.
// Concurrent upserts of one openid wait for each other rather than fail.
func upsertIdentity(ctx context.Context, idb bun.IDB, l tenants.IdentityLogin) (identityRow, error) {
	row := identityRow{
		ID:           uuid.Must(uuid.NewV7()).String(),
		TenantID:     l.TenantID,
		AppID:        l.AppID,
		OpenID:       l.OpenID,
		UnionID:      l.UnionID,
		Nickname:     l.Nickname,
		AvatarURL:    l.AvatarURL,
		FirstLoginAt: l.At,
		LastLoginAt:  l.At,
		LoginCount:   1,
	}
	err := idb.NewInsert().Model(&row).
		On("CONFLICT (tenant_id, app_id, openid) DO UPDATE").
		Set("unionid = COALESCE(EXCLUDED.unionid, ?TableAlias.unionid)").
		Set("nickname = CASE WHEN EXCLUDED.nickname <> '' THEN EXCLUDED.nickname ELSE ?TableAlias.nickname END").
		Set("avatar_url = CASE WHEN EXCLUDED.avatar_url <> '' THEN EXCLUDED.avatar_url ELSE ?TableAlias.avatar_url END").
		Set("first_login_at = CASE WHEN EXCLUDED.first_login_at < ?TableAlias.first_login_at" +
			" THEN EXCLUDED.first_login_at ELSE ?TableAlias.first_login_at END").
		Set("last_login_at = CASE WHEN EXCLUDED.last_login_at > ?TableAlias.last_login_at" +
			" THEN EXCLUDED.last_login_at ELSE ?TableAlias.last_login_at END").
		Set("login_count = ?TableAlias.login_count + 1").
		Returning("*").
		Scan(ctx)
	return row, err
}

// GetIdentity implements tenants.Store.
func (db *DB) GetIdentity(ctx context.Context, tenantID, id string) (tenants.Identity, error) {
	row, err := getIdentity(ctx, db.bun, tenantID, id)
	if err != nil {
		return tenants.Identity{}, wrap("get identity", err)
	}
	return row.identity(), nil
}

func getIdentity(ctx context.Context, idb bun.IDB, tenantID, id string) (identityRow, error) {
	var row identityRow
	err := idb.NewSelect().Model(&row).
		Where("tenant_id = ?", tenantID).
		Where("id = ?", id).
		Where("app_id NOT IN (?)", deletingAccounts(idb, tenantID)).
		Scan(ctx)
	return row, err
}

// ListIdentities implements tenants.Store.
func (db *DB) ListIdentities(ctx context.Context, tenantID string, f tenants.IdentityFilter) ([]tenants.Identity, error) {
	var rows []identityRow
	q := matching(db.bun.NewSelect().Model(&rows).
		Where("tenant_id = ?", tenantID).
		Where("app_id NOT IN (?)", deletingAccounts(db.bun, tenantID)),
		filter{"app_id", f.AppID},
		filter{"openid", f.OpenID},
		filter{"unionid", f.UnionID},
	)
	q = startingWith(q, "nickname", f.NicknamePrefix)
	q = within(q, "last_login_at", f.LastLoginAfter, f.LastLoginBefore)
	if err := paged(q, "id", ascending, f.Page()).Scan(ctx); err != nil {
		return nil, wrap("list identities", err)
	}
	return convert(rows, (*identityRow).identity), nil
}
