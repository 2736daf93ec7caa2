package secrets_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// TestVaultAppRoleRenewsAndLogsInAgain: with tokens that live 2s and can be
// renewed up to 5s, the store renews its token, logs in again when the
// token reaches its max TTL, and keeps working throughout.
func TestVaultAppRoleRenewsAndLogsInAgain(t *testing.T) {
	prefix := "approle-" + opaque.Hex(4)
	role := testenv.NewAppRole(t, testenv.VaultPolicy(t, prefix), 2*time.Second, 5*time.Second)
	file := filepath.Join(t.TempDir(), "secret-id")
	secretID := role.WriteNewSecretID(file)
	logs := &logRecorder{}
	s := newVault(t, secrets.VaultConfig{Auth: secrets.AuthAppRole, Prefix: prefix, Logger: logs.logger(),
		AppRole: secrets.AppRoleConfig{RoleID: role.RoleID, SecretIDFile: file, Mount: role.Mount}})
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	mustPut(t, s, "p", secretValue)
	for deadline := time.Now().Add(30 * time.Second); logs.count("logged in to vault") < 2 || logs.count("renewed vault token") < 1; {
		if time.Now().After(deadline) {
			t.Fatalf("no renewal and second login within 30s:\n%s", logs)
		}
		if got := mustGet(t, s, "p"); got != secretValue {
			t.Fatalf("Get = %q", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
	logs.assertHides(t, secretID, role.RoleID, "hvs.")
}

// TestVaultAppRoleReadsRotatedSecretID: a login after the secret id was
// rotated (the new one written to the file, the old one destroyed) uses the
// new one; and a request that Vault refuses because its token was revoked
// logs in again at once.
func TestVaultAppRoleReadsRotatedSecretID(t *testing.T) {
	prefix := "approle-" + opaque.Hex(4)
	role := testenv.NewAppRole(t, testenv.VaultPolicy(t, prefix), time.Hour, time.Hour)
	file := filepath.Join(t.TempDir(), "secret-id")
	first := role.WriteNewSecretID(file)
	logs := &logRecorder{}
	s := newVault(t, secrets.VaultConfig{Auth: secrets.AuthAppRole, Prefix: prefix, Logger: logs.logger(),
		AppRole: secrets.AppRoleConfig{RoleID: role.RoleID, SecretIDFile: file, Mount: role.Mount}})
	mustPut(t, s, "p", secretValue)

	second := role.WriteNewSecretID(file)
	role.DestroySecretID(first)
	role.RevokeTokens()
	if got := mustGet(t, s, "p"); got != secretValue {
		t.Errorf("Get after rotation = %q", got)
	}
	if n := logs.count("logged in to vault"); n != 2 {
		t.Errorf("%d logins, want 2 (the first, and one after the token was revoked):\n%s", n, logs)
	}

	logs.assertHides(t, first, second, role.RoleID, "hvs.")

	// A store whose file holds a destroyed secret id cannot log in, and
	// says so without showing it.
	stale := newVault(t, secrets.VaultConfig{Auth: secrets.AuthAppRole, Prefix: prefix,
		AppRole: secrets.AppRoleConfig{RoleID: role.RoleID, SecretIDFile: writeFile(t, first+"\n"), Mount: role.Mount}})
	_, err := stale.Get(context.Background(), "p")
	if err == nil || errors.Is(err, secrets.ErrUnavailable) || !strings.Contains(err.Error(), "vault login (approle)") {
		t.Errorf("Get with a destroyed secret id = %v, want a failed approle login", err)
	}
	if err != nil && (strings.Contains(err.Error(), first) || strings.Contains(err.Error(), role.RoleID)) {
		t.Errorf("error shows a credential: %v", err)
	}
}

// TestVaultRenewsGivenToken: a renewable token that lives 2s keeps working
// for longer, because the store renews it.
func TestVaultRenewsGivenToken(t *testing.T) {
	prefix := "token-" + opaque.Hex(4)
	tok, err := testenv.VaultClient(t).Auth().Token().Create(&api.TokenCreateRequest{
		Policies: []string{testenv.VaultPolicy(t, prefix)}, TTL: "2s", Renewable: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	logs := &logRecorder{}
	s := newVault(t, secrets.VaultConfig{Token: tok.Auth.ClientToken, Prefix: prefix, Logger: logs.logger()})
	mustPut(t, s, "p", secretValue)
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if got := mustGet(t, s, "p"); got != secretValue {
			t.Fatalf("Get = %q", got)
		}
	}
	if logs.count("renewed vault token") == 0 {
		t.Errorf("no renewal logged:\n%s", logs)
	}
	logs.assertHides(t, tok.Auth.ClientToken)
}

// TestVaultKubernetesReadsTokenFileAtEachLogin: each login reads the
// service account token file afresh. The test Vault has no Kubernetes auth
// method, so a login that read the file reaches Vault and is refused
// there; one that did not fails on the file.
func TestVaultKubernetesReadsTokenFileAtEachLogin(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiJ9.service-account-token.sig"
	file := filepath.Join(t.TempDir(), "token")
	s := newVault(t, secrets.VaultConfig{Auth: secrets.AuthKubernetes, Timeout: 5 * time.Second,
		Kubernetes: secrets.KubernetesConfig{Role: "wxlogin", Mount: "kubernetes-" + opaque.Hex(4), TokenFile: file}})
	ctx := context.Background()
	fileMissing := func(err error) bool { return err != nil && strings.Contains(err.Error(), "no such file") }
	reachedVault := func(err error) bool { return err != nil && strings.Contains(err.Error(), "vault answered 403") }

	steps := []struct {
		name   string
		before func()
		want   func(error) bool
	}{
		{"no token file", func() {}, fileMissing},
		{"token file written", func() { writeFileAt(t, file, jwt) }, reachedVault},
		{"token file removed", func() { _ = os.Remove(file) }, fileMissing},
	}
	for _, step := range steps {
		step.before()
		err := s.Ping(ctx)
		if !step.want(err) || !strings.Contains(err.Error(), "vault login (kubernetes)") {
			t.Errorf("%s: Ping = %v", step.name, err)
		}
		if err != nil && strings.Contains(err.Error(), jwt) {
			t.Errorf("%s: error shows the token: %v", step.name, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// writeFile writes content to a new file, mode 0600, and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "credential")
	writeFileAt(t, file, content)
	return file
}

func writeFileAt(t *testing.T, file, content string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// logRecorder collects a store's log lines.
type logRecorder struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (r *logRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.Write(p)
}

func (r *logRecorder) logger() *slog.Logger { return slog.New(slog.NewTextHandler(r, nil)) }

func (r *logRecorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.String()
}

// count is the number of lines containing msg.
func (r *logRecorder) count(msg string) int { return strings.Count(r.String(), msg) }

// assertHides checks that no line shows any of values.
func (r *logRecorder) assertHides(t *testing.T, values ...string) {
	t.Helper()
	logs := r.String()
	for _, v := range values {
		if strings.Contains(logs, v) {
			t.Errorf("the log shows %q:\n%s", v, logs)
		}
	}
}
