package wechat_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

const tokenPath = "/sns/oauth2/access_token"

// TestRetrySystemBusy injects errcode -1 for the first n calls: the exchange
// succeeds only if Retries covers them, and the code is not spent by the
// failed attempts.
func TestRetrySystemBusy(t *testing.T) {
	tests := []struct {
		name    string
		busy    int
		retries int
		wantErr bool
	}{
		{"busy once, default retries", 1, 0, false},
		{"busy twice, default retries", 2, 0, false},
		{"busy three times, default retries", 3, 0, true},
		{"busy once, retries disabled", 1, -1, true},
		{"busy four times, four retries", 4, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, wechatsim.Config{})
			c := f.client(wechat.Config{Retries: tt.retries})
			code := f.code(t, c, boundApp, "snsapi_base", "alice", false)
			f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, ErrCode: -1, Times: tt.busy})
			tok, err := c.Exchange(context.Background(), boundApp, secret, code)
			if tt.wantErr {
				wantCode(t, err, wechat.CodeSystemBusy)
				// All attempts were used up on the fault: the code is still good.
				_, err = c.Exchange(context.Background(), boundApp, secret, code)
			}
			if err != nil || (!tt.wantErr && tok.OpenID == "") {
				t.Fatalf("got %+v, %v", tok, err)
			}
		})
	}
}

// TestNoRetry injects each non-retryable errcode once: had the client
// retried, the second attempt would have succeeded.
func TestNoRetry(t *testing.T) {
	codes := []int{
		wechat.CodeInvalidCode, wechat.CodeCodeUsed, wechat.CodeInvalidSecret, wechat.CodeInvalidAppID,
		wechat.CodeMinuteQuota, wechat.CodeCodeExpired, wechat.CodeInvalidCredential,
	}
	f := newFixture(t, wechatsim.Config{})
	c := f.client(wechat.Config{Retries: 3})
	for _, code := range codes {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			wxcode := f.code(t, c, boundApp, "snsapi_base", "alice", false)
			f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, ErrCode: code, Times: 1})
			_, err := c.Exchange(context.Background(), boundApp, secret, wxcode)
			wantCode(t, err, code)
		})
	}
}

func TestBadResponse(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		wantStatus string
	}{
		{"HTML page with 200", 0, "HTTP 200"},
		{"HTML page with 502", http.StatusBadGateway, "HTTP 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, wechatsim.Config{})
			c := f.client(wechat.Config{Retries: 3})
			f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, HTML: true, Status: tt.status, Times: 1})
			_, err := c.Exchange(context.Background(), boundApp, secret, f.code(t, c, boundApp, "snsapi_base", "alice", false))
			if !errors.Is(err, wechat.ErrBadResponse) || !strings.Contains(err.Error(), tt.wantStatus) ||
				!strings.Contains(err.Error(), "text/html") || !strings.Contains(err.Error(), tokenPath) {
				t.Errorf("got %v, want ErrBadResponse naming the path, %s and text/html (and no retry)", err, tt.wantStatus)
			}
			noSecret(t, err)
		})
	}
}

// TestTimeout makes WeChat slower than the client's HTTP timeout. The code
// exchange is not retried then (WeChat may have spent the code, and a retry
// would only earn 40163); userinfo is.
func TestTimeout(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	c := f.client(wechat.Config{Retries: 2, HTTP: &http.Client{Timeout: 100 * time.Millisecond}})

	code := f.code(t, c, boundApp, "snsapi_userinfo", "alice", false)
	f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, Delay: time.Minute, Times: 1})
	_, err := c.Exchange(context.Background(), boundApp, secret, code)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !strings.Contains(err.Error(), "GET "+tokenPath) {
		t.Fatalf("exchange: got %v, want a timeout naming the path", err)
	}
	noSecret(t, err)

	code = f.code(t, c, boundApp, "snsapi_userinfo", "alice", false)
	tok, err := c.Exchange(context.Background(), boundApp, secret, code)
	if err != nil {
		t.Fatal(err)
	}
	f.sim.InjectFault(wechatsim.Fault{Path: "/sns/userinfo", Delay: time.Minute, Times: 1})
	if info, err := c.UserInfo(context.Background(), tok.AccessToken, tok.OpenID); err != nil || info.OpenID != tok.OpenID {
		t.Fatalf("userinfo: got %+v, %v; want success on the retry", info, err)
	}
}

// TestContextEnds checks the client gives up when its context does: while
// WeChat hangs, and while waiting to retry.
func TestContextEnds(t *testing.T) {
	tests := []struct {
		name  string
		fault wechatsim.Fault
		cfg   wechat.Config
	}{
		{"WeChat hangs", wechatsim.Fault{Path: tokenPath, Drop: true}, wechat.Config{}},
		{"long backoff", wechatsim.Fault{Path: tokenPath, ErrCode: -1}, wechat.Config{Backoff: time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, wechatsim.Config{})
			c := f.client(tt.cfg)
			f.sim.InjectFault(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.Exchange(ctx, boundApp, secret, "some-code")
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
				t.Errorf("got %v after %v, want the context's deadline promptly", err, time.Since(start))
			}
			noSecret(t, err)
		})
	}
}

// TestTransportErrorHidesSecret calls a server that is gone: net/http's own
// error quotes the whole URL, secret included.
func TestTransportErrorHidesSecret(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c := wechat.New(wechat.Config{APIURL: srv.URL, Backoff: time.Millisecond})
	_, err := c.Exchange(context.Background(), boundApp, secret, "some-code")
	var op *net.OpError
	if !errors.As(err, &op) || !strings.Contains(err.Error(), "GET "+tokenPath) {
		t.Fatalf("got %v, want a network error naming the path", err)
	}
	noSecret(t, err)
}
