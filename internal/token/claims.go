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

// IDClaims is the payload of an OpenID Connect ID token: who logged in to
// which client (aud is the client_id, the AppID), when, and for which
// authentication request (nonce).
type IDClaims struct {
	// RegisteredClaims holds iss, sub (the identity ID), aud, exp and iat.
	jwt.RegisteredClaims
	AuthTime *jwt.NumericDate `json:"auth_time"`
	// Nonce is the authentication request's nonce, exactly as given;
	// absent when it had none.
	Nonce   string `json:"nonce,omitempty"`
	OpenID  string `json:"openid"`
	UnionID string `json:"unionid,omitempty"`
	AppID   string `json:"appid"`
	Tenant  string `json:"tenant"`
	// Nickname and Picture are set for snsapi_userinfo logins.
	Nickname string `json:"nickname,omitempty"`
	Picture  string `json:"picture,omitempty"`
}
