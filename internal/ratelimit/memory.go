package ratelimit

import (
	"context"
	"sync"
	"time"
)

// sweepEvery is how often Memory drops the buckets that are full again.
const sweepEvery = time.Minute

// Memory keeps buckets in this process: a limit holds per replica. Its
// memory is bounded by the buckets spent from within the time they take to
// fill up again (Burst/Rate); full ones are dropped, as a fresh bucket is
// the same. It is safe for concurrent use.
type Memory struct {
	now func() time.Time

	mu    sync.Mutex
	tats  map[string]time.Time
	swept time.Time
}

// NewMemory returns an empty Memory on the clock now.
func NewMemory(now func() time.Time) *Memory {
	return &Memory{now: now, tats: map[string]time.Time{}, swept: now()}
}

// Take implements Store; it never fails.
func (m *Memory) Take(_ context.Context, bucket string, l Limit) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if now.Sub(m.swept) >= sweepEvery {
		m.sweep(now)
	}
	tat, wait := l.take(m.tats[bucket], now)
	if wait == 0 {
		m.tats[bucket] = tat
	}
	return wait, nil
}

// sweep drops the full buckets.
func (m *Memory) sweep(now time.Time) {
	for b, tat := range m.tats {
		if !tat.After(now) {
			delete(m.tats, b)
		}
	}
	m.swept = now
}
