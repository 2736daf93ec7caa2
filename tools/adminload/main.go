// Command adminload measures admin API requests per second against a
// running wxlogin, for `make bench`:
//
//   - -mode read lists the tenant's identities, -limit per page, each
//     request at a random page: it first walks every page once (not
//     measured) to learn their cursors;
//   - -mode write creates official accounts, each with a new AppId.
//
// A request counts when it gets its success status (200 for a page with
// identities, 201 for an account). It prints one JSON report line on
// stdout and a summary on stderr, and exits 0 whether or not requests
// failed: the caller judges the numbers.
//
//	adminload -base http://127.0.0.1:8080 -key … -tenant acme -mode read \
//	    -concurrency 16 -duration 20s -warmup 3s
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type config struct {
	base, key, tenant, mode string
	concurrency, limit      int
	duration, warmup        time.Duration
	timeout                 time.Duration
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "adminload:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l := &load{cfg: cfg, client: &http.Client{Timeout: cfg.timeout, Transport: &http.Transport{
		MaxIdleConns: 2 * cfg.concurrency, MaxIdleConnsPerHost: 2 * cfg.concurrency, IdleConnTimeout: 90 * time.Second,
	}}, prefix: rand.Uint32()}
	if cfg.mode == "read" {
		if err := l.walk(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "adminload: walking the identities:", err)
			os.Exit(1)
		}
	}
	if cfg.warmup > 0 {
		l.run(ctx, cfg.warmup)
	}
	rep := l.run(ctx, cfg.duration)
	line, _ := json.Marshal(rep)
	fmt.Println(string(line))
	fmt.Fprintf(os.Stderr, "%s: %d requests in %.1fs at concurrency %d: %.1f/s, %d failed; p50 %.1fms p90 %.1fms p99 %.1fms max %.1fms\n",
		cfg.mode, rep.Requests, rep.Seconds, cfg.concurrency, rep.PerSecond, rep.Failed, rep.P50, rep.P90, rep.P99, rep.Max)
	for kind, example := range rep.Errors {
		fmt.Fprintf(os.Stderr, "  %s, e.g. %s\n", kind, example)
	}
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("adminload", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.base, "base", "http://127.0.0.1:8080", "wxlogin's base URL")
	fs.StringVar(&c.key, "key", "", "API key: an admin of the tenant")
	fs.StringVar(&c.tenant, "tenant", "", "tenant ID")
	fs.StringVar(&c.mode, "mode", "read", "read (list identities) or write (create accounts)")
	fs.IntVar(&c.concurrency, "concurrency", 16, "requests in flight at once")
	fs.IntVar(&c.limit, "limit", 100, "identities per page (read)")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "measure for this long (after the warm-up)")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "run this long before measuring, and discard the numbers")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "give up on a request after this long")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	c.base = strings.TrimRight(c.base, "/")
	switch {
	case fs.NArg() > 0:
		return config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case c.key == "" || c.tenant == "":
		return config{}, errors.New("-key and -tenant are required")
	case c.mode != "read" && c.mode != "write":
		return config{}, errors.New("-mode must be read or write")
	case c.concurrency < 1 || c.limit < 1 || c.duration <= 0 || c.warmup < 0 || c.timeout <= 0:
		return config{}, errors.New("-concurrency, -limit, -duration and -timeout must be positive, -warmup not negative")
	}
	return c, nil
}

// load sends the requests. cursors are the pages of identities ("" is the
// first); created numbers the accounts made, whose AppIds start with
// prefix.
type load struct {
	cfg     config
	client  *http.Client
	cursors []string
	prefix  uint32
	created atomic.Uint32
}

// page is the part of a list answer adminload reads.
type page struct {
	Items      []json.RawMessage `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

// walk reads every page of identities once, keeping the cursors of the
// pages that have some: after a full page the API may give a cursor to an
// empty one.
func (l *load) walk(ctx context.Context) error {
	l.cursors = []string{""}
	for {
		p, err := l.list(ctx, l.cursors[len(l.cursors)-1])
		switch {
		case err != nil:
			return err
		case len(p.Items) == 0 && len(l.cursors) == 1:
			return errors.New("the tenant has no identities")
		case len(p.Items) == 0:
			l.cursors = l.cursors[:len(l.cursors)-1]
		case p.NextCursor != nil:
			l.cursors = append(l.cursors, *p.NextCursor)
			continue
		}
		fmt.Fprintf(os.Stderr, "adminload: %d pages of identities\n", len(l.cursors))
		return nil
	}
}

// read fetches a random page, which must have identities.
func (l *load) read(ctx context.Context) error {
	p, err := l.list(ctx, l.cursors[rand.IntN(len(l.cursors))])
	if err == nil && len(p.Items) == 0 {
		err = errors.New("an empty page")
	}
	return err
}

func (l *load) list(ctx context.Context, cursor string) (page, error) {
	path := fmt.Sprintf("/v1/tenants/%s/identities?limit=%d", l.cfg.tenant, l.cfg.limit)
	if cursor != "" {
		path += "&cursor=" + cursor
	}
	var p page
	body, err := l.do(ctx, http.MethodGet, path, nil, http.StatusOK)
	if err == nil {
		err = json.Unmarshal(body, &p)
	}
	return p, err
}

func (l *load) create(ctx context.Context) error {
	n := l.created.Add(1)
	appID := fmt.Sprintf("wx%08x%08x", l.prefix, n)
	body, _ := json.Marshal(map[string]any{
		"appid": appID, "name": "Bench account " + appID, "mode": "live", "default_scope": "snsapi_base",
		"redirect_uris": []string{"https://tenant.example/cb"},
	})
	_, err := l.do(ctx, http.MethodPost, "/v1/tenants/"+l.cfg.tenant+"/accounts", body, http.StatusCreated)
	return err
}

// statusError is an answer other than the one wanted.
type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

func (l *load) do(ctx context.Context, method, path string, body []byte, want int) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.cfg.base+path, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+l.cfg.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case err != nil:
		return nil, err
	case resp.StatusCode != want:
		return nil, &statusError{status: resp.StatusCode, body: string(b[:min(len(b), 200)])}
	}
	return b, nil
}

// report is adminload's answer, printed as one JSON line; latencies in
// milliseconds.
type report struct {
	Mode        string  `json:"mode"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Requests    int     `json:"requests"`
	Failed      int     `json:"failed"`
	PerSecond   float64 `json:"requests_per_s"`
	P50         float64 `json:"p50_ms"`
	P90         float64 `json:"p90_ms"`
	P99         float64 `json:"p99_ms"`
	Max         float64 `json:"max_ms"`
	// Errors are the failures by kind (the status, or "transport"), with
	// one example each.
	Errors map[string]string `json:"errors,omitempty"`
}

// run keeps every worker sending requests for d and reports on them.
func (l *load) run(ctx context.Context, d time.Duration) report {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failed    int
		errs      = map[string]string{}
		wg        sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range l.cfg.concurrency {
		wg.Go(func() {
			var mine []time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				var err error
				if l.cfg.mode == "read" {
					err = l.read(ctx)
				} else {
					err = l.create(ctx)
				}
				elapsed := time.Since(t0)
				switch {
				case ctx.Err() != nil: // interrupted: neither a success nor a failure
				case err != nil:
					kind := "transport"
					if se, ok := errors.AsType[*statusError](err); ok {
						kind = fmt.Sprintf("HTTP %d", se.status)
					}
					mu.Lock()
					failed++
					if _, seen := errs[kind]; !seen {
						errs[kind] = err.Error()
					}
					mu.Unlock()
				default:
					mine = append(mine, elapsed)
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	return report{
		Mode: l.cfg.mode, Concurrency: l.cfg.concurrency, Seconds: round(elapsed.Seconds()),
		Requests: len(latencies), Failed: failed, PerSecond: round(float64(len(latencies)) / elapsed.Seconds()),
		P50: ms(percentile(latencies, 0.50)), P90: ms(percentile(latencies, 0.90)),
		P99: ms(percentile(latencies, 0.99)), Max: ms(percentile(latencies, 1)), Errors: errs,
	}
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[max(int(math.Ceil(p*float64(len(sorted))))-1, 0)]
}

func ms(d time.Duration) float64 { return round(float64(d) / float64(time.Millisecond)) }

func round(v float64) float64 { return math.Round(v*100) / 100 }
