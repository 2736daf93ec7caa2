package wechatsim_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// TestConcurrentLogins runs many logins at once, and races every code
// against itself: exactly one redemption of each may succeed.
func TestConcurrentLogins(t *testing.T) {
	const logins, racers = 32, 4
	e := newEnv(t, wechatsim.Config{})
	var wg sync.WaitGroup
	for i := range logins {
		wg.Go(func() {
			user := fmt.Sprintf("user%d", i%8)
			code, err := tryLogin(e, user)
			if err != nil {
				t.Errorf("%s: login: %v", user, err)
				return
			}
			var wins atomic.Int32
			var race sync.WaitGroup
			for range racers {
				race.Go(func() {
					a, err := tryExchange(e, code)
					switch {
					case err == nil && a.ErrCode == 0 && a.OpenID == wechatsim.OpenID(seed, oaApp, user):
						wins.Add(1)
					case err != nil || a.ErrCode != 40163:
						t.Errorf("%s: unexpected answer %+v, %v", user, a, err)
					}
				})
			}
			race.Wait()
			if wins.Load() != 1 {
				t.Errorf("%s: code redeemed %d times", user, wins.Load())
			}
		})
	}
	wg.Wait()
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// tryLogin is a snsapi_base login of a known user that reports failure
// instead of failing the test, so it may run off the test goroutine.
func tryLogin(e *env, user string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, e.oaLink(oaApp, "snsapi_base"), nil)
	if err != nil {
		return "", err
	}
	req.AddCookie(&http.Cookie{Name: "wxsim_user", Value: user})
	resp, err := noRedirect.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return "", err
	}
	return loc.Query().Get("code"), nil
}

type exchangeAnswer struct {
	ErrCode int    `json:"errcode"`
	OpenID  string `json:"openid"`
}

func tryExchange(e *env, code string) (exchangeAnswer, error) {
	q := url.Values{"appid": {oaApp}, "secret": {secret}, "code": {code}, "grant_type": {"authorization_code"}}
	var a exchangeAnswer
	resp, err := http.Get(e.url + "/sns/oauth2/access_token?" + q.Encode())
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&a)
	return a, err
}
