package api

import (
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
)

func TestRateLimiterBucketPerKey(t *testing.T) {
	clk := clock.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	l := newRateLimiter(2, 3, clk.Now)
	for i := range 3 {
		if d := l.take("a"); d != 0 {
			t.Fatalf("request %d of the burst waits %v", i+1, d)
		}
	}
	if d := l.take("a"); d != 500*time.Millisecond {
		t.Fatalf("4th request: wait %v, want 500ms", d)
	}
	if d := l.take("b"); d != 0 {
		t.Fatalf("another key waits %v", d)
	}
	// A refused request spends nothing: the token is free after 500ms all
	// the same.
	if d := l.take("a"); d != 500*time.Millisecond {
		t.Fatalf("5th request: wait %v, want 500ms", d)
	}
	clk.Advance(500 * time.Millisecond)
	if d := l.take("a"); d != 0 {
		t.Fatalf("after 500ms: wait %v", d)
	}
	if d := l.take("a"); d != 500*time.Millisecond {
		t.Fatalf("right after: wait %v, want 500ms", d)
	}
}

func TestRateLimiterDropsIdleBuckets(t *testing.T) {
	clk := clock.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	l := newRateLimiter(0.002, 2, clk.Now) // a token every 500s
	l.take("slow")
	l.take("slow")
	l.take("fast")
	clk.Advance(bucketIdle - time.Second)
	l.take("fresh")
	if len(l.buckets) != 3 {
		t.Fatalf("%d buckets before bucketIdle, want 3", len(l.buckets))
	}
	clk.Advance(time.Second)
	l.take("fresh")
	// "fast" spent one token and is full again; "slow" spent two, has 1.2
	// back and must keep that state.
	if got := slices.Sorted(maps.Keys(l.buckets)); !slices.Equal(got, []string{"fresh", "slow"}) {
		t.Fatalf("after bucketIdle: buckets %v, want fresh and slow", got)
	}
	if d := l.take("slow"); d != 0 {
		t.Fatalf("slow waits %v with 1.2 tokens", d)
	}
	if d := l.take("slow"); d == 0 {
		t.Fatal("slow got a second token: its bucket was dropped before it was full")
	}
}

func TestRateLimitedProblem(t *testing.T) {
	tests := []struct {
		delay            time.Duration
		retryAfter, text string
	}{
		{time.Millisecond, "1", "retry after 1 second"},
		{time.Second, "1", "retry after 1 second"},
		{1500 * time.Millisecond, "2", "retry after 2 seconds"},
	}
	for _, tt := range tests {
		p := problemFor(&rateLimitedError{delay: tt.delay})
		if p.Status != http.StatusTooManyRequests || p.Type != problemBase+"rate-limited" || p.retryAfter != tt.retryAfter || p.Detail != tt.text {
			t.Errorf("delay %v: %+v, want 429 rate-limited, Retry-After %s, %q", tt.delay, p, tt.retryAfter, tt.text)
		}
	}
}
