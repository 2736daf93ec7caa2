package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

type keyRow struct {
	bun.BaseModel `bun:"table:signing_keys,alias:sk"`

	TenantID  string     `bun:"tenant_id,pk"`
	KID       string     `bun:"kid,pk"`
	Alg       string     `bun:"alg"`
	PublicJWK string     `bun:"public_jwk"`
	State     string     `bun:"state"`
	CreatedAt time.Time  `bun:"created_at"`
	RetiredAt *time.Time `bun:"retired_at"`
}

func (r *keyRow) key() token.Key {
	return token.Key{
		TenantID:  r.TenantID,
		KID:       r.KID,
		Alg:       r.Alg,
		PublicJWK: []byte(r.PublicJWK),
		State:     r.State,
		CreatedAt: r.CreatedAt.UTC(),
		RetiredAt: utcPtr(r.RetiredAt),
	}
}

// RotateKey implements token.KeyStore; k's State and RetiredAt are
// ignored. Of two rotations racing on one tenant, one fails with
// tenants.ErrConflict (the database allows one active key per tenant); a
// taken kid is tenants.ErrConflict too, an unknown tenant
// tenants.ErrNotFound.
func (db *DB) RotateKey(ctx context.Context, k token.Key) error {
	row := &keyRow{
		TenantID:  k.TenantID,
		KID:       k.KID,
		Alg:       k.Alg,
		PublicJWK: string(k.PublicJWK),
		State:     token.KeyActive,
		CreatedAt: k.CreatedAt,
	}
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*keyRow)(nil)).
			Set("state = ?", token.KeyPassive).
			Where("tenant_id = ?", k.TenantID).
			Where("state = ?", token.KeyActive).
			Exec(ctx)
		if err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil {
		return wrap("rotate key", err)
	}
	return nil
}

// Keys implements token.KeyStore.
func (db *DB) Keys(ctx context.Context, tenantID string) ([]token.Key, error) {
	var rows []keyRow
	err := db.bun.NewSelect().Model(&rows).
		Where("tenant_id = ?", tenantID).
		Where("state <> ?", token.KeyRetired).
		Order("created_at DESC", "kid DESC").
		Scan(ctx)
	if err != nil {
		return nil, wrap("list keys", err)
	}
	return convert(rows, (*keyRow).key), nil
}

// RetireKey implements token.KeyStore. Retiring a retired key changes
// nothing and succeeds.
func (db *DB) RetireKey(ctx context.Context, tenantID, kid string, at time.Time) error {
	res, err := db.bun.NewUpdate().Model((*keyRow)(nil)).
		Set("state = ?", token.KeyRetired).
		Set("retired_at = ?", at).
		Where("tenant_id = ?", tenantID).
		Where("kid = ?", kid).
		Where("state = ?", token.KeyPassive).
		Exec(ctx)
	if err != nil {
		return wrap("retire key", err)
	}
	n, err := res.RowsAffected()
	switch {
	case err != nil:
		return wrap("retire key", err)
	case n > 0:
		return nil
	}
	// Nothing changed: the key is missing, retired already, or was active
	// when the update ran.
	var state string
	err = db.bun.NewSelect().Model((*keyRow)(nil)).Column("state").
		Where("tenant_id = ?", tenantID).
		Where("kid = ?", kid).
		Scan(ctx, &state)
	switch {
	case err != nil:
		return wrap("retire key", err)
	case state != token.KeyRetired:
		return wrap("retire key", tenants.Invalid("kid", kid+" is the active key; rotate first"))
	}
	return nil
}
