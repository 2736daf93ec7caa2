package login

import (
	"context"
	"errors"
	"fmt"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

// errUnknownRefreshToken: the tenant has no usable refresh token of that
// value (none, expired or revoked).
var errUnknownRefreshToken = oauthErr(OAuthInvalidGrant, "refresh token is invalid, expired or revoked")

// refresh answers grant_type=refresh_token (RFC 6749 §6): new access and
// ID tokens are signed, then the token is used up and its successor
// stored. A token presented a second time revokes its family (OAuth 2.0
// Security BCP §4.14.2). The scope stays the one granted at login.
func (s *Service) refresh(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	if r.RefreshToken == "" {
		return TokenResponse{}, oauthErr(OAuthInvalidRequest, "refresh_token is required")
	}
	old, err := s.clientsRefreshToken(ctx, r.TenantID, r.RefreshToken, r.ClientID, r.ClientSecret)
	if err != nil {
		return TokenResponse{}, err
	}
	ident, err := s.Tenants.Store.GetIdentity(ctx, r.TenantID, old.IdentityID)
	switch {
	case errors.Is(err, tenants.ErrNotFound):
		return TokenResponse{}, errUnknownRefreshToken
	case err != nil:
		return TokenResponse{}, fmt.Errorf("refresh: %w", err)
	}
	l := session{TenantID: old.TenantID, AppID: old.AppID, Scope: old.Scope, OIDC: true, AuthTime: old.AuthTime}
	refresh := opaque.New("", 32)
	resp, err := s.issue(ctx, l, ident, refresh)
	if err != nil {
		return TokenResponse{}, err
	}
	// The token is used up last, once its answer is ready: a failure
	// before (the database or the secret store down) leaves it to the
	// client's retry, and of two concurrent refreshes only one is answered.
	now := s.Now().UTC()
	err = s.Store.RotateRefreshToken(ctx, r.TenantID, old.Hash,
		l.refreshToken(opaque.Hash(refresh), old.IdentityID, old.Confidential, now), now)
	switch {
	case errors.Is(err, ErrRefreshTokenReused):
		return TokenResponse{}, oauthErr(OAuthInvalidGrant, "refresh token was used before: every token of its login is revoked")
	case errors.Is(err, tenants.ErrNotFound):
		return TokenResponse{}, errUnknownRefreshToken
	case err != nil:
		return TokenResponse{}, fmt.Errorf("refresh: %w", err)
	}
	s.observeToken(l.TenantID, l.AppID)
	return resp, nil
}

// clientsRefreshToken returns the refresh token with that value once the
// client presenting it may use it: the client it was issued to, having
// authenticated if that client did at login. An unknown token is
// invalid_grant.
func (s *Service) clientsRefreshToken(ctx context.Context, tenantID, value, clientID, secret string) (RefreshToken, error) {
	authenticated, err := s.authenticate(ctx, tenantID, clientID, secret)
	if err != nil {
		return RefreshToken{}, err
	}
	t, err := s.Store.GetRefreshToken(ctx, tenantID, opaque.Hash(value))
	switch {
	case errors.Is(err, tenants.ErrNotFound):
		return RefreshToken{}, errUnknownRefreshToken
	case err != nil:
		return RefreshToken{}, fmt.Errorf("get refresh token: %w", err)
	case clientID != "" && clientID != t.AppID:
		return RefreshToken{}, oauthErr(OAuthInvalidGrant, "refresh token was issued to another client")
	case t.Confidential && !authenticated:
		return RefreshToken{}, oauthErr(OAuthInvalidClient, "client authentication is required: the refresh token was issued to an authenticated client")
	}
	return t, nil
}

// RevokeRequest is the form of POST /t/{tenant}/oauth/revoke (RFC 7009),
// with the client credentials from HTTP Basic or the form.
type RevokeRequest struct {
	TenantID     string
	Token        string
	ClientID     string
	ClientSecret string
}

// Revoke revokes a refresh token and every token of its family, so that
// neither it nor the tokens rotated from it refresh again. Access and ID
// tokens are JWTs checked offline: they stay valid until they expire, and
// revoking one, like an unknown or expired token, is answered with success
// (RFC 7009 §2.2). The client must identify itself with client_id, and
// authenticate when it did at login.
func (s *Service) Revoke(ctx context.Context, r RevokeRequest) error {
	switch {
	case r.Token == "":
		return oauthErr(OAuthInvalidRequest, "token is required")
	case r.ClientID == "":
		return oauthErr(OAuthInvalidClient, "client_id is required")
	}
	t, err := s.clientsRefreshToken(ctx, r.TenantID, r.Token, r.ClientID, r.ClientSecret)
	if errors.Is(err, errUnknownRefreshToken) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.Store.RevokeRefreshFamily(ctx, r.TenantID, t.FamilyID, s.Now().UTC()); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	return nil
}
