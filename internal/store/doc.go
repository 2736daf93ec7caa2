// Package store keeps wxlogin's state in SQLite (the embedded default) or
// PostgreSQL (production) through bun. One *DB implements tenants.Store,
// login.Store and token.KeyStore for both databases; the conformance suites
// of those packages run against each.
//
// Choices that hold across the package:
//
//   - Every query on tenant-owned rows filters on tenant_id, which is also
//     the leading column of the keys and indexes it uses. Where a tenant ID
//     may be empty (API keys, audit events), empty means the operator's
//     rows, whose tenant_id is NULL.
//   - wrap, in errors.go, is the one place driver errors are read: a missing
//     row becomes tenants.ErrNotFound, a unique violation tenants.ErrConflict,
//     a missing parent row (foreign key) tenants.ErrNotFound.
//   - Times are stored in UTC with microsecond precision and read back in
//     UTC; a time written is the time read, truncated to the microsecond.
//   - IDs the store mints (identities, login events, audit events) are
//     UUIDv7, so they sort by creation time and keyset pagination on them
//     follows insertion order.
//   - Lists page by keyset (query.go's paged): rows past the cursor, ordered
//     by a unique key, tenants.Page.Size() of them.
//   - SQLite runs with one connection (WAL, busy_timeout 5000, foreign keys
//     on, synchronous NORMAL, BEGIN IMMEDIATE), so a process's writes never
//     meet SQLITE_BUSY; PostgreSQL runs CompleteLogin at READ COMMITTED, where
//     the identity upsert waits for a concurrent one instead of failing.
//   - Migrations (top-level package migrations) run under a PostgreSQL
//     session advisory lock, so replicas starting together apply them once
//     and a crashed migrator never leaves a stale lock behind.
package store
