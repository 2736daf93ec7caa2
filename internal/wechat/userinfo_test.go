package wechat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestUserInfo(t *testing.T) {
	tests := []struct {
		appID, user, nickname, unionID string
	}{
		{boundApp, "alice", "爱丽丝", wechatsim.UnionID(seed, openPlat, "alice")},
		{unboundApp, "李雷", "李雷", ""},
	}
	for _, ct := range []string{wechatsim.ContentTypeText, wechatsim.ContentTypeJSON} {
		f := newFixture(t, wechatsim.Config{ContentType: ct})
		c := f.client(wechat.Config{})
		for _, tt := range tests {
			t.Run(ct+"/"+tt.appID, func(t *testing.T) {
				ctx := context.Background()
				tok, err := c.Exchange(ctx, tt.appID, secret, f.code(t, c, tt.appID, "snsapi_userinfo", tt.user, false))
				if err != nil {
					t.Fatal(err)
				}
				info, err := c.UserInfo(ctx, tok.AccessToken, tok.OpenID)
				if err != nil {
					t.Fatal(err)
				}
				if info.OpenID != tok.OpenID || info.Nickname != tt.nickname || info.UnionID != tt.unionID ||
					info.Sex != 0 || info.Province != "" || info.Country != "" || info.Privilege == nil ||
					!strings.HasSuffix(info.HeadImgURL, "/132") {
					t.Errorf("userinfo = %+v", info)
				}
			})
		}
	}
}

func TestUserInfoErrors(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	c := f.client(wechat.Config{})
	ctx := context.Background()
	exchange := func(scope, user string) wechat.Token {
		tok, err := c.Exchange(ctx, boundApp, secret, f.code(t, c, boundApp, scope, user, false))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	stale := exchange("snsapi_userinfo", "carol")
	f.clock.Advance(2 * time.Hour)
	base, alice := exchange("snsapi_base", "alice"), exchange("snsapi_userinfo", "alice")
	tests := []struct {
		name                string
		accessToken, openID string
		wantCode            int
	}{
		{"snsapi_base token", base.AccessToken, base.OpenID, wechat.CodeUnauthorized},
		{"openid of another user", alice.AccessToken, stale.OpenID, wechat.CodeInvalidOpenID},
		{"unknown token", "83_forged", alice.OpenID, wechat.CodeInvalidCredential},
		{"expired token", stale.AccessToken, stale.OpenID, wechat.CodeAccessTokenExpired},
		{"no token", "", alice.OpenID, wechat.CodeMissingAccessToken},
		{"no openid", alice.AccessToken, "", wechat.CodeMissingOpenID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := c.UserInfo(ctx, tt.accessToken, tt.openID)
			wantCode(t, err, tt.wantCode)
			if info.OpenID != "" {
				t.Errorf("profile returned with an error: %+v", info)
			}
		})
	}
}
