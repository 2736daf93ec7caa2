package main

import (
	"io"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	valid := []string{"-tenant", "acme", "-appids", "wx0000000000000001, wx0000000000000002", "-redirect-uri", "https://acme.example/cb", "-duration", "1s"}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "valid", args: valid},
		{name: "no tenant", args: without(valid, "-tenant"), wantErr: "-tenant"},
		{name: "no appids", args: without(valid, "-appids"), wantErr: "-appids"},
		{name: "relative redirect", args: append(valid, "-redirect-uri", "/cb"), wantErr: "-redirect-uri"},
		{name: "no bound", args: without(valid, "-duration"), wantErr: "-duration or -logins"},
		{name: "logins only", args: append(without(valid, "-duration"), "-logins", "10")},
		{name: "fewer users than workers", args: append(valid, "-concurrency", "8", "-users", "4"), wantErr: "-users"},
		{name: "no verification", args: append(valid, "-verify-every", "0"), wantErr: "-verify-every"},
		{name: "steady rate", args: append(valid, "-rate", "12.5", "-retry-unavailable")},
		{name: "negative rate", args: append(valid, "-rate", "-1"), wantErr: "-rate"},
		{name: "rate not a number", args: append(valid, "-rate", "NaN"), wantErr: "-rate"},
		{name: "stray argument", args: append(valid, "extra"), wantErr: "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseFlags(tt.args, io.Discard)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("parseFlags: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("parseFlags: got %v, want an error naming %s", err, tt.wantErr)
			case tt.name == "valid" && len(cfg.appIDs) != 2:
				t.Fatalf("appIDs = %q, want two", cfg.appIDs)
			}
		})
	}
}

// without drops a flag and its value from args.
func without(args []string, flag string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if args[i] == flag {
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}
