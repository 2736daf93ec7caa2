package migrations

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun/migrate"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// dirs maps bun's dialect names to the directory of their migrations.
var dirs = map[string]string{
	"pg":     "postgres",
	"sqlite": "sqlite",
}

// For returns the migrations of a bun dialect: "pg" or "sqlite".
func For(dialect string) (*migrate.Migrations, error) {
	dir, ok := dirs[dialect]
	if !ok {
		return nil, fmt.Errorf("migrations: no migrations for dialect %q", dialect)
	}
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	m := migrate.NewMigrations()
	if err := m.Discover(sub); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return m, nil
}
