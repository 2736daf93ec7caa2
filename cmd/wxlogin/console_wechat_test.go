package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/api"
	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/browser"
)

// wechatSignIn signs br in to the console with WeChat as user, through the
// sandbox's chooser and consent pages (answering decision), and returns the
// page it ends at: wxlogin's answer at the sign-in's callback, unless br
// stops before.
func (s *stack) wechatSignIn(ctx context.Context, br *browser.Browser, user, decision string) browser.Page {
	s.t.Helper()
	p, err := br.Get(ctx, s.public+"/console/")
	if err == nil {
		p, err = br.Submit(ctx, p, "via", "wechat", nil)
	}
	for step := 0; err == nil && p.URL.Path != api.ConsoleWeChatCallbackPath && step < 3; step++ {
		switch body := string(p.Body); {
		case strings.Contains(body, `name="decision"`):
			p, err = br.Submit(ctx, p, "decision", decision, nil)
		case strings.Contains(body, `name="user"`):
			p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {user}})
		default:
			s.t.Fatalf("WeChat sign-in stuck at %s (%d):\n%s", p.URL, p.Status, body)
		}
	}
	if err != nil {
		s.t.Fatalf("WeChat sign-in as %s: %v", user, err)
	}
	if p.URL.Path != api.ConsoleWeChatCallbackPath {
		s.t.Fatalf("WeChat sign-in as %s never came back; at %s (%d)", user, p.URL, p.Status)
	}
	return p
}

// signedIn is the console client of a browser's session cookie.
func (s *stack) signedIn(br *browser.Browser) *consoleClient {
	s.t.Helper()
	u, _ := url.Parse(s.public + "/")
	ck := br.Cookie(u, "wxlogin-console")
	if ck == nil {
		s.t.Fatal("no console session cookie")
	}
	return &consoleClient{s: s, cookie: ck}
}

var (
	personInPage = regexp.MustCompile(`id="person-(unionid|openid)">([^<]+)<`)
	csrfInForm   = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)
)

// TestConsoleWeChatSignIn covers the console's sign-in with WeChat over
// HTTP, with tenant acme's sandbox account as the platform's: an unbound
// person is refused and told their ids; bound to two tenants, they choose
// one, act there with its role alone (audited as their binding) and may
// switch; revoking a binding ends its sessions; a refusal in WeChat, a
// sign-in started elsewhere, a replayed return and a choice that is not the
// person's are refused.
func TestConsoleWeChatSignIn(t *testing.T) {
	s := newStack(t, backends[0], "WXLOGIN_CONSOLE_WECHAT_TENANT="+tenantID, "WXLOGIN_CONSOLE_WECHAT_APPID="+appSandbox,
		"WXLOGIN_ACCOUNT_CACHE_TTL=0s")
	ctx := context.Background()
	k := s.twoTenants()
	callback := s.public + api.ConsoleWeChatCallbackPath
	accountPath := "/v1/tenants/" + tenantID + "/accounts/" + appSandbox
	if res := s.admin(k.adminA, http.MethodPatch, accountPath, map[string]any{"redirect_uris": []string{redirectURI, callback}}); res.status != http.StatusOK {
		t.Fatalf("allowlist the console's callback: %d %s", res.status, res.body)
	}

	// Unbound, quinn is refused and told the ids to hand to an admin.
	br := browser.New(http.DefaultTransport, nil)
	p := s.wechatSignIn(ctx, br, "quinn", "allow")
	ids := map[string]string{}
	for _, m := range personInPage.FindAllSubmatch(p.Body, -1) {
		ids[string(m[1])] = string(m[2])
	}
	u, _ := url.Parse(s.public + "/")
	if p.Status != http.StatusForbidden || !strings.Contains(string(p.Body), `id="signin-error"`) || ids["unionid"] == "" || ids["openid"] == "" {
		t.Fatalf("an unbound person's sign-in: %d %v\n%s", p.Status, ids, p.Body)
	}
	if br.Cookie(u, "wxlogin-console") != nil {
		t.Fatal("an unbound person got a session")
	}

	// Bound in acme by unionid as admin and in beta by openid as viewer.
	bind := func(key, tenant string, body map[string]string) gen.ConsoleBinding {
		return decode[gen.ConsoleBinding](t, s.admin(key, http.MethodPost, "/v1/tenants/"+tenant+"/console-bindings", body), http.StatusCreated)
	}
	inA := bind(k.adminA, tenantID, map[string]string{"name": "Quinn", "role": "admin", "unionid": ids["unionid"]})
	inB := bind(k.operator, "beta", map[string]string{"name": "Quinn in beta", "role": "viewer", "openid": ids["openid"]})
	someoneElse := bind(k.adminA, tenantID, map[string]string{"name": "Somebody", "role": "admin", "unionid": "o-somebody-else"})
	if res := s.admin(k.adminA, http.MethodPost, "/v1/tenants/"+tenantID+"/console-bindings", map[string]string{"name": "Again", "role": "viewer", "unionid": ids["unionid"]}); res.status != http.StatusConflict {
		t.Errorf("binding a person twice: %d %s, want 409", res.status, res.body)
	}
	if res := s.admin(k.viewerA, http.MethodPost, "/v1/tenants/"+tenantID+"/console-bindings", map[string]string{"name": "x", "role": "admin", "unionid": "o-x"}); res.status != http.StatusForbidden {
		t.Errorf("a viewer binding a person: %d, want 403", res.status)
	}

	p = s.wechatSignIn(ctx, br, "quinn", "allow")
	if p.Status != http.StatusOK || !strings.Contains(string(p.Body), `url=/console/choose`) {
		t.Fatalf("a person of two tenants signs in: %d\n%s", p.Status, p.Body)
	}
	quinn := s.signedIn(br)
	keysOf := func(tenant string) string { return "/v1/tenants/" + tenant + "/api-keys" }
	if status, _ := quinn.do(http.MethodGet, keysOf(tenantID), "", nil); status != http.StatusUnauthorized {
		t.Errorf("the API before a tenant is chosen: %d, want 401", status)
	}
	if status, _ := quinn.do(http.MethodGet, "/console/accounts", "", nil); status != http.StatusFound {
		t.Errorf("a console page before a tenant is chosen: %d, want a redirect to the chooser", status)
	}
	status, page := quinn.do(http.MethodGet, "/console/choose", "", nil)
	m := csrfInForm.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil || !strings.Contains(page, `data-tenant="beta"`) || !strings.Contains(page, `data-tenant="`+tenantID+`"`) {
		t.Fatalf("the chooser: %d\n%s", status, page)
	}
	quinn.csrf = m[1]
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	choose := func(bindingID, csrf string) int {
		status, _ := quinn.do(http.MethodPost, "/console/choose", url.Values{"binding": {bindingID}, "csrf": {csrf}}.Encode(), form)
		return status
	}
	if status := choose(inB.ID, ""); status != http.StatusForbidden {
		t.Errorf("a choice without the CSRF token: %d, want 403", status)
	}
	if status := choose(someoneElse.ID, quinn.csrf); status != http.StatusForbidden {
		t.Errorf("choosing another person's binding: %d, want 403", status)
	}

	change := map[string]string{"X-CSRF-Token": quinn.csrf, "Origin": s.public, "Sec-Fetch-Site": "same-origin"}
	newKey := `{"name":"made by a WeChat admin","role":"viewer"}`
	for _, tc := range []struct {
		name, choice, method, path string
		want                       int
	}{
		{"beta's viewer reads beta", inB.ID, http.MethodGet, keysOf("beta"), http.StatusOK},
		{"beta's viewer changes nothing", inB.ID, http.MethodPost, keysOf("beta"), http.StatusForbidden},
		{"beta's viewer sees nothing of acme", inB.ID, http.MethodGet, keysOf(tenantID), http.StatusForbidden},
		{"acme's admin changes acme", inA.ID, http.MethodPost, keysOf(tenantID), http.StatusCreated},
		{"acme's admin sees nothing of beta", inA.ID, http.MethodGet, keysOf("beta"), http.StatusForbidden},
	} {
		if status := choose(tc.choice, quinn.csrf); status != http.StatusSeeOther {
			t.Fatalf("%s: choosing: %d, want 303", tc.name, status)
		}
		body := ""
		if tc.method == http.MethodPost {
			body = newKey
		}
		if status, out := quinn.do(tc.method, tc.path, body, change); status != tc.want {
			t.Errorf("%s: %d, want %d\n%s", tc.name, status, tc.want, out)
		}
	}
	// The binding's Idempotency-Keys are its own, as a key's are.
	idem := map[string]string{"Idempotency-Key": "bind-once"}
	for k, v := range change {
		idem[k] = v
	}
	bindOnce := `{"name":"Bound by Quinn","role":"viewer","openid":"o-bound-by-quinn"}`
	first, firstBody := quinn.do(http.MethodPost, "/v1/tenants/"+tenantID+"/console-bindings", bindOnce, idem)
	again, againBody := quinn.do(http.MethodPost, "/v1/tenants/"+tenantID+"/console-bindings", bindOnce, idem)
	if first != http.StatusCreated || again != http.StatusCreated || firstBody != againBody {
		t.Errorf("a WeChat admin's retried write: %d %s, then %d %s; want the first answer twice", first, firstBody, again, againBody)
	}
	if status, page := quinn.do(http.MethodGet, "/console/accounts", "", nil); status != http.StatusOK ||
		!strings.Contains(page, `id="who">Quinn<`) || !strings.Contains(page, `id="switch-tenant"`) {
		t.Errorf("the console page of a WeChat admin: %d\n%s", status, page)
	}
	events := decode[gen.AuditEventList](t, s.admin(k.adminA, http.MethodGet, "/v1/tenants/"+tenantID+"/audit-events?action=api_key.create&actor_binding_id="+inA.ID, nil), http.StatusOK)
	if len(events.Items) != 1 || events.Items[0].ActorKeyID != nil || *events.Items[0].ActorBindingID != inA.ID {
		raw, _ := json.Marshal(events.Items)
		t.Errorf("the WeChat admin's change is not audited as their binding's: %s", raw)
	}

	// Revoking the binding ends the session acting as it.
	if res := s.admin(k.adminA, http.MethodDelete, "/v1/tenants/"+tenantID+"/console-bindings/"+inA.ID, nil); res.status != http.StatusNoContent {
		t.Fatalf("revoke the binding: %d %s", res.status, res.body)
	}
	if status, _ := quinn.do(http.MethodGet, keysOf(tenantID), "", nil); status != http.StatusUnauthorized {
		t.Errorf("the API after the binding was revoked: %d, want 401", status)
	}
	if status, page := quinn.do(http.MethodGet, "/console/accounts", "", nil); status != http.StatusUnauthorized || !strings.Contains(page, `id="wechat-signin"`) {
		t.Errorf("a console page after the binding was revoked: %d, want 401 and the sign-in page", status)
	}

	// Bound to beta alone, quinn goes straight in. The way back from WeChat
	// works once, in the browser that started the sign-in: another browser
	// (one that started a sign-in of its own, say) is refused before the
	// code is used.
	stopAtBack := func() *browser.Browser {
		return browser.New(http.DefaultTransport, func(u *url.URL) bool { return u.Path == api.ConsoleWeChatCallbackPath })
	}
	mine, other := stopAtBack(), stopAtBack()
	back := s.wechatSignIn(ctx, mine, "quinn", "allow").URL.String()
	s.wechatSignIn(ctx, other, "quinn", "allow")
	if p, err := other.Get(ctx, back); err != nil || p.Status != http.StatusBadRequest {
		t.Errorf("the way back in another browser: %v %d, want 400", err, p.Status)
	}
	if p, err := mine.Get(ctx, back); err != nil || p.Status != http.StatusOK || !strings.Contains(string(p.Body), `url=/console/accounts`) {
		t.Errorf("a person of one tenant signs in: %v %d\n%s", err, p.Status, p.Body)
	}
	if p, err := mine.Get(ctx, back); err != nil || p.Status != http.StatusBadRequest {
		t.Errorf("the same way back again: %v %d, want 400", err, p.Status)
	}

	// Refused in WeChat; returned to another browser; started from
	// another site.
	if p := s.wechatSignIn(ctx, browser.New(http.DefaultTransport, nil), "rita", "deny"); p.Status != http.StatusForbidden || !strings.Contains(string(p.Body), `id="signin-error"`) {
		t.Errorf("a sign-in refused in WeChat: %d\n%s", p.Status, p.Body)
	}
	if status, _, _ := get(t, back); status != http.StatusBadRequest {
		t.Errorf("a way back to a browser that did not start the sign-in: %d, want 400", status)
	}
	req, _ := http.NewRequest(http.MethodPost, s.public+"/console/wechat", nil)
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a sign-in started from another site: %v %v, want 403", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
}
