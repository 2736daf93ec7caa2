package login

import (
	"context"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// TokenRequest is the form of POST /t/{tenant}/oauth/token, with the client
// credentials from HTTP Basic or the form.
type TokenRequest struct {
	TenantID     string
	GrantType    string
	Code         string
	RedirectURI  string
	CodeVerifier string
	ClientID     string
	ClientSecret string
}

// TokenResponse is the RFC 6749 §5.1 answer.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// Token redeems a wxlogin code for a signed JWT. Client credentials, when
// presented, are checked before the code is touched, so a wrong secret never
// burns a code. Failures are *OAuthError, or a plain error when a dependency
// is down.
func (s *Service) Token(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	switch {
	case r.GrantType == "":
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "grant_type is required")
	case r.GrantType != "authorization_code":
		return TokenResponse{}, oauthErr(OAuthUnsupportedGrantType, "only authorization_code is supported")
	case r.Code == "":
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "code is required")
	case r.RedirectURI == "":
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "redirect_uri is required")
	case r.ClientSecret != "" && r.ClientID == "":
		return TokenResponse{}, oauthErr(OAuthInvalidClient, "client_secret without client_id")
	}
	authenticated := false
	if r.ClientSecret != "" {
		ok, err := s.Tenants.CheckClientSecret(ctx, r.TenantID, r.ClientID, r.ClientSecret)
		if err != nil && !errors.Is(err, tenants.ErrNotFound) {
			return TokenResponse{}, err
		}
		if !ok {
			return TokenResponse{}, oauthErr(OAuthInvalidClient, "unknown client or wrong client_secret")
		}
		authenticated = true
	}
	code, ident, err := s.Store.RedeemCode(ctx, r.TenantID, opaque.Hash(r.Code), s.Now().UTC())
	if errors.Is(err, tenants.ErrNotFound) {
		return TokenResponse{}, oauthErr(OAuthInvalidGrant, "code is invalid, expired or already used")
	}
	if err != nil {
		return TokenResponse{}, fmt.Errorf("redeem code: %w", err)
	}
	if err := checkGrant(code, r, authenticated); err != nil {
		return TokenResponse{}, err
	}
	return s.issue(ctx, code, ident)
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

func (s *Service) issue(ctx context.Context, code Code, ident tenants.Identity) (TokenResponse, error) {
	acct, err := s.account(ctx, code.TenantID, code.AppID)
	if err != nil {
		return TokenResponse{}, fmt.Errorf("issue token: %w", err)
	}
	now := s.Now().UTC()
	claims := token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.Issuer(code.TenantID),
			Subject:   ident.ID,
			Audience:  jwt.ClaimStrings{code.AppID},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(acct.TokenTTL)),
			ID:        opaque.New("", 16),
		},
		OpenID: ident.OpenID, UnionID: ident.UnionID, AppID: code.AppID, Tenant: code.TenantID, Scope: code.Scope,
	}
	if code.Scope == tenants.ScopeUserInfo {
		claims.Nickname, claims.Picture = ident.Nickname, ident.AvatarURL
	}
	signed, err := s.Signer.Sign(ctx, code.TenantID, claims)
	if err != nil {
		return TokenResponse{}, fmt.Errorf("issue token: %w", err)
	}
	s.observeToken(code)
	return TokenResponse{AccessToken: signed, TokenType: "Bearer", ExpiresIn: int64(acct.TokenTTL.Seconds()), Scope: code.Scope}, nil
}
