package login

import (
	"context"
	"errors"
	"time"
)

// ErrRefreshTokenReused is returned by RotateRefreshToken when the token
// was rotated before: someone holds a copy, so its whole family is revoked.
var ErrRefreshTokenReused = errors.New("refresh token reused")

// RefreshToken is one of the refresh tokens of an OpenID Connect login,
// stored by the SHA-256 hash of its value. The tokens a login's code and
// its refreshes issued form a family; each refresh uses one token up and
// issues its successor.
type RefreshToken struct {
	Hash       string
	TenantID   string
	AppID      string
	IdentityID string
	FamilyID   string
	// ParentHash is the token this one replaced; empty for the first.
	ParentHash string
	// Scope is the WeChat scope of the login.
	Scope string
	// Confidential: the family was issued to a client that authenticated
	// with its client secret, and each refresh must authenticate again.
	Confidential bool
	AuthTime     time.Time
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UsedAt       *time.Time
	RevokedAt    *time.Time
}

// RefreshStore keeps refresh tokens. All methods take the tenant
// explicitly.
type RefreshStore interface {
	// CreateRefreshToken inserts the first token of a family.
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	// GetRefreshToken returns the tenant's token with that hash, whatever
	// its state; tenants.ErrNotFound if there is none.
	GetRefreshToken(ctx context.Context, tenantID, hash string) (RefreshToken, error)
	// RotateRefreshToken atomically marks the tenant's token with that hash
	// used at now and inserts next as its successor (next's family and
	// parent are set from it). A token
	// used already (before, or by a concurrent rotation) and not revoked is
	// ErrRefreshTokenReused, and its whole family is revoked at now: the
	// tokens rotated to from it stop working too. Any other token that is
	// unknown, revoked or expired at now is tenants.ErrNotFound.
	RotateRefreshToken(ctx context.Context, tenantID, hash string, next RefreshToken, now time.Time) error
	// RevokeRefreshFamily revokes every token of the tenant's family at
	// now; revoking a revoked or unknown family does nothing.
	RevokeRefreshFamily(ctx context.Context, tenantID, familyID string, now time.Time) error
}
