package wechatsim_test

import (
	"regexp"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestIDs(t *testing.T) {
	shape := regexp.MustCompile(`^o[A-Za-z0-9_-]{27}$`)
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"openid is stable", wechatsim.OpenID(seed, oaApp, "alice"), wechatsim.OpenID(seed, oaApp, "alice"), true},
		{"openid differs across apps", wechatsim.OpenID(seed, oaApp, "alice"), wechatsim.OpenID(seed, oaApp2, "alice"), false},
		{"openid differs across users", wechatsim.OpenID(seed, oaApp, "alice"), wechatsim.OpenID(seed, oaApp, "bob"), false},
		{"openid differs across seeds", wechatsim.OpenID(seed, oaApp, "alice"), wechatsim.OpenID([]byte("x"), oaApp, "alice"), false},
		{"parts do not run together", wechatsim.OpenID(seed, "ab", "c"), wechatsim.OpenID(seed, "a", "bc"), false},
		{"unionid is stable", wechatsim.UnionID(seed, openPlat, "alice"), wechatsim.UnionID(seed, openPlat, "alice"), true},
		{"unionid differs across platforms", wechatsim.UnionID(seed, "op-a", "alice"), wechatsim.UnionID(seed, "op-b", "alice"), false},
		{"unionid is not an openid", wechatsim.UnionID(seed, oaApp, "alice"), wechatsim.OpenID(seed, oaApp, "alice"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, id := range []string{tt.a, tt.b} {
				if !shape.MatchString(id) {
					t.Errorf("%q is not 28 base64url characters starting with o", id)
				}
			}
			if (tt.a == tt.b) != tt.same {
				t.Errorf("%q vs %q: same = %v, want %v", tt.a, tt.b, tt.a == tt.b, tt.same)
			}
		})
	}
}
