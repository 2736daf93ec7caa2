package login

import (
	"errors"
	"fmt"

	"github.com/wxlogin/wxlogin/tenants"
)

// Kinds of login failure shown to the person in the browser.
var (
	// ErrUnknownAccount: no such tenant, or no such account in it.
	ErrUnknownAccount = errors.New("unknown tenant or account")
	// ErrRedirectNotAllowed: redirect_uri is not on the account's allowlist.
	ErrRedirectNotAllowed = errors.New("redirect_uri not allowed")
	// ErrBadRequest: a malformed hosted-login request that cannot be sent
	// back to the tenant.
	ErrBadRequest = errors.New("bad login request")
	// ErrUnknownState: the callback's state names no transaction of this
	// account (forged, or from another account).
	ErrUnknownState = errors.New("unknown login state")
	// ErrExpired: the transaction outlived its ten minutes.
	ErrExpired = errors.New("login expired")
	// ErrAlreadyUsed: the transaction was completed with another code, or
	// longer ago than the replay window.
	ErrAlreadyUsed = errors.New("login already completed")
	// ErrInProgress: the same callback is being completed right now by
	// another request; the person's browser should retry in a moment.
	ErrInProgress = errors.New("login in progress")
	// ErrSnapshotUser: WeChat opened the page in snapshot mode (快照页); the
	// person must tap "使用完整服务" to log in for real.
	ErrSnapshotUser = errors.New("wechat snapshot page")
	// ErrCodeRejected: WeChat refused the code (invalid, expired or used).
	ErrCodeRejected = errors.New("wechat rejected the code")
	// ErrWeChatUnavailable: WeChat was busy, slow or answered garbage.
	ErrWeChatUnavailable = errors.New("wechat unavailable")
	// ErrOpenInWeChat: the person opened an official account's login
	// outside WeChat and the tenant has no website app for its Open
	// Platform; RetryURL is the login's URL, to scan with WeChat.
	ErrOpenInWeChat = errors.New("open the login in wechat")
	// ErrMisconfigured: the account cannot log anyone in (no AppSecret, or
	// WeChat rejected the AppId or AppSecret).
	ErrMisconfigured = errors.New("account misconfigured")
	// ErrUnavailable: a dependency of wxlogin (the database, the secret
	// store) failed; RetryURL tries again, from where that can still
	// succeed.
	ErrUnavailable = errors.New("temporarily unavailable")
)

// Error is a failed hosted-login step. RetryURL, when set, starts the same
// login again.
type Error struct {
	Kind     error
	Detail   string
	RetryURL string
	Err      error
}

func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// unavailable makes err, a failure of a login step, an *Error of kind
// ErrUnavailable offering retry, unless it is an *Error already or the
// request's own fault (tenants.ErrInvalid).
func unavailable(err error, retry string) error {
	var le *Error
	if err == nil || errors.As(err, &le) || errors.Is(err, tenants.ErrInvalid) {
		return err
	}
	return &Error{Kind: ErrUnavailable, RetryURL: retry, Err: err}
}

// Is makes errors.Is(err, ErrExpired) and friends hold.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// OAuth 2.0 error codes of the token and revocation endpoints (RFC 6749
// §5.2), of the userinfo endpoint (RFC 6750 §3.1), and access_denied of a
// login's way back (RFC 6749 §4.1.2.1).
const (
	OAuthInvalidRequest       = "invalid_request"
	OAuthInvalidClient        = "invalid_client"
	OAuthInvalidGrant         = "invalid_grant"
	OAuthUnsupportedGrantType = "unsupported_grant_type"
	OAuthInvalidToken         = "invalid_token"
	OAuthInsufficientScope    = "insufficient_scope"
	OAuthAccessDenied         = "access_denied"
)

// OAuthError is a failure of the token, revocation or userinfo endpoint,
// answered as RFC 6749 JSON.
type OAuthError struct {
	Code        string
	Description string
}

func (e *OAuthError) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Description) }

func oauthErr(code, format string, args ...any) error {
	return &OAuthError{Code: code, Description: fmt.Sprintf(format, args...)}
}
