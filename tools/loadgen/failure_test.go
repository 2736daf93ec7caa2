package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPageText(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{name: "error page", body: "<html><head><title>T</title><style>p{}</style></head><body><h1>登录已过期</h1>\n<p>Login  expired</p></body></html>", want: "登录已过期 Login expired"},
		{name: "JSON", body: `{"error":"invalid_grant"}`, want: `{"error":"invalid_grant"}`},
		{name: "empty", body: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pageText([]byte(tt.body)); got != tt.want {
				t.Fatalf("pageText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClipKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("微信", 100)
	got := clip(s, 10)
	if !utf8.ValidString(got) || len(got) > 10+len("…") {
		t.Fatalf("clip = %q", got)
	}
	if clip("short", 10) != "short" {
		t.Fatal("clip changed a short string")
	}
}
