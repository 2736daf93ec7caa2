package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

// The report rollups, kept as logins happen (see the report_rollups
// migration): a persons row for each person of a tenant, and on each login
// event the previous login of its person and of its identity. A person is
// an identity's unionid, or the identity itself when it has none.

// ownPerson prefixes the ID of an identity without unionid to make its
// person: WeChat's unionids never contain a colon.
const ownPerson = "i:"

// personKey is the SQL expression of the person an identity row (aliased
// i) belongs to: its unionid, or the identity itself when it has none.
const personKey = "COALESCE(i.unionid, '" + ownPerson + "' || i.id)"

// personOf is personKey in Go.
func personOf(unionID, identityID string) string {
	if unionID != "" {
		return unionID
	}
	return ownPerson + identityID
}

type personRow struct {
	bun.BaseModel `bun:"table:persons,alias:p"`

	TenantID    string     `bun:"tenant_id"`
	Person      string     `bun:"person"`
	Accounts    string     `bun:"accounts"`
	LastLoginAt time.Time  `bun:"last_login_at"`
	PrevLoginAt *time.Time `bun:"prev_login_at"`
}

// hasAccount reports whether appID is among the person's accounts.
func (r *personRow) hasAccount(appID string) bool {
	return slices.Contains(strings.Fields(r.Accounts), appID)
}

// withAccount is the person's accounts with appID added, in order.
func (r *personRow) withAccount(appID string) string {
	accounts := append(strings.Fields(r.Accounts), appID)
	slices.Sort(accounts)
	return strings.Join(accounts, " ")
}

// personLink is how a login's event links to the person's other logins.
type personLink struct {
	person string
	// prev is the person's previous login when the login is its latest.
	prev *time.Time
	// late: the login is older than the person's latest, so its previous
	// login is read from the events and the next one's link moves to it.
	late bool
	// relink: the identity moved to another person; these persons are
	// rebuilt once the event is in.
	relink []string
}

// recordPersonLogin counts the login at at of identity ident, which the
// caller has just upserted, on its person's row and tells how to link its
// event. The upsert returns the person's last login before this one under
// the row's lock, so concurrent logins of one person in several accounts
// link one after the other.
func recordPersonLogin(ctx context.Context, tx bun.Tx, ident *identityRow, at time.Time) (personLink, error) {
	link := personLink{person: personOf(ident.UnionID, ident.ID)}
	p := personRow{TenantID: ident.TenantID, Person: link.person, Accounts: ident.AppID, LastLoginAt: at}
	err := tx.NewInsert().Model(&p).
		On("CONFLICT (tenant_id, person) DO UPDATE").
		Set("prev_login_at = ?TableAlias.last_login_at").
		Set("last_login_at = CASE WHEN EXCLUDED.last_login_at > ?TableAlias.last_login_at" +
			" THEN EXCLUDED.last_login_at ELSE ?TableAlias.last_login_at END").
		Returning("accounts, last_login_at, prev_login_at").
		Scan(ctx)
	if err != nil {
		return link, err
	}
	firstLogin := ident.LoginCount == 1
	switch {
	case !firstLogin && (p.PrevLoginAt == nil || !p.hasAccount(ident.AppID)):
		// The identity is not yet its person's: it belonged to another.
		old, err := previousPerson(ctx, tx, ident)
		link.relink = []string{link.person, old}
		return link, err
	case p.PrevLoginAt != nil && !p.hasAccount(ident.AppID):
		// A known person's first login in this account.
		_, err = tx.NewUpdate().Model(&p).
			Set("accounts = ?", p.withAccount(ident.AppID)).
			Where("tenant_id = ?", p.TenantID).
			Where("person = ?", link.person).
			Exec(ctx)
	}
	link.late = p.PrevLoginAt != nil && p.PrevLoginAt.After(at)
	if !link.late {
		link.prev = p.PrevLoginAt
	}
	return link, err
}

// personIdentities selects the IDs of the identities of the tenant's
// person.
func personIdentities(tx bun.Tx, tenantID, person string) *bun.SelectQuery {
	q := tx.NewSelect().Model((*identityRow)(nil)).Column("id").Where("tenant_id = ?", tenantID)
	if id, ok := strings.CutPrefix(person, ownPerson); ok {
		return q.Where("id = ?", id)
	}
	return q.Where("unionid = ?", person)
}

// prevLoginSQL is the latest login, at or before ?2, among the events of
// the tenant (?0) whose identity is in ?1 (a list or a subquery).
const prevLoginSQL = "(SELECT MAX(x.at) FROM login_events AS x WHERE x.tenant_id = ? AND x.identity_id IN (?) AND x.at <= ?)"

// insertLinkedEvent inserts the event of login l of identity id, linked to
// the logins before it of its identity and of its person. The identity's
// previous login is read from its events: the identity upsert's row lock
// makes concurrent logins of one identity wait for each other, so none
// misses another's event. A late login also takes the place of the
// previous login of the events after it.
func insertLinkedEvent(ctx context.Context, tx bun.Tx, id *identityRow, l tenants.IdentityLogin) error {
	link, err := recordPersonLogin(ctx, tx, id, l.At)
	if err != nil {
		return err
	}
	identity, person := bun.In([]string{id.ID}), personIdentities(tx, id.TenantID, link.person)
	row := newLoginEventRow(id, l)
	row.PersonPrevAt = link.prev
	q := tx.NewInsert().Model(row).Value("account_prev_at", prevLoginSQL, id.TenantID, identity, l.At)
	if link.late {
		q = q.Value("person_prev_at", prevLoginSQL, id.TenantID, person, l.At)
	}
	if _, err := q.Exec(ctx); err != nil {
		return err
	}
	if link.late {
		for _, next := range []struct {
			column bun.Ident
			of     any // the identities whose events follow
		}{{"person_prev_at", person}, {"account_prev_at", identity}} {
			_, err := tx.NewUpdate().Model((*loginEventRow)(nil)).
				Set("? = ?", next.column, l.At).
				Where("tenant_id = ?", id.TenantID).
				Where("identity_id IN (?)", next.of).
				Where("at > ?", l.At).
				Where("(? IS NULL OR ? < ?)", next.column, next.column, l.At).
				Exec(ctx)
			if err != nil {
				return err
			}
		}
	}
	return relinkPersons(ctx, tx, id.TenantID, link.relink)
}

// previousPerson returns the person identity ident belonged to at its last
// login event, which carries the unionid the identity had then.
func previousPerson(ctx context.Context, tx bun.Tx, ident *identityRow) (string, error) {
	var last loginEventRow
	err := tx.NewSelect().Model(&last).Column("unionid").
		Where("tenant_id = ?", ident.TenantID).
		Where("identity_id = ?", ident.ID).
		Order("at DESC", "id DESC").
		Limit(1).
		Scan(ctx)
	if err != nil {
		return "", err
	}
	return personOf(last.UnionID, ident.ID), nil
}

// personAccountsSQL aggregates AppIDs (pa.app_id) into a persons row's
// accounts, per dialect.
var personAccountsSQL = map[string]string{
	DialectPostgres: "string_agg(pa.app_id, ' ' ORDER BY pa.app_id)",
	DialectSQLite:   "group_concat(pa.app_id, ' ' ORDER BY pa.app_id)",
}

// rebuildPersonsSQL makes the persons rows of the tenant's persons that
// the condition %[2]s on identity i selects, from their identities; %[1]s
// is personAccountsSQL.
const rebuildPersonsSQL = `
INSERT INTO persons (tenant_id, person, accounts, last_login_at)
SELECT ?0, pa.person, %[1]s, MAX(pa.last_login_at)
FROM (
	SELECT ` + personKey + ` AS person, i.app_id, MAX(i.last_login_at) AS last_login_at
	FROM identities AS i
	WHERE i.tenant_id = ?0 AND %[2]s
	GROUP BY ` + personKey + `, i.app_id
) AS pa
GROUP BY pa.person`

// relinkEventsSQL sets, on the login events of the identities that the
// condition %s on identity i selects, the previous login of their person
// and of their identity, writing only the events whose links change.
const relinkEventsSQL = `
UPDATE login_events AS e
SET person_prev_at = l.person_prev_at, account_prev_at = l.account_prev_at
FROM (
	SELECT e.id,
		LAG(e.at) OVER (PARTITION BY ` + personKey + ` ORDER BY e.at, e.id) AS person_prev_at,
		LAG(e.at) OVER (PARTITION BY e.identity_id ORDER BY e.at, e.id) AS account_prev_at
	FROM login_events AS e
	JOIN identities AS i ON i.id = e.identity_id AND i.tenant_id = e.tenant_id
	WHERE i.tenant_id = ?0 AND %s
) AS l
WHERE e.id = l.id AND (e.person_prev_at IS DISTINCT FROM l.person_prev_at
	OR e.account_prev_at IS DISTINCT FROM l.account_prev_at)`

// relinkBatch is how many persons one pass of relinkPersons rebuilds.
const relinkBatch = 500

// relinkPersons rebuilds the rollups of the tenant's persons from their
// identities and login events as they are now: after a login that moved an
// identity to another person or came out of order, and after identities
// were deleted. A person without identities left loses its row.
func relinkPersons(ctx context.Context, idb bun.IDB, tenantID string, persons []string) error {
	persons = slices.Compact(slices.Sorted(slices.Values(persons)))
	for batch := range slices.Chunk(persons, relinkBatch) {
		var unionIDs, ids []string
		for _, p := range batch {
			if id, ok := strings.CutPrefix(p, ownPerson); ok {
				ids = append(ids, id)
			} else {
				unionIDs = append(unionIDs, p)
			}
		}
		cond := "(i.unionid IN (?1) OR (i.unionid IS NULL AND i.id IN (?2)))"
		_, err := idb.NewDelete().Model((*personRow)(nil)).
			Where("tenant_id = ?", tenantID).
			Where("person IN (?)", bun.In(batch)).
			Exec(ctx)
		if err == nil {
			err = rebuildPersons(ctx, idb, tenantID, cond, bun.In(unionIDs), bun.In(ids))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// rebuildPersons writes the persons rows of the identities that cond
// selects, and relinks their login events.
func rebuildPersons(ctx context.Context, idb bun.IDB, tenantID, cond string, args ...any) error {
	args = append([]any{tenantID}, args...)
	insert := fmt.Sprintf(rebuildPersonsSQL, personAccountsSQL[idb.Dialect().Name().String()], cond)
	if _, err := idb.NewRaw(insert, args...).Exec(ctx); err != nil {
		return err
	}
	_, err := idb.NewRaw(fmt.Sprintf(relinkEventsSQL, cond), args...).Exec(ctx)
	return err
}

// RebuildPersons rebuilds every report rollup of a tenant from its
// identities and login events, for rows written other than by logins (by
// tools/seed).
func (db *DB) RebuildPersons(ctx context.Context, tenantID string) error {
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*personRow)(nil)).Where("tenant_id = ?", tenantID).Exec(ctx); err != nil {
			return err
		}
		return rebuildPersons(ctx, tx, tenantID, "TRUE")
	})
	if err != nil {
		return wrap("rebuild persons", err)
	}
	return nil
}
