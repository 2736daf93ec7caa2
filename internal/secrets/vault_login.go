package secrets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/vault/api"
	"golang.org/x/time/rate"
)

// Bounds of the retries of a failed login.
const (
	loginRetryFirst = time.Second
	loginRetryMax   = 30 * time.Second
)

// session keeps a Vault client logged in: it logs in, renews the token with
// the api's LifetimeWatcher, and logs in again when renewal ends (the token
// is not renewable, reached its max TTL, or could not be renewed), retrying
// failed logins with backoff. A request that Vault answers 403 logs in again
// once, for a token revoked or expired before its time.
type session struct {
	client *api.Client
	method api.AuthMethod
	name   string // the auth method, for logs and errors
	logger *slog.Logger

	cur atomic.Pointer[login] // nil until the first login
	// sem serializes logins; a channel rather than a mutex so that a
	// caller waiting for it can give up when its context ends.
	sem chan struct{}
	// denied bounds the logins that 403 answers cause, so that a policy
	// that denies a path does not turn every request into a login.
	denied *rate.Limiter

	stop    context.CancelFunc
	stopped chan struct{}
}

// login is one successful login.
type login struct {
	secret *api.Secret
	// replaced is closed when a newer login replaces this one.
	replaced chan struct{}
}

// newSession starts keeping client logged in with method until close.
func newSession(client *api.Client, method api.AuthMethod, name string, logger *slog.Logger) *session {
	ctx, stop := context.WithCancel(context.Background())
	s := &session{
		client: client, method: method, name: name, logger: logger,
		sem: make(chan struct{}, 1), denied: rate.NewLimiter(rate.Every(time.Second), 1),
		stop: stop, stopped: make(chan struct{}),
	}
	go s.run(ctx)
	return s
}

// close stops renewing and logging in, and waits until that has stopped.
func (s *session) close() {
	s.stop()
	<-s.stopped
}

// call runs op with the client logged in and returns its error as one of
// the package's kinds, prefixed with what. When Vault answers 403 it logs
// in again and runs op once more.
func (s *session) call(ctx context.Context, what string, op func() error) error {
	seen := s.cur.Load()
	if seen == nil {
		var err error
		if seen, err = s.login(ctx, nil); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	err := op()
	if !isPermissionDenied(err) || (s.cur.Load() == seen && !s.denied.Allow()) {
		return vaultErrorOrNil(what, err)
	}
	s.logger.Warn("vault denied a request; logging in again", slog.String("auth", s.name), slog.String("request", what))
	if _, lerr := s.login(ctx, seen); lerr != nil {
		return vaultErrorOrNil(what, err)
	}
	return vaultErrorOrNil(what, op())
}

func vaultErrorOrNil(what string, err error) error {
	if err == nil {
		return nil
	}
	return vaultError(what, err)
}

func isPermissionDenied(err error) bool {
	var re *api.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusForbidden
}

// login logs in unless a login newer than seen already happened, and
// returns the current login.
func (s *session) login(ctx context.Context, seen *login) (*login, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, loginError(s.name, ctx.Err())
	}
	defer func() { <-s.sem }()
	if cur := s.cur.Load(); cur != seen {
		return cur, nil
	}
	// Log in on a clone without the current token, which may be the
	// reason of the login.
	c, err := s.client.Clone()
	if err != nil {
		return nil, loginError(s.name, err)
	}
	c.ClearToken()
	secret, err := c.Auth().Login(ctx, s.method)
	if err != nil {
		return nil, loginError(s.name, err)
	}
	s.client.SetToken(secret.Auth.ClientToken)
	next := &login{secret: secret, replaced: make(chan struct{})}
	if old := s.cur.Swap(next); old != nil {
		close(old.replaced)
	}
	s.logger.Info("logged in to vault", slog.String("auth", s.name),
		slog.Duration("ttl", leaseDuration(secret)), slog.Bool("renewable", secret.Auth.Renewable))
	return next, nil
}

// loginError reports a failed login: Vault's answers and unreachable
// servers become the package's kinds; anything else (a credential file
// that cannot be read, an answer without a token) is kept as it is, since
// it names no credential.
func loginError(method string, err error) error {
	what := "vault login (" + method + ")"
	var re *api.ResponseError
	var ne net.Error
	if errors.As(err, &re) || errors.As(err, &ne) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return vaultError(what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func leaseDuration(s *api.Secret) time.Duration {
	return time.Duration(s.Auth.LeaseDuration) * time.Second
}

// run keeps the session logged in until ctx ends.
func (s *session) run(ctx context.Context) {
	defer close(s.stopped)
	var seen *login
	for ctx.Err() == nil {
		cur, err := s.loginRetrying(ctx, seen)
		if err != nil {
			return // ctx ended
		}
		s.watch(ctx, cur)
		seen = cur
	}
}

// loginRetrying is login retried with exponential backoff until it
// succeeds or ctx ends.
func (s *session) loginRetrying(ctx context.Context, seen *login) (*login, error) {
	b := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(loginRetryFirst), backoff.WithMaxInterval(loginRetryMax), backoff.WithMaxElapsedTime(0))
	var cur *login
	err := backoff.RetryNotify(func() error {
		var err error
		cur, err = s.login(ctx, seen)
		return err
	}, backoff.WithContext(b, ctx), func(err error, next time.Duration) {
		s.logger.Warn("vault login failed; retrying", slog.String("auth", s.name),
			slog.Duration("retry_in", next), slog.String("error", err.Error()))
	})
	return cur, err
}

// watch renews l's token until renewal ends, a newer login replaces l, or
// ctx ends. A token without a TTL never expires and needs no renewal.
func (s *session) watch(ctx context.Context, l *login) {
	if l.secret.Auth.LeaseDuration == 0 {
		select {
		case <-ctx.Done():
		case <-l.replaced:
		}
		return
	}
	// NewLifetimeWatcher fails only without a secret, and a login has one.
	w, _ := s.client.NewLifetimeWatcher(&api.LifetimeWatcherInput{Secret: l.secret})
	go w.Start()
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.replaced:
			return
		case r := <-w.RenewCh():
			s.logger.Info("renewed vault token", slog.String("auth", s.name), slog.Duration("ttl", leaseDuration(r.Secret)))
		case err := <-w.DoneCh():
			attrs := []any{slog.String("auth", s.name)}
			if err != nil {
				attrs = append(attrs, slog.String("error", vaultError("renew", err).Error()))
			}
			s.logger.Info("vault token renewal ended; logging in again", attrs...)
			return
		}
	}
}
