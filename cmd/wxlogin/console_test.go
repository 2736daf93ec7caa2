package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/testenv"
)

// consoleClient is a browser of the console: it keeps the session cookie
// and follows no redirects, so each answer can be read.
type consoleClient struct {
	s      *stack
	cookie *http.Cookie
	csrf   string
}

// signIn posts key to the console's sign-in form from origin and returns
// the answer's status; on success the client keeps the session cookie and
// the page's CSRF token.
func (s *stack) consoleSignIn(key, origin string) (*consoleClient, int) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.public+"/console/signin", strings.NewReader(url.Values{"key": {key}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	resp, err := noRedirect.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	c := &consoleClient{s: s}
	for _, ck := range resp.Cookies() {
		if ck.Name == "wxlogin-console" {
			c.cookie = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther {
		return c, resp.StatusCode
	}
	if c.cookie == nil || !c.cookie.HttpOnly || c.cookie.SameSite != http.SameSiteStrictMode || c.cookie.Path != "/" {
		s.t.Fatalf("session cookie %+v, want HttpOnly, SameSite=Strict, Path=/", c.cookie)
	}
	if strings.Contains(c.cookie.Value, key) {
		s.t.Fatal("the session cookie carries the API key")
	}
	status, page := c.do(http.MethodGet, "/console/accounts", "", nil)
	m := csrfInPage.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		s.t.Fatalf("console page after sign-in: %d\n%s", status, page)
	}
	c.csrf = m[1]
	return c, resp.StatusCode
}

var (
	noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrfInPage = regexp.MustCompile(`data-csrf="([0-9a-f]{64})"`)
)

// do sends a request with the session cookie and the given headers.
func (c *consoleClient) do(method, path, body string, header map[string]string) (int, string) {
	c.s.t.Helper()
	req, _ := http.NewRequest(method, c.s.public+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	return resp.StatusCode, b.String()
}

// TestConsoleSession covers the console's sign-in, session and CSRF rules
// over HTTP: a session acts as its API key on /v1 (role and tenant
// included), changes need the session's CSRF token and wxlogin's origin,
// operator and bad keys do not sign in, and signing out or revoking the
// key ends the session.
func TestConsoleSession(t *testing.T) {
	s := newStack(t, backends[0])
	k := s.twoTenants()
	operator, adminID, adminA, viewerA, adminB := k.operator, k.adminIDA, k.adminA, k.viewerA, k.adminB
	origin := s.public

	for _, tc := range []struct {
		name, key, origin string
		want              int
	}{
		{"an unknown key", "wxk_nobody", origin, http.StatusUnauthorized},
		{"the operator key", operator, origin, http.StatusForbidden},
		{"a form posted from another site", adminA, "https://evil.example", http.StatusForbidden},
	} {
		if _, status := s.consoleSignIn(tc.key, tc.origin); status != tc.want {
			t.Errorf("sign-in with %s: %d, want %d", tc.name, status, tc.want)
		}
	}

	admin, _ := s.consoleSignIn(adminA, origin)
	viewer, _ := s.consoleSignIn(viewerA, origin)
	other, _ := s.consoleSignIn(adminB, origin)
	keys := "/v1/tenants/" + tenantID + "/api-keys"
	newKey := `{"name":"made in the console","role":"viewer"}`
	for _, tc := range []struct {
		name         string
		c            *consoleClient
		method, path string
		header       map[string]string
		want         int
	}{
		{"admin reads", admin, http.MethodGet, keys, nil, http.StatusOK},
		{"viewer reads", viewer, http.MethodGet, keys, nil, http.StatusOK},
		{"admin of another tenant reads", other, http.MethodGet, keys, nil, http.StatusForbidden},
		{"admin changes without the CSRF token", admin, http.MethodPost, keys, nil, http.StatusForbidden},
		{"admin changes with another session's token", admin, http.MethodPost, keys, map[string]string{"X-CSRF-Token": viewer.csrf}, http.StatusForbidden},
		{"admin changes from another origin", admin, http.MethodPost, keys, map[string]string{"X-CSRF-Token": admin.csrf, "Origin": "https://evil.example"}, http.StatusForbidden},
		{"admin changes from another site", admin, http.MethodPost, keys, map[string]string{"X-CSRF-Token": admin.csrf, "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"viewer changes with its token", viewer, http.MethodPost, keys, map[string]string{"X-CSRF-Token": viewer.csrf}, http.StatusForbidden},
		{"admin of another tenant changes with its token", other, http.MethodPost, keys, map[string]string{"X-CSRF-Token": other.csrf}, http.StatusForbidden},
		{"admin changes with its token from the console", admin, http.MethodPost, keys, map[string]string{"X-CSRF-Token": admin.csrf, "Origin": origin, "Sec-Fetch-Site": "same-origin"}, http.StatusCreated},
		{"no session", &consoleClient{s: s}, http.MethodGet, keys, nil, http.StatusUnauthorized},
	} {
		body := ""
		if tc.method == http.MethodPost {
			body = newKey
		}
		if status, out := tc.c.do(tc.method, tc.path, body, tc.header); status != tc.want {
			t.Errorf("%s: %d, want %d\n%s", tc.name, status, tc.want, out)
		}
	}

	// The audit log names the session's API key as the actor.
	res := s.admin(adminA, http.MethodGet, "/v1/tenants/"+tenantID+"/audit-events?action=api_key.create", nil)
	if !strings.Contains(string(res.body), `"actor_key_id":"`+adminID+`"`) {
		t.Errorf("the console's change is not audited as its key's: %s", res.body)
	}

	// Signing out needs the token too, then ends the session.
	if status, _ := admin.do(http.MethodPost, "/console/signout", "", nil); status != http.StatusForbidden {
		t.Errorf("sign-out without the CSRF token: %d, want 403", status)
	}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	if status, _ := admin.do(http.MethodPost, "/console/signout", "csrf="+admin.csrf, form); status != http.StatusSeeOther {
		t.Errorf("sign-out: %d, want 303", status)
	}
	if status, _ := admin.do(http.MethodGet, keys, "", nil); status != http.StatusUnauthorized {
		t.Errorf("after sign-out: %d, want 401", status)
	}

	// Revoking the key ends its sessions.
	again, _ := s.consoleSignIn(adminA, origin)
	if res := s.admin(operator, http.MethodDelete, "/v1/tenants/"+tenantID+"/api-keys/"+adminID, nil); res.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	if status, _ := again.do(http.MethodGet, keys, "", nil); status != http.StatusUnauthorized {
		t.Errorf("after the key was revoked: %d, want 401", status)
	}
	if status, page := again.do(http.MethodGet, "/console/accounts", "", nil); status != http.StatusUnauthorized || !strings.Contains(page, `id="key"`) {
		t.Errorf("console page after the key was revoked: %d, want 401 and the sign-in form", status)
	}
}

// TestConsoleHeaders: every console page forbids framing and inline
// scripts, and is not cached.
func TestConsoleHeaders(t *testing.T) {
	s := newStack(t, backends[0])
	for _, path := range []string{"/console/", "/console/accounts", "/console/nothing"} {
		resp, err := http.Get(s.public + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: CSP %q, Cache-Control %q", path, csp, resp.Header.Get("Cache-Control"))
		}
	}
}

// TestConsole runs e2e/browser/console.spec.js in headless Chromium
// against `wxlogin demo` with two more tenants: acme, with an admin and a
// viewer key, and beta, with an admin key; people sign in with WeChat
// through the demo tenant's hosted login, the demo's default. Screenshots
// of each page land in out/console/. Without Chromium, Node or the installed Node modules it
// skips, except under CI=true, where it fails.
func TestConsole(t *testing.T) {
	node := testenv.Node(t, browserTestDir)
	chromium := testenv.Browser(t)
	s := startDemo(t)
	for _, id := range []string{"acme", "beta"} {
		s.run("", "tenant", "create", "-id", id, "-name", id)
	}
	key := func(tenant, role string) string {
		return strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenant, "-name", role+" of "+tenant, "-role", role))
	}
	env := []string{"WXLOGIN_CHROMIUM=" + chromium, "WXLOGIN_TENANT=acme", "WXLOGIN_ADMIN_KEY=" + key("acme", "admin"),
		"WXLOGIN_VIEWER_KEY=" + key("acme", "viewer"), "WXLOGIN_OTHER_ADMIN_KEY=" + key("beta", "admin")}
	runBrowserSpecs(t, s, node, "console", env, []string{"console-01-signin", "console-03-account-created", "console-05-try-claims",
		"console-06-identities", "console-07-persons", "console-08-reports", "console-10-api-keys", "console-11-signing-keys",
		"console-12-audit-events", "console-14-viewer-account", "console-15-other-tenant", "console-06b-identities-nickname",
		"console-17-wechat-unbound", "console-18-wechat-members", "console-19-wechat-admin", "console-20-settings-time-zone",
		"console-21-dates-los-angeles", "console-22-wechat-viewer", "console-23-choose-tenant"}, "console.spec.js")
}
