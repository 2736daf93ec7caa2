package wechatsim_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// snapshotCode gets a snapshot-mode code for alice through the query
// parameter or the chooser's checkbox.
func snapshotCode(t *testing.T, e *env, via string) string {
	t.Helper()
	if via == "checkbox" {
		r := fetch(t, e.browser(t, ""), http.MethodPost, e.oaLink(oaApp, "snsapi_userinfo"),
			url.Values{"user": {"alice"}, "snapshot": {"1"}})
		return redirected(t, r).Get("code")
	}
	r := fetch(t, e.browser(t, "alice"), http.MethodGet, e.oaLink(oaApp, "snsapi_userinfo", "forceSnapShot", "1"), nil)
	return redirected(t, r).Get("code")
}

func TestSnapshot(t *testing.T) {
	for _, via := range []string{"forceSnapShot", "checkbox"} {
		t.Run(via, func(t *testing.T) {
			e := newEnv(t, wechatsim.Config{})
			genuine := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_userinfo", "alice"))
			snap := e.exchange(t, oaApp, snapshotCode(t, e, via))
			wantOK(t, snap)
			if snap.json["is_snapshotuser"] != float64(1) || genuine.json["is_snapshotuser"] != nil {
				t.Errorf("is_snapshotuser: snapshot %v, genuine %v", snap.json["is_snapshotuser"], genuine.json["is_snapshotuser"])
			}
			if snap.str("openid") == genuine.str("openid") || snap.str("unionid") == genuine.str("unionid") || snap.str("unionid") == "" {
				t.Errorf("snapshot ids %s/%s must be virtual, genuine %s/%s",
					snap.str("openid"), snap.str("unionid"), genuine.str("openid"), genuine.str("unionid"))
			}
			info := e.api(t, "/sns/userinfo", "access_token", snap.str("access_token"), "openid", snap.str("openid"))
			if info.str("nickname") != "微信用户" || info.str("openid") != snap.str("openid") {
				t.Errorf("snapshot userinfo = %s", info.body)
			}
		})
	}
}

func TestSnapshotOnlyForUserinfo(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	r := fetch(t, e.browser(t, "alice"), http.MethodGet, e.oaLink(oaApp, "snsapi_base", "forceSnapShot", "1"), nil)
	a := e.exchange(t, oaApp, redirected(t, r).Get("code"))
	if a.json["is_snapshotuser"] != nil || a.str("openid") != wechatsim.OpenID(seed, oaApp, "alice") {
		t.Errorf("snsapi_base with forceSnapShot: want the genuine user, got %s", a.body)
	}
}

func TestSnapshot48001(t *testing.T) {
	e := newEnv(t, wechatsim.Config{Snapshot48001: true})
	snap := e.exchange(t, oaApp, snapshotCode(t, e, "forceSnapShot"))
	wantErr(t, e.api(t, "/sns/userinfo", "access_token", snap.str("access_token"), "openid", snap.str("openid")), 48001)
}
