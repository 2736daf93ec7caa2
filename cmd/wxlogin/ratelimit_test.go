package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAdminAPIRateLimit: a key over its rate gets 429 with Retry-After and a
// problem; another key keeps its own bucket; a forged X-Forwarded-For on
// each request changes nothing.
func TestAdminAPIRateLimit(t *testing.T) {
	s := newStack(t, backends[0], "WXLOGIN_API_RATE=1", "WXLOGIN_API_BURST=3")
	busy := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "busy", "-role", "admin"))
	other := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "other", "-role", "viewer"))
	path := "/v1/tenants/" + tenantID + "/accounts"

	for i := range 3 {
		forged := http.Header{"X-Forwarded-For": {fmt.Sprintf("203.0.113.%d", i+1)}}
		if res := s.adminWith(busy, http.MethodGet, path, nil, forged); res.status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %s", i+1, res.status, res.body)
		}
	}
	res := s.adminWith(busy, http.MethodGet, path, nil, http.Header{"X-Forwarded-For": {"198.51.100.9"}})
	var p struct {
		Type   string
		Status int
		Detail string
	}
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("4th request: %d %s: %v", res.status, res.body, err)
	}
	switch {
	case res.status != http.StatusTooManyRequests || p.Status != http.StatusTooManyRequests:
		t.Fatalf("4th request: %d %s, want 429", res.status, res.body)
	case res.header.Get("Content-Type") != "application/problem+json":
		t.Errorf("Content-Type %q", res.header.Get("Content-Type"))
	case p.Type != "https://wxlogin.dev/problems/rate-limited" || p.Detail != "retry after 1 second":
		t.Errorf("problem %+v", p)
	case res.header.Get("Retry-After") != "1":
		t.Errorf("Retry-After %q, want 1 (a token a second)", res.header.Get("Retry-After"))
	}

	if res := s.admin(other, http.MethodGet, path, nil); res.status != http.StatusOK {
		t.Fatalf("another key: %d %s", res.status, res.body)
	}
}
