package config

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's configuration table from Settings")

const (
	readme     = "../../README.md"
	tableStart = "<!-- settings: made from internal/config's Settings by `go generate ./internal/config` -->\n"
	tableEnd   = "<!-- end of settings -->\n"
)

// settingsTable is the README's configuration table: one row a setting.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, s := range Settings() {
		def := "(unset)"
		if s.Default != "" {
			def = "`" + s.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", s.Name, def, s.Meaning)
	}
	return b.String()
}

// TestREADMETable keeps the README's table of settings equal to Settings;
// with -update (go generate) it rewrites the table.
func TestREADMETable(t *testing.T) {
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	before, rest, ok1 := strings.Cut(doc, tableStart)
	table, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("README.md has no table between %q and %q", tableStart, tableEnd)
	}
	want := settingsTable()
	switch {
	case table == want:
	case *update:
		if err := os.WriteFile(readme, []byte(before+tableStart+want+tableEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Errorf("README.md's configuration table is out of date: run `go generate ./internal/config`. Want:\n%s", want)
	}
}
