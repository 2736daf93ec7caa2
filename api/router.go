package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/api/spec"
	"github.com/wxlogin/wxlogin/internal/health"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/ratelimit"
	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/sdk"
)

// Deps are the services the HTTP layer calls.
type Deps struct {
	Login  *login.Service
	Tokens *token.Manager
	// Keys lists the tenants' signing keys for the admin API.
	Keys token.KeyStore
	// Reports computes the cross-account reports.
	Reports reports.Store
	// Sandbox serves the WeChat emulator for sandbox accounts; nil turns
	// the sandbox off.
	Sandbox *wechatsim.Sim
	// Extra mounts further handlers under their own path prefixes (the demo
	// tenant front end).
	Extra map[string]http.Handler
	// RequestTimeout bounds what a request may wait for (see deadline);
	// zero: no bound.
	RequestTimeout time.Duration
	// Limiter keeps the buckets of Limits, in memory or shared by the
	// replicas.
	Limiter *ratelimit.Limiter
	Limits  Limits
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; with none, a client's address is its connection's and a
	// forged header changes nothing.
	TrustedProxies []string
	Logger         *slog.Logger
	// Metrics is told of every request.
	Metrics RequestObserver
	// Ready answers /readyz (see package health).
	Ready http.Handler
	// ConsoleWeChat is the hosted login the console's "Sign in with
	// WeChat" runs; its zero value hides that button.
	ConsoleWeChat ConsoleWeChat
}

// RequestObserver is told of each request as it comes in, and again when
// it was answered: its route template (never the raw path, which may carry
// codes; empty when no route matched), status and duration. Metrics
// implement it.
type RequestObserver interface {
	RequestStarted()
	RequestDone(route string, status int, d time.Duration)
}

// New returns wxlogin's HTTP handler.
func New(d Deps) (http.Handler, error) {
	doc, err := spec.Load()
	if err != nil {
		return nil, err
	}
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	r.Use(requestID(), observe(d.Logger, d.Metrics), recovery(d.Logger), securityHeaders(), deadline(d.RequestTimeout))
	r.HandleMethodNotAllowed = true

	h := &loginHandler{login: d.Login, tokens: d.Tokens, logger: d.Logger}
	pages := limitAddress(d.Limiter, d.Limits.Login, writePage)
	t := r.Group("/t/:tenant")
	t.GET("/wechat/:appid/login", pages, h.start)
	t.GET("/wechat/:appid/callback", pages, h.callback)
	t.POST("/oauth/token", h.tokenCORS, limitAddress(d.Limiter, d.Limits.Token, writeTokenError), h.token)
	t.OPTIONS("/oauth/token", h.tokenCORS, tokenPreflight)
	t.GET("/.well-known/jwks.json", publicCORS, h.jwks)
	t.GET("/.well-known/openid-configuration", publicCORS, h.discovery)
	t.GET("/oauth/authorize", pages, h.authorize)
	t.GET("/oauth/userinfo", h.userinfo)
	t.POST("/oauth/userinfo", h.userinfo)
	t.POST("/oauth/revoke", h.revoke)
	r.GET(sdk.Path, publicCORS, gin.WrapF(sdk.Serve))

	if d.Sandbox != nil {
		host := publicHost(d.Login.PublicURL)
		sb := &sandboxHandler{sim: d.Sandbox, tenants: d.Login.Tenants, host: host}
		r.Any("/sandbox/wechat/:tenant/*path", sb.serve)
	}
	for prefix, handler := range d.Extra {
		r.Any(prefix+"/*path", gin.WrapH(handler))
	}
	cookie := newSessionCookie(d.Login.PublicURL)
	admin := &adminHandler{tenants: d.Login.Tenants, login: d.Login, tokens: d.Tokens, keys: d.Keys, reports: d.Reports, logger: d.Logger, cookie: cookie}
	v1 := r.Group("", admin.authenticate, limitCaller(d.Limiter, d.Limits.API), doc.Validator(writeProblem), storableQuery, admin.idempotent)
	gen.RegisterHandlersWithOptions(v1, admin, gen.GinServerOptions{ErrorHandler: func(c *gin.Context, err error, _ int) {
		writeProblem(c, fmt.Errorf("%w: %v", errBadRequest, err))
	}})
	doc.Mount(r)
	console, err := newConsoleHandler(d.Login.Tenants, d.Login, cookie, d.ConsoleWeChat)
	if err != nil {
		return nil, err
	}
	console.mount(r)

	r.GET("/healthz", gin.WrapF(health.Live))
	r.GET("/readyz", gin.WrapH(d.Ready))
	return r, nil
}

func publicHost(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	return u.Host
}
