package wechatsim

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// authRequest is a validated authorization request.
type authRequest struct {
	app      App
	redirect *url.URL
	scope    string
	state    string
	snapshot bool // forceSnapShot
}

// parseOA validates /connect/oauth2/authorize in the order of §1.5.
func (h *handler) parseOA(r *http.Request) (authRequest, error) {
	q, cfg := r.URL.Query(), h.sim.cfg
	if cfg.StrictOrder && !documentedOrder(r.URL.RawQuery) {
		return authRequest{}, errLinkInvalid
	}
	if q.Get("appid") == "" {
		return authRequest{}, errNoAppID
	}
	app, err := h.reg.App(r.Context(), q.Get("appid"))
	switch {
	case errors.Is(err, ErrUnknownApp) || (err == nil && app.Website):
		return authRequest{}, errNotOAApp
	case err != nil:
		return authRequest{}, err
	case app.Banned:
		return authRequest{}, errBanned
	case q.Get("redirect_uri") == "":
		return authRequest{}, errNoRedirect
	}
	redirect, ok := allowedRedirect(q.Get("redirect_uri"), app.Domains)
	switch {
	case !ok:
		return authRequest{}, errDomain
	case q.Get("scope") == "":
		return authRequest{}, errNoScope
	case q.Get("scope") != scopeBase && q.Get("scope") != scopeUserinfo:
		return authRequest{}, errScopeDenied
	}
	if cfg.StrictState {
		if err := checkState(q); err != nil {
			return authRequest{}, err
		}
	}
	force := q.Get("forceSnapShot")
	return authRequest{app: app, redirect: redirect, scope: q.Get("scope"),
		state: q.Get("state"), snapshot: force == "1" || force == "true"}, nil
}

// parseQR validates /connect/qrconnect: only website apps and snsapi_login.
func (h *handler) parseQR(r *http.Request) (authRequest, error) {
	q := r.URL.Query()
	if q.Get("appid") == "" {
		return authRequest{}, errScopeParam
	}
	app, err := h.reg.App(r.Context(), q.Get("appid"))
	switch {
	case errors.Is(err, ErrUnknownApp) || (err == nil && !app.Website):
		return authRequest{}, errScopeParam
	case err != nil:
		return authRequest{}, err
	case app.Banned:
		return authRequest{}, errLinkInvalid
	}
	redirect, ok := allowedRedirect(q.Get("redirect_uri"), app.Domains)
	switch {
	case !ok:
		return authRequest{}, errRedirectParam
	case q.Get("scope") != scopeLogin:
		return authRequest{}, errScopeParam
	}
	return authRequest{app: app, redirect: redirect, scope: scopeLogin, state: q.Get("state")}, nil
}

// allowedRedirect parses an absolute http(s) redirect_uri whose host (with
// its port, if any) is exactly one of domains: no subdomain or parent match.
func allowedRedirect(raw string, domains []string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	for _, d := range domains {
		if strings.EqualFold(d, u.Host) {
			return u, true
		}
	}
	return nil, false
}

// documentedParams is the order §1.1 documents; more parameters may follow.
var documentedParams = []string{"appid", "redirect_uri", "response_type", "scope", "state"}

func documentedOrder(rawQuery string) bool {
	pairs := strings.Split(rawQuery, "&")
	if len(pairs) < len(documentedParams) {
		return false
	}
	for i, want := range documentedParams {
		k, v, _ := strings.Cut(pairs[i], "=")
		if k != want || (k == "response_type" && v != "code") {
			return false
		}
	}
	return true
}

// checkState applies the documented state rule: present, at most 128
// bytes of [a-zA-Z0-9].
func checkState(q url.Values) error {
	s := q.Get("state")
	switch {
	case s == "":
		return errNoState
	case len(s) > 128 || strings.ContainsFunc(s, notAlnum):
		return errLinkInvalid
	}
	return nil
}

func notAlnum(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
}
