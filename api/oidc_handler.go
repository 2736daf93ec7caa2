package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
)

// The OpenID Connect endpoints of a tenant, served by loginHandler next to
// the hosted login.

func (h *loginHandler) discovery(c *gin.Context) {
	if holdsUnstorable(c) {
		writeJSONError(c, errNoSuchTenant)
		return
	}
	d, err := h.login.Discovery(c.Request.Context(), c.Param("tenant"))
	if err != nil {
		h.logFailure(c, "discovery", err)
		writeJSONError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, d)
}

func (h *loginHandler) authorize(c *gin.Context) {
	if holdsUnstorable(c) {
		h.redirect(c, "authorize", "", errUnstorable)
		return
	}
	q := c.Request.URL.Query()
	to, err := h.login.Authorize(c.Request.Context(), login.AuthorizeRequest{
		TenantID:            c.Param("tenant"),
		ClientID:            q.Get("client_id"),
		RedirectURI:         q.Get("redirect_uri"),
		ResponseType:        q.Get("response_type"),
		Scope:               q.Get("scope"),
		State:               q.Get("state"),
		Nonce:               q.Get("nonce"),
		CodeChallenge:       q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"),
		OutsideWeChat:       !login.InWeChat(c.Request.UserAgent()),
	})
	h.redirect(c, "authorize", to, err)
}

func (h *loginHandler) userinfo(c *gin.Context) {
	if holdsUnstorable(c) {
		writeBearerError(c, &login.OAuthError{Code: login.OAuthInvalidToken, Description: errUnstorable.Detail})
		return
	}
	raw, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	info, err := h.login.UserInfo(c.Request.Context(), c.Param("tenant"), raw)
	if err != nil {
		h.logFailure(c, "userinfo", err)
		writeBearerError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, info)
}

func (h *loginHandler) revoke(c *gin.Context) {
	f, ok := h.form(c)
	if !ok {
		return
	}
	err := h.login.Revoke(c.Request.Context(), login.RevokeRequest{
		TenantID: c.Param("tenant"), Token: f.Get("token"), ClientID: f.clientID, ClientSecret: f.secret,
	})
	if err != nil {
		h.logFailure(c, "revoke", err)
		writeTokenError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
}
