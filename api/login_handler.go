package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/token"
)

// loginHandler serves the hosted login, token and JWKS endpoints, and the
// OpenID Connect endpoints (oidc_handler.go).
type loginHandler struct {
	login  *login.Service
	tokens *token.Manager
	logger *slog.Logger
}

func (h *loginHandler) start(c *gin.Context) {
	if holdsUnstorable(c) {
		h.redirect(c, "login start", "", errUnstorable)
		return
	}
	q := c.Request.URL.Query()
	to, err := h.login.Start(c.Request.Context(), login.StartRequest{
		TenantID:            c.Param("tenant"),
		AppID:               c.Param("appid"),
		RedirectURI:         q.Get("redirect_uri"),
		State:               q.Get("state"),
		Scope:               q.Get("scope"),
		CodeChallenge:       q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"),
		OutsideWeChat:       !login.InWeChat(c.Request.UserAgent()),
	})
	h.redirect(c, "login start", to, err)
}

func (h *loginHandler) callback(c *gin.Context) {
	if holdsUnstorable(c) {
		h.redirect(c, "login callback", "", errUnstorable)
		return
	}
	q := c.Request.URL.Query()
	attempt, _ := strconv.Atoi(q.Get("attempt"))
	to, err := h.login.Callback(c.Request.Context(), login.CallbackRequest{
		TenantID:  c.Param("tenant"),
		AppID:     c.Param("appid"),
		Code:      q.Get("code"),
		State:     q.Get("state"),
		IP:        c.ClientIP(),
		UserAgent: c.Request.UserAgent(),
		Attempt:   attempt,
	})
	h.redirect(c, "login callback", to, err)
}

// clientForm is the body of a token or revocation request, with the
// client's credentials from HTTP Basic or, failing that, the form.
type clientForm struct {
	url.Values
	clientID, secret string
}

// form reads the body of a token or revocation request; when it cannot,
// it answers invalid_request and returns false.
func (h *loginHandler) form(c *gin.Context) (clientForm, bool) {
	if err := c.Request.ParseForm(); err != nil {
		writeTokenError(c, &login.OAuthError{Code: login.OAuthInvalidRequest, Description: "the body must be application/x-www-form-urlencoded"})
		return clientForm{}, false
	}
	if holdsUnstorable(c) {
		writeTokenError(c, &login.OAuthError{Code: login.OAuthInvalidRequest, Description: errUnstorable.Detail})
		return clientForm{}, false
	}
	f := clientForm{Values: c.Request.PostForm, clientID: c.Request.PostForm.Get("client_id"), secret: c.Request.PostForm.Get("client_secret")}
	if id, secret, ok := c.Request.BasicAuth(); ok {
		f.clientID, f.secret = id, secret
	}
	return f, true
}

func (h *loginHandler) token(c *gin.Context) {
	f, ok := h.form(c)
	if !ok {
		return
	}
	req := login.TokenRequest{
		TenantID:     c.Param("tenant"),
		GrantType:    f.Get("grant_type"),
		Code:         f.Get("code"),
		RedirectURI:  f.Get("redirect_uri"),
		CodeVerifier: f.Get("code_verifier"),
		RefreshToken: f.Get("refresh_token"),
		ClientID:     f.clientID,
		ClientSecret: f.secret,
	}
	resp, err := h.login.Token(c.Request.Context(), req)
	if err != nil {
		h.logFailure(c, "token", err)
		writeTokenError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, resp)
}

func (h *loginHandler) jwks(c *gin.Context) {
	if holdsUnstorable(c) {
		writeJSONError(c, errNoSuchTenant)
		return
	}
	set, err := h.tokens.JWKS(c.Request.Context(), c.Param("tenant"))
	if err != nil {
		h.logFailure(c, "jwks", err)
		writeJSONError(c, err)
		return
	}
	if len(set.Keys) == 0 {
		writeJSONError(c, errNoSuchTenant)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, set)
}

// errUnstorable refuses a request holding text that is not storable (see
// holdsUnstorable).
var errUnstorable = &login.Error{Kind: login.ErrBadRequest, Detail: "a parameter holds a NUL byte or bytes that are not UTF-8"}

// holdsUnstorable reports whether a path parameter, query or form value
// (or its name), or the Basic credentials, are not storable: such a
// request is refused before it reaches a lookup or is stored.
func holdsUnstorable(c *gin.Context) bool {
	for _, p := range c.Params {
		if !storable(p.Value) {
			return true
		}
	}
	if user, pass, _ := c.Request.BasicAuth(); !storable(user) || !storable(pass) {
		return true
	}
	for _, values := range []url.Values{c.Request.URL.Query(), c.Request.PostForm} {
		if _, found := unstorableParam(values); found {
			return true
		}
	}
	return false
}

// redirect sends the person's browser on to to, or, when err is set,
// shows the page for it.
func (h *loginHandler) redirect(c *gin.Context, what, to string, err error) {
	if err != nil {
		h.logFailure(c, what, err)
		writePage(c, err)
		return
	}
	c.Redirect(http.StatusFound, to)
}

// logFailure records a failed request without its query (which may carry
// codes) or any credential, each value clipped: the path and the error
// may quote what the client sent.
func (h *loginHandler) logFailure(c *gin.Context, what string, err error) {
	h.logger.LogAttrs(c.Request.Context(), slog.LevelWarn, what+" failed",
		slog.String("request_id", c.GetString(requestIDKey)),
		slog.String("tenant", clip(c.Param("tenant"))),
		slog.String("appid", clip(c.Param("appid"))),
		slog.String("error", clip(err.Error())))
}

// maxLogged bounds a logged value taken from a request: a client sending a
// megabyte redirect_uri or path must not write megabyte log lines.
const maxLogged = 256

// clip cuts s to maxLogged bytes on a character boundary, marking the cut.
func clip(s string) string {
	if len(s) <= maxLogged {
		return s
	}
	cut := maxLogged
	for !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
