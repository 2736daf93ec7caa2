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
// Errors are typed (see Error and OAuthError); package api turns them into
// pages for people and JSON for the tenant's backend.
package login
