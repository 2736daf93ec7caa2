package spec

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

const goodAccount = `{"appid":"wx1234567890abcdef","name":"Shop","mode":"live","default_scope":"snsapi_base",` +
	`"redirect_uris":["https://shop.example/cb"]}`

// validated is a gin engine with the Validator in front of a few admin
// routes; fail records the error it got and answers with its status.
func validated(t *testing.T) (*gin.Engine, *error) {
	t.Helper()
	gin.SetMode(gin.TestMode)
	var got error
	r := gin.New()
	v1 := r.Group("", load(t).Validator(func(c *gin.Context, err error) {
		got = err
		status := http.StatusInternalServerError
		var re *RequestError
		if errors.As(err, &re) {
			status = re.Status
		}
		c.Status(status)
	}))
	v1.POST("/v1/tenants/:tenant/accounts", func(c *gin.Context) {
		// The handler must still be able to read the body.
		var body struct{ AppID string }
		if err := json.NewDecoder(c.Request.Body).Decode(&body); err != nil || body.AppID == "" {
			c.Status(http.StatusTeapot)
			return
		}
		c.Status(http.StatusCreated)
	})
	ok := func(c *gin.Context) { c.Status(http.StatusOK) }
	v1.GET("/v1/tenants/:tenant/accounts/:appid", ok)
	v1.PATCH("/v1/tenants/:tenant/accounts/:appid", ok)
	v1.GET("/v1/tenants/:tenant/identities", ok)
	v1.GET("/v1/undocumented", ok)
	return r, &got
}

func TestValidator(t *testing.T) {
	const accounts = "/v1/tenants/acme/accounts"
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		header      map[string]string
		wantStatus  int
		wantField   string
		wantReason  string
	}{
		{name: "good account", method: "POST", path: accounts, body: goodAccount, wantStatus: 201},
		{name: "good account with charset", method: "POST", path: accounts, contentType: "application/json; charset=utf-8", body: goodAccount, wantStatus: 201},
		{name: "malformed JSON", method: "POST", path: accounts, body: `{"appid":`, wantStatus: 400},
		{name: "not an object", method: "POST", path: accounts, body: `[1]`, wantStatus: 422},
		{name: "no body", method: "POST", path: accounts, wantStatus: 400},
		{name: "wrong content type", method: "POST", path: accounts, contentType: "text/plain", body: goodAccount, wantStatus: 400},
		{name: "form body", method: "POST", path: accounts, contentType: "application/x-www-form-urlencoded", body: "appid=wx1234567890abcdef", wantStatus: 400},
		{name: "unknown field", method: "POST", path: accounts, body: strings.Replace(goodAccount, `{`, `{"app_secret":"s3cret",`, 1),
			wantStatus: 422, wantField: "app_secret", wantReason: "unknown field"},
		{name: "wrong type", method: "POST", path: accounts, body: strings.Replace(goodAccount, `"name":"Shop"`, `"name":5`, 1),
			wantStatus: 422, wantField: "name"},
		{name: "bad AppId", method: "POST", path: accounts, body: strings.Replace(goodAccount, "wx1234567890abcdef", "wx123", 1),
			wantStatus: 422, wantField: "appid"},
		{name: "upper-case AppId", method: "POST", path: accounts, body: strings.Replace(goodAccount, "wx1234567890abcdef", "wx1234567890ABCDEF", 1),
			wantStatus: 422, wantField: "appid"},
		{name: "missing field", method: "POST", path: accounts, body: strings.Replace(goodAccount, `"mode":"live",`, ``, 1),
			wantStatus: 422, wantField: "mode", wantReason: "required"},
		{name: "unknown mode", method: "POST", path: accounts, body: strings.Replace(goodAccount, `"live"`, `"test"`, 1),
			wantStatus: 422, wantField: "mode"},
		{name: "no redirect URIs", method: "POST", path: accounts, body: strings.Replace(goodAccount, `["https://shop.example/cb"]`, `[]`, 1),
			wantStatus: 422, wantField: "redirect_uris"},
		{name: "redirect URI of the wrong type", method: "POST", path: accounts, body: strings.Replace(goodAccount, `["https://shop.example/cb"]`, `[7]`, 1),
			wantStatus: 422, wantField: "redirect_uris.0"},
		{name: "redirect URI with a fragment", method: "POST", path: accounts, body: strings.Replace(goodAccount, `/cb"`, `/cb#top"`, 1),
			wantStatus: 422, wantField: "redirect_uris.0"},
		{name: "redirect URI over http", method: "POST", path: accounts, body: strings.Replace(goodAccount, `https://shop`, `http://shop`, 1),
			wantStatus: 422, wantField: "redirect_uris.0"},
		{name: "redirect URI to localhost over http", method: "POST", path: accounts, body: strings.Replace(goodAccount, `https://shop.example/cb`, `http://localhost:3000/cb`, 1),
			wantStatus: 201},
		{name: "redirect URI to a look-alike of localhost", method: "POST", path: accounts, body: strings.Replace(goodAccount, `https://shop.example/cb`, `http://localhost.evil.example/cb`, 1),
			wantStatus: 422, wantField: "redirect_uris.0"},
		{name: "token lifetime too long", method: "POST", path: accounts, body: strings.Replace(goodAccount, `{`, `{"token_ttl_seconds":90000,`, 1),
			wantStatus: 422, wantField: "token_ttl_seconds"},
		{name: "oversize body", method: "POST", path: accounts, body: `{"name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, wantStatus: 413},
		{name: "oversize body to an operation without one", method: "GET", path: accounts + "/wx1234567890abcdef", body: strings.Repeat("x", MaxBodyBytes+1), wantStatus: 200},
		{name: "bad AppId in the path", method: "GET", path: accounts + "/wx123", wantStatus: 422, wantField: "appid"},
		{name: "bad tenant in the path", method: "GET", path: "/v1/tenants/-acme/accounts/wx1234567890abcdef", wantStatus: 422, wantField: "tenant"},
		{name: "good get", method: "GET", path: accounts + "/wx1234567890abcdef", wantStatus: 200},
		{name: "patch with unknown field", method: "PATCH", path: accounts + "/wx1234567890abcdef", body: `{"appid":"wx1234567890abcdef"}`,
			wantStatus: 422, wantField: "appid", wantReason: "unknown field"},
		{name: "patch", method: "PATCH", path: accounts + "/wx1234567890abcdef", body: `{"name":"New"}`, header: map[string]string{"If-Match": `"abc"`}, wantStatus: 200},
		{name: "filters", method: "GET", path: "/v1/tenants/acme/identities?appid=wx1234567890abcdef&limit=200&last_login_after=2026-11-01T00:00:00Z", wantStatus: 200},
		{name: "limit too large", method: "GET", path: "/v1/tenants/acme/identities?limit=201", wantStatus: 422, wantField: "limit"},
		{name: "limit zero", method: "GET", path: "/v1/tenants/acme/identities?limit=0", wantStatus: 422, wantField: "limit"},
		{name: "limit not a number", method: "GET", path: "/v1/tenants/acme/identities?limit=ten", wantStatus: 400, wantField: "limit"},
		{name: "bad AppId filter", method: "GET", path: "/v1/tenants/acme/identities?appid=shop", wantStatus: 422, wantField: "appid"},
		{name: "bad time filter", method: "GET", path: "/v1/tenants/acme/identities?last_login_after=yesterday", wantStatus: 422, wantField: "last_login_after"},
		{name: "bad Idempotency-Key", method: "POST", path: accounts, body: goodAccount, header: map[string]string{"Idempotency-Key": "a b"},
			wantStatus: 422, wantField: "Idempotency-Key"},
		{name: "undocumented route", method: "GET", path: "/v1/undocumented", wantStatus: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, got := validated(t)
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest(tt.method, tt.path, body)
			if tt.method != "GET" {
				ct := tt.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; error: %v", w.Code, tt.wantStatus, *got)
			}
			var re *RequestError
			if tt.wantStatus >= 400 && tt.wantStatus < 500 {
				if !errors.As(*got, &re) || re.Status != tt.wantStatus || re.Detail == "" {
					t.Fatalf("error %#v, want a RequestError with status %d", *got, tt.wantStatus)
				}
				wantKind := map[int]string{400: KindBadRequest, 413: KindTooLarge, 422: KindValidation}[tt.wantStatus]
				if re.Kind != wantKind {
					t.Errorf("kind %q, want %q", re.Kind, wantKind)
				}
				if strings.Contains(re.Error(), "s3cret") {
					t.Errorf("the error repeats a value of the request: %v", re)
				}
			}
			if tt.wantField != "" && !hasField(re, tt.wantField, tt.wantReason) {
				t.Errorf("fields %+v, want %s (%s)", re.Fields, tt.wantField, tt.wantReason)
			}
		})
	}
}

func hasField(re *RequestError, field, reason string) bool {
	for _, f := range re.Fields {
		if f.Field == field && f.Reason != "" && (reason == "" || f.Reason == reason) {
			return true
		}
	}
	return false
}

func TestValidatorNamesEveryField(t *testing.T) {
	r, got := validated(t)
	req := httptest.NewRequest("POST", "/v1/tenants/acme/accounts", strings.NewReader(`{"appid":"x","name":"","mode":"test","default_scope":"snsapi_base","redirect_uris":["https://a.example/"],"extra":1}`))
	req.Header.Set("Content-Type", "application/json")
	r.ServeHTTP(httptest.NewRecorder(), req)
	var re *RequestError
	if !errors.As(*got, &re) {
		t.Fatalf("error %v", *got)
	}
	for _, f := range []string{"appid", "name", "mode", "extra"} {
		if !hasField(re, f, "") {
			t.Errorf("fields %+v lack %s", re.Fields, f)
		}
	}
}

func TestValidatorLimitsBodiesOfUnknownLength(t *testing.T) {
	r, got := validated(t)
	body := `{"appid":"wx1234567890abcdef","name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`
	req := httptest.NewRequest("POST", "/v1/tenants/acme/accounts", io.MultiReader(strings.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	var re *RequestError
	if w.Code != http.StatusRequestEntityTooLarge || !errors.As(*got, &re) || re.Kind != KindTooLarge {
		t.Fatalf("status %d, error %v; want 413 too-large", w.Code, *got)
	}
}
