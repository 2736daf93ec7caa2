package secrets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/wxlogin/wxlogin/internal/memo"
)

// CacheConfig tunes Cached.
type CacheConfig struct {
	// TTL is how long a value read from the store is served before the
	// store is read again, so a change made through another replica shows
	// up within TTL. Zero or less: no cache.
	TTL time.Duration
	// MaxStale is how long past its TTL a value may still be served while
	// the store is unavailable (its reads fail with ErrUnavailable). Zero:
	// never.
	MaxStale time.Duration
	// Logger gets a warning whenever a stale value is served after the
	// store failed; default discards.
	Logger *slog.Logger
	// Now is the cache's clock; default time.Now.
	Now func() time.Time
}

// Cached wraps store with a read-through cache for Get and GetVersion. A
// value is served for at most TTL after it was read from store; past that
// the store is read again. If that read fails with ErrUnavailable, the last
// value read is served instead, until MaxStale past its TTL, and the store
// is tried again at most once per TTL; past MaxStale the read fails with
// ErrUnavailable. Any other failure (ErrNotFound, a refusal) drops the
// last value. Ping succeeds while some value may still be served that way.
// A Put or Delete through the returned Store forgets the path
// at once. Concurrent misses on one path make a single call to store.
// Callers get their own copy of Data. A TTL <= 0 returns store unchanged.
func Cached(store Store, cfg CacheConfig) Store {
	if cfg.TTL <= 0 {
		return store
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &cached{store: store, cfg: cfg, memo: memo.New[cacheKey, read](cfg.TTL, cfg.Now), last: map[cacheKey]read{}}
}

// cacheKey names a cached read; version 0 is "latest".
type cacheKey struct {
	path    string
	version int
}

// read is a value read from the store at a time.
type read struct {
	secret Secret
	at     time.Time
	// stale: served from cached.last because the store was unavailable.
	stale bool
}

type cached struct {
	store Store
	cfg   CacheConfig
	memo  *memo.Cache[cacheKey, read]

	mu sync.Mutex
	// last is the newest read of each key, served while the store is
	// unavailable; kept only when cfg.MaxStale > 0.
	last map[cacheKey]read
}

func (c *cached) Put(ctx context.Context, path string, data map[string]string) (int, error) {
	defer c.forget(path)
	return c.store.Put(ctx, path, data)
}

func (c *cached) Get(ctx context.Context, path string) (Secret, error) {
	return c.get(ctx, cacheKey{path: path}, func(ctx context.Context) (Secret, error) {
		return c.store.Get(ctx, path)
	})
}

func (c *cached) GetVersion(ctx context.Context, path string, version int) (Secret, error) {
	if version < 1 { // not a version; and 0 would collide with the latest key
		return c.store.GetVersion(ctx, path, version)
	}
	return c.get(ctx, cacheKey{path: path, version: version}, func(ctx context.Context) (Secret, error) {
		return c.store.GetVersion(ctx, path, version)
	})
}

func (c *cached) Delete(ctx context.Context, path string) error {
	defer c.forget(path)
	return c.store.Delete(ctx, path)
}

// Ping implements Store: the store answers, or it is unavailable but a
// value read before may still be served. So a replica keeps reporting
// ready through a short outage of the store, for as long as it can serve
// the accounts it has seen.
func (c *cached) Ping(ctx context.Context) error {
	err := c.store.Ping(ctx)
	if !errors.Is(err, ErrUnavailable) {
		return err
	}
	newest := c.newest()
	now := c.cfg.Now()
	if newest.IsZero() || now.After(c.staleUntil(read{at: newest})) {
		return err
	}
	c.cfg.Logger.Warn("secret store unavailable; serving the values read before",
		slog.Duration("newest_age", now.Sub(newest).Round(time.Second)), slog.String("error", err.Error()))
	return nil
}

func (c *cached) get(ctx context.Context, key cacheKey, load func(context.Context) (Secret, error)) (Secret, error) {
	r, err := c.memo.Get(ctx, key, c.loader(key, load))
	if err == nil && r.stale && c.cfg.Now().After(c.staleUntil(r)) {
		// A stale value cached past its bound: ask the store again.
		c.memo.Forget(key)
		r, err = c.memo.Get(ctx, key, c.loader(key, load))
	}
	if err != nil {
		return Secret{}, err
	}
	s := r.secret
	s.Data = maps.Clone(s.Data) // callers may change theirs; the cached one stays
	return s, nil
}

// loader reads key from the store, falling back on its last value while
// the store is unavailable.
func (c *cached) loader(key cacheKey, load func(context.Context) (Secret, error)) func(context.Context) (read, error) {
	return func(ctx context.Context) (read, error) {
		s, err := load(ctx)
		now := c.cfg.Now()
		switch {
		case err == nil:
			r := read{secret: s, at: now}
			c.remember(key, r)
			return r, nil
		case errors.Is(err, ErrUnavailable):
			return c.stale(key, now, err)
		case !errors.Is(err, context.Canceled):
			c.drop(key) // the store answered: the last value is no longer to be served
		}
		return read{}, err
	}
}

// stale returns key's last value after the store failed with err, if it is
// within its bound.
func (c *cached) stale(key cacheKey, now time.Time, err error) (read, error) {
	c.mu.Lock()
	r, ok := c.last[key]
	c.mu.Unlock()
	if !ok {
		return read{}, err
	}
	age := now.Sub(r.at)
	if now.After(c.staleUntil(r)) {
		return read{}, fmt.Errorf("%w; its last value, read %s ago, is past the cache's TTL (%s) plus max stale (%s)",
			err, age.Round(time.Second), c.cfg.TTL, c.cfg.MaxStale)
	}
	c.cfg.Logger.Warn("secret store unavailable; serving the last value read",
		slog.String("path", key.path), slog.Int("version", key.version),
		slog.Duration("age", age.Round(time.Second)), slog.String("error", err.Error()))
	r.stale = true
	return r, nil
}

// staleUntil is the last time r may be served.
func (c *cached) staleUntil(r read) time.Time { return r.at.Add(c.cfg.TTL + c.cfg.MaxStale) }

func (c *cached) remember(key cacheKey, r read) {
	if c.cfg.MaxStale <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last[key] = r
}

// newest is the time of the newest read that may be served stale; zero
// when there is none.
func (c *cached) newest() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	var newest time.Time
	for _, r := range c.last {
		if r.at.After(newest) {
			newest = r.at
		}
	}
	return newest
}

func (c *cached) drop(key cacheKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.last, key)
}

// forget drops every cached read of path: a Put changes its latest version
// and a Delete all of them.
func (c *cached) forget(path string) {
	c.memo.ForgetFunc(func(k cacheKey) bool { return k.path == path })
	c.mu.Lock()
	defer c.mu.Unlock()
	maps.DeleteFunc(c.last, func(k cacheKey, _ read) bool { return k.path == path })
}
