package login

import (
	"context"
	"errors"
	"fmt"
	"net/url"
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

// Signer signs a tenant's JWTs. *token.Manager is one.
type Signer interface {
	Sign(ctx context.Context, tenantID string, c token.Claims) (string, error)
}

// Service runs hosted logins.
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
	origins  *memo.Cache[string, map[string]bool]
}

type accountKey struct{ tenantID, appID string }

// CacheAccounts keeps the accounts (and their tenant's enabled state) that
// logins read for ttl, saving two database reads on each login step. A
// change to an account reaches this replica within ttl. The origins of
// each tenant's redirect URIs (see AllowsOrigin) are cached alike.
func (s *Service) CacheAccounts(ttl time.Duration) {
	s.accounts = memo.New[accountKey, tenants.Account](ttl, s.Now)
	s.origins = memo.New[string, map[string]bool](ttl, s.Now)
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
}

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
// WeChat's authorize page, or, when the request is bad but its redirect_uri
// is trusted, back to the tenant with an OAuth error. Errors returned are
// *Error: the redirect_uri cannot be trusted, so the person sees a page.
func (s *Service) Start(ctx context.Context, r StartRequest) (string, error) {
	acct, err := s.account(ctx, r.TenantID, r.AppID)
	if err != nil {
		return "", err
	}
	if r.RedirectURI == "" || !acct.AllowsRedirect(r.RedirectURI) {
		return "", &Error{Kind: ErrRedirectNotAllowed, Detail: r.RedirectURI}
	}
	scope := r.Scope
	if scope == "" {
		scope = acct.DefaultScope
	}
	back := func(code, desc string) (string, error) {
		return withQuery(r.RedirectURI, "error", code, "error_description", desc, "state", r.State), nil
	}
	switch {
	case !tenants.ValidScope(scope):
		return back("invalid_scope", "scope must be snsapi_base or snsapi_userinfo")
	case len(r.State) > maxStateLength:
		return back(OAuthInvalidRequest, fmt.Sprintf("state is longer than %d bytes", maxStateLength))
	case r.CodeChallenge == "" && r.CodeChallengeMethod != "":
		return back(OAuthInvalidRequest, "code_challenge_method without code_challenge")
	case r.CodeChallenge != "" && r.CodeChallengeMethod != "S256":
		return back(OAuthInvalidRequest, "code_challenge_method must be S256")
	case r.CodeChallenge != "" && !validChallenge(r.CodeChallenge):
		return back(OAuthInvalidRequest, "code_challenge must be 43 base64url characters")
	}
	now := s.Now().UTC()
	tx := Transaction{
		ID: opaque.Hex(16), TenantID: r.TenantID, AppID: r.AppID, RedirectURI: r.RedirectURI,
		State: r.State, Scope: scope, CodeChallenge: r.CodeChallenge,
		CreatedAt: now, ExpiresAt: now.Add(TransactionTTL),
	}
	if err := s.Store.CreateTransaction(ctx, tx); err != nil {
		return "", fmt.Errorf("start login: %w", err)
	}
	return s.authorizeURL(acct, tx), nil
}

func (s *Service) authorizeURL(acct tenants.Account, tx Transaction) string {
	return s.WeChat(acct.TenantID, acct.Mode).AuthorizeURL(acct.AppID, s.callbackURL(acct.TenantID, acct.AppID), tx.Scope, tx.ID)
}

// retryURL starts the transaction's login again from the beginning.
func (s *Service) retryURL(tx Transaction) string {
	q := url.Values{"redirect_uri": {tx.RedirectURI}, "scope": {tx.Scope}}
	if tx.State != "" {
		q.Set("state", tx.State)
	}
	if tx.CodeChallenge != "" {
		q.Set("code_challenge", tx.CodeChallenge)
		q.Set("code_challenge_method", "S256")
	}
	return s.LoginURL(tx.TenantID, tx.AppID) + "?" + q.Encode()
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
	t, err := s.Tenants.Store.GetTenant(ctx, tenantID)
	if err == nil && t.Disabled {
		err = tenants.ErrNotFound
	}
	var acct tenants.Account
	if err == nil {
		acct, err = s.Tenants.Store.GetAccount(ctx, tenantID, appID)
	}
	if errors.Is(err, tenants.ErrNotFound) {
		return tenants.Account{}, &Error{Kind: ErrUnknownAccount, Detail: tenantID + "/" + appID}
	}
	return acct, err
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
