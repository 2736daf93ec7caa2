package wechat

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Token is a web-authorization user token. It is not the account's basic
// cgi-bin access_token and is not interchangeable with it.
type Token struct {
	AccessToken string
	// ExpiresIn is the access token's lifetime in seconds (7200).
	ExpiresIn    int
	RefreshToken string
	// OpenID identifies the person within one AppID.
	OpenID string
	// UnionID identifies the person across the apps of one Open Platform
	// account; empty for snsapi_base or when the app is not bound.
	UnionID string
	// Scopes are the granted scopes, e.g. [snsapi_userinfo].
	Scopes []string
	// SnapshotUser marks a snapshot-mode virtual user (is_snapshotuser=1).
	SnapshotUser bool
}

type tokenResponse struct {
	AccessToken    string `json:"access_token"`
	ExpiresIn      int    `json:"expires_in"`
	RefreshToken   string `json:"refresh_token"`
	OpenID         string `json:"openid"`
	Scope          string `json:"scope"`
	UnionID        string `json:"unionid"`
	IsSnapshotUser int    `json:"is_snapshotuser"`
}

// Exchange redeems an authorization code for a Token
// (GET /sns/oauth2/access_token). A code is single use: a second redemption
// fails with CodeCodeUsed or CodeInvalidCode. For a snapshot-mode person it
// returns the Token and ErrSnapshotUser.
func (c *Client) Exchange(ctx context.Context, appID, secret, code string) (Token, error) {
	q := url.Values{
		"appid":      {appID},
		"secret":     {secret},
		"code":       {code},
		"grant_type": {"authorization_code"},
	}
	tok, err := c.token(ctx, "/sns/oauth2/access_token", q)
	if err == nil && tok.SnapshotUser {
		err = ErrSnapshotUser
	}
	return tok, err
}

// Refresh renews the access token of a grant (GET /sns/oauth2/refresh_token).
// The answer usually carries no UnionID. CodeInvalidRefreshToken and
// CodeRefreshTokenExpired mean the person must authorize again.
func (c *Client) Refresh(ctx context.Context, appID, refreshToken string) (Token, error) {
	q := url.Values{
		"appid":         {appID},
		"grant_type":    {"refresh_token"},
		"refresh_token": {refreshToken},
	}
	return c.token(ctx, "/sns/oauth2/refresh_token", q)
}

func (c *Client) token(ctx context.Context, path string, q url.Values) (Token, error) {
	var r tokenResponse
	if err := c.get(ctx, path, q, &r); err != nil {
		return Token{}, err
	}
	if r.AccessToken == "" || r.OpenID == "" {
		return Token{}, fmt.Errorf("%w: GET %s: no access_token or openid", ErrBadResponse, path)
	}
	return Token{
		AccessToken:  r.AccessToken,
		ExpiresIn:    r.ExpiresIn,
		RefreshToken: r.RefreshToken,
		OpenID:       r.OpenID,
		UnionID:      r.UnionID,
		Scopes:       splitScopes(r.Scope),
		SnapshotUser: r.IsSnapshotUser == 1,
	}, nil
}

// splitScopes splits WeChat's comma-separated scope, which has been seen
// with a trailing comma ("snsapi_userinfo,").
func splitScopes(s string) []string {
	var scopes []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			scopes = append(scopes, part)
		}
	}
	return scopes
}
