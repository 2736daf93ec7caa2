package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/health"
)

// readyz asks base's /readyz.
func (s *stack) readyz(base string) (int, health.Report, string) {
	s.t.Helper()
	status, _, body := get(s.t, base+"/readyz")
	var rep health.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		s.t.Fatalf("/readyz answered %d %q: %v", status, body, err)
	}
	return status, rep, body
}

// report is a /readyz body whose checks all pass but the failing ones.
func report(failing ...string) health.Report {
	rep := health.Report{Ready: len(failing) == 0, Checks: map[string]string{
		"shutdown": "ok", "database": "ok", "secrets": "ok", "migrations": "ok"}}
	for _, f := range failing {
		rep.Checks[f] = "fail"
	}
	return rep
}

// awaitReady asks /readyz until it says ready: a connection the proxy cut
// is noticed, and replaced, by the request that finds it broken.
func (s *stack) awaitReady() {
	s.t.Helper()
	for i := 0; i < 50; i++ {
		if status, _, _ := s.readyz(s.public); status == http.StatusOK {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("wxlogin never became ready again\n%s", s.process.output())
}

// TestReadyz: /readyz, on the HTTP port and on the metrics listener, is 200
// while the database and Vault answer and the schema is current, and 503
// naming the check that fails otherwise, without naming hosts or users.
func TestReadyz(t *testing.T) {
	s := newStack(t, backends[1])
	cases := []struct {
		name    string
		cut     func()
		restore func()
		failing []string
	}{
		{"ready", func() {}, func() {}, nil},
		{"database down", func() { s.db.SetDown(true) }, func() { s.db.SetDown(false) }, []string{"database", "migrations"}},
		{"vault down", func() { s.vault.SetDown(true) }, func() { s.vault.SetDown(false) }, []string{"secrets"}},
		{"migrations behind", func() { s.run("", "migrate", "down") }, func() { s.run("", "migrate", "up") }, []string{"migrations"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cut()
			want, wantStatus := report(c.failing...), http.StatusOK
			if len(c.failing) > 0 {
				wantStatus = http.StatusServiceUnavailable
			}
			for _, base := range []string{s.public, s.ops} {
				status, rep, body := s.readyz(base)
				if status != wantStatus || !reflect.DeepEqual(rep, want) {
					t.Errorf("%s/readyz: got %d %s, want %d %+v", base, status, body, wantStatus, want)
				}
				for _, leak := range []string{"127.0.0.1", "postgres", "wxtest_", "error"} {
					if strings.Contains(body, leak) {
						t.Errorf("%s/readyz leaks %q: %s", base, leak, body)
					}
				}
			}
			c.restore()
			s.awaitReady()
		})
	}
	s.process.stop(t) // all of the log is in
	if out := s.process.output(); !strings.Contains(out, `"msg":"readiness check failed","check":"database"`) {
		t.Errorf("failed checks are not logged:\n%s", out)
	}
}
