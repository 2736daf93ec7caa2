package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// ConsoleWeChat is the hosted login people sign in to the console with:
// an official account of the platform tenant, whose logins name the person
// by openid and unionid. The person is then looked up in the console
// bindings of every tenant.
type ConsoleWeChat struct {
	TenantID string
	AppID    string
}

func (w ConsoleWeChat) enabled() bool { return w.TenantID != "" && w.AppID != "" }

const (
	// ConsoleWeChatCallbackPath is the redirect URI of the console's WeChat
	// sign-in: the platform account must allowlist {public_url} + it.
	ConsoleWeChatCallbackPath = wechatSignInPath + "/callback"
	consoleChoosePath         = "/console/choose"
)

// wechatPerson is whom a WeChat sign-in named.
type wechatPerson struct{ OpenID, UnionID string }

// wechatStart sends the browser to the platform account's hosted login,
// with PKCE and a state that a short-lived cookie ties to this browser.
// Like the key's sign-in form it must come from the console's own page.
func (h *consoleHandler) wechatStart(c *gin.Context) {
	t := h.strings[h.lang(c)]
	if !h.wechat.enabled() {
		h.render(c, http.StatusNotFound, "signin.html", consoleView{Error: t["error.nowechat"]})
		return
	}
	if !h.cookie.sameOrigin(c) {
		h.render(c, http.StatusForbidden, "signin.html", consoleView{Error: t["error.origin"]})
		return
	}
	acct, err := h.tenants.Store.GetAccount(c.Request.Context(), h.wechat.TenantID, h.wechat.AppID)
	if err != nil {
		if errors.Is(err, tenants.ErrNotFound) {
			err = errors.New("the console's WeChat sign-in names an account that does not exist")
		}
		_ = c.Error(err)
		c.Header("Retry-After", retryAfterSeconds)
		h.render(c, http.StatusServiceUnavailable, "signin.html", consoleView{Error: t["error.unavailable"]})
		return
	}
	state, verifier := opaque.New("", 24), opaque.New("", 32)
	h.cookie.setSignIn(c, state+"."+verifier, login.TransactionTTL)
	q := url.Values{
		"redirect_uri": {h.login.PublicURL + ConsoleWeChatCallbackPath}, "state": {state},
		"code_challenge": {login.S256(verifier)}, "code_challenge_method": {"S256"},
	}
	// A profile login, so that WeChat gives the unionid; a website app
	// has the QR login's scope alone.
	if acct.Kind != tenants.KindWebsite {
		q.Set("scope", tenants.ScopeUserInfo)
	}
	c.Redirect(http.StatusSeeOther, h.login.LoginURL(h.wechat.TenantID, h.wechat.AppID)+"?"+q.Encode())
}

// wechatCallback finishes a WeChat sign-in: it checks the state against
// the browser's cookie, redeems the code with the PKCE verifier, verifies
// the JWT, and opens a console session for the person's binding (or, with
// several, for them to choose). The session's cookie is SameSite=Strict,
// which a browser withholds from a navigation another site started until
// a page of wxlogin's own moves on; so the answer is such a page.
func (h *consoleHandler) wechatCallback(c *gin.Context) {
	t := h.strings[h.lang(c)]
	refuse := func(status int, key string) { h.render(c, status, "signin.html", consoleView{Error: t[key]}) }
	state, verifier, ok := strings.Cut(h.cookie.takeSignIn(c), ".")
	switch {
	case !h.wechat.enabled():
		refuse(http.StatusNotFound, "error.nowechat")
		return
	case !ok || subtle.ConstantTimeCompare([]byte(state), []byte(c.Query("state"))) != 1:
		refuse(http.StatusBadRequest, "error.wechat.state")
		return
	case c.Query("error") == login.OAuthAccessDenied:
		refuse(http.StatusForbidden, "error.wechat.refused")
		return
	case c.Query("error") != "" || c.Query("code") == "":
		refuse(http.StatusBadRequest, "error.wechat.failed")
		return
	}
	person, err := h.redeemSignIn(c, c.Query("code"), verifier)
	if err != nil {
		var oauth *login.OAuthError
		if errors.As(err, &oauth) || errors.Is(err, token.ErrInvalidToken) {
			refuse(http.StatusBadRequest, "error.wechat.failed")
			return
		}
		_ = c.Error(err)
		c.Header("Retry-After", retryAfterSeconds)
		refuse(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	sessionToken, choices, err := h.tenants.StartWeChatConsoleSession(c.Request.Context(), person.OpenID, person.UnionID)
	if err != nil {
		status, msg := h.signInError(c, err)
		h.render(c, status, "signin.html", consoleView{Error: msg, Person: &person})
		return
	}
	h.cookie.set(c, sessionToken, tenants.ConsoleSessionTTL)
	next := "/console/" + consolePages[0]
	if len(choices) > 1 {
		next = consoleChoosePath
	}
	h.render(c, http.StatusOK, "continue.html", consoleView{Next: next})
}

// redeemSignIn redeems the platform login's code at wxlogin's own token
// endpoint logic and verifies the access token as any tenant's backend
// would, with the platform tenant's keys; it returns whom it names.
func (h *consoleHandler) redeemSignIn(c *gin.Context, code, verifier string) (wechatPerson, error) {
	ctx := c.Request.Context()
	resp, err := h.login.Token(ctx, login.TokenRequest{
		TenantID: h.wechat.TenantID, GrantType: "authorization_code", Code: code,
		RedirectURI: h.login.PublicURL + ConsoleWeChatCallbackPath, CodeVerifier: verifier, ClientID: h.wechat.AppID,
	})
	if err != nil {
		return wechatPerson{}, err
	}
	claims, err := h.login.Signer.Verify(ctx, h.wechat.TenantID, h.login.Issuer(h.wechat.TenantID), h.wechat.AppID, resp.AccessToken)
	if err != nil {
		return wechatPerson{}, err
	}
	return wechatPerson{OpenID: claims.OpenID, UnionID: claims.UnionID}, nil
}

// chooser lists the tenants a person signed in with WeChat may enter.
func (h *consoleHandler) chooser(c *gin.Context) {
	cs, ok := h.session(c)
	if !ok {
		return
	}
	if !cs.sess.WeChat() {
		c.Redirect(http.StatusFound, "/console/"+consolePages[0])
		return
	}
	choices, err := h.tenants.ConsoleChoices(c.Request.Context(), cs.sess.UnionID, cs.sess.OpenID)
	if err != nil {
		status, msg := h.signInError(c, err)
		h.render(c, status, "signin.html", consoleView{Error: msg})
		return
	}
	h.render(c, http.StatusOK, "choose.html", consoleView{Who: cs.who, Choices: choices, CSRF: csrfToken(cs.token),
		Person: &wechatPerson{OpenID: cs.sess.OpenID, UnionID: cs.sess.UnionID}})
}

// choose makes the session act as the binding chosen, one of the person's.
func (h *consoleHandler) choose(c *gin.Context) {
	t := h.strings[h.lang(c)]
	sessionToken := h.cookie.token(c)
	if sessionToken == "" || h.cookie.checkCSRF(c, sessionToken) != nil {
		h.render(c, http.StatusForbidden, "signin.html", consoleView{Error: t["error.origin"]})
		return
	}
	_, err := h.tenants.ChooseConsoleBinding(c.Request.Context(), sessionToken, c.PostForm("binding"))
	switch {
	case errors.Is(err, tenants.ErrNotFound):
		h.render(c, http.StatusForbidden, "signin.html", consoleView{Error: t["error.notyours"]})
		return
	case err != nil:
		status, msg := h.signInError(c, err)
		h.render(c, status, "signin.html", consoleView{Error: msg})
		return
	}
	c.Redirect(http.StatusSeeOther, "/console/"+consolePages[0])
}
