package token_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/token"
)

// FuzzVerify hands any string to tenant A's verifier, seeded with the
// tokens of TestAttackForgedToken: every refusal wraps ErrInvalidToken, and
// whatever it accepts carries exactly the claims of a genuine token, so
// nothing altered or forged passes.
func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	accepted := map[string]bool{} // the claims of the genuine tokens, as JSON
	for _, c := range forgeries(f, e) {
		f.Add(c.raw)
		if parts := strings.Split(c.raw, "."); len(parts) == 3 {
			f.Add(parts[0] + "." + parts[1] + ".")
			f.Add(parts[0] + "." + parts[1])
			f.Add(strings.Repeat("a", 10000) + "." + parts[1] + "." + parts[2])
		}
		if claims, err := e.m.Verify(context.Background(), tenantA, issuerA, audience, c.raw); err == nil {
			b, _ := json.Marshal(claims)
			accepted[string(b)] = true
		}
	}
	for _, raw := range []string{"", "...", "eyJhbGciOiJub25lIn0.e30.", "a.b.c.d"} {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := e.m.Verify(context.Background(), tenantA, issuerA, audience, raw)
		if err != nil {
			if !errors.Is(err, token.ErrInvalidToken) {
				t.Fatalf("Verify(%q) = %v, want ErrInvalidToken", raw, err)
			}
			return
		}
		if b, _ := json.Marshal(got); !accepted[string(b)] {
			t.Fatalf("Verify(%q) accepted claims %s, which no genuine token carries", raw, b)
		}
	})
}
