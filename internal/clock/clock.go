// Package clock is a settable clock for tests of code that takes a
// `Now func() time.Time`: lifetimes, expiries and caches are tested by moving
// time, never by sleeping.
package clock

import (
	"sync"
	"time"
)

// Settable is a clock that moves only when told to. It is safe for
// concurrent use.
type Settable struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock showing t.
func New(t time.Time) *Settable { return &Settable{t: t} }

// Now returns the clock's time.
func (c *Settable) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d (backwards when d is negative).
func (c *Settable) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
