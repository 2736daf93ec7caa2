package api

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/ratelimit"
)

// Limits are the rate limits of the HTTP layer, each a token bucket per
// key (see package ratelimit).
type Limits struct {
	// Login is each client address's on the hosted-login pages (login,
	// callback, OpenID Connect authorize).
	Login ratelimit.Limit
	// Token is each client address's on the token endpoint.
	Token ratelimit.Limit
	// API is each caller's on the admin API: an API key's, or a console
	// binding's.
	API ratelimit.Limit
}

// limitAddress charges each request to its client address's bucket under
// limit and answers with refuse when there is no token. The address is
// gin's ClientIP: the connection's, or the one X-Forwarded-For gives when
// the connection comes from a trusted proxy; a forged header charges
// nobody else.
func limitAddress(l *ratelimit.Limiter, limit ratelimit.Limit, refuse func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		charge(c, l, limit, addressKey(c.ClientIP()), refuse)
	}
}

// limitCaller charges each admin API request to its caller's bucket (an
// API key's, or a console binding's); it runs after authentication.
func limitCaller(l *ratelimit.Limiter, limit ratelimit.Limit) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := caller(c)
		charge(c, l, limit, string(p.Kind)+":"+p.ID, writeProblem)
	}
}

func charge(c *gin.Context, l *ratelimit.Limiter, limit ratelimit.Limit, key string, refuse func(*gin.Context, error)) {
	if d := l.Take(c.Request.Context(), limit, key); d > 0 {
		refuse(c, &rateLimitedError{delay: d, retry: c.Request.URL.RequestURI()})
		c.Abort()
		return
	}
	c.Next()
}

// addressKey is the bucket key of a client address: an IPv4 address, or
// the /64 network of an IPv6 address, which one host is given whole.
func addressKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil || a.To4() != nil {
		return ip
	}
	return (&net.IPNet{IP: a.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// rateLimitedError is a request over its rate; it may be retried, at
// retry (its own URL), after delay.
type rateLimitedError struct {
	delay time.Duration
	retry string
}

func (e *rateLimitedError) Error() string { return "retry after " + e.wait() }

// seconds is the delay rounded up to whole seconds, as Retry-After takes it.
func (e *rateLimitedError) seconds() int {
	return int(math.Ceil(e.delay.Seconds()))
}

// retryAfter is the Retry-After header.
func (e *rateLimitedError) retryAfter() string { return strconv.Itoa(e.seconds()) }

// wait is the delay in English words.
func (e *rateLimitedError) wait() string {
	if s := e.seconds(); s != 1 {
		return fmt.Sprintf("%d seconds", s)
	}
	return "1 second"
}
