// Command loadgen measures complete WeChat logins per second against a
// running wxlogin whose live accounts point at a standalone WeChat emulator
// (wxlogin wechat-sandbox). Each virtual person has a browser of their own
// (internal/browser, with a cookie jar) and logs in as a tenant's site
// would have them: the hosted login URL with PKCE, the emulator's authorize
// page (its user chooser the first time that browser comes by), wxlogin's
// callback, and the tenant backend's POST to the token endpoint. A login
// counts only when the token endpoint answers 200 with an access_token; one
// token in -verify-every is checked against the tenant's JWKS.
//
// With -rate, logins start at that steady rate instead of as fast as the
// workers go (make soak). With -retry-unavailable the tenant's backend
// does what a 503 from the token endpoint asks: it waits the Retry-After
// and tries again, until the login's -timeout.
//
// It prints one JSON report line on stdout and a summary on stderr, and
// exits 0 whether or not logins failed: the caller judges the numbers.
//
//	loadgen -base http://127.0.0.1:8080 -tenant acme -appids wx…,wx… \
//	    -redirect-uri https://acme.example/cb -concurrency 64 -duration 20s -warmup 3s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// config is what the flags say.
type config struct {
	base        *url.URL
	tenant      string
	appIDs      []string
	redirectURI *url.URL
	concurrency int
	duration    time.Duration
	logins      int
	users       int
	warmup      time.Duration
	verifyEvery int
	timeout     time.Duration
	// rate is logins started per second; 0: as fast as the workers go.
	rate float64
	// retryUnavailable has the tenant's backend try a token request
	// answered 503 again after its Retry-After.
	retryUnavailable bool
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep := newRunner(cfg).measure(ctx)
	if err := rep.write(os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("base", "http://127.0.0.1:8080", "wxlogin's base URL (its WXLOGIN_PUBLIC_URL)")
	tenant := fs.String("tenant", "", "tenant ID")
	appIDs := fs.String("appids", "", "comma-separated live accounts of the tenant; logins are spread across them")
	redirect := fs.String("redirect-uri", "", "a redirect URI allowlisted on every account (never requested)")
	var cfg config
	fs.IntVar(&cfg.concurrency, "concurrency", 16, "logins in flight at once")
	fs.DurationVar(&cfg.duration, "duration", 0, "measure for this long (after the warm-up)")
	fs.IntVar(&cfg.logins, "logins", 0, "measure this many logins (with -duration: whichever comes first)")
	fs.IntVar(&cfg.users, "users", 5000, "distinct WeChat test users (at least -concurrency); each has one browser")
	fs.DurationVar(&cfg.warmup, "warmup", 0, "run this long before measuring, and discard the numbers")
	fs.IntVar(&cfg.verifyEvery, "verify-every", 100, "verify one access token in this many against the JWKS")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "give up on a login after this long")
	fs.Float64Var(&cfg.rate, "rate", 0, "start this many logins per second, steadily (0: as fast as -concurrency workers go)")
	fs.BoolVar(&cfg.retryUnavailable, "retry-unavailable", false, "try a token request answered 503 again after its Retry-After, until -timeout")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	var err error
	cfg.tenant = *tenant
	cfg.appIDs = splitList(*appIDs)
	if cfg.base, err = url.Parse(strings.TrimRight(*base, "/")); err != nil {
		return config{}, fmt.Errorf("-base: %w", err)
	}
	if cfg.redirectURI, err = url.Parse(*redirect); err != nil {
		return config{}, fmt.Errorf("-redirect-uri: %w", err)
	}
	return cfg, cfg.validate()
}

// validate names the first bad flag.
func (c config) validate() error {
	checks := []struct {
		bad bool
		msg string
	}{
		{!absoluteHTTP(c.base), "-base must be an absolute http(s) URL"},
		{c.tenant == "", "-tenant is required"},
		{len(c.appIDs) == 0, "-appids is required"},
		{!absoluteHTTP(c.redirectURI), "-redirect-uri must be an absolute http(s) URL"},
		{c.concurrency < 1, "-concurrency must be at least 1"},
		{c.duration <= 0 && c.logins <= 0, "-duration or -logins is required"},
		{c.duration < 0 || c.logins < 0 || c.warmup < 0, "-duration, -logins and -warmup must not be negative"},
		{c.users < c.concurrency, "-users must be at least -concurrency (each worker needs browsers of its own)"},
		{c.verifyEvery < 1, "-verify-every must be at least 1"},
		{c.timeout <= 0, "-timeout must be positive"},
		{c.rate < 0 || math.IsInf(c.rate, 0) || math.IsNaN(c.rate), "-rate must be a number of logins per second, 0 or more"},
	}
	for _, ch := range checks {
		if ch.bad {
			return errors.New(ch.msg)
		}
	}
	return nil
}

func absoluteHTTP(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func splitList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
