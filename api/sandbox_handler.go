package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/tenants"
)

// sandboxHandler serves the WeChat emulator for one tenant's sandbox
// accounts at /sandbox/wechat/{tenant}/….
type sandboxHandler struct {
	sim     *wechatsim.Sim
	tenants *tenants.Service
	host    string
}

func (h *sandboxHandler) serve(c *gin.Context) {
	if holdsUnstorable(c) {
		writePage(c, errUnstorable)
		return
	}
	tenantID := c.Param("tenant")
	if _, err := h.tenants.Store.GetTenant(c.Request.Context(), tenantID); err != nil {
		if errors.Is(err, tenants.ErrNotFound) {
			c.String(http.StatusNotFound, "no such tenant\n")
			return
		}
		writePage(c, err)
		return
	}
	reg := login.SandboxRegistry{Tenants: h.tenants, TenantID: tenantID, Host: h.host}
	http.StripPrefix("/sandbox/wechat/"+tenantID, h.sim.Handler(reg)).ServeHTTP(c.Writer, c.Request)
}
