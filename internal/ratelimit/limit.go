package ratelimit

import (
	"context"
	"time"
)

// Limit is a token bucket per key: Rate tokens a second on average, Burst
// at once. Its Name keeps its buckets apart from other limits' and names it
// in metrics.
type Limit struct {
	Name  string
	Rate  float64
	Burst int
}

// interval is the time one token takes to come back, in whole
// microseconds (the stores' resolution), at least one.
func (l Limit) interval() time.Duration {
	return max(time.Duration(float64(time.Second)/l.Rate).Truncate(time.Microsecond), time.Microsecond)
}

// take applies GCRA to a bucket whose theoretical arrival time is tat (a
// time not after now: the bucket is full). It returns the bucket's new tat
// and zero, or, when it is empty, tat unchanged and how long until a token
// is back.
func (l Limit) take(tat, now time.Time) (time.Time, time.Duration) {
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(l.interval())
	if wait := next.Sub(now) - time.Duration(l.Burst)*l.interval(); wait > 0 {
		return tat, wait
	}
	return next, 0
}

// Store keeps buckets.
type Store interface {
	// Take spends one token of the bucket named bucket under l and returns
	// zero; or, when the bucket is empty, spends nothing and returns how
	// long until it holds a token again. It is atomic: concurrent takes of
	// one bucket never spend more than it holds.
	Take(ctx context.Context, bucket string, l Limit) (time.Duration, error)
}
