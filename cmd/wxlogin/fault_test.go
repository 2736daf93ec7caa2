package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// TestPostgresRestartDuringLogins: PostgreSQL (a cluster of the test's own)
// is restarted in the middle of a burst of logins. Every login that got a
// token is durable, every other one got a clear 503, and logins started
// after the restart succeed, with no restart of wxlogin.
func TestPostgresRestartDuringLogins(t *testing.T) {
	var pg *testenv.PostgresCluster
	b := backend{"own postgres+vault", func(t *testing.T, s *stack) (string, []string) {
		pg = testenv.NewPostgresCluster(t)
		addr, tok := testenv.Vault(t)
		return pg.URL(), []string{"WXLOGIN_VAULT_ADDR=" + addr, "WXLOGIN_VAULT_TOKEN=" + tok, "WXLOGIN_VAULT_PREFIX=e2e-" + opaque.Hex(6)}
	}}
	s := newStack(t, b, unlimited()...)
	s.loginAs(context.Background(), newBrowser(), appA, "alice", "snsapi_base") // warm: pools open, keys cached
	tries, recovered := s.burst(6, []string{appA, appB}, "snsapi_base", 2*time.Second, func() {
		time.Sleep(time.Second)
		pg.Restart(2 * time.Second)
	})
	if failed := s.checkBurst(t, tries, recovered); len(failed) == 0 {
		t.Errorf("none of %d logins failed: the restart was not felt", len(tries))
	}
	if status, _, body := s.readyz(s.public); status != http.StatusOK {
		t.Errorf("/readyz after the restart: %d %s", status, body)
	}
}

// TestWeChatFaults: during a burst of logins of live accounts pointed at
// the emulator, WeChat answers slowly, with errcode -1, with an HTML page
// instead of JSON, or not at all, for a while. Logins that got their token
// are durable, the others got the 503 page; faults WeChat's client rides
// out (a slow answer within its timeout, a -1 now and then) fail none; and
// once WeChat is itself again, every login succeeds, with no restart.
func TestWeChatFaults(t *testing.T) {
	s := newStack(t, backends[0], unlimited("WXLOGIN_WECHAT_TIMEOUT=1s", "WXLOGIN_WECHAT_BUDGET=2s")...)
	cases := []struct {
		name  string
		fault map[string]any
		felt  bool // logins fail while it lasts
	}{
		{"slow within the timeout", map[string]any{"path": "/sns/userinfo", "delay": "300ms"}, false},
		{"errcode -1 now and then", map[string]any{"path": "/sns/oauth2/access_token", "errcode": -1, "times": 3}, false},
		{"slow beyond the timeout", map[string]any{"path": "/sns/oauth2/access_token", "delay": "3s"}, true},
		{"errcode -1", map[string]any{"path": "/sns/oauth2/access_token", "errcode": -1}, true},
		{"HTML instead of JSON", map[string]any{"path": "/sns/userinfo", "html": true, "status": 502}, true},
		{"no answer", map[string]any{"path": "/sns/oauth2/access_token", "drop": true}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tries, recovered := s.burst(4, []string{appA, appB}, "snsapi_userinfo", time.Second, func() {
				s.fault(t, c.fault)
				time.Sleep(1500 * time.Millisecond)
				s.clearFaults(t)
			})
			if failed := s.checkBurst(t, tries, recovered); c.felt != (len(failed) > 0) {
				t.Errorf("%d of %d logins failed; want failures: %v", len(failed), len(tries), c.felt)
			}
		})
	}
}

// TestWeChatHangLeavesTheRestAnswering: while WeChat answers nothing, at
// most WXLOGIN_WECHAT_MAX_IN_FLIGHT callbacks wait for it, each until its
// request's deadline, and the others get the retry page at once; meanwhile
// /healthz, the JWKS and the admin API answer promptly, on a pool of two
// database connections, which no waiting callback holds.
func TestWeChatHangLeavesTheRestAnswering(t *testing.T) {
	const inFlight, callbacks = 4, 20
	s := newStack(t, backends[1], "WXLOGIN_WECHAT_TIMEOUT=1m", "WXLOGIN_WECHAT_BUDGET=1m", "WXLOGIN_WECHAT_MAX_IN_FLIGHT="+strconv.Itoa(inFlight),
		"WXLOGIN_DATABASE_MAX_CONNS=2", "WXLOGIN_REQUEST_TIMEOUT=8s")
	key := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "probe", "-role", "admin"))
	ctx := context.Background()
	urls := make([]string, callbacks)
	for i := range urls {
		urls[i] = s.wechatCallback(ctx, appA, "hung-"+opaque.Hex(4), opaque.Hex(8), opaque.New("", 32)).String()
	}
	s.fault(t, map[string]any{"path": "/sns/oauth2/access_token", "drop": true})

	type answer struct {
		status int
		body   string
		err    error
		took   time.Duration
	}
	answers := make([]answer, callbacks)
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() {
			start := time.Now()
			a := answer{}
			resp, err := http.Get(u)
			if a.err = err; err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				a.status, a.body = resp.StatusCode, string(b)
			}
			a.took = time.Since(start)
			answers[i] = a
		})
	}
	time.Sleep(time.Second) // the callbacks are in
	const prompt = 3 * time.Second
	for range 3 {
		probes := []struct {
			name string
			do   func() int
		}{
			{"/healthz", func() int { status, _, _ := get(t, s.public+"/healthz"); return status }},
			{"the JWKS", func() int { status, _, _ := get(t, s.public+"/t/"+tenantID+"/.well-known/jwks.json"); return status }},
			{"the admin API", func() int { return s.admin(key, http.MethodGet, "/v1/tenants/"+tenantID+"/accounts", nil).status }},
		}
		for _, p := range probes {
			start := time.Now()
			if status := p.do(); status != http.StatusOK || time.Since(start) > prompt {
				t.Errorf("%s while WeChat hangs: %d after %v", p.name, status, time.Since(start))
			}
		}
	}
	wg.Wait()
	quick := 0
	for _, a := range answers {
		if a.status != http.StatusServiceUnavailable || !strings.Contains(a.body, "WeChat is not responding") {
			t.Errorf("callback while WeChat hangs: %d (%v) after %v:\n%.300s", a.status, a.err, a.took, a.body)
		}
		if a.took < prompt {
			quick++
		}
		if a.took > 20*time.Second { // the request's deadline is 8 s
			t.Errorf("a callback waited %v for WeChat, past its request's deadline", a.took)
		}
	}
	if quick < callbacks-inFlight {
		t.Errorf("%d of %d callbacks were answered at once; all but the %d waiting for WeChat should be", quick, callbacks, inFlight)
	}
	s.clearFaults(t)
	s.loginAs(ctx, newBrowser(), appA, "after-the-hang", "snsapi_base")
}
