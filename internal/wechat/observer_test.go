package wechat_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// calls records what an Observer is told, without the durations.
type calls struct {
	mu  sync.Mutex
	got []string
}

func (c *calls) WeChatCall(api, result string, errcode int, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d <= 0 {
		c.got = append(c.got, "no duration")
	}
	c.got = append(c.got, fmt.Sprintf("%s %s %d", api, result, errcode))
}

// TestObserver: the Observer hears of every attempt, retries included,
// with its result and errcode.
func TestObserver(t *testing.T) {
	f := newFixture(t, wechatsim.Config{})
	obs := &calls{}
	c := f.client(wechat.Config{Observer: obs})
	ctx := context.Background()

	f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, ErrCode: wechat.CodeSystemBusy, Times: 1})
	tok, err := c.Exchange(ctx, boundApp, secret, f.code(t, c, boundApp, "snsapi_userinfo", "alice", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserInfo(ctx, tok.AccessToken, tok.OpenID); err != nil {
		t.Fatal(err)
	}
	f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, ErrCode: wechat.CodeInvalidCode, Times: 1})
	_, _ = c.Exchange(ctx, boundApp, secret, "spent")
	f.sim.InjectFault(wechatsim.Fault{Path: tokenPath, HTML: true, Times: 1})
	_, _ = c.Exchange(ctx, boundApp, secret, "spent")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _ = c.Exchange(cancelled, boundApp, secret, "spent")

	want := []string{
		tokenPath + " errcode -1",
		tokenPath + " ok 0",
		"/sns/userinfo ok 0",
		tokenPath + " errcode 40029",
		tokenPath + " bad_response 0",
		tokenPath + " transport 0",
	}
	if !slices.Equal(obs.got, want) {
		t.Errorf("observed\n%q\nwant\n%q", obs.got, want)
	}
}
