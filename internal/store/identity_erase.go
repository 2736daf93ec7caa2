package store

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

// DeleteIdentity implements tenants.Store.
func (db *DB) DeleteIdentity(ctx context.Context, tenantID, id string) error {
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		gone, err := deleteIdentities(ctx, tx, tenantID, "id = ?", id)
		if err == nil && gone.Identities == 0 {
			return sql.ErrNoRows
		}
		return err
	})
	if err != nil {
		return wrap("delete identity", err)
	}
	return nil
}

// ErasePerson implements tenants.Store.
func (db *DB) ErasePerson(ctx context.Context, tenantID, unionID string) (tenants.Erasure, error) {
	const op = "erase person"
	if unionID == "" {
		return tenants.Erasure{}, wrap(op, tenants.Invalid("unionid", "empty"))
	}
	var gone tenants.Erasure
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		gone, err = deleteIdentities(ctx, tx, tenantID, "unionid = ?", unionID)
		return err
	})
	if err != nil {
		return tenants.Erasure{}, wrap(op, err)
	}
	return gone, nil
}

// deleteIdentities deletes the tenant's identities that the condition
// match (on an identities row, with args) selects, with their login
// events, counts what went, and relinks the persons they were. The events
// go first, found by tenant and identity, so the cascade from the
// identities finds none.
func deleteIdentities(ctx context.Context, tx bun.Tx, tenantID, match string, args ...any) (tenants.Erasure, error) {
	var gone tenants.Erasure
	persons, err := identityPersons(ctx, tx, tenantID, match, args...)
	if err != nil {
		return gone, err
	}
	ids := tx.NewSelect().Model((*identityRow)(nil)).Column("id").
		Where("tenant_id = ?", tenantID).
		Where(match, args...)
	res, err := tx.NewDelete().Model((*loginEventRow)(nil)).
		Where("tenant_id = ?", tenantID).
		Where("identity_id IN (?)", ids).
		Exec(ctx)
	if err == nil {
		gone.LoginEvents, err = res.RowsAffected()
	}
	if err != nil {
		return gone, err
	}
	res, err = tx.NewDelete().Model((*identityRow)(nil)).
		Where("tenant_id = ?", tenantID).
		Where(match, args...).
		Exec(ctx)
	if err == nil {
		gone.Identities, err = res.RowsAffected()
	}
	if err != nil {
		return gone, err
	}
	return gone, relinkPersons(ctx, tx, tenantID, persons)
}

// identityPersons returns the persons of the tenant's identities that the
// condition match selects.
func identityPersons(ctx context.Context, idb bun.IDB, tenantID, match string, args ...any) ([]string, error) {
	var persons []string
	err := idb.NewSelect().TableExpr("identities AS i").
		ColumnExpr("DISTINCT "+personKey).
		Where("i.tenant_id = ?", tenantID).
		Where(match, args...).
		Scan(ctx, &persons)
	return persons, err
}
