package wechatsim

import (
	"net/http"
	"net/url"
	"strings"
)

// page serves an authorize page (oauth2/authorize or qrconnect). GET shows
// the user chooser, or, once the wxsim_user cookie says who the person is,
// proceeds as WeChat would. POST (to the same URL) carries the choice of
// user and the consent decision.
func (h *handler) page(parse func(*http.Request) (authRequest, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := parse(r)
		switch {
		case err != nil:
			showError(w, err)
		case r.Method == http.MethodPost:
			h.post(w, r, req)
		default:
			if user, ok := cookieUser(r); ok {
				h.proceed(w, r, req, user, req.snapshot)
			} else {
				choose(w, req)
			}
		}
	}
}

func (h *handler) post(w http.ResponseWriter, r *http.Request, req authRequest) {
	user := chosenUser(r)
	if !validUser(user) {
		choose(w, req)
		return
	}
	setCookieUser(w, user)
	switch r.PostFormValue("decision") {
	case "allow":
		h.approve(w, r, req, user, false)
	case "deny":
		deny(w, r, req)
	default:
		h.proceed(w, r, req, user, req.snapshot || r.PostFormValue("snapshot") == "1")
	}
}

// proceed answers for a known user: snsapi_base, and snsapi_userinfo in
// snapshot mode, redirect at once; otherwise the user is asked to consent.
// Snapshot mode exists for snsapi_userinfo only.
func (h *handler) proceed(w http.ResponseWriter, r *http.Request, req authRequest, user string, snapshot bool) {
	snapshot = snapshot && req.scope == scopeUserinfo
	if req.scope == scopeBase || snapshot {
		h.approve(w, r, req, user, snapshot)
		return
	}
	render(w, http.StatusOK, "consent", page{
		Title:    title(req, "授权登录 / Authorize"),
		AppID:    req.app.AppID,
		Scope:    req.scope,
		User:     user,
		Nickname: nickname(user),
	})
}

func (h *handler) approve(w http.ResponseWriter, r *http.Request, req authRequest, user string, snapshot bool) {
	code := h.sim.issueCode(req.app, user, req.scope, snapshot)
	http.Redirect(w, r, withParams(req.redirect, "code", code, "state", req.state), http.StatusFound)
}

// deny answers a refusal: an official account redirects with the state
// only; a website app stays on WeChat's page (the current documented
// behaviour).
func deny(w http.ResponseWriter, r *http.Request, req authRequest) {
	if req.app.Website {
		render(w, http.StatusOK, "error", page{Title: title(req, ""), Message: "已取消 / Cancelled"})
		return
	}
	http.Redirect(w, r, withParams(req.redirect, "state", req.state), http.StatusFound)
}

func choose(w http.ResponseWriter, req authRequest) {
	render(w, http.StatusOK, "choose", page{
		Title:           title(req, "选择测试用户 / Choose a test user"),
		AppID:           req.app.AppID,
		Scope:           req.scope,
		Users:           defaultUsers,
		Snapshot:        req.scope == scopeUserinfo,
		SnapshotChecked: req.snapshot,
	})
}

// title names an OA page; every qrconnect page is "扫码登录".
func title(req authRequest, oa string) string {
	if req.app.Website {
		return "扫码登录"
	}
	return oa
}

// withParams appends parameters to u's existing query, keeping any
// fragment after them.
func withParams(u *url.URL, kv ...string) string {
	pairs := make([]string, 0, len(kv)/2+1)
	if u.RawQuery != "" {
		pairs = append(pairs, u.RawQuery)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
	}
	v := *u
	v.RawQuery = strings.Join(pairs, "&")
	return v.String()
}
