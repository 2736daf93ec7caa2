package wechatsim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestExchangeErrors(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	used := e.code(t, oaApp, "snsapi_base", "alice")
	wantOK(t, e.exchange(t, oaApp, used))
	tests := []struct {
		name     string
		kv       func(code string) []string
		wantCode int
	}{
		{"appid missing", func(c string) []string {
			return []string{"secret", secret, "code", c, "grant_type", "authorization_code"}
		}, 41002},
		{"secret missing", func(c string) []string {
			return []string{"appid", oaApp, "code", c, "grant_type", "authorization_code"}
		}, 41004},
		{"code missing", func(string) []string {
			return []string{"appid", oaApp, "secret", secret, "grant_type", "authorization_code"}
		}, 41008},
		{"grant_type missing", func(c string) []string { return []string{"appid", oaApp, "secret", secret, "code", c} }, 40002},
		{"grant_type wrong", func(c string) []string {
			return []string{"appid", oaApp, "secret", secret, "code", c, "grant_type", "refresh_token"}
		}, 40002},
		{"unknown appid", func(c string) []string {
			return []string{"appid", "wxnope", "secret", secret, "code", c, "grant_type", "authorization_code"}
		}, 40013},
		{"wrong secret", func(c string) []string {
			return []string{"appid", oaApp, "secret", "wrong", "code", c, "grant_type", "authorization_code"}
		}, 40125},
		{"unknown code", func(string) []string {
			return []string{"appid", oaApp, "secret", secret, "code", strings.Repeat("0", 32), "grant_type", "authorization_code"}
		}, 40029},
		{"code of another app", func(c string) []string {
			return []string{"appid", oaApp2, "secret", secret, "code", c, "grant_type", "authorization_code"}
		}, 40029},
		{"code already used", func(string) []string {
			return []string{"appid", oaApp, "secret", secret, "code", used, "grant_type", "authorization_code"}
		}, 40163},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := e.code(t, oaApp, "snsapi_base", "bob")
			wantErr(t, e.api(t, "/sns/oauth2/access_token", tt.kv(code)...), tt.wantCode)
			// A failed exchange does not spend the code (unless the code was the problem).
			if tt.wantCode != 40163 {
				wantOK(t, e.exchange(t, oaApp, code))
			}
		})
	}
}

func TestExchange(t *testing.T) {
	tests := []struct {
		name, appID, scope string
		wantUnionID        bool
	}{
		{"base scope never has a unionid", oaApp, "snsapi_base", false},
		{"userinfo scope of a bound app", oaApp, "snsapi_userinfo", true},
		{"userinfo scope of an unbound app", unboundApp, "snsapi_userinfo", false},
	}
	e := newEnv(t, wechatsim.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := e.code(t, tt.appID, tt.scope, "alice")
			a := e.exchange(t, tt.appID, code)
			wantOK(t, a)
			want := map[string]any{
				"expires_in": float64(7200),
				"openid":     wechatsim.OpenID(seed, tt.appID, "alice"),
				"scope":      tt.scope,
			}
			for k, v := range want {
				if a.json[k] != v {
					t.Errorf("%s = %v, want %v", k, a.json[k], v)
				}
			}
			for _, k := range []string{"access_token", "refresh_token"} {
				if v := a.str(k); !strings.HasPrefix(v, "83_") || len(v) < 100 {
					t.Errorf("%s = %q, want a WeChat-shaped token", k, v)
				}
			}
			if _, has := a.json["unionid"]; has != tt.wantUnionID {
				t.Errorf("unionid present = %v, want %v (%s)", has, tt.wantUnionID, a.body)
			}
			if tt.wantUnionID && a.str("unionid") != wechatsim.UnionID(seed, openPlat, "alice") {
				t.Errorf("unionid = %q", a.str("unionid"))
			}
			if _, has := a.json["is_snapshotuser"]; has {
				t.Error("is_snapshotuser on a normal user")
			}
		})
	}
}

func TestIdentitiesAcrossApps(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	openids := map[string]string{}
	unionids := map[string]bool{}
	for _, app := range []string{oaApp, oaApp2} {
		a := e.exchange(t, app, e.code(t, app, "snsapi_userinfo", "alice"))
		openids[app] = a.str("openid")
		unionids[a.str("unionid")] = true
		if again := e.exchange(t, app, e.code(t, app, "snsapi_base", "alice")); again.str("openid") != openids[app] {
			t.Errorf("%s: openid changed between logins: %s, %s", app, openids[app], again.str("openid"))
		}
	}
	if openids[oaApp] == openids[oaApp2] {
		t.Error("same openid in two apps")
	}
	if len(unionids) != 1 {
		t.Errorf("apps of one Open Platform account gave unionids %v, want one", unionids)
	}
	if bob := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_userinfo", "bob")); unionids[bob.str("unionid")] {
		t.Error("bob has alice's unionid")
	}
}

func TestCodeLifetime(t *testing.T) {
	tests := []struct {
		name     string
		website  bool
		wait     time.Duration
		wantCode int
	}{
		{"official account, just in time", false, 5*time.Minute - time.Second, 0},
		{"official account, expired", false, 5 * time.Minute, 40029},
		{"website app, just in time", true, 10*time.Minute - time.Second, 0},
		{"website app, expired", true, 10 * time.Minute, 40029},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			app, code := oaApp, ""
			if tt.website {
				app = webApp
				code = redirected(t, fetch(t, e.browser(t, "alice"), http.MethodPost, e.qrLink(webApp, "snsapi_login"),
					url.Values{"user": {"alice"}, "decision": {"allow"}})).Get("code")
			} else {
				code = e.code(t, app, "snsapi_base", "alice")
			}
			e.clock.Advance(tt.wait)
			if a := e.exchange(t, app, code); tt.wantCode == 0 {
				wantOK(t, a)
			} else {
				wantErr(t, a, tt.wantCode)
			}
		})
	}
}

func TestUsedCodeAfterExpiry(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	code := e.code(t, oaApp, "snsapi_base", "alice")
	wantOK(t, e.exchange(t, oaApp, code))
	wantErr(t, e.exchange(t, oaApp, code), 40163)
	e.clock.Advance(5 * time.Minute)
	wantErr(t, e.exchange(t, oaApp, code), 40029)
}

func TestContentType(t *testing.T) {
	tests := []struct {
		cfg  string
		want string
	}{
		{"", "text/plain"},
		{wechatsim.ContentTypeJSON, "application/json; encoding=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{ContentType: tt.cfg})
			ok := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_base", "alice"))
			bad := e.exchange(t, oaApp, "nope")
			for _, a := range []answer{ok, bad} {
				if a.contentType != tt.want || a.status != http.StatusOK {
					t.Errorf("got %d %q, want 200 %q", a.status, a.contentType, tt.want)
				}
			}
		})
	}
}
