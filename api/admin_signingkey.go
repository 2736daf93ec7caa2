package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/token"
)

func signingKeyJSON(k token.Key) gen.SigningKey {
	return gen.SigningKey{
		Kid: k.KID, Alg: gen.SigningKeyAlg(k.Alg), State: gen.SigningKeyState(k.State),
		CreatedAt: k.CreatedAt, RetiredAt: k.RetiredAt,
	}
}

// ListSigningKeys answers the keys in the tenant's JWKS, newest first, in
// one page.
func (h *adminHandler) ListSigningKeys(c *gin.Context, tenant gen.TenantPath) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	keys, err := h.keys.Keys(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.SigningKeyList{Items: make([]gen.SigningKey, len(keys))}
	for i, k := range keys {
		out.Items[i] = signingKeyJSON(k)
	}
	c.JSON(http.StatusOK, out)
}

func (h *adminHandler) RotateSigningKey(c *gin.Context, tenant gen.TenantPath, _ gen.RotateSigningKeyParams) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	k, err := h.tokens.Rotate(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "signing_key.rotate", "signing_key:"+k.KID)
	c.Header("Location", "/v1/tenants/"+tenant+"/signing-keys/"+k.KID)
	c.JSON(http.StatusCreated, signingKeyJSON(k))
}

// RetireSigningKey retires a passive key; the active key is refused with
// the key store's validation error (422).
func (h *adminHandler) RetireSigningKey(c *gin.Context, tenant gen.TenantPath, kid gen.KID) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	if err := h.tokens.Retire(c.Request.Context(), tenant, kid); err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "signing_key.retire", "signing_key:"+kid)
	c.Status(http.StatusNoContent)
}
