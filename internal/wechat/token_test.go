package wechat_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func TestExchange(t *testing.T) {
	tests := []struct {
		name, appID, scope string
		wantUnionID        string
	}{
		{"snsapi_base", boundApp, "snsapi_base", ""},
		{"snsapi_userinfo, bound app", boundApp, "snsapi_userinfo", wechatsim.UnionID(seed, openPlat, "alice")},
		{"snsapi_userinfo, unbound app", unboundApp, "snsapi_userinfo", ""},
	}
	for _, ct := range []string{wechatsim.ContentTypeText, wechatsim.ContentTypeJSON} {
		f := newFixture(t, wechatsim.Config{ContentType: ct})
		c := f.client(wechat.Config{})
		for _, tt := range tests {
			t.Run(ct+"/"+tt.name, func(t *testing.T) {
				tok, err := c.Exchange(context.Background(), tt.appID, secret, f.code(t, c, tt.appID, tt.scope, "alice", false))
				if err != nil {
					t.Fatal(err)
				}
				if tok.OpenID != wechatsim.OpenID(seed, tt.appID, "alice") || tok.UnionID != tt.wantUnionID ||
					!slices.Equal(tok.Scopes, []string{tt.scope}) || tok.ExpiresIn != 7200 ||
					tok.AccessToken == "" || tok.RefreshToken == "" || tok.SnapshotUser {
					t.Errorf("token = %+v", tok)
				}
			})
		}
	}
}

func TestExchangeErrors(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	c := f.client(wechat.Config{})
	ctx := context.Background()
	expired := f.code(t, c, boundApp, "snsapi_base", "alice", false)
	f.clock.Advance(5 * time.Minute)
	used := f.code(t, c, boundApp, "snsapi_base", "alice", false)
	if _, err := c.Exchange(ctx, boundApp, secret, used); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                string
		appID, secret, code string
		wantCode            int
	}{
		{"wrong secret", boundApp, "wrong-secret", "any", wechat.CodeInvalidSecret},
		{"unknown appid", "wxunknown", secret, "any", wechat.CodeInvalidAppID},
		{"forged code", boundApp, secret, "021wn10w3otnc23Qtt0w3QFXD62wn10D", wechat.CodeInvalidCode},
		{"code used", boundApp, secret, used, wechat.CodeCodeUsed},
		{"code expired", boundApp, secret, expired, wechat.CodeInvalidCode},
		{"code of another app", unboundApp, secret, f.code(t, c, boundApp, "snsapi_base", "bob", false), wechat.CodeInvalidCode},
		{"no code", boundApp, secret, "", wechat.CodeMissingCode},
		{"no secret", boundApp, "", "any", wechat.CodeMissingSecret},
		{"no appid", "", secret, "any", wechat.CodeMissingAppID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := c.Exchange(ctx, tt.appID, tt.secret, tt.code)
			wantCode(t, err, tt.wantCode)
			var we *wechat.Error
			prefix := "wechat: errcode " + strconv.Itoa(tt.wantCode) + ": "
			if !errors.As(err, &we) || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(we.Message, ", rid: ") {
				t.Errorf("error %q: want an *Error starting %q with WeChat's rid", err, prefix)
			}
			if tok.AccessToken != "" {
				t.Errorf("token returned with an error: %+v", tok)
			}
		})
	}
}

func TestExchangeSnapshotUser(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	c := f.client(wechat.Config{})
	tok, err := c.Exchange(context.Background(), boundApp, secret, f.code(t, c, boundApp, "snsapi_userinfo", "alice", true))
	if !errors.Is(err, wechat.ErrSnapshotUser) {
		t.Fatalf("got %v, want ErrSnapshotUser", err)
	}
	if !tok.SnapshotUser || tok.OpenID == "" || tok.OpenID == wechatsim.OpenID(seed, boundApp, "alice") {
		t.Errorf("want the virtual user's token, got %+v", tok)
	}
}

func TestRefresh(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	c := f.client(wechat.Config{})
	ctx := context.Background()
	first, err := c.Exchange(ctx, boundApp, secret, f.code(t, c, boundApp, "snsapi_userinfo", "alice", false))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(3 * time.Hour)
	renewed, err := c.Refresh(ctx, boundApp, first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if renewed.AccessToken == first.AccessToken || renewed.RefreshToken != first.RefreshToken ||
		renewed.OpenID != first.OpenID || !slices.Equal(renewed.Scopes, first.Scopes) {
		t.Errorf("renewed %+v from %+v", renewed, first)
	}

	_, err = c.Refresh(ctx, boundApp, "83_unknown")
	wantCode(t, err, wechat.CodeInvalidRefreshToken)
	f.clock.Advance(30 * 24 * time.Hour)
	_, err = c.Refresh(ctx, boundApp, first.RefreshToken)
	wantCode(t, err, wechat.CodeRefreshTokenExpired)
}
