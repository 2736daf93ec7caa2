// Package opaque makes the random credentials wxlogin hands out (API keys,
// client secrets, login transaction IDs, authorization codes) and the hashes
// it stores in their place.
package opaque

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// New returns a URL-safe random string carrying nbytes of entropy, with an
// optional human-readable prefix (e.g. "wxk_" for API keys).
func New(prefix string, nbytes int) string {
	b := make([]byte, nbytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hex returns nbytes of randomness as lower-case hex: the alphabet WeChat
// accepts for its state parameter.
func Hex(nbytes int) string {
	b := make([]byte, nbytes)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Hash returns the hex SHA-256 of s. Credentials made by New carry at least
// 128 random bits, so a fast hash is enough to store them safely.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
