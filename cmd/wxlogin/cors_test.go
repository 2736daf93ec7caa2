package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBrowserCORS: a tenant's page may call the token endpoint from the
// browser only from the origin of one of the tenant's redirect URIs, while
// the JWKS and the SDK are readable from anywhere.
func TestBrowserCORS(t *testing.T) {
	s := newStack(t, backends[0])
	const site, other = "https://" + tenantSite, "https://evil.example"
	tokenURL := s.public + "/t/" + tenantID + "/oauth/token"
	tests := []struct {
		name, method, url, origin string
		wantStatus                int
		wantAllow                 string
		wantMethods               string
	}{
		{"preflight from the tenant's site", http.MethodOptions, tokenURL, site, http.StatusNoContent, site, "POST"},
		{"preflight from another site", http.MethodOptions, tokenURL, other, http.StatusNoContent, "", ""},
		{"token from the tenant's site", http.MethodPost, tokenURL, site, http.StatusBadRequest, site, ""},
		{"token from another site", http.MethodPost, tokenURL, other, http.StatusBadRequest, "", ""},
		{"token of another tenant", http.MethodPost, s.public + "/t/nobody/oauth/token", site, http.StatusBadRequest, "", ""},
		{"jwks", http.MethodGet, s.public + "/t/" + tenantID + "/.well-known/jwks.json", other, http.StatusOK, "*", ""},
		{"sdk", http.MethodGet, s.public + "/sdk/wxlogin.js", other, http.StatusOK, "*", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.url, nil)
			if tt.method == http.MethodPost {
				req.Body = io.NopCloser(strings.NewReader("grant_type=authorization_code&code=nope&redirect_uri=" + redirectURI))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else if tt.method == http.MethodOptions {
				req.Header.Set("Access-Control-Request-Method", "POST")
			}
			req.Header.Set("Origin", tt.origin)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			h := resp.Header
			if resp.StatusCode != tt.wantStatus || h.Get("Access-Control-Allow-Origin") != tt.wantAllow ||
				h.Get("Access-Control-Allow-Methods") != tt.wantMethods || h.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("got %d, Allow-Origin %q, Allow-Methods %q, Allow-Credentials %q; want %d, %q, %q, none\n%s", resp.StatusCode,
					h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Allow-Methods"), h.Get("Access-Control-Allow-Credentials"),
					tt.wantStatus, tt.wantAllow, tt.wantMethods, body)
			}
			if strings.HasSuffix(tt.url, "/token") && !strings.Contains(h.Get("Vary"), "Origin") {
				t.Errorf("token answer without Vary: Origin: %v", h)
			}
			if strings.HasSuffix(tt.url, ".js") && (!strings.HasPrefix(h.Get("Content-Type"), "text/javascript") || !strings.Contains(string(body), "export class WxLogin")) {
				t.Errorf("sdk: %s, %.80s", h.Get("Content-Type"), body)
			}
		})
	}
}
