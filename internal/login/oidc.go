package login

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// ScopeOpenID marks an OpenID Connect authentication request.
const ScopeOpenID = "openid"

// AuthorizeRequest is the query of GET /t/{tenant}/oauth/authorize, an
// OpenID Connect authentication request (authorization code flow). The
// client_id is the AppID of one of the tenant's accounts.
type AuthorizeRequest struct {
	TenantID            string
	ClientID            string
	RedirectURI         string
	ResponseType        string
	Scope               string
	State               string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
	// OutsideWeChat: as in StartRequest.
	OutsideWeChat bool
}

// AuthorizeEndpoint is the tenant's OpenID Connect authorization endpoint.
func (s *Service) AuthorizeEndpoint(tenantID string) string {
	return s.Issuer(tenantID) + "/oauth/authorize"
}

// Authorize validates an authentication request and returns where to send
// the person, as Start does: an unknown client_id (another tenant's
// included) or a redirect_uri not on its allowlist is an *Error, shown as a
// page; once the redirect_uri is trusted, a bad request goes back to it
// with an OAuth error. The login then runs as a hosted login of the
// account, with the WeChat scope named in scope (snsapi_base or
// snsapi_userinfo; the account's default when it names none) next to
// openid. Other scope values are ignored (OpenID Connect Core §3.1.2.1).
// When a dependency fails, ErrUnavailable offers the same request again.
func (s *Service) Authorize(ctx context.Context, r AuthorizeRequest) (to string, err error) {
	defer func() {
		scope, _ := wechatScope(r.Scope)
		again := Transaction{TenantID: r.TenantID, AppID: r.ClientID, RedirectURI: r.RedirectURI, State: r.State,
			Scope: scope, CodeChallenge: r.CodeChallenge, OIDC: true, Nonce: r.Nonce}
		err = unavailable(err, s.retryURL(again))
	}()
	if r.ClientID == "" {
		return "", &Error{Kind: ErrBadRequest, Detail: "client_id is required"}
	}
	acct, err := s.trustedAccount(ctx, r.TenantID, r.ClientID, r.RedirectURI)
	if err != nil {
		return "", err
	}
	tx := Transaction{RedirectURI: r.RedirectURI, State: r.State, OIDC: true, Nonce: r.Nonce, CodeChallenge: r.CodeChallenge}
	scope, ok := wechatScope(r.Scope)
	switch {
	case r.ResponseType != "code":
		return denied(tx, "unsupported_response_type", "response_type must be code"), nil
	case !ok:
		return denied(tx, "invalid_scope", "scope must hold openid and at most one of snsapi_base and snsapi_userinfo"), nil
	}
	tx.Scope = cmp.Or(scope, acct.DefaultScope)
	return s.begin(ctx, acct, tx, r.CodeChallengeMethod, r.OutsideWeChat)
}

// wechatScope reads an OpenID Connect scope: it must hold openid, and
// names at most one WeChat scope, returned ("" when none).
func wechatScope(scope string) (string, bool) {
	var openid bool
	var wechat []string
	for _, v := range strings.Fields(scope) {
		switch v {
		case ScopeOpenID:
			openid = true
		case tenants.ScopeBase, tenants.ScopeUserInfo:
			wechat = append(wechat, v)
		}
	}
	if !openid || len(wechat) > 1 {
		return "", false
	}
	return strings.Join(wechat, ""), true
}

// grantedScope is the scope an OpenID Connect login's tokens carry.
func grantedScope(wechat string) string { return ScopeOpenID + " " + wechat }

// Discovery is the tenant's OpenID Provider metadata (OpenID Connect
// Discovery 1.0 §3).
type Discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	RevocationEndpointAuthMethods     []string `json:"revocation_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
}

// Discovery returns an enabled tenant's OpenID Provider metadata;
// tenants.ErrNotFound for an unknown or disabled tenant. Subjects are
// pairwise: sub is the identity, one per account (client) and person.
func (s *Service) Discovery(ctx context.Context, tenantID string) (Discovery, error) {
	if err := s.enabledTenant(ctx, tenantID); err != nil {
		return Discovery{}, fmt.Errorf("discovery: %w", err)
	}
	iss := s.Issuer(tenantID)
	auth := []string{"client_secret_basic", "client_secret_post", "none"}
	return Discovery{
		Issuer:                            iss,
		AuthorizationEndpoint:             s.AuthorizeEndpoint(tenantID),
		TokenEndpoint:                     iss + "/oauth/token",
		UserinfoEndpoint:                  iss + "/oauth/userinfo",
		RevocationEndpoint:                iss + "/oauth/revoke",
		JWKSURI:                           iss + "/.well-known/jwks.json",
		ScopesSupported:                   []string{ScopeOpenID, tenants.ScopeBase, tenants.ScopeUserInfo},
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query"},
		GrantTypesSupported:               []string{grantAuthorizationCode, grantRefreshToken},
		SubjectTypesSupported:             []string{"pairwise"},
		IDTokenSigningAlgValuesSupported:  []string{token.Alg},
		TokenEndpointAuthMethodsSupported: auth,
		RevocationEndpointAuthMethods:     auth,
		CodeChallengeMethodsSupported:     []string{"S256"},
		ClaimsSupported: []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
			"openid", "unionid", "appid", "tenant", "nickname", "picture"},
	}, nil
}
