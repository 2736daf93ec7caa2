package token_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wxlogin/wxlogin/internal/token"
)

// TestAttackForgedToken: tokens forged, altered, of another tenant or
// algorithm (alg none, HS256 keyed with the public key), expired or not yet
// valid are refused.
func TestAttackForgedToken(t *testing.T) {
	e := newEnv(t)
	for _, c := range forgeries(t, e) {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.m.Verify(context.Background(), tenantA, issuerA, audience, c.raw)
			switch {
			case c.valid && err != nil:
				t.Errorf("Verify = %v, want success", err)
			case !c.valid && !errors.Is(err, token.ErrInvalidToken):
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
		})
	}
}

// forgery is a token presented to tenant A's verifier, and whether it is
// genuine.
type forgery struct {
	name  string
	raw   string
	valid bool
}

// forgeries gives tenants A and B keys and returns the tokens an attacker
// or a buggy issuer presents to tenant A's verifier, with one genuine.
func forgeries(t testing.TB, e *env) []forgery {
	k := e.rotate(t, tenantA)
	e.rotate(t, tenantB)
	priv := privateKey(t, e, tenantA, k.KID)
	now := e.clock.Now()
	with := func(edit func(*token.Claims)) token.Claims {
		c := e.claims()
		edit(&c)
		return c
	}
	cases := []struct {
		name  string
		raw   func() string
		valid bool
	}{
		{"expired within leeway", func() string {
			return e.sign(t, tenantA, with(func(c *token.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-20 * time.Second)) }))
		}, true},
		{"expired", func() string {
			return e.sign(t, tenantA, with(func(c *token.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-31 * time.Second)) }))
		}, false},
		{"not valid yet", func() string {
			return e.sign(t, tenantA, with(func(c *token.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Minute)) }))
		}, false},
		{"issued in the future", func() string {
			return e.sign(t, tenantA, with(func(c *token.Claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Minute)) }))
		}, false},
		{"no expiry", func() string {
			return signWith(t, jwt.SigningMethodES256, k.KID, priv, with(func(c *token.Claims) { c.ExpiresAt = nil }))
		}, false},
		{"wrong issuer", func() string {
			return e.sign(t, tenantA, with(func(c *token.Claims) { c.Issuer = "https://login.example.com/t/bravo" }))
		}, false},
		{"wrong audience", func() string {
			return e.sign(t, tenantA, with(func(c *token.Claims) { c.Audience = jwt.ClaimStrings{"wx-other"} }))
		}, false},
		{"signed by tenant B", func() string { return e.sign(t, tenantB, e.claims()) }, false},
		{"tenant claim of tenant B", func() string {
			return signWith(t, jwt.SigningMethodES256, k.KID, priv, with(func(c *token.Claims) { c.Tenant = tenantB }))
		}, false},
		{"alg none", func() string {
			return signWith(t, jwt.SigningMethodNone, k.KID, jwt.UnsafeAllowNoneSignatureType, e.claims())
		}, false},
		{"HS256 keyed with the public JWK", func() string {
			return signWith(t, jwt.SigningMethodHS256, k.KID, k.PublicJWK, e.claims())
		}, false},
		{"HS256 keyed with the public PEM", func() string {
			return signWith(t, jwt.SigningMethodHS256, k.KID, publicPEM(t, &priv.PublicKey), e.claims())
		}, false},
		{"ES384", func() string {
			return signWith(t, jwt.SigningMethodES384, k.KID, newKey(t, elliptic.P384()), e.claims())
		}, false},
		{"another key under the tenant's kid", func() string {
			return signWith(t, jwt.SigningMethodES256, k.KID, newKey(t, elliptic.P256()), e.claims())
		}, false},
		{"unknown kid", func() string { return signWith(t, jwt.SigningMethodES256, "nope", priv, e.claims()) }, false},
		{"no kid", func() string { return signWith(t, jwt.SigningMethodES256, "", priv, e.claims()) }, false},
		{"tampered payload", func() string {
			return tamper(t, e.sign(t, tenantA, e.claims()), e.sign(t, tenantA, with(func(c *token.Claims) { c.Subject = "someone-else" })))
		}, false},
		{"garbage", func() string { return "not.a.jwt" }, false},
	}
	out := make([]forgery, len(cases))
	for i, c := range cases {
		out[i] = forgery{c.name, c.raw(), c.valid}
	}
	return out
}

func TestVerifyRequiresIssuerAndAudience(t *testing.T) {
	e := newEnv(t)
	e.rotate(t, tenantA)
	raw := e.sign(t, tenantA, e.claims())
	for _, args := range [][2]string{{"", audience}, {issuerA, ""}} {
		if _, err := e.m.Verify(context.Background(), tenantA, args[0], args[1], raw); err == nil {
			t.Errorf("Verify(issuer %q, audience %q) succeeded", args[0], args[1])
		}
	}
}

// privateKey reads a tenant key's private half from the secret store.
func privateKey(t testing.TB, e *env, tenantID, kid string) *ecdsa.PrivateKey {
	t.Helper()
	s, err := e.secrets.Get(context.Background(), token.PrivateKeyPath(tenantID, kid))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(s.Data["private_key"]))
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*ecdsa.PrivateKey)
}

// signWith signs c outside the Manager, as an attacker or a buggy issuer
// would.
func signWith(t testing.TB, method jwt.SigningMethod, kid string, key any, c token.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func newKey(t testing.TB, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func publicPEM(t testing.TB, pub *ecdsa.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// tamper returns signed's header and signature around other's payload.
func tamper(t testing.TB, signed, other string) string {
	t.Helper()
	a, b := strings.Split(signed, "."), strings.Split(other, ".")
	if len(a) != 3 || len(b) != 3 {
		t.Fatal("not compact JWSs")
	}
	return a[0] + "." + b[1] + "." + a[2]
}
