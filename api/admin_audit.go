package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

func auditEventJSON(e tenants.AuditEvent) gen.AuditEvent {
	out := gen.AuditEvent{
		ID: e.ID, Tenant: e.TenantID, At: e.At, Action: gen.AuditAction(e.Action), Target: e.Target,
		RequestID: e.RequestID, SourceIP: e.SourceIP,
	}
	if e.ActorKeyID != "" {
		out.ActorKeyID = &e.ActorKeyID
	}
	if e.ActorBindingID != "" {
		out.ActorBindingID = &e.ActorBindingID
	}
	return out
}

func auditFilter(params gen.ListAuditEventsParams, p tenants.Page) tenants.AuditFilter {
	return tenants.AuditFilter{
		Action: string(orZero(params.Action)), ActorKeyID: orZero(params.ActorKeyID), ActorBindingID: orZero(params.ActorBindingID), Target: orZero(params.Target),
		After: orZero(params.After), Before: orZero(params.Before), Cursor: p.After, Limit: p.Limit,
	}
}

// ListAuditEvents lists the tenant's audit events, newest first.
func (h *adminHandler) ListAuditEvents(c *gin.Context, tenant gen.TenantPath, params gen.ListAuditEventsParams) {
	if !h.authorizeReadOrOperator(c, tenant) {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	events, err := h.tenants.Store.ListAuditEvents(c.Request.Context(), tenant, auditFilter(params, p))
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.AuditEventList{Items: make([]gen.AuditEvent, len(events))}
	for i, e := range events {
		out.Items[i] = auditEventJSON(e)
	}
	if len(events) > 0 {
		out.NextCursor = nextCursor(p, len(events), events[len(events)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}
