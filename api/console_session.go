package api

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

// csrfHeader carries the console's synchronizer token on every change made
// with a session cookie.
const csrfHeader = "X-CSRF-Token"

// errCSRF: a change made with a console session cookie did not prove it
// came from the console's own pages.
var errCSRF = fmt.Errorf("%w: the console's CSRF token is missing or wrong, or the request came from another origin", errForbidden)

// sessionCookie is how the console's session travels: HttpOnly,
// SameSite=Strict, and Secure with the __Host- prefix when wxlogin is
// served over https. It is sent to /v1 as well, where it stands for what
// the session acts as: the API key it was opened with, or the console
// binding of the person who signed in with WeChat.
type sessionCookie struct {
	name string
	// signInName is the cookie that ties a WeChat sign-in's return to the
	// browser that started it.
	signInName string
	secure     bool
	// origin is wxlogin's public origin, the only one changes may come
	// from.
	origin string
}

func newSessionCookie(publicURL string) sessionCookie {
	c := sessionCookie{name: "wxlogin-console", signInName: "wxlogin-console-wechat"}
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return c
	}
	c.origin = u.Scheme + "://" + u.Host
	if u.Scheme == "https" {
		c.name, c.signInName, c.secure = "__Host-"+c.name, "__Secure-"+c.signInName, true
	}
	return c
}

// wechatSignInPath is where the sign-in cookie goes: the start of a WeChat
// sign-in and its return.
const wechatSignInPath = "/console/wechat"

// setSignIn keeps a WeChat sign-in's state and PKCE verifier in the
// browser that started it, for the length of a login. It is SameSite=Lax:
// the way back from WeChat is a navigation another site started.
func (s sessionCookie) setSignIn(c *gin.Context, value string, maxAge time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: s.signInName, Value: value, Path: wechatSignInPath, MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

// takeSignIn returns the sign-in cookie's value, if any, and clears it: a
// sign-in returns once.
func (s sessionCookie) takeSignIn(c *gin.Context) string {
	v, err := c.Cookie(s.signInName)
	if err != nil {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: s.signInName, Value: "", Path: wechatSignInPath, MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	return v
}

func (s sessionCookie) set(c *gin.Context, token string, maxAge time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: s.name, Value: token, Path: "/", MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
}

func (s sessionCookie) clear(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

// token is the session token the request carries, if any.
func (s sessionCookie) token(c *gin.Context) string {
	v, err := c.Cookie(s.name)
	if err != nil {
		return ""
	}
	return v
}

// csrfToken is the synchronizer token of a session: derived from the
// session's secret token, so it needs no storage and another session's
// does not fit.
func csrfToken(sessionToken string) string {
	return opaque.Hash("csrf:" + sessionToken)
}

// sameOrigin reports whether a request that changes something came from
// wxlogin's own pages: its Origin, when the browser sent one, is wxlogin's
// public origin, and its Sec-Fetch-Site, when sent, is same-origin.
func (s sessionCookie) sameOrigin(c *gin.Context) bool {
	if o := c.GetHeader("Origin"); o != "" && (s.origin == "" || o != s.origin) {
		return false
	}
	site := c.GetHeader("Sec-Fetch-Site")
	return site == "" || site == "same-origin"
}

// checkCSRF refuses a change made with the session cookie that lacks the
// session's token in X-CSRF-Token (or the form field csrf) or comes from
// another origin. Reads pass.
func (s sessionCookie) checkCSRF(c *gin.Context, sessionToken string) error {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	sent := c.GetHeader(csrfHeader)
	if sent == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		sent = c.PostForm("csrf")
	}
	if !s.sameOrigin(c) || subtle.ConstantTimeCompare([]byte(sent), []byte(csrfToken(sessionToken))) != 1 {
		return errCSRF
	}
	return nil
}

// sessionPrincipal resolves the request's console session to the API key
// or binding it acts as, CSRF checked; errors wrap
// tenants.ErrUnauthenticated or errForbidden.
func (h *adminHandler) sessionPrincipal(c *gin.Context, sessionToken string) (tenants.Principal, error) {
	who, err := h.tenants.ConsolePrincipal(c.Request.Context(), sessionToken)
	if err != nil {
		if errors.Is(err, tenants.ErrUnauthenticated) && !errors.Is(err, tenants.ErrConsoleUnchosen) {
			h.cookie.clear(c)
		}
		return tenants.Principal{}, err
	}
	if err := h.cookie.checkCSRF(c, sessionToken); err != nil {
		return tenants.Principal{}, err
	}
	return who, nil
}
