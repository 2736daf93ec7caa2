package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/token"
)

// unlimited is env with the hosted-login and token limits lifted, for
// stacks that take bursts of logins from one address to test something
// else.
func unlimited(env ...string) []string {
	return append([]string{"WXLOGIN_LOGIN_RATE=1000000", "WXLOGIN_LOGIN_BURST=1000000",
		"WXLOGIN_TOKEN_RATE=1000000", "WXLOGIN_TOKEN_BURST=1000000"}, env...)
}

// tryBound is how long one login of a burst may take, all its requests
// together, before it counts as hung: wxlogin must answer every request,
// success or failure, well within it.
const tryBound = 30 * time.Second

// try is one login of a burst: the token it got, or where it stopped and
// what it was answered there.
type try struct {
	appID, user string
	started     time.Time
	// raw is the access token, when the token endpoint answered 200.
	raw string
	// step is where a failed login stopped: "login", "callback" or
	// "token"; status, header and body are that answer. err is set
	// instead when a request got no answer at all.
	step   string
	status int
	header http.Header
	body   string
	err    error
	// form is the token request, once the login got that far.
	form url.Values
}

func (tr try) ok() bool { return tr.raw != "" }

func (tr try) String() string {
	if tr.err != nil {
		return fmt.Sprintf("%s %s at %s: no answer: %v", tr.appID, tr.user, tr.step, tr.err)
	}
	return fmt.Sprintf("%s %s at %s: %d (Retry-After %q) %.300s", tr.appID, tr.user, tr.step, tr.status, tr.header.Get("Retry-After"), tr.body)
}

// tryLogin runs one whole PKCE login as a new person, like loginRaw, but
// reports how far it got instead of failing the test.
func (s *stack) tryLogin(ctx context.Context, appID, user, scope string) try {
	ctx, cancel := context.WithTimeout(ctx, tryBound)
	defer cancel()
	tr := try{appID: appID, user: user, started: time.Now()}
	state, verifier := opaque.Hex(8), opaque.New("", 32)
	p, err := walkPages(ctx, newBrowser(), s.loginURL(appID, scope, state, verifier), user, func(u *url.URL) bool { return u.Host == tenantSite })
	switch {
	case err != nil:
		tr.step, tr.err = "login or callback", err
		return tr
	case p.URL.Host != tenantSite:
		tr.step = "login"
		if strings.HasSuffix(p.URL.Path, "/callback") {
			tr.step = "callback"
		}
		tr.status, tr.header, tr.body = p.Status, p.Header, string(p.Body)
		return tr
	}
	tr.step, tr.form = "token", url.Values{
		"grant_type": {"authorization_code"}, "code": {p.URL.Query().Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}, "client_id": {appID},
	}
	s.redeemTry(ctx, &tr)
	return tr
}

// redeemTry sends tr's token request, and on success records the token.
func (s *stack) redeemTry(ctx context.Context, tr *try) {
	tr.status, tr.header, tr.body, tr.err = s.postToken(ctx, tr.form)
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	if tr.err == nil && tr.status == http.StatusOK && json.Unmarshal([]byte(tr.body), &answer) == nil {
		tr.raw, tr.step = answer.AccessToken, ""
	}
}

// postToken is the tenant backend's token request.
func (s *stack) postToken(ctx context.Context, form url.Values) (int, http.Header, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.public+"/t/"+tenantID+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body), err
}

// pause is how long a burst's worker waits after a failed login.
const pause = 100 * time.Millisecond

// burst has workers log in at once, each login as a new person of one of
// apps in turn, while fault runs and for settle after it returned; it
// returns every login tried and when fault returned.
func (s *stack) burst(workers int, apps []string, scope string, settle time.Duration, fault func()) ([]try, time.Time) {
	var (
		mu    sync.Mutex
		tries []try
		n     atomic.Int64
		stop  atomic.Bool
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := w; !stop.Load(); i += workers {
				tr := s.tryLogin(context.Background(), apps[i%len(apps)], fmt.Sprintf("burst-%05d", n.Add(1)), scope)
				mu.Lock()
				tries = append(tries, tr)
				mu.Unlock()
				if !tr.ok() {
					time.Sleep(pause) // as a person reads the page before trying again
				}
			}
		})
	}
	fault()
	recovered := time.Now()
	time.Sleep(settle)
	stop.Store(true)
	wg.Wait()
	return tries, recovered
}

// checkBurst checks what a burst under a fault must show: every login that
// got its token is durable (its JWT verifies with the JWKS, its identity
// and login event are in the database); every other one got a clear answer
// (see clearFailure); every login started after the fault ended succeeded;
// and a token request answered 503 succeeds when the tenant's backend tries
// it again, the fault over. It returns the failures.
func (s *stack) checkBurst(t *testing.T, tries []try, recovered time.Time) []try {
	t.Helper()
	var failed []try
	logins := map[string]int{} // identity → logins that got a token
	wrong := map[string]int{}  // what is wrong → how many failures
	for _, tr := range tries {
		raw := tr.raw
		if !tr.ok() {
			failed = append(failed, tr)
			why := clearFailure(tr)
			if tr.started.After(recovered) {
				why = "started after the fault ended; " + why
			}
			if why != "" {
				if wrong[why]++; wrong[why] <= 3 {
					t.Errorf("%s: %s", why, tr)
				}
			}
			if tr.step != "token" || tr.status != http.StatusServiceUnavailable {
				continue
			}
			again := tr // the tenant's backend tries again
			if s.redeemTry(context.Background(), &again); !again.ok() {
				t.Errorf("token request tried again after its 503: %s", again)
				continue
			}
			raw = again.raw
		}
		iss := s.public + "/t/" + tenantID
		c, err := token.VerifyWithJWKS(context.Background(), http.DefaultClient, iss+"/.well-known/jwks.json", iss, tr.appID, raw)
		if err != nil || c.AppID != tr.appID || c.OpenID == "" {
			t.Errorf("token of %s on %s: %v, names %s/%q", tr.user, tr.appID, err, c.AppID, c.OpenID)
			continue
		}
		logins[c.Subject]++
	}
	stored := s.stored(t)
	for id, n := range logins {
		if got := stored[id]; got < n {
			t.Errorf("identity %s: %d logins got a token, %d login events stored", id, n, got)
		}
	}
	if len(failed) == len(tries) {
		t.Errorf("all %d logins failed", len(tries))
	}
	for why, n := range wrong {
		t.Errorf("%d failed logins: %s", n, why)
	}
	steps := map[string]int{}
	for _, tr := range failed {
		steps[tr.step]++
	}
	t.Logf("%d logins, %d failed (by step: %v)", len(tries), len(failed), steps)
	return failed
}

// clearFailure says what is wrong with a failed login's answer, or "" when
// it is the clear error wxlogin owes: 503 with Retry-After, as a readable
// page in Chinese and English with a way to try again for a person, as an
// OAuth error for the token endpoint; never a blank 500, never no answer.
func clearFailure(tr try) string {
	switch {
	case tr.err != nil:
		return "no answer within " + tryBound.String()
	case tr.status != http.StatusServiceUnavailable || tr.header.Get("Retry-After") == "":
		return "not a 503 with Retry-After"
	case tr.step == "token":
		var e struct{ Error string }
		if json.Unmarshal([]byte(tr.body), &e) != nil || e.Error != "temporarily_unavailable" {
			return "not an OAuth temporarily_unavailable error"
		}
	case !strings.HasPrefix(tr.header.Get("Content-Type"), "text/html") || !strings.Contains(tr.body, `lang="en"`) ||
		!strings.Contains(tr.body, "稍后再试") || !strings.Contains(tr.body, "重新登录 · Try again"):
		return "not a bilingual page with a way to try again"
	}
	return ""
}

// stored counts the login events of each of the tenant's identities, by
// identity id.
func (s *stack) stored(t *testing.T) map[string]int {
	t.Helper()
	db, err := store.Open(context.Background(), s.dbURL, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer db.Close()
	rows, err := db.SQL().QueryContext(context.Background(), `SELECT i.id, count(e.id) FROM identities i
		LEFT JOIN login_events e ON e.identity_id = i.id WHERE i.tenant_id = '`+tenantID+`' GROUP BY i.id`)
	if err != nil {
		t.Fatalf("count login events: %v", err)
	}
	defer rows.Close()
	events := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		events[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return events
}
