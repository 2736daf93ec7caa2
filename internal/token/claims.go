package token

import "github.com/golang-jwt/jwt/v5"

// Claims is the payload of a wxlogin access token.
type Claims struct {
	// RegisteredClaims holds iss ({public_url}/t/{tenant}), sub (the
	// identity ID), aud (the AppID), exp, iat and jti.
	jwt.RegisteredClaims
	OpenID  string `json:"openid"`
	UnionID string `json:"unionid,omitempty"`
	AppID   string `json:"appid"`
	Tenant  string `json:"tenant"`
	Scope   string `json:"scope"`
	// Nickname and Picture are set for snsapi_userinfo logins.
	Nickname string `json:"nickname,omitempty"`
	Picture  string `json:"picture,omitempty"`
}
