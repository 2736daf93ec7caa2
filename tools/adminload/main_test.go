package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	valid := []string{"-key", "k", "-tenant", "acme"}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "valid", args: valid},
		{name: "write", args: append(valid, "-mode", "write")},
		{name: "no key", args: []string{"-tenant", "acme"}, wantErr: "-key"},
		{name: "unknown mode", args: append(valid, "-mode", "delete"), wantErr: "-mode"},
		{name: "no workers", args: append(valid, "-concurrency", "0"), wantErr: "-concurrency"},
		{name: "stray argument", args: append(valid, "extra"), wantErr: "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFlags(tt.args)
			if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("parseFlags: got %v, want an error naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	var sorted []time.Duration
	for i := 1; i <= 100; i++ {
		sorted = append(sorted, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := percentile(sorted, p); got != want {
			t.Errorf("percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if got := percentile(nil, 0.99); got != 0 {
		t.Errorf("percentile of nothing = %v", got)
	}
}
