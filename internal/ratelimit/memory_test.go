package ratelimit

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
)

func TestMemoryDropsFullBuckets(t *testing.T) {
	clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	m := NewMemory(clk.Now)
	slow := Limit{Rate: 0.002, Burst: 2} // a token every 500s
	fast := Limit{Rate: 1, Burst: 2}
	expect(t, m, "slow", slow, 0, 0)
	expect(t, m, "fast", fast, 0)
	clk.Advance(sweepEvery - time.Second)
	expect(t, m, "fresh", fast, 0)
	if len(m.tats) != 3 {
		t.Fatalf("%d buckets before a sweep, want 3", len(m.tats))
	}
	clk.Advance(time.Second)
	expect(t, m, "fresh", fast, 0)
	// "fast" is full again and dropped; "slow" spent two tokens, has not
	// got one back and must keep its state.
	if got := slices.Sorted(maps.Keys(m.tats)); !slices.Equal(got, []string{"fresh", "slow"}) {
		t.Fatalf("after a sweep: buckets %v, want fresh and slow", got)
	}
	expect(t, m, "slow", slow, 500*time.Second-sweepEvery)
}
