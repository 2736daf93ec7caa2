// Package wechat is wxlogin's client for WeChat's web-authorization OAuth
// endpoints (公众号网页授权): it builds the authorize URL, exchanges a code
// for a user token, refreshes that token and fetches the user's profile.
//
// It follows WeChat's real behaviour (see shared/docs/wechat-oauth.md):
//
//   - Every answer is parsed as JSON whatever its Content-Type (WeChat often
//     says text/plain). A non-zero errcode is an *Error; callers branch on
//     the code with IsCode, never on errmsg. A body that is not JSON (an HTML
//     gateway page, garbage), or a non-2xx status without a WeChat errcode,
//     is ErrBadResponse.
//   - Only errcode -1 (system busy) and transport failures are retried, with
//     exponential backoff bounded by Config.Retries and the context. Nothing
//     else is retried: a code is single use, so a second try could only turn
//     40029 into 40163. For the same reason the code exchange is retried
//     after a transport failure only when the connection could not be made
//     at all; once the request may have reached WeChat, a timeout or reset is
//     returned as it is.
//   - A snapshot-mode user (is_snapshotuser=1) is a virtual account: Exchange
//     returns its Token together with ErrSnapshotUser so that it cannot be
//     stored as a real identity by accident.
//   - The AppSecret never appears in an error: transport errors are reported
//     by path, without the query string that carries it.
//
// Base URLs and the http.Client are injectable, so the same client talks to
// api.weixin.qq.com, to any WeChat-compatible server, or to the emulator in
// internal/wechatsim.
package wechat
