package login

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"regexp"
)

// RFC 7636: a verifier is 43–128 unreserved characters; an S256 challenge is
// the base64url SHA-256 of the verifier, 43 characters.
var (
	verifierPattern  = regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`)
	challengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
)

func validChallenge(c string) bool { return challengePattern.MatchString(c) }

// S256 returns the PKCE S256 challenge of a verifier.
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// verifyPKCE reports whether verifier is well formed and matches challenge.
func verifyPKCE(challenge, verifier string) bool {
	return verifierPattern.MatchString(verifier) &&
		subtle.ConstantTimeCompare([]byte(S256(verifier)), []byte(challenge)) == 1
}
