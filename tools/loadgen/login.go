package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wxlogin/wxlogin/internal/browser"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/opaque"
)

// authorizePath is the emulator's (and WeChat's) authorize page.
const authorizePath = "/connect/oauth2/authorize"

// outcome is a completed login.
type outcome struct {
	accessToken string
	// chose is true when the emulator asked who holds the phone: the
	// person's first login in this browser.
	chose bool
	// tokenRetries counts the token requests answered 503 and sent again.
	tokenRetries int
}

// login runs one complete login of p on the account appID: hosted login,
// WeChat authorize (choosing the user if asked), callback, token.
func (r *runner) login(ctx context.Context, p *person, appID string) (outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.timeout)
	defer cancel()
	verifier, state := opaque.New("", 32), opaque.Hex(8)
	q := url.Values{
		"redirect_uri":          {r.cfg.redirectURI.String()},
		"state":                 {state},
		"code_challenge":        {login.S256(verifier)},
		"code_challenge_method": {"S256"},
	}
	start := r.cfg.base.JoinPath("t", r.cfg.tenant, "wechat", appID, "login")
	start.RawQuery = q.Encode()
	page, err := p.browser.Get(ctx, start.String())
	if err != nil {
		return outcome{}, transportFailure("browser", err)
	}
	var out outcome
	if isChooser(page) {
		out.chose = true
		who := url.Values{"user": {p.name}, "custom": {p.name}}
		if page, err = p.browser.Submit(ctx, page, "user", "", who); err != nil {
			return outcome{}, transportFailure("choose user", err)
		}
	}
	code, err := r.tenantCode(page, state)
	if err != nil {
		return outcome{}, err
	}
	out.accessToken, out.tokenRetries, err = r.redeemRetrying(ctx, appID, code, verifier)
	return out, err
}

// redeemRetrying is redeem, tried again after a 503 while -retry-unavailable
// and the login's time allow, after the answer's Retry-After (1 s when it
// names none); it returns the token and how many tries were again.
func (r *runner) redeemRetrying(ctx context.Context, appID, code, verifier string) (string, int, error) {
	for again := 0; ; again++ {
		tok, wait, err := r.redeem(ctx, appID, code, verifier)
		if wait == 0 || !r.cfg.retryUnavailable {
			return tok, again, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", again, err
		case <-t.C:
		}
	}
}

// isChooser reports whether the page is the emulator's "choose a test user"
// form.
func isChooser(p browser.Page) bool {
	return p.Status == http.StatusOK && strings.HasSuffix(p.URL.Path, authorizePath) &&
		bytes.Contains(p.Body, []byte(`name="user"`))
}

// tenantCode reads wxlogin's code from the redirect to the tenant, checking
// that it carries the state the login started with.
func (r *runner) tenantCode(p browser.Page, state string) (string, error) {
	if p.Status/100 != 3 || !r.atRedirectURI(p.URL) {
		return "", pageFailure(p)
	}
	q := p.URL.Query()
	switch {
	case q.Get("error") != "":
		return "", &failure{kind: "callback: error=" + q.Get("error"), detail: q.Get("error_description")}
	case q.Get("state") != state:
		return "", &failure{kind: "callback: wrong state", detail: fmt.Sprintf("want %q, got %q", state, q.Get("state"))}
	case q.Get("code") == "":
		return "", &failure{kind: "callback: no code", detail: "the redirect to the tenant has no code"}
	}
	return q.Get("code"), nil
}

// tokenAnswer is the token endpoint's answer, success or error.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// redeem is the tenant backend's token request (RFC 6749 §4.1.3 with the
// PKCE verifier). After a 503 it returns how long the answer asks to wait
// before trying again; 0 otherwise.
func (r *runner) redeem(ctx context.Context, appID, code, verifier string) (string, time.Duration, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {r.cfg.redirectURI.String()},
		"code_verifier": {verifier},
		"client_id":     {appID},
	}
	endpoint := r.cfg.base.JoinPath("t", r.cfg.tenant, "oauth", "token").String()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := r.backend.Do(req)
	if err != nil {
		return "", 0, transportFailure("token", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, transportFailure("token", err)
	}
	var wait time.Duration
	if resp.StatusCode == http.StatusServiceUnavailable {
		wait = time.Second
		if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n > 0 {
			wait = time.Duration(n) * time.Second
		}
	}
	var a tokenAnswer
	jsonErr := json.Unmarshal(body, &a)
	switch {
	case resp.StatusCode != http.StatusOK && a.Error != "":
		return "", wait, &failure{kind: fmt.Sprintf("token: HTTP %d %s", resp.StatusCode, a.Error), detail: a.Description}
	case resp.StatusCode != http.StatusOK:
		return "", wait, &failure{kind: fmt.Sprintf("token: HTTP %d", resp.StatusCode), detail: clip(string(body), maxDetail)}
	case jsonErr != nil || a.AccessToken == "":
		return "", 0, &failure{kind: "token: no access_token", detail: clip(string(body), maxDetail)}
	}
	return a.AccessToken, 0, nil
}
