package wechatsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// OpenID returns the openid of user within appID: 28 base64url characters
// starting with 'o', stable for a seed, different across apps.
func OpenID(seed []byte, appID, user string) string {
	return "o" + derive(seed, "openid", appID, user)[:27]
}

// UnionID returns the unionid of user within an Open Platform account: the
// same for every app bound to openPlatformID.
func UnionID(seed []byte, openPlatformID, user string) string {
	return "o" + derive(seed, "unionid", openPlatformID, user)[:27]
}

// avatarURL returns a stable, realistic 132×132 avatar URL for user.
func avatarURL(seed []byte, user string) string {
	return "https://thirdwx.qlogo.cn/mmopen/" + derive(seed, "avatar", user) + "/132"
}

// derive returns base64url(HMAC-SHA256(seed, parts)), 43 characters. Parts
// are NUL-terminated so that ("ab", "c") and ("a", "bc") differ.
func derive(seed []byte, parts ...string) string {
	mac := hmac.New(sha256.New, seed)
	for _, p := range parts {
		mac.Write([]byte(p))
		mac.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// newCode returns a fresh authorization code: 32 characters.
func newCode() string { return opaque.New("", 24) }

// newToken returns a fresh access or refresh token shaped like WeChat's:
// a numeric prefix and 100 base64url characters.
func newToken() string { return opaque.New("83_", 75) }

// rid returns a request id as WeChat appends it to errmsg.
func rid() string {
	return opaque.Hex(4) + "-" + opaque.Hex(4) + "-" + opaque.Hex(4)
}
