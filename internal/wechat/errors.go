package wechat

import (
	"errors"
	"fmt"
)

// WeChat errcodes that wxlogin handles. See §9 of wechat-oauth.md.
const (
	CodeSystemBusy          = -1    // system error: retry later
	CodeInvalidCredential   = 40001 // access_token unknown, forged or not a web-auth token
	CodeInvalidGrantType    = 40002 // grant_type is wrong
	CodeInvalidOpenID       = 40003 // openid does not belong to the access_token
	CodeInvalidAppID        = 40013 // appid unknown
	CodeInvalidAccessToken  = 40014 // access_token invalid (seen on /sns/auth)
	CodeInvalidCode         = 40029 // code unknown, expired or issued to another appid
	CodeInvalidRefreshToken = 40030 // refresh_token unknown
	CodeInvalidSecret       = 40125 // AppSecret wrong
	CodeCodeUsed            = 40163 // code already redeemed
	CodeMissingAccessToken  = 41001
	CodeMissingAppID        = 41002
	CodeMissingRefreshToken = 41003
	CodeMissingSecret       = 41004
	CodeMissingCode         = 41008
	CodeMissingOpenID       = 41009
	CodeAccessTokenExpired  = 42001 // refresh, or authorize again
	CodeRefreshTokenExpired = 42002 // authorize again
	CodeCodeExpired         = 42003 // rarely emitted: expired codes usually give 40029
	CodeMinuteQuota         = 45011 // per-minute quota reached: slow down
	CodeUnauthorized        = 48001 // snsapi_base (or snapshot) token used for userinfo
)

// Error is an errcode answer from WeChat. Message is WeChat's errmsg, usually
// ending with a request id ("invalid code, rid: …"); it is for logs only.
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("wechat: errcode %d: %s", e.Code, e.Message)
}

// IsCode reports whether err is, or wraps, an *Error with the given errcode.
func IsCode(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// ErrBadResponse means WeChat's answer was not a WeChat answer: a body that is
// not JSON (an HTML page, garbage), a non-2xx status without an errcode, or a
// success body missing its essential fields. Wrapping errors name the path,
// HTTP status and Content-Type.
var ErrBadResponse = errors.New("wechat: bad response")

// ErrOverloaded means the request was not sent: as many requests as the
// client allows (Config.MaxInFlight) were waiting for WeChat already.
var ErrOverloaded = errors.New("wechat: too many requests waiting")

// ErrSnapshotUser is returned by Exchange, together with the Token, when the
// person is in snapshot mode (快照页, is_snapshotuser=1): the openid and
// unionid are virtual and must not be stored as the person's identity.
var ErrSnapshotUser = errors.New("wechat: snapshot-mode virtual user")

// transportError is a request that got no answer: a network failure, a
// timeout or a cancelled context. It names the path only, because the
// query string may hold the AppSecret.
type transportError struct {
	path string
	err  error
}

func (e *transportError) Error() string {
	return "wechat: GET " + e.path + ": " + e.err.Error()
}

func (e *transportError) Unwrap() error { return e.err }
