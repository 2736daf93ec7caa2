package token_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wxlogin/wxlogin/internal/token"
)

// FuzzVerify hands any string to tenant A's verifier, which holds one
// token it signed: every refusal wraps ErrInvalidToken, and whatever it
// accepts carries exactly the claims that token was signed with, so
// nothing altered or forged passes.
func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	k := e.rotate(f, tenantA)
	e.rotate(f, tenantB)
	priv := privateKey(f, e, tenantA, k.KID)
	claims := e.claims()
	signed := e.sign(f, tenantA, claims)
	parts := strings.Split(signed, ".")
	for _, raw := range []string{
		signed,
		signWith(f, jwt.SigningMethodNone, k.KID, jwt.UnsafeAllowNoneSignatureType, claims),
		signWith(f, jwt.SigningMethodHS256, k.KID, k.PublicJWK, claims),
		signWith(f, jwt.SigningMethodHS256, k.KID, publicPEM(f, &priv.PublicKey), claims),
		e.sign(f, tenantB, claims),
		parts[0] + "." + parts[1] + ".",
		parts[0] + "." + parts[1],
		signed + ".",
		"eyJhbGciOiJub25lIn0." + parts[1] + ".",
		strings.Repeat("a", 10000) + "." + parts[1] + "." + parts[2],
		"", "...", "not.a.jwt",
	} {
		f.Add(raw)
	}
	want, err := json.Marshal(claims)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := e.m.Verify(context.Background(), tenantA, issuerA, audience, raw)
		if err != nil {
			if !errors.Is(err, token.ErrInvalidToken) {
				t.Fatalf("Verify(%q) = %v, want ErrInvalidToken", raw, err)
			}
			return
		}
		b, _ := json.Marshal(got)
		if string(b) != string(want) {
			t.Fatalf("Verify(%q) accepted claims %s, signed were %s", raw, b, want)
		}
	})
}
