package wechat_test

import (
	"github.com/wxlogin/wxlogin/internal/clock"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

var seed = []byte("wechat client test seed")

const (
	boundApp   = "wx1000000000000001"
	unboundApp = "wx1000000000000002"
	secret     = "Sup3rS3cretAppSecretValue0000001"
	openPlat   = "op-client-test"
	callback   = "https://login.example/callback?tenant=t1"
)

var registry = wechatsim.StaticRegistry{
	boundApp:   {AppID: boundApp, Secret: secret, OpenPlatformID: openPlat, Domains: []string{"login.example"}},
	unboundApp: {AppID: unboundApp, Secret: secret, Domains: []string{"login.example"}},
}

// fixture is an emulated WeChat over real HTTP.
type fixture struct {
	sim   *wechatsim.Sim
	url   string
	clock *clock.Settable
}

func newFixture(t *testing.T, cfg wechatsim.Config) *fixture {
	t.Helper()
	clk := clock.New(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	cfg.Seed, cfg.Now = seed, clk.Now
	sim := wechatsim.New(cfg)
	srv := httptest.NewServer(sim.Handler(registry))
	t.Cleanup(srv.Close)
	return &fixture{sim: sim, url: srv.URL, clock: clk}
}

// client returns a Client for the emulator; tests wait 1 ms between retries
// unless they say otherwise.
func (f *fixture) client(cfg wechat.Config) *wechat.Client {
	cfg.APIURL, cfg.OpenURL = f.url, f.url
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Millisecond
	}
	return wechat.New(cfg)
}

// code has user authorize appID the way a phone would: follow the
// AuthorizeURL, consent to snsapi_userinfo unless in snapshot mode, and
// read the code from WeChat's redirect to the callback.
func (f *fixture) code(t *testing.T, c *wechat.Client, appID, scope, user string, snapshot bool) string {
	t.Helper()
	link, _, _ := strings.Cut(c.AuthorizeURL(appID, callback, scope, "st8"), "#")
	if snapshot {
		link += "&forceSnapShot=1"
	}
	loc := f.follow(t, http.MethodGet, link, user, nil)
	if loc == nil {
		loc = f.follow(t, http.MethodPost, link, user, url.Values{"user": {user}, "decision": {"allow"}})
	}
	if loc == nil || !strings.HasPrefix(loc.String(), callback+"&code=") || loc.Query().Get("state") != "st8" {
		t.Fatalf("authorize %s for %s: redirect %v, want the callback with a code and state", appID, user, loc)
	}
	return loc.Query().Get("code")
}

// follow requests an authorize page as user's phone and returns WeChat's
// redirect, or nil when it showed a page.
func (f *fixture) follow(t *testing.T, method, link, user string, form url.Values) *url.URL {
	t.Helper()
	req, err := http.NewRequest(method, link, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "wxsim_user", Value: url.QueryEscape(user)})
	phone := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := phone.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// wantCode checks err is WeChat's errcode, reported without the secret.
func wantCode(t *testing.T, err error, code int) {
	t.Helper()
	if !wechat.IsCode(err, code) {
		t.Fatalf("got %v, want errcode %d", err, code)
	}
	noSecret(t, err)
}

func noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "secret=")) {
		t.Errorf("error reveals the secret: %v", err)
	}
}
