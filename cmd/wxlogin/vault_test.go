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

// vaultDown is how long TestVaultStopped keeps Vault stopped; make soak
// stops it longer.
const vaultDown = 5 * time.Second

// TestVaultStopped: Vault (a server of the test's own, its storage on
// disk) is stopped for real during a burst of logins, started again,
// sealed, and unsealed. Meanwhile logins of the account whose AppSecret
// wxlogin read before go on from its cache, past the cache's TTL, their
// tokens signed with the cached key, and wxlogin stays ready; a login of
// an account never read gets the 503 page and writing an AppSecret a 503
// problem with Retry-After, stopped or sealed; once Vault is unsealed, both
// work, with no restart of wxlogin.
func TestVaultStopped(t *testing.T) {
	const ttl = time.Second
	var vault *testenv.VaultServer
	b := backend{"postgres+own vault", func(t *testing.T, _ *stack) (string, []string) {
		vault = testenv.NewVaultServer(t)
		return testenv.PostgresURL(t), []string{"WXLOGIN_VAULT_ADDR=" + vault.Addr, "WXLOGIN_VAULT_TOKEN=" + vault.RootToken,
			"WXLOGIN_SECRET_CACHE_TTL=" + ttl.String(), "WXLOGIN_SECRET_MAX_STALE=10m"}
	}}
	s := newStack(t, b, unlimited()...)
	ctx := context.Background()
	s.loginAs(ctx, newBrowser(), appA, "alice", "snsapi_base")
	admin := strings.TrimSpace(s.run("", "apikey", "create", "-tenant", tenantID, "-name", "outage", "-role", "admin"))
	putSecret := func() adminCall {
		return s.admin(admin, http.MethodPut, "/v1/tenants/"+tenantID+"/accounts/"+appB+"/secret", map[string]string{"app_secret": secretB})
	}
	// appB's AppSecret has not been read: what needs it cannot work.
	away := func(when string) {
		if status, _, body := s.readyz(s.public); status != http.StatusOK {
			t.Errorf("/readyz with Vault %s, cached secrets served: %d %s", when, status, body)
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
		if res := putSecret(); res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
			t.Errorf("AppSecret written with Vault %s: %d (Retry-After %q) %s", when, res.status, res.header.Get("Retry-After"), res.body)
		}
	}
	tries, recovered := s.burst(3, []string{appA}, "snsapi_base", 2*time.Second, func() {
		time.Sleep(500 * time.Millisecond)
		vault.Stop()
		time.Sleep(vaultDown)
		away("stopped")
		vault.Start()
		away("sealed")
		vault.Unseal()
	})
	if failed := s.checkBurst(t, tries, recovered); len(failed) > 0 {
		t.Errorf("%d logins of the account whose secret was cached failed", len(failed))
	}
	if res := putSecret(); res.status != http.StatusOK {
		t.Errorf("AppSecret written once Vault is back: %d %s", res.status, res.body)
	}
	s.loginAs(ctx, newBrowser(), appB, "carol", "snsapi_base")
	s.process.stop(t) // all of the log is in
	if !strings.Contains(s.process.output(), "secret store unavailable; serving the last value read") {
		t.Errorf("no warning that a stale secret was served:\n%s", s.process.output())
	}
	s.assertNoSecrets(secretA, secretB, vault.RootToken)
}
