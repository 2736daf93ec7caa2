// Package login runs the hosted WeChat login: it starts a login transaction
// and sends the person to WeChat, completes it on WeChat's callback (code
// exchange, userinfo, identity upsert, a one-time wxlogin code) and redeems
// that code at the token endpoint for a signed JWT.
//
// Rules it enforces: the tenant's redirect_uri must match the account's
// allowlist exactly; a transaction is single-use and lives ten minutes; a
// wxlogin code is single-use, lives sixty seconds and is bound to its
// redirect_uri and to PKCE (S256) or the account's client secret; a callback
// repeated with the same WeChat code within a minute (WeChat calls twice,
// people refresh) redirects again instead of failing.
//
// The same login also serves each tenant as an OpenID Connect provider
// (oidc.go): an authentication request names an account by its AppID as
// client_id and runs as that account's hosted login; its code is redeemed
// for an ID token and a refresh token besides the access token. Refresh
// tokens rotate on use; a used one presented again revokes its family
// (refresh.go). The userinfo endpoint answers from the stored identity.
//
// Where the person is decides the WeChat page (see Start): inside WeChat an
// official account's login goes to its authorize page; in another browser
// it goes to the QR login of the tenant's website app bound to the same
// Open Platform, whose code the callback exchanges with the website app's
// AppSecret, so the identity is the website app's and its unionid the
// person's in every account of that Open Platform. Without such a website
// app the person is asked (ErrOpenInWeChat) to scan the login URL.
//
// Errors are typed (see Error and OAuthError); package api turns them into
// pages for people and JSON for the tenant's backend.
package login
