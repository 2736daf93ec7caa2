package token

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxJWKSSize bounds the JWKS document VerifyWithJWKS reads.
const maxJWKSSize = 1 << 20

// VerifyWithJWKS verifies raw the way a tenant's backend does, knowing only
// the JWKS URL: it fetches the key set (on every call; cache the result of
// a fetch in a long-lived verifier), picks the key by kid, pins ES256 and
// checks issuer, audience and times as Manager.Verify does. A nil client
// means http.DefaultClient. Errors wrap ErrInvalidToken only when the token
// is at fault.
func VerifyWithJWKS(ctx context.Context, client *http.Client, jwksURL, issuer, audience, raw string) (Claims, error) {
	set, err := fetchJWKS(ctx, client, jwksURL)
	if err != nil {
		return Claims{}, fmt.Errorf("verify token: %w", err)
	}
	return verify(raw, issuer, audience, time.Now, func(kid string) (*ecdsa.PublicKey, error) {
		for _, k := range set.Keys {
			if k.KID == kid {
				return k.publicKey()
			}
		}
		return nil, errors.New("unknown key id")
	})
}

func fetchJWKS(ctx context.Context, client *http.Client, jwksURL string) (JWKS, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, jwksURL, nil)
	if err != nil {
		return JWKS{}, fmt.Errorf("fetch jwks: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return JWKS{}, fmt.Errorf("fetch jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return JWKS{}, fmt.Errorf("fetch jwks: %s answered %s", jwksURL, resp.Status)
	}
	var set JWKS
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSSize)).Decode(&set); err != nil {
		return JWKS{}, fmt.Errorf("fetch jwks: decode: %w", err)
	}
	return set, nil
}
