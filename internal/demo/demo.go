// Package demo is a tiny tenant front end served by `wxlogin demo` at
// /demo/: it starts a hosted login with PKCE, redeems the code at the token
// endpoint over HTTP like a tenant's backend would, verifies the JWT against
// the tenant's JWKS URL alone, and shows its claims. /demo/sdk/ does the
// same in the browser alone with the SDK wxlogin serves (package sdk).
package demo

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/sdk"
)

// Prefix is where the demo is mounted.
const Prefix = "/demo"

const cookieName = "wxlogin_demo"

//go:embed demo.html sdk.html app.js
var pageFS embed.FS

var (
	pageTemplate    = template.Must(template.ParseFS(pageFS, "demo.html"))
	sdkPageTemplate = template.Must(template.ParseFS(pageFS, "sdk.html"))
)

// sdkPagePolicy is the browser-only page's Content-Security-Policy: wxlogin's
// own, plus scripts and fetches from wxlogin's origin.
const sdkPagePolicy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'; base-uri 'none'"

// Account is an official account the demo can log in to.
type Account struct{ AppID, Name string }

// App is the demo front end of a tenant's sandbox accounts.
type App struct {
	PublicURL string
	TenantID  string
	Accounts  []Account
	HTTP      *http.Client
}

// RedirectURIs are the demo's callbacks, which the demo accounts must
// allowlist: the server-side page's and the browser-only page's.
func (a *App) RedirectURIs() []string { return []string{a.redirectURI(), a.sdkPageURL()} }

func (a *App) redirectURI() string { return a.PublicURL + Prefix + "/callback" }

func (a *App) sdkPageURL() string { return a.PublicURL + Prefix + "/sdk/" }

// Handler serves the demo's pages.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Prefix+"/{$}", a.index)
	mux.HandleFunc("GET "+Prefix+"/start", a.start)
	mux.HandleFunc("GET "+Prefix+"/callback", a.callback)
	mux.HandleFunc("GET "+Prefix+"/sdk/{$}", a.sdkPage)
	mux.HandleFunc("GET "+Prefix+"/sdk/app.js", appScript)
	return mux
}

// sdkPage is the browser-only demo: app.js does the login with the SDK.
func (a *App) sdkPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", sdkPagePolicy)
	_ = sdkPageTemplate.Execute(w, struct {
		Issuer, RedirectURI, SDKPath, AppScript, Home string
		Accounts                                      []Account
	}{a.issuer(), a.sdkPageURL(), sdk.Path, Prefix + "/sdk/app.js", Prefix + "/", a.Accounts})
}

func appScript(w http.ResponseWriter, r *http.Request) { http.ServeFileFS(w, r, pageFS, "app.js") }

type view struct {
	LoginPath string
	Accounts  []Account
	Error     string
	Claims    *token.Claims
	ClaimsRaw string
	Issuer    string
	JWKSURL   string
}

func (a *App) issuer() string { return a.PublicURL + "/t/" + a.TenantID }

func (a *App) render(w http.ResponseWriter, status int, v view) {
	v.LoginPath, v.Accounts, v.Issuer, v.JWKSURL = Prefix+"/start", a.Accounts, a.issuer(), a.issuer()+"/.well-known/jwks.json"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, v)
}

func (a *App) index(w http.ResponseWriter, _ *http.Request) { a.render(w, http.StatusOK, view{}) }

// start begins a login: a fresh state and PKCE verifier kept in a cookie,
// the challenge sent to wxlogin's hosted login.
func (a *App) start(w http.ResponseWriter, r *http.Request) {
	appID := r.URL.Query().Get("app")
	if !a.known(appID) {
		a.render(w, http.StatusBadRequest, view{Error: "unknown account " + appID})
		return
	}
	state, verifier := opaque.Hex(16), opaque.New("", 32)
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: state + "." + verifier + "." + appID, Path: Prefix, MaxAge: 600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	q := url.Values{
		"redirect_uri": {a.redirectURI()}, "state": {state}, "scope": {r.URL.Query().Get("scope")},
		"code_challenge": {login.S256(verifier)}, "code_challenge_method": {"S256"},
	}
	if q.Get("scope") == "" {
		q.Del("scope")
	}
	http.Redirect(w, r, a.issuer()+"/wechat/"+appID+"/login?"+q.Encode(), http.StatusFound)
}

func (a *App) known(appID string) bool {
	for _, acct := range a.Accounts {
		if acct.AppID == appID {
			return true
		}
	}
	return false
}

// callback finishes the login: check state, redeem the code, verify the JWT.
func (a *App) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var state, verifier, appID string
	if c, err := r.Cookie(cookieName); err == nil {
		parts := strings.Split(c.Value, ".")
		if len(parts) == 3 {
			state, verifier, appID = parts[0], parts[1], parts[2]
		}
	}
	switch {
	case q.Get("error") != "":
		a.render(w, http.StatusOK, view{Error: q.Get("error") + ": " + q.Get("error_description")})
		return
	case state == "" || q.Get("state") != state:
		a.render(w, http.StatusBadRequest, view{Error: "state does not match this browser's login; start again"})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Path: Prefix, MaxAge: -1})
	claims, err := a.redeem(r.Context(), appID, q.Get("code"), verifier)
	if err != nil {
		a.render(w, http.StatusBadGateway, view{Error: err.Error()})
		return
	}
	raw, _ := json.MarshalIndent(claims, "", "  ")
	a.render(w, http.StatusOK, view{Claims: &claims, ClaimsRaw: string(raw)})
}

func (a *App) redeem(ctx context.Context, appID, code, verifier string) (token.Claims, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.redirectURI()},
		"code_verifier": {verifier}, "client_id": {appID},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.issuer()+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return token.Claims{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return token.Claims{}, fmt.Errorf("token endpoint: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return token.Claims{}, fmt.Errorf("token endpoint: %w", err)
	}
	if body.AccessToken == "" {
		return token.Claims{}, fmt.Errorf("token endpoint: %s: %s", body.Error, body.Description)
	}
	return token.VerifyWithJWKS(ctx, a.HTTP, a.issuer()+"/.well-known/jwks.json", a.issuer(), appID, body.AccessToken)
}
