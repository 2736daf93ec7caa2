package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"errors"
)

// privateKeyField is the data key under which the secret store holds a
// signing key's private half, PEM-encoded PKCS #8.
const privateKeyField = "private_key"

func encodePrivateKey(k *ecdsa.PrivateKey) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", errors.New("encode private key: unsupported key")
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// decodePrivateKey parses what encodePrivateKey made. Its errors never
// quote the input.
func decodePrivateKey(s string) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("private key is not a PEM PKCS #8 block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("private key is not valid PKCS #8")
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, errors.New("private key is not a P-256 key")
	}
	return ec, nil
}
