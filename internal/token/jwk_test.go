package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
)

func TestJWKPublicKey(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good, err := newJWK("k1", &priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if pub, err := good.publicKey(); err != nil || !pub.Equal(&priv.PublicKey) {
		t.Fatalf("round trip = %v, %v", pub, err)
	}
	edit := func(f func(*JWK)) JWK { k := good; f(&k); return k }
	offCurve := edit(func(k *JWK) { k.Y = k.X })
	cases := map[string]JWK{
		"RSA":             edit(func(k *JWK) { k.Kty = "RSA" }),
		"P-384":           edit(func(k *JWK) { k.Crv = "P-384" }),
		"HS256":           edit(func(k *JWK) { k.Alg = "HS256" }),
		"for encryption":  edit(func(k *JWK) { k.Use = "enc" }),
		"short x":         edit(func(k *JWK) { k.X = k.X[:20] }),
		"padded base64":   edit(func(k *JWK) { k.X += "=" }),
		"point off curve": offCurve,
	}
	for name, k := range cases {
		if _, err := k.publicKey(); err == nil || !strings.Contains(err.Error(), "k1") {
			t.Errorf("%s: publicKey error = %v, want one naming the key", name, err)
		}
	}
}
