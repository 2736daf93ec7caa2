package login

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// Grant types of the token endpoint.
const (
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
)

// RefreshTokenTTL is how long a refresh token may be used; each refresh
// issues a new one with a new lifetime.
const RefreshTokenTTL = 30 * 24 * time.Hour

// TokenRequest is the form of POST /t/{tenant}/oauth/token, with the client
// credentials from HTTP Basic or the form.
type TokenRequest struct {
	TenantID     string
	GrantType    string
	Code         string
	RedirectURI  string
	CodeVerifier string
	RefreshToken string
	ClientID     string
	ClientSecret string
}

// TokenResponse is the RFC 6749 §5.1 answer; OpenID Connect logins also
// get an ID token and a refresh token.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// Token redeems a wxlogin code, or an OpenID Connect login's refresh
// token, for signed JWTs. Client credentials, when presented, are checked
// before the code or refresh token is touched, so a wrong secret never
// burns one; a code is spent only with the answer that carries its tokens.
// Failures are *OAuthError, or a plain error when a dependency is down.
func (s *Service) Token(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	switch r.GrantType {
	case "":
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "grant_type is required")
	case grantAuthorizationCode:
		return s.redeemCode(ctx, r)
	case grantRefreshToken:
		return s.refresh(ctx, r)
	}
	return TokenResponse{}, oauthErr(OAuthUnsupportedGrantType, "grant_type must be authorization_code or refresh_token")
}

func (s *Service) redeemCode(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	switch {
	case r.Code == "":
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "code is required")
	case r.RedirectURI == "":
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "redirect_uri is required")
	}
	authenticated, err := s.authenticate(ctx, r.TenantID, r.ClientID, r.ClientSecret)
	if err != nil {
		return TokenResponse{}, err
	}
	hash, now := opaque.Hash(r.Code), s.Now().UTC()
	code, ident, err := s.Store.GetCode(ctx, r.TenantID, hash, now)
	if errors.Is(err, tenants.ErrNotFound) {
		return TokenResponse{}, errUnknownCode
	}
	if err != nil {
		return TokenResponse{}, fmt.Errorf("redeem code: %w", err)
	}
	if err := checkGrant(code, r, authenticated); err != nil {
		return TokenResponse{}, err
	}
	l := session{TenantID: code.TenantID, AppID: code.AppID, Scope: code.Scope, OIDC: code.OIDC, Nonce: code.Nonce, AuthTime: code.AuthTime}
	refresh := ""
	if code.OIDC {
		refresh = opaque.New("", 32)
	}
	resp, err := s.issue(ctx, l, ident, refresh)
	if err != nil {
		return TokenResponse{}, err
	}
	if code.OIDC {
		// Stored before the code is spent: if spending fails, the refresh
		// token is one nobody was given, swept when it expires.
		rt := l.refreshToken(opaque.Hash(refresh), ident.ID, authenticated, now)
		rt.FamilyID = opaque.Hex(16)
		if err := s.Store.CreateRefreshToken(ctx, rt); err != nil {
			return TokenResponse{}, fmt.Errorf("redeem code: %w", err)
		}
	}
	// The code is spent last, once its answer is ready: a failure before
	// (the database or the secret store down) leaves it to the client's
	// retry, and of two concurrent redemptions only one is answered.
	err = s.Store.RedeemCode(ctx, r.TenantID, hash, now)
	if errors.Is(err, tenants.ErrNotFound) {
		return TokenResponse{}, errUnknownCode
	}
	if err != nil {
		return TokenResponse{}, fmt.Errorf("redeem code: %w", err)
	}
	s.observeToken(l.TenantID, l.AppID)
	return resp, nil
}

// errUnknownCode: the tenant has no usable code of that value.
var errUnknownCode = oauthErr(OAuthInvalidGrant, "code is invalid, expired or already used")

// authenticate checks client credentials when a client_secret is
// presented: it reports whether the client authenticated, or fails with
// invalid_client.
func (s *Service) authenticate(ctx context.Context, tenantID, clientID, secret string) (bool, error) {
	switch {
	case secret == "":
		return false, nil
	case clientID == "":
		return false, oauthErr(OAuthInvalidClient, "client_secret without client_id")
	}
	ok, err := s.Tenants.CheckClientSecret(ctx, tenantID, clientID, secret)
	if err != nil && !errors.Is(err, tenants.ErrNotFound) {
		return false, err
	}
	if !ok {
		return false, oauthErr(OAuthInvalidClient, "unknown client or wrong client_secret")
	}
	return true, nil
}

// checkGrant applies RFC 6749 §4.1.3 and RFC 7636 §4.6 to a redeemed code.
func checkGrant(code Code, r TokenRequest, authenticated bool) error {
	switch {
	case r.ClientID != "" && r.ClientID != code.AppID:
		return oauthErr(OAuthInvalidGrant, "code was issued to another client")
	case r.RedirectURI != code.RedirectURI:
		return oauthErr(OAuthInvalidGrant, "redirect_uri does not match the one the login started with")
	case code.CodeChallenge != "" && r.CodeVerifier == "":
		return oauthErr(OAuthInvalidRequest, "code_verifier is required: the login started with a code_challenge")
	case code.CodeChallenge != "" && !verifyPKCE(code.CodeChallenge, r.CodeVerifier):
		return oauthErr(OAuthInvalidGrant, "code_verifier does not match the code_challenge")
	case code.CodeChallenge == "" && !authenticated:
		return oauthErr(OAuthInvalidClient, "client authentication is required: the login started without a code_challenge")
	}
	return nil
}

// session is the login tokens are issued for: an identity's login to an
// account with a WeChat scope, and for OpenID Connect its nonce and time.
type session struct {
	TenantID string
	AppID    string
	Scope    string
	OIDC     bool
	Nonce    string
	AuthTime time.Time
}

// refreshToken is a new refresh token of the session's family, issued now.
func (l session) refreshToken(hash, identityID string, confidential bool, now time.Time) RefreshToken {
	return RefreshToken{
		Hash: hash, TenantID: l.TenantID, AppID: l.AppID, IdentityID: identityID, Scope: l.Scope,
		Confidential: confidential, AuthTime: l.AuthTime, CreatedAt: now, ExpiresAt: now.Add(RefreshTokenTTL),
	}
}

// issue signs the session's access token and, for OpenID Connect, its ID
// token, and answers with them and the refresh token given.
func (s *Service) issue(ctx context.Context, l session, ident tenants.Identity, refresh string) (TokenResponse, error) {
	acct, err := s.account(ctx, l.TenantID, l.AppID)
	if errors.Is(err, ErrUnknownAccount) {
		return TokenResponse{}, oauthErr(OAuthInvalidGrant, "the account is gone or its tenant is disabled")
	}
	if err != nil {
		return TokenResponse{}, fmt.Errorf("issue token: %w", err)
	}
	now := s.Now().UTC()
	scope := l.Scope
	if l.OIDC {
		scope = grantedScope(l.Scope)
	}
	registered := jwt.RegisteredClaims{
		Issuer:    s.Issuer(l.TenantID),
		Subject:   ident.ID,
		Audience:  jwt.ClaimStrings{l.AppID},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(acct.TokenTTL)),
	}
	// The openid and appid are of the app that logged the person in: the
	// website app after a QR login, the audience otherwise.
	claims := token.Claims{
		RegisteredClaims: registered,
		OpenID:           ident.OpenID, UnionID: ident.UnionID, AppID: ident.AppID, Tenant: l.TenantID, Scope: scope,
	}
	claims.ID = opaque.New("", 16)
	if l.Scope == tenants.ScopeUserInfo {
		claims.Nickname, claims.Picture = ident.Nickname, ident.AvatarURL
	}
	resp := TokenResponse{TokenType: "Bearer", ExpiresIn: int64(acct.TokenTTL.Seconds()), Scope: scope, RefreshToken: refresh}
	if resp.AccessToken, err = s.Signer.Sign(ctx, l.TenantID, claims); err != nil {
		return TokenResponse{}, fmt.Errorf("issue token: %w", err)
	}
	if l.OIDC {
		id := token.IDClaims{
			RegisteredClaims: registered, AuthTime: jwt.NewNumericDate(l.AuthTime), Nonce: l.Nonce,
			AccessTokenHash: token.AccessTokenHash(resp.AccessToken), OpenID: ident.OpenID, UnionID: ident.UnionID, AppID: ident.AppID, Tenant: l.TenantID,
			Nickname: claims.Nickname, Picture: claims.Picture,
		}
		if resp.IDToken, err = s.Signer.SignID(ctx, l.TenantID, id); err != nil {
			return TokenResponse{}, fmt.Errorf("issue token: %w", err)
		}
	}
	return resp, nil
}
