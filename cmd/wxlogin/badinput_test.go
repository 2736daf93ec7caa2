package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/tenants"
)

// get fetches u without following redirects.
func get(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	return getAs(t, u, "")
}

// getAs is get from a browser whose User-Agent is userAgent (Go's own when
// empty).
func getAs(t *testing.T, u, userAgent string) (int, http.Header, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// identities counts the tenant's stored identities.
func (s *stack) identities() int {
	s.t.Helper()
	db, err := store.Open(context.Background(), s.dbURL, store.Options{})
	if err != nil {
		s.t.Fatalf("open store: %v", err)
	}
	defer db.Close()
	ids, err := db.ListIdentities(context.Background(), tenantID, tenants.IdentityFilter{Limit: 500})
	if err != nil {
		s.t.Fatalf("list identities: %v", err)
	}
	return len(ids)
}

// fault injects a WeChat fault into the emulator until t ends.
func (s *stack) fault(t *testing.T, f map[string]any) {
	t.Helper()
	body, _ := json.Marshal(f)
	resp, err := http.Post(s.sim+"/__sim/faults", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("inject fault %s: %v %v", body, err, resp)
	}
	resp.Body.Close()
	t.Cleanup(func() { s.clearFaults(t) })
}

// clearFaults removes every fault from the emulator.
func (s *stack) clearFaults(t *testing.T) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, s.sim+"/__sim/faults", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("clear faults: %v %v", err, resp)
	}
	resp.Body.Close()
}

// TestHostedLoginRejectsBadInput: each bad request gets a clear answer and
// stores no identity.
func TestHostedLoginRejectsBadInput(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	loginPath := func(tenant, app, redirect string) string {
		return s.public + "/t/" + tenant + "/wechat/" + app + "/login?" + url.Values{"redirect_uri": {redirect}, "state": {"s1"}}.Encode()
	}
	callback := s.public + "/t/" + tenantID + "/wechat/" + appA + "/callback"
	pages := []struct {
		name, url string
		status    int
		text      string
	}{
		{"unknown tenant", loginPath("nobody", appA, redirectURI), http.StatusNotFound, "找不到登录入口"},
		{"unknown appid", loginPath(tenantID, "wx0000000000000000", redirectURI), http.StatusNotFound, "Login not found"},
		{"callback without state", callback + "?code=abc", http.StatusBadRequest, "Invalid login link"},
		{"callback with a forged state", callback + "?code=abc&state=" + opaque.Hex(16), http.StatusBadRequest, "Invalid login link"},
	}
	for _, c := range pages {
		t.Run(c.name, func(t *testing.T) {
			status, h, body := get(t, c.url)
			if status != c.status || !strings.Contains(body, c.text) || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				t.Errorf("got %d %q, want %d with %q:\n%s", status, h.Get("Content-Type"), c.status, c.text, body)
			}
			if h.Get("Location") != "" {
				t.Errorf("redirected to %s", h.Get("Location"))
			}
		})
	}

	t.Run("bad scope goes back to the tenant as invalid_scope", func(t *testing.T) {
		status, h, _ := get(t, s.public+"/t/"+tenantID+"/wechat/"+appA+"/login?"+url.Values{"redirect_uri": {redirectURI}, "state": {"s2"}, "scope": {"snsapi_everything"}}.Encode())
		loc, _ := url.Parse(h.Get("Location"))
		if status != http.StatusFound || loc.Host != tenantSite || loc.Query().Get("error") != "invalid_scope" || loc.Query().Get("state") != "s2" {
			t.Errorf("got %d to %s", status, loc)
		}
	})

	t.Run("state of another account", func(t *testing.T) {
		_, h, _ := get(t, s.loginURL(appA, "", "s3", opaque.New("", 32)))
		loc, _ := url.Parse(h.Get("Location"))
		state := loc.Query().Get("state") // the transaction wxlogin sent to WeChat
		status, _, body := get(t, s.public+"/t/"+tenantID+"/wechat/"+appB+"/callback?code=abc&state="+state)
		if status != http.StatusBadRequest || !strings.Contains(body, "Invalid login link") {
			t.Errorf("got %d:\n%s", status, body)
		}
	})

	t.Run("refused authorization returns access_denied", func(t *testing.T) {
		br := newBrowser()
		p, err := br.Get(ctx, s.loginURL(appA, "snsapi_userinfo", "s4", opaque.New("", 32)))
		if err == nil {
			p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {"erin"}})
		}
		if err == nil {
			p, err = br.Submit(ctx, p, "decision", "deny", nil)
		}
		if err != nil || p.URL.Host != tenantSite || p.URL.Query().Get("error") != "access_denied" || p.URL.Query().Get("state") != "s4" || p.URL.Query().Get("code") != "" {
			t.Errorf("refusal ended at %v (%v)", p.URL, err)
		}
	})

	before := s.identities()
	wechatFaults := []struct {
		name   string
		fault  map[string]any
		status int
		text   string
	}{
		{"WeChat 40029 invalid code", map[string]any{"path": "/sns/oauth2/access_token", "errcode": 40029}, http.StatusBadRequest, "WeChat authorization no longer valid"},
		{"WeChat 40125 invalid appsecret", map[string]any{"path": "/sns/oauth2/access_token", "errcode": 40125}, http.StatusBadGateway, "misconfigured"},
		{"WeChat -1 system busy", map[string]any{"path": "/sns/oauth2/access_token", "errcode": -1}, http.StatusServiceUnavailable, "WeChat is busy"},
		{"WeChat answers HTML", map[string]any{"path": "/sns/oauth2/access_token", "html": true, "status": 502}, http.StatusServiceUnavailable, "WeChat is busy"},
		{"WeChat userinfo -1", map[string]any{"path": "/sns/userinfo", "errcode": -1}, http.StatusServiceUnavailable, "WeChat is busy"},
		{"WeChat 40163 code been used", map[string]any{"path": "/sns/oauth2/access_token", "errcode": 40163}, http.StatusOK, "Signing you in"},
	}
	for _, c := range wechatFaults {
		t.Run(c.name, func(t *testing.T) {
			s.fault(t, c.fault)
			br := newBrowser()
			p, err := br.Get(ctx, s.loginURL(appA, "snsapi_userinfo", "s5", opaque.New("", 32)))
			if err == nil {
				p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {"frank"}})
			}
			if err == nil {
				p, err = br.Submit(ctx, p, "decision", "allow", nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != c.status || !strings.Contains(string(p.Body), c.text) {
				t.Errorf("got %d at %s, want %d with %q:\n%s", p.Status, p.URL, c.status, c.text, p.Body)
			}
		})
	}
	if n := s.identities(); n != before {
		t.Errorf("failed logins stored identities: %d before, %d after", before, n)
	}

	t.Run("token endpoint", func(t *testing.T) {
		// Each case gets a fresh login: a failed redemption burns the code.
		fresh := func(verifier string) url.Values {
			p := s.authorize(ctx, newBrowser(), s.loginURL(appA, "", "s6", verifier), "grace")
			return url.Values{"grant_type": {"authorization_code"}, "code": {p.URL.Query().Get("code")},
				"redirect_uri": {redirectURI}, "client_id": {appA}, "code_verifier": {verifier}}
		}
		cases := []struct {
			name      string
			edit      func(url.Values)
			status    int
			wantError string
		}{
			{"PKCE downgrade: verifier omitted", func(f url.Values) { f.Del("code_verifier") }, http.StatusBadRequest, "invalid_request"},
			{"wrong verifier", func(f url.Values) { f.Set("code_verifier", opaque.New("", 32)) }, http.StatusBadRequest, "invalid_grant"},
			{"another redirect_uri", func(f url.Values) { f.Set("redirect_uri", redirectURI+"?x=1") }, http.StatusBadRequest, "invalid_grant"},
			{"another client_id", func(f url.Values) { f.Set("client_id", appB) }, http.StatusBadRequest, "invalid_grant"},
			{"forged code", func(f url.Values) { f.Set("code", opaque.New("", 32)) }, http.StatusBadRequest, "invalid_grant"},
			{"unsupported grant_type", func(f url.Values) { f.Set("grant_type", "password") }, http.StatusBadRequest, "unsupported_grant_type"},
			{"missing code", func(f url.Values) { f.Del("code") }, http.StatusBadRequest, "invalid_request"},
		}
		for _, c := range cases {
			f := fresh(opaque.New("", 32))
			c.edit(f)
			status, body := s.redeem(f, "", "")
			if status != c.status || !strings.Contains(string(body), `"`+c.wantError+`"`) {
				t.Errorf("%s: got %d %s, want %d %s", c.name, status, body, c.status, c.wantError)
			}
		}
		f := fresh(opaque.New("", 32))
		if status, body := s.redeem(f, "", ""); status != http.StatusOK {
			t.Fatalf("good redemption: %d %s", status, body)
		}
		if status, body := s.redeem(f, "", ""); status != http.StatusBadRequest || !strings.Contains(string(body), `"invalid_grant"`) {
			t.Errorf("replayed code: got %d %s, want invalid_grant", status, body)
		}
	})
}
