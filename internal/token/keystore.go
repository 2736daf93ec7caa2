package token

import (
	"context"
	"time"
)

// Key states.
const (
	// KeyActive signs new tokens; a tenant has at most one.
	KeyActive = "active"
	// KeyPassive no longer signs but stays in the JWKS so tokens it signed
	// still verify until it is retired.
	KeyPassive = "passive"
	// KeyRetired is gone from the JWKS; its private key is deleted.
	KeyRetired = "retired"
)

// Key is a tenant's signing key as the database knows it: the public half
// only. The private half lives in the secret store at PrivateKeyPath.
type Key struct {
	TenantID string
	KID      string
	Alg      string
	// PublicJWK is the public key as a JSON Web Key.
	PublicJWK []byte
	State     string
	CreatedAt time.Time
	RetiredAt *time.Time
}

// KeyStore persists signing-key metadata. internal/store implements it.
type KeyStore interface {
	// RotateKey makes k the tenant's active key and demotes the previous
	// active key (if any) to passive, atomically.
	RotateKey(ctx context.Context, k Key) error
	// Keys returns the tenant's keys that are not retired, newest first.
	Keys(ctx context.Context, tenantID string) ([]Key, error)
	// RetireKey marks a passive key retired at at. Retiring the active key
	// is an error (tenants.ErrInvalid); an unknown kid is tenants.ErrNotFound.
	RetireKey(ctx context.Context, tenantID, kid string, at time.Time) error
}

// PrivateKeyPath is where a key's private half lives in the secret store.
func PrivateKeyPath(tenantID, kid string) string {
	return "tenants/" + tenantID + "/signing-keys/" + kid
}
