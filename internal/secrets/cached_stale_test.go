package secrets_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// staleSetup is a cache over the test Vault reached through a proxy that
// can take Vault away, on a clock the test moves.
type staleSetup struct {
	cache secrets.Store
	vault *secrets.Vault
	proxy *testenv.Proxy
	clock *clock.Settable
	logs  *logRecorder
}

const (
	staleTTL      = time.Minute
	staleMaxStale = 10 * time.Minute
)

func newStaleSetup(t *testing.T, maxStale time.Duration) *staleSetup {
	t.Helper()
	addr, _ := testenv.Vault(t)
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	proxy := testenv.NewProxy(t, u.Host)
	v := newVault(t, secrets.VaultConfig{Address: "http://" + proxy.Addr(), Prefix: "stale-" + opaque.Hex(4), Timeout: time.Second})
	st := &staleSetup{vault: v, proxy: proxy, clock: clock.New(time.Unix(1_700_000_000, 0)), logs: &logRecorder{}}
	st.cache = secrets.Cached(v, secrets.CacheConfig{TTL: staleTTL, MaxStale: maxStale, Logger: st.logs.logger(), Now: st.clock.Now})
	return st
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, secrets.ErrUnavailable) {
		t.Errorf("%s: error = %v, want ErrUnavailable", what, err)
	}
	if err != nil && strings.Contains(err.Error(), secretValue) {
		t.Errorf("%s: error shows the secret: %v", what, err)
	}
}

// TestCachedServesStaleWhileVaultIsDown: while Vault is unreachable, a
// secret read before is served for up to MaxStale past its TTL, with a
// warning, and Ping succeeds; one never read fails; past MaxStale the read
// and Ping fail too; when Vault is back, reads are fresh again.
func TestCachedServesStaleWhileVaultIsDown(t *testing.T) {
	st := newStaleSetup(t, staleMaxStale)
	ctx := context.Background()
	st.proxy.SetDown(true)
	wantUnavailable(t, "Ping while down before any read", st.cache.Ping(ctx))
	st.proxy.SetDown(false)
	mustPut(t, st.cache, "seen", secretValue)
	mustGet(t, st.cache, "seen")
	mustPut(t, st.vault, "unseen", "other")

	st.proxy.SetDown(true)
	st.clock.Advance(staleTTL)
	if got := mustGet(t, st.cache, "seen"); got != secretValue {
		t.Errorf("Get while down = %q, want the last value", got)
	}
	if n := st.logs.count("secret store unavailable; serving the last value read"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, st.logs)
	}
	_, err := st.cache.Get(ctx, "unseen")
	wantUnavailable(t, "Get of a secret never read", err)
	_, err = st.cache.GetVersion(ctx, "seen", 1)
	wantUnavailable(t, "GetVersion never read", err)

	st.clock.Advance(staleMaxStale) // the last moment it may be served
	if got := mustGet(t, st.cache, "seen"); got != secretValue {
		t.Errorf("Get at max stale = %q, want the last value", got)
	}
	if err := st.cache.Ping(ctx); err != nil {
		t.Errorf("Ping at max stale = %v, want nil: what was read is still served", err)
	}
	st.clock.Advance(time.Nanosecond)
	_, err = st.cache.Get(ctx, "seen")
	wantUnavailable(t, "Get past max stale", err)
	wantUnavailable(t, "Ping past max stale", st.cache.Ping(ctx))
	if err != nil && !strings.Contains(err.Error(), "max stale") {
		t.Errorf("Get past max stale = %v, want it to say so", err)
	}
	st.logs.assertHides(t, secretValue)

	st.proxy.SetDown(false)
	mustPut(t, st.vault, "seen", "changed")
	if got := mustGet(t, st.cache, "seen"); got != "changed" {
		t.Errorf("Get after Vault returned = %q, want the changed value", got)
	}
	if got := mustGet(t, st.cache, "unseen"); got != "other" {
		t.Errorf("Get of the other secret after Vault returned = %q", got)
	}
}

// TestCachedServesNothingStale: what the store answered for (a deletion),
// or a cache without MaxStale, is never served once Vault is down, and
// Ping says the store is unavailable.
func TestCachedServesNothingStale(t *testing.T) {
	cases := []struct {
		name     string
		maxStale time.Duration
		before   func(t *testing.T, st *staleSetup)
	}{
		{"max stale zero", 0, func(*testing.T, *staleSetup) {}},
		{"deleted in the store", staleMaxStale, func(t *testing.T, st *staleSetup) {
			if err := st.vault.Delete(context.Background(), "seen"); err != nil {
				t.Fatal(err)
			}
			st.clock.Advance(staleTTL)
			if _, err := st.cache.Get(context.Background(), "seen"); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatalf("Get after the deletion = %v, want ErrNotFound", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStaleSetup(t, c.maxStale)
			mustPut(t, st.cache, "seen", secretValue)
			mustGet(t, st.cache, "seen")
			c.before(t, st)
			st.proxy.SetDown(true)
			st.clock.Advance(staleTTL)
			_, err := st.cache.Get(context.Background(), "seen")
			wantUnavailable(t, "Get while down", err)
			wantUnavailable(t, "Ping while down, with nothing to serve", st.cache.Ping(context.Background()))
		})
	}
}
