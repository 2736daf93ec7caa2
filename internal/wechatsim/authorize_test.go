package wechatsim_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestAuthorizePageErrors(t *testing.T) {
	const path = "/connect/oauth2/authorize"
	strict := wechatsim.Config{StrictOrder: true, StrictState: true}
	tests := []struct {
		name     string
		cfg      wechatsim.Config
		kv       []string
		wantCode int
		wantMsg  string
	}{
		{"appid missing", wechatsim.Config{}, []string{"redirect_uri", callback, "response_type", "code", "scope", "snsapi_base", "state", "s"}, 10012, "appid不能为空"},
		{"unknown appid", wechatsim.Config{}, []string{"appid", "wxnope", "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base"}, 10016, "不支持微信开放平台的Appid"},
		{"website appid", wechatsim.Config{}, []string{"appid", webApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base"}, 10016, "请使用公众号Appid"},
		{"banned before bad redirect", wechatsim.Config{}, []string{"appid", bannedApp, "redirect_uri", "https://evil.example/", "response_type", "code", "scope", "snsapi_base"}, 10004, "此公众号被封禁"},
		{"redirect_uri missing", wechatsim.Config{}, []string{"appid", oaApp, "response_type", "code", "scope", "snsapi_base"}, 10011, "redirect_uri不能为空"},
		{"other host", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "https://evil.example/cb", "response_type", "code", "scope", "snsapi_base"}, 10003, "redirect_uri域名与后台配置不一致"},
		{"subdomain", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "https://www.app.example/cb", "response_type", "code", "scope", "snsapi_base"}, 10003, "域名与后台配置不一致"},
		{"other port", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "https://app.example:8443/cb", "response_type", "code", "scope", "snsapi_base"}, 10003, "域名与后台配置不一致"},
		{"port of a host:port domain", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "http://127.0.0.1:9090/cb", "response_type", "code", "scope", "snsapi_base"}, 10003, "域名与后台配置不一致"},
		{"relative redirect", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "/cb", "response_type", "code", "scope", "snsapi_base"}, 10003, "域名与后台配置不一致"},
		{"not http", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "ftp://app.example/cb", "response_type", "code", "scope", "snsapi_base"}, 10003, "域名与后台配置不一致"},
		{"bad redirect before missing scope", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", "https://evil.example/"}, 10003, "域名与后台配置不一致"},
		{"scope missing", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code"}, 10010, "scope不能为空"},
		{"website scope", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_login"}, 10005, "此公众号并没有这些scope的权限"},
		{"unknown scope", wechatsim.Config{}, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_everything"}, 10005, "没有这些scope的权限"},
		{"strict: state missing", strict, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base", "state", ""}, 10013, "state不能为空"},
		{"strict: state not alphanumeric", strict, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base", "state", "a-b"}, 0, "该链接无法访问"},
		{"strict: state too long", strict, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base", "state", strings.Repeat("a", 129)}, 0, "该链接无法访问"},
		{"strict: order", strict, []string{"appid", oaApp, "scope", "snsapi_base", "redirect_uri", callback, "response_type", "code", "state", "s"}, 0, "该链接无法访问"},
		{"strict: response_type", strict, []string{"appid", oaApp, "redirect_uri", callback, "response_type", "token", "scope", "snsapi_base", "state", "s"}, 0, "该链接无法访问"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.cfg)
			r := fetch(t, e.browser(t, "alice"), http.MethodGet, e.link(path, tt.kv...), nil)
			if r.status != http.StatusOK || !strings.HasPrefix(r.contentType, "text/html") || r.location != "" {
				t.Fatalf("want a 200 HTML page without redirect, got %d %q Location %q", r.status, r.contentType, r.location)
			}
			if !strings.Contains(r.body, tt.wantMsg) {
				t.Errorf("page lacks %q: %s", tt.wantMsg, r.body)
			}
			if tt.wantCode != 0 && !strings.Contains(r.body, strconv.Itoa(tt.wantCode)) {
				t.Errorf("page lacks code %d: %s", tt.wantCode, r.body)
			}
		})
	}
}

// TestAuthorizeLenientByDefault checks the UNVERIFIED rules are off unless
// configured: any parameter order, no state at all, any state characters.
func TestAuthorizeLenientByDefault(t *testing.T) {
	tests := []struct {
		name      string
		kv        []string
		wantState string
	}{
		{"any order", []string{"scope", "snsapi_base", "state", "s1", "appid", oaApp, "redirect_uri", callback}, "s1"},
		{"no state", []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base"}, ""},
		{"state passed through", []string{"appid", oaApp, "redirect_uri", callback, "response_type", "code", "scope", "snsapi_base", "state", "a b&c=d/é"}, "a b&c=d/é"},
	}
	e := newEnv(t, wechatsim.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := redirected(t, fetch(t, e.browser(t, "alice"), http.MethodGet, e.link("/connect/oauth2/authorize", tt.kv...), nil))
			if q.Get("code") == "" || q.Get("state") != tt.wantState || !q.Has("state") {
				t.Errorf("got code %q state %q, want a code and state %q", q.Get("code"), q.Get("state"), tt.wantState)
			}
		})
	}
}

// TestChooseUser walks the chooser page as a browser with a cookie jar: the
// user picked is remembered, and later logins are silent for snsapi_base.
func TestChooseUser(t *testing.T) {
	tests := []struct {
		name   string
		choice url.Values
		user   string
	}{
		{"default user button", url.Values{"user": {"bob"}, "custom": {""}}, "bob"},
		{"free-text user", url.Values{"user": {""}, "custom": {" 张三 "}}, "张三"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			b := e.browser(t, "")
			link := e.oaLink(oaApp, "snsapi_base")
			page := fetch(t, b, http.MethodGet, link, nil)
			f := parseForm(t, page.body)
			if page.status != http.StatusOK || !strings.Contains(page.body, "选择测试用户") || !strings.Contains(page.body, `lang="zh-CN"`) {
				t.Fatalf("want the chooser page, got %d %s", page.status, page.body)
			}
			if f.method != "post" || f.hasAction || f.fields["custom"] != "text" {
				t.Errorf("form = %+v, want POST to its own URL with a custom text field", f)
			}
			for _, u := range []string{"alice", "bob", "carol", "dave"} {
				if !slices.Contains(f.buttons["user"], u) {
					t.Errorf("no button for %s: %v", u, f.buttons)
				}
			}
			if _, ok := f.fields["snapshot"]; ok {
				t.Error("snapshot checkbox offered for snsapi_base")
			}
			code := redirected(t, fetch(t, b, http.MethodPost, link, tt.choice)).Get("code")
			a := e.exchange(t, oaApp, code)
			if a.str("openid") != wechatsim.OpenID(seed, oaApp, tt.user) {
				t.Errorf("openid %q is not %s's", a.str("openid"), tt.user)
			}
			again := redirected(t, fetch(t, b, http.MethodGet, link, nil)).Get("code")
			if again == "" || again == code {
				t.Errorf("remembered user: want a new code at once, got %q", again)
			}
		})
	}
}

func TestChooseUserRejectsBadNames(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	for _, name := range []string{"", "   ", "alice#snapshot", strings.Repeat("x", 65), "a\nb"} {
		r := fetch(t, e.browser(t, ""), http.MethodPost, e.oaLink(oaApp, "snsapi_base"), url.Values{"custom": {name}})
		if r.status != http.StatusOK || r.location != "" || !strings.Contains(r.body, "选择测试用户") {
			t.Errorf("user %q: want the chooser again, got %d Location %q", name, r.status, r.location)
		}
	}
}

func TestUserinfoConsent(t *testing.T) {
	tests := []struct {
		decision string
		wantCode bool
	}{
		{"allow", true},
		{"deny", false},
	}
	for _, tt := range tests {
		t.Run(tt.decision, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			b := e.browser(t, "carol")
			link := e.oaLink(oaApp, "snsapi_userinfo")
			page := fetch(t, b, http.MethodGet, link, nil)
			f := parseForm(t, page.body)
			if page.status != http.StatusOK || !strings.Contains(page.body, "卡罗尔") ||
				f.hidden.Get("user") != "carol" || !slices.Equal(f.buttons["decision"], []string{"allow", "deny"}) {
				t.Fatalf("want a consent page for carol, got %d %+v %s", page.status, f, page.body)
			}
			form := f.hidden
			form.Set("decision", tt.decision)
			q := redirected(t, fetch(t, b, http.MethodPost, link, form))
			if q.Get("state") != "st4te" || q.Has("code") != tt.wantCode {
				t.Errorf("redirect query %v: want state st4te, code %v", q, tt.wantCode)
			}
		})
	}
}

func TestRedirectKeepsQueryAndFragment(t *testing.T) {
	tests := []struct {
		redirect, state, want string
	}{
		{"https://app.example/cb", "s", "https://app.example/cb?code=CODE&state=s"},
		{"https://app.example/cb?next=%2Fhome&x=1", "s", "https://app.example/cb?next=%2Fhome&x=1&code=CODE&state=s"},
		{"https://app.example/wx/#/pages/auth", "s", "https://app.example/wx/?code=CODE&state=s#/pages/auth"},
		{"https://app.example/wx?a=b#/p?q=1", "s", "https://app.example/wx?a=b&code=CODE&state=s#/p?q=1"},
		{"https://app.example/cb", "a b&c", "https://app.example/cb?code=CODE&state=a+b%26c"},
		{"http://127.0.0.1:8080/cb", "s", "http://127.0.0.1:8080/cb?code=CODE&state=s"},
	}
	e := newEnv(t, wechatsim.Config{})
	for _, tt := range tests {
		t.Run(tt.redirect, func(t *testing.T) {
			link := e.link("/connect/oauth2/authorize", "appid", oaApp, "redirect_uri", tt.redirect,
				"response_type", "code", "scope", "snsapi_base", "state", tt.state)
			r := fetch(t, e.browser(t, "alice"), http.MethodGet, link, nil)
			u, err := url.Parse(r.location)
			if r.status != http.StatusFound || err != nil {
				t.Fatalf("want a redirect, got %d %q", r.status, r.location)
			}
			code := u.Query().Get("code")
			if len(code) != 32 || strings.Replace(r.location, code, "CODE", 1) != tt.want {
				t.Errorf("Location %q, want %q with a 32-char code", r.location, tt.want)
			}
		})
	}
}

// TestHandlerUnderPrefix mounts the handler the way wxlogin does: its forms
// must post back under the prefix.
func TestHandlerUnderPrefix(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	mux := http.NewServeMux()
	mux.Handle("/sandbox/", http.StripPrefix("/sandbox", e.sim.Handler(registry)))
	srv := newServer(t, mux)
	link := strings.Replace(e.oaLink(oaApp, "snsapi_userinfo"), e.url, srv+"/sandbox", 1)
	b := e.browser(t, "")
	if f := parseForm(t, fetch(t, b, http.MethodGet, link, nil).body); f.hasAction {
		t.Fatal("form has an action: it would not post back under the prefix")
	}
	consent := fetch(t, b, http.MethodPost, link, url.Values{"user": {"dave"}})
	if !strings.Contains(consent.body, "戴夫") {
		t.Fatalf("want dave's consent page, got %d %s", consent.status, consent.body)
	}
	q := redirected(t, fetch(t, b, http.MethodPost, link, url.Values{"user": {"dave"}, "decision": {"allow"}}))
	if a := e.exchange(t, oaApp, q.Get("code")); a.str("openid") != wechatsim.OpenID(seed, oaApp, "dave") {
		t.Errorf("code from the mounted handler does not redeem on the shared Sim: %s", a.body)
	}
}
