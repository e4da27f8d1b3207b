// Package testclock holds the clocks the contract suites run their stores
// and limiters on: one that moves only when told, and the real one.
package testclock

import (
	"sync"
	"time"
)

// Fake is a clock that moves only when told to, for code that takes a now
// func. Its zero value is not usable: start it with NewFake.
type Fake struct {
	mu  sync.Mutex // guards now
	now time.Time
}

// NewFake returns a Fake that reads start until advanced.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start}
}

// Now returns the clock's time; pass it as the now func of the code under
// test.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Real is the clock of code that keeps time elsewhere (Redis): it sleeps.
type Real struct{}

// Now returns time.Now.
func (Real) Now() time.Time { return time.Now() }

// Advance sleeps for d.
func (Real) Advance(d time.Duration) { time.Sleep(d) }
