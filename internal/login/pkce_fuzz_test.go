package login

import (
	"strings"
	"testing"
)

// FuzzPKCE holds RFC 7636 over any verifier and challenge: a verifier
// matches its own S256 challenge exactly when it is well formed, the
// challenge is always well formed, and no other challenge matches it.
func FuzzPKCE(f *testing.F) {
	good := strings.Repeat("a", 43)
	for _, s := range [][2]string{
		{good, S256(good)},
		{strings.Repeat("-._~", 32), S256(strings.Repeat("-._~", 32))},
		{strings.Repeat("a", 42), S256(strings.Repeat("a", 42))},
		{strings.Repeat("a", 129), S256(strings.Repeat("a", 129))},
		{good + "\n", S256(good)},
		{good, S256(good) + "="},
		{good, strings.ToUpper(S256(good))},
		{"", ""},
		{good, good},
		{strings.Repeat("é", 43), S256(strings.Repeat("é", 43))},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, verifier, challenge string) {
		own := S256(verifier)
		if !validChallenge(own) {
			t.Fatalf("S256(%q) = %q is not a well-formed challenge", verifier, own)
		}
		wellFormed := verifierPattern.MatchString(verifier)
		if verifyPKCE(own, verifier) != wellFormed {
			t.Fatalf("verifier %q against its own challenge: %v, want %v", verifier, !wellFormed, wellFormed)
		}
		if verifyPKCE(challenge, verifier) && (challenge != own || !wellFormed) {
			t.Fatalf("verifier %q matched challenge %q (its own is %q)", verifier, challenge, own)
		}
		if wellFormed && (len(verifier) < 43 || len(verifier) > 128 || strings.ContainsAny(verifier, "\r\n =+/")) {
			t.Fatalf("verifier %q accepted as well formed", verifier)
		}
	})
}
