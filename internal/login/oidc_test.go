package login_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
)

// authorizeRequest is an OpenID Connect authentication request of the
// fixture's account with PKCE.
func authorizeRequest(scope, nonce, verifier string) login.AuthorizeRequest {
	return login.AuthorizeRequest{TenantID: tenantID, ClientID: appID, RedirectURI: redirectURI, ResponseType: "code",
		Scope: scope, State: "rp-state", Nonce: nonce, CodeChallenge: login.S256(verifier), CodeChallengeMethod: "S256"}
}

// oidcLogin runs an OpenID Connect login as user and redeems its code.
func (f *fixture) oidcLogin(user, scope, nonce string) login.TokenResponse {
	f.t.Helper()
	ctx := context.Background()
	verifier := opaque.New("", 32)
	to, err := f.svc.Authorize(ctx, authorizeRequest(scope, nonce, verifier))
	if err != nil {
		f.t.Fatalf("authorize: %v", err)
	}
	back, err := f.svc.Callback(ctx, f.walk(to, user, nil))
	if err != nil {
		f.t.Fatalf("callback: %v", err)
	}
	u, _ := url.Parse(back)
	if u.Query().Get("state") != "rp-state" {
		f.t.Fatalf("redirect %s lost the state", back)
	}
	resp, err := f.redeem(back, verifier)
	if err != nil {
		f.t.Fatalf("token: %v", err)
	}
	return resp
}

func (f *fixture) refresh(rt, clientID, secret string) (login.TokenResponse, error) {
	return f.svc.Token(context.Background(), login.TokenRequest{TenantID: tenantID, GrantType: "refresh_token",
		RefreshToken: rt, ClientID: clientID, ClientSecret: secret})
}

// idClaims reads an ID token's claims (the end-to-end tests verify its
// signature with real OpenID Connect clients).
func idClaims(t *testing.T, raw string) token.IDClaims {
	t.Helper()
	var c token.IDClaims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuthorizeRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pages := []struct {
		name string
		edit func(*login.AuthorizeRequest)
		want error
	}{
		{"no client_id", func(r *login.AuthorizeRequest) { r.ClientID = "" }, login.ErrBadRequest},
		{"unknown client_id", func(r *login.AuthorizeRequest) { r.ClientID = "wx00000000000000ff" }, login.ErrUnknownAccount},
		{"client of another tenant", func(r *login.AuthorizeRequest) { r.TenantID = "other" }, login.ErrUnknownAccount},
		{"redirect_uri not allowlisted", func(r *login.AuthorizeRequest) { r.RedirectURI = "https://evil.example/cb" }, login.ErrRedirectNotAllowed},
	}
	for _, tc := range pages {
		t.Run(tc.name, func(t *testing.T) {
			r := authorizeRequest("openid", "n", opaque.New("", 32))
			tc.edit(&r)
			if to, err := f.svc.Authorize(ctx, r); !errors.Is(err, tc.want) || to != "" {
				t.Errorf("got %q, %v; want a page for %v and no redirect", to, err, tc.want)
			}
		})
	}
	redirects := []struct {
		name, want string
		edit       func(*login.AuthorizeRequest)
	}{
		{"response_type token", "unsupported_response_type", func(r *login.AuthorizeRequest) { r.ResponseType = "token" }},
		{"no openid in scope", "invalid_scope", func(r *login.AuthorizeRequest) { r.Scope = "snsapi_base" }},
		{"two WeChat scopes", "invalid_scope", func(r *login.AuthorizeRequest) { r.Scope = "openid snsapi_base snsapi_userinfo" }},
		{"plain PKCE", "invalid_request", func(r *login.AuthorizeRequest) { r.CodeChallengeMethod = "plain" }},
		{"nonce too long", "invalid_request", func(r *login.AuthorizeRequest) { r.Nonce = strings.Repeat("n", 513) }},
	}
	for _, tc := range redirects {
		t.Run(tc.name, func(t *testing.T) {
			r := authorizeRequest("openid", "n", opaque.New("", 32))
			tc.edit(&r)
			to, err := f.svc.Authorize(ctx, r)
			u, perr := url.Parse(to)
			if err != nil || perr != nil || !strings.HasPrefix(to, redirectURI+"?") || u.Query().Get("error") != tc.want || u.Query().Get("state") != "rp-state" {
				t.Errorf("got %q, %v; want a redirect with error %s and the state", to, err, tc.want)
			}
		})
	}
}

func TestOIDCLogin(t *testing.T) {
	f := newFixture(t)
	start := f.clock.Now()
	resp := f.oidcLogin("alice", "openid snsapi_userinfo profile", "nonce-Ω 1")
	if resp.IDToken == "" || resp.RefreshToken == "" || resp.Scope != "openid snsapi_userinfo" || resp.TokenType != "Bearer" {
		t.Fatalf("token response %+v: want an ID token, a refresh token and scope openid snsapi_userinfo", resp)
	}
	id := idClaims(t, resp.IDToken)
	if id.Nonce != "nonce-Ω 1" || id.AuthTime == nil || !id.AuthTime.Equal(start.Truncate(time.Second)) ||
		id.OpenID == "" || id.UnionID == "" || id.Nickname == "" || id.Issuer != publicURL+"/t/"+tenantID ||
		len(id.Audience) != 1 || id.Audience[0] != appID || id.Subject == "" || id.Tenant != tenantID {
		t.Errorf("ID token claims %+v", id)
	}
	ctx := context.Background()
	info, err := f.svc.UserInfo(ctx, tenantID, resp.AccessToken)
	if err != nil || info.Subject != id.Subject || info.OpenID != id.OpenID || info.UnionID != id.UnionID || info.Nickname == "" {
		t.Errorf("userinfo: %+v, %v; want the ID token's person", info, err)
	}

	// A login without nonce: the ID token carries none; a hosted login
	// still gets its access token alone.
	if c := idClaims(t, f.oidcLogin("alice", "openid", "").IDToken); c.Nonce != "" || c.Nickname != "" {
		t.Errorf("ID token without nonce, default scope snsapi_base: %+v", c)
	}
	verifier := opaque.New("", 32)
	hosted, err := f.svc.Callback(ctx, f.wechatCallback("snsapi_base", "alice", verifier, nil))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := f.redeem(hosted, verifier)
	if err != nil || plain.IDToken != "" || plain.RefreshToken != "" || plain.Scope != "snsapi_base" {
		t.Errorf("hosted login: %+v, %v; want an access token of scope snsapi_base alone", plain, err)
	}
	if _, err := f.svc.UserInfo(ctx, tenantID, plain.AccessToken); !isOAuth(err, login.OAuthInsufficientScope) {
		t.Errorf("userinfo with a hosted login's token: %v, want insufficient_scope", err)
	}
}

func TestUserInfoRefusesBadTokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	resp := f.oidcLogin("bob", "openid", "n")
	other := strings.Split(resp.AccessToken, ".")
	other[1] = strings.Split(f.oidcLogin("carol", "openid", "n").AccessToken, ".")[1]
	for name, raw := range map[string]string{
		"missing":        "",
		"not a JWT":      "abc",
		"ID token":       resp.IDToken,
		"forged payload": strings.Join(other, "."),
	} {
		if _, err := f.svc.UserInfo(ctx, tenantID, raw); !isOAuth(err, login.OAuthInvalidToken) {
			t.Errorf("%s: %v, want invalid_token", name, err)
		}
	}
	f.clock.Advance(time.Hour + token.Leeway + time.Second)
	if _, err := f.svc.UserInfo(ctx, tenantID, resp.AccessToken); !isOAuth(err, login.OAuthInvalidToken) {
		t.Errorf("expired: %v, want invalid_token", err)
	}
	f.clock.Advance(-time.Hour)
	sub := idClaims(t, resp.IDToken).Subject
	if err := f.db.DeleteIdentity(ctx, tenantID, sub); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UserInfo(ctx, tenantID, resp.AccessToken); !isOAuth(err, login.OAuthInvalidToken) {
		t.Errorf("erased identity: %v, want invalid_token", err)
	}
	if _, err := f.refresh(resp.RefreshToken, appID, ""); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("refresh of an erased identity: %v, want invalid_grant", err)
	}
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	f := newFixture(t)
	first := f.oidcLogin("dave", "openid snsapi_base", "n")
	f.clock.Advance(time.Minute)
	second, err := f.refresh(first.RefreshToken, appID, "")
	if err != nil || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
		t.Fatalf("refresh: %+v, %v; want new tokens", second, err)
	}
	a, b := idClaims(t, first.IDToken), idClaims(t, second.IDToken)
	if b.Subject != a.Subject || !b.AuthTime.Equal(a.AuthTime.Time) || b.Nonce != "" || !b.IssuedAt.After(a.IssuedAt.Time) {
		t.Errorf("refreshed ID token %+v, want the same subject and auth_time as %+v, no nonce, a later iat", b, a)
	}
	if _, err := f.refresh(second.RefreshToken, "wx00000000000000ff", ""); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("another client's refresh: %v, want invalid_grant", err)
	}
	if _, err := f.refresh(first.RefreshToken, appID, ""); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("reused refresh token: %v, want invalid_grant", err)
	}
	if _, err := f.refresh(second.RefreshToken, appID, ""); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("the rotated-to token after a reuse: %v, want invalid_grant", err)
	}

	third := f.oidcLogin("dave", "openid", "n")
	f.clock.Advance(login.RefreshTokenTTL)
	if _, err := f.refresh(third.RefreshToken, appID, ""); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("expired refresh token: %v, want invalid_grant", err)
	}
}

// TestRefreshFailureLeavesTheTokenUsable: a refresh that fails once the
// token was found (here the secret store is away when the signing key must
// be read again) gets a dependency error, for a retry, and the refresh
// token is not used up: the retry gets new tokens, and only then is the
// old one spent.
func TestRefreshFailureLeavesTheTokenUsable(t *testing.T) {
	f := newFixture(t)
	first := f.oidcLogin("erin", "openid snsapi_base", "n")
	f.clock.Advance(token.DefaultCacheTTL) // the signing key is read again
	away := f.secrets + ".away"
	if err := os.Rename(f.secrets, away); err != nil {
		t.Fatal(err)
	}
	_, err := f.refresh(first.RefreshToken, appID, "")
	var oe *login.OAuthError
	if err == nil || errors.As(err, &oe) {
		t.Fatalf("refresh while the secret store is away: %v, want a dependency's error", err)
	}
	if err := os.Rename(away, f.secrets); err != nil {
		t.Fatal(err)
	}
	second, err := f.refresh(first.RefreshToken, appID, "")
	if err != nil || second.RefreshToken == "" {
		t.Fatalf("retried refresh: %+v, %v; want new tokens", second, err)
	}
	if _, err := f.refresh(second.RefreshToken, appID, ""); err != nil {
		t.Errorf("refresh with the retry's token: %v", err)
	}
}

func TestConfidentialClientRefreshesWithItsSecret(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, secret, err := f.svc.Tenants.CreateClientSecret(ctx, tenantID, appID)
	if err != nil {
		t.Fatal(err)
	}
	r := authorizeRequest("openid", "n", "")
	r.CodeChallenge, r.CodeChallengeMethod = "", ""
	to, err := f.svc.Authorize(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := f.svc.Callback(ctx, f.walk(to, "erin", nil))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(back)
	resp, err := f.svc.Token(ctx, login.TokenRequest{TenantID: tenantID, GrantType: "authorization_code", Code: u.Query().Get("code"),
		RedirectURI: redirectURI, ClientID: appID, ClientSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.refresh(resp.RefreshToken, appID, ""); !isOAuth(err, login.OAuthInvalidClient) {
		t.Errorf("refresh without the secret: %v, want invalid_client", err)
	}
	if _, err := f.refresh(resp.RefreshToken, appID, "wxs_wrong"); !isOAuth(err, login.OAuthInvalidClient) {
		t.Errorf("refresh with a wrong secret: %v, want invalid_client", err)
	}
	if err := f.svc.Revoke(ctx, login.RevokeRequest{TenantID: tenantID, Token: resp.RefreshToken, ClientID: appID}); !isOAuth(err, login.OAuthInvalidClient) {
		t.Errorf("revoke without the secret: %v, want invalid_client", err)
	}
	next, err := f.refresh(resp.RefreshToken, appID, secret)
	if err != nil {
		t.Fatalf("refresh with the secret: %v", err)
	}
	if err := f.svc.Revoke(ctx, login.RevokeRequest{TenantID: tenantID, Token: next.RefreshToken, ClientID: appID, ClientSecret: secret}); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := f.refresh(next.RefreshToken, appID, secret); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("refresh after revocation: %v, want invalid_grant", err)
	}
	for name, r := range map[string]login.RevokeRequest{
		"revoked again": {TenantID: tenantID, Token: next.RefreshToken, ClientID: appID, ClientSecret: secret},
		"unknown token": {TenantID: tenantID, Token: "nope", ClientID: appID},
		"access token":  {TenantID: tenantID, Token: next.AccessToken, ClientID: appID},
	} {
		if err := f.svc.Revoke(ctx, r); err != nil {
			t.Errorf("revoke %s: %v, want success (RFC 7009 §2.2)", name, err)
		}
	}
}

// TestOIDCRetryStartsTheAuthenticationRequestAgain: an OpenID Connect
// login that failed offers to start its authentication request again, not
// a hosted login that would lose its nonce and yield no ID token.
func TestOIDCRetryStartsTheAuthenticationRequestAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := authorizeRequest("openid snsapi_base", "nonce-retry", opaque.New("", 32))
	to, err := f.svc.Authorize(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	cb := f.walk(to, "gina", nil)
	f.clock.Advance(login.TransactionTTL)
	_, err = f.svc.Callback(ctx, cb)
	var le *login.Error
	if !errors.As(err, &le) || !errors.Is(err, login.ErrExpired) {
		t.Fatalf("expired callback: %v", err)
	}
	u, perr := url.Parse(le.RetryURL)
	q := u.Query()
	if perr != nil || u.Path != "/t/"+tenantID+"/oauth/authorize" || q.Get("client_id") != appID || q.Get("response_type") != "code" ||
		q.Get("scope") != "openid snsapi_base" || q.Get("nonce") != r.Nonce || q.Get("state") != r.State ||
		q.Get("code_challenge") != r.CodeChallenge || q.Get("redirect_uri") != redirectURI {
		t.Errorf("retry URL %s: want the same authentication request", le.RetryURL)
	}
}
