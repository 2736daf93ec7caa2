package main

import (
	"errors"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var sorted []time.Duration
	for i := 1; i <= 100; i++ {
		sorted = append(sorted, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{name: "none", sorted: nil, p: 0.5, want: 0},
		{name: "one", sorted: sorted[:1], p: 0.99, want: time.Millisecond},
		{name: "median", sorted: sorted, p: 0.5, want: 50 * time.Millisecond},
		{name: "p99", sorted: sorted, p: 0.99, want: 99 * time.Millisecond},
		{name: "max", sorted: sorted, p: 1, want: 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Fatalf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestTallyMergeKeepsFewExamples(t *testing.T) {
	var a, b tally
	for _, msg := range []string{"one", "two", "two", "three", "four"} {
		a.fail(&failure{kind: "token: HTTP 400 invalid_grant", detail: msg})
	}
	b.fail(errors.New("plain"))
	b.succeed(time.Millisecond, true)
	a.identify("wx1", "o-1")
	b.identify("wx1", "o-1")
	b.identify("wx2", "o-1")
	b.identify("wx2", "") // not verified
	a.merge(&b)
	k := a.errors["token: HTTP 400 invalid_grant"]
	switch {
	case a.failed != 6 || len(a.latencies) != 1 || a.chose != 1:
		t.Fatalf("merged tally: failed %d, logins %d, chose %d; want 6, 1, 1", a.failed, len(a.latencies), a.chose)
	case k.Count != 5 || len(k.Examples) != maxExamples:
		t.Fatalf("kind: count %d, examples %q; want 5 and %d distinct", k.Count, k.Examples, maxExamples)
	case a.errors["error"].Count != 1:
		t.Fatalf("a plain error is not counted as kind \"error\": %v", a.errors)
	case len(a.identities) != 2:
		t.Fatalf("identities %v, want the two (appid, openid) pairs", a.identities)
	}
}
