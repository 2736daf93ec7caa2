package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// awaitGauge scrapes /metrics until the gauge name reaches want.
func (s *stack) awaitGauge(name string, want float64) {
	s.t.Helper()
	var got float64
	for i := 0; i < 500; i++ {
		if got, _ = sample(s.scrape(), name, map[string]string{}); got == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("%s is %v, never %v", name, got, want)
}

// TestGracefulShutdown sends SIGTERM while 200 logins wait on a slow
// WeChat. wxlogin stops accepting connections at once and says it is not
// ready, yet every login in flight completes with its normal redirect; then
// wxlogin exits 0.
func TestGracefulShutdown(t *testing.T) {
	const burst = 200
	s := newStack(t, backends[0], unlimited()...) // 400 hosted-login requests from one address
	ctx := context.Background()
	callbacks := make([]*url.URL, burst)
	for i := range callbacks {
		callbacks[i] = s.wechatCallback(ctx, appA, fmt.Sprintf("user%d", i), fmt.Sprintf("st%d", i), opaque.New("", 32))
	}
	// Each code exchange waits 4 s: time to get all of them in flight, and
	// below the WeChat client's 5 s timeout.
	s.fault(t, map[string]any{"path": "/sns/oauth2/access_token", "delay": "4s"})

	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: burst},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	type result struct {
		status   int
		location string
		err      error
	}
	results := make([]result, burst)
	var wg sync.WaitGroup
	for i, cb := range callbacks {
		wg.Go(func() {
			resp, err := client.Get(cb.String())
			if err != nil {
				results[i].err = err
				return
			}
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			results[i] = result{resp.StatusCode, resp.Header.Get("Location"), err}
		})
	}
	s.awaitGauge("wxlogin_http_requests_in_flight", burst) // all of them wait on WeChat
	if err := s.process.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// The metrics listener stays up during the drain: /readyz turns 503.
	for i := 0; ; i++ {
		status, rep, body := s.readyz(s.ops)
		if status == http.StatusServiceUnavailable {
			if !reflect.DeepEqual(rep, report("shutdown")) {
				t.Errorf("/readyz during shutdown: %s, want only shutdown failing", body)
			}
			break
		}
		if i == 500 {
			t.Fatalf("/readyz still %d after SIGTERM", status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if conn, err := net.Dial("tcp", s.listen); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("a new connection during shutdown: %v, want it refused", err)
		if err == nil {
			conn.Close()
		}
	}

	wg.Wait()
	for i, r := range results {
		to, _ := url.Parse(r.location)
		if r.err != nil || r.status != http.StatusFound || to.Host != tenantSite || to.Query().Get("code") == "" || to.Query().Get("state") != fmt.Sprintf("st%d", i) {
			t.Errorf("login %d in flight at SIGTERM: %d to %q, %v; want a redirect to the tenant with a code", i, r.status, r.location, r.err)
		}
	}
	s.process.waitExit(t)
	if out := s.process.output(); !strings.Contains(out, `"msg":"shut down"`) {
		t.Errorf("no clean shutdown logged:\n%s", out)
	}
}
