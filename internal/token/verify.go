package token

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrInvalidToken is wrapped by every verification error that is the
// token's fault (bad signature, unknown kid, wrong alg, issuer or audience,
// expired). Errors reaching the stores do not wrap it.
var ErrInvalidToken = errors.New("invalid token")

// Leeway is the clock skew allowed when checking exp, nbf and iat.
const Leeway = 30 * time.Second

// Verify checks raw against the tenant's active and passive keys and
// returns its claims. iss must equal issuer, aud must contain audience, and
// the tenant claim must be tenantID.
func (m *Manager) Verify(ctx context.Context, tenantID, issuer, audience, raw string) (Claims, error) {
	set, err := m.keySet(ctx, tenantID)
	if err != nil {
		return Claims{}, fmt.Errorf("verify token: %w", err)
	}
	c, err := verify(raw, issuer, audience, m.now, func(kid string) (*ecdsa.PublicKey, error) {
		if pub, ok := set.public[kid]; ok {
			return pub, nil
		}
		return nil, errors.New("unknown key id")
	})
	if err != nil {
		return Claims{}, err
	}
	if c.Tenant != tenantID {
		return Claims{}, fmt.Errorf("verify token: %w: issued for another tenant", ErrInvalidToken)
	}
	return c, nil
}

// verify parses raw, pinned to ES256, with the key keyFor returns for its
// kid, and checks the registered claims.
func verify(raw, issuer, audience string, now func() time.Time, keyFor func(kid string) (*ecdsa.PublicKey, error)) (Claims, error) {
	if issuer == "" || audience == "" {
		return Claims{}, errors.New("verify token: issuer and audience are required")
	}
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return keyFor(kid)
	},
		jwt.WithValidMethods([]string{Alg}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(now),
	)
	if err != nil {
		return Claims{}, fmt.Errorf("verify token: %w: %w", ErrInvalidToken, err)
	}
	return c, nil
}
