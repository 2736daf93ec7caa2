package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

func clientSecretJSON(cs tenants.ClientSecret) gen.ClientSecret {
	return gen.ClientSecret{ID: cs.ID, ClientID: cs.AppID, CreatedAt: cs.CreatedAt}
}

func clientSecretCreatedJSON(cs tenants.ClientSecret, value string) gen.ClientSecretCreated {
	return gen.ClientSecretCreated{ID: cs.ID, ClientID: cs.AppID, ClientSecret: value, CreatedAt: cs.CreatedAt}
}

// clientSecretKey orders client secrets as the store lists them (by
// creation time, then ID) and is the cursor after one.
func clientSecretKey(cs tenants.ClientSecret) string {
	return fmt.Sprintf("%020d/%s", cs.CreatedAt.UnixNano(), cs.ID)
}

// clientSecretPage cuts page p out of all, which is in clientSecretKey
// order, and returns it with the cursor of the next page.
func clientSecretPage(all []tenants.ClientSecret, p tenants.Page) ([]tenants.ClientSecret, *string) {
	start := 0
	for start < len(all) && clientSecretKey(all[start]) <= p.After {
		start++
	}
	items := all[start:min(len(all), start+p.Size())]
	if len(items) == 0 || start+len(items) == len(all) {
		return items, nil
	}
	return items, encodeCursor(clientSecretKey(items[len(items)-1]))
}

// ListClientSecrets lists the account's unrevoked secrets, oldest first.
func (h *adminHandler) ListClientSecrets(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath, params gen.ListClientSecretsParams) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	if _, err := h.tenants.Store.GetAccount(c.Request.Context(), tenant, appid); err != nil {
		writeProblem(c, err)
		return
	}
	all, err := h.tenants.Store.ActiveClientSecrets(c.Request.Context(), tenant, appid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	items, next := clientSecretPage(all, p)
	out := gen.ClientSecretList{Items: make([]gen.ClientSecret, len(items)), NextCursor: next}
	for i, cs := range items {
		out.Items[i] = clientSecretJSON(cs)
	}
	c.JSON(http.StatusOK, out)
}

func (h *adminHandler) CreateClientSecret(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath, _ gen.CreateClientSecretParams) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	cs, value, err := h.tenants.CreateClientSecret(c.Request.Context(), tenant, appid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "client_secret.create", "client_secret:"+cs.ID)
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/v1/tenants/"+tenant+"/accounts/"+appid+"/client-secrets/"+cs.ID)
	c.JSON(http.StatusCreated, clientSecretCreatedJSON(cs, value))
}

func (h *adminHandler) RevokeClientSecret(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath, secretID gen.SecretID) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	if err := h.tenants.RevokeClientSecret(c.Request.Context(), tenant, appid, secretID); err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "client_secret.revoke", "client_secret:"+secretID)
	c.Status(http.StatusNoContent)
}
