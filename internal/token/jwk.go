package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"errors"
	"fmt"
)

// Alg is the one signing algorithm wxlogin uses and accepts.
const Alg = "ES256"

// p256CoordSize is the byte length of a P-256 coordinate.
const p256CoordSize = 32

// JWK is a public P-256 signing key as a JSON Web Key (RFC 7517, RFC 7518
// §6.2). It has no private member.
type JWK struct {
	KID string `json:"kid"`
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Use string `json:"use"`
	Alg string `json:"alg"`
}

// JWKS is a JSON Web Key Set, as served at a tenant's jwks.json.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// newJWK describes pub as the signing key kid.
func newJWK(kid string, pub *ecdsa.PublicKey) (JWK, error) {
	b, err := pub.Bytes() // 0x04 || X || Y
	if err != nil || len(b) != 1+2*p256CoordSize {
		return JWK{}, errors.New("not a P-256 public key")
	}
	enc := base64.RawURLEncoding
	return JWK{
		KID: kid, Kty: "EC", Crv: "P-256", Use: "sig", Alg: Alg,
		X: enc.EncodeToString(b[1 : 1+p256CoordSize]),
		Y: enc.EncodeToString(b[1+p256CoordSize:]),
	}, nil
}

// publicKey returns the key k describes, checking that it is an ES256
// signing key on the P-256 curve.
func (k JWK) publicKey() (*ecdsa.PublicKey, error) {
	if k.Kty != "EC" || k.Crv != "P-256" || (k.Alg != "" && k.Alg != Alg) || (k.Use != "" && k.Use != "sig") {
		return nil, fmt.Errorf("key %q is not an ES256 signing key", k.KID)
	}
	x, errX := base64.RawURLEncoding.DecodeString(k.X)
	y, errY := base64.RawURLEncoding.DecodeString(k.Y)
	if errX != nil || errY != nil || len(x) != p256CoordSize || len(y) != p256CoordSize {
		return nil, fmt.Errorf("key %q has malformed coordinates", k.KID)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", k.KID, err)
	}
	return pub, nil
}
