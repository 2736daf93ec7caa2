package wechatsim_test

import (
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func (e *env) refresh(t *testing.T, appID, refreshToken string) answer {
	t.Helper()
	return e.api(t, "/sns/oauth2/refresh_token", "appid", appID, "grant_type", "refresh_token", "refresh_token", refreshToken)
}

func (e *env) userInfo(t *testing.T, a answer) answer {
	t.Helper()
	return e.api(t, "/sns/userinfo", "access_token", a.str("access_token"), "openid", a.str("openid"))
}

func TestRefreshErrors(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	rt := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_userinfo", "alice")).str("refresh_token")
	tests := []struct {
		name     string
		kv       []string
		wantCode int
	}{
		{"appid missing", []string{"grant_type", "refresh_token", "refresh_token", rt}, 41002},
		{"refresh_token missing", []string{"appid", oaApp, "grant_type", "refresh_token"}, 41003},
		{"grant_type wrong", []string{"appid", oaApp, "grant_type", "authorization_code", "refresh_token", rt}, 40002},
		{"unknown appid", []string{"appid", "wxnope", "grant_type", "refresh_token", "refresh_token", rt}, 40013},
		{"unknown refresh_token", []string{"appid", oaApp, "grant_type", "refresh_token", "refresh_token", "83_nope"}, 40030},
		{"refresh_token of another app", []string{"appid", oaApp2, "grant_type", "refresh_token", "refresh_token", rt}, 40030},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, e.api(t, "/sns/oauth2/refresh_token", tt.kv...), tt.wantCode)
		})
	}
}

// TestRefreshLifecycle follows one grant through time: extension of a live
// access token, replacement of an expired one, and the 30-day end.
func TestRefreshLifecycle(t *testing.T) {
	e := newEnv(t, wechatsim.Config{})
	first := e.exchange(t, oaApp, e.code(t, oaApp, "snsapi_userinfo", "alice"))
	rt := first.str("refresh_token")

	e.clock.Advance(time.Hour + 59*time.Minute)
	extended := e.refresh(t, oaApp, rt)
	wantOK(t, extended)
	if extended.str("access_token") != first.str("access_token") || extended.str("refresh_token") != rt ||
		extended.json["expires_in"] != float64(7200) || extended.str("openid") != first.str("openid") {
		t.Fatalf("refresh of a live token: want the same tokens extended, got %s", extended.body)
	}
	if _, has := extended.json["unionid"]; has {
		t.Error("refresh answer carries a unionid")
	}
	e.clock.Advance(time.Hour + 30*time.Minute) // past the first 2 h, within the extension
	wantOK(t, e.userInfo(t, first))

	e.clock.Advance(time.Hour)
	wantErr(t, e.userInfo(t, first), 42001)
	renewed := e.refresh(t, oaApp, rt)
	wantOK(t, renewed)
	if renewed.str("access_token") == first.str("access_token") || renewed.str("refresh_token") != rt {
		t.Fatalf("refresh of an expired token: want a new access token, the same refresh token; got %s", renewed.body)
	}
	wantOK(t, e.userInfo(t, renewed))
	wantErr(t, e.userInfo(t, first), 42001)

	e.clock.Advance(30*24*time.Hour - 4*time.Hour - 29*time.Minute - time.Second)
	wantOK(t, e.refresh(t, oaApp, rt))
	e.clock.Advance(time.Second)
	wantErr(t, e.refresh(t, oaApp, rt), 42002)
}
