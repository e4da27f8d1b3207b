package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// The defaults of FallbackOptions.
const (
	DefaultTimeout  = 100 * time.Millisecond
	DefaultCoolDown = time.Second
)

// ErrCoolingDown is what FallbackOptions.OnFallback gets for a decision
// made in memory without asking the primary, because it failed less than
// CoolDown ago.
var ErrCoolingDown = errors.New("ratelimit: primary failed recently; not asked")

// FallbackOptions tune a Fallback; the zero value takes the defaults.
type FallbackOptions struct {
	// Timeout bounds each call to the primary; zero means DefaultTimeout.
	Timeout time.Duration
	// CoolDown is how long after a failure of the primary every decision
	// is made in memory without asking it, so that an outage costs one
	// timeout per CoolDown rather than one per request; zero means
	// DefaultCoolDown.
	CoolDown time.Duration
	// OnFallback, when set, is called for every decision made in memory,
	// with why: the primary's error (one wrapping context.DeadlineExceeded
	// when it did not answer within Timeout), or ErrCoolingDown. It is called on the
	// request's goroutine and must be quick (a counter, a log line).
	OnFallback func(err error)
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Fallback is a Limiter that asks a primary shared by the replicas (Redis)
// and, when that fails or does not answer within the timeout, decides with
// a backup of its own process (Memory) instead. While the backup decides,
// each replica limits on its own, so a client may get up to one burst per
// replica; the API neither stops nor goes unlimited.
type Fallback struct {
	primary, backup Limiter
	timeout         time.Duration
	coolDown        time.Duration
	onFallback      func(error)
	now             func() time.Time

	mu        sync.Mutex // guards downUntil
	downUntil time.Time
}

var _ Limiter = (*Fallback)(nil)

// NewFallback returns a Fallback from primary to backup.
func NewFallback(primary, backup Limiter, o FallbackOptions) *Fallback {
	f := &Fallback{
		primary: primary, backup: backup,
		timeout: o.Timeout, coolDown: o.CoolDown, onFallback: o.OnFallback, now: o.Now,
	}
	if f.timeout <= 0 {
		f.timeout = DefaultTimeout
	}
	if f.coolDown <= 0 {
		f.coolDown = DefaultCoolDown
	}
	if f.now == nil {
		f.now = time.Now
	}
	return f
}

// Allow asks the primary within the timeout, else the backup. The primary
// is called on the caller's goroutine, so it must itself return by its
// context's deadline, as Redis does (NewRedis refuses a client that would
// not). A goroutine per call, which could leave a late primary behind,
// added 30 to 70 µs a call on two cores, as much as Redis itself takes, in
// waking a parked thread. When the caller's own context ends first, Allow
// returns its error: that says nothing of the primary.
func (f *Fallback) Allow(ctx context.Context, key string, l Limit) (Decision, error) {
	if err := l.Valid(); err != nil {
		return Decision{}, err
	}
	if f.coolingDown() {
		return f.fallBack(ctx, key, l, ErrCoolingDown)
	}
	pctx, cancel := context.WithTimeout(ctx, f.timeout)
	d, err := f.primary.Allow(pctx, key, l)
	cancel()
	if err == nil {
		return d, nil
	}
	if ctx.Err() != nil {
		return Decision{}, fmt.Errorf("ratelimit: %w", ctx.Err())
	}
	f.mu.Lock()
	f.downUntil = f.now().Add(f.coolDown)
	f.mu.Unlock()
	return f.fallBack(ctx, key, l, err)
}

func (f *Fallback) coolingDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now().Before(f.downUntil)
}

func (f *Fallback) fallBack(ctx context.Context, key string, l Limit, why error) (Decision, error) {
	if f.onFallback != nil {
		f.onFallback(why)
	}
	return f.backup.Allow(ctx, key, l)
}
