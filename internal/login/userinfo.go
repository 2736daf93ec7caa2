package login

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// UserInfo is the answer of the userinfo endpoint (OpenID Connect Core
// §5.3): the identity as stored now, its profile for snsapi_userinfo.
type UserInfo struct {
	Subject  string `json:"sub"`
	OpenID   string `json:"openid"`
	UnionID  string `json:"unionid,omitempty"`
	AppID    string `json:"appid"`
	Nickname string `json:"nickname,omitempty"`
	Picture  string `json:"picture,omitempty"`
}

// UserInfo returns the identity an OpenID Connect access token of the
// tenant was issued for. A missing, invalid or expired token, or one whose
// identity was erased or whose account is gone, is invalid_token; one of a
// hosted login (without openid) is insufficient_scope.
func (s *Service) UserInfo(ctx context.Context, tenantID, accessToken string) (UserInfo, error) {
	if accessToken == "" {
		return UserInfo{}, oauthErr(OAuthInvalidToken, "an access token is required")
	}
	aud := audience(accessToken)
	if aud == "" {
		return UserInfo{}, oauthErr(OAuthInvalidToken, "the access token is malformed")
	}
	c, err := s.Signer.Verify(ctx, tenantID, s.Issuer(tenantID), aud, accessToken)
	switch {
	case errors.Is(err, token.ErrInvalidToken):
		return UserInfo{}, oauthErr(OAuthInvalidToken, "the access token is invalid or expired")
	case err != nil:
		return UserInfo{}, fmt.Errorf("userinfo: %w", err)
	case c.Scope == "": // an ID token: access tokens always carry their scope
		return UserInfo{}, oauthErr(OAuthInvalidToken, "the token is not an access token")
	case !slices.Contains(strings.Fields(c.Scope), ScopeOpenID):
		return UserInfo{}, oauthErr(OAuthInsufficientScope, "the access token was not issued for scope openid")
	}
	if _, err := s.account(ctx, tenantID, c.AppID); err != nil {
		return UserInfo{}, oauthOr(err, ErrUnknownAccount, "the account is gone or its tenant is disabled")
	}
	ident, err := s.Tenants.Store.GetIdentity(ctx, tenantID, c.Subject)
	if err != nil {
		return UserInfo{}, oauthOr(err, tenants.ErrNotFound, "the identity no longer exists")
	}
	info := UserInfo{Subject: ident.ID, OpenID: ident.OpenID, UnionID: ident.UnionID, AppID: ident.AppID}
	if slices.Contains(strings.Fields(c.Scope), tenants.ScopeUserInfo) {
		info.Nickname, info.Picture = ident.Nickname, ident.AvatarURL
	}
	return info, nil
}

// oauthOr is invalid_token with desc when err is of kind, else err.
func oauthOr(err, kind error, desc string) error {
	if errors.Is(err, kind) {
		return oauthErr(OAuthInvalidToken, "%s", desc)
	}
	return fmt.Errorf("userinfo: %w", err)
}

// audience is the one audience a JWT names, read before its signature is
// checked; Verify then checks the signature and that audience again.
func audience(raw string) string {
	var c token.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil || len(c.Audience) != 1 {
		return ""
	}
	return c.Audience[0]
}
