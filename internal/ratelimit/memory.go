package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// sweepEvery is how often Memory looks for buckets to drop.
const sweepEvery = time.Minute

// Memory is a Limiter of one process, a token bucket per key from
// golang.org/x/time/rate.
//
// A bucket that has refilled is no different from a new one, so such
// buckets are dropped, all of them at most once per sweepEvery from Allow:
// memory holds only the keys that used some of their burst within their
// refill time and the last sweepEvery, and nothing needs a goroutine to stop.
type Memory struct {
	now func() time.Time

	mu        sync.Mutex // guards buckets and nextSweep
	buckets   map[string]*rate.Limiter
	nextSweep time.Time
}

var _ Limiter = (*Memory)(nil)

// NewMemory returns a Memory that reads the time from now (time.Now outside
// tests).
func NewMemory(now func() time.Time) *Memory {
	return &Memory{now: now, buckets: make(map[string]*rate.Limiter)}
}

// Allow takes one token from the bucket of key, refilled at l's rate.
// Buckets are used under the one lock that the sweep takes too, so that a
// bucket is never dropped between being looked up and being used.
func (m *Memory) Allow(_ context.Context, key string, l Limit) (Decision, error) {
	if err := l.Valid(); err != nil {
		return Decision{}, err
	}
	r := rate.Limit(float64(l.Rate) / l.Period.Seconds())
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.sweep(now)
	b, ok := m.buckets[key]
	switch {
	case !ok:
		b = rate.NewLimiter(r, l.Burst)
		m.buckets[key] = b
	case b.Limit() != r || b.Burst() != l.Burst:
		b.SetLimitAt(now, r)
		b.SetBurstAt(now, l.Burst)
	}
	if b.AllowN(now, 1) {
		return Decision{Allowed: true, Remaining: int(b.TokensAt(now))}, nil
	}
	// Rounded up, so that an event waiting exactly that long finds its
	// token whole.
	wait := (1 - b.TokensAt(now)) / float64(r) * float64(time.Second)
	return Decision{RetryAfter: time.Duration(math.Ceil(wait))}, nil
}

// sweep drops the buckets that have refilled, at most once per sweepEvery
// so that its cost, linear in the number of keys, is spread over many calls.
func (m *Memory) sweep(now time.Time) {
	if now.Before(m.nextSweep) {
		return
	}
	for k, b := range m.buckets {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(m.buckets, k)
		}
	}
	m.nextSweep = now.Add(sweepEvery)
}
