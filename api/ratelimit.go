package api

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// bucketIdle is how long a key's bucket stays unused before it may be
// dropped; it is dropped only once full again, when a fresh bucket would
// be the same.
const bucketIdle = 10 * time.Minute

// rateLimiter is a token bucket per API key for the /v1 group, which runs it
// after authentication. Limits are per replica: behind a load balancer over
// n replicas a key may make up to n times its rate. Memory stays bounded by
// the keys active in the last bucketIdle: idle full buckets are dropped.
type rateLimiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	limiter *rate.Limiter
	used    time.Time
}

// newRateLimiter allows each key perSecond requests a second on average and
// burst at once.
func newRateLimiter(perSecond float64, burst int, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: rate.Limit(perSecond), burst: burst, now: now, buckets: map[string]*bucket{}, swept: now()}
}

// middleware answers 429 when the authenticated key is over its rate.
func (l *rateLimiter) middleware(c *gin.Context) {
	if d := l.take(caller(c).ID); d > 0 {
		writeProblem(c, &rateLimitedError{delay: d})
		return
	}
	c.Next()
}

// take spends one of keyID's tokens and returns zero, or, when there is
// none, spends nothing and returns how long until there is one.
func (l *rateLimiter) take(keyID string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) >= bucketIdle {
		l.sweep(now)
	}
	b := l.buckets[keyID]
	if b == nil {
		b = &bucket{limiter: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[keyID] = b
	}
	b.used = now
	r := b.limiter.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d > 0 {
		r.CancelAt(now)
	}
	return d
}

// sweep drops the buckets unused for bucketIdle that are full again.
func (l *rateLimiter) sweep(now time.Time) {
	for id, b := range l.buckets {
		if now.Sub(b.used) >= bucketIdle && b.limiter.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, id)
		}
	}
	l.swept = now
}

// rateLimitedError is a key over its rate; it may retry after delay.
type rateLimitedError struct{ delay time.Duration }

func (e *rateLimitedError) Error() string {
	if s := e.seconds(); s != 1 {
		return fmt.Sprintf("retry after %d seconds", s)
	}
	return "retry after 1 second"
}

// seconds is the delay rounded up to whole seconds, as Retry-After takes it.
func (e *rateLimitedError) seconds() int {
	return int(math.Ceil(e.delay.Seconds()))
}
