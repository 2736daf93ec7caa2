package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// newStoreFunc returns an empty Store on the clock now.
type newStoreFunc func(t *testing.T, now func() time.Time) Store

// stores are the implementations the conformance test runs against.
var stores = []struct {
	name string
	open newStoreFunc
}{
	{"memory", func(_ *testing.T, now func() time.Time) Store { return NewMemory(now) }},
	{"redis", func(t *testing.T, now func() time.Time) Store { return openTestRedis(t, testenv.RedisURL(t), now) }},
}

// openTestRedis opens a Redis store of keys under a prefix of the test's own.
func openTestRedis(t testing.TB, url string, now func() time.Time) *Redis {
	t.Helper()
	r, err := OpenRedis(RedisConfig{URL: url, Prefix: "wxtest-" + opaque.Hex(6) + ":", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestStoreConformance(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			for _, c := range conformance {
				t.Run(c.name, func(t *testing.T) {
					clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
					c.run(t, clk, s.open(t, clk.Now))
				})
			}
		})
	}
}

// expect takes n times from bucket under l and checks each wait.
func expect(t *testing.T, st Store, bucket string, l Limit, want ...time.Duration) {
	t.Helper()
	for i, w := range want {
		got, err := st.Take(context.Background(), bucket, l)
		if err != nil {
			t.Fatalf("take %d of %s: %v", i+1, bucket, err)
		}
		if got != w {
			t.Fatalf("take %d of %s: wait %v, want %v", i+1, bucket, got, w)
		}
	}
}

var conformance = []struct {
	name string
	run  func(t *testing.T, clk *clock.Settable, st Store)
}{
	{"a burst, then a token per interval", func(t *testing.T, clk *clock.Settable, st Store) {
		l := Limit{Rate: 2, Burst: 3}
		expect(t, st, "a", l, 0, 0, 0, 500*time.Millisecond)
		expect(t, st, "b", l, 0)
		// A refused take spends nothing: the token is back after 500ms
		// all the same.
		expect(t, st, "a", l, 500*time.Millisecond)
		clk.Advance(200 * time.Millisecond)
		expect(t, st, "a", l, 300*time.Millisecond)
		clk.Advance(300 * time.Millisecond)
		expect(t, st, "a", l, 0, 500*time.Millisecond)
	}},
	{"tokens come back one interval each, up to the burst", func(t *testing.T, clk *clock.Settable, st Store) {
		l := Limit{Rate: 10, Burst: 5}
		expect(t, st, "a", l, 0, 0, 0, 0, 0, 100*time.Millisecond)
		clk.Advance(250 * time.Millisecond)
		expect(t, st, "a", l, 0, 0, 50*time.Millisecond)
		clk.Advance(time.Hour)
		expect(t, st, "a", l, 0, 0, 0, 0, 0, 100*time.Millisecond)
	}},
	{"a slow limit waits long", func(t *testing.T, clk *clock.Settable, st Store) {
		l := Limit{Rate: 0.002, Burst: 1} // a token every 500s
		expect(t, st, "a", l, 0, 500*time.Second)
		clk.Advance(499 * time.Second)
		expect(t, st, "a", l, time.Second)
		clk.Advance(time.Second)
		expect(t, st, "a", l, 0)
	}},
	{"a limit's rate and burst apply as given at each take", func(t *testing.T, clk *clock.Settable, st Store) {
		expect(t, st, "a", Limit{Rate: 1, Burst: 2}, 0, 0, time.Second)
		// Raised (a new setting rolled out): the same bucket has room.
		expect(t, st, "a", Limit{Rate: 1, Burst: 4}, 0, 0, time.Second)
	}},
	{"concurrent takes never spend more than the burst", func(t *testing.T, clk *clock.Settable, st Store) {
		l := Limit{Rate: 1, Burst: 20}
		var granted atomic.Int32
		var wg sync.WaitGroup
		for range 60 {
			wg.Go(func() {
				d, err := st.Take(context.Background(), "a", l)
				if err != nil {
					t.Error(err)
				}
				if d == 0 {
					granted.Add(1)
				}
			})
		}
		wg.Wait()
		if granted.Load() != 20 {
			t.Fatalf("%d of 60 concurrent takes granted, want the burst of 20", granted.Load())
		}
	}},
	{"buckets are apart", func(t *testing.T, clk *clock.Settable, st Store) {
		l := Limit{Rate: 1, Burst: 1}
		for i := range 10 {
			expect(t, st, fmt.Sprintf("k%d", i), l, 0)
		}
		expect(t, st, "k3", l, time.Second)
	}},
}
