package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

// etag names one version of a resource by when it last changed.
func etag(updated time.Time) string { return `"` + strconv.FormatInt(updated.UnixMicro(), 36) + `"` }

// precondition applies If-Match to a resource last updated at updated:
// errChanged unless it is absent, "*" or the resource's ETag.
func precondition(ifMatch *string, updated time.Time) error {
	if ifMatch == nil || *ifMatch == "*" || *ifMatch == etag(updated) {
		return nil
	}
	return errChanged
}

func tenantJSON(t tenants.Tenant) gen.Tenant {
	return gen.Tenant{ID: t.ID, Name: t.Name, Disabled: t.Disabled, TimeZone: t.TimeZone, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func (h *adminHandler) ListTenants(c *gin.Context, params gen.ListTenantsParams) {
	if _, ok := h.authorize(c, "", operate); !ok {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	all, err := h.tenants.Store.ListTenants(c.Request.Context())
	if err != nil {
		writeProblem(c, err)
		return
	}
	start := 0 // tenants come ordered by ID: skip to the cursor
	for start < len(all) && all[start].ID <= p.After {
		start++
	}
	items := all[start:min(len(all), start+p.Size())]
	out := gen.TenantList{Items: make([]gen.Tenant, len(items))}
	for i, t := range items {
		out.Items[i] = tenantJSON(t)
	}
	if len(items) > 0 && start+len(items) < len(all) {
		out.NextCursor = encodeCursor(items[len(items)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

func (h *adminHandler) CreateTenant(c *gin.Context, _ gen.CreateTenantParams) {
	var body gen.TenantCreate
	key, ok := h.authorizeBody(c, "", operate, &body)
	if !ok {
		return
	}
	t, err := h.tenants.CreateTenant(c.Request.Context(), tenants.Tenant{ID: body.ID, Name: body.Name, TimeZone: orZero(body.TimeZone)})
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, t.ID, "tenant.create", "tenant:"+t.ID)
	c.Header("ETag", etag(t.UpdatedAt))
	c.Header("Location", "/v1/tenants/"+t.ID)
	c.JSON(http.StatusCreated, tenantJSON(t))
}

// GetTenant answers the operator and the tenant's own keys.
func (h *adminHandler) GetTenant(c *gin.Context, tenant gen.TenantPath) {
	if !h.authorizeReadOrOperator(c, tenant) {
		return
	}
	t, err := h.tenants.Store.GetTenant(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.Header("ETag", etag(t.UpdatedAt))
	c.JSON(http.StatusOK, tenantJSON(t))
}

// UpdateTenant lets the operator change anything and the tenant's admins
// its name and time zone; enabling or disabling it is the operator's.
func (h *adminHandler) UpdateTenant(c *gin.Context, tenant gen.TenantPath, params gen.UpdateTenantParams) {
	var body gen.TenantUpdate
	if !bind(c, &body) {
		return
	}
	need := bootstrap
	if body.Disabled != nil {
		need = operate
	}
	h.changeTenant(c, tenant, need, params.IfMatch, "tenant.update", func(t *tenants.Tenant) {
		if body.Name != nil {
			t.Name = *body.Name
		}
		if body.Disabled != nil {
			t.Disabled = *body.Disabled
		}
		if body.TimeZone != nil {
			t.TimeZone = *body.TimeZone
		}
	}, http.StatusOK)
}

func (h *adminHandler) DisableTenant(c *gin.Context, tenant gen.TenantPath) {
	h.changeTenant(c, tenant, operate, nil, "tenant.disable", func(t *tenants.Tenant) { t.Disabled = true }, http.StatusNoContent)
}

// changeTenant reads a tenant, applies edit and writes it back, for a
// caller with the access need.
func (h *adminHandler) changeTenant(c *gin.Context, tenant string, need access, ifMatch *string, action string, edit func(*tenants.Tenant), status int) {
	key, ok := h.authorize(c, tenant, need)
	if !ok {
		return
	}
	t, err := h.tenants.Store.GetTenant(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	if err := precondition(ifMatch, t.UpdatedAt); err != nil {
		writeProblem(c, err)
		return
	}
	edit(&t)
	if t, err = h.tenants.UpdateTenant(c.Request.Context(), t); err != nil {
		writeProblem(c, fmt.Errorf("update tenant: %w", err))
		return
	}
	h.audit(c, key, t.ID, action, "tenant:"+t.ID)
	if status == http.StatusNoContent {
		c.Status(status)
		return
	}
	c.Header("ETag", etag(t.UpdatedAt))
	c.JSON(status, tenantJSON(t))
}
