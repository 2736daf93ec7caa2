package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/internal/reports"
)

// notDeletedSQL, after an identity's app_id, holds when its account (of
// tenant ?0) is not deleted.
const notDeletedSQL = "NOT IN (SELECT d.app_id FROM accounts AS d WHERE d.tenant_id = ?0 AND d.deleted_at IS NOT NULL)"

// personsSQL selects a page of persons (?0 tenant, ?1 limit), narrowed by
// the condition %s on identity g, with one row per identity of each: the
// page's unionids and their aggregates first, then their identities, in
// unionid and AppID order. Identities of deleted accounts are left out.
const personsSQL = `
WITH page AS (
	SELECT g.unionid,
		MIN(g.first_login_at) AS first_login_at,
		MAX(g.last_login_at) AS last_login_at,
		CAST(SUM(g.login_count) AS BIGINT) AS logins
	FROM identities AS g
	WHERE g.tenant_id = ?0 AND g.unionid IS NOT NULL AND g.app_id ` + notDeletedSQL + ` AND %s
	GROUP BY g.unionid
	ORDER BY g.unionid
	LIMIT ?1
)
SELECT page.unionid, page.first_login_at, page.last_login_at, page.logins,
	(SELECT f.app_id FROM identities AS f
		WHERE f.tenant_id = ?0 AND f.unionid = page.unionid AND f.app_id ` + notDeletedSQL + `
		ORDER BY f.first_login_at, f.app_id
		LIMIT 1) AS first_app_id,
	i.app_id, i.openid
FROM page
JOIN identities AS i ON i.tenant_id = ?0 AND i.unionid = page.unionid AND i.app_id ` + notDeletedSQL + `
ORDER BY page.unionid, i.app_id, i.openid`

// Conditions of personsSQL, with their arguments from ?2 on.
const (
	personsAfter     = "g.unionid > ?2"
	personsInAccount = `g.unionid IN (
		SELECT DISTINCT a.unionid FROM identities AS a
		WHERE a.tenant_id = ?0 AND a.app_id = ?3 AND a.unionid > ?2
		ORDER BY a.unionid
		LIMIT ?1)`
	personsOne = "g.unionid = ?2"
)

type personPageRow struct {
	UnionID      string    `bun:"unionid"`
	FirstLoginAt time.Time `bun:"first_login_at"`
	LastLoginAt  time.Time `bun:"last_login_at"`
	Logins       int64     `bun:"logins"`
	FirstAppID   string    `bun:"first_app_id"`
	AppID        string    `bun:"app_id"`
	OpenID       string    `bun:"openid"`
}

// queryPersons runs personsSQL with cond and groups its rows, one per
// identity, into persons.
func (db *DB) queryPersons(ctx context.Context, cond string, args ...any) ([]reports.Person, error) {
	var rows []personPageRow
	if err := db.bun.NewRaw(fmt.Sprintf(personsSQL, cond), args...).Scan(ctx, &rows); err != nil {
		return nil, wrap("persons report", err)
	}
	var persons []reports.Person
	for _, r := range rows {
		if n := len(persons); n == 0 || persons[n-1].UnionID != r.UnionID {
			persons = append(persons, reports.Person{
				UnionID:      r.UnionID,
				FirstAppID:   r.FirstAppID,
				FirstLoginAt: r.FirstLoginAt.UTC(),
				LastLoginAt:  r.LastLoginAt.UTC(),
				Logins:       r.Logins,
			})
		}
		p := &persons[len(persons)-1]
		p.Accounts = append(p.Accounts, reports.PersonAccount{AppID: r.AppID, OpenID: r.OpenID})
	}
	return persons, nil
}

// Persons implements reports.Store.
func (db *DB) Persons(ctx context.Context, tenantID string, f reports.PersonFilter) ([]reports.Person, error) {
	return db.personsAfter(ctx, tenantID, f, f.Page.Size())
}

// personsAfter returns up to limit persons of f after f.Page.After.
func (db *DB) personsAfter(ctx context.Context, tenantID string, f reports.PersonFilter, limit int) ([]reports.Person, error) {
	if f.AppID == "" {
		return db.queryPersons(ctx, personsAfter, tenantID, limit, f.Page.After)
	}
	return db.queryPersons(ctx, personsInAccount, tenantID, limit, f.Page.After, f.AppID)
}

// Person implements reports.Store.
func (db *DB) Person(ctx context.Context, tenantID, unionID string) (reports.Person, error) {
	persons, err := db.queryPersons(ctx, personsOne, tenantID, 1, unionID)
	if err != nil {
		return reports.Person{}, err
	}
	if len(persons) == 0 {
		return reports.Person{}, wrap("person report", sql.ErrNoRows)
	}
	return persons[0], nil
}

// EachPerson implements reports.Store.
func (db *DB) EachPerson(ctx context.Context, tenantID string, f reports.PersonFilter, fn func(reports.Person) error) error {
	batch := f.Page.Limit
	if batch <= 0 {
		batch = reports.EachPersonBatch
	}
	for {
		persons, err := db.personsAfter(ctx, tenantID, f, batch)
		if err != nil {
			return err
		}
		for _, p := range persons {
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(persons) < batch {
			return nil
		}
		f.Page.After = persons[len(persons)-1].UnionID
	}
}
