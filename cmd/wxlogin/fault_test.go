package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// TestPostgresRestartDuringLogins: PostgreSQL (a cluster of the test's own)
// is restarted in the middle of a burst of logins. Every login that got a
// token is durable, every other one got a clear 503, and logins started
// after the restart succeed, with no restart of wxlogin.
func TestPostgresRestartDuringLogins(t *testing.T) {
	var pg *testenv.PostgresCluster
	b := backend{"own postgres+vault", func(t *testing.T, s *stack) (string, []string) {
		pg = testenv.NewPostgresCluster(t)
		addr, tok := testenv.Vault(t)
		return pg.URL(), []string{"WXLOGIN_VAULT_ADDR=" + addr, "WXLOGIN_VAULT_TOKEN=" + tok, "WXLOGIN_VAULT_PREFIX=e2e-" + opaque.Hex(6)}
	}}
	s := newStack(t, b)
	s.loginAs(context.Background(), newBrowser(), appA, "alice", "snsapi_base") // warm: pools open, keys cached
	tries, recovered := s.burst(6, []string{appA, appB}, "snsapi_base", 2*time.Second, func() {
		time.Sleep(time.Second)
		pg.Restart(2 * time.Second)
	})
	s.checkBurst(tries, recovered)
	if status, _, body := s.readyz(s.public); status != http.StatusOK {
		t.Errorf("/readyz after the restart: %d %s", status, body)
	}
}
