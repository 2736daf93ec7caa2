package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/token"
)

// TestLoginEndToEnd: two people log in to two accounts of one tenant bound to
// one Open Platform; each gets a different openid per account and one
// unionid across them, in JWTs that verify with the JWKS URL alone.
func TestLoginEndToEnd(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newStack(t, b)
			ctx := context.Background()
			got := map[string]token.Claims{}
			for _, user := range []string{"alice", "bob"} {
				br := newBrowser()
				for _, app := range []string{appA, appB} {
					c := s.loginAs(ctx, br, app, user, "snsapi_userinfo")
					checkClaims(t, s, c, app)
					got[user+"@"+app] = c
				}
			}
			alice, bob := got["alice@"+appA], got["bob@"+appA]
			switch {
			case alice.OpenID == got["alice@"+appB].OpenID:
				t.Errorf("alice has one openid %s in two accounts", alice.OpenID)
			case alice.UnionID == "" || alice.UnionID != got["alice@"+appB].UnionID:
				t.Errorf("alice's unionid differs across accounts: %q vs %q", alice.UnionID, got["alice@"+appB].UnionID)
			case bob.UnionID == "" || bob.UnionID != got["bob@"+appB].UnionID:
				t.Errorf("bob's unionid differs across accounts: %q vs %q", bob.UnionID, got["bob@"+appB].UnionID)
			case alice.UnionID == bob.UnionID || alice.OpenID == bob.OpenID:
				t.Errorf("alice and bob share an id: %+v %+v", alice, bob)
			case alice.Nickname == "":
				t.Errorf("snsapi_userinfo token has no nickname: %+v", alice)
			}

			// A silent snsapi_base login later: same identity, unionid still known.
			again := s.loginAs(ctx, newBrowserAs(t, s, ctx, appA, "alice"), appA, "alice", "snsapi_base")
			if again.Subject != alice.Subject || again.UnionID != alice.UnionID || again.Scope != "snsapi_base" || again.Nickname != "" {
				t.Errorf("snsapi_base login: got %+v, want subject %s and unionid %s without profile", again, alice.Subject, alice.UnionID)
			}

			// The sandbox account logs in through wxlogin's own sandbox.
			sb := s.loginAs(ctx, newBrowser(), appSandbox, "carol", "snsapi_userinfo")
			checkClaims(t, s, sb, appSandbox)
			if sb.UnionID == "" {
				t.Errorf("sandbox login bound to an Open Platform has no unionid: %+v", sb)
			}
			s.assertNoSecrets(secretA, secretB, "sandbox-secret")
		})
	}
}

// newBrowserAs returns a browser that already knows who its WeChat user is.
func newBrowserAs(t *testing.T, s *stack, ctx context.Context, app, user string) *browser.Browser {
	t.Helper()
	br := newBrowser()
	s.loginAs(ctx, br, app, user, "snsapi_base")
	return br
}

func checkClaims(t *testing.T, s *stack, c token.Claims, app string) {
	t.Helper()
	iss := s.public + "/t/" + tenantID
	if c.Issuer != iss || c.AppID != app || c.Tenant != tenantID || c.OpenID == "" || c.Subject == "" || c.ID == "" ||
		len(c.Audience) != 1 || c.Audience[0] != app || c.ExpiresAt == nil || c.IssuedAt == nil {
		t.Errorf("claims %+v: want iss %s, aud/appid %s, tenant %s, openid, sub, jti, iat, exp", c, iss, app, tenantID)
	}
	if ttl := c.ExpiresAt.Sub(c.IssuedAt.Time); ttl != time.Hour {
		t.Errorf("token lifetime %v, want the account's 1h", ttl)
	}
}

// TestClientSecretLogin: a login started without PKCE is redeemed with the
// account's client secret, and only with it.
func TestClientSecretLogin(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	secret := strings.TrimSpace(s.run("", "client-secret", "create", "-tenant", tenantID, "-appid", appA))
	state := opaque.Hex(8)
	p := s.authorize(ctx, newBrowser(), s.loginURL(appA, "", state, ""), "dave")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {p.URL.Query().Get("code")}, "redirect_uri": {redirectURI}}

	if status, body := s.redeem(form, appA, "wxs_wrong"); status != http.StatusUnauthorized || !strings.Contains(string(body), `"invalid_client"`) {
		t.Fatalf("wrong client secret: %d %s", status, body)
	}
	if status, body := s.redeem(form, "", ""); status != http.StatusUnauthorized || !strings.Contains(string(body), `"invalid_client"`) {
		t.Fatalf("no client authentication: %d %s", status, body)
	}
	// The failed attempt without credentials consumed the code: start again.
	p = s.authorize(ctx, newBrowser(), s.loginURL(appA, "", state, ""), "dave")
	form.Set("code", p.URL.Query().Get("code"))
	status, body := s.redeem(form, appA, secret)
	if status != http.StatusOK {
		t.Fatalf("right client secret: %d %s", status, body)
	}
}
