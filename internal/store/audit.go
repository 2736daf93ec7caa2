package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type auditEventRow struct {
	bun.BaseModel `bun:"table:audit_events,alias:ae"`

	ID             string    `bun:"id,pk"`
	TenantID       string    `bun:"tenant_id,nullzero"` // NULL for operator-level actions
	At             time.Time `bun:"at"`
	ActorKeyID     string    `bun:"actor_key_id"`
	ActorBindingID string    `bun:"actor_binding_id"`
	Action         string    `bun:"action"`
	Target         string    `bun:"target"`
	RequestID      string    `bun:"request_id"`
	SourceIP       string    `bun:"source_ip"`
}

func (r *auditEventRow) auditEvent() tenants.AuditEvent {
	return tenants.AuditEvent{
		ID:             r.ID,
		TenantID:       r.TenantID,
		At:             r.At.UTC(),
		ActorKeyID:     r.ActorKeyID,
		ActorBindingID: r.ActorBindingID,
		Action:         r.Action,
		Target:         r.Target,
		RequestID:      r.RequestID,
		SourceIP:       r.SourceIP,
	}
}

// RecordAudit implements tenants.Store.
func (db *DB) RecordAudit(ctx context.Context, e tenants.AuditEvent) error {
	row := &auditEventRow{
		ID:             uuid.Must(uuid.NewV7()).String(),
		TenantID:       e.TenantID,
		At:             e.At,
		ActorKeyID:     e.ActorKeyID,
		ActorBindingID: e.ActorBindingID,
		Action:         e.Action,
		Target:         e.Target,
		RequestID:      e.RequestID,
		SourceIP:       e.SourceIP,
	}
	if _, err := db.bun.NewInsert().Model(row).Exec(ctx); err != nil {
		return wrap("record audit event", err)
	}
	return nil
}

// ListAuditEvents implements tenants.Store.
func (db *DB) ListAuditEvents(ctx context.Context, tenantID string, f tenants.AuditFilter) ([]tenants.AuditEvent, error) {
	var rows []auditEventRow
	q := matching(ownedBy(db.bun.NewSelect().Model(&rows), tenantID),
		filter{"action", f.Action},
		filter{"actor_key_id", f.ActorKeyID},
		filter{"actor_binding_id", f.ActorBindingID},
		filter{"target", f.Target},
	)
	q = within(q, "at", f.After, f.Before)
	if err := paged(q, "id", descending, f.Page()).Scan(ctx); err != nil {
		return nil, wrap("list audit events", err)
	}
	return convert(rows, (*auditEventRow).auditEvent), nil
}
