package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// TestLogsHoldNoSecrets runs whole logins at the debug level, one of them
// failing, and looks for every secret of them in wxlogin's log: the
// AppSecret, the WeChat code, the wxlogin code, the client secret and the
// JWT, and an OpenID Connect login's ID tokens and refresh tokens.
// Requests carry their id into the log and back in X-Request-Id.
func TestLogsHoldNoSecrets(t *testing.T) {
	s := newStack(t, backends[0], "WXLOGIN_LOG_LEVEL=debug")
	ctx := context.Background()
	clientSecret := strings.TrimSpace(s.run("", "client-secret", "create", "-tenant", tenantID, "-appid", appA))

	verifier := opaque.New("", 32)
	callback := s.wechatCallback(ctx, appA, "alice", "st1", verifier)
	wechatCode := callback.Query().Get("code")
	var codes []string
	for range 2 { // WeChat calls twice: the second call gets a fresh code
		status, h, _ := get(t, callback.String())
		to, _ := url.Parse(h.Get("Location"))
		if status != http.StatusFound || to.Query().Get("code") == "" {
			t.Fatalf("callback: %d to %s", status, to)
		}
		codes = append(codes, to.Query().Get("code"))
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {codes[1]}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	status, body := s.redeem(form, appA, clientSecret)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); status != http.StatusOK || err != nil {
		t.Fatalf("token endpoint: %d %s", status, body)
	}
	form.Set("code", codes[0])
	if status, _ := s.redeem(form, appA, clientSecret); status != http.StatusBadRequest { // replaced by the second
		t.Fatalf("first code: %d", status)
	}

	// A failing login, with a request id of the caller's.
	failing := s.wechatCallback(ctx, appA, "bob", "st2", opaque.New("", 32))
	s.fault(t, map[string]any{"path": "/sns/oauth2/access_token", "errcode": 40125, "times": 1})
	req, _ := http.NewRequest(http.MethodGet, failing.String(), nil)
	req.Header.Set("X-Request-Id", "req-e2e-42")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("X-Request-Id") != "req-e2e-42" {
		t.Fatalf("failing callback: %d with X-Request-Id %q", resp.StatusCode, resp.Header.Get("X-Request-Id"))
	}

	// An OpenID Connect login, its refresh, a refused reuse and a revocation.
	r := newRP(t, s, appSandbox, "", "snsapi_base")
	first, _ := r.login(ctx, "carol", "nonce-"+opaque.Hex(8))
	second, err := r.refresh(ctx, first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.refresh(ctx, first.RefreshToken); !isGrantError(err, "invalid_grant") {
		t.Fatalf("reused refresh token: %v", err)
	}
	if status := s.revoke(url.Values{"token": {second.RefreshToken}}, appSandbox, ""); status != http.StatusOK {
		t.Fatalf("revoke: %d", status)
	}

	s.process.stop(t) // all of the log is in
	logs := s.process.output()
	for _, want := range []string{`"level":"WARN","msg":"login callback failed","request_id":"req-e2e-42"`, `"route":"/t/:tenant/oauth/token"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	s.assertNoSecrets(secretA, wechatCode, failing.Query().Get("code"), codes[0], codes[1], clientSecret, tok.AccessToken, verifier,
		first.AccessToken, first.RefreshToken, first.Extra("id_token").(string), second.RefreshToken, second.Extra("id_token").(string))
}

// TestLogLevel: WXLOGIN_LOG_LEVEL sets the least severe level logged.
func TestLogLevel(t *testing.T) {
	dir := t.TempDir()
	for level, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError} {
		t.Run(level, func(t *testing.T) {
			var stderr bytes.Buffer
			env := &environment{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, lookupEnv: func(k string) (string, bool) {
				v, ok := map[string]string{"WXLOGIN_DATA_DIR": dir, "WXLOGIN_LOG_LEVEL": level}[k]
				return v, ok
			}}
			a, err := openApp(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			ctx := context.Background()
			if a.logger.Enabled(ctx, want-1) || !a.logger.Enabled(ctx, want) {
				t.Errorf("level %s: logs %v: %v, logs %v: %v", level, want-1, a.logger.Enabled(ctx, want-1), want, a.logger.Enabled(ctx, want))
			}
		})
	}
}
