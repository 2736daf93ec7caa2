// Package tenantstest is the conformance suite of tenants.Store: the
// contract every backend must meet, run by each backend's tests against a
// real database. Run covers tenants, accounts, API keys, client secrets,
// the deletion and erasure of identities and the audit log. Identities and
// login events are written by logins, so the suite logs people in through
// the Backend's Login; the reads of a login's rows are covered by the
// login.Store suite in internal/login/logintest.
//
// The fixtures (Now, NewTenant, NewAccount) are exported for the other
// suites, which need tenants and accounts to hang their rows on.
package tenantstest
