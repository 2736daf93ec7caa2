package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/wxlogin/wxlogin/internal/browser"
)

// userAgent is what the virtual people's browsers send: WeChat's in-app
// browser, marked as this tool.
const userAgent = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Mobile MicroMessenger/8.0.50 wxlogin-loadgen"

// runner drives the logins. Every worker owns a disjoint share of the
// people, so a browser is never used by two logins at once.
type runner struct {
	cfg     config
	backend *http.Client // the tenant's backend: token endpoint and JWKS
	keys    *verifier
	people  [][]*person // by worker
	// pace starts the logins at -rate; nil without one.
	pace *rate.Limiter
	// completed counts the complete logins of every phase: the first, and
	// one in every -verify-every after it, has its token verified.
	completed atomic.Int64
}

// person is one WeChat user with their phone's browser.
type person struct {
	name    string
	browser *browser.Browser
}

func newRunner(cfg config) *runner {
	// One transport for everyone: every worker talks to wxlogin and to the
	// emulator, one request at a time.
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4 * cfg.concurrency,
		MaxIdleConnsPerHost: 2 * cfg.concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	backend := &http.Client{Transport: transport}
	r := &runner{
		cfg:     cfg,
		backend: backend,
		keys:    newVerifier(backend, cfg.base.JoinPath("t", cfg.tenant), cfg.timeout),
		people:  make([][]*person, cfg.concurrency),
	}
	if cfg.rate > 0 {
		r.pace = rate.NewLimiter(rate.Limit(cfg.rate), 1)
	}
	for i := range cfg.users {
		b := browser.New(transport, r.atRedirectURI)
		b.UserAgent = userAgent
		w := i % cfg.concurrency
		r.people[w] = append(r.people[w], &person{name: fmt.Sprintf("loadgen-%06d", i), browser: b})
	}
	return r
}

// atRedirectURI reports whether u is the tenant's redirect_uri, where the
// browsers stop.
func (r *runner) atRedirectURI(u *url.URL) bool {
	want := r.cfg.redirectURI
	return u.Scheme == want.Scheme && u.Host == want.Host && u.Path == want.Path
}

// measure runs the warm-up, then the measured phase, and reports on it.
func (r *runner) measure(ctx context.Context) report {
	var warm tally
	if r.cfg.warmup > 0 {
		warm = r.run(ctx, &phase{deadline: time.Now().Add(r.cfg.warmup)})
	}
	ph := &phase{limit: int64(r.cfg.logins)}
	start := time.Now()
	if r.cfg.duration > 0 {
		ph.deadline = start.Add(r.cfg.duration)
	}
	t := r.run(ctx, ph)
	elapsed := time.Since(start)
	for kind, k := range warm.errors {
		t.note("warm-up "+kind, k.Count, k.Examples...)
	}
	rep := t.report(r.cfg.concurrency, elapsed)
	rep.WarmupLogins, rep.WarmupFailed = len(warm.latencies), warm.failed
	rep.ProcessCPU = round(processCPU().Seconds(), 3)
	return rep
}

// phase bounds a run by a deadline and a number of logins (zero: no bound).
type phase struct {
	deadline time.Time
	limit    int64
	started  atomic.Int64
}

// next claims the next login of the phase, or reports that the phase is
// over.
func (p *phase) next() bool {
	if !p.deadline.IsZero() && !time.Now().Before(p.deadline) {
		return false
	}
	return p.limit == 0 || p.started.Add(1) <= p.limit
}

// run keeps every worker logging in until the phase is over or ctx ends,
// and returns what they saw.
func (r *runner) run(ctx context.Context, ph *phase) tally {
	tallies := make([]tally, r.cfg.concurrency)
	var wg sync.WaitGroup
	for w := range tallies {
		wg.Go(func() { r.work(ctx, w, ph, &tallies[w]) })
	}
	wg.Wait()
	var all tally
	for i := range tallies {
		all.merge(&tallies[i])
	}
	return all
}

func (r *runner) work(ctx context.Context, w int, ph *phase, t *tally) {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	mine := r.people[w]
	for ctx.Err() == nil && ph.next() {
		if r.pace != nil && r.pace.Wait(ctx) != nil {
			return
		}
		p := mine[rng.IntN(len(mine))]
		appID := r.cfg.appIDs[rng.IntN(len(r.cfg.appIDs))]
		start := time.Now()
		out, err := r.login(ctx, p, appID)
		elapsed := time.Since(start)
		var openID string
		if err == nil && (r.completed.Add(1)-1)%int64(r.cfg.verifyEvery) == 0 {
			openID, err = r.keys.verify(ctx, out.accessToken, appID)
			t.verified += btoi(err == nil)
		}
		switch {
		case ctx.Err() != nil: // interrupted: neither a success nor a failure
			return
		case err != nil:
			t.fail(err)
		default:
			t.succeed(elapsed, out.chose)
			t.identify(appID, openID)
		}
		t.tokenRetries += out.tokenRetries
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
