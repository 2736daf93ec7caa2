package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type tenantRow struct {
	bun.BaseModel `bun:"table:tenants,alias:t"`

	ID        string    `bun:"id,pk"`
	Name      string    `bun:"name"`
	Disabled  bool      `bun:"disabled"`
	TimeZone  string    `bun:"time_zone"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func newTenantRow(t tenants.Tenant) *tenantRow {
	return &tenantRow{ID: t.ID, Name: t.Name, Disabled: t.Disabled, TimeZone: t.TimeZone, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func (r *tenantRow) tenant() tenants.Tenant {
	return tenants.Tenant{ID: r.ID, Name: r.Name, Disabled: r.Disabled, TimeZone: r.TimeZone, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// CreateTenant implements tenants.Store.
func (db *DB) CreateTenant(ctx context.Context, t tenants.Tenant) error {
	if _, err := db.bun.NewInsert().Model(newTenantRow(t)).Exec(ctx); err != nil {
		return wrap("create tenant", err)
	}
	return nil
}

// GetTenant implements tenants.Store.
func (db *DB) GetTenant(ctx context.Context, id string) (tenants.Tenant, error) {
	var row tenantRow
	if err := db.bun.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return tenants.Tenant{}, wrap("get tenant", err)
	}
	return row.tenant(), nil
}

// ListTenants implements tenants.Store.
func (db *DB) ListTenants(ctx context.Context) ([]tenants.Tenant, error) {
	var rows []tenantRow
	if err := db.bun.NewSelect().Model(&rows).Order("id").Scan(ctx); err != nil {
		return nil, wrap("list tenants", err)
	}
	return convert(rows, (*tenantRow).tenant), nil
}

// UpdateTenant implements tenants.Store.
func (db *DB) UpdateTenant(ctx context.Context, t tenants.Tenant) error {
	res, err := db.bun.NewUpdate().Model(newTenantRow(t)).
		Column("name", "disabled", "time_zone", "updated_at").
		Where("id = ?", t.ID).
		Exec(ctx)
	return wrapAffected("update tenant", res, err)
}
