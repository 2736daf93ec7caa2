package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/ratelimit"
)

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

func TestRateLimitedPage(t *testing.T) {
	status, p := pageFor(&rateLimitedError{delay: 2500 * time.Millisecond, retry: "/t/acme/wechat/wx1/login?state=s"})
	switch {
	case status != http.StatusTooManyRequests:
		t.Errorf("status %d, want 429", status)
	case p.Retry != "/t/acme/wechat/wx1/login?state=s":
		t.Errorf("retry link %q, want the request's own URL", p.Retry)
	case !strings.Contains(p.Text, "3 秒") || !strings.Contains(p.TextEN, "wait 3 seconds"):
		t.Errorf("page %+v does not say to wait 3 seconds", p)
	}
}

func TestAddressKey(t *testing.T) {
	for ip, want := range map[string]string{
		"203.0.113.7":              "203.0.113.7",
		"::ffff:203.0.113.7":       "::ffff:203.0.113.7",
		"2001:db8:1:2:3:4:5:6":     "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":     "2001:db8:1:2::/64",
		"2001:db8:1:3::1":          "2001:db8:1:3::/64",
		"":                         "",
		"not an address, verbatim": "not an address, verbatim",
	} {
		if got := addressKey(ip); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", ip, got, want)
		}
	}
}

// TestLimitAddressChargesClientIP: the bucket charged is the connection's
// address unless the connection comes from a trusted proxy; a forged
// X-Forwarded-For changes nothing.
func TestLimitAddressChargesClientIP(t *testing.T) {
	for _, c := range []struct {
		name    string
		trusted []string
		// shared: requests with different X-Forwarded-For share a bucket.
		shared bool
	}{
		{"no trusted proxy", nil, true},
		{"another proxy trusted", []string{"192.0.2.99"}, true},
		{"the connection's proxy trusted", []string{"192.0.2.0/24"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := clock.New(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
			lim := ratelimit.New(ratelimit.Config{Now: clk.Now, Logger: slog.New(slog.DiscardHandler), Observer: noLimitObserver{}})
			r := gin.New()
			if err := r.SetTrustedProxies(c.trusted); err != nil {
				t.Fatal(err)
			}
			r.GET("/x", limitAddress(lim, ratelimit.Limit{Name: "login", Rate: 1, Burst: 2}, writePage), func(c *gin.Context) { c.Status(http.StatusOK) })
			statuses := make([]int, 3)
			for i, forged := range []string{"203.0.113.1", "203.0.113.2", "198.51.100.1, 203.0.113.3"} {
				req := httptest.NewRequest(http.MethodGet, "/x", nil)
				req.RemoteAddr = "192.0.2.10:40000"
				req.Header.Set("X-Forwarded-For", forged)
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				statuses[i] = w.Code
			}
			want := []int{http.StatusOK, http.StatusOK, http.StatusOK}
			if c.shared {
				want[2] = http.StatusTooManyRequests
			}
			for i := range want {
				if statuses[i] != want[i] {
					t.Fatalf("statuses %v, want %v", statuses, want)
				}
			}
		})
	}
}

type noLimitObserver struct{}

func (noLimitObserver) RateLimited(string)    {}
func (noLimitObserver) RateLimitStoreFailed() {}
