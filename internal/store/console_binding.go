package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type consoleBindingRow struct {
	bun.BaseModel `bun:"table:console_bindings,alias:cb"`

	ID        string    `bun:"id,pk"`
	TenantID  string    `bun:"tenant_id"`
	Name      string    `bun:"name"`
	UnionID   string    `bun:"unionid"`
	OpenID    string    `bun:"openid"`
	Role      string    `bun:"role"`
	CreatedAt time.Time `bun:"created_at"`
}

func (r *consoleBindingRow) binding() tenants.ConsoleBinding {
	return tenants.ConsoleBinding{ID: r.ID, TenantID: r.TenantID, Name: r.Name, UnionID: r.UnionID, OpenID: r.OpenID,
		Role: tenants.Role(r.Role), CreatedAt: r.CreatedAt.UTC()}
}

// CreateConsoleBinding implements tenants.Store.
func (db *DB) CreateConsoleBinding(ctx context.Context, b tenants.ConsoleBinding) error {
	row := &consoleBindingRow{ID: b.ID, TenantID: b.TenantID, Name: b.Name, UnionID: b.UnionID, OpenID: b.OpenID,
		Role: string(b.Role), CreatedAt: b.CreatedAt}
	if _, err := db.bun.NewInsert().Model(row).Exec(ctx); err != nil {
		return wrap("create console binding", err)
	}
	return nil
}

// ListConsoleBindings implements tenants.Store.
func (db *DB) ListConsoleBindings(ctx context.Context, tenantID string, p tenants.Page) ([]tenants.ConsoleBinding, error) {
	var rows []consoleBindingRow
	q := db.bun.NewSelect().Model(&rows).Where("tenant_id = ?", tenantID)
	if err := paged(q, "id", ascending, p).Scan(ctx); err != nil {
		return nil, wrap("list console bindings", err)
	}
	return convert(rows, (*consoleBindingRow).binding), nil
}

// DeleteConsoleBinding implements tenants.Store; the binding's sessions go
// with it (ON DELETE CASCADE).
func (db *DB) DeleteConsoleBinding(ctx context.Context, tenantID, id string) error {
	res, err := db.bun.NewDelete().Model((*consoleBindingRow)(nil)).
		Where("tenant_id = ?", tenantID).
		Where("id = ?", id).
		Exec(ctx)
	return wrapAffected("delete console binding", res, err)
}

// ConsoleBindingsOf implements tenants.Store. Each of the two lookups
// reads its unique index; an empty id looks nothing up.
func (db *DB) ConsoleBindingsOf(ctx context.Context, unionID, openID string) ([]tenants.ConsoleBinding, error) {
	var ids []filter
	for _, f := range []filter{{"unionid", unionID}, {"openid", openID}} {
		if f.value != "" {
			ids = append(ids, f)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []consoleBindingRow
	q := db.bun.NewSelect().Model(&rows).WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, f := range ids {
			q = q.WhereOr("? = ?", bun.Ident(f.column), f.value)
		}
		return q
	}).Order("tenant_id", "id")
	if err := q.Scan(ctx); err != nil {
		return nil, wrap("console bindings of a person", err)
	}
	return convert(rows, (*consoleBindingRow).binding), nil
}
