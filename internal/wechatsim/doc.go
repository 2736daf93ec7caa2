// Package wechatsim emulates WeChat's side of web authorization: the
// authorize pages a person sees and the /sns/* API a server calls. It is the
// sandbox behind wxlogin's sandbox accounts and the WeChat of every test.
// It follows shared/docs/wechat-oauth.md; section numbers below refer to it.
//
// # Apps
//
// Apps come from a Registry (StaticRegistry, or LoadRegistry for a JSON
// file). An App is an official account, or with Website set an Open
// Platform website app; OpenPlatformID binds it to an Open Platform account,
// Domains are its 网页授权域名, matched exactly on host or host:port.
//
// # Pages (§1, §6)
//
// /connect/oauth2/authorize validates in the order of §1.5 — 10012 appid
// missing, 10016 unknown or website appid, 10004 banned, 10011
// redirect_uri missing, 10003 host not in Domains, 10010 scope missing,
// 10005 scope other than snsapi_base or snsapi_userinfo, then (StrictState)
// 10013 — and shows errors as HTTP 200 HTML pages with the code and the
// documented Chinese message. It never redirects on error.
//
// WeChat knows who holds the phone; the emulator asks. Without a wxsim_user
// cookie the page is a chooser ("选择测试用户"): buttons name="user" for
// alice, bob, carol and dave (Chinese nicknames), a text field name="custom"
// for anyone else, and for snsapi_userinfo a checkbox name="snapshot"
// value="1". The form posts to the page's own URL (no action attribute), so
// the handler works under any prefix. The chosen user is remembered in the
// cookie. Then snsapi_base redirects at once; snsapi_userinfo shows a
// consent page (buttons name="decision" value="allow" or "deny", hidden
// user). Allow redirects with code and state appended to the redirect_uri's
// own query, keeping its fragment; deny redirects with state only.
//
// Snapshot mode (§4.3c: forceSnapShot=1 or the checkbox, snsapi_userinfo
// only) skips consent and issues a code for a virtual account: its openid,
// unionid and avatar are those of "user#snapshot", its nickname is
// "微信用户", and the exchange answers is_snapshotuser 1.
//
// /connect/qrconnect is the website-app QR login (§6): only Website apps
// and scope snsapi_login ("Scope参数错误或没有Scope权限" otherwise), a bad
// redirect_uri shows "redirect_uri 参数错误". Choosing a user stands for
// scanning the QR code; consent follows; a refusal stays on WeChat's page
// ("已取消") with no redirect.
//
// # API (§2–§5, §9)
//
// Codes are 32 characters, single use, bound to (appid, user, scope,
// snapshot), and live 5 minutes (10 for website apps).
// /sns/oauth2/access_token answers 41002, 41004, 41008 for a missing appid,
// secret or code, 40002 for a grant_type other than authorization_code,
// 40013 for an unknown appid, 40125 for a wrong secret, 40029 for an
// unknown, expired or foreign code and 40163 for a redeemed one. Success
// carries access_token ("83_…", 2 hours), expires_in 7200, refresh_token
// (30 days), openid, scope, and unionid only for snsapi_userinfo or
// snsapi_login of a bound app. openid = OpenID(seed, appid, user); unionid
// = UnionID(seed, openPlatformID, user), shared by the apps of one Open
// Platform account.
//
// /sns/oauth2/refresh_token answers 41002, 41003, 40002, 40013, 40030 for
// an unknown refresh token and 42002 for an expired one; otherwise it
// returns the same refresh token (its 30 days are not extended) and extends
// the access token if still live, or issues a new one. /sns/userinfo
// answers 41001, 41009, 40001 unknown token, 42001 expired, 40003 openid
// mismatch, 48001 for snsapi_base; otherwise the profile with sex 0, empty
// province, city and country, a thirdwx.qlogo.cn avatar, privilege [] and
// the unionid of a bound app. /sns/auth answers {"errcode":0,"errmsg":"ok"}
// or the same errors. lang is ignored.
//
// Every API answer is HTTP 200 with Content-Type Config.ContentType
// (text/plain by default) and, for errors, an errmsg ending in
// ", rid: xxxxxxxx-xxxxxxxx-xxxxxxxx". Parameters are read from the query
// string only, whatever the method.
//
// # UNVERIFIED behaviours (§13)
//
// Lenient by default, with options: Config.StrictOrder (documented
// parameter order, response_type=code), Config.StrictState (state required,
// ≤128 bytes of [a-zA-Z0-9]), Config.Snapshot48001 (userinfo refuses
// snapshot tokens), Config.ContentType (text/plain or application/json;
// encoding=utf-8). Fixed choices: expired codes answer 40029 (not 42003);
// refresh keeps the refresh token and omits unionid and is_snapshotuser;
// the snapshot nickname; the qrconnect page texts and no redirect on its
// refusal. Not emulated: third-party platform (component) authorization,
// forcePopup, "recent login" and followed-account silent userinfo, the
// duplicate callback, rate limits, IP whitelists and 42007.
//
// # State and faults
//
// All state is in memory, shared by every Handler of one Sim and safe for
// concurrent use; expired codes and tokens are pruned lazily and each table
// is capped at 200,000 entries, evicting the oldest. Expired access tokens
// are kept until their refresh token expires so that they answer 42001.
// InjectFault makes a path slow, hang, answer an errcode or an HTML page,
// for a number of requests; with Config.Control the same is available over
// HTTP: POST /__sim/faults with {"path","errcode","delay":"2s","html",
// "status","drop","times"} and DELETE /__sim/faults.
package wechatsim
