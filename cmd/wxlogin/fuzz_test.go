package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/api/spec"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/tenants"
)

// fuzzServer is wxlogin's HTTP handler in this process, on SQLite and the
// local secret store, with tenant acme, its live account A (WeChat
// emulated over HTTP), a client secret of A, an operator and an admin key,
// and one login started: every secret it knows is in secrets.
type fuzzServer struct {
	h               http.Handler
	operator, admin string
	state           string // the transaction wxlogin sent to WeChat
	clientSecret    string
	secrets         []string
	publicURL       string
}

func newFuzzServer(t testing.TB) *fuzzServer {
	t.Helper()
	ctx := context.Background()
	sim := httptest.NewServer(wechatsim.New(wechatsim.Config{}).Handler(wechatsim.StaticRegistry{
		appA: {AppID: appA, Secret: secretA, OpenPlatformID: openPlatform, Domains: []string{"wxlogin.test"}},
	}))
	t.Cleanup(sim.Close)
	env := map[string]string{
		"WXLOGIN_DATA_DIR": t.TempDir(), "WXLOGIN_PUBLIC_URL": "http://wxlogin.test",
		"WXLOGIN_WECHAT_API_URL": sim.URL, "WXLOGIN_WECHAT_OPEN_URL": sim.URL,
		"WXLOGIN_API_RATE": "1e9", "WXLOGIN_API_BURST": "1000000000", "WXLOGIN_LOG_LEVEL": "error",
		"WXLOGIN_LOGIN_RATE": "1e9", "WXLOGIN_LOGIN_BURST": "1000000000", "WXLOGIN_TOKEN_RATE": "1e9", "WXLOGIN_TOKEN_BURST": "1000000000",
	}
	a, err := openApp(ctx, &environment{stderr: io.Discard, lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.db.MigrateUp(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := a.tenants.CreateTenant(ctx, tenants.Tenant{ID: tenantID, Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.tenants.CreateAccount(ctx, tenants.Account{TenantID: tenantID, AppID: appA, Name: "A", Mode: tenants.ModeLive,
		DefaultScope: tenants.ScopeBase, RedirectURIs: []string{redirectURI}, OpenPlatformID: openPlatform}, secretA); err != nil {
		t.Fatal(err)
	}
	f := &fuzzServer{publicURL: env["WXLOGIN_PUBLIC_URL"]}
	if _, f.operator, err = a.tenants.CreateAPIKey(ctx, "", "operator", tenants.RoleOperator, nil); err != nil {
		t.Fatal(err)
	}
	if _, f.admin, err = a.tenants.CreateAPIKey(ctx, tenantID, "admin", tenants.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	if _, f.clientSecret, err = a.tenants.CreateClientSecret(ctx, tenantID, appA); err != nil {
		t.Fatal(err)
	}
	if f.h, err = a.handler(nil, http.NotFoundHandler()); err != nil {
		t.Fatal(err)
	}
	f.secrets = []string{secretA, f.operator, f.admin, f.clientSecret}
	to, err := a.login.Start(ctx, login.StartRequest{TenantID: tenantID, AppID: appA, RedirectURI: redirectURI, State: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	f.state = u.Query().Get("state")
	return f
}

// do serves req and checks what every answer must hold: no 500, and no
// secret wxlogin holds in the answer.
func (f *fuzzServer) do(t *testing.T, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	var head bytes.Buffer
	_ = rec.Header().Write(&head)
	for _, s := range f.secrets {
		if strings.Contains(rec.Body.String(), s) || strings.Contains(head.String(), s) {
			t.Fatalf("%s %s: the answer holds a secret:\n%s\n%s", req.Method, req.URL, head.String(), rec.Body)
		}
	}
	return rec
}

// FuzzCallbackQuery sends WeChat's callback any query; STATE in it stands
// for a real open login's state. The person gets a page or, only for a
// refusal, a redirect to the registered redirect_uri; never a 5xx.
func FuzzCallbackQuery(f *testing.F) {
	for _, q := range []string{
		"code=abc&state=STATE", "state=STATE", "code=&state=STATE", "code=abc&state=STATE&state=other",
		"code=abc&state=STATE&attempt=-9223372036854775808", "code=abc&state=STATE&attempt=99999999999999999999",
		"code=%00&state=STATE", "code=abc%27%20OR%201%3D1--&state=STATE%27", "code=abc&state=" + strings.Repeat("S", 5000),
		"code=abc;state=STATE", "%zz", "state=STATE&code=" + strings.Repeat("c", 70000), "",
	} {
		f.Add(q)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/t/"+tenantID+"/wechat/"+appA+"/callback", nil)
		req.URL.RawQuery = strings.ReplaceAll(query, "STATE", s.state)
		rec := s.do(t, req)
		switch loc := rec.Header().Get("Location"); {
		case rec.Code == http.StatusFound && !strings.HasPrefix(loc, redirectURI+"?"):
			t.Fatalf("redirected to %q", loc)
		case rec.Code != http.StatusFound && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html"):
			t.Fatalf("%d with Content-Type %q, want a page", rec.Code, rec.Header().Get("Content-Type"))
		case !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'"):
			t.Fatalf("no CSP: %v", rec.Header())
		}
	})
}

// oauthErrors are the token endpoint's error codes (RFC 6749 §5.2).
var oauthErrors = map[string]bool{"invalid_request": true, "invalid_client": true, "invalid_grant": true,
	"unauthorized_client": true, "unsupported_grant_type": true, "invalid_scope": true}

// FuzzTokenRequest posts any body, of any content type and with any Basic
// credentials, to the token endpoint: the answer is an RFC 6749 error in
// JSON (the codes it redeems are random, 32 bytes), never a token and
// never a 5xx. CLIENT_SECRET stands for A's real client secret.
func FuzzTokenRequest(f *testing.F) {
	forms := []url.Values{
		{"grant_type": {"authorization_code"}, "code": {"abc"}, "redirect_uri": {redirectURI}, "client_id": {appA}, "code_verifier": {strings.Repeat("v", 43)}},
		{"grant_type": {"authorization_code"}, "code": {"abc"}, "redirect_uri": {redirectURI}, "client_id": {appA}, "client_secret": {"CLIENT_SECRET"}},
		{"grant_type": {"refresh_token"}, "refresh_token": {"rt"}, "client_id": {appA}, "client_secret": {"CLIENT_SECRET"}},
		{"grant_type": {"refresh_token"}, "refresh_token": {"rt' OR '1'='1"}, "client_id": {appA}},
		{"grant_type": {"authorization_code", "refresh_token"}, "code": {"a", "b"}},
		{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}},
		{"grant_type": {"authorization_code"}, "code": {strings.Repeat("x", 100000)}},
	}
	for _, form := range forms {
		f.Add(form.Encode(), "application/x-www-form-urlencoded", "", "")
	}
	f.Add("code=abc&grant_type=authorization_code", "application/x-www-form-urlencoded", appA, "CLIENT_SECRET")
	f.Add(`{"grant_type":"authorization_code"}`, "application/json", "", "")
	f.Add("grant_type=%zz", "application/x-www-form-urlencoded; charset=utf-8", appA+":x", "")
	f.Add("grant_type=client_credentials", "multipart/form-data; boundary=x", "", "")
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body, contentType, user, pass string) {
		body = strings.ReplaceAll(body, "CLIENT_SECRET", url.QueryEscape(s.clientSecret))
		req := httptest.NewRequest(http.MethodPost, "/t/"+tenantID+"/oauth/token", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if user != "" || pass != "" {
			req.SetBasicAuth(user, strings.ReplaceAll(pass, "CLIENT_SECRET", s.clientSecret))
		}
		rec := s.do(t, req)
		var e struct {
			Error string `json:"error"`
		}
		if rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnauthorized {
			t.Fatalf("%d %s, want 400 or 401", rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !oauthErrors[e.Error] {
			t.Fatalf("%d %s: not an RFC 6749 error (%v)", rec.Code, rec.Body, err)
		}
	})
}

// FuzzAdminBody sends any JSON body to any admin operation that takes one,
// as the operator or as tenant acme's admin, through authentication, the
// openapi.yaml validator and the handler's strict decoding: the answer
// matches openapi.yaml (errors are problem+json), never a 5xx, never a
// secret.
func FuzzAdminBody(f *testing.F) {
	for i, b := range []string{
		`{"appid":"wx00000000000000aa","name":"New","mode":"sandbox","default_scope":"snsapi_base","redirect_uris":["https://shop.example/cb"]}`,
		`{"name":"Robert'); DROP TABLE accounts;--"}`, `{"app_secret":"x' OR 1=1 --"}`, `{"id":"beta","name":"Beta"}`,
		`{"name":"k","role":"viewer","expires_at":"2999-01-01T00:00:00Z"}`, `{"name":"` + strings.Repeat("名", 70000) + `"}`,
		`{"redirect_uris":["javascript:alert(1)"]}`, `{"name":"a","name":"b"}`, `[]`, `null`, `{"name":"\u0000"}`, `{`, ``,
	} {
		f.Add(uint8(i), b)
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		var ops []spec.Operation
		for _, o := range apiSpec(t).Operations() {
			if strings.HasPrefix(o.Path, "/v1/") && (o.Method == http.MethodPost || o.Method == http.MethodPut || o.Method == http.MethodPatch) {
				ops = append(ops, o)
			}
		}
		o := ops[int(op)%len(ops)]
		key := s.admin
		if !strings.HasPrefix(o.Path, "/v1/tenants/{tenant}") || strings.Contains(o.Path, "api-keys") {
			key = s.operator
		}
		path := strings.NewReplacer("{tenant}", tenantID, "{appid}", appA, "{key_id}", opaque.Hex(16), "{secret_id}", opaque.Hex(16),
			"{identity_id}", opaque.Hex(16), "{unionid}", "o"+opaque.Hex(13), "{kid}", opaque.Hex(8)).Replace(o.Path)
		req := httptest.NewRequest(o.Method, s.publicURL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		rec := s.do(t, req)
		resp := rec.Result()
		resp.Request = req
		if err := apiSpec(t).ValidateResponse(resp); err != nil {
			t.Fatalf("%s %s: %d %s breaks openapi.yaml: %v", o.Method, path, rec.Code, rec.Body, err)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s %s: %d with Content-Type %q", o.Method, path, rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
