package wechat_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestAuthorizeURL(t *testing.T) {
	tests := []struct {
		name                                   string
		openURL                                string
		appID, redirectURI, scope, state, want string
	}{
		{"default host", "", "wxabc", "https://a.example/cb", "snsapi_base", "s1",
			"https://open.weixin.qq.com/connect/oauth2/authorize?appid=wxabc&redirect_uri=https%3A%2F%2Fa.example%2Fcb&response_type=code&scope=snsapi_base&state=s1#wechat_redirect"},
		{"custom host, trailing slash", "http://127.0.0.1:9/sandbox/", "wxabc", "https://a.example/cb?t=1&u=2", "snsapi_userinfo", "",
			"http://127.0.0.1:9/sandbox/connect/oauth2/authorize?appid=wxabc&redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Ft%3D1%26u%3D2&response_type=code&scope=snsapi_userinfo&state=#wechat_redirect"},
		{"escaped state", "", "wxabc", "https://a.example/回调", "snsapi_base", "a&b",
			"https://open.weixin.qq.com/connect/oauth2/authorize?appid=wxabc&redirect_uri=https%3A%2F%2Fa.example%2F%E5%9B%9E%E8%B0%83&response_type=code&scope=snsapi_base&state=a%26b#wechat_redirect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := wechat.New(wechat.Config{OpenURL: tt.openURL})
			if got := c.AuthorizeURL(tt.appID, tt.redirectURI, tt.scope, tt.state); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestAuthorizeURLStrictEmulator checks the link passes the emulator's
// strict order and state rules.
func TestAuthorizeURLStrictEmulator(t *testing.T) {
	f := newFixture(t, wechatsim.Config{StrictOrder: true, StrictState: true})
	c := f.client(wechat.Config{})
	link, _, _ := strings.Cut(c.AuthorizeURL(boundApp, callback, "snsapi_base", "abc123"), "#")
	loc := f.follow(t, http.MethodGet, link, "alice", nil)
	if loc == nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != "abc123" {
		t.Fatalf("strict emulator did not redirect with a code: %v", loc)
	}
}
