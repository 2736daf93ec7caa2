// Package tenants is wxlogin's domain: tenants, their official accounts,
// API keys, client credentials and the WeChat identities that log in.
//
// It owns the rules (what a valid AppId or redirect URI is, which rows a
// tenant may see) and declares the Store it needs; internal/store implements
// that Store for SQLite and PostgreSQL and runs the conformance suite in
// tenants/tenantstest against both. Every Store method takes the tenant
// explicitly, and no method ever returns another tenant's rows.
package tenants
