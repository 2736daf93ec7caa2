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

// ConsoleSession is a browser signed in to the admin console. It acts as
// the API key it was opened with, so that key's role, revocation and expiry
// rule it. The browser holds the session's token; only its SHA-256 hash is
// stored, and the key's value is never kept.
type ConsoleSession struct {
	Hash      string
	APIKeyID  string
	CreatedAt time.Time
	ExpiresAt time.Time
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
	token := opaque.New("wxs_", 32)
	now := s.Now().UTC()
	sess := ConsoleSession{Hash: opaque.Hash(token), APIKeyID: k.ID, CreatedAt: now, ExpiresAt: now.Add(ConsoleSessionTTL)}
	if err := s.Store.CreateConsoleSession(ctx, sess); err != nil {
		return APIKey{}, "", fmt.Errorf("start console session: %w", err)
	}
	return k, token, nil
}

// ConsoleKey returns the API key the console session with token acts as,
// and records its use. An unknown or expired session is ErrSessionUnknown;
// a key revoked or expired since sign-in is refused as Authenticate
// refuses it.
func (s *Service) ConsoleKey(ctx context.Context, token string) (APIKey, error) {
	now := s.Now().UTC()
	sess, k, err := s.Store.ConsoleSession(ctx, opaque.Hash(token))
	switch {
	case errors.Is(err, ErrNotFound):
		return APIKey{}, ErrSessionUnknown
	case err != nil:
		return APIKey{}, fmt.Errorf("console session: %w", err)
	case !now.Before(sess.ExpiresAt):
		return APIKey{}, ErrSessionUnknown
	}
	return s.usable(ctx, k, now)
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
