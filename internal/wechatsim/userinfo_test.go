package wechatsim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestUserInfo(t *testing.T) {
	tests := []struct {
		name, appID, user, wantNickname string
		wantUnionID                     bool
	}{
		{"default user of a bound app", oaApp, "alice", "爱丽丝", true},
		{"other user of an unbound app", unboundApp, "王五", "王五", false},
	}
	e := newEnv(t, wechatsim.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := e.exchange(t, tt.appID, e.code(t, tt.appID, "snsapi_userinfo", tt.user))
			a := e.userInfo(t, tok)
			wantOK(t, a)
			want := map[string]any{
				"openid": tok.str("openid"), "nickname": tt.wantNickname, "sex": float64(0),
				"province": "", "city": "", "country": "",
			}
			for k, v := range want {
				if a.json[k] != v {
					t.Errorf("%s = %#v, want %#v", k, a.json[k], v)
				}
			}
			if p, ok := a.json["privilege"].([]any); !ok || len(p) != 0 {
				t.Errorf("privilege = %#v, want []", a.json["privilege"])
			}
			if img := a.str("headimgurl"); !strings.HasPrefix(img, "https://thirdwx.qlogo.cn/mmopen/") || !strings.HasSuffix(img, "/132") {
				t.Errorf("headimgurl = %q", img)
			}
			if got := a.str("unionid"); (got != "") != tt.wantUnionID || (got != "" && got != tok.str("unionid")) {
				t.Errorf("unionid = %q, want present %v and equal to the token's", got, tt.wantUnionID)
			}
		})
	}
}

// TestBearerErrors covers the errors /sns/userinfo and /sns/auth share, and
// the one (48001) only userinfo has.
func TestBearerErrors(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	info := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_userinfo", "alice"))
	base := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_base", "alice"))
	old := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_userinfo", "bob"))
	e.clock.Advance(2 * time.Hour)
	info = e.refresh(t, oaApp, info.str("refresh_token"))
	base = e.refresh(t, oaApp, base.str("refresh_token"))
	tests := []struct {
		name         string
		kv           []string
		wantUserinfo int
		wantAuth     int
	}{
		{"valid", []string{"access_token", info.str("access_token"), "openid", info.str("openid")}, 0, 0},
		{"access_token missing", []string{"openid", info.str("openid")}, 41001, 41001},
		{"openid missing", []string{"access_token", info.str("access_token")}, 41009, 41009},
		{"unknown token", []string{"access_token", "83_nope", "openid", info.str("openid")}, 40001, 40001},
		{"expired token", []string{"access_token", old.str("access_token"), "openid", old.str("openid")}, 42001, 42001},
		{"openid of someone else", []string{"access_token", info.str("access_token"), "openid", old.str("openid")}, 40003, 40003},
		{"snsapi_base token", []string{"access_token", base.str("access_token"), "openid", base.str("openid")}, 48001, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for path, want := range map[string]int{"/sns/userinfo": tt.wantUserinfo, "/sns/auth": tt.wantAuth} {
				a := e.api(t, path, tt.kv...)
				switch {
				case want != 0:
					wantErr(t, a, want)
				case path == "/sns/auth" && (a.errcode() != 0 || a.str("errmsg") != "ok" || a.json["errcode"] == nil):
					t.Errorf("%s: want {errcode:0, errmsg:ok}, got %s", path, a.body)
				default:
					wantOK(t, a)
				}
			}
		})
	}
}
