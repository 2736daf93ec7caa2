package secrets_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/clock"
	"github.com/wxlogin/wxlogin/internal/secrets"
)

// countingStore counts the reads that reach a real Local store, and can hold
// them at a gate.
type countingStore struct {
	secrets.Store
	reads atomic.Int64
	gate  chan struct{} // when set, reads wait for it to close
}

func (c *countingStore) Get(ctx context.Context, path string) (secrets.Secret, error) {
	c.reads.Add(1)
	if c.gate != nil {
		<-c.gate
	}
	return c.Store.Get(ctx, path)
}

func (c *countingStore) GetVersion(ctx context.Context, path string, version int) (secrets.Secret, error) {
	c.reads.Add(1)
	return c.Store.GetVersion(ctx, path, version)
}

func newCounting(t *testing.T) *countingStore {
	t.Helper()
	return &countingStore{Store: openLocal(t, t.TempDir())}
}

func mustPut(t *testing.T, s secrets.Store, path, v string) {
	t.Helper()
	if _, err := s.Put(context.Background(), path, map[string]string{"v": v}); err != nil {
		t.Fatal(err)
	}
}

func mustGet(t *testing.T, s secrets.Store, path string) string {
	t.Helper()
	got, err := s.Get(context.Background(), path)
	if err != nil {
		t.Fatalf("Get(%s): %v", path, err)
	}
	return got.Data["v"]
}

func TestCachedHonorsTTL(t *testing.T) {
	backend := newCounting(t)
	clk := clock.New(time.Unix(1_700_000_000, 0))
	c := secrets.Cached(backend, secrets.CacheConfig{TTL: time.Minute, Now: clk.Now})
	mustPut(t, c, "p", "one")
	mustGet(t, c, "p")
	mustPut(t, backend, "p", "two") // as another replica would, bypassing this cache

	clk.Advance(time.Minute - time.Nanosecond)
	if got := mustGet(t, c, "p"); got != "one" || backend.reads.Load() != 1 {
		t.Errorf("within ttl: Get = %q after %d reads, want the cached %q after 1", got, backend.reads.Load(), "one")
	}
	clk.Advance(time.Nanosecond)
	if got := mustGet(t, c, "p"); got != "two" || backend.reads.Load() != 2 {
		t.Errorf("at ttl: Get = %q after %d reads, want %q read afresh", got, backend.reads.Load(), "two")
	}
}

func TestCachedCachesVersions(t *testing.T) {
	backend := newCounting(t)
	c := secrets.Cached(backend, secrets.CacheConfig{TTL: time.Minute})
	mustPut(t, c, "p", "one")
	for range 3 {
		if _, err := c.GetVersion(context.Background(), "p", 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := backend.reads.Load(); n != 1 {
		t.Errorf("3 GetVersion calls made %d backend reads, want 1", n)
	}
}

func TestCachedInvalidatesOnWrite(t *testing.T) {
	backend := newCounting(t)
	c := secrets.Cached(backend, secrets.CacheConfig{TTL: time.Hour})
	mustPut(t, c, "p", "one")
	mustGet(t, c, "p")
	mustPut(t, c, "p", "two")
	if got := mustGet(t, c, "p"); got != "two" {
		t.Errorf("Get after Put = %q, want %q", got, "two")
	}
	if err := c.Delete(context.Background(), "p"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(context.Background(), "p"); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("Get after Delete = %v, want secrets.ErrNotFound", err)
	}
	if _, err := c.GetVersion(context.Background(), "p", 1); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("GetVersion after Delete = %v, want secrets.ErrNotFound", err)
	}
}

func TestCachedDoesNotCacheErrors(t *testing.T) {
	backend := newCounting(t)
	c := secrets.Cached(backend, secrets.CacheConfig{TTL: time.Hour})
	for range 2 {
		if _, err := c.Get(context.Background(), "missing"); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("Get = %v, want secrets.ErrNotFound", err)
		}
	}
	if n := backend.reads.Load(); n != 2 {
		t.Errorf("2 failing Gets made %d backend reads, want 2", n)
	}
}

func TestCachedCoalescesBurst(t *testing.T) {
	backend := newCounting(t)
	mustPut(t, backend, "p", "one")
	backend.gate = make(chan struct{})
	c := secrets.Cached(backend, secrets.CacheConfig{TTL: time.Minute})
	const n = 50
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if got := mustGet(t, c, "p"); got != "one" {
				t.Errorf("Get = %q", got)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the burst pile up behind the first read
	close(backend.gate)
	wg.Wait()
	if got := backend.reads.Load(); got != 1 {
		t.Errorf("%d concurrent Gets made %d backend reads, want 1", n, got)
	}
}

func TestCachedZeroTTLIsNoCache(t *testing.T) {
	backend := newCounting(t)
	if got := secrets.Cached(backend, secrets.CacheConfig{MaxStale: time.Minute}); got != secrets.Store(backend) {
		t.Errorf("Cached(store, zero TTL) = %T, want the store itself", got)
	}
}
