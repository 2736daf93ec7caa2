package store

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type leaseRow struct {
	bun.BaseModel `bun:"table:leases,alias:l"`

	Name      string    `bun:"name,pk"`
	Holder    string    `bun:"holder"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// ClaimLease implements tenants.Store in one statement: an insert that, on
// the lease's row, takes it over only from the same holder or an expired
// one.
func (db *DB) ClaimLease(ctx context.Context, l tenants.Lease, now time.Time) (bool, error) {
	res, err := db.bun.NewInsert().Model(&leaseRow{Name: l.Name, Holder: l.Holder, ExpiresAt: l.Expires}).
		On("CONFLICT (name) DO UPDATE").
		Set("holder = EXCLUDED.holder").
		Set("expires_at = EXCLUDED.expires_at").
		Where("?TableAlias.holder = EXCLUDED.holder OR ?TableAlias.expires_at <= ?", now).
		Exec(ctx)
	if err != nil {
		return false, wrap("claim lease", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrap("claim lease", err)
	}
	return n == 1, nil
}

// ReleaseLease implements tenants.Store.
func (db *DB) ReleaseLease(ctx context.Context, l tenants.Lease) error {
	_, err := db.bun.NewDelete().Model((*leaseRow)(nil)).Where("name = ?", l.Name).Where("holder = ?", l.Holder).Exec(ctx)
	if err != nil {
		return wrap("release lease", err)
	}
	return nil
}

// renewLease extends l.Holder's lease to l.Expires within tx, or fails with
// tenants.ErrLeaseLost when another holder has it. The row stays locked
// until tx ends, so a claim by another holder waits for tx and then finds
// the lease renewed: work done under renewLease never overlaps another
// holder's.
func renewLease(ctx context.Context, tx bun.Tx, l tenants.Lease) error {
	res, err := tx.NewUpdate().Model((*leaseRow)(nil)).
		Set("expires_at = ?", l.Expires).
		Where("name = ?", l.Name).
		Where("holder = ?", l.Holder).
		Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, tenants.ErrLeaseLost)
	}
	return nil
}
