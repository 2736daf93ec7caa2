package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/api/gen/client"
	"github.com/wxlogin/wxlogin/api/spec"
	"github.com/wxlogin/wxlogin/internal/opaque"
)

// adminCall is one request to the admin API and its answer.
type adminCall struct {
	status int
	header http.Header
	body   []byte
}

// admin sends method path with body (JSON unless a string) as key.
func (s *stack) admin(key, method, path string, body any) adminCall {
	s.t.Helper()
	return s.adminWith(key, method, path, body, nil)
}

// adminWith is admin with further request headers.
func (s *stack) adminWith(key, method, path string, body any, header http.Header) adminCall {
	s.t.Helper()
	res, err := s.tryAdmin(key, method, path, body, header)
	if err != nil {
		s.t.Fatal(err)
	}
	return res
}

// tryAdmin is adminWith for goroutines other than the test's: it returns
// the error of a request that got no answer instead of ending the test.
// Every answer is checked against openapi.yaml.
func (s *stack) tryAdmin(key, method, path string, body any, header http.Header) (adminCall, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.public+path, r)
	if err != nil {
		return adminCall{}, err
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for name, values := range header {
		req.Header[name] = values
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return adminCall{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if err := apiSpec(s.t).ValidateResponse(resp); err != nil {
		s.t.Errorf("%s %s: the answer breaks openapi.yaml: %v", method, path, err)
	}
	b, err := io.ReadAll(resp.Body)
	return adminCall{status: resp.StatusCode, header: resp.Header, body: b}, err
}

// deleteAccount deletes the tenant's account appID as key and waits until
// its rows are purged.
func (s *stack) deleteAccount(key, appID string) gen.AccountDeletion {
	s.t.Helper()
	return s.awaitDeletion(key, s.admin(key, http.MethodDelete, "/v1/tenants/"+tenantID+"/accounts/"+appID, nil))
}

// awaitDeletion follows the Location of an account delete's 202 answer
// res until the deletion finished, and returns it.
func (s *stack) awaitDeletion(key string, res adminCall) gen.AccountDeletion {
	s.t.Helper()
	loc := res.header.Get("Location")
	if res.status != http.StatusAccepted || loc == "" {
		s.t.Fatalf("delete account: %d %s, Location %q; want 202 with a Location", res.status, res.body, loc)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var d gen.AccountDeletion
		got := s.admin(key, http.MethodGet, loc, nil)
		if got.status != http.StatusOK || json.Unmarshal(got.body, &d) != nil {
			s.t.Fatalf("GET %s: %d %s", loc, got.status, got.body)
		}
		if d.FinishedAt != nil {
			return d
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the deletion at %s did not finish in a minute: %+v", loc, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var (
	specOnce sync.Once
	specDoc  *spec.Spec
	specErr  error
)

// apiSpec is openapi.yaml, against which every admin answer is checked.
func apiSpec(t *testing.T) *spec.Spec {
	specOnce.Do(func() { specDoc, specErr = spec.Load() })
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specDoc
}

// keyValue creates an API key for tenant through the API and returns it.
func (s *stack) keyValue(asKey, tenant, role string, expires *time.Time) (id, value string) {
	s.t.Helper()
	body := map[string]any{"name": role + " key", "role": role}
	if expires != nil {
		body["expires_at"] = expires.Format(time.RFC3339)
	}
	res := s.admin(asKey, http.MethodPost, "/v1/tenants/"+tenant+"/api-keys", body)
	var created struct{ ID, Key string }
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &created) != nil || created.Key == "" {
		s.t.Fatalf("create %s key of %s: %d %s", role, tenant, res.status, res.body)
	}
	return created.ID, created.Key
}

// tenantKeys are the keys twoTenants made.
type tenantKeys struct {
	operator, adminIDA, adminA, viewerA, adminB string
}

// twoTenants creates tenant beta beside the stack's tenant A, and keys: the
// operator's, an admin and a viewer of A, and an admin of beta.
func (s *stack) twoTenants() tenantKeys {
	s.t.Helper()
	var k tenantKeys
	k.operator = strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	if res := s.admin(k.operator, http.MethodPost, "/v1/tenants", map[string]string{"id": "beta", "name": "Beta"}); res.status != http.StatusCreated {
		s.t.Fatalf("create tenant beta: %d %s", res.status, res.body)
	}
	k.adminIDA, k.adminA = s.keyValue(k.operator, tenantID, "admin", nil)
	_, k.viewerA = s.keyValue(k.operator, tenantID, "viewer", nil)
	_, k.adminB = s.keyValue(k.operator, "beta", "admin", nil)
	return k
}

// TestAdminAPIAuthorization is the authorization matrix: each endpoint with
// the operator key, an admin and a viewer of tenant A, an admin of tenant B,
// a revoked key, an expired key and no key.
func TestAdminAPIAuthorization(t *testing.T) {
	s := newStack(t, backends[0])
	k := s.twoTenants()
	operator, adminA, viewerA, adminB := k.operator, k.adminA, k.viewerA, k.adminB
	revokedID, revoked := s.keyValue(adminA, tenantID, "admin", nil)
	if res := s.admin(adminA, http.MethodDelete, "/v1/tenants/"+tenantID+"/api-keys/"+revokedID, nil); res.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	expires := time.Now().Add(1500 * time.Millisecond)
	_, expired := s.keyValue(adminA, tenantID, "viewer", &expires)
	time.Sleep(time.Until(expires) + 100*time.Millisecond)

	// Who may call each operation: the operator, an admin or a viewer of the
	// tenant in the path. Every /v1 operation of openapi.yaml must be here.
	const (
		op, adm, view = "operator", "admin", "viewer"
	)
	type rule struct {
		allowed []string
		query   string
		body    any
		// destructive operations are called only with keys they refuse;
		// TestAdminAPIResources calls them for real.
		destructive bool
	}
	rules := map[string]rule{
		"listTenants":               {allowed: []string{op}},
		"createTenant":              {allowed: []string{op}, body: map[string]string{"id": "gamma", "name": "Gamma"}},
		"getTenant":                 {allowed: []string{op, adm, view}},
		"updateTenant":              {allowed: []string{op, adm}, body: map[string]string{"name": "Acme", "time_zone": "Asia/Shanghai"}},
		"disableTenant":             {allowed: []string{op}, destructive: true},
		"listAPIKeys":               {allowed: []string{op, adm, view}},
		"createAPIKey":              {allowed: []string{op, adm}, body: map[string]string{"name": "k", "role": "viewer"}},
		"revokeAPIKey":              {allowed: []string{op, adm}},
		"listConsoleBindings":       {allowed: []string{op, adm, view}},
		"createConsoleBinding":      {allowed: []string{op, adm}, body: map[string]string{"name": "Ming", "role": "viewer", "unionid": "o" + opaque.Hex(13)}},
		"deleteConsoleBinding":      {allowed: []string{op, adm}},
		"listAccounts":              {allowed: []string{adm, view}},
		"createAccount":             {allowed: []string{adm}, body: map[string]any{"appid": "wx00000000000000aa", "name": "New", "mode": "sandbox", "default_scope": "snsapi_base", "redirect_uris": []string{redirectURI}}},
		"getAccount":                {allowed: []string{adm, view}},
		"updateAccount":             {allowed: []string{adm}, body: map[string]any{"name": "Account A"}},
		"deleteAccount":             {allowed: []string{adm}, destructive: true},
		"getAccountDeletion":        {allowed: []string{adm, view}},
		"getAppSecretStatus":        {allowed: []string{adm, view}},
		"putAppSecret":              {allowed: []string{adm}, body: map[string]string{"app_secret": secretA}},
		"listClientSecrets":         {allowed: []string{adm, view}},
		"createClientSecret":        {allowed: []string{adm}},
		"revokeClientSecret":        {allowed: []string{adm}},
		"listIdentities":            {allowed: []string{adm, view}},
		"getIdentity":               {allowed: []string{adm, view}},
		"deleteIdentity":            {allowed: []string{adm}},
		"erasePerson":               {allowed: []string{adm}},
		"listSigningKeys":           {allowed: []string{adm, view}},
		"rotateSigningKey":          {allowed: []string{adm}},
		"retireSigningKey":          {allowed: []string{adm}, destructive: true},
		"listAuditEvents":           {allowed: []string{op, adm, view}},
		"getReportSummary":          {allowed: []string{adm, view}, query: "?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"},
		"getReportOverlap":          {allowed: []string{adm, view}},
		"getAccountsWithoutUnionID": {allowed: []string{adm, view}},
		"listPersons":               {allowed: []string{adm, view}},
		"getPerson":                 {allowed: []string{adm, view}},
		"getReportActivity":         {allowed: []string{adm, view}, query: "?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"},
	}
	params := strings.NewReplacer("{tenant}", tenantID, "{appid}", appA, "{key_id}", opaque.Hex(16), "{secret_id}", opaque.Hex(16),
		"{identity_id}", opaque.Hex(16), "{unionid}", "o"+opaque.Hex(13), "{kid}", opaque.Hex(8), "{binding_id}", opaque.Hex(16), "{deletion_id}", opaque.Hex(16))
	keys := []struct{ name, role, key string }{
		{"operator", op, operator}, {"admin of A", adm, adminA}, {"viewer of A", view, viewerA},
		{"admin of B", "", adminB}, {"revoked", "", revoked}, {"expired", "", expired}, {"no key", "", ""},
	}
	covered := 0
	for _, o := range apiSpec(t).Operations() {
		if !strings.HasPrefix(o.Path, "/v1/") {
			continue
		}
		r, ok := rules[o.ID]
		if !ok {
			t.Errorf("operation %s (%s %s) is missing from the authorization matrix", o.ID, o.Method, o.Path)
			continue
		}
		covered++
		path := params.Replace(o.Path) + r.query
		for _, k := range keys {
			allowed := slices.Contains(r.allowed, k.role)
			if allowed && r.destructive {
				continue
			}
			res := s.admin(k.key, o.Method, path, r.body)
			want := http.StatusForbidden
			if k.name == "revoked" || k.name == "expired" || k.name == "no key" {
				want = http.StatusUnauthorized
			}
			switch {
			case allowed && (res.status == http.StatusUnauthorized || res.status == http.StatusForbidden || res.status >= 500):
				t.Errorf("%s %s as %s: %d %s, want it allowed", o.Method, path, k.name, res.status, res.body)
			case !allowed && res.status != want:
				t.Errorf("%s %s as %s: %d %s, want %d", o.Method, path, k.name, res.status, res.body, want)
			case !allowed && res.header.Get("Content-Type") != "application/problem+json":
				t.Errorf("%s %s as %s: Content-Type %q, want application/problem+json", o.Method, path, k.name, res.header.Get("Content-Type"))
			}
		}
	}
	if covered != len(rules) {
		t.Errorf("the matrix has %d rules but openapi.yaml %d /v1 operations", len(rules), covered)
	}
}

// TestAdminAPIBadInput: each bad request gets problem+json and changes nothing.
func TestAdminAPIBadInput(t *testing.T) {
	s := newStack(t, backends[0])
	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	_, admin := s.keyValue(operator, tenantID, "admin", nil)
	path := "/v1/tenants/" + tenantID + "/accounts"
	good := func() map[string]any {
		return map[string]any{"appid": "wx00000000000000bb", "name": "New", "mode": "sandbox", "default_scope": "snsapi_base", "redirect_uris": []string{redirectURI}}
	}
	with := func(k string, v any) map[string]any { b := good(); b[k] = v; return b }
	count := func() int {
		res := s.admin(admin, http.MethodGet, path+"?limit=200", nil)
		var list struct{ Items []json.RawMessage }
		if err := json.Unmarshal(res.body, &list); err != nil {
			t.Fatalf("list accounts: %d %s", res.status, res.body)
		}
		return len(list.Items)
	}
	before := count()
	cases := []struct {
		name   string
		body   any
		status int
	}{
		{"malformed JSON", `{"appid": "wx00000000000000bb",`, http.StatusBadRequest},
		{"unknown field", with("app_secret", "x"), http.StatusUnprocessableEntity},
		{"wrong type", with("redirect_uris", "https://shop.example/cb"), http.StatusUnprocessableEntity},
		{"oversize body", with("name", strings.Repeat("x", 70<<10)), http.StatusRequestEntityTooLarge},
		{"invalid AppId", with("appid", "wx123"), http.StatusUnprocessableEntity},
		{"duplicate AppId", with("appid", appA), http.StatusConflict},
		{"redirect URI with a fragment", with("redirect_uris", []string{"https://shop.example/cb#x"}), http.StatusUnprocessableEntity},
		{"redirect URI over http", with("redirect_uris", []string{"http://shop.example/cb"}), http.StatusUnprocessableEntity},
		{"javascript redirect URI", with("redirect_uris", []string{"javascript:alert(1)"}), http.StatusUnprocessableEntity},
	}
	for _, c := range cases {
		res := s.admin(admin, http.MethodPost, path, c.body)
		var p struct {
			Type   string `json:"type"`
			Status int    `json:"status"`
		}
		if res.status != c.status || res.header.Get("Content-Type") != "application/problem+json" ||
			json.Unmarshal(res.body, &p) != nil || p.Status != c.status || !strings.HasPrefix(p.Type, "https://wxlogin.dev/problems/") {
			t.Errorf("%s: %d %q %.300s, want %d problem+json", c.name, res.status, res.header.Get("Content-Type"), res.body, c.status)
		}
	}
	if after := count(); after != before {
		t.Errorf("bad requests changed the accounts: %d before, %d after", before, after)
	}
}

// TestAdminAPIAppSecret writes an AppSecret through the API against Vault,
// logs a person in with it, and finds the secret in no database row, log
// line or response body. The account is created with the generated client.
func TestAdminAPIAppSecret(t *testing.T) {
	s := newStack(t, backends[1])
	ctx := context.Background()
	operator := strings.TrimSpace(s.run("", "apikey", "create", "-name", "operator", "-role", "operator"))
	_, admin := s.keyValue(operator, tenantID, "admin", nil)
	const appID, secret = "wxd0000000000000d4", "api-written-secret-7f3a9c"

	c, err := client.NewClient(s.public, client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+admin)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	var bodies [][]byte
	read := func(resp *http.Response, err error, want int) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		bodies = append(bodies, b)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, b, want)
		}
		return b
	}
	resp, err := c.CreateAccount(ctx, tenantID, nil, client.AccountCreate{Appid: appID, Name: "Via API", Mode: "sandbox",
		DefaultScope: "snsapi_userinfo", RedirectUris: []string{redirectURI}, OpenPlatformID: ptr(openPlatform)})
	read(resp, err, http.StatusCreated)
	resp, err = c.GetAccount(ctx, tenantID, appID)
	var got client.Account
	if err := json.Unmarshal(read(resp, err, http.StatusOK), &got); err != nil || got.Appid != appID || got.Secret.Set {
		t.Fatalf("account read back: %+v %v", got, err)
	}
	res := s.admin(admin, http.MethodPut, "/v1/tenants/"+tenantID+"/accounts/"+appID+"/secret", map[string]string{"app_secret": secret})
	bodies = append(bodies, res.body)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"set":true`) {
		t.Fatalf("put secret: %d %s", res.status, res.body)
	}
	claims := s.loginAs(ctx, newBrowser(), appID, "liam", "snsapi_userinfo")
	if claims.AppID != appID || claims.UnionID == "" {
		t.Fatalf("login with the API-written secret: %+v", claims)
	}
	for _, path := range []string{"/v1/tenants/" + tenantID + "/audit-events", "/v1/tenants/" + tenantID + "/accounts/" + appID + "/secret"} {
		bodies = append(bodies, s.admin(admin, http.MethodGet, path, nil).body)
	}
	for _, b := range bodies {
		if strings.Contains(string(b), secret) {
			t.Errorf("a response carries the AppSecret: %s", b)
		}
	}
	s.assertNoSecrets(secret)
	if n := rowsContaining(t, s.dbURL, appID); n == 0 {
		t.Fatal("the row search finds not even the AppId")
	}
	if n := rowsContaining(t, s.dbURL, secret); n != 0 {
		t.Errorf("%d database rows contain the AppSecret", n)
	}
}

func ptr[T any](v T) *T { return &v }

// rowsContaining counts the rows of every table of the PostgreSQL database
// whose text contains value.
func rowsContaining(t *testing.T, dbURL, value string) int {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("found only tables %v", tables)
	}
	total := 0
	for _, table := range tables {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM "`+table+`" t WHERE t::text LIKE '%' || $1 || '%'`, value).Scan(&n); err != nil {
			t.Fatalf("search %s: %v", table, err)
		}
		total += n
	}
	return total
}
