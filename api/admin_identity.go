package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

// orZero is the value of an optional parameter, its zero value when absent:
// the domain's filters take a zero field as no filter.
func orZero[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

func identityJSON(i tenants.Identity) gen.Identity {
	return gen.Identity{
		ID: i.ID, Appid: i.AppID, Openid: i.OpenID, Unionid: i.UnionID, Nickname: i.Nickname, AvatarURL: i.AvatarURL,
		FirstLoginAt: i.FirstLoginAt, LastLoginAt: i.LastLoginAt, LoginCount: i.LoginCount,
	}
}

func identityFilter(params gen.ListIdentitiesParams, p tenants.Page) tenants.IdentityFilter {
	return tenants.IdentityFilter{
		AppID: orZero(params.Appid), OpenID: orZero(params.Openid), UnionID: orZero(params.Unionid),
		NicknamePrefix: orZero(params.Nickname),
		LastLoginAfter: orZero(params.LastLoginAfter), LastLoginBefore: orZero(params.LastLoginBefore),
		After: p.After, Limit: p.Limit,
	}
}

func (h *adminHandler) ListIdentities(c *gin.Context, tenant gen.TenantPath, params gen.ListIdentitiesParams) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	ids, err := h.tenants.Store.ListIdentities(c.Request.Context(), tenant, identityFilter(params, p))
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.IdentityList{Items: make([]gen.Identity, len(ids))}
	for i, id := range ids {
		out.Items[i] = identityJSON(id)
	}
	if len(ids) > 0 {
		out.NextCursor = nextCursor(p, len(ids), ids[len(ids)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

// GetIdentity answers the identity with an ETag of its last login, the only
// time it changes.
func (h *adminHandler) GetIdentity(c *gin.Context, tenant gen.TenantPath, identityID gen.IdentityID) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	i, err := h.tenants.Store.GetIdentity(c.Request.Context(), tenant, identityID)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.Header("ETag", etag(i.LastLoginAt))
	c.JSON(http.StatusOK, identityJSON(i))
}

func (h *adminHandler) DeleteIdentity(c *gin.Context, tenant gen.TenantPath, identityID gen.IdentityID) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	if err := h.tenants.Store.DeleteIdentity(c.Request.Context(), tenant, identityID); err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "identity.delete", "identity:"+identityID)
	c.Status(http.StatusNoContent)
}

func (h *adminHandler) ErasePerson(c *gin.Context, tenant gen.TenantPath, unionid gen.UnionID) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	e, err := h.tenants.Store.ErasePerson(c.Request.Context(), tenant, unionid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "person.erase", "person:"+unionid)
	c.JSON(http.StatusOK, gen.PersonErasure{IdentitiesErased: e.Identities, LoginEventsErased: e.LoginEvents})
}
