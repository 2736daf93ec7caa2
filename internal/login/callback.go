package login

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/tenants"
)

// CallbackRequest is WeChat's redirect back to
// GET /t/{tenant}/wechat/{appid}/callback, with what the request says of the
// person's browser.
type CallbackRequest struct {
	TenantID  string
	AppID     string
	Code      string
	State     string
	IP        string
	UserAgent string
	// Attempt counts the automatic reloads of a callback that found its
	// login in progress in another request.
	Attempt int
}

// maxCallbackAttempts bounds the reloads of an in-progress callback.
const maxCallbackAttempts = 5

// Callback completes a login and returns the tenant's redirect URL carrying a
// one-time wxlogin code and the tenant's state. When a dependency fails,
// ErrUnavailable offers this same callback again while WeChat's code is
// unspent, and a new login once it is.
func (s *Service) Callback(ctx context.Context, r CallbackRequest) (to string, err error) {
	var tx Transaction
	outcome := outcomeOK
	retry := withQuery(s.callbackURL(r.TenantID, r.AppID), "code", r.Code, "state", r.State)
	defer func() {
		err = unavailable(err, retry)
		s.observeLogin(tx, outcome, err)
	}()
	tx, err = s.Store.GetTransaction(ctx, r.TenantID, r.State)
	if errors.Is(err, tenants.ErrNotFound) || (err == nil && tx.AppID != r.AppID) {
		return "", &Error{Kind: ErrUnknownState}
	}
	if err != nil {
		return "", fmt.Errorf("callback: %w", err)
	}
	now := s.Now().UTC()
	if tx.CompletedAt != nil {
		outcome = outcomeReplayed
		return s.replay(ctx, tx, r.Code)
	}
	if !now.Before(tx.ExpiresAt) {
		return "", &Error{Kind: ErrExpired, RetryURL: s.retryURL(tx)}
	}
	if r.Code == "" { // the person refused in WeChat
		outcome = outcomeRefused
		return withQuery(tx.RedirectURI, "error", OAuthAccessDenied,
			"error_description", "the user refused the WeChat authorization", "state", tx.State), nil
	}
	acct, err := s.account(ctx, r.TenantID, r.AppID)
	if err == nil {
		acct, err = s.callbackApp(ctx, acct, tx)
	}
	if err != nil {
		return "", err
	}
	login, err := s.exchange(ctx, acct, tx, r.Code)
	if wechat.IsCode(err, wechat.CodeCodeUsed) { // a duplicate callback redeemed it first
		outcome = outcomeReplayed
		return s.duplicate(ctx, tx, r, err)
	}
	if err != nil { // WeChat's failures offer a new login; the secret store's leave WeChat's code unspent
		return "", err
	}
	retry = s.retryURL(tx) // WeChat's code is spent: trying again means a new login
	login.IP, login.UserAgent, login.At = r.IP, r.UserAgent, now
	code := opaque.New("", 32)
	_, err = s.Store.CompleteLogin(ctx, Completion{
		TransactionID:  tx.ID,
		WeChatCodeHash: opaque.Hash(r.Code),
		Login:          login,
		Code:           s.newCode(tx, opaque.Hash(code), "", now),
	})
	switch {
	case errors.Is(err, ErrTransactionUsed): // a duplicate callback won the race
		outcome = outcomeReplayed
		return s.duplicate(ctx, tx, r, &Error{Kind: ErrAlreadyUsed, RetryURL: s.retryURL(tx)})
	case errors.Is(err, tenants.ErrNotFound):
		return "", &Error{Kind: ErrExpired, RetryURL: s.retryURL(tx)}
	case err != nil:
		return "", fmt.Errorf("callback: %w", err)
	}
	return withQuery(tx.RedirectURI, "code", code, "state", tx.State), nil
}

// exchange trades WeChat's code for the person's identity in acct (the app
// that issued the code): openid, and for snsapi_userinfo the unionid,
// nickname and avatar, for snsapi_login the unionid.
func (s *Service) exchange(ctx context.Context, acct tenants.Account, tx Transaction, code string) (tenants.IdentityLogin, error) {
	candidates, err := s.Tenants.AppSecretCandidates(ctx, acct)
	if err != nil {
		return tenants.IdentityLogin{}, err
	}
	if len(candidates) == 0 {
		return tenants.IdentityLogin{}, &Error{Kind: ErrMisconfigured, Detail: "the account has no AppSecret"}
	}
	client := s.WeChat(acct.TenantID, acct.Mode)
	tok, err := s.redeemWeChatCode(ctx, client, acct, candidates, code)
	if err != nil {
		return tenants.IdentityLogin{}, s.wechatError(tx, err)
	}
	login := tenants.IdentityLogin{
		TenantID: acct.TenantID, AppID: acct.AppID, OpenID: tok.OpenID, UnionID: tok.UnionID,
		Scope: tx.Scope,
	}
	if slices.Contains(tok.Scopes, tenants.ScopeUserInfo) {
		info, err := client.UserInfo(ctx, tok.AccessToken, tok.OpenID)
		if err != nil {
			return tenants.IdentityLogin{}, s.wechatError(tx, err)
		}
		login.Nickname, login.AvatarURL = info.Nickname, info.HeadImgURL
		if login.UnionID == "" {
			login.UnionID = info.UnionID
		}
	}
	return login, nil
}

// redeemWeChatCode exchanges the code with the account's AppSecret. After a
// rotation the new AppSecret is tried first and, if WeChat refuses it
// (40125), the last one that worked; the version that works is confirmed,
// which retires the older one from use.
func (s *Service) redeemWeChatCode(ctx context.Context, client *wechat.Client, acct tenants.Account, candidates []tenants.AppSecretCandidate, code string) (wechat.Token, error) {
	var (
		tok wechat.Token
		err error
	)
	for i, c := range candidates {
		tok, err = client.Exchange(ctx, acct.AppID, c.Value, code)
		if wechat.IsCode(err, wechat.CodeInvalidSecret) && i+1 < len(candidates) {
			continue
		}
		if (err == nil || errors.Is(err, wechat.ErrSnapshotUser)) && c.Version > acct.SecretConfirmedVersion {
			// Best effort: an unrecorded confirmation is made again by the
			// next login, and must not fail this one.
			_ = s.Tenants.Store.ConfirmSecretVersion(ctx, acct.TenantID, acct.AppID, c.Version)
		}
		break
	}
	return tok, err
}

// wechatError sorts a WeChat failure into what the person is told.
func (s *Service) wechatError(tx Transaction, err error) error {
	retry := s.retryURL(tx)
	switch {
	case errors.Is(err, wechat.ErrSnapshotUser):
		return &Error{Kind: ErrSnapshotUser, RetryURL: retry, Err: err}
	case wechat.IsCode(err, wechat.CodeInvalidCode), wechat.IsCode(err, wechat.CodeCodeUsed), wechat.IsCode(err, wechat.CodeCodeExpired):
		return &Error{Kind: ErrCodeRejected, RetryURL: retry, Err: err}
	case wechat.IsCode(err, wechat.CodeInvalidAppID), wechat.IsCode(err, wechat.CodeInvalidSecret):
		return &Error{Kind: ErrMisconfigured, Detail: "WeChat rejected the AppId or AppSecret", Err: err}
	}
	return &Error{Kind: ErrWeChatUnavailable, RetryURL: retry, Err: err}
}

// replay answers a callback for an already completed transaction: the same
// WeChat code within the replay window gets a fresh wxlogin code for the
// same login (the first redirect may never have reached the tenant).
func (s *Service) replay(ctx context.Context, tx Transaction, wechatCode string) (string, error) {
	if wechatCode == "" || opaque.Hash(wechatCode) != tx.WeChatCodeHash || s.Now().Sub(*tx.CompletedAt) > ReplayWindow {
		return "", &Error{Kind: ErrAlreadyUsed, RetryURL: s.retryURL(tx)}
	}
	code := opaque.New("", 32)
	if err := s.Store.ReissueCode(ctx, s.newCode(tx, opaque.Hash(code), tx.IdentityID, *tx.CompletedAt)); err != nil {
		return "", fmt.Errorf("replay callback: %w", err)
	}
	return withQuery(tx.RedirectURI, "code", code, "state", tx.State), nil
}

// duplicate answers a callback whose WeChat code another request (WeChat's
// second call, a refresh) is redeeming: once that request completed the
// login, replay it; until then, have the browser reload in a moment.
func (s *Service) duplicate(ctx context.Context, tx Transaction, r CallbackRequest, cause error) (string, error) {
	done, err := s.Store.GetTransaction(ctx, tx.TenantID, tx.ID)
	if err != nil {
		return "", fmt.Errorf("callback: %w", err)
	}
	if done.CompletedAt != nil {
		return s.replay(ctx, done, r.Code)
	}
	if r.Attempt >= maxCallbackAttempts {
		return "", cause
	}
	reload := withQuery(s.callbackURL(tx.TenantID, tx.AppID), "code", r.Code, "state", r.State, "attempt", strconv.Itoa(r.Attempt+1))
	return "", &Error{Kind: ErrInProgress, RetryURL: reload}
}

// newCode is a code of tx's login, made at authTime by the person.
func (s *Service) newCode(tx Transaction, hash, identityID string, authTime time.Time) Code {
	return Code{
		Hash: hash, TenantID: tx.TenantID, AppID: tx.AppID, TransactionID: tx.ID,
		IdentityID: identityID, RedirectURI: tx.RedirectURI, CodeChallenge: tx.CodeChallenge,
		Scope: tx.Scope, OIDC: tx.OIDC, Nonce: tx.Nonce, AuthTime: authTime.UTC(),
		ExpiresAt: s.Now().UTC().Add(CodeTTL),
	}
}
