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
	// with why: the primary's error, context.DeadlineExceeded when it did
	// not answer within Timeout, or ErrCoolingDown. It is called on the
	// request's goroutine and must be quick (a counter, a log line).
	OnFallback func(err error)
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Fallback is a Limiter that asks a primary one shared by the replicas
// (Redis) and, when that fails or does not answer within the timeout,
// decides with a backup of its own process (Memory) instead. While the
// backup decides, each replica limits on its own, so a client may get up to
// one burst per replica; the API neither stops nor goes unlimited.
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

type decided struct {
	d   Decision
	err error
}

// Allow asks the primary within the timeout, else the backup. The primary
// runs on a goroutine of its own, so that the answer comes within the
// timeout even from a client that does not honour the context's deadline
// (go-redis without ContextTimeoutEnabled waits its ReadTimeout); such a
// call is then left to end on its own. When the caller's own context ends
// first, Allow returns its error: that says nothing about the primary.
func (f *Fallback) Allow(ctx context.Context, key string, l Limit) (Decision, error) {
	if err := l.Valid(); err != nil {
		return Decision{}, err
	}
	if f.coolingDown() {
		return f.fallBack(ctx, key, l, ErrCoolingDown)
	}
	pctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	done := make(chan decided, 1)
	go func() {
		d, err := f.primary.Allow(pctx, key, l)
		done <- decided{d, err}
	}()
	var err error
	select {
	case r := <-done:
		if r.err == nil {
			return r.d, nil
		}
		err = r.err
	case <-pctx.Done():
		err = pctx.Err()
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
