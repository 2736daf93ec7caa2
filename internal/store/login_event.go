package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type loginEventRow struct {
	bun.BaseModel `bun:"table:login_events,alias:e"`

	ID         string    `bun:"id,pk"`
	TenantID   string    `bun:"tenant_id"`
	AppID      string    `bun:"app_id"`
	IdentityID string    `bun:"identity_id"`
	OpenID     string    `bun:"openid"`
	UnionID    string    `bun:"unionid,nullzero"`
	Scope      string    `bun:"scope"`
	At         time.Time `bun:"at"`
	IP         string    `bun:"ip"`
	UserAgent  string    `bun:"user_agent"`
	// The previous login of the event's person and of its identity.
	PersonPrevAt  *time.Time `bun:"person_prev_at"`
	AccountPrevAt *time.Time `bun:"account_prev_at"`
}

// newLoginEventRow records login l of identity id. The event carries the
// identity's unionid, which an earlier login may have supplied.
func newLoginEventRow(id *identityRow, l tenants.IdentityLogin) *loginEventRow {
	return &loginEventRow{
		ID:         uuid.Must(uuid.NewV7()).String(),
		TenantID:   id.TenantID,
		AppID:      id.AppID,
		IdentityID: id.ID,
		OpenID:     id.OpenID,
		UnionID:    id.UnionID,
		Scope:      l.Scope,
		At:         l.At,
		IP:         l.IP,
		UserAgent:  l.UserAgent,
	}
}

func (r *loginEventRow) loginEvent() tenants.LoginEvent {
	return tenants.LoginEvent{
		ID:         r.ID,
		TenantID:   r.TenantID,
		AppID:      r.AppID,
		IdentityID: r.IdentityID,
		OpenID:     r.OpenID,
		UnionID:    r.UnionID,
		Scope:      r.Scope,
		At:         r.At.UTC(),
		IP:         r.IP,
		UserAgent:  r.UserAgent,
	}
}

// LoginEvents implements tenants.Store.
func (db *DB) LoginEvents(ctx context.Context, tenantID, identityID string) ([]tenants.LoginEvent, error) {
	var rows []loginEventRow
	err := db.bun.NewSelect().Model(&rows).
		Where("tenant_id = ?", tenantID).
		Where("identity_id = ?", identityID).
		Order("at DESC", "id DESC").
		Scan(ctx)
	if err != nil {
		return nil, wrap("list login events", err)
	}
	return convert(rows, (*loginEventRow).loginEvent), nil
}
