package store_test

import (
	"context"
	"io"
	"testing"

	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// databases are the databases every test runs on. url returns the URL of a
// new, empty database.
var databases = []struct {
	name string
	url  func(t testing.TB) string
}{
	{"sqlite", testenv.SQLiteFile},
	{"postgres", testenv.PostgresURL},
}

// eachDB runs test once per database.
func eachDB(t *testing.T, test func(t *testing.T, url func(t testing.TB) string)) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) { test(t, d.url) })
	}
}

// open opens url and closes it when the test ends.
func open(t testing.TB, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// openMigrated opens a new database at the current schema.
func openMigrated(t testing.TB, url func(t testing.TB) string) *store.DB {
	t.Helper()
	db := open(t, url(t))
	if err := db.MigrateUp(context.Background(), io.Discard); err != nil {
		t.Fatalf("MigrateUp: %v", err)
	}
	return db
}
