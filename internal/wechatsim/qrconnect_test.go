package wechatsim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestQRConnectPageErrors(t *testing.T) {
	tests := []struct {
		name    string
		link    func(e *env) string
		wantMsg string
	}{
		{"official account appid", func(e *env) string { return e.qrLink(oaApp, "snsapi_login") }, "Scope参数错误或没有Scope权限"},
		{"unknown appid", func(e *env) string { return e.qrLink("wxnope", "snsapi_login") }, "Scope参数错误或没有Scope权限"},
		{"scope not snsapi_login", func(e *env) string { return e.qrLink(webApp, "snsapi_userinfo") }, "Scope参数错误或没有Scope权限"},
		{"redirect host", func(e *env) string {
			return e.link("/connect/qrconnect", "appid", webApp, "redirect_uri", "https://evil.example/", "response_type", "code", "scope", "snsapi_login")
		}, "redirect_uri 参数错误"},
	}
	e := newEnv(t, wechatsim.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fetch(t, e.browser(t, "alice"), http.MethodGet, tt.link(e), nil)
			if r.status != http.StatusOK || r.location != "" || !strings.Contains(r.body, tt.wantMsg) {
				t.Errorf("want a page saying %q, got %d Location %q: %s", tt.wantMsg, r.status, r.location, r.body)
			}
		})
	}
}

func TestQRConnectFlow(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	b := e.browser(t, "")
	link := e.qrLink(webApp, "snsapi_login")
	scan := fetch(t, b, http.MethodGet, link, nil)
	if f := parseForm(t, scan.body); !strings.Contains(scan.body, "扫码登录") || len(f.buttons["user"]) < 4 {
		t.Fatalf("want the 扫码登录 chooser, got %s", scan.body)
	}
	confirm := fetch(t, b, http.MethodPost, link, url.Values{"user": {"bob"}})
	if f := parseForm(t, confirm.body); f.hidden.Get("user") != "bob" || !strings.Contains(confirm.body, "扫码登录") {
		t.Fatalf("want a confirmation for bob, got %s", confirm.body)
	}

	refused := fetch(t, b, http.MethodPost, link, url.Values{"user": {"bob"}, "decision": {"deny"}})
	if refused.status != http.StatusOK || refused.location != "" || !strings.Contains(refused.body, "已取消") {
		t.Errorf("refusal: want 已取消 without redirect, got %d %q", refused.status, refused.location)
	}

	q := redirected(t, fetch(t, b, http.MethodPost, link, url.Values{"user": {"bob"}, "decision": {"allow"}}))
	a := e.exchange(t, webApp, q.Get("code"))
	wantOK(t, a)
	if a.str("scope") != "snsapi_login" || a.str("unionid") != wechatsim.UnionID(seed, openPlat, "bob") ||
		a.str("openid") != wechatsim.OpenID(seed, webApp, "bob") || q.Get("state") != "st4te" {
		t.Errorf("website login answer %s (state %q)", a.body, q.Get("state"))
	}
	info := e.api(t, "/sns/userinfo", "access_token", a.str("access_token"), "openid", a.str("openid"))
	if info.str("nickname") != "鲍勃" {
		t.Errorf("snsapi_login userinfo = %s", info.body)
	}
}
