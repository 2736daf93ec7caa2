package ratelimit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// TestRedisExpiresFullBuckets: a bucket's key lives until the bucket is
// full again, and no longer.
func TestRedisExpiresFullBuckets(t *testing.T) {
	clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	r := openTestRedis(t, testenv.RedisURL(t), clk.Now)
	l := Limit{Rate: 2, Burst: 3}
	expect(t, r, "a", l, 0, 0)
	ttl, err := r.client.PTTL(context.Background(), r.prefix+"a").Result()
	if err != nil {
		t.Fatal(err)
	}
	// Two tokens spent, 500ms each.
	if ttl <= 900*time.Millisecond || ttl > time.Second {
		t.Fatalf("the bucket's key expires in %v, want 1s (when it is full again)", ttl)
	}
	expect(t, r, "a", l, 0, 500*time.Millisecond)
	// A refused take leaves the key alone.
	if ttl, _ := r.client.PTTL(context.Background(), r.prefix+"a").Result(); ttl <= time.Second || ttl > 1500*time.Millisecond {
		t.Fatalf("after the burst the key expires in %v, want 1.5s", ttl)
	}
}

// TestRedisClock: a store without a clock of its own reads Redis's TIME,
// as every replica does in production: one clock for all.
func TestRedisClock(t *testing.T) {
	r := openTestRedis(t, testenv.RedisURL(t), nil)
	l := Limit{Rate: 1, Burst: 2}
	expect(t, r, "a", l, 0, 0)
	d, err := r.Take(context.Background(), "a", l)
	if err != nil || d <= 900*time.Millisecond || d > time.Second {
		t.Fatalf("third take: wait %v, %v; want just under 1s", d, err)
	}
}

func TestOpenRedisKeepsTheURLOutOfErrors(t *testing.T) {
	for _, u := range []string{"redis://:pa55word@host:6379/notanumber", "http://:pa55word@host/", "redis://:pa55word@host:6379/0?bogus=1"} {
		_, err := OpenRedis(RedisConfig{URL: u})
		if err == nil {
			t.Errorf("%s: no error", u)
		} else if strings.Contains(err.Error(), "pa55word") {
			t.Errorf("the error quotes the password: %v", err)
		}
	}
}
