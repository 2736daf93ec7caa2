package tenantstest

import (
	"context"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/tenants"
)

func testConsoleSessions(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	tn := NewTenant(t, s)
	keys := createAPIKeys(t, s, tn.ID, tenants.RoleViewer, 2)
	now := Now()
	live := tenants.ConsoleSession{Hash: opaque.Hash("live"), APIKeyID: keys[0].ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	old := tenants.ConsoleSession{Hash: opaque.Hash("old"), APIKeyID: keys[1].ID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now}
	for _, sess := range []tenants.ConsoleSession{live, old} {
		IsErr(t, "CreateConsoleSession", s.CreateConsoleSession(ctx, sess), nil)
	}
	IsErr(t, "CreateConsoleSession of a taken hash", s.CreateConsoleSession(ctx, live), tenants.ErrConflict)
	unknownKey := tenants.ConsoleSession{Hash: opaque.Hash("x"), APIKeyID: "nokey", CreatedAt: now, ExpiresAt: now}
	IsErr(t, "CreateConsoleSession of an unknown key", s.CreateConsoleSession(ctx, unknownKey), tenants.ErrNotFound)

	got, key, err := s.ConsoleSession(ctx, live.Hash)
	IsErr(t, "ConsoleSession", err, nil)
	Equal(t, "ConsoleSession", got, live)
	Equal(t, "ConsoleSession's key", key, keys[0])
	_, _, err = s.ConsoleSession(ctx, opaque.Hash("nobody"))
	IsErr(t, "ConsoleSession of an unknown hash", err, tenants.ErrNotFound)

	n, err := s.DeleteConsoleSessions(ctx, now)
	IsErr(t, "DeleteConsoleSessions", err, nil)
	Equal(t, "DeleteConsoleSessions deleted", n, int64(1))
	_, _, err = s.ConsoleSession(ctx, old.Hash)
	IsErr(t, "ConsoleSession of a swept session", err, tenants.ErrNotFound)

	IsErr(t, "DeleteConsoleSession", s.DeleteConsoleSession(ctx, live.Hash), nil)
	IsErr(t, "DeleteConsoleSession again", s.DeleteConsoleSession(ctx, live.Hash), nil)
	_, _, err = s.ConsoleSession(ctx, live.Hash)
	IsErr(t, "ConsoleSession after sign-out", err, tenants.ErrNotFound)
}
