package spec

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidateResponse(t *testing.T) {
	s := load(t)
	const account = `{"appid":"wx1234567890abcdef","name":"Shop","kind":"official","mode":"live","default_scope":"snsapi_base",` +
		`"redirect_uris":["https://shop.example/cb"],"token_ttl_seconds":3600,"open_platform_id":"",` +
		`"secret":{"set":false,"version":0,"updated_at":null},"login_url":"http://localhost:8080/t/acme/wechat/wx1234567890abcdef/login",` +
		`"created_at":"2026-11-25T08:00:00Z","updated_at":"2026-11-25T08:00:00Z"}`
	const problem = `{"type":"https://wxlogin.dev/problems/not-found","title":"Not found","status":404}`
	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		contentType string
		body        string
		ok          bool
	}{
		{"an account", "GET", "/v1/tenants/acme/accounts/wx1234567890abcdef", 200, "application/json", account, true},
		{"a problem", "GET", "/v1/tenants/acme/accounts/wx1234567890abcdef", 404, "application/problem+json", problem, true},
		{"an account without its secret status", "GET", "/v1/tenants/acme/accounts/wx1234567890abcdef", 200, "application/json",
			strings.Replace(account, `"secret":{"set":false,"version":0,"updated_at":null},`, "", 1), false},
		{"a problem as plain JSON", "GET", "/v1/tenants/acme/accounts/wx1234567890abcdef", 404, "application/json", problem, false},
		{"an undocumented status", "GET", "/v1/tenants/acme/accounts/wx1234567890abcdef", 500, "application/problem+json", problem, false},
		{"no content", "DELETE", "/v1/tenants/acme/accounts/wx1234567890abcdef/client-secrets/3f2a9c1b", 204, "", "", true},
		{"an undocumented path", "GET", "/v1/nothing", 200, "application/json", "{}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if err := s.ValidateResponse(resp); (err == nil) != tt.ok {
				t.Fatalf("ValidateResponse: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
