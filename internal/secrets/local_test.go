package secrets_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/secrets"
)

const secretValue = "s3cr3t-appsecret-0123456789abcdef"

func TestLocalCreatesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "secrets")
	openLocal(t, dir)
	for name, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "secrets.key"): 0o600} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %#o, want %#o", name, got, want)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "secrets.key")); fi.Size() != 32 {
		t.Errorf("key file holds %d bytes, want 32", fi.Size())
	}
}

func TestLocalRejectsBadKeyFile(t *testing.T) {
	cases := []struct {
		name    string
		mode    os.FileMode
		content []byte
		wantErr string
	}{
		{"group readable", 0o640, make([]byte, 32), "chmod 600"},
		{"world readable", 0o604, make([]byte, 32), "chmod 600"},
		{"too short", 0o600, make([]byte, 16), "exactly 32 bytes"},
		{"too long", 0o600, make([]byte, 33), "exactly 32 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			key := filepath.Join(dir, "secrets.key")
			if err := os.WriteFile(key, c.content, c.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(key, c.mode); err != nil { // past the umask
				t.Fatal(err)
			}
			_, err := secrets.OpenLocal(dir)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("OpenLocal error = %v, want one mentioning %q", err, c.wantErr)
			}
		})
	}
}

func TestLocalSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := openLocal(t, dir).Put(ctx, "tenants/a/appsecret", map[string]string{"v": secretValue}); err != nil {
		t.Fatal(err)
	}
	got, err := openLocal(t, dir).Get(ctx, "tenants/a/appsecret")
	if err != nil || got.Data["v"] != secretValue {
		t.Errorf("Get after reopen = %q, %v", got.Data, err)
	}
}

func TestLocalFileBoundToItsPath(t *testing.T) {
	dir := t.TempDir()
	s := openLocal(t, dir)
	ctx := context.Background()
	for _, p := range []string{"tenants/a/appsecret", "tenants/b/appsecret"} {
		if _, err := s.Put(ctx, p, map[string]string{"v": secretValue + p}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := os.ReadFile(fileOf(dir, "tenants/a/appsecret"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fileOf(dir, "tenants/b/appsecret"), a, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "tenants/b/appsecret")
	if err == nil {
		t.Fatalf("Get of a file swapped in from another path = %q, want an error", got.Data)
	}
	if errors.Is(err, secrets.ErrNotFound) || strings.Contains(err.Error(), secretValue) {
		t.Errorf("error = %v, want an authentication failure without the value", err)
	}
}

func TestLocalWrongKeyFails(t *testing.T) {
	dir := t.TempDir()
	if _, err := openLocal(t, dir).Put(context.Background(), "p", map[string]string{"v": secretValue}); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "secrets.key")
	if err := os.WriteFile(key, bytes.Repeat([]byte{7}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openLocal(t, dir).Get(context.Background(), "p"); err == nil {
		t.Error("Get with another key succeeded")
	}
}

func TestLocalCiphertextHidesPlaintext(t *testing.T) {
	dir := t.TempDir()
	s := openLocal(t, dir)
	path := "tenants/acme/accounts/wx1/appsecret"
	var sealed [][]byte
	for range 2 {
		if _, err := s.Put(context.Background(), path, map[string]string{"appsecret": secretValue}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(fileOf(dir, path))
		if err != nil {
			t.Fatal(err)
		}
		sealed = append(sealed, b)
	}
	for _, needle := range []string{secretValue, "appsecret", "acme"} {
		if bytes.Contains(sealed[1], []byte(needle)) {
			t.Errorf("file on disk contains %q", needle)
		}
	}
	if bytes.Equal(sealed[0][:12], sealed[1][:12]) {
		t.Error("two writes used the same nonce")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("dir holds %d entries, want the key file and one secret file (no temp files)", len(entries))
	}
}

// fileOf is where Local keeps path: the hex SHA-256 of the path.
func fileOf(dir, path string) string {
	sum := sha256.Sum256([]byte(path))
	return filepath.Join(dir, hex.EncodeToString(sum[:]))
}
