package memo

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Cache holds loaded values by key for at most ttl after their load began.
// Errors are never cached. An expired value is not served but stays in
// memory until its key is loaded again or forgotten, so a Cache suits a
// bounded key space (tenants, secret paths). A Cache is safe for concurrent
// use.
type Cache[K comparable, V any] struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[K]*entry[V]
}

// entry is one load: in flight until done is closed, then a result.
type entry[V any] struct {
	done    chan struct{}
	val     V
	err     error
	expires time.Time
	// abandoned: the load failed because its caller's context ended, so
	// the error says nothing about the key and waiters load again.
	abandoned bool
}

// New returns a cache whose values live for ttl, timed by now.
func New[K comparable, V any](ttl time.Duration, now func() time.Time) *Cache[K, V] {
	return &Cache[K, V]{ttl: ttl, now: now, entries: make(map[K]*entry[V])}
}

// Get returns key's value, calling load when no fresh value is cached. While
// one load of key is in flight, other callers wait for it instead of
// starting their own; a value is served until ttl after its load began,
// never later. load runs with the context of the caller that started it. A
// caller gives up when its own ctx ends.
func (c *Cache[K, V]) Get(ctx context.Context, key K, load func(context.Context) (V, error)) (V, error) {
	for {
		e, leader := c.claim(key)
		if leader {
			c.run(ctx, key, e, load)
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
		if !e.abandoned || ctx.Err() != nil {
			return e.val, e.err
		}
	}
}

// Forget drops key, so the next Get loads it afresh. A load already in
// flight completes for its waiters but is not kept.
func (c *Cache[K, V]) Forget(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
}

// ForgetFunc drops every key for which match returns true.
func (c *Cache[K, V]) ForgetFunc(match func(K) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if match(k) {
			delete(c.entries, k)
		}
	}
}

// claim returns key's current entry, or installs a new in-flight one and
// reports that the caller must run its load.
func (c *Cache[K, V]) claim(key K) (*entry[V], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && c.fresh(e) {
		return e, false
	}
	e := &entry[V]{done: make(chan struct{}), expires: c.now().Add(c.ttl)}
	c.entries[key] = e
	return e, true
}

// fresh reports whether e is in flight or holds a value still within ttl.
// Callers hold c.mu.
func (c *Cache[K, V]) fresh(e *entry[V]) bool {
	select {
	case <-e.done:
		return c.now().Before(e.expires)
	default:
		return true
	}
}

// errLoadPanicked is what waiters see when the load panicked; the panic
// itself goes on up the leader's stack.
var errLoadPanicked = errors.New("memo: load panicked")

// run performs the load for e and publishes its result, even if load panics.
func (c *Cache[K, V]) run(ctx context.Context, key K, e *entry[V], load func(context.Context) (V, error)) {
	e.err = errLoadPanicked // replaced by load's result unless it panics
	defer c.publish(ctx, key, e)
	e.val, e.err = load(ctx)
}

// publish releases e's waiters. A failed load is removed so that the next
// Get tries again.
func (c *Cache[K, V]) publish(ctx context.Context, key K, e *entry[V]) {
	if e.err != nil {
		e.abandoned = ctx.Err() != nil && isContextErr(e.err)
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	close(e.done)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
