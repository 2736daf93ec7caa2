package api

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/tenants"
)

// The console's pages are rendered here; what they show comes from /v1,
// called by console.js with the session cookie, so that every rule (roles,
// validation, tenant isolation, audit) stays in the admin handlers.
//
//go:embed console
var consoleFS embed.FS

var consoleTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"t": func(dict map[string]string, key string) string { return dict[key] },
}).ParseFS(consoleFS, "console/*.html"))

// consolePages are the pages of the console, in the order of its menu;
// "try" is where a sandbox login tried from the accounts page returns.
var consolePages = []string{"accounts", "identities", "persons", "reports", "api-keys", "console-bindings", "signing-keys", "audit-events", "settings"}

// consoleLanguages: zh-CN is the default.
var consoleLanguages = []string{"zh-CN", "en"}

const (
	consoleLangCookie = "wxlogin-lang"
	// consoleTryPath is the console's own redirect URI for trying an
	// account's login.
	consoleTryPath = "/console/try"
	// consoleCSP allows the console's own scripts, styles and API only.
	consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

// consoleHandler serves the admin console under /console/.
type consoleHandler struct {
	tenants *tenants.Service
	login   *login.Service
	cookie  sessionCookie
	// wechat is the hosted login people sign in to the console with.
	wechat  ConsoleWeChat
	strings map[string]map[string]string
}

func newConsoleHandler(t *tenants.Service, l *login.Service, cookie sessionCookie, wechat ConsoleWeChat) (*consoleHandler, error) {
	h := &consoleHandler{tenants: t, login: l, cookie: cookie, wechat: wechat}
	b, err := consoleFS.ReadFile("console/i18n.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &h.strings); err != nil {
		return nil, fmt.Errorf("console strings: %w", err)
	}
	for _, lang := range consoleLanguages[1:] {
		for k := range h.strings[consoleLanguages[0]] {
			if _, ok := h.strings[lang][k]; !ok {
				return nil, fmt.Errorf("console strings: %s lacks %q", lang, k)
			}
		}
	}
	return h, nil
}

func (h *consoleHandler) mount(r gin.IRouter) {
	g := r.Group("/console", consoleHeaders)
	g.GET("", func(c *gin.Context) { c.Redirect(http.StatusFound, "/console/") })
	g.GET("/", h.home)
	g.GET("/:page", h.page)
	g.POST("/signin", h.signIn)
	g.POST("/signout", h.signOut)
	g.POST("/wechat", h.wechatStart)
	g.GET("/wechat/callback", h.wechatCallback)
	g.GET("/choose", h.chooser)
	g.POST("/choose", h.choose)
	g.GET("/assets/:file", h.asset)
}

// consoleHeaders replace the default CSP with the console's, which lets
// its own scripts and styles run, and keep its pages out of caches. The
// referrer goes to wxlogin itself only: with none, browsers send
// "Origin: null" on the console's forms, which the origin check refuses.
func consoleHeaders(c *gin.Context) {
	c.Header("Content-Security-Policy", consoleCSP)
	c.Header("Referrer-Policy", "same-origin")
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// lang is the language asked for with ?lang= (remembered in a cookie),
// else the one remembered, else zh-CN.
func (h *consoleHandler) lang(c *gin.Context) string {
	if q := c.Query("lang"); slices.Contains(consoleLanguages, q) {
		http.SetCookie(c.Writer, &http.Cookie{Name: consoleLangCookie, Value: q, Path: "/console/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.cookie.secure, SameSite: http.SameSiteStrictMode})
		return q
	}
	if v, err := c.Cookie(consoleLangCookie); err == nil && slices.Contains(consoleLanguages, v) {
		return v
	}
	return consoleLanguages[0]
}

// consoleView is what the templates render.
type consoleView struct {
	Lang  string
	T     map[string]string
	Page  string
	Pages []string
	Error string
	// Who the session acts as, in Tenant; WeChatSession says the person
	// signed in with WeChat, and Switch that they may enter other tenants.
	Who           tenants.Principal
	Tenant        tenants.Tenant
	WeChatSession bool
	Switch        bool
	// WeChatSignIn shows the sign-in page's WeChat button.
	WeChatSignIn bool
	// Person is whom a WeChat sign-in named when nobody bound them.
	Person *wechatPerson
	// Choices are the tenants a person signed in with WeChat may enter.
	Choices []tenants.ConsoleChoice
	// Next is where a page that signed the browser in goes on to.
	Next    string
	CSRF    string
	Issuer  string
	TryURL  string
	Strings template.JS
}

func (h *consoleHandler) render(c *gin.Context, status int, name string, v consoleView) {
	v.Lang = h.lang(c)
	v.T = h.strings[v.Lang]
	v.Pages = consolePages
	v.WeChatSignIn = h.wechat.enabled()
	js, err := json.Marshal(v.T)
	if err != nil {
		_ = c.Error(err)
	}
	v.Strings = template.JS(js)
	var buf bytes.Buffer
	if err := consoleTemplates.ExecuteTemplate(&buf, name, v); err != nil {
		_ = c.Error(err)
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// consoleSession is a request's console session: its token, and who it
// acts as.
type consoleSession struct {
	token string
	sess  tenants.ConsoleSession
	who   tenants.Principal
	// acts is false while a WeChat session has chosen no tenant.
	acts bool
}

// session returns the request's live session, whatever it acts as; ok is
// false (and the sign-in page shown) when there is none.
func (h *consoleHandler) session(c *gin.Context) (consoleSession, bool) {
	token := h.cookie.token(c)
	if token == "" {
		h.render(c, http.StatusOK, "signin.html", consoleView{})
		return consoleSession{}, false
	}
	sess, actor, err := h.tenants.ConsoleSession(c.Request.Context(), token)
	if err != nil {
		status, msg := h.signInError(c, err)
		h.render(c, status, "signin.html", consoleView{Error: msg})
		return consoleSession{}, false
	}
	cs := consoleSession{token: token, sess: sess}
	cs.who, cs.acts = actor.Principal()
	return cs, true
}

// acting is session for the pages of a tenant: a person signed in with
// WeChat who has not chosen a tenant yet is sent to choose one.
func (h *consoleHandler) acting(c *gin.Context) (consoleSession, bool) {
	cs, ok := h.session(c)
	if ok && !cs.acts {
		c.Redirect(http.StatusFound, consoleChoosePath)
		return consoleSession{}, false
	}
	return cs, ok
}

func (h *consoleHandler) home(c *gin.Context) {
	if _, ok := h.acting(c); ok {
		c.Redirect(http.StatusFound, "/console/"+consolePages[0])
	}
}

func (h *consoleHandler) page(c *gin.Context) {
	name := c.Param("page")
	if name != "try" && !slices.Contains(consolePages, name) {
		h.render(c, http.StatusNotFound, "signin.html", consoleView{Error: h.strings[h.lang(c)]["error.nopage"]})
		return
	}
	cs, ok := h.acting(c)
	if !ok {
		return
	}
	t, err := h.tenants.Store.GetTenant(c.Request.Context(), cs.who.TenantID)
	if err != nil {
		status, msg := h.signInError(c, err)
		h.render(c, status, "signin.html", consoleView{Error: msg})
		return
	}
	v := consoleView{
		Page: name, Who: cs.who, Tenant: t, WeChatSession: cs.sess.WeChat(), CSRF: csrfToken(cs.token),
		Issuer: h.login.Issuer(cs.who.TenantID), TryURL: h.login.PublicURL + consoleTryPath,
	}
	if v.WeChatSession {
		choices, err := h.tenants.ConsoleChoices(c.Request.Context(), cs.sess.UnionID, cs.sess.OpenID)
		if err != nil {
			status, msg := h.signInError(c, err)
			h.render(c, status, "signin.html", consoleView{Error: msg})
			return
		}
		v.Switch = len(choices) > 1
	}
	h.render(c, http.StatusOK, "console.html", v)
}

// signIn exchanges an API key for a session cookie; the key goes no
// further than this request.
func (h *consoleHandler) signIn(c *gin.Context) {
	if !h.cookie.sameOrigin(c) {
		h.render(c, http.StatusForbidden, "signin.html", consoleView{Error: h.strings[h.lang(c)]["error.origin"]})
		return
	}
	_, token, err := h.tenants.StartConsoleSession(c.Request.Context(), c.PostForm("key"))
	if err != nil {
		status, msg := h.signInError(c, err)
		h.render(c, status, "signin.html", consoleView{Error: msg})
		return
	}
	h.cookie.set(c, token, tenants.ConsoleSessionTTL)
	c.Redirect(http.StatusSeeOther, "/console/"+consolePages[0])
}

func (h *consoleHandler) signInError(c *gin.Context, err error) (int, string) {
	t := h.strings[h.lang(c)]
	switch {
	case errors.Is(err, tenants.ErrConsoleOperator):
		return http.StatusForbidden, t["error.operator"]
	case errors.Is(err, tenants.ErrSessionUnknown):
		h.cookie.clear(c)
		return http.StatusUnauthorized, t["error.session"]
	case errors.Is(err, tenants.ErrKeyRevoked), errors.Is(err, tenants.ErrKeyExpired):
		h.cookie.clear(c)
		return http.StatusUnauthorized, t["error.keygone"]
	case errors.Is(err, tenants.ErrConsoleUnbound):
		return http.StatusForbidden, t["error.unbound"]
	case errors.Is(err, tenants.ErrUnauthenticated):
		return http.StatusUnauthorized, t["error.badkey"]
	}
	_ = c.Error(err)
	c.Header("Retry-After", retryAfterSeconds)
	return http.StatusServiceUnavailable, t["error.unavailable"]
}

// signOut ends the session; it needs the CSRF token like any change.
func (h *consoleHandler) signOut(c *gin.Context) {
	token := h.cookie.token(c)
	if token != "" {
		if err := h.cookie.checkCSRF(c, token); err != nil {
			h.render(c, http.StatusForbidden, "signin.html", consoleView{Error: h.strings[h.lang(c)]["error.origin"]})
			return
		}
		if err := h.tenants.EndConsoleSession(c.Request.Context(), token); err != nil {
			status, msg := h.signInError(c, err)
			h.render(c, status, "signin.html", consoleView{Error: msg})
			return
		}
	}
	h.cookie.clear(c)
	c.Redirect(http.StatusSeeOther, "/console/")
}

var assetTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

func (h *consoleHandler) asset(c *gin.Context) {
	name := c.Param("file")
	ctype, ok := assetTypes[path.Ext(name)]
	b, err := fs.ReadFile(consoleFS, "console/"+name)
	if !ok || err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, ctype, b)
}
