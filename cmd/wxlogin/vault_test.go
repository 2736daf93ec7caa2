package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// TestVaultAppRole: wxlogin logs in to Vault with AppRole. Its tokens live
// 2s and can be renewed up to 6s, so while the test runs wxlogin renews
// them and logs in again; midway the secret id is rotated (a new one
// written to the file, the old one destroyed). Logins go on throughout,
// and no token or secret id reaches the log.
func TestVaultAppRole(t *testing.T) {
	var role *testenv.AppRole
	var secretIDFile, firstID string
	b := backend{"postgres+vault approle", func(t *testing.T, s *stack) (string, []string) {
		dbURL, env := backends[1].setup(t, s)
		prefix := "e2e-" + opaque.Hex(6)
		role = testenv.NewAppRole(t, testenv.VaultPolicy(t, prefix), 2*time.Second, 6*time.Second)
		secretIDFile = filepath.Join(t.TempDir(), "secret-id")
		firstID = role.WriteNewSecretID(secretIDFile)
		return dbURL, append(env, "WXLOGIN_VAULT_PREFIX="+prefix, "WXLOGIN_VAULT_TOKEN=",
			"WXLOGIN_VAULT_AUTH=approle", "WXLOGIN_VAULT_APPROLE_MOUNT="+role.Mount,
			"WXLOGIN_VAULT_APPROLE_ROLE_ID="+role.RoleID, "WXLOGIN_VAULT_APPROLE_SECRET_ID_FILE="+secretIDFile)
	}}
	s := newStack(t, b)
	ctx := context.Background()
	s.loginAs(ctx, newBrowser(), appA, "alice", "snsapi_base")

	secondID := role.WriteNewSecretID(secretIDFile)
	role.DestroySecretID(firstID)
	logins := func() int { return strings.Count(s.process.output(), "logged in to vault") }
	rotatedAt := logins()
	// Two more logins: at least one whole token life on the new secret id.
	for i, deadline := 0, time.Now().Add(time.Minute); logins() < rotatedAt+2; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("wxlogin did not log in to Vault again within a minute of the rotation:\n%s", s.process.output())
		}
		s.loginAs(ctx, newBrowser(), appA, "user-"+opaque.Hex(4), "snsapi_base")
		time.Sleep(200 * time.Millisecond)
	}
	s.process.stop(t) // all of the log is in
	logs := s.process.output()
	if !strings.Contains(logs, "renewed vault token") {
		t.Errorf("wxlogin never renewed its token:\n%s", logs)
	}
	if strings.Contains(logs, "vault login failed") {
		t.Errorf("a login to Vault failed:\n%s", logs)
	}
	s.assertNoSecrets(firstID, secondID, "hvs.")
}

// TestVaultOutageServesCachedSecrets: while Vault is away, logins to an
// account whose AppSecret wxlogin read before go on from its cache, past
// the cache's TTL, and wxlogin stays ready; an account never read gets the
// 503 page; when Vault returns, both work.
func TestVaultOutageServesCachedSecrets(t *testing.T) {
	const ttl = time.Second
	s := newStack(t, backends[1], "WXLOGIN_SECRET_CACHE_TTL="+ttl.String(), "WXLOGIN_SECRET_MAX_STALE=10m")
	ctx := context.Background()
	s.loginAs(ctx, newBrowser(), appA, "alice", "snsapi_base")

	s.vault.SetDown(true)
	time.Sleep(2 * ttl) // what appA's login reads now is past its TTL
	s.loginAs(ctx, newBrowser(), appA, "bob", "snsapi_base")
	if status, _, body := s.readyz(s.public); status != http.StatusOK {
		t.Errorf("/readyz while Vault is away and cached secrets are served: %d %s", status, body)
	}
	br := newBrowser()
	p, err := br.Get(ctx, s.loginURL(appB, "snsapi_base", "never-seen", opaque.New("", 32)))
	if err == nil {
		p, err = br.Submit(ctx, p, "user", "", url.Values{"user": {"carol"}})
	}
	if err != nil {
		t.Fatal(err)
	}
	wantUnavailable(t, p.Status, p.Header, string(p.Body))

	s.vault.SetDown(false)
	s.loginAs(ctx, newBrowser(), appB, "carol", "snsapi_base")
	s.loginAs(ctx, newBrowser(), appA, "dave", "snsapi_base")
	s.process.stop(t) // all of the log is in
	if !strings.Contains(s.process.output(), "secret store unavailable; serving the last value read") {
		t.Errorf("no warning that a stale secret was served:\n%s", s.process.output())
	}
	s.assertNoSecrets(secretA, secretB)
}
