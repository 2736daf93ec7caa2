package secrets

import (
	"context"
	"maps"
	"time"

	"github.com/wxlogin/wxlogin/internal/memo"
)

// Cached wraps store with a read-through cache for Get and GetVersion. A
// value is served for at most ttl after it was read from store, so a change
// made through another replica shows up within ttl; a Put or Delete through
// the returned Store forgets the path at once. Concurrent misses on one path
// make a single call to store. Errors are not cached. Callers get their own
// copy of Data. A ttl <= 0 returns store unchanged.
func Cached(store Store, ttl time.Duration) Store {
	if ttl <= 0 {
		return store
	}
	return newCached(store, ttl, time.Now)
}

// cacheKey names a cached read; version 0 is "latest".
type cacheKey struct {
	path    string
	version int
}

type cached struct {
	store Store
	memo  *memo.Cache[cacheKey, Secret]
}

func newCached(store Store, ttl time.Duration, now func() time.Time) *cached {
	return &cached{store: store, memo: memo.New[cacheKey, Secret](ttl, now)}
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

func (c *cached) Ping(ctx context.Context) error { return c.store.Ping(ctx) }

func (c *cached) get(ctx context.Context, key cacheKey, load func(context.Context) (Secret, error)) (Secret, error) {
	s, err := c.memo.Get(ctx, key, load)
	if err != nil {
		return Secret{}, err
	}
	s.Data = maps.Clone(s.Data) // callers may change theirs; the cached one stays
	return s, nil
}

// forget drops every cached read of path: a Put changes its latest version
// and a Delete all of them.
func (c *cached) forget(path string) {
	c.memo.ForgetFunc(func(k cacheKey) bool { return k.path == path })
}
