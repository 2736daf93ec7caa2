package ratelimit

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/testenv"
)

// BenchmarkTake measures Limiter.Take, what each limited request costs, on
// each store, from one goroutine and from GOMAXPROCS at once, over 10,000
// buckets (client addresses) that let most requests through.
func BenchmarkTake(b *testing.B) {
	l := Limit{Name: "login", Rate: 1000, Burst: 1000}
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = "198.51." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	for _, s := range []struct {
		name string
		open func(b *testing.B) Store
	}{
		{"memory", func(*testing.B) Store { return NewMemory(time.Now) }},
		{"redis", func(b *testing.B) Store { return openTestRedis(b, testenv.RedisURL(b), nil) }},
	} {
		b.Run(s.name, func(b *testing.B) {
			lim := benchLimiter(s.open(b))
			ctx := context.Background()
			i := 0
			for b.Loop() {
				lim.Take(ctx, l, keys[i%len(keys)])
				i++
			}
		})
		b.Run(s.name+"/parallel", func(b *testing.B) {
			lim := benchLimiter(s.open(b))
			ctx := context.Background()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					lim.Take(ctx, l, keys[i%len(keys)])
					i += 7
				}
			})
		})
	}
}

// benchLimiter is a Limiter on st that fails the benchmark if st does.
func benchLimiter(st Store) *Limiter {
	return New(Config{Store: st, Now: time.Now, Logger: slog.New(slog.DiscardHandler), Observer: failOnStoreFailure{}})
}

type failOnStoreFailure struct{}

func (failOnStoreFailure) RateLimited(string)    {}
func (failOnStoreFailure) RateLimitStoreFailed() { panic("the store failed") }
