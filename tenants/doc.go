// Package tenants is wxlogin's domain: tenants, their official accounts,
// API keys, client credentials, the WeChat identities that log in, and the
// admin console's bindings and sessions. Who calls the admin API is a
// Principal: an API key, or a person signed in to the console with WeChat
// acting through a console binding; both have one role in one tenant.
//
// It owns the rules (what a valid AppId or redirect URI is, which rows a
// tenant may see) and declares the Store it needs; internal/store implements
// that Store for SQLite and PostgreSQL and runs the conformance suite in
// tenants/tenantstest against both. Every Store method takes the tenant
// explicitly, and no method ever returns another tenant's rows; the lookups
// of a credential before any tenant is known (APIKeyByHash, ConsoleSession,
// ConsoleBindingsOf) are the exceptions, and say so.
package tenants
