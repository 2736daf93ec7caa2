package wechatsim_test

import (
	"encoding/json"
	"github.com/wxlogin/wxlogin/internal/clock"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

var seed = []byte("wechatsim test seed")

// Test apps: the two official accounts and the website app share one Open
// Platform account.
const (
	oaApp      = "wx00000000000000a1"
	oaApp2     = "wx00000000000000a2"
	unboundApp = "wx00000000000000b1"
	webApp     = "wx00000000000000c1"
	bannedApp  = "wx00000000000000d1"
	secret     = "s3cr3t-app-secret-value"
	openPlat   = "op-test"
	callback   = "https://app.example/cb"
)

var registry = wechatsim.StaticRegistry{
	oaApp:      {AppID: oaApp, Secret: secret, OpenPlatformID: openPlat, Domains: []string{"app.example", "127.0.0.1:8080"}},
	oaApp2:     {AppID: oaApp2, Secret: secret, OpenPlatformID: openPlat, Domains: []string{"app.example"}},
	unboundApp: {AppID: unboundApp, Secret: secret, Domains: []string{"app.example"}},
	webApp:     {AppID: webApp, Secret: secret, OpenPlatformID: openPlat, Domains: []string{"app.example"}, Website: true},
	bannedApp:  {AppID: bannedApp, Secret: secret, Domains: []string{"app.example"}, Banned: true},
}

// env is one emulator served over real HTTP.
type env struct {
	sim   *wechatsim.Sim
	url   string
	clock *clock.Settable
}

func newEnv(t *testing.T, cfg wechatsim.Config) *env {
	t.Helper()
	clk := clock.New(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	cfg.Seed, cfg.Now = seed, clk.Now
	sim := wechatsim.New(cfg)
	return &env{sim: sim, url: newServer(t, sim.Handler(registry)), clock: clk}
}

// link builds a page URL with parameters in the given order.
func (e *env) link(path string, kv ...string) string {
	pairs := make([]string, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, kv[i]+"="+url.QueryEscape(kv[i+1]))
	}
	return e.url + path + "?" + strings.Join(pairs, "&")
}

// oaLink is a valid documented authorize link for the given app and scope.
func (e *env) oaLink(appID, scope string, extra ...string) string {
	kv := append([]string{"appid", appID, "redirect_uri", callback, "response_type", "code",
		"scope", scope, "state", "st4te"}, extra...)
	return e.link("/connect/oauth2/authorize", kv...)
}

func (e *env) qrLink(appID, scope string) string {
	return e.link("/connect/qrconnect", "appid", appID, "redirect_uri", callback,
		"response_type", "code", "scope", scope, "state", "st4te")
}

// browser is a person's browser: it keeps cookies and does not follow
// redirects, so that tests can read WeChat's Location. A non-empty user is
// already known to the emulator.
func (e *env) browser(t *testing.T, user string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		u, _ := url.Parse(e.url)
		jar.SetCookies(u, []*http.Cookie{{Name: "wxsim_user", Value: url.QueryEscape(user), Path: "/"}})
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// response is a fetched page or API answer.
type response struct {
	status      int
	contentType string
	location    string
	body        string
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Location"), string(b)}
}

// redirected checks that r redirects to the callback and returns its query.
func redirected(t *testing.T, r response) url.Values {
	t.Helper()
	if r.status != http.StatusFound || !strings.HasPrefix(r.location, callback) {
		t.Fatalf("want 302 to %s, got %d Location %q body %.200s", callback, r.status, r.location, r.body)
	}
	u, err := url.Parse(r.location)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// code runs the authorization flow of an official account for a known user
// and returns the code.
func (e *env) code(t *testing.T, appID, scope, user string) string {
	t.Helper()
	c := e.browser(t, user)
	r := fetch(t, c, http.MethodGet, e.oaLink(appID, scope), nil)
	if scope == "snsapi_userinfo" {
		r = fetch(t, c, http.MethodPost, e.oaLink(appID, scope), url.Values{"user": {user}, "decision": {"allow"}})
	}
	return redirected(t, r).Get("code")
}

// answer is a decoded API answer.
type answer struct {
	response
	json map[string]any
}

func (e *env) api(t *testing.T, path string, kv ...string) answer {
	t.Helper()
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	r := fetch(t, http.DefaultClient, http.MethodGet, e.url+path+"?"+q.Encode(), nil)
	a := answer{response: r}
	if err := json.Unmarshal([]byte(r.body), &a.json); err != nil {
		t.Fatalf("GET %s: not JSON (%v): %q", path, err, r.body)
	}
	return a
}

func (e *env) exchange(t *testing.T, appID, code string) answer {
	t.Helper()
	return e.api(t, "/sns/oauth2/access_token", "appid", appID, "secret", secret, "code", code, "grant_type", "authorization_code")
}

func (a answer) str(key string) string {
	s, _ := a.json[key].(string)
	return s
}

func (a answer) errcode() int {
	n, _ := a.json["errcode"].(float64)
	return int(n)
}

var ridRE = regexp.MustCompile(`^[a-z_ ,A-Z-]+, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`)

// wantErr checks an API error answer: HTTP 200, the errcode, and an errmsg
// with a request id.
func wantErr(t *testing.T, a answer, code int) {
	t.Helper()
	if a.status != http.StatusOK || a.errcode() != code || !ridRE.MatchString(a.str("errmsg")) {
		t.Fatalf("want HTTP 200 errcode %d with rid, got %d %s", code, a.status, a.body)
	}
}

// wantOK checks an API success answer: HTTP 200 and no errcode.
func wantOK(t *testing.T, a answer) {
	t.Helper()
	if a.status != http.StatusOK || a.errcode() != 0 {
		t.Fatalf("want success, got %d %s", a.status, a.body)
	}
}

// form is the first HTML form of a page.
type form struct {
	method    string
	hasAction bool
	fields    map[string]string // inputs by name → type
	hidden    url.Values
	buttons   map[string][]string // submit buttons: name → values
}

func parseForm(t *testing.T, body string) form {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	f := form{fields: map[string]string{}, hidden: url.Values{}, buttons: map[string][]string{}}
	var found bool
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "form":
			if found {
				t.Fatal("more than one form")
			}
			found = true
			f.method = attr(n, "method")
			_, f.hasAction = attrOK(n, "action")
		case "input":
			f.fields[attr(n, "name")] = attr(n, "type")
			if attr(n, "type") == "hidden" {
				f.hidden.Add(attr(n, "name"), attr(n, "value"))
			}
		case "button":
			f.buttons[attr(n, "name")] = append(f.buttons[attr(n, "name")], attr(n, "value"))
		}
	}
	if !found {
		t.Fatalf("no form in page: %.300s", body)
	}
	return f
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
