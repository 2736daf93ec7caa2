package layers

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/wxlogin/wxlogin/"

var (
	adapters = []string{"internal/wechat", "internal/wechatsim", "internal/secrets", "internal/token", "internal/ratelimit"}
	outer    = []string{"cmd/wxlogin", "api", "internal/demo"}
	// ops are leaf helpers that the outer packages wire in: the callers
	// declare the small interfaces they implement.
	ops = []string{"internal/metrics", "internal/health"}
)

// forbidden lists, for each package, the packages it must not depend on,
// directly or not.
func forbidden() map[string][]string {
	domain := []string{"tenants", "internal/login", "internal/reports"}
	rules := map[string][]string{
		"tenants":          append([]string{"internal/store", "internal/login"}, outer...),
		"internal/login":   append([]string{"internal/store"}, outer...),
		"internal/reports": append([]string{"internal/store"}, outer...),
		"internal/store":   outer,
		"api":              {"cmd/wxlogin", "internal/store"},
	}
	for _, a := range adapters {
		rules[a] = append(append(append([]string{"internal/store"}, domain...), outer...), ops...)
	}
	for _, o := range ops {
		rules[o] = append(append(append([]string{"internal/store"}, domain...), outer...), adapters...)
	}
	for _, d := range domain {
		rules[d] = append(rules[d], ops...)
	}
	return rules
}

func deps(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	set := map[string]bool{}
	for _, line := range strings.Fields(string(out)) {
		set[strings.TrimPrefix(line, module)] = true
	}
	return set
}

func TestImportsGoOneWay(t *testing.T) {
	for pkg, banned := range forbidden() {
		t.Run(pkg, func(t *testing.T) {
			d := deps(t, pkg)
			if !d[pkg] {
				t.Fatalf("go list did not list %s itself", pkg)
			}
			for _, b := range banned {
				if d[b] {
					t.Errorf("%s depends on %s", pkg, b)
				}
			}
		})
	}
}
