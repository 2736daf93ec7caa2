package wechat_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// TestBudget: while WeChat hangs, a call that would be retried gives up
// when its budget is spent, however many retries are left, and each
// attempt when its own timeout is.
func TestBudget(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	obs := &calls{}
	c := f.client(wechat.Config{Timeout: 100 * time.Millisecond, Budget: 350 * time.Millisecond, Retries: 50, Observer: obs})
	tok, err := c.Exchange(context.Background(), boundApp, secret, f.code(t, c, boundApp, "snsapi_userinfo", "alice", false))
	if err != nil {
		t.Fatal(err)
	}
	f.sim.InjectFault(wechatsim.Fault{Path: "/sns/userinfo", Drop: true})
	_, err = c.UserInfo(context.Background(), tok.AccessToken, tok.OpenID)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("userinfo while WeChat hangs: %v, want the budget's deadline", err)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	attempts := 0
	for _, call := range obs.got {
		if strings.HasPrefix(call, "/sns/userinfo transport") {
			attempts++
		}
	}
	if attempts < 2 || attempts > 10 {
		t.Errorf("%d attempts within the budget, want a few: each cut by its timeout, the rest cut by the budget (%q)", attempts, obs.got)
	}
}

// TestMaxInFlight: while MaxInFlight requests wait for a hanging WeChat,
// one more is refused at once with ErrOverloaded, unsent; once they are
// done, requests go through again.
func TestMaxInFlight(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	obs := &calls{}
	c := f.client(wechat.Config{MaxInFlight: 2, Observer: obs})
	f.sim.InjectFault(wechatsim.Fault{Path: "/sns/userinfo", Drop: true})
	hung, release := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 { // each keeps a request waiting
		wg.Go(func() {
			for hung.Err() == nil {
				_, _ = c.UserInfo(hung, "token", "openid")
			}
		})
	}
	// A probe that takes a free place gives it back at once: its context
	// has ended already.
	probe, cancel := context.WithCancel(context.Background())
	cancel()
	refused := false
	for deadline := time.Now().Add(10 * time.Second); !refused && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		_, err := c.UserInfo(probe, "token", "openid")
		refused = errors.Is(err, wechat.ErrOverloaded)
	}
	release()
	wg.Wait()
	if !refused {
		t.Fatal("a request beyond MaxInFlight was never refused while WeChat hung")
	}
	if !strings.Contains(strings.Join(obs.got, "\n"), "/sns/userinfo overloaded 0") {
		t.Errorf("the Observer was not told of the refusal: %q", obs.got)
	}
	f.sim.ClearFaults()
	tok, err := c.Exchange(context.Background(), boundApp, secret, f.code(t, c, boundApp, "snsapi_base", "bob", false))
	if err != nil || tok.OpenID == "" {
		t.Errorf("exchange once the hung requests are done: %+v, %v", tok, err)
	}
}
