package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// rp is a relying party of the test tenant: an OpenID Connect client of one
// account, built with go-oidc and x/oauth2 from the discovery document
// alone. Signatures are checked with the JWKS that discovery names.
type rp struct {
	t        *testing.T
	s        *stack
	provider *oidc.Provider
	config   oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (s *stack) issuer() string { return s.public + "/t/" + tenantID }

// newRP discovers the tenant's provider for client appID; an empty secret
// makes a public client, which logs in with PKCE alone.
func newRP(t *testing.T, s *stack, appID, secret, scope string) *rp {
	t.Helper()
	provider, err := oidc.NewProvider(context.Background(), s.issuer())
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	return &rp{t: t, s: s, provider: provider,
		config: oauth2.Config{ClientID: appID, ClientSecret: secret, Endpoint: provider.Endpoint(),
			RedirectURL: redirectURI, Scopes: []string{oidc.ScopeOpenID, scope}},
		verifier: provider.Verifier(&oidc.Config{ClientID: appID, SupportedSigningAlgs: []string{oidc.ES256}}),
	}
}

// login runs the authorization code flow with PKCE as user, with nonce
// when it is not empty, and returns the tokens and the verified ID token.
func (r *rp) login(ctx context.Context, user, nonce string) (*oauth2.Token, *oidc.IDToken) {
	r.t.Helper()
	state, verifier := opaque.Hex(8), oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if nonce != "" {
		opts = append(opts, oidc.Nonce(nonce))
	}
	p := r.s.authorize(ctx, newBrowser(), r.config.AuthCodeURL(state, opts...), user)
	if q := p.URL.Query(); q.Get("state") != state || q.Get("code") == "" {
		r.t.Fatalf("redirect %s: want a code and state %s", p.URL, state)
	}
	tok, err := r.config.Exchange(ctx, p.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		r.t.Fatalf("exchange: %v", err)
	}
	return tok, r.verify(ctx, tok)
}

// verify checks the ID token of a token response.
func (r *rp) verify(ctx context.Context, tok *oauth2.Token) *oidc.IDToken {
	r.t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	id, err := r.verifier.Verify(ctx, raw)
	if err != nil {
		r.t.Fatalf("verify the ID token: %v", err)
	}
	return id
}

// refresh redeems a refresh token, as x/oauth2 does for an expired token.
func (r *rp) refresh(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	return r.config.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
}

// idClaims are the ID token's claims beyond the registered ones.
type idClaims struct {
	OpenID   string `json:"openid"`
	UnionID  string `json:"unionid"`
	AuthTime int64  `json:"auth_time"`
	Nickname string `json:"nickname"`
}

// TestOIDCGoClient: a Go relying party (go-oidc, x/oauth2) logs in through
// discovery, verifies the ID token with the JWKS, reads userinfo, refreshes,
// and sees a reused refresh token revoke its whole family.
func TestOIDCGoClient(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newStack(t, b)
			ctx := context.Background()
			secret := strings.TrimSpace(s.run("", "client-secret", "create", "-tenant", tenantID, "-appid", appSandbox))
			r := newRP(t, s, appSandbox, secret, "snsapi_userinfo")

			nonce := "n-" + opaque.New("", 12) + " ☃/=&"
			tok, id := r.login(ctx, "alice", nonce)
			var c idClaims
			if err := id.Claims(&c); err != nil {
				t.Fatal(err)
			}
			switch {
			case id.Nonce != nonce:
				t.Errorf("ID token nonce %q, want exactly %q", id.Nonce, nonce)
			case id.Issuer != s.issuer() || !slices.Equal(id.Audience, []string{appSandbox}) || id.Subject == "":
				t.Errorf("ID token iss %s aud %v sub %q", id.Issuer, id.Audience, id.Subject)
			case c.OpenID == "" || c.UnionID == "" || c.AuthTime == 0 || c.Nickname == "":
				t.Errorf("ID token claims %+v: want openid, unionid, auth_time and the profile", c)
			case tok.RefreshToken == "" || tok.Extra("scope") != "openid snsapi_userinfo":
				t.Errorf("token response: refresh token %t, scope %v", tok.RefreshToken != "", tok.Extra("scope"))
			}
			if err := id.VerifyAccessToken(tok.AccessToken); err != nil {
				t.Errorf("at_hash: the ID token does not bind its access token: %v", err)
			}
			// The access token is the JWT it always was, verified with the
			// keys discovery names.
			var access struct {
				Scope string `json:"scope"`
				idClaims
			}
			if at, err := r.verifier.Verify(ctx, tok.AccessToken); err != nil || at.Claims(&access) != nil {
				t.Errorf("verify the access token: %v", err)
			} else if at.Subject != id.Subject || access.OpenID != c.OpenID || access.UnionID != c.UnionID || access.Scope != "openid snsapi_userinfo" {
				t.Errorf("access token %s %+v is not of the ID token's person and scope", at.Subject, access)
			}

			info, err := r.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			var ic idClaims
			if err == nil {
				err = info.Claims(&ic)
			}
			if err != nil || info.Subject != id.Subject || ic.OpenID != c.OpenID || ic.UnionID != c.UnionID {
				t.Errorf("userinfo %+v %+v: %v; want the ID token's person", info, ic, err)
			}

			// Refresh: new tokens, the same person and auth_time.
			next, err := r.refresh(ctx, tok.RefreshToken)
			if err != nil || next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken {
				t.Fatalf("refresh: %v; want a new refresh token", err)
			}
			var nc idClaims
			if nid := r.verify(ctx, next); nid.Subject != id.Subject || nid.Claims(&nc) != nil || nc.AuthTime != c.AuthTime {
				t.Errorf("refreshed ID token: sub %s auth_time %d, want %s and %d", nid.Subject, nc.AuthTime, id.Subject, c.AuthTime)
			} else if nid.VerifyAccessToken(tok.AccessToken) == nil || nid.VerifyAccessToken(next.AccessToken) != nil {
				t.Error("at_hash of the refreshed ID token does not bind the new access token alone")
			}
			// Reuse of the first refresh token revokes the family: the
			// token it was rotated to stops working too.
			if _, err := r.refresh(ctx, tok.RefreshToken); !isGrantError(err, "invalid_grant") {
				t.Errorf("reused refresh token: %v, want invalid_grant", err)
			}
			if _, err := r.refresh(ctx, next.RefreshToken); !isGrantError(err, "invalid_grant") {
				t.Errorf("the rotated-to refresh token after a reuse: %v, want invalid_grant", err)
			}

			// Revocation (RFC 7009) with the client secret.
			tok, _ = r.login(ctx, "alice", "")
			if status := s.revoke(url.Values{"token": {tok.RefreshToken}, "token_type_hint": {"refresh_token"}}, appSandbox, secret); status != http.StatusOK {
				t.Fatalf("revoke: %d", status)
			}
			if _, err := r.refresh(ctx, tok.RefreshToken); !isGrantError(err, "invalid_grant") {
				t.Errorf("refresh after revocation: %v, want invalid_grant", err)
			}
		})
	}
}

func isGrantError(err error, code string) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.ErrorCode == code
}

// revoke posts to the revocation endpoint and returns its status.
func (s *stack) revoke(form url.Values, clientID, secret string) int {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.issuer()+"/oauth/revoke", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("revocation endpoint: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestOIDCNonce: the ID token carries exactly the nonce given, or none;
// go-oidc leaves comparing it to the caller, and refuses an ID token whose
// nonce was altered (its signature no longer holds) or that was issued to
// another client.
func TestOIDCNonce(t *testing.T) {
	s := newStack(t, backends[0])
	ctx := context.Background()
	r := newRP(t, s, appSandbox, "", "snsapi_base")
	tok, id := r.login(ctx, "bob", "nonce-1")
	if id.Nonce != "nonce-1" {
		t.Fatalf("ID token nonce %q, want nonce-1", id.Nonce)
	}
	if _, none := r.login(ctx, "bob", ""); none.Nonce != "" {
		t.Errorf("ID token of a request without nonce carries %q", none.Nonce)
	}

	raw := tok.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims["nonce"] = "nonce-2"
	altered, _ := json.Marshal(claims)
	parts[1] = base64.RawURLEncoding.EncodeToString(altered)
	if _, err := r.verifier.Verify(ctx, strings.Join(parts, ".")); err == nil {
		t.Error("go-oidc accepted an ID token whose nonce was altered")
	}
	other := newRP(t, s, appA, "", "snsapi_base")
	if _, err := other.verifier.Verify(ctx, raw); err == nil || !strings.Contains(err.Error(), "audience") {
		t.Errorf("go-oidc of another client accepted the ID token: %v", err)
	}
}

// TestOIDCDiscovery checks the tenant's discovery document.
func TestOIDCDiscovery(t *testing.T) {
	s := newStack(t, backends[0])
	var d map[string]any
	status, _, body := get(t, s.issuer()+"/.well-known/openid-configuration")
	if status != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil {
		t.Fatalf("discovery: %d %s", status, body)
	}
	iss := s.issuer()
	want := map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                iss + "/oauth/authorize",
		"token_endpoint":                        iss + "/oauth/token",
		"userinfo_endpoint":                     iss + "/oauth/userinfo",
		"revocation_endpoint":                   iss + "/oauth/revoke",
		"jwks_uri":                              iss + "/.well-known/jwks.json",
		"response_types_supported":              []any{"code"},
		"grant_types_supported":                 []any{"authorization_code", "refresh_token"},
		"id_token_signing_alg_values_supported": []any{"ES256"},
		"code_challenge_methods_supported":      []any{"S256"},
		"scopes_supported":                      []any{"openid", "snsapi_base", "snsapi_userinfo"},
	}
	for k, v := range want {
		got, _ := json.Marshal(d[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Errorf("%s = %s, want %s", k, got, exp)
		}
	}
	if status, _, _ := get(t, s.public+"/t/nosuch/.well-known/openid-configuration"); status != http.StatusNotFound {
		t.Errorf("discovery of an unknown tenant: %d, want 404", status)
	}
}

// TestOIDCRefusals: a client_id of another tenant gets a page and is never
// redirected; userinfo refuses missing and bad tokens with 401 and a
// Bearer challenge.
func TestOIDCRefusals(t *testing.T) {
	s := newStack(t, backends[0])
	s.run("", "tenant", "create", "-id", "globex", "-name", "Globex")
	const globexApp = "wxe0000000000000e5"
	s.run("globex-secret\n", "account", "create", "-tenant", "globex", "-appid", globexApp, "-name", "Globex",
		"-mode", "sandbox", "-scope", "snsapi_base", "-redirect-uri", redirectURI)

	q := url.Values{"client_id": {globexApp}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s"}, "nonce": {"n"}}
	status, h, body := get(t, s.issuer()+"/oauth/authorize?"+q.Encode())
	if status != http.StatusNotFound || h.Get("Location") != "" || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(body, "Login not found") {
		t.Errorf("client_id of another tenant: %d to %q, %s:\n%s", status, h.Get("Location"), h.Get("Content-Type"), body)
	}
	q.Del("client_id")
	if status, h, body := get(t, s.issuer()+"/oauth/authorize?"+q.Encode()); status != http.StatusBadRequest || h.Get("Location") != "" || !strings.Contains(body, "client_id is required") {
		t.Errorf("no client_id: %d to %q:\n%s", status, h.Get("Location"), body)
	}
	q.Set("client_id", appSandbox)
	q.Set("response_type", "token")
	if status, h, _ := get(t, s.issuer()+"/oauth/authorize?"+q.Encode()); status != http.StatusFound || !strings.Contains(h.Get("Location"), "error=unsupported_response_type") {
		t.Errorf("response_type token: %d to %q, want a redirect with unsupported_response_type", status, h.Get("Location"))
	}

	r := newRP(t, s, appSandbox, "", "snsapi_base")
	tok, _ := r.login(context.Background(), "carol", "n")
	parts := strings.Split(tok.AccessToken, ".")
	parts[2] = parts[2][:len(parts[2])-4] + "AAAA"
	for name, header := range map[string]string{
		"missing":          "",
		"garbage":          "Bearer garbage",
		"forged signature": "Bearer " + strings.Join(parts, "."),
		"ID token":         "Bearer " + tok.Extra("id_token").(string),
	} {
		req, _ := http.NewRequest(http.MethodGet, s.issuer()+"/oauth/userinfo", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Bearer realm="wxlogin", error="invalid_token"`) {
			t.Errorf("userinfo with %s token: %d, WWW-Authenticate %q", name, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
}

// nodePassed finds the count of passed tests in node --test's summary.
var nodePassed = regexp.MustCompile(`(?m)^# pass (\d+)$`)

// TestOIDCNodeClient runs the Node relying party of e2e/oidc-node
// (openid-client, jose) against wxlogin and its sandbox account: login
// with nonce and PKCE, JWKS verification, nonce mismatches, userinfo,
// refresh rotation and reuse, revocation.
func TestOIDCNodeClient(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "e2e", "oidc-node"))
	if err != nil {
		t.Fatal(err)
	}
	node := testenv.Node(t, dir)
	s := newStack(t, backends[0])
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a guard against a hung run, not a measure
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WXLOGIN_ISSUER="+s.issuer(), "WXLOGIN_CLIENT_ID="+appSandbox, "WXLOGIN_REDIRECT_URI="+redirectURI)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	if m := nodePassed.FindSubmatch(out); m == nil || string(m[1]) == "0" {
		t.Fatalf("node --test passed no test:\n%s", out)
	}
	t.Logf("node --test:\n%s", out)
}
