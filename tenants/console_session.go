package tenants

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// ConsoleSessionTTL is how long a session of the admin console lasts from
// sign-in; signing out ends it sooner.
const ConsoleSessionTTL = 8 * time.Hour

// ConsoleSession is a browser signed in to the admin console, with an API
// key or with WeChat. A session of a key acts as the key, so the key's
// role, revocation and expiry rule it. A WeChat session knows the person
// (the openid and unionid the platform's hosted login gave) and acts as the
// console binding they chose, whose deletion ends it; a person with several
// bindings has chosen none right after signing in. The browser holds the
// session's token; only its SHA-256 hash is stored, and no key's value is
// ever kept.
type ConsoleSession struct {
	Hash string
	// APIKeyID is set for a session opened with an API key.
	APIKeyID string
	// OpenID (always) and UnionID (when WeChat gave one) are set for a
	// session opened with WeChat.
	OpenID  string
	UnionID string
	// BindingID is the binding a WeChat session acts as; empty until the
	// person chose one.
	BindingID string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// WeChat reports whether the session was opened with WeChat.
func (s ConsoleSession) WeChat() bool { return s.OpenID != "" }

// ConsoleActor is what a console session acts as: its API key, or its
// binding. Both are nil for a WeChat session that has not chosen a binding.
type ConsoleActor struct {
	Key     *APIKey
	Binding *ConsoleBinding
}

// Principal is the actor as a caller of the API; ok is false when the
// session acts as nothing yet.
func (a ConsoleActor) Principal() (p Principal, ok bool) {
	switch {
	case a.Key != nil:
		return a.Key.Principal(), true
	case a.Binding != nil:
		return a.Binding.Principal(), true
	}
	return Principal{}, false
}

// StartConsoleSession authenticates presentedKey like Authenticate and
// opens a console session acting as that key. It returns the key and the
// session's token, which only the browser keeps.
func (s *Service) StartConsoleSession(ctx context.Context, presentedKey string) (APIKey, string, error) {
	k, err := s.Authenticate(ctx, presentedKey)
	if err != nil {
		return APIKey{}, "", err
	}
	if k.Role == RoleOperator {
		return APIKey{}, "", ErrConsoleOperator
	}
	token, err := s.openConsoleSession(ctx, ConsoleSession{APIKeyID: k.ID})
	return k, token, err
}

// StartWeChatConsoleSession opens a console session for the person a
// WeChat sign-in named (openID always, unionID when WeChat gave one),
// acting as their binding when they have exactly one; with several they
// choose later (ChooseConsoleBinding). It returns the session's token and
// the person's choices; a person bound to no enabled tenant gets
// ErrConsoleUnbound and no session.
func (s *Service) StartWeChatConsoleSession(ctx context.Context, openID, unionID string) (string, []ConsoleChoice, error) {
	if openID == "" {
		return "", nil, Invalid("openid", "a WeChat sign-in names the person by openid")
	}
	choices, err := s.ConsoleChoices(ctx, unionID, openID)
	switch {
	case err != nil:
		return "", nil, err
	case len(choices) == 0:
		return "", nil, ErrConsoleUnbound
	}
	sess := ConsoleSession{OpenID: openID, UnionID: unionID}
	if len(choices) == 1 {
		sess.BindingID = choices[0].Binding.ID
	}
	token, err := s.openConsoleSession(ctx, sess)
	return token, choices, err
}

// openConsoleSession stores sess under a new token, lasting
// ConsoleSessionTTL from now, and returns the token.
func (s *Service) openConsoleSession(ctx context.Context, sess ConsoleSession) (string, error) {
	token := opaque.New("wxs_", 32)
	now := s.Now().UTC()
	sess.Hash, sess.CreatedAt, sess.ExpiresAt = opaque.Hash(token), now, now.Add(ConsoleSessionTTL)
	if err := s.Store.CreateConsoleSession(ctx, sess); err != nil {
		return "", fmt.Errorf("start console session: %w", err)
	}
	return token, nil
}

// ConsoleSession returns the live console session with token and what it
// acts as, recording the use of its API key. An unknown or expired session
// is ErrSessionUnknown; a key revoked or expired since sign-in is refused
// as Authenticate refuses it.
func (s *Service) ConsoleSession(ctx context.Context, token string) (ConsoleSession, ConsoleActor, error) {
	now := s.Now().UTC()
	sess, actor, err := s.Store.ConsoleSession(ctx, opaque.Hash(token))
	switch {
	case errors.Is(err, ErrNotFound):
		return ConsoleSession{}, ConsoleActor{}, ErrSessionUnknown
	case err != nil:
		return ConsoleSession{}, ConsoleActor{}, fmt.Errorf("console session: %w", err)
	case !now.Before(sess.ExpiresAt):
		return ConsoleSession{}, ConsoleActor{}, ErrSessionUnknown
	}
	if actor.Key != nil {
		k, err := s.usable(ctx, *actor.Key, now)
		if err != nil {
			return ConsoleSession{}, ConsoleActor{}, err
		}
		actor.Key = &k
	}
	return sess, actor, nil
}

// ConsolePrincipal returns who the console session with token acts as, as
// ConsoleSession checks it; a WeChat session that has chosen no binding is
// ErrConsoleUnchosen.
func (s *Service) ConsolePrincipal(ctx context.Context, token string) (Principal, error) {
	_, actor, err := s.ConsoleSession(ctx, token)
	if err != nil {
		return Principal{}, err
	}
	if p, ok := actor.Principal(); ok {
		return p, nil
	}
	return Principal{}, ErrConsoleUnchosen
}

// ChooseConsoleBinding makes the WeChat session with token act as the
// binding with that ID, which must be one of the person's choices (else
// ErrNotFound).
func (s *Service) ChooseConsoleBinding(ctx context.Context, token, bindingID string) (ConsoleChoice, error) {
	sess, _, err := s.ConsoleSession(ctx, token)
	if err != nil {
		return ConsoleChoice{}, err
	}
	if !sess.WeChat() {
		return ConsoleChoice{}, fmt.Errorf("choose console binding: %w: the session was opened with an API key", ErrNotFound)
	}
	choices, err := s.ConsoleChoices(ctx, sess.UnionID, sess.OpenID)
	if err != nil {
		return ConsoleChoice{}, err
	}
	for _, c := range choices {
		if c.Binding.ID == bindingID {
			if err := s.Store.ChooseConsoleBinding(ctx, sess.Hash, bindingID); err != nil {
				return ConsoleChoice{}, fmt.Errorf("choose console binding: %w", err)
			}
			return c, nil
		}
	}
	return ConsoleChoice{}, fmt.Errorf("choose console binding: %w: not one of the person's bindings", ErrNotFound)
}

// EndConsoleSession deletes the session with token; an unknown one is no
// error.
func (s *Service) EndConsoleSession(ctx context.Context, token string) error {
	if err := s.Store.DeleteConsoleSession(ctx, opaque.Hash(token)); err != nil {
		return fmt.Errorf("end console session: %w", err)
	}
	return nil
}

// SweepConsoleSessions deletes the expired console sessions.
func (s *Service) SweepConsoleSessions(ctx context.Context) (int64, error) {
	return s.Store.DeleteConsoleSessions(ctx, s.Now().UTC())
}
