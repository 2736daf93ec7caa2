package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// sqliteBatch is how many rows one SQLite transaction writes.
const sqliteBatch = 5000

// sqlitePragmas are the store's, but for its transaction mode, and with a
// page cache of 512 MiB: rows arrive in no key order, and with SQLite's
// default 2 MiB the indexes' pages would be read and written again and
// again.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-524288)"

var (
	identityColumns = []string{"id", "tenant_id", "app_id", "openid", "unionid", "first_login_at", "last_login_at", "login_count"}
	eventColumns    = []string{"id", "tenant_id", "app_id", "identity_id", "openid", "unionid", "scope", "at"}
)

type identityRow struct {
	bun.BaseModel `bun:"table:identities"`

	ID           string    `bun:"id"`
	TenantID     string    `bun:"tenant_id"`
	AppID        string    `bun:"app_id"`
	OpenID       string    `bun:"openid"`
	UnionID      string    `bun:"unionid,nullzero"`
	FirstLoginAt time.Time `bun:"first_login_at"`
	LastLoginAt  time.Time `bun:"last_login_at"`
	LoginCount   int64     `bun:"login_count"`
}

type eventRow struct {
	bun.BaseModel `bun:"table:login_events"`

	ID         string    `bun:"id"`
	TenantID   string    `bun:"tenant_id"`
	AppID      string    `bun:"app_id"`
	IdentityID string    `bun:"identity_id"`
	OpenID     string    `bun:"openid"`
	UnionID    string    `bun:"unionid,nullzero"`
	Scope      string    `bun:"scope"`
	At         time.Time `bun:"at"`
}

// scope is the scope of id's logins: a unionid comes with the user's
// profile, an identity without one logged in silently.
func scope(id *identity) string {
	if id.unionid != "" {
		return "snsapi_userinfo"
	}
	return "snsapi_base"
}

// nullable is s, or NULL when empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// write writes p to the database at databaseURL: PostgreSQL for
// "postgres://…" and "postgresql://…", SQLite otherwise.
func write(ctx context.Context, databaseURL string, p *plan) error {
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		return writePostgres(ctx, databaseURL, p)
	}
	return writeSQLite(ctx, databaseURL, p)
}

// checkAccounts fails unless found, the accounts of p that exist, is all.
func checkAccounts(p *plan, found int64) error {
	if found != int64(len(p.apps)) {
		return fmt.Errorf("%d of the %d accounts %s are in tenant %s", found, len(p.apps), strings.Join(p.apps, ","), p.tenant)
	}
	return nil
}

// writePostgres copies the identities, then the login events, in one
// transaction.
func writePostgres(ctx context.Context, databaseURL string, p *plan) (err error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, conn.Close(ctx)) }()
	var found int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM accounts WHERE tenant_id = $1 AND app_id = any($2)",
		p.tenant, p.apps).Scan(&found); err != nil {
		return err
	}
	if err := checkAccounts(p, found); err != nil {
		return err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()

	next, stop := iter.Pull(p.generate(false))
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"identities"}, identityColumns, pgx.CopyFromFunc(func() ([]any, error) {
		id, ok := next()
		if !ok {
			return nil, nil
		}
		return []any{id.id, p.tenant, id.app, id.openid, nullable(id.unionid), id.first, id.last, int64(id.count)}, nil
	}))
	stop()
	if err != nil {
		return err
	}
	if p.events > 0 {
		next, stop := iter.Pull(p.generate(true))
		defer stop()
		var id *identity
		j := 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"login_events"}, eventColumns, pgx.CopyFromFunc(func() ([]any, error) {
			for id == nil || j == len(id.logins) {
				var ok bool
				if id, ok = next(); !ok {
					return nil, nil
				}
				j = 0
			}
			l := id.logins[j]
			j++
			return []any{l.id, p.tenant, id.app, id.id, id.openid, nullable(id.unionid), scope(id), l.at}, nil
		})); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// writeSQLite inserts the identities and their login events, many rows a
// statement, sqliteBatch rows a transaction. databaseURL is "sqlite:PATH",
// "file:PATH[?…]" or a plain PATH, as for store.Open.
func writeSQLite(ctx context.Context, databaseURL string, p *plan) (err error) {
	name := strings.TrimPrefix(databaseURL, "sqlite:")
	if name != databaseURL {
		name = strings.TrimPrefix(name, "//")
	}
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, name+sep+sqlitePragmas)
	if err != nil {
		return err
	}
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	defer func() { err = errors.Join(err, db.Close()) }()
	found, err := db.NewSelect().Table("accounts").
		Where("tenant_id = ?", p.tenant).Where("app_id IN (?)", bun.In(p.apps)).Count(ctx)
	if err != nil {
		return err
	}
	if err := checkAccounts(p, int64(found)); err != nil {
		return err
	}

	ids := make([]identityRow, 0, sqliteBatch)
	events := make([]eventRow, 0, sqliteBatch)
	flush := func() error {
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if len(ids) > 0 {
				if _, err := tx.NewInsert().Model(&ids).Exec(ctx); err != nil {
					return err
				}
			}
			if len(events) > 0 {
				if _, err := tx.NewInsert().Model(&events).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		ids, events = ids[:0], events[:0]
		return err
	}
	for id := range p.generate(p.events > 0) {
		ids = append(ids, identityRow{
			ID: id.id, TenantID: p.tenant, AppID: id.app, OpenID: id.openid, UnionID: id.unionid,
			FirstLoginAt: id.first, LastLoginAt: id.last, LoginCount: int64(id.count),
		})
		for _, l := range id.logins {
			events = append(events, eventRow{
				ID: l.id, TenantID: p.tenant, AppID: id.app, IdentityID: id.id,
				OpenID: id.openid, UnionID: id.unionid, Scope: scope(id), At: l.at,
			})
		}
		if len(ids)+len(events) >= sqliteBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
