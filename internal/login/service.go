package login

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wxlogin/wxlogin/internal/memo"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/tenants"
)

// Lifetimes fixed by the design.
const (
	TransactionTTL = 10 * time.Minute
	CodeTTL        = 60 * time.Second
	ReplayWindow   = time.Minute
	maxStateLength = 512
)

// Signer signs and verifies a tenant's JWTs. *token.Manager is one.
type Signer interface {
	// Sign signs an access token.
	Sign(ctx context.Context, tenantID string, c token.Claims) (string, error)
	// SignID signs an OpenID Connect ID token.
	SignID(ctx context.Context, tenantID string, c token.IDClaims) (string, error)
	// Verify checks an access token of the tenant, issued by issuer to
	// audience; errors wrap token.ErrInvalidToken when the token is at
	// fault.
	Verify(ctx context.Context, tenantID, issuer, audience, raw string) (token.Claims, error)
}

// Service runs hosted logins, and OpenID Connect logins on top of them.
type Service struct {
	Store   Store
	Tenants *tenants.Service
	Signer  Signer
	// WeChat returns the client for an account of the tenant in that mode:
	// WeChat itself for live accounts, the sandbox for sandbox ones.
	WeChat    func(tenantID string, mode tenants.Mode) *wechat.Client
	PublicURL string
	Now       func() time.Time
	// Observer, when set, learns the outcome of every login.
	Observer Observer

	accounts *memo.Cache[accountKey, tenants.Account]
	// directories are the tenants' directories, by tenant.
	directories *memo.Cache[string, directory]
}

type accountKey struct{ tenantID, appID string }

// CacheAccounts keeps the accounts (and their tenant's enabled state) that
// logins read for ttl, saving two database reads on each login step. A
// change to an account reaches this replica within ttl. What logins need
// of all of a tenant's accounts (the origins of their redirect URIs, its
// website apps) is cached alike.
func (s *Service) CacheAccounts(ttl time.Duration) {
	s.accounts = memo.New[accountKey, tenants.Account](ttl, s.Now)
	s.directories = memo.New[string, directory](ttl, s.Now)
}

// StartRequest is the query of GET /t/{tenant}/wechat/{appid}/login.
type StartRequest struct {
	TenantID            string
	AppID               string
	RedirectURI         string
	State               string
	Scope               string
	CodeChallenge       string
	CodeChallengeMethod string
	// OutsideWeChat says the person's browser is not WeChat's (see
	// InWeChat): an official account's login then runs through the
	// tenant's website app, or shows the login URL as a QR code.
	OutsideWeChat bool
}

// InWeChat reports whether a browser's User-Agent is WeChat's in-app
// browser, which always names MicroMessenger.
func InWeChat(userAgent string) bool { return strings.Contains(userAgent, "MicroMessenger") }

// Sweep deletes login transactions and codes that expired, keeping them a
// replay window longer so a late duplicate callback still finds its login.
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	return s.Store.DeleteExpired(ctx, s.Now().Add(-ReplayWindow))
}

// Issuer is the JWT issuer of a tenant.
func (s *Service) Issuer(tenantID string) string { return s.PublicURL + "/t/" + tenantID }

// LoginURL is the hosted login URL of an account.
func (s *Service) LoginURL(tenantID, appID string) string {
	return s.Issuer(tenantID) + "/wechat/" + appID + "/login"
}

func (s *Service) callbackURL(tenantID, appID string) string {
	return s.Issuer(tenantID) + "/wechat/" + appID + "/callback"
}

// Start validates a login request and returns where to send the person: to
// WeChat's authorize page (inside WeChat) or QR login page (a website app,
// outside WeChat), or, when the request is bad but its redirect_uri is
// trusted, back to the tenant with an OAuth error. Errors returned are
// *Error: the redirect_uri cannot be trusted, so the person sees a page;
// ErrOpenInWeChat asks them to scan the login URL with WeChat; when a
// dependency fails, ErrUnavailable offers the same login URL again.
func (s *Service) Start(ctx context.Context, r StartRequest) (to string, err error) {
	defer func() {
		again := Transaction{TenantID: r.TenantID, AppID: r.AppID, RedirectURI: r.RedirectURI, State: r.State,
			Scope: r.Scope, CodeChallenge: r.CodeChallenge}
		err = unavailable(err, s.retryURL(again))
	}()
	acct, err := s.trustedAccount(ctx, r.TenantID, r.AppID, r.RedirectURI)
	if err != nil {
		return "", err
	}
	scope := r.Scope
	if scope == "" {
		scope = acct.DefaultScope
	}
	return s.begin(ctx, acct, Transaction{RedirectURI: r.RedirectURI, State: r.State, Scope: scope,
		CodeChallenge: r.CodeChallenge}, r.CodeChallengeMethod, r.OutsideWeChat)
}

// trustedAccount returns the enabled tenant's account once redirectURI is
// known to be on its allowlist; until then errors are *Error, for a page.
func (s *Service) trustedAccount(ctx context.Context, tenantID, appID, redirectURI string) (tenants.Account, error) {
	acct, err := s.account(ctx, tenantID, appID)
	if err != nil {
		return tenants.Account{}, err
	}
	if redirectURI == "" || !acct.AllowsRedirect(redirectURI) {
		return tenants.Account{}, &Error{Kind: ErrRedirectNotAllowed, Detail: redirectURI}
	}
	return acct, nil
}

// begin checks what a login request (hosted or OpenID Connect) carries
// besides its account and redirect_uri, stores tx as a new transaction of
// acct, and returns WeChat's authorize or QR login URL (see loginApp); or
// the redirect_uri with an OAuth error when a check fails.
func (s *Service) begin(ctx context.Context, acct tenants.Account, tx Transaction, challengeMethod string, outsideWeChat bool) (string, error) {
	switch {
	case !acct.Scopes(tx.Scope) && acct.Kind == tenants.KindWebsite:
		return denied(tx, "invalid_scope", "the scope of a website app is snsapi_login"), nil
	case !acct.Scopes(tx.Scope):
		return denied(tx, "invalid_scope", "scope must be snsapi_base or snsapi_userinfo"), nil
	case len(tx.State) > maxStateLength:
		return denied(tx, OAuthInvalidRequest, fmt.Sprintf("state is longer than %d bytes", maxStateLength)), nil
	case len(tx.Nonce) > maxStateLength:
		return denied(tx, OAuthInvalidRequest, fmt.Sprintf("nonce is longer than %d bytes", maxStateLength)), nil
	case tx.CodeChallenge == "" && challengeMethod != "":
		return denied(tx, OAuthInvalidRequest, "code_challenge_method without code_challenge"), nil
	case tx.CodeChallenge != "" && challengeMethod != "S256":
		return denied(tx, OAuthInvalidRequest, "code_challenge_method must be S256"), nil
	case tx.CodeChallenge != "" && !validChallenge(tx.CodeChallenge):
		return denied(tx, OAuthInvalidRequest, "code_challenge must be 43 base64url characters"), nil
	}
	tx.TenantID, tx.AppID = acct.TenantID, acct.AppID
	app, err := s.loginApp(ctx, acct, tx, outsideWeChat)
	if err != nil {
		return "", err
	}
	if app.Kind == tenants.KindWebsite {
		tx.Scope = tenants.ScopeLogin
	}
	now := s.Now().UTC()
	tx.ID, tx.CreatedAt, tx.ExpiresAt = opaque.Hex(16), now, now.Add(TransactionTTL)
	if err := s.Store.CreateTransaction(ctx, tx); err != nil {
		return "", fmt.Errorf("start login: %w", err)
	}
	return s.authorizeURL(app, tx), nil
}

// denied is tx's redirect_uri with an OAuth error and the tenant's state.
func denied(tx Transaction, code, desc string) string {
	return withQuery(tx.RedirectURI, "error", code, "error_description", desc, "state", tx.State)
}

// authorizeURL is WeChat's page that authorizes tx with app: the official
// account's authorize page, or the website app's QR login. Either way
// WeChat returns to the callback of the account the login started at.
func (s *Service) authorizeURL(app tenants.Account, tx Transaction) string {
	client, callback := s.WeChat(app.TenantID, app.Mode), s.callbackURL(tx.TenantID, tx.AppID)
	if app.Kind == tenants.KindWebsite {
		return client.QRConnectURL(app.AppID, callback, tx.ID)
	}
	return client.AuthorizeURL(app.AppID, callback, tx.Scope, tx.ID)
}

// retryURL starts the transaction's login again from the beginning: its
// OpenID Connect authentication request, or its hosted login URL. A QR
// login (snsapi_login) starts again without a scope, so that the login
// again runs where the person is.
func (s *Service) retryURL(tx Transaction) string {
	scope := tx.Scope
	if scope == tenants.ScopeLogin {
		scope = ""
	}
	q := url.Values{"redirect_uri": {tx.RedirectURI}}
	if scope != "" {
		q.Set("scope", scope)
	}
	if tx.State != "" {
		q.Set("state", tx.State)
	}
	if tx.CodeChallenge != "" {
		q.Set("code_challenge", tx.CodeChallenge)
		q.Set("code_challenge_method", "S256")
	}
	if !tx.OIDC {
		return s.LoginURL(tx.TenantID, tx.AppID) + "?" + q.Encode()
	}
	q.Set("client_id", tx.AppID)
	q.Set("response_type", "code")
	q.Set("scope", strings.TrimSpace(ScopeOpenID+" "+scope))
	if tx.Nonce != "" {
		q.Set("nonce", tx.Nonce)
	}
	return s.AuthorizeEndpoint(tx.TenantID) + "?" + q.Encode()
}

// account returns an enabled tenant's account, or ErrUnknownAccount.
func (s *Service) account(ctx context.Context, tenantID, appID string) (tenants.Account, error) {
	if s.accounts == nil {
		return s.loadAccount(ctx, tenantID, appID)
	}
	return s.accounts.Get(ctx, accountKey{tenantID, appID}, func(ctx context.Context) (tenants.Account, error) {
		return s.loadAccount(ctx, tenantID, appID)
	})
}

func (s *Service) loadAccount(ctx context.Context, tenantID, appID string) (tenants.Account, error) {
	err := s.enabledTenant(ctx, tenantID)
	var acct tenants.Account
	if err == nil {
		acct, err = s.Tenants.Store.GetAccount(ctx, tenantID, appID)
	}
	if errors.Is(err, tenants.ErrNotFound) {
		return tenants.Account{}, &Error{Kind: ErrUnknownAccount, Detail: tenantID + "/" + appID}
	}
	return acct, err
}

// enabledTenant is nil for an enabled tenant, and tenants.ErrNotFound for
// a disabled or unknown one.
func (s *Service) enabledTenant(ctx context.Context, tenantID string) error {
	t, err := s.Tenants.Store.GetTenant(ctx, tenantID)
	if err == nil && t.Disabled {
		err = tenants.ErrNotFound
	}
	return err
}

// withQuery adds key/value pairs to u's query, keeping what it has (an
// allowlisted redirect_uri may carry its own query).
func withQuery(u string, kv ...string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := parsed.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	parsed.RawQuery = q.Encode()
	return parsed.String()
}
