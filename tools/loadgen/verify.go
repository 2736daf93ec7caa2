package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// verifier checks access tokens as a tenant's backend would: the signature
// against the tenant's JWKS, the issuer, audience and lifetime, and the
// identity claims. The key set is fetched on first use and again whenever
// a token names a key it does not hold (after a rotation).
type verifier struct {
	client  *http.Client
	issuer  string
	jwksURL string
	timeout time.Duration

	mu  sync.Mutex // guards set
	set jose.JSONWebKeySet
}

func newVerifier(client *http.Client, issuer *url.URL, timeout time.Duration) *verifier {
	return &verifier{
		client:  client,
		issuer:  issuer.String(),
		jwksURL: issuer.JoinPath(".well-known", "jwks.json").String(),
		timeout: timeout,
	}
}

// verify checks an access token issued for a login on the account appID
// and returns the person's openid it names.
func (v *verifier) verify(ctx context.Context, raw, appID string) (string, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return v.key(ctx, kid, t.Method.Alg())
	}, jwt.WithIssuer(v.issuer), jwt.WithAudience(appID), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	var f *failure
	switch {
	case errors.As(err, &f):
		return "", f
	case err != nil:
		return "", &failure{kind: "jwt: rejected", detail: clip(err.Error(), maxDetail)}
	}
	for _, name := range []string{"sub", "openid", "jti"} {
		if s, _ := claims[name].(string); s == "" {
			return "", &failure{kind: "jwt: missing claim", detail: name}
		}
	}
	if got, _ := claims["appid"].(string); got != appID {
		return "", &failure{kind: "jwt: wrong appid", detail: fmt.Sprintf("want %s, got %q", appID, got)}
	}
	openID, _ := claims["openid"].(string)
	return openID, nil
}

// key returns the public key kid for a token signed with alg.
func (v *verifier) key(ctx context.Context, kid, alg string) (any, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	k, ok := find(v.set, kid)
	if !ok {
		if err := v.fetch(ctx); err != nil {
			return nil, err
		}
		k, ok = find(v.set, kid)
	}
	switch {
	case !ok:
		return nil, &failure{kind: "jwt: unknown kid", detail: fmt.Sprintf("%q is not in %s", kid, v.jwksURL)}
	case !k.IsPublic():
		return nil, &failure{kind: "jwks: private key published", detail: kid}
	case k.Algorithm != "" && k.Algorithm != alg:
		return nil, &failure{kind: "jwt: wrong alg", detail: fmt.Sprintf("key %s is for %s, the token says %s", kid, k.Algorithm, alg)}
	}
	return k.Key, nil
}

func find(set jose.JSONWebKeySet, kid string) (jose.JSONWebKey, bool) {
	keys := set.Key(kid)
	if kid == "" || len(keys) == 0 {
		return jose.JSONWebKey{}, false
	}
	return keys[0], true
}

func (v *verifier) fetch(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.jwksURL, nil)
	if err != nil {
		return err
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return transportFailure("jwks", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case err != nil:
		return transportFailure("jwks", err)
	case resp.StatusCode != http.StatusOK:
		return &failure{kind: fmt.Sprintf("jwks: HTTP %d", resp.StatusCode), detail: clip(string(body), maxDetail)}
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return &failure{kind: "jwks: unreadable", detail: clip(err.Error(), maxDetail)}
	}
	v.set = set
	return nil
}
