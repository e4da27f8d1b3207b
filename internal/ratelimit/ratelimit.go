// Package ratelimit is the one rate limiter of the whole API: per client
// address, per WeChat user, per integrator key, or any other key a caller
// names.
//
// Memory limits within one process; Redis shares the limits of every
// replica; Fallback asks Redis and, when Redis fails or does not answer in
// time, decides in memory instead, so that an outage of Redis neither stops
// the API nor lets it go unlimited.
//
// Memory is a token bucket and Redis the generic cell rate algorithm, which
// decide alike: a bucket of Burst events refilled at Rate events per
// Period. The same limit means the same in all three, and one contract
// suite (ratelimittest) holds them to it.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limiter decides whether one more event of a key may happen now.
type Limiter interface {
	// Allow counts one event of key under l when it is allowed. An error
	// means no decision was made: l is invalid, or the backing service
	// failed (the error then does not name the key, which may be a
	// client's address or a user's id).
	Allow(ctx context.Context, key string, l Limit) (Decision, error)
}

// Limit is Rate events per Period, with up to Burst of them at once. A key
// unused for Burst*Period/Rate is back to a full burst.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// ErrInvalidLimit is wrapped by the error of Allow for a Limit whose rate,
// period or burst is not positive.
var ErrInvalidLimit = errors.New("ratelimit: invalid limit")

// Valid returns an error wrapping ErrInvalidLimit unless the rate, the
// period and the burst are all positive.
func (l Limit) Valid() error {
	if l.Rate <= 0 || l.Period <= 0 || l.Burst <= 0 {
		return fmt.Errorf("%w: %d per %v with a burst of %d: want all three positive", ErrInvalidLimit, l.Rate, l.Period, l.Burst)
	}
	return nil
}

// Decision is the answer of Allow.
type Decision struct {
	Allowed bool
	// Remaining is how many more events are allowed at once after this one.
	Remaining int
	// RetryAfter is how long to wait before the next event is allowed: zero
	// when this one was.
	RetryAfter time.Duration
}
