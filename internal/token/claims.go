package token

import (
	"crypto/sha256"
	"encoding/base64"

	"github.com/golang-jwt/jwt/v5"
)

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
	Nonce string `json:"nonce,omitempty"`
	// AccessTokenHash (at_hash) binds the access token issued with the ID
	// token to it: see AccessTokenHash.
	AccessTokenHash string `json:"at_hash,omitempty"`
	OpenID          string `json:"openid"`
	UnionID         string `json:"unionid,omitempty"`
	AppID           string `json:"appid"`
	Tenant          string `json:"tenant"`
	// Nickname and Picture are set for snsapi_userinfo logins.
	Nickname string `json:"nickname,omitempty"`
	Picture  string `json:"picture,omitempty"`
}

// AccessTokenHash is the at_hash of an access token for an ES256 ID token
// (OpenID Connect Core §3.1.3.6): the base64url left half of its SHA-256.
func AccessTokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}
