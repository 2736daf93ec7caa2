package ratelimit

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// storePause is how long Limiter charges requests to its memory alone after
// its store failed, before it asks the store again: while Redis is away,
// requests do not each wait for a timeout.
const storePause = time.Second

// Observer is told of refused requests and of the store's failures; the
// metrics implement it.
type Observer interface {
	// RateLimited is told of a request refused by the limit named limit.
	RateLimited(limit string)
	// RateLimitStoreFailed is told of each failed request to the store.
	RateLimitStoreFailed()
}

// Config builds a Limiter.
type Config struct {
	// Store keeps the buckets; nil keeps them in this process's memory.
	Store Store
	// Now is the clock of the buckets in memory and of the pause after a
	// failure.
	Now      func() time.Time
	Logger   *slog.Logger
	Observer Observer
}

// Limiter charges requests to the buckets of its store, or, while the store
// fails, to buckets in memory (see the package documentation). It is safe
// for concurrent use.
type Limiter struct {
	store    Store
	local    *Memory
	now      func() time.Time
	logger   *slog.Logger
	observer Observer

	// pausedUntil (Unix nanoseconds): the store failed and is not asked
	// before then.
	pausedUntil atomic.Int64
	// failing: the store's last answer was a failure.
	failing atomic.Bool
}

// New returns a Limiter.
func New(c Config) *Limiter {
	l := &Limiter{store: c.Store, local: NewMemory(c.Now), now: c.Now, logger: c.Logger, observer: c.Observer}
	if l.store == nil {
		l.store = l.local
	}
	return l
}

// Take charges a request of key to limit: it returns zero when the request
// may go on, or how long until it may be retried.
func (l *Limiter) Take(ctx context.Context, limit Limit, key string) time.Duration {
	bucket := limit.Name + ":" + key
	var wait time.Duration
	if l.paused() {
		wait, _ = l.local.Take(ctx, bucket, limit)
	} else if d, err := l.store.Take(ctx, bucket, limit); err != nil {
		if ctx.Err() == nil { // not the client giving up
			l.failed(ctx, err)
		}
		wait, _ = l.local.Take(ctx, bucket, limit)
	} else {
		l.answered(ctx)
		wait = d
	}
	if wait > 0 {
		l.observer.RateLimited(limit.Name)
	}
	return wait
}

func (l *Limiter) paused() bool {
	return l.now().UnixNano() < l.pausedUntil.Load()
}

// failed counts a failure, pauses the store and, on the first failure of
// an outage, logs it.
func (l *Limiter) failed(ctx context.Context, err error) {
	l.observer.RateLimitStoreFailed()
	l.pausedUntil.Store(l.now().Add(storePause).UnixNano())
	if l.failing.CompareAndSwap(false, true) {
		l.logger.LogAttrs(ctx, slog.LevelWarn, "rate limit store failed; limits hold on this replica alone until it answers",
			slog.String("error", err.Error()))
	}
}

// answered logs the end of an outage.
func (l *Limiter) answered(ctx context.Context) {
	if l.failing.CompareAndSwap(true, false) {
		l.logger.LogAttrs(ctx, slog.LevelInfo, "rate limit store answers again; limits are shared")
	}
}
