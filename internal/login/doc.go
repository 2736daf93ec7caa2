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
// Errors are typed (see Error and OAuthError); package api turns them into
// pages for people and JSON for the tenant's backend.
package login
