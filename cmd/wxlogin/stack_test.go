package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secretscan"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/internal/token"
)

// wxloginBin is the binary under test, built once by TestMain: the
// end-to-end tests run wxlogin and the WeChat emulator as real processes and
// talk to them over HTTP like a browser and a tenant's backend would.
var wxloginBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wxlogin-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wxloginBin = filepath.Join(dir, "wxlogin")
	build := exec.Command("go", "build", "-o", wxloginBin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build wxlogin: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// The test tenant, its accounts and the tenant site's redirect URI.
const (
	tenantID     = "acme"
	appA         = "wxa0000000000000a1"
	appB         = "wxb0000000000000b2"
	appSandbox   = "wxc0000000000000c3"
	appWeb       = "wxd0000000000000d4" // a website app, registered by the tests that need it
	secretA      = "secret-of-account-a-0123456789ab"
	secretB      = "secret-of-account-b-0123456789ab"
	secretWeb    = "secret-of-website-app-0123456789"
	openPlatform = "acme-open"
	tenantSite   = "shop.example"
	redirectURI  = "https://" + tenantSite + "/wechat/callback"
)

// stack is wxlogin and the WeChat emulator running as processes, set up with
// one tenant, two live accounts bound to one Open Platform (pointed at the
// emulator) and one sandbox account.
type stack struct {
	t   *testing.T
	env []string
	// public is where clients reach wxlogin: a recording proxy in front
	// of listen, where it listens.
	public, listen string
	// ops is the base URL of the metrics listener, if one runs.
	ops     string
	sim     string
	dbURL   string
	vault   *testenv.Proxy
	db      *testenv.Proxy
	process *process
}

// backend says where a stack keeps its data.
type backend struct {
	name string
	// setup returns the database URL and extra environment; it may put
	// proxies in front of the services so a test can take them away.
	setup func(t *testing.T, s *stack) (dbURL string, env []string)
}

var backends = []backend{
	{"sqlite+local", func(t *testing.T, _ *stack) (string, []string) {
		return "sqlite:" + testenv.SQLiteFile(t), nil
	}},
	{"postgres+vault", func(t *testing.T, s *stack) (string, []string) {
		pg, err := url.Parse(testenv.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		addr, tok := testenv.Vault(t)
		va, err := url.Parse(addr)
		if err != nil {
			t.Fatal(err)
		}
		s.db, s.vault = testenv.NewProxy(t, pg.Host), testenv.NewProxy(t, va.Host)
		pg.Host = s.db.Addr()
		return pg.String(), []string{
			"WXLOGIN_VAULT_ADDR=http://" + s.vault.Addr(),
			"WXLOGIN_VAULT_TOKEN=" + tok,
			"WXLOGIN_VAULT_PREFIX=e2e-" + opaque.Hex(6),
			"WXLOGIN_SECRET_CACHE_TTL=0s",
		}
	}},
}

// newStack starts a stack on b; env adds settings (NAME=value) to wxlogin's
// environment.
func newStack(t *testing.T, b backend, env ...string) *stack {
	t.Helper()
	s := &stack{t: t}
	s.front()
	s.sim = s.startSimulator()
	dbURL, extra := b.setup(t, s)
	s.dbURL = dbURL
	s.env = append([]string{
		"WXLOGIN_HTTP_ADDR=" + s.listen,
		"WXLOGIN_METRICS_ADDR=127.0.0.1:0",
		"WXLOGIN_PUBLIC_URL=" + s.public,
		"WXLOGIN_DATA_DIR=" + t.TempDir(),
		"WXLOGIN_DATABASE_URL=" + dbURL,
		"WXLOGIN_WECHAT_API_URL=" + s.sim,
		"WXLOGIN_WECHAT_OPEN_URL=" + s.sim,
		"WXLOGIN_SHUTDOWN_TIMEOUT=10s", // above net/http's 5 s grace for connections that never sent a request
	}, append(extra, env...)...)
	t.Cleanup(s.recordStoredSecrets) // after wxlogin stops, before its data goes
	s.run("", "migrate", "up")
	s.run("", "tenant", "create", "-id", tenantID, "-name", "Acme")
	for _, a := range []struct{ id, secret, mode string }{{appA, secretA, "live"}, {appB, secretB, "live"}, {appSandbox, "sandbox-secret", "sandbox"}} {
		s.run(a.secret+"\n", "account", "create", "-tenant", tenantID, "-appid", a.id, "-name", "Account "+a.id,
			"-mode", a.mode, "-scope", "snsapi_userinfo", "-open-platform", openPlatform, "-redirect-uri", redirectURI)
	}
	s.serve()
	return s
}

// serve starts `wxlogin serve` and waits until it is healthy.
func (s *stack) serve() {
	s.t.Helper()
	s.process = s.start([]string{"serve"}, "listening")
	if m := metricsAddr.FindStringSubmatch(s.process.match); m != nil {
		s.ops = "http://" + testenv.NewRecordingProxy(s.t, m[1], s.redact).Addr()
	}
	s.waitHealthy()
}

// replica starts another wxlogin on s's settings, database and secret
// store, as a second pod behind the same public URL would run, and returns
// a stack whose requests go to it.
func (s *stack) replica() *stack {
	s.t.Helper()
	r := *s
	r.front()
	r.env = append(slices.Clone(s.env), "WXLOGIN_HTTP_ADDR="+r.listen)
	r.serve()
	return &r
}

// metricsAddr finds where the metrics listener listens in wxlogin's
// "listening" log line.
var metricsAddr = regexp.MustCompile(`"metrics_addr":"([^"]+)"`)

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// startSimulator runs `wxlogin wechat-sandbox` with the two live accounts
// and the website app of their Open Platform, whose 网页授权域名 and 授权回调域
// is wxlogin's host.
func (s *stack) startSimulator() string {
	host := strings.TrimPrefix(s.public, "http://")
	apps, _ := json.Marshal([]map[string]any{
		{"appid": appA, "secret": secretA, "open_platform_id": openPlatform, "domains": []string{host}},
		{"appid": appB, "secret": secretB, "open_platform_id": openPlatform, "domains": []string{host}},
		{"appid": appWeb, "secret": secretWeb, "open_platform_id": openPlatform, "domains": []string{host}, "website": true},
	})
	for _, secret := range []string{secretA, secretB, secretWeb} {
		testenv.RecordSecret(s.t, secretscan.AppSecret, secret)
	}
	file := filepath.Join(s.t.TempDir(), "apps.json")
	if err := os.WriteFile(file, apps, 0o600); err != nil {
		s.t.Fatal(err)
	}
	p := s.start([]string{"wechat-sandbox", "-addr", "127.0.0.1:0", "-apps", file, "-control"}, "wechat sandbox listening on ")
	return strings.TrimSpace(strings.TrimPrefix(p.match, "wechat sandbox listening on "))
}

// run runs an operator command to completion and returns its stdout.
func (s *stack) run(stdin string, args ...string) string {
	s.t.Helper()
	cmd := exec.Command(wxloginBin, args...)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	s.recordRun(stdin, args, out, stderr.String())
	if err != nil {
		s.t.Fatalf("wxlogin %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// process is a long-running wxlogin process.
type process struct {
	cmd   *exec.Cmd
	match string
	mu    sync.Mutex
	log   strings.Builder
	// exited is closed once the process has exited and all its output is
	// in log, with err its status.
	exited chan struct{}
	err    error
}

// start runs wxlogin with args until the test ends, waiting for a line
// containing ready. At the end it is sent SIGTERM and must exit 0.
func (s *stack) start(args []string, ready string) *process {
	s.t.Helper()
	p := &process{cmd: exec.Command(wxloginBin, args...), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), s.env...)
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	found := make(chan string, 1)
	scanned := make(chan struct{})
	go func() { p.scan(pr, ready, found); close(scanned) }()
	go func() { p.err = p.cmd.Wait(); _ = pw.Close(); <-scanned; close(p.exited) }()
	s.t.Cleanup(func() {
		p.stop(s.t)
		testenv.RecordArtifact(s.t, testenv.Logs, args[0], []byte(p.output()))
	})
	select {
	case p.match = <-found:
	case <-p.exited:
		s.t.Fatalf("wxlogin %s exited early: %v\n%s", args[0], p.err, p.output())
	case <-time.After(30 * time.Second):
		s.t.Fatalf("wxlogin %s did not get ready\n%s", args[0], p.output())
	}
	return p
}

func (p *process) scan(r io.Reader, ready string, found chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		p.log.WriteString(line + "\n")
		p.mu.Unlock()
		if i := strings.Index(line, ready); i >= 0 && found != nil {
			found <- line[i:]
			found = nil
		}
	}
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// stop asks for a graceful shutdown and checks it happened.
func (p *process) stop(t *testing.T) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t)
}

// waitExit waits for the process to exit and checks it exited 0.
func (p *process) waitExit(t *testing.T) {
	t.Helper()
	select {
	case <-p.exited:
		if p.err != nil {
			t.Errorf("%s did not exit cleanly on SIGTERM: %v\n%s", p.cmd.Args[1], p.err, p.output())
		}
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("%s did not stop within 20s of SIGTERM", p.cmd.Args[1])
	}
}

func (s *stack) waitHealthy() {
	for i := 0; i < 100; i++ {
		resp, err := http.Get(s.public + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("wxlogin never became healthy\n%s", s.process.output())
}

// newBrowser is a person's browser: it stops at the tenant's site.
func newBrowser() *browser.Browser {
	return browser.New(http.DefaultTransport, func(u *url.URL) bool { return u.Host == tenantSite })
}

// loginURL is the hosted login URL with PKCE.
func (s *stack) loginURL(appID, scope, state, verifier string) string {
	q := url.Values{"redirect_uri": {redirectURI}, "state": {state}}
	if scope != "" {
		q.Set("scope", scope)
	}
	if verifier != "" {
		q.Set("code_challenge", login.S256(verifier))
		q.Set("code_challenge_method", "S256")
	}
	return s.public + "/t/" + tenantID + "/wechat/" + appID + "/login?" + q.Encode()
}

// authorize walks a browser from the hosted login URL through WeChat's pages
// as user, allowing when asked, to the tenant's redirect URI.
func (s *stack) authorize(ctx context.Context, br *browser.Browser, start, user string) browser.Page {
	s.t.Helper()
	return s.walk(ctx, br, start, user, func(u *url.URL) bool { return u.Host == tenantSite })
}

// wechatCallback starts a PKCE login as user and walks WeChat's pages up to
// WeChat's redirect to wxlogin's callback, which it returns unrequested.
func (s *stack) wechatCallback(ctx context.Context, appID, user, state, verifier string) *url.URL {
	s.t.Helper()
	atCallback := func(u *url.URL) bool { return strings.HasSuffix(u.Path, "/callback") }
	return s.walk(ctx, browser.New(http.DefaultTransport, atCallback), s.loginURL(appID, "snsapi_base", state, verifier), user, atCallback).URL
}

// walk follows a browser from start through WeChat's pages as user,
// allowing when asked, until it is at a URL for which at holds.
func (s *stack) walk(ctx context.Context, br *browser.Browser, start, user string, at func(*url.URL) bool) browser.Page {
	s.t.Helper()
	p, err := walkPages(ctx, br, start, user, at)
	if err != nil {
		s.t.Fatalf("authorize: %v", err)
	}
	if !at(p.URL) {
		s.t.Fatalf("stuck at %s (%d):\n%s", p.URL, p.Status, p.Body)
	}
	return p
}

// walkPages follows a browser from start through WeChat's pages as user,
// allowing when asked, until it is at a URL for which at holds or at a
// page that asks nothing (one of wxlogin's, where the login stopped), and
// returns that page.
func walkPages(ctx context.Context, br *browser.Browser, start, user string, at func(*url.URL) bool) (browser.Page, error) {
	p, err := br.Get(ctx, start)
	for step := 0; err == nil && !at(p.URL) && step < 3; step++ {
		switch body := string(p.Body); {
		case strings.Contains(body, `name="decision"`):
			p, err = br.Submit(ctx, p, "decision", "allow", nil)
		case strings.Contains(body, `name="user"`):
			p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {user}})
		default:
			return p, nil
		}
	}
	return p, err
}

// redeem posts to the token endpoint and returns status and body.
func (s *stack) redeem(form url.Values, basicUser, basicPass string) (int, []byte) {
	s.t.Helper()
	return s.redeemIn(tenantID, form, basicUser, basicPass)
}

// redeemIn posts to tenant's token endpoint and returns status and body.
func (s *stack) redeemIn(tenant string, form url.Values, basicUser, basicPass string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.public+"/t/"+tenant+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != "" {
		req.SetBasicAuth(basicUser, basicPass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("token endpoint: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// loginAs runs a whole PKCE login and returns the verified claims.
func (s *stack) loginAs(ctx context.Context, br *browser.Browser, appID, user, scope string) token.Claims {
	s.t.Helper()
	return s.verify(ctx, appID, s.loginRaw(ctx, br, appID, user, scope))
}

// loginRaw runs a whole PKCE login and returns the JWT.
func (s *stack) loginRaw(ctx context.Context, br *browser.Browser, appID, user, scope string) string {
	s.t.Helper()
	state, verifier := opaque.Hex(8), opaque.New("", 32)
	return s.redeemAt(s.authorize(ctx, br, s.loginURL(appID, scope, state, verifier), user), appID, state, verifier)
}

// redeemAt takes the code off the tenant redirect p of a PKCE login of
// appID and redeems it; it returns the JWT.
func (s *stack) redeemAt(p browser.Page, appID, state, verifier string) string {
	s.t.Helper()
	q := p.URL.Query()
	if q.Get("state") != state || q.Get("code") == "" {
		s.t.Fatalf("tenant redirect %s: want code and state %s", p.URL, state)
	}
	status, body := s.redeem(url.Values{
		"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}, "client_id": {appID},
	}, "", "")
	if status != http.StatusOK {
		s.t.Fatalf("token endpoint: %d %s", status, body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.TokenType != "Bearer" {
		s.t.Fatalf("token response %s: %v", body, err)
	}
	return tr.AccessToken
}

// verify checks a JWT the way a tenant's backend does: with the JWKS URL alone.
func (s *stack) verify(ctx context.Context, appID, raw string) token.Claims {
	s.t.Helper()
	iss := s.public + "/t/" + tenantID
	c, err := token.VerifyWithJWKS(ctx, http.DefaultClient, iss+"/.well-known/jwks.json", iss, appID, raw)
	if err != nil {
		s.t.Fatalf("verify JWT with the JWKS URL: %v", err)
	}
	return c
}

// assertNoSecrets checks that no secret value reached wxlogin's logs or, for
// SQLite, the database files.
func (s *stack) assertNoSecrets(values ...string) {
	s.t.Helper()
	logs := s.process.output()
	var files []string
	if path, ok := strings.CutPrefix(s.dbURL, "sqlite:"); ok {
		files = []string{path, path + "-wal"}
	}
	for _, v := range values {
		if strings.Contains(logs, v) {
			s.t.Errorf("secret %q appears in wxlogin's log", v)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil && !os.IsNotExist(err) {
				s.t.Fatal(err)
			}
			if strings.Contains(string(b), v) {
				s.t.Errorf("secret %q appears in %s", v, f)
			}
		}
	}
}
