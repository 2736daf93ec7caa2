package api

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
)

// CORS of the endpoints a tenant's page calls from the browser. The JWKS and
// the SDK are public: any origin may read them. The token endpoint answers
// the origins of the tenant's allowlisted redirect URIs only (where its
// logins land, see login.Service.AllowsOrigin), without credentials: a
// browser redeems with PKCE, never with a client secret.

// publicCORS lets any origin read the answer.
func publicCORS(c *gin.Context) {
	c.Header("Access-Control-Allow-Origin", "*")
	c.Next()
}

// tokenCORS allows the tenant's own origins to read the token endpoint's
// answers.
func (h *loginHandler) tokenCORS(c *gin.Context) {
	c.Writer.Header().Add("Vary", "Origin")
	origin := c.GetHeader("Origin")
	if origin == "" {
		c.Next()
		return
	}
	ok, err := h.login.AllowsOrigin(c.Request.Context(), c.Param("tenant"), origin)
	if err != nil {
		h.logger.LogAttrs(c.Request.Context(), slog.LevelWarn, "token cors failed",
			slog.String("request_id", c.GetString(requestIDKey)),
			slog.String("tenant", clip(c.Param("tenant"))),
			slog.String("error", clip(err.Error())))
	}
	if ok {
		c.Header("Access-Control-Allow-Origin", origin)
	}
	c.Next()
}

// tokenPreflight answers a CORS preflight of the token endpoint; tokenCORS
// ran first and allowed the origin or not.
func tokenPreflight(c *gin.Context) {
	if c.Writer.Header().Get("Access-Control-Allow-Origin") != "" {
		c.Header("Access-Control-Allow-Methods", http.MethodPost)
		c.Header("Access-Control-Allow-Headers", "Content-Type")
		c.Header("Access-Control-Max-Age", "600")
	}
	c.Status(http.StatusNoContent)
}
