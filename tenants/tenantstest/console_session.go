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

	got, actor, err := s.ConsoleSession(ctx, live.Hash)
	IsErr(t, "ConsoleSession", err, nil)
	Equal(t, "ConsoleSession", got, live)
	Equal(t, "ConsoleSession's key", actor, tenants.ConsoleActor{Key: &keys[0]})
	_, _, err = s.ConsoleSession(ctx, opaque.Hash("nobody"))
	IsErr(t, "ConsoleSession of an unknown hash", err, tenants.ErrNotFound)
	IsErr(t, "ChooseConsoleBinding of a key's session", s.ChooseConsoleBinding(ctx, live.Hash, newBinding(t, s, tn.ID, tenants.RoleAdmin, "u-1", "").ID), tenants.ErrNotFound)

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

// testWeChatConsoleSessions: a session of a person signed in with WeChat
// acts as the binding chosen, and ends with it.
func testWeChatConsoleSessions(t *testing.T, s tenants.Store) {
	ctx := context.Background()
	a, b := NewTenant(t, s), NewTenant(t, s)
	inA := newBinding(t, s, a.ID, tenants.RoleAdmin, "u-ming", "")
	inB := newBinding(t, s, b.ID, tenants.RoleViewer, "", "o-ming")
	now := Now()
	person := func(name, bindingID string) tenants.ConsoleSession {
		return tenants.ConsoleSession{Hash: opaque.Hash(name), OpenID: "o-ming", UnionID: "u-ming", BindingID: bindingID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	}
	one, choosing := person("one", inA.ID), person("choosing", "")
	for _, sess := range []tenants.ConsoleSession{one, choosing} {
		IsErr(t, "CreateConsoleSession", s.CreateConsoleSession(ctx, sess), nil)
	}
	IsErr(t, "CreateConsoleSession of an unknown binding", s.CreateConsoleSession(ctx, person("gone", "nobinding")), tenants.ErrNotFound)

	got, actor, err := s.ConsoleSession(ctx, one.Hash)
	IsErr(t, "ConsoleSession", err, nil)
	Equal(t, "ConsoleSession", got, one)
	Equal(t, "ConsoleSession's binding", actor, tenants.ConsoleActor{Binding: &inA})
	got, actor, err = s.ConsoleSession(ctx, choosing.Hash)
	IsErr(t, "ConsoleSession", err, nil)
	Equal(t, "ConsoleSession not chosen yet", got, choosing)
	Equal(t, "ConsoleSession not chosen yet acts as", actor, tenants.ConsoleActor{})

	IsErr(t, "ChooseConsoleBinding", s.ChooseConsoleBinding(ctx, choosing.Hash, inB.ID), nil)
	IsErr(t, "ChooseConsoleBinding of an unknown binding", s.ChooseConsoleBinding(ctx, choosing.Hash, "nobinding"), tenants.ErrNotFound)
	IsErr(t, "ChooseConsoleBinding of an unknown session", s.ChooseConsoleBinding(ctx, opaque.Hash("nobody"), inB.ID), tenants.ErrNotFound)
	chosen := choosing
	chosen.BindingID = inB.ID
	got, actor, err = s.ConsoleSession(ctx, choosing.Hash)
	IsErr(t, "ConsoleSession", err, nil)
	Equal(t, "ConsoleSession after the choice", got, chosen)
	Equal(t, "ConsoleSession after the choice acts as", actor, tenants.ConsoleActor{Binding: &inB})

	// Deleting a binding ends the sessions acting as it, and those alone.
	IsErr(t, "DeleteConsoleBinding", s.DeleteConsoleBinding(ctx, a.ID, inA.ID), nil)
	_, _, err = s.ConsoleSession(ctx, one.Hash)
	IsErr(t, "ConsoleSession of a deleted binding", err, tenants.ErrNotFound)
	_, _, err = s.ConsoleSession(ctx, choosing.Hash)
	IsErr(t, "ConsoleSession of another binding", err, nil)
	IsErr(t, "DeleteConsoleBinding", s.DeleteConsoleBinding(ctx, b.ID, inB.ID), nil)
	_, _, err = s.ConsoleSession(ctx, choosing.Hash)
	IsErr(t, "ConsoleSession of the chosen binding, deleted", err, tenants.ErrNotFound)
}
