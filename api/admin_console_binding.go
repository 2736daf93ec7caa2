package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

func consoleBindingJSON(b tenants.ConsoleBinding) gen.ConsoleBinding {
	return gen.ConsoleBinding{ID: b.ID, Name: b.Name, Role: gen.Role(b.Role), Unionid: b.UnionID, Openid: b.OpenID, CreatedAt: b.CreatedAt}
}

// ListConsoleBindings answers the operator and the tenant's own callers.
func (h *adminHandler) ListConsoleBindings(c *gin.Context, tenant gen.TenantPath, params gen.ListConsoleBindingsParams) {
	if !h.authorizeReadOrOperator(c, tenant) {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	bindings, err := h.tenants.Store.ListConsoleBindings(c.Request.Context(), tenant, p)
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.ConsoleBindingList{Items: make([]gen.ConsoleBinding, len(bindings))}
	for i, b := range bindings {
		out.Items[i] = consoleBindingJSON(b)
	}
	if len(bindings) > 0 {
		out.NextCursor = nextCursor(p, len(bindings), bindings[len(bindings)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

// CreateConsoleBinding lets the operator bind a person in any tenant, and
// an admin in its own, as it lets them make API keys.
func (h *adminHandler) CreateConsoleBinding(c *gin.Context, tenant gen.TenantPath, _ gen.CreateConsoleBindingParams) {
	var body gen.ConsoleBindingCreate
	who, ok := h.authorizeBody(c, tenant, bootstrap, &body)
	if !ok {
		return
	}
	b, err := h.tenants.CreateConsoleBinding(c.Request.Context(), tenants.ConsoleBinding{
		TenantID: tenant, Name: body.Name, Role: tenants.Role(body.Role), UnionID: orZero(body.Unionid), OpenID: orZero(body.Openid),
	})
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, who, tenant, "console_binding.create", "console_binding:"+b.ID)
	c.Header("Location", "/v1/tenants/"+tenant+"/console-bindings/"+b.ID)
	c.JSON(http.StatusCreated, consoleBindingJSON(b))
}

// DeleteConsoleBinding revokes a binding; its sessions end with it.
func (h *adminHandler) DeleteConsoleBinding(c *gin.Context, tenant gen.TenantPath, bindingID gen.BindingID) {
	who, ok := h.authorize(c, tenant, bootstrap)
	if !ok {
		return
	}
	if err := h.tenants.DeleteConsoleBinding(c.Request.Context(), tenant, bindingID); err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, who, tenant, "console_binding.delete", "console_binding:"+bindingID)
	c.Status(http.StatusNoContent)
}
