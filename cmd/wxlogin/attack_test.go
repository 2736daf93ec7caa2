package main

import (
	"context"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/opaque"
)

// The attacks of this file are named after what they try; each test shows
// wxlogin refuses it over the real HTTP stack. Others live beside the
// features they attack: TestHostedLoginRejectsBadInput (state of another
// account, PKCE downgrade, code replay, code for another account or
// redirect_uri), TestAdminAPIAuthorization (every /v1 operation with a key
// of another tenant), TestAdminAPIBadInput, TestOIDCRefusals, and
// internal/token's TestAttackForgedToken.

// TestAttackOpenRedirect: a login whose redirect_uri is anything but an
// allowlisted URI, byte for byte, gets a page and no redirect.
func TestAttackOpenRedirect(t *testing.T) {
	s := newStack(t, backends[0])
	variants := map[string]string{
		"another host":            "https://evil.example/wechat/callback",
		"another case":            strings.ToUpper(redirectURI),
		"host in another case":    "https://SHOP.example/wechat/callback",
		"trailing slash":          redirectURI + "/",
		"extra path":              redirectURI + "/../../evil",
		"extra query":             redirectURI + "?next=/admin",
		"fragment":                redirectURI + "#x",
		"userinfo @":              "https://" + tenantSite + "@evil.example/wechat/callback",
		"userinfo before host":    "https://evil.example@" + tenantSite + "/wechat/callback",
		"encoded slash":           "https://" + tenantSite + "%2Fwechat%2Fcallback",
		"encoded path":            "https://" + tenantSite + "/wechat%2Fcallback",
		"encoded dot segments":    "https://" + tenantSite + "/wechat/%2e%2e/callback",
		"another port":            "https://" + tenantSite + ":8443/wechat/callback",
		"default port spelled":    "https://" + tenantSite + ":443/wechat/callback",
		"http instead of https":   "http://" + tenantSite + "/wechat/callback",
		"javascript:":             "javascript:alert(document.domain)//" + redirectURI,
		"protocol-relative":       "//evil.example/wechat/callback",
		"backslash":               "https://" + tenantSite + "\\@evil.example/wechat/callback",
		"whitespace around":       " " + redirectURI + " ",
		"homoglyph host":          "https://shоp.example/wechat/callback", // Cyrillic о
		"two redirect_uri values": "",
	}
	for name, redirect := range variants {
		t.Run(name, func(t *testing.T) {
			q := url.Values{"redirect_uri": {redirect}, "state": {"s1"}}
			if name == "two redirect_uri values" {
				q["redirect_uri"] = []string{"https://evil.example/wechat/callback", redirectURI}
			}
			status, h, body := get(t, s.public+"/t/"+tenantID+"/wechat/"+appA+"/login?"+q.Encode())
			if status != http.StatusBadRequest || !strings.Contains(body, "Redirect address not registered") || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				t.Errorf("got %d %q, want 400 with the page:\n%s", status, h.Get("Content-Type"), body)
			}
			if loc := h.Get("Location"); loc != "" {
				t.Errorf("redirected to %s", loc)
			}
		})
	}
}

// TestAttackStateReplay: once a login is complete, its state sent back with
// another WeChat code (the attacker's) logs no one in and mints no code;
// neither does a state sent to another tenant's callback.
func TestAttackStateReplay(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	cb := s.wechatCallback(ctx, appA, "ivan", "s1", opaque.New("", 32))
	status, h, _ := get(t, cb.String())
	if status != http.StatusFound || !strings.HasPrefix(h.Get("Location"), redirectURI+"?") {
		t.Fatalf("first callback: %d to %s", status, h.Get("Location"))
	}
	state := cb.Query().Get("state")
	other := s.wechatCallback(ctx, appA, "mallory", "s2", opaque.New("", 32)) // the attacker's own code
	before := s.identities()
	for name, u := range map[string]string{
		"state with another code": s.public + cb.Path + "?" + url.Values{"code": {other.Query().Get("code")}, "state": {state}}.Encode(),
		"state without a code":    s.public + cb.Path + "?" + url.Values{"state": {state}}.Encode(),
		"state at another tenant": s.public + strings.Replace(cb.Path, "/t/"+tenantID+"/", "/t/beta/", 1) + "?" + cb.RawQuery,
	} {
		status, h, body := get(t, u)
		if status < 400 || status >= 500 || h.Get("Location") != "" || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("%s: got %d to %q, want a 4xx page:\n%s", name, status, h.Get("Location"), body)
		}
	}
	if n := s.identities(); n != before {
		t.Errorf("replayed states stored identities: %d before, %d after", before, n)
	}
}

// TestAttackCodeOfAnotherTenant: a code minted for tenant A is worthless at
// the token endpoint of tenant B, even when B registered the same official
// account; and A's access token gets nothing from B's userinfo.
func TestAttackCodeOfAnotherTenant(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	if res := s.admin(operator, http.MethodPost, "/v1/tenants", map[string]string{"id": "beta", "name": "Beta"}); res.status != http.StatusCreated {
		t.Fatalf("create tenant beta: %d %s", res.status, res.body)
	}
	_, adminB := s.keyValue(operator, "beta", "admin", nil)
	account := map[string]any{"appid": appA, "name": "A in beta", "mode": "sandbox", "default_scope": "snsapi_base", "redirect_uris": []string{redirectURI}}
	if res := s.admin(adminB, http.MethodPost, "/v1/tenants/beta/accounts", account); res.status != http.StatusCreated {
		t.Fatalf("create account of beta: %d %s", res.status, res.body)
	}

	state, verifier := opaque.Hex(8), opaque.New("", 32)
	p := s.authorize(ctx, newBrowser(), s.loginURL(appA, "", state, verifier), "judy")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {p.URL.Query().Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}, "client_id": {appA}}
	if status, body := s.redeemIn("beta", form, "", ""); status != http.StatusBadRequest || !strings.Contains(string(body), `"invalid_grant"`) {
		t.Errorf("A's code at B: got %d %s, want invalid_grant", status, body)
	}

	access := s.redeemAt(s.authorize(ctx, newBrowser(), s.loginURL(appA, "", state, verifier), "judy"), appA, state, verifier)
	req, _ := http.NewRequest(http.MethodGet, s.public+"/t/beta/oauth/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("A's access token at B's userinfo: %d, want 401", resp.StatusCode)
	}
}

// TestAttackForgedForwardedFor: without trusted proxies, X-Forwarded-For
// and X-Real-IP are the client's to forge and change nothing: the audit log
// keeps the connection's address. Once the proxy is trusted its header is
// believed.
func TestAttackForgedForwardedFor(t *testing.T) {
	forged := http.Header{"X-Forwarded-For": {"203.0.113.66"}, "X-Real-Ip": {"203.0.113.67"}}
	for _, c := range []struct {
		name, env, want string
	}{
		{"no trusted proxy", "WXLOGIN_TRUSTED_PROXIES=", "127.0.0.1"},
		{"loopback trusted", "WXLOGIN_TRUSTED_PROXIES=127.0.0.1, ::1", "203.0.113.66"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newStack(t, backends[0], c.env)
			admin := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "admin", "-role", "admin"))
			res := s.adminWith(admin, http.MethodPost, "/v1/tenants/"+tenantID+"/api-keys", map[string]string{"name": "k", "role": "viewer"}, forged)
			if res.status != http.StatusCreated {
				t.Fatalf("create key: %d %s", res.status, res.body)
			}
			events := decode[gen.AuditEventList](t, s.admin(admin, http.MethodGet, "/v1/tenants/"+tenantID+"/audit-events?action=api_key.create", nil), http.StatusOK)
			for _, e := range events.Items {
				if e.RequestID == res.header.Get("X-Request-Id") {
					if e.SourceIP != c.want {
						t.Errorf("source_ip %q, want %q", e.SourceIP, c.want)
					}
					return
				}
			}
			t.Errorf("no audit event of request %s in %+v", res.header.Get("X-Request-Id"), events.Items)
		})
	}
}

// checkPageHeaders holds an answer to the headers of every page: no
// framing (clickjacking), no sniffing, no referrer (URLs carry codes and
// states), and scripts only where the page names them.
func checkPageHeaders(t *testing.T, name string, h http.Header, html bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	switch {
	case html && !strings.HasPrefix(h.Get("Content-Type"), "text/html"):
		t.Errorf("%s: Content-Type %q, want an HTML page", name, h.Get("Content-Type"))
	case !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "base-uri 'none'"):
		t.Errorf("%s: Content-Security-Policy %q", name, csp)
	case strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "script-src 'unsafe-inline'"):
		t.Errorf("%s: Content-Security-Policy %q lets injected scripts run", name, csp)
	case h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff":
		t.Errorf("%s: Referrer-Policy %q, X-Frame-Options %q, X-Content-Type-Options %q", name,
			h.Get("Referrer-Policy"), h.Get("X-Frame-Options"), h.Get("X-Content-Type-Options"))
	}
}

// TestAttackFramingAndReferrerLeaks: every HTML page wxlogin serves, and
// every redirect carrying a code, has the headers checkPageHeaders wants;
// TestDemo checks the demo's pages.
func TestAttackFramingAndReferrerLeaks(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	for name, u := range map[string]string{
		"error page":                  s.public + "/t/nobody/wechat/" + appA + "/login?redirect_uri=x",
		"callback error page":         s.public + "/t/" + tenantID + "/wechat/" + appA + "/callback?code=abc&state=" + opaque.Hex(16),
		"QR page outside WeChat":      s.loginURL(appA, "", "s1", opaque.New("", 32)),
		"API reference":               s.public + "/docs",
		"not found":                   s.public + "/nothing-here",
		"OpenID Connect error page":   s.public + "/t/" + tenantID + "/oauth/authorize?client_id=nobody",
		"login of an unknown account": s.public + "/t/" + tenantID + "/wechat/wx0000000000000000/login",
	} {
		_, h, _ := get(t, u)
		checkPageHeaders(t, name, h, name != "not found")
	}

	// The WeChat sandbox's pages, as a person in WeChat walks them.
	br := newBrowser()
	p, err := br.Get(ctx, s.loginURL(appSandbox, "snsapi_userinfo", "s2", opaque.New("", 32)))
	if err != nil {
		t.Fatal(err)
	}
	checkPageHeaders(t, "sandbox user chooser", p.Header, true)
	if p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {"kim"}}); err != nil {
		t.Fatal(err)
	}
	checkPageHeaders(t, "sandbox consent page", p.Header, true)

	// The callback's redirect and the page that reloads it both carry codes.
	cb := s.wechatCallback(ctx, appA, "kim", "s3", opaque.New("", 32))
	_, h, _ := get(t, cb.String())
	checkPageHeaders(t, "callback redirect to the tenant", h, false)
	s.fault(t, map[string]any{"path": "/sns/oauth2/access_token", "errcode": 40163})
	_, h, body := get(t, s.wechatCallback(ctx, appA, "kim", "s4", opaque.New("", 32)).String())
	if !strings.Contains(body, "Signing you in") {
		t.Errorf("want the page that waits for the first callback:\n%s", body)
	}
	checkPageHeaders(t, "page reloading the callback", h, true)
}

// sqlPayloads are SQL metacharacters an attacker puts into any field.
var sqlPayloads = []string{
	`' OR '1'='1`, `'; DROP TABLE accounts; --`, `" OR ""="`, `%' --`, `\'; SELECT pg_sleep(5); --`,
	`$1`, `?`, "\x00", `) UNION SELECT * FROM api_keys --`, `%`, `_`,
}

// TestAttackSQLInjection puts SQL metacharacters and oversize values into
// every field of an account's creation, every identity filter and every
// query parameter of the hosted login: each is refused with a problem or a
// page, or stored as the text it is; no 5xx, nothing else changes, and no
// oversize value floods the log.
func TestAttackSQLInjection(t *testing.T) {
	s := newStack(t, backends[0], "WXLOGIN_API_BURST=1000") // some 400 requests in a few seconds
	ctx := context.Background()
	s.loginAs(ctx, newBrowser(), appA, "alice", "")
	admin := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "admin", "-role", "admin"))
	base := "/v1/tenants/" + tenantID
	accounts := func() int {
		return len(decode[gen.AccountList](t, s.admin(admin, http.MethodGet, base+"/accounts?limit=200", nil), http.StatusOK).Items)
	}
	before, created := accounts(), 0
	good := map[string]any{"appid": "wx00000000000000cc", "name": "New", "kind": "official", "mode": "sandbox",
		"default_scope": "snsapi_base", "redirect_uris": []string{redirectURI}, "open_platform_id": "acme-open", "token_ttl_seconds": 600}
	values := append(slices.Clone(sqlPayloads), strings.Repeat("x", 5000), strings.Repeat("x", 70<<10))
	for field := range good {
		for _, v := range values {
			body := maps.Clone(good)
			body[field] = v
			if field == "redirect_uris" {
				body[field] = []string{v}
			}
			res := s.admin(admin, http.MethodPost, base+"/accounts", body)
			switch {
			case res.status == http.StatusCreated:
				created++
				got := decode[map[string]any](t, s.admin(admin, http.MethodGet, base+"/accounts/"+url.PathEscape(body["appid"].(string)), nil), http.StatusOK)
				if got[field] != v {
					t.Errorf("%s %.40q: stored as %.40q", field, v, got[field])
				}
				s.admin(admin, http.MethodDelete, base+"/accounts/"+url.PathEscape(body["appid"].(string)), nil)
				created--
			case res.status < 400 || res.status >= 500 || res.header.Get("Content-Type") != "application/problem+json":
				t.Errorf("%s %.40q: %d %q %.200s", field, v, res.status, res.header.Get("Content-Type"), res.body)
			}
		}
	}
	if n := accounts(); n != before+created {
		t.Errorf("accounts: %d before, %d after", before, n)
	}

	for _, filter := range []string{"appid", "openid", "unionid", "nickname", "last_login_after"} {
		for _, v := range append(values, "\xff\xfe") { // and bytes that are not UTF-8
			res := s.admin(admin, http.MethodGet, base+"/identities?"+url.Values{filter: {v}}.Encode(), nil)
			if res.status == http.StatusOK {
				if n := len(decode[gen.IdentityList](t, res, http.StatusOK).Items); n != 0 {
					t.Errorf("identities with %s=%.40q: %d found", filter, v, n)
				}
			} else if res.status >= 500 || res.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("identities with %s=%.40q: %d %.200s", filter, v, res.status, res.body)
			}
		}
	}

	// Text PostgreSQL cannot compare is refused before it gets there.
	for _, v := range []string{"\x00", "\xff\xfe", "a\x00b"} {
		if res := s.admin(admin, http.MethodGet, base+"/identities?"+url.Values{"nickname": {v}}.Encode(), nil); res.status != http.StatusUnprocessableEntity {
			t.Errorf("identities with nickname=%q: %d %.200s, want 422", v, res.status, res.body)
		}
	}

	for _, param := range []string{"redirect_uri", "state", "scope", "code_challenge", "code_challenge_method"} {
		for _, v := range values {
			q := url.Values{"redirect_uri": {redirectURI}, "state": {"s1"}}
			q.Set(param, v)
			status, h, body := get(t, s.public+"/t/"+tenantID+"/wechat/"+appA+"/login?"+q.Encode())
			loc, _ := url.Parse(h.Get("Location"))
			switch {
			case status == http.StatusFound && loc.Host != tenantSite && !strings.HasPrefix(h.Get("Location"), s.sim):
				t.Errorf("login with %s=%.40q: redirected to %s", param, v, loc)
			case status != http.StatusFound && (status >= 500 || !strings.HasPrefix(h.Get("Content-Type"), "text/html")): // a page, the QR page outside WeChat among them
				t.Errorf("login with %s=%.40q: %d %q %.200s", param, v, status, h.Get("Content-Type"), body)
			}
		}
	}
	if n := s.identities(); n != 1 {
		t.Errorf("%d identities, want alice's alone", n)
	}
	for line := range strings.Lines(s.process.output()) {
		if len(line) > 4<<10 {
			t.Errorf("a request made wxlogin log a line of %d bytes: %.200s…", len(line), line)
		}
	}
}

// TestAttackNULByte: a NUL byte, which no statement can carry, or bytes
// that are not UTF-8, which would be stored altered, in an identifier,
// state, nonce, code or credential of a hosted-login, OpenID Connect, token
// or sandbox request, or in an admin API cursor or free-text filter, get a
// 4xx, never a 5xx that blames a dependency, on either database.
func TestAttackNULByte(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testNULByte(t, newStack(t, b)) })
	}
}

func testNULByte(t *testing.T, s *stack) {
	for _, u := range []string{
		"/t/" + tenantID + "/wechat/" + appA + "/login?redirect_uri=" + url.QueryEscape(redirectURI) + "&state=%00",
		"/t/" + tenantID + "/wechat/wx%00/login?redirect_uri=" + url.QueryEscape(redirectURI),
		"/t/" + tenantID + "/wechat/" + appA + "/login?redirect_uri=" + url.QueryEscape(redirectURI+"\x00"),
		"/t/" + tenantID + "/wechat/" + appA + "/callback?code=abc&state=%00",
		"/t/" + tenantID + "/oauth/authorize?client_id=wx%00&redirect_uri=" + url.QueryEscape(redirectURI),
		"/t/ac%00me/.well-known/jwks.json",
		"/t/ac%00me/.well-known/openid-configuration",
		"/t/ac%00me/oauth/userinfo",
		"/sandbox/wechat/" + tenantID + "/connect/oauth2/authorize?appid=wx%00&redirect_uri=x&response_type=code&scope=snsapi_base",
		"/sandbox/wechat/ac%00me/connect/oauth2/authorize?appid=" + appSandbox,
		// and bytes that are not UTF-8, which would be stored altered
		"/t/" + tenantID + "/wechat/" + appA + "/login?redirect_uri=" + url.QueryEscape(redirectURI) + "&state=%FF%FE",
		"/t/" + tenantID + "/wechat/" + appA + "/callback?code=abc&state=%FF%FE",
		"/t/" + tenantID + "/wechat/" + appA + "/callback?code=%FF%FE&state=s",
		"/t/" + tenantID + "/oauth/authorize?client_id=" + appA + "&response_type=code&scope=openid&redirect_uri=" + url.QueryEscape(redirectURI) + "&state=%FF%FE",
		"/t/" + tenantID + "/oauth/authorize?client_id=" + appA + "&response_type=code&scope=openid&redirect_uri=" + url.QueryEscape(redirectURI) + "&state=s&nonce=%FF%FE",
	} {
		if status, _, body := getAs(t, s.public+u, browser.WeChatUserAgent); status < 400 || status >= 500 {
			t.Errorf("GET %s: %d, want a 4xx:\n%.300s", u, status, body)
		}
	}
	for _, form := range []url.Values{
		{"grant_type": {"authorization_code"}, "code": {"abc"}, "redirect_uri": {redirectURI}, "client_id": {"wx\x00"}, "code_verifier": {strings.Repeat("v", 43)}},
		{"grant_type": {"refresh_token"}, "refresh_token": {"rt"}, "client_id": {appA}, "client_secret": {"\x00"}},
	} {
		if status, body := s.redeem(form, "", ""); status != http.StatusBadRequest || !strings.Contains(string(body), `"invalid_request"`) {
			t.Errorf("token request %v: %d %s, want invalid_request", form, status, body)
		}
	}

	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	admin := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "admin", "-role", "admin"))
	base := "/v1/tenants/" + tenantID
	lists := map[string]string{
		"/v1/tenants": operator, base + "/api-keys": operator, base + "/console-bindings": admin, base + "/accounts": admin,
		base + "/accounts/" + appA + "/client-secrets": admin, base + "/identities": admin, base + "/audit-events": admin,
		base + "/reports/persons": admin,
	}
	for path, key := range lists {
		for _, raw := range []string{"\x00", "a\x00b", "\xff\xfe"} {
			u := path + "?" + url.Values{"cursor": {base64.RawURLEncoding.EncodeToString([]byte(raw))}}.Encode()
			if res := s.admin(key, http.MethodGet, u, nil); res.status != http.StatusBadRequest || res.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("GET %s with a cursor of %q: %d %.200s, want a 400 problem", path, raw, res.status, res.body)
			}
		}
	}
	for _, v := range []string{"\x00", "a\x00b", "\xff\xfe"} {
		u := base + "/audit-events?" + url.Values{"target": {v}}.Encode()
		if res := s.admin(admin, http.MethodGet, u, nil); res.status != http.StatusUnprocessableEntity || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("audit events with target=%q: %d %.200s, want a 422 problem", v, res.status, res.body)
		}
	}
}
