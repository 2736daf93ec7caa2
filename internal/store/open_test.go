package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wxlogin/wxlogin/internal/testenv"
)

func TestOpenSQLite(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, url, file string
	}{
		{"plain path, missing directories", filepath.Join(dir, "a", "b", "wx.db"), filepath.Join(dir, "a", "b", "wx.db")},
		{"sqlite: scheme", "sqlite:" + filepath.Join(dir, "s.db"), filepath.Join(dir, "s.db")},
		{"sqlite:// scheme", "sqlite://" + filepath.Join(dir, "ss.db"), filepath.Join(dir, "ss.db")},
		{"file: URI with a query", "file:" + filepath.Join(dir, "f.db") + "?cache=private", filepath.Join(dir, "f.db")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(context.Background(), tc.url, Options{})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer db.Close()
			if db.Dialect() != DialectSQLite {
				t.Errorf("Dialect = %q, want %q", db.Dialect(), DialectSQLite)
			}
			if _, err := os.Stat(tc.file); err != nil {
				t.Errorf("database file: %v", err)
			}
			for pragma, want := range map[string]string{
				"journal_mode": "wal",
				"busy_timeout": "5000",
				"foreign_keys": "1",
				"synchronous":  "1", // NORMAL
			} {
				var got string
				if err := db.bun.NewRaw("PRAGMA "+pragma).Scan(context.Background(), &got); err != nil || got != want {
					t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
				}
			}
		})
	}
}

func TestOpenPostgres(t *testing.T) {
	url := testenv.PostgresURL(t)
	if _, err := Open(context.Background(), url, Options{MaxConns: 1}); err == nil {
		t.Error("Open with MaxConns 1 succeeded, want an error")
	}
	db, err := Open(context.Background(), url, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	if db.Dialect() != DialectPostgres {
		t.Errorf("Dialect = %q, want %q", db.Dialect(), DialectPostgres)
	}
	if got := db.bun.DB.Stats().MaxOpenConnections; got != DefaultMaxConns {
		t.Errorf("pool size %d, want %d", got, DefaultMaxConns)
	}
}

func TestOpenUnreachable(t *testing.T) {
	_, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", Options{})
	if err == nil {
		t.Fatal("Open of an unreachable server succeeded")
	}
}
