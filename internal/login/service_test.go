package login_test

import (
	"context"
	"errors"
	"github.com/wxlogin/wxlogin/internal/clock"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secrets/secretstest"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/tenants"
)

const (
	tenantID    = "acme"
	appID       = "wxa0000000000000a1"
	appSecret   = "app-secret-a"
	redirectURI = "https://shop.example/cb"
	publicURL   = "https://login.example"
)

// fixture is the login service on SQLite and the local secret store, talking
// HTTP to the emulator.
type fixture struct {
	t      *testing.T
	svc    *login.Service
	db     *store.DB
	clock  *clock.Settable
	wechat *wechatApps
	// secrets is the local secret store's directory.
	secrets string
}

// wechatApps is WeChat's view of the apps, whose AppSecret a test can change
// as a tenant would in WeChat's console.
type wechatApps struct {
	mu   sync.Mutex
	apps wechatsim.StaticRegistry
}

func (w *wechatApps) App(ctx context.Context, id string) (wechatsim.App, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.apps.App(ctx, id)
}

func (w *wechatApps) setSecret(id, secret string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	app := w.apps[id]
	app.Secret = secret
	w.apps[id] = app
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	db, err := store.Open(ctx, "sqlite:"+testenv.SQLiteFile(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.MigrateUp(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	secretsDir := t.TempDir()
	local, err := secrets.OpenLocal(secretsDir)
	if err != nil {
		t.Fatal(err)
	}
	sec := secretstest.Recorded(t, local)
	sim := wechatsim.New(wechatsim.Config{Now: clk.Now})
	apps := &wechatApps{apps: wechatsim.StaticRegistry{
		appID: {AppID: appID, Secret: appSecret, OpenPlatformID: "acme-open", Domains: []string{"login.example"}},
	}}
	srv := httptest.NewServer(sim.Handler(apps))
	t.Cleanup(srv.Close)
	tokens := token.NewManager(db, sec, token.Config{Now: clk.Now})
	ts := &tenants.Service{Store: db, Secrets: sec, Keys: tokens, Now: clk.Now}
	if _, err := ts.CreateTenant(ctx, tenants.Tenant{ID: tenantID, Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.CreateAccount(ctx, tenants.Account{TenantID: tenantID, AppID: appID, Name: "A", Mode: tenants.ModeLive,
		DefaultScope: tenants.ScopeBase, RedirectURIs: []string{redirectURI}, OpenPlatformID: "acme-open"}, appSecret); err != nil {
		t.Fatal(err)
	}
	client := wechat.New(wechat.Config{APIURL: srv.URL, OpenURL: srv.URL, HTTP: srv.Client(), Backoff: time.Millisecond})
	svc := &login.Service{Store: db, Tenants: ts, Signer: tokens, PublicURL: publicURL, Now: clk.Now,
		WeChat: func(string, tenants.Mode) *wechat.Client { return client }}
	return &fixture{t: t, svc: svc, db: db, clock: clk, wechat: apps, secrets: secretsDir}
}

// wechatCallback starts a login and walks WeChat's pages as user; it returns
// the callback WeChat sends the browser to (not yet requested).
func (f *fixture) wechatCallback(scope, user, verifier string, extra url.Values) login.CallbackRequest {
	f.t.Helper()
	ctx := context.Background()
	to, err := f.svc.Start(ctx, login.StartRequest{TenantID: tenantID, AppID: appID, RedirectURI: redirectURI,
		State: "tenant-state", Scope: scope, CodeChallenge: login.S256(verifier), CodeChallengeMethod: "S256"})
	if err != nil {
		f.t.Fatalf("start: %v", err)
	}
	return f.walk(to, user, extra)
}

// walk follows WeChat's authorize URL to as user, allowing when asked, and
// returns the callback WeChat sends the browser to (not yet requested).
func (f *fixture) walk(to, user string, extra url.Values) login.CallbackRequest {
	f.t.Helper()
	ctx := context.Background()
	br := browser.New(http.DefaultTransport, func(u *url.URL) bool { return u.Host == "login.example" })
	p, err := br.Get(ctx, strings.TrimSuffix(to, "#wechat_redirect"))
	fields := url.Values{"user": {user}}
	for k, v := range extra {
		fields[k] = v
	}
	if err == nil {
		p, err = br.Submit(ctx, p, "user", "", fields)
	}
	if err == nil && p.URL.Host != "login.example" {
		p, err = br.Submit(ctx, p, "decision", "allow", nil)
	}
	if err != nil || p.URL.Host != "login.example" {
		f.t.Fatalf("authorize: %v at %v", err, p.URL)
	}
	q := p.URL.Query()
	return login.CallbackRequest{TenantID: tenantID, AppID: appID, Code: q.Get("code"), State: q.Get("state"), IP: "203.0.113.9", UserAgent: "test"}
}

func (f *fixture) counts() (identities, events int) {
	f.t.Helper()
	ctx := context.Background()
	ids, err := f.db.ListIdentities(ctx, tenantID, tenants.IdentityFilter{Limit: 500})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, id := range ids {
		ev, err := f.db.LoginEvents(ctx, tenantID, id.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		events += len(ev)
	}
	return len(ids), events
}

func (f *fixture) redeem(to, verifier string) (login.TokenResponse, error) {
	u, err := url.Parse(to)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.svc.Token(context.Background(), login.TokenRequest{TenantID: tenantID, GrantType: "authorization_code",
		Code: u.Query().Get("code"), RedirectURI: redirectURI, CodeVerifier: verifier, ClientID: appID})
}

func TestCallbackReplayWithinAMinute(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	verifier := opaque.New("", 32)
	cb := f.wechatCallback("snsapi_base", "alice", verifier, nil)
	first, err := f.svc.Callback(ctx, cb)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(30 * time.Second)
	second, err := f.svc.Callback(ctx, cb) // WeChat calls twice, or the person refreshes
	if err != nil {
		t.Fatalf("replayed callback: %v", err)
	}
	if first == second || !strings.HasPrefix(second, redirectURI+"?code=") || !strings.Contains(second, "state=tenant-state") {
		t.Fatalf("replay redirect %q (first %q)", second, first)
	}
	if _, err := f.redeem(first, verifier); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("first code after a replay: %v, want invalid_grant", err)
	}
	if _, err := f.redeem(second, verifier); err != nil {
		t.Errorf("replayed code: %v", err)
	}
	if ids, events := f.counts(); ids != 1 || events != 1 {
		t.Errorf("one login stored %d identities and %d events", ids, events)
	}
	f.clock.Advance(31 * time.Second)
	if _, err := f.svc.Callback(ctx, cb); !errors.Is(err, login.ErrAlreadyUsed) {
		t.Errorf("callback after the replay window: %v, want ErrAlreadyUsed", err)
	}
	other := cb
	other.Code = "another-code"
	f.clock.Advance(-61 * time.Second)
	if _, err := f.svc.Callback(ctx, other); !errors.Is(err, login.ErrAlreadyUsed) {
		t.Errorf("completed state with another code: %v, want ErrAlreadyUsed", err)
	}
}

func TestConcurrentDuplicateCallbacks(t *testing.T) {
	f := newFixture(t)
	cb := f.wechatCallback("snsapi_userinfo", "bob", opaque.New("", 32), nil)
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = f.svc.Callback(context.Background(), cb)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, login.ErrInProgress):
		default:
			t.Errorf("duplicate callback showed an error: %v", err)
		}
	}
	if ok == 0 {
		t.Error("no callback succeeded")
	}
	if ids, events := f.counts(); ids != 1 || events != 1 {
		t.Errorf("duplicate callbacks stored %d identities and %d events, want 1 and 1", ids, events)
	}
}

func TestExpiredLoginStoresNothing(t *testing.T) {
	f := newFixture(t)
	cb := f.wechatCallback("snsapi_base", "carol", opaque.New("", 32), nil)
	f.clock.Advance(login.TransactionTTL)
	_, err := f.svc.Callback(context.Background(), cb)
	var le *login.Error
	if !errors.Is(err, login.ErrExpired) || !errors.As(err, &le) || !strings.HasPrefix(le.RetryURL, publicURL+"/t/acme/wechat/"+appID+"/login?") {
		t.Fatalf("expired callback: %v", err)
	}
	if ids, _ := f.counts(); ids != 0 {
		t.Errorf("expired login stored %d identities", ids)
	}
}

func TestSnapshotUserIsNotStored(t *testing.T) {
	f := newFixture(t)
	cb := f.wechatCallback("snsapi_userinfo", "dave", opaque.New("", 32), url.Values{"snapshot": {"1"}})
	if _, err := f.svc.Callback(context.Background(), cb); !errors.Is(err, login.ErrSnapshotUser) {
		t.Fatalf("snapshot callback: %v, want ErrSnapshotUser", err)
	}
	if ids, _ := f.counts(); ids != 0 {
		t.Errorf("snapshot user stored as %d identities", ids)
	}
}

func TestCodeLifetime(t *testing.T) {
	f := newFixture(t)
	verifier := opaque.New("", 32)
	to, err := f.svc.Callback(context.Background(), f.wechatCallback("snsapi_base", "erin", verifier, nil))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(login.CodeTTL + time.Second)
	if _, err := f.redeem(to, verifier); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("code after %v: %v, want invalid_grant", login.CodeTTL, err)
	}
}

// TestTokenFailureLeavesTheCodeRedeemable: a token request that fails once
// the code was found (here the secret store is away when the signing key
// must be read again) gets a dependency error, for a retry, and the code
// stays: the retry gets the token, and the code is then spent.
func TestTokenFailureLeavesTheCodeRedeemable(t *testing.T) {
	f := newFixture(t)
	verifier := opaque.New("", 32)
	to, err := f.svc.Callback(context.Background(), f.wechatCallback("snsapi_base", "grace", verifier, nil))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(token.DefaultCacheTTL) // the signing key is read again
	away := f.secrets + ".away"
	if err := os.Rename(f.secrets, away); err != nil {
		t.Fatal(err)
	}
	_, err = f.redeem(to, verifier)
	var oe *login.OAuthError
	if err == nil || errors.As(err, &oe) {
		t.Fatalf("token request while the secret store is away: %v, want a dependency's error", err)
	}
	if err := os.Rename(away, f.secrets); err != nil {
		t.Fatal(err)
	}
	if _, err := f.redeem(to, verifier); err != nil {
		t.Errorf("retried token request: %v", err)
	}
	if _, err := f.redeem(to, verifier); !isOAuth(err, login.OAuthInvalidGrant) {
		t.Errorf("code redeemed again: %v, want invalid_grant", err)
	}
}

func TestRefusalGoesBackToTheTenant(t *testing.T) {
	f := newFixture(t)
	cb := f.wechatCallback("snsapi_base", "frank", opaque.New("", 32), nil)
	cb.Code = ""
	to, err := f.svc.Callback(context.Background(), cb)
	if err != nil || to != redirectURI+"?error=access_denied&error_description=the+user+refused+the+WeChat+authorization&state=tenant-state" {
		t.Errorf("refusal: %q %v", to, err)
	}
}

func isOAuth(err error, code string) bool {
	var oe *login.OAuthError
	return errors.As(err, &oe) && oe.Code == code
}

func TestSweepKeepsLoginsThroughTheReplayWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cb := f.wechatCallback("snsapi_base", "gina", opaque.New("", 32), nil)
	if _, err := f.svc.Callback(ctx, cb); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(login.TransactionTTL)
	if n, err := f.svc.Sweep(ctx); err != nil || n != 1 { // the unredeemed code
		t.Fatalf("sweep at expiry removed %d rows (%v), want the expired code only", n, err)
	}
	if _, err := f.svc.Callback(ctx, cb); !errors.Is(err, login.ErrAlreadyUsed) {
		t.Fatalf("callback after the first sweep: %v, want ErrAlreadyUsed (the transaction is kept)", err)
	}
	f.clock.Advance(login.ReplayWindow)
	if n, err := f.svc.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after the replay window removed %d rows (%v), want the transaction", n, err)
	}
	if _, err := f.svc.Callback(ctx, cb); !errors.Is(err, login.ErrUnknownState) {
		t.Errorf("callback of a swept login: %v, want ErrUnknownState", err)
	}
	if ids, _ := f.counts(); ids != 1 {
		t.Errorf("sweeping removed identities: %d left", ids)
	}
}

// TestAppSecretRotation: a new AppSecret set in wxlogin before WeChat knows it
// does not break logins (the last confirmed one is used), and once WeChat
// accepts the new one, it is confirmed and the old one is no longer tried.
func TestAppSecretRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	loginOnce := func(user string) {
		t.Helper()
		if _, err := f.svc.Callback(ctx, f.wechatCallback("snsapi_base", user, opaque.New("", 32), nil)); err != nil {
			t.Fatalf("login as %s: %v", user, err)
		}
	}
	confirmed := func() int {
		acct, err := f.db.GetAccount(ctx, tenantID, appID)
		if err != nil {
			t.Fatal(err)
		}
		return acct.SecretConfirmedVersion
	}
	loginOnce("hank")
	if v := confirmed(); v != 1 {
		t.Fatalf("confirmed version after the first login: %d, want 1", v)
	}
	if _, err := f.svc.Tenants.SetAppSecret(ctx, tenantID, appID, "rotated-secret"); err != nil {
		t.Fatal(err)
	}
	loginOnce("ivy") // WeChat still has the old AppSecret
	if v := confirmed(); v != 1 {
		t.Fatalf("confirmed version while WeChat refuses the new secret: %d, want 1", v)
	}
	f.wechat.setSecret(appID, "rotated-secret")
	loginOnce("jack")
	if v := confirmed(); v != 2 {
		t.Fatalf("confirmed version once WeChat took the new secret: %d, want 2", v)
	}
	f.wechat.setSecret(appID, appSecret) // the old secret alone no longer works
	cb := f.wechatCallback("snsapi_base", "kate", opaque.New("", 32), nil)
	if _, err := f.svc.Callback(ctx, cb); !errors.Is(err, login.ErrMisconfigured) {
		t.Errorf("old secret after confirmation: %v, want ErrMisconfigured", err)
	}
}
