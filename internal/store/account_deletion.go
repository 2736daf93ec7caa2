package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

// An account's deletion is two steps. DeleteAccount marks the account row
// deleted (deleted_at), which every reader of accounts filters on (live),
// and records the deletion; that is one short transaction whatever the
// account holds. PurgeAccount then removes the account's identities in
// batches, in openid order from the deletion's cursor (the identities'
// unique index), each batch with their login events and the relinking of
// their persons, and finally the account row, whose foreign keys cascade
// to the rest (client secrets, logins in flight, their codes). A
// deletion's progress is committed with each batch. The last step's
// cascade reads the identities' index over the whole account, entries of
// rows deleted but not yet vacuumed included (a few seconds for 200,000
// identities), in a transaction that holds up nothing but logins of the
// deleted account.

type accountDeletionRow struct {
	bun.BaseModel `bun:"table:account_deletions,alias:ad"`

	ID          string     `bun:"id,pk"`
	TenantID    string     `bun:"tenant_id"`
	AppID       string     `bun:"app_id"`
	RequestedAt time.Time  `bun:"requested_at"`
	FinishedAt  *time.Time `bun:"finished_at"`
	// Cursor is the openid of the last identity a batch deleted.
	Cursor      string `bun:"cursor"`
	Identities  int64  `bun:"identities"`
	LoginEvents int64  `bun:"login_events"`
}

func (r *accountDeletionRow) deletion() tenants.AccountDeletion {
	return tenants.AccountDeletion{
		ID: r.ID, TenantID: r.TenantID, AppID: r.AppID, RequestedAt: r.RequestedAt.UTC(), FinishedAt: utcPtr(r.FinishedAt),
		Identities: r.Identities, LoginEvents: r.LoginEvents,
	}
}

// DeleteAccount implements tenants.Store.
func (db *DB) DeleteAccount(ctx context.Context, tenantID, appID string, at time.Time) (tenants.AccountDeletion, error) {
	d := accountDeletionRow{ID: uuid.Must(uuid.NewV7()).String(), TenantID: tenantID, AppID: appID, RequestedAt: at}
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := lockAccount(ctx, tx, tenantID, appID, forDelete)
		if err != nil {
			return err
		}
		row.DeletedAt = &at
		if _, err := tx.NewUpdate().Model(&row).Column("deleted_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(&d).Exec(ctx)
		return err
	})
	if err != nil {
		return tenants.AccountDeletion{}, wrap("delete account", err)
	}
	return d.deletion(), nil
}

// AccountDeletion implements tenants.Store.
func (db *DB) AccountDeletion(ctx context.Context, tenantID, id string) (tenants.AccountDeletion, error) {
	var row accountDeletionRow
	err := db.bun.NewSelect().Model(&row).Where("tenant_id = ?", tenantID).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return tenants.AccountDeletion{}, wrap("get account deletion", err)
	}
	return row.deletion(), nil
}

// RunningAccountDeletions implements tenants.Store.
func (db *DB) RunningAccountDeletions(ctx context.Context) ([]tenants.AccountDeletion, error) {
	var rows []accountDeletionRow
	err := db.bun.NewSelect().Model(&rows).Where("finished_at IS NULL").Order("requested_at", "id").Scan(ctx)
	if err != nil {
		return nil, wrap("list account deletions", err)
	}
	return convert(rows, (*accountDeletionRow).deletion), nil
}

// PurgeAccount implements tenants.Store.
func (db *DB) PurgeAccount(ctx context.Context, d tenants.AccountDeletion, limit int, l tenants.Lease, now time.Time) (tenants.AccountDeletion, error) {
	const op = "purge account"
	if limit < 1 {
		return d, wrap(op, tenants.Invalid("limit", "at least 1"))
	}
	var row accountDeletionRow
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := renewLease(ctx, tx, l); err != nil {
			return err
		}
		err := tx.NewSelect().Model(&row).Where("tenant_id = ?", d.TenantID).Where("id = ?", d.ID).Scan(ctx)
		if err != nil || row.FinishedAt != nil {
			return err
		}
		return purgeBatch(ctx, tx, &row, limit, now)
	})
	if err != nil {
		return d, wrap(op, err)
	}
	return row.deletion(), nil
}

// purgeBatch deletes the next limit identities of deletion d's account
// and moves its cursor past them or, when fewer are left, deletes those
// and the account, and finishes d at now. No identity appears behind the
// cursor: DeleteAccount waited for the logins adding one, and those after
// cannot complete.
func purgeBatch(ctx context.Context, tx bun.Tx, d *accountDeletionRow, limit int, now time.Time) error {
	var next []identityRow
	err := tx.NewSelect().Model(&next).Column("id", "openid").
		Where("tenant_id = ?", d.TenantID).
		Where("app_id = ?", d.AppID).
		Where("openid > ?", d.Cursor).
		Order("openid").
		Limit(int64(limit)).
		Scan(ctx)
	if err != nil {
		return err
	}
	if len(next) > 0 {
		gone, err := deleteIdentities(ctx, tx, d.TenantID, "id IN (?)", bun.In(identityIDs(next)))
		if err != nil {
			return err
		}
		d.Identities += gone.Identities
		d.LoginEvents += gone.LoginEvents
		d.Cursor = next[len(next)-1].OpenID
	}
	if len(next) < limit {
		_, err := tx.NewDelete().Model((*accountRow)(nil)).
			Where("tenant_id = ?", d.TenantID).
			Where("app_id = ?", d.AppID).
			Exec(ctx)
		if err != nil {
			return err
		}
		d.FinishedAt = &now
	}
	_, err = tx.NewUpdate().Model(d).Column("cursor", "identities", "login_events", "finished_at").WherePK().Exec(ctx)
	return err
}

func identityIDs(rows []identityRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}
