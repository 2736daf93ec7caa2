package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

func apiKeyJSON(k tenants.APIKey) gen.APIKey {
	return gen.APIKey{
		ID: k.ID, Name: k.Name, Role: gen.Role(k.Role), CreatedAt: k.CreatedAt,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt,
	}
}

func apiKeyCreatedJSON(k tenants.APIKey, value string) gen.APIKeyCreated {
	return gen.APIKeyCreated{
		ID: k.ID, Key: value, Name: k.Name, Role: gen.Role(k.Role), CreatedAt: k.CreatedAt,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt,
	}
}

// authorizeReadOrOperator lets in the tenant's own keys, as read does, and
// the operator, who reads any tenant's API keys and audit events; for the
// operator it checks that the tenant exists.
func (h *adminHandler) authorizeReadOrOperator(c *gin.Context, tenantID string) bool {
	if caller(c).Role != tenants.RoleOperator {
		_, ok := h.authorize(c, tenantID, read)
		return ok
	}
	if _, err := h.tenants.Store.GetTenant(c.Request.Context(), tenantID); err != nil {
		writeProblem(c, err)
		return false
	}
	return true
}

func (h *adminHandler) ListAPIKeys(c *gin.Context, tenant gen.TenantPath, params gen.ListAPIKeysParams) {
	if !h.authorizeReadOrOperator(c, tenant) {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	keys, err := h.tenants.Store.ListAPIKeys(c.Request.Context(), tenant, p)
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.APIKeyList{Items: make([]gen.APIKey, len(keys))}
	for i, k := range keys {
		out.Items[i] = apiKeyJSON(k)
	}
	if len(keys) > 0 {
		out.NextCursor = nextCursor(p, len(keys), keys[len(keys)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

func (h *adminHandler) CreateAPIKey(c *gin.Context, tenant gen.TenantPath, _ gen.CreateAPIKeyParams) {
	var body gen.APIKeyCreate
	key, ok := h.authorizeBody(c, tenant, bootstrap, &body)
	if !ok {
		return
	}
	if body.ExpiresAt != nil && !body.ExpiresAt.After(h.tenants.Now()) {
		writeProblem(c, tenants.Invalid("expires_at", "a time in the future"))
		return
	}
	k, value, err := h.tenants.CreateAPIKey(c.Request.Context(), tenant, body.Name, tenants.Role(body.Role), body.ExpiresAt)
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "api_key.create", "api_key:"+k.ID)
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/v1/tenants/"+tenant+"/api-keys/"+k.ID)
	c.JSON(http.StatusCreated, apiKeyCreatedJSON(k, value))
}

func (h *adminHandler) RevokeAPIKey(c *gin.Context, tenant gen.TenantPath, keyID gen.KeyID) {
	key, ok := h.authorize(c, tenant, bootstrap)
	if !ok {
		return
	}
	if err := h.tenants.RevokeAPIKey(c.Request.Context(), tenant, keyID); err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "api_key.revoke", "api_key:"+keyID)
	c.Status(http.StatusNoContent)
}
