package login

import (
	"context"
	"errors"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// ErrTransactionUsed is returned by CompleteLogin when the transaction was
// already completed by an earlier callback.
var ErrTransactionUsed = errors.New("login transaction already used")

// Transaction is a login in flight: created when the person is sent to
// WeChat, completed once by the callback. Its ID is the state WeChat carries
// round trip.
type Transaction struct {
	ID          string
	TenantID    string
	AppID       string
	RedirectURI string
	// State is the tenant's own state, returned to it unchanged.
	State string
	Scope string
	// CodeChallenge is the PKCE S256 challenge; empty when the login is to be
	// redeemed with the account's client credentials.
	CodeChallenge string
	// OIDC marks an OpenID Connect authentication request (scope openid),
	// whose code is redeemed for an ID token and a refresh token too; Nonce
	// is its nonce, put into the ID token.
	OIDC      bool
	Nonce     string
	CreatedAt time.Time
	ExpiresAt time.Time
	// Set by CompleteLogin.
	CompletedAt    *time.Time
	WeChatCodeHash string
	IdentityID     string
}

// Code is a one-time wxlogin authorization code, stored by the SHA-256 hash of
// its value. It is bound to its transaction's redirect URI and PKCE challenge.
type Code struct {
	Hash          string
	TenantID      string
	AppID         string
	TransactionID string
	IdentityID    string
	RedirectURI   string
	CodeChallenge string
	Scope         string
	// OIDC, Nonce: the transaction's; AuthTime is when the person logged
	// in (the callback that completed the transaction).
	OIDC      bool
	Nonce     string
	AuthTime  time.Time
	ExpiresAt time.Time
}

// Completion is everything one successful callback writes, in one database
// transaction.
type Completion struct {
	TransactionID  string
	WeChatCodeHash string
	Login          tenants.IdentityLogin
	Code           Code
}

// Store persists logins in flight. All methods take the tenant explicitly.
type Store interface {
	// CreateTransaction inserts t.
	CreateTransaction(ctx context.Context, t Transaction) error
	// GetTransaction returns the tenant's transaction with that ID, expired
	// or not; tenants.ErrNotFound if there is none.
	GetTransaction(ctx context.Context, tenantID, id string) (Transaction, error)
	// CompleteLogin atomically marks the transaction completed (with the
	// WeChat code's hash and the identity), upserts the identity on
	// (tenant, account, openid) (the account is c.Login.AppID, the app that
	// logged the person in: a website app, for a QR login started at the
	// official account c.Code.AppID) (concurrent upserts of one openid never make
	// two identities), records a login event and stores c.Code with the
	// identity's ID. It fails with ErrTransactionUsed, and writes nothing,
	// when the transaction was already completed, and with
	// tenants.ErrNotFound when it does not exist or has expired at
	// c.Login.At.
	CompleteLogin(ctx context.Context, c Completion) (tenants.Identity, error)
	// ReissueCode replaces the transaction's unredeemed codes with c (a
	// replayed callback gets a fresh code for the same login).
	ReissueCode(ctx context.Context, c Code) error
	// GetCode returns the tenant's code with that hash and its identity,
	// leaving the code as it is; tenants.ErrNotFound when there is no such
	// code, it was redeemed already, or it expired before now.
	GetCode(ctx context.Context, tenantID, hash string, now time.Time) (Code, tenants.Identity, error)
	// RedeemCode atomically consumes the tenant's code with that hash: of
	// concurrent redemptions one succeeds, the others, like the
	// redemption of a code there is not or that expired before now, fail
	// with tenants.ErrNotFound.
	RedeemCode(ctx context.Context, tenantID, hash string, now time.Time) error
	// DeleteExpired removes transactions, codes and refresh tokens that
	// expired before now and reports how many rows went.
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
	RefreshStore
}
