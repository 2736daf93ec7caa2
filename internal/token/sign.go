package token

import (
	"context"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// ErrNoSigningKey is returned by Sign when the tenant has no active key.
var ErrNoSigningKey = errors.New("tenant has no signing key")

// Sign returns c as a compact ES256 JWS with header kid and typ "JWT". It
// sets c.Tenant to tenantID. c must carry an expiry: wxlogin never mints a
// token that lives forever. Sign reads keys from the Manager's cache, not
// from the stores, except on a cache miss.
func (m *Manager) Sign(ctx context.Context, tenantID string, c Claims) (string, error) {
	c.Tenant = tenantID
	return m.sign(ctx, tenantID, c)
}

// SignID signs an ID token as Sign signs an access token.
func (m *Manager) SignID(ctx context.Context, tenantID string, c IDClaims) (string, error) {
	c.Tenant = tenantID
	return m.sign(ctx, tenantID, c)
}

func (m *Manager) sign(ctx context.Context, tenantID string, c jwt.Claims) (string, error) {
	if exp, err := c.GetExpirationTime(); err != nil || exp == nil {
		return "", errors.New("sign token: claims have no expiry")
	}
	set, err := m.keySet(ctx, tenantID)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	if set.signer == nil {
		return "", fmt.Errorf("sign token: tenant %s: %w", tenantID, ErrNoSigningKey)
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	t.Header["kid"] = set.signer.kid
	signed, err := t.SignedString(set.signer.key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return signed, nil
}
