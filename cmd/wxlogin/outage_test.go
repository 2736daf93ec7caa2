package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// TestDependencyOutages: with Vault or PostgreSQL gone, a person gets a
// readable 503 page with Retry-After, nothing is half-written, and wxlogin
// recovers by itself when the dependency returns.
func TestDependencyOutages(t *testing.T) {
	s := newStack(t, backends[1])
	ctx := context.Background()
	s.loginAs(ctx, newBrowser(), appA, "alice", "snsapi_base") // warm: pools open, keys cached
	before := s.identities()

	t.Run("vault down at the callback", func(t *testing.T) {
		br := newBrowser()
		p, err := br.Get(ctx, s.loginURL(appA, "snsapi_base", "v1", opaque.New("", 32)))
		if err != nil {
			t.Fatal(err)
		}
		s.vault.SetDown(true)
		p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {"vera"}})
		s.vault.SetDown(false)
		if err != nil {
			t.Fatal(err)
		}
		wantUnavailable(t, p.Status, p.Header, string(p.Body))
		s.loginAs(ctx, newBrowser(), appA, "vera", "snsapi_base") // recovered
	})

	t.Run("database down", func(t *testing.T) {
		s.db.SetDown(true)
		status, h, body := get(t, s.loginURL(appA, "", "d1", opaque.New("", 32)))
		s.db.SetDown(false)
		wantUnavailable(t, status, h, body)
		s.loginAs(ctx, newBrowser(), appA, "dora", "snsapi_base") // recovered
	})

	if got, want := s.identities(), before+2; got != want {
		t.Errorf("identities: got %d, want %d (only the two recovered logins)", got, want)
	}
}

// wantUnavailable checks for the page a person gets while a dependency is
// down: 503, with Retry-After.
func wantUnavailable(t *testing.T, status int, h http.Header, body string) {
	t.Helper()
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, "Temporarily unavailable") {
		t.Errorf("got %d (Retry-After %q):\n%s", status, h.Get("Retry-After"), body)
	}
}
