package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// TestAdminAPIRateLimit: a key over its rate gets 429 with Retry-After and a
// problem; another key keeps its own bucket; a forged X-Forwarded-For on
// each request changes nothing.
func TestAdminAPIRateLimit(t *testing.T) {
	s := newStack(t, backends[0], "WXLOGIN_API_RATE=1", "WXLOGIN_API_BURST=3")
	busy := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "busy", "-role", "admin"))
	other := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "other", "-role", "viewer"))
	path := "/v1/tenants/" + tenantID + "/accounts"

	for i := range 3 {
		forged := http.Header{"X-Forwarded-For": {fmt.Sprintf("203.0.113.%d", i+1)}}
		if res := s.adminWith(busy, http.MethodGet, path, nil, forged); res.status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %s", i+1, res.status, res.body)
		}
	}
	res := s.adminWith(busy, http.MethodGet, path, nil, http.Header{"X-Forwarded-For": {"198.51.100.9"}})
	var p struct {
		Type   string
		Status int
		Detail string
	}
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("4th request: %d %s: %v", res.status, res.body, err)
	}
	switch {
	case res.status != http.StatusTooManyRequests || p.Status != http.StatusTooManyRequests:
		t.Fatalf("4th request: %d %s, want 429", res.status, res.body)
	case res.header.Get("Content-Type") != "application/problem+json":
		t.Errorf("Content-Type %q", res.header.Get("Content-Type"))
	case p.Type != "https://wxlogin.dev/problems/rate-limited" || p.Detail != "retry after 1 second":
		t.Errorf("problem %+v", p)
	case res.header.Get("Retry-After") != "1":
		t.Errorf("Retry-After %q, want 1 (a token a second)", res.header.Get("Retry-After"))
	}

	if res := s.admin(other, http.MethodGet, path, nil); res.status != http.StatusOK {
		t.Fatalf("another key: %d %s", res.status, res.body)
	}
}

// slowRate is a rate with no token coming back during a test: one every
// 100 s.
const slowRate = "0.01"

// from sends a request from client address addr (in X-Forwarded-For, which
// wxlogin believes when it trusts 127.0.0.1; empty sends none) to s: a GET
// of path, or with form a POST of it. It follows no redirect and checks the
// answer against openapi.yaml. It is WeChat's browser, where a login goes
// on to WeChat's authorize page.
func (s *stack) from(addr, path string, form url.Values) (int, http.Header, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.public+path, nil)
	if form != nil {
		req, err = http.NewRequest(http.MethodPost, s.public+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("User-Agent", browser.WeChatUserAgent)
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, path, err)
	}
	defer resp.Body.Close()
	if err := apiSpec(s.t).ValidateResponse(resp); err != nil {
		s.t.Errorf("%s %s: the answer breaks openapi.yaml: %v", req.Method, path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// hostedPaths are a hosted-login page of each kind, all charged to the
// login limit: a login start, a callback (of an unknown state: a 400
// page) and an OpenID Connect authorization request.
func hostedPaths() []string {
	t := "/t/" + tenantID
	return []string{
		t + "/wechat/" + appA + "/login?" + url.Values{"redirect_uri": {redirectURI}, "state": {"s"}}.Encode(),
		t + "/wechat/" + appA + "/callback?code=c&state=" + opaque.Hex(16),
		t + "/oauth/authorize?" + url.Values{"client_id": {appA}, "redirect_uri": {redirectURI}, "response_type": {"code"}, "scope": {"openid"}}.Encode(),
	}
}

// wantLimitedPage checks the answer a person's browser gets over the
// login limit: a 429 page, with Retry-After within the limit's interval.
func wantLimitedPage(t *testing.T, what string, status int, h http.Header, body string) {
	t.Helper()
	checkPageHeaders(t, what, h, true)
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Too many requests") || !strings.Contains(body, "请求过于频繁") {
		t.Fatalf("%s: %d, want the 429 page:\n%s", what, status, body)
	}
	wantRetryAfter(t, what, h)
}

// wantRetryAfter checks that Retry-After names a wait of a slowRate
// limit: up to 100 s.
func wantRetryAfter(t *testing.T, what string, h http.Header) {
	t.Helper()
	if n, err := strconv.Atoi(h.Get("Retry-After")); err != nil || n < 90 || n > 100 {
		t.Errorf("%s: Retry-After %q, want the 100 s of a token", what, h.Get("Retry-After"))
	}
}

// redisEnv has a stack keep its rate limits in the test Redis (at url, or
// the test server's), under keys of its own.
func redisEnv(t *testing.T, url string) []string {
	if url == "" {
		url = testenv.RedisURL(t)
	}
	return []string{"WXLOGIN_REDIS_URL=" + url, "WXLOGIN_REDIS_PREFIX=e2e-" + opaque.Hex(6) + ":"}
}

// TestRateLimitsSharedByReplicas: two wxlogin replicas on one database
// and one Redis spend one budget per API key, per client address on the
// hosted login and per client address on the token endpoint: requests
// spread over both get 429 with Retry-After once the shared burst is
// spent (a page for a person, problem+json on /v1, an OAuth error at the
// token endpoint), while another key or address is unaffected.
func TestRateLimitsSharedByReplicas(t *testing.T) {
	s := newStack(t, backends[1], append(redisEnv(t, ""), "WXLOGIN_TRUSTED_PROXIES=127.0.0.1",
		"WXLOGIN_API_RATE="+slowRate, "WXLOGIN_API_BURST=4", "WXLOGIN_LOGIN_RATE="+slowRate, "WXLOGIN_LOGIN_BURST=4",
		"WXLOGIN_TOKEN_RATE="+slowRate, "WXLOGIN_TOKEN_BURST=2")...)
	replicas := []*stack{s, s.replica()}
	at := func(i int) *stack { return replicas[i%2] }

	t.Run("admin API per key", func(t *testing.T) {
		busy := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "busy", "-role", "viewer"))
		other := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "other", "-role", "viewer"))
		path := "/v1/tenants/" + tenantID + "/accounts"
		for i := range 4 {
			if res := at(i).admin(busy, http.MethodGet, path, nil); res.status != http.StatusOK {
				t.Fatalf("request %d of the burst, on replica %d: %d %s", i+1, i%2, res.status, res.body)
			}
		}
		for i := range 2 {
			res := at(i).admin(busy, http.MethodGet, path, nil)
			wantProblem(t, fmt.Sprintf("request %d past the burst, on replica %d", i+1, i%2), res, http.StatusTooManyRequests, "rate-limited")
			wantRetryAfter(t, "admin API", res.header)
		}
		for i := range 2 {
			if res := at(i).admin(other, http.MethodGet, path, nil); res.status != http.StatusOK {
				t.Fatalf("another key on replica %d: %d %s", i, res.status, res.body)
			}
		}
	})

	t.Run("hosted login per address", func(t *testing.T) {
		paths := hostedPaths()
		for i := range 4 {
			if status, _, body := at(i).from("203.0.113.10", paths[i%3], nil); status == http.StatusTooManyRequests {
				t.Fatalf("request %d of the burst, on replica %d: 429\n%s", i+1, i%2, body)
			}
		}
		for i := range 3 {
			status, h, body := at(i).from("203.0.113.10", paths[i], nil)
			wantLimitedPage(t, fmt.Sprintf("%s past the burst, on replica %d", paths[i], i%2), status, h, body)
		}
		for i := range 2 {
			if status, h, _ := at(i).from("203.0.113.11", paths[0], nil); status != http.StatusFound {
				t.Fatalf("another address on replica %d: %d (%s)", i, status, h.Get("Location"))
			}
		}
	})

	t.Run("token endpoint per address", func(t *testing.T) {
		path := "/t/" + tenantID + "/oauth/token"
		form := url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}, "redirect_uri": {redirectURI}, "client_id": {appA}, "code_verifier": {opaque.New("", 32)}}
		for i := range 2 {
			if status, _, body := at(i).from("198.51.100.20", path, form); status != http.StatusBadRequest {
				t.Fatalf("request %d of the burst, on replica %d: %d %s, want invalid_grant", i+1, i%2, status, body)
			}
		}
		for i := range 2 {
			status, h, body := at(i).from("198.51.100.20", path, form)
			var e struct{ Error string }
			_ = json.Unmarshal([]byte(body), &e)
			if status != http.StatusTooManyRequests || e.Error != "too_many_requests" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Fatalf("request %d past the burst, on replica %d: %d %s %s", i+1, i%2, status, h.Get("Content-Type"), body)
			}
			wantRetryAfter(t, "token endpoint", h)
		}
		if status, _, body := at(1).from("198.51.100.21", path, form); status != http.StatusBadRequest {
			t.Fatalf("another address: %d %s", status, body)
		}
	})

	for i, r := range replicas {
		if n, _ := sample(r.scrape(), "wxlogin_rate_limited_total", map[string]string{"limit": "login"}); n < 1 {
			t.Errorf("replica %d counted %v refusals of the login limit", i, n)
		}
	}
}

// TestRateLimitsWithRedisCut: while Redis is unreachable the replicas fail
// open to limits of their own: no request is refused for Redis's sake, each
// replica still holds each address to the limit (so n replicas let through
// up to n bursts), /readyz stays ready, and the failure is logged and
// counted. Once Redis is back the replicas share one budget again, without
// a restart.
func TestRateLimitsWithRedisCut(t *testing.T) {
	redisURL, redis := testenv.RedisBehindProxy(t)
	s := newStack(t, backends[0], append(redisEnv(t, redisURL), "WXLOGIN_TRUSTED_PROXIES=127.0.0.1",
		"WXLOGIN_LOGIN_RATE="+slowRate, "WXLOGIN_LOGIN_BURST=3")...)
	replicas := []*stack{s, s.replica()}
	login := hostedPaths()[0]
	// burst spends the burst of addr over the replicas, one request on
	// each in turn, and checks the request after it is refused.
	burst := func(what, addr string, on ...*stack) {
		t.Helper()
		for i := range 3 {
			if status, h, body := on[i%len(on)].from(addr, login, nil); status != http.StatusFound {
				t.Fatalf("%s: request %d of %s's burst: %d (%s)\n%s", what, i+1, addr, status, h.Get("Location"), body)
			}
		}
		status, h, body := on[len(on)-1].from(addr, login, nil)
		wantLimitedPage(t, what+": "+addr+" past its burst", status, h, body)
	}

	burst("shared", "203.0.113.30", replicas...)

	redis.SetDown(true)
	for i, r := range replicas {
		burst(fmt.Sprintf("Redis cut, replica %d alone", i), "203.0.113.31", r)
		if status, _, body := r.readyz(r.public); status != http.StatusOK {
			t.Errorf("replica %d /readyz with Redis cut: %d %s", i, status, body)
		}
		if n, _ := sample(r.scrape(), "wxlogin_rate_limit_store_failures_total", nil); n < 1 {
			t.Errorf("replica %d counted %v store failures", i, n)
		}
		if !strings.Contains(r.process.output(), "rate limit store failed; limits hold on this replica alone") {
			t.Errorf("replica %d logged no warning:\n%s", i, r.process.output())
		}
	}

	redis.SetDown(false)
	for i, r := range replicas {
		for n := 0; !strings.Contains(r.process.output(), "rate limit store answers again"); n++ {
			if n == 100 {
				t.Fatalf("replica %d never used Redis again:\n%s", i, r.process.output())
			}
			time.Sleep(100 * time.Millisecond)
			r.from(fmt.Sprintf("192.0.2.%d", n), login, nil)
		}
	}
	burst("Redis back", "203.0.113.32", replicas...)
}

// TestAttackForgedForwardedForRateLimit: without a trusted proxy, a client
// naming another address in every X-Forwarded-For is still charged to its
// own bucket; behind a trusted proxy, only the address the proxy appended
// counts, whatever the client put before it.
func TestAttackForgedForwardedForRateLimit(t *testing.T) {
	login, token := hostedPaths()[0], "/t/"+tenantID+"/oauth/token"
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}, "redirect_uri": {redirectURI}, "client_id": {appA}, "code_verifier": {opaque.New("", 32)}}
	limits := []string{"WXLOGIN_LOGIN_RATE=" + slowRate, "WXLOGIN_LOGIN_BURST=3", "WXLOGIN_TOKEN_RATE=" + slowRate, "WXLOGIN_TOKEN_BURST=3"}

	t.Run("no trusted proxy", func(t *testing.T) {
		s := newStack(t, backends[0], append(limits, "WXLOGIN_TRUSTED_PROXIES=")...)
		for i := range 3 {
			forged := fmt.Sprintf("203.0.113.%d", 40+i)
			if status, _, _ := s.from(forged, login, nil); status != http.StatusFound {
				t.Fatalf("login %d: %d", i+1, status)
			}
			if status, _, _ := s.from(forged, token, form); status != http.StatusBadRequest {
				t.Fatalf("token request %d: %d", i+1, status)
			}
		}
		status, h, body := s.from("203.0.113.49", login, nil)
		wantLimitedPage(t, "login under yet another forged address", status, h, body)
		if status, _, body := s.from("203.0.113.49", token, form); status != http.StatusTooManyRequests {
			t.Fatalf("token request under yet another forged address: %d %s, want 429", status, body)
		}
	})

	t.Run("loopback trusted", func(t *testing.T) {
		s := newStack(t, backends[0], append(limits, "WXLOGIN_TRUSTED_PROXIES=127.0.0.1")...)
		for i := range 6 {
			if status, _, _ := s.from(fmt.Sprintf("203.0.113.%d", 40+i), login, nil); status != http.StatusFound {
				t.Fatalf("login from client %d: %d, want each client its own bucket", i+1, status)
			}
		}
		for i := range 3 {
			if status, _, _ := s.from(fmt.Sprintf("198.51.100.%d, 203.0.113.60", i), login, nil); status != http.StatusFound {
				t.Fatalf("login %d of 203.0.113.60: %d", i+1, status)
			}
		}
		status, h, body := s.from("198.51.100.99, 203.0.113.60", login, nil)
		wantLimitedPage(t, "203.0.113.60 with another forged address before it", status, h, body)
	})
}
