package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"syscall"
	"time"
)

// maxExamples is how many distinct messages the report keeps per kind of
// failure.
const maxExamples = 3

// tally is what one worker, or all of them merged, saw in a phase.
type tally struct {
	latencies []time.Duration // of the complete logins
	failed    int
	chose     int // complete logins that met the emulator's user chooser
	verified  int // access tokens verified against the JWKS
	// identities are the (appid, openid) pairs the verified tokens named.
	identities map[string]bool
	// tokenRetries counts token requests answered 503 and sent again.
	tokenRetries int
	errors       map[string]*errorKind
}

// errorKind counts one kind of failure and keeps a few examples.
type errorKind struct {
	Count    int      `json:"count"`
	Examples []string `json:"examples"`
}

func (t *tally) succeed(d time.Duration, chose bool) {
	t.latencies = append(t.latencies, d)
	t.chose += btoi(chose)
}

// identify records the person a verified token named; openID is empty
// when the token was not verified.
func (t *tally) identify(appID, openID string) {
	if openID == "" {
		return
	}
	if t.identities == nil {
		t.identities = map[string]bool{}
	}
	t.identities[appID+"/"+openID] = true
}

func (t *tally) fail(err error) {
	t.failed++
	kind, detail := "error", err.Error()
	var f *failure
	if errors.As(err, &f) {
		kind, detail = f.kind, f.detail
	}
	t.note(kind, 1, detail)
}

func (t *tally) note(kind string, n int, examples ...string) {
	if t.errors == nil {
		t.errors = map[string]*errorKind{}
	}
	k := t.errors[kind]
	if k == nil {
		k = &errorKind{}
		t.errors[kind] = k
	}
	k.Count += n
	for _, e := range examples {
		if len(k.Examples) < maxExamples && !slices.Contains(k.Examples, e) {
			k.Examples = append(k.Examples, e)
		}
	}
}

func (t *tally) merge(o *tally) {
	t.latencies = append(t.latencies, o.latencies...)
	t.failed += o.failed
	t.chose += o.chose
	t.verified += o.verified
	t.tokenRetries += o.tokenRetries
	if t.identities == nil && len(o.identities) > 0 {
		t.identities = map[string]bool{}
	}
	maps.Copy(t.identities, o.identities)
	for kind, k := range o.errors {
		t.note(kind, k.Count, k.Examples...)
	}
}

// report is loadgen's answer, printed as one JSON line. Latencies are of a
// complete login, from the first request to the token endpoint's answer,
// in milliseconds.
type report struct {
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Logins      int     `json:"logins"`
	Failed      int     `json:"failed"`
	PerSecond   float64 `json:"logins_per_s"`
	P50         float64 `json:"p50_ms"`
	P90         float64 `json:"p90_ms"`
	P99         float64 `json:"p99_ms"`
	Max         float64 `json:"max_ms"`
	// Chose counts the logins whose browser met the emulator's user
	// chooser: a person's first visit in this run.
	Chose    int `json:"chooser_logins"`
	Verified int `json:"verified_tokens"`
	// Identities counts the distinct (appid, openid) pairs the verified
	// tokens named.
	Identities int `json:"verified_identities"`
	// TokenRetries counts token requests answered 503 and sent again
	// (-retry-unavailable).
	TokenRetries int `json:"token_retries"`
	WarmupLogins int `json:"warmup_logins"`
	WarmupFailed int `json:"warmup_failed"`
	// ProcessCPU is loadgen's own user and system CPU time, warm-up
	// included.
	ProcessCPU float64 `json:"process_cpu_s"`
	// Errors are the failures by kind; warm-up failures are prefixed
	// "warm-up".
	Errors map[string]*errorKind `json:"errors,omitempty"`
}

func (t *tally) report(concurrency int, elapsed time.Duration) report {
	slices.Sort(t.latencies)
	return report{
		Concurrency:  concurrency,
		Seconds:      round(elapsed.Seconds(), 3),
		Logins:       len(t.latencies),
		Failed:       t.failed,
		PerSecond:    round(float64(len(t.latencies))/elapsed.Seconds(), 1),
		P50:          ms(percentile(t.latencies, 0.50)),
		P90:          ms(percentile(t.latencies, 0.90)),
		P99:          ms(percentile(t.latencies, 0.99)),
		Max:          ms(percentile(t.latencies, 1)),
		Chose:        t.chose,
		Verified:     t.verified,
		Identities:   len(t.identities),
		TokenRetries: t.tokenRetries,
		Errors:       t.errors,
	}
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 2) }

func round(v float64, digits int) float64 {
	scale := math.Pow(10, float64(digits))
	return math.Round(v*scale) / scale
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// write prints the JSON line on stdout and the summary on stderr.
func (r report) write(stdout, stderr io.Writer) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d logins in %.1fs at concurrency %d: %.1f logins/s, %d failed\n",
		r.Logins, r.Seconds, r.Concurrency, r.PerSecond, r.Failed)
	fmt.Fprintf(stderr, "complete login: p50 %.1fms  p90 %.1fms  p99 %.1fms  max %.1fms\n", r.P50, r.P90, r.P99, r.Max)
	fmt.Fprintf(stderr, "%d logins met the user chooser; %d tokens verified against the JWKS, naming %d people; %d token requests tried again after a 503; warm-up %d logins, %d failed; loadgen CPU %.1fs\n",
		r.Chose, r.Verified, r.Identities, r.TokenRetries, r.WarmupLogins, r.WarmupFailed, r.ProcessCPU)
	kinds := slices.SortedFunc(maps.Keys(r.Errors), func(a, b string) int {
		return cmp.Or(cmp.Compare(r.Errors[b].Count, r.Errors[a].Count), cmp.Compare(a, b))
	})
	for _, kind := range kinds {
		fmt.Fprintf(stderr, "  %6d× %s\n", r.Errors[kind].Count, kind)
		for _, e := range r.Errors[kind].Examples {
			fmt.Fprintf(stderr, "          e.g. %s\n", e)
		}
	}
	return nil
}
