package wechatsim_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// TestConcurrentExchanges runs many logins at once, and races every code
// against itself: exactly one redemption of each may succeed.
func TestConcurrentExchanges(t *testing.T) {
	const logins, racers = 32, 4
	e := newEnv(t, wechatsim.Config{})
	var wg sync.WaitGroup
	for i := range logins {
		wg.Go(func() {
			user := fmt.Sprintf("user%d", i%8)
			code := e.code(oaApp, "snsapi_userinfo", user)
			var wins atomic.Int32
			var inner sync.WaitGroup
			for range racers {
				inner.Go(func() {
					a := e.exchange(oaApp, code)
					switch {
					case a.errcode() == 0 && a.str("openid") == wechatsim.OpenID(seed, oaApp, user):
						wins.Add(1)
					case a.errcode() != 40163:
						t.Errorf("%s: unexpected answer %s", user, a.body)
					}
				})
			}
			inner.Wait()
			if wins.Load() != 1 {
				t.Errorf("%s: code redeemed %d times", user, wins.Load())
			}
		})
	}
	wg.Wait()
}
