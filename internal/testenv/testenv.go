// Package testenv gives tests the outside services and tools they need
// (PostgreSQL, Vault, Redis, Node.js with a project's npm packages, Chromium), as
// started or installed by `make test` (scripts/test.sh) and announced
// through environment variables. When a service is missing the test is skipped on a
// developer's machine and fails when CI=true: CI must never pass by skipping.
package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Environment variables set by scripts/test.sh.
const (
	PostgresURLEnv = "WXLOGIN_TEST_POSTGRES_URL"
	VaultAddrEnv   = "WXLOGIN_TEST_VAULT_ADDR"
	VaultTokenEnv  = "WXLOGIN_TEST_VAULT_TOKEN"
	RedisURLEnv    = "WXLOGIN_TEST_REDIS_URL"
)

func missing(t testing.TB, what, env string) {
	t.Helper()
	unavailable(t, fmt.Sprintf("%s not available: %s is not set (run `make test`)", what, env))
}

// unavailable fails the test under CI=true and skips it elsewhere.
func unavailable(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Node returns the path of the node binary, once the npm packages of the
// Node project in dir are installed (scripts/test.sh runs npm ci there).
func Node(t testing.TB, dir string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "Node.js not available: node is not on PATH (run `make test`)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		unavailable(t, fmt.Sprintf("the npm packages of %s are not installed (run `make test`, or npm ci there)", dir))
	}
	return node
}

// Chromium is Debian's Chromium, which scripts/install-deps.sh installs;
// nothing downloads a browser.
const Chromium = "/usr/bin/chromium"

// Browser returns Chromium's path once it is installed.
func Browser(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		unavailable(t, fmt.Sprintf("Chromium not available: %v (scripts/install-deps.sh installs it)", err))
	}
	return Chromium
}

// PostgresURL returns the URL of a new, empty database on the test server,
// dropped when the test ends, after a dump of it is recorded (see
// ArtifactsEnv).
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(PostgresURLEnv)
	if admin == "" {
		missing(t, "PostgreSQL", PostgresURLEnv)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresURLEnv, err)
	}
	name := "wxtest_" + strings.ToLower(opaque.Hex(8))
	u.Path = "/" + name
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		dumpPostgres(t, u.String())
		_, _ = db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return u.String()
}

// Vault returns the address and a root token of the test Vault dev server.
func Vault(t testing.TB) (addr, token string) {
	t.Helper()
	addr, token = os.Getenv(VaultAddrEnv), os.Getenv(VaultTokenEnv)
	if addr == "" || token == "" {
		missing(t, "Vault", VaultAddrEnv+" and "+VaultTokenEnv)
	}
	return addr, token
}

// RedisURL returns the URL of the test Redis server. Tests share it: each
// keeps its keys under a prefix of its own.
func RedisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(RedisURLEnv)
	if u == "" {
		missing(t, "Redis", RedisURLEnv)
	}
	return u
}

// RedisBehindProxy returns the URL of the test Redis server through a
// Proxy, which the test may cut.
func RedisBehindProxy(t testing.TB) (string, *Proxy) {
	t.Helper()
	u, err := url.Parse(RedisURL(t))
	if err != nil {
		t.Fatalf("parse %s: %v", RedisURLEnv, err)
	}
	p := NewProxy(t, u.Host)
	u.Host = p.Addr()
	return u.String(), p
}
