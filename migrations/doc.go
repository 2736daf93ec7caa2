// Package migrations holds wxlogin's database schema as timestamped SQL
// files, one directory per dialect (postgres/, sqlite/), embedded in the
// binary and applied with bun/migrate by internal/store.
//
// Each schema change ships one migration in both directories, written in
// that dialect's own SQL. Every migration runs in one transaction
// (*.tx.up.sql, *.tx.down.sql); "--bun:split" separates its statements.
//
// Timestamps are timestamptz on PostgreSQL. On SQLite they are TIMESTAMP
// columns holding the text bun writes for every time value, UTC with
// microseconds ("2006-01-02 15:04:05.999999+00:00"), so they compare and
// sort correctly as text and read back exactly. Identifiers that lists are
// ordered by use the "C" collation on PostgreSQL, so both databases order
// them bytewise.
package migrations
