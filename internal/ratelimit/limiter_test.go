package ratelimit

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// observed records what a Limiter tells its Observer.
type observed struct {
	mu       sync.Mutex
	limited  map[string]int
	failures int
}

func (o *observed) RateLimited(limit string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.limited[limit]++
}

func (o *observed) RateLimitStoreFailed() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failures++
}

func (o *observed) counts() (map[string]int, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.limited, o.failures
}

// newTestLimiter is a Limiter on store and clk, with what it tells its
// observer and its log, which tests read between takes.
func newTestLimiter(store Store, clk *clock.Settable) (*Limiter, *observed, *strings.Builder) {
	o, log := &observed{limited: map[string]int{}}, &strings.Builder{}
	return New(Config{Store: store, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(log, nil)), Observer: o}), o, log
}

// takes checks the waits of successive takes of key under l.
func takes(t *testing.T, l *Limiter, limit Limit, key string, want ...time.Duration) {
	t.Helper()
	for i, w := range want {
		if got := l.Take(context.Background(), limit, key); got != w {
			t.Fatalf("take %d of %s %s: wait %v, want %v", i+1, limit.Name, key, got, w)
		}
	}
}

func TestLimiterInMemory(t *testing.T) {
	clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	l, o, _ := newTestLimiter(nil, clk)
	login, api := Limit{Name: "login", Rate: 1, Burst: 2}, Limit{Name: "api", Rate: 1, Burst: 1}
	takes(t, l, login, "203.0.113.1", 0, 0, time.Second)
	// Each limit has buckets of its own, though the key is the same.
	takes(t, l, api, "203.0.113.1", 0, time.Second, time.Second)
	if limited, failures := o.counts(); limited["login"] != 1 || limited["api"] != 2 || failures != 0 {
		t.Fatalf("observed %v refused, %d store failures; want login 1, api 2, none", limited, failures)
	}
}

// TestLimiterFailsOpenToMemory: with Redis cut, requests are charged to the
// replica's own buckets (never let through unlimited, never refused for
// Redis's sake), the failure is logged once and counted; a second later
// Redis is asked again, and once it answers, the shared buckets count
// again, as Redis kept them.
func TestLimiterFailsOpenToMemory(t *testing.T) {
	redisURL, proxy := testenv.RedisBehindProxy(t)
	clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	l, o, log := newTestLimiter(openTestRedis(t, redisURL, clk.Now), clk)
	login := Limit{Name: "login", Rate: 1, Burst: 3}

	takes(t, l, login, "a", 0, 0, 0, time.Second) // a's bucket in Redis is empty
	proxy.SetDown(true)
	takes(t, l, login, "a", 0, 0, 0, time.Second) // a's bucket in memory is fresh: 3 tokens
	if _, failures := o.counts(); failures != 1 {
		t.Fatalf("%d store failures counted, want 1: the store is not asked again for a second", failures)
	}
	clk.Advance(storePause)
	takes(t, l, login, "b", 0) // the store is asked, fails, memory answers
	if _, failures := o.counts(); failures != 2 {
		t.Fatalf("%d store failures counted, want 2", failures)
	}
	if n := strings.Count(log.String(), "rate limit store failed"); n != 1 {
		t.Fatalf("the outage is logged %d times, want once:\n%s", n, log)
	}

	proxy.SetDown(false)
	clk.Advance(storePause)
	// Redis's bucket of a got 2 of its tokens back in the 2s since.
	takes(t, l, login, "a", 0, 0, time.Second)
	if !strings.Contains(log.String(), "rate limit store answers again") {
		t.Fatalf("the end of the outage is not logged:\n%s", log)
	}
	if limited, failures := o.counts(); failures != 2 || limited["login"] != 3 {
		t.Fatalf("%d store failures and %d refusals counted after Redis came back, want 2 and 3", failures, limited["login"])
	}
}

// TestLimiterClientGone: a request whose client gave up is no failure of
// the store.
func TestLimiterClientGone(t *testing.T) {
	clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	l, o, _ := newTestLimiter(openTestRedis(t, testenv.RedisURL(t), clk.Now), clk)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l.Take(ctx, Limit{Name: "login", Rate: 1, Burst: 1}, "a")
	if _, failures := o.counts(); failures != 0 || l.paused() {
		t.Fatalf("%d store failures, paused %v, after a cancelled request; want none", failures, l.paused())
	}
}
