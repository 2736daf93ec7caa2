package api

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// Deps are the services the HTTP layer calls.
type Deps struct {
	Login  *login.Service
	Tokens *token.Manager
	// Sandbox serves the WeChat emulator for sandbox accounts; nil turns
	// the sandbox off.
	Sandbox *wechatsim.Sim
	// Extra mounts further handlers under their own path prefixes (the demo
	// tenant front end).
	Extra  map[string]http.Handler
	Logger *slog.Logger
}

// New returns wxlogin's HTTP handler.
func New(d Deps) http.Handler {
	r := gin.New()
	r.Use(requestID(), accessLog(d.Logger), recovery(d.Logger), securityHeaders())
	r.HandleMethodNotAllowed = true

	h := &loginHandler{login: d.Login, tokens: d.Tokens, logger: d.Logger}
	t := r.Group("/t/:tenant")
	t.GET("/wechat/:appid/login", h.start)
	t.GET("/wechat/:appid/callback", h.callback)
	t.POST("/oauth/token", h.token)
	t.GET("/.well-known/jwks.json", h.jwks)

	if d.Sandbox != nil {
		host := publicHost(d.Login.PublicURL)
		sb := &sandboxHandler{sim: d.Sandbox, tenants: d.Login.Tenants, host: host}
		r.Any("/sandbox/wechat/:tenant/*path", sb.serve)
	}
	for prefix, handler := range d.Extra {
		r.Any(prefix+"/*path", gin.WrapH(handler))
	}
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	return r
}

func publicHost(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	return u.Host
}
