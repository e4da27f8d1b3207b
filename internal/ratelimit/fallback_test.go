package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"policybot/internal/ratelimit"
	"policybot/internal/ratelimit/ratelimittest"
)

// TestFallbackContract runs the contract on a Fallback whose primary
// always works: it must then be the primary exactly.
func TestFallbackContract(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) (ratelimit.Limiter, ratelimittest.Clock) {
		clock := ratelimittest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		f := ratelimit.NewFallback(ratelimit.NewMemory(clock.Now), failingLimiter{}, ratelimit.FallbackOptions{
			OnFallback: func(err error) { t.Errorf("fell back: %v", err) },
		})
		return f, clock
	})
}

// TestFallbackBackupContract runs the contract on a Fallback whose primary
// always fails: it must then be the backup exactly.
func TestFallbackBackupContract(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) (ratelimit.Limiter, ratelimittest.Clock) {
		clock := ratelimittest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		return ratelimit.NewFallback(failingLimiter{}, ratelimit.NewMemory(clock.Now), ratelimit.FallbackOptions{Now: clock.Now}), clock
	})
}

var errDown = errors.New("primary down")

// failingLimiter is a primary that always fails at once.
type failingLimiter struct{}

func (failingLimiter) Allow(context.Context, string, ratelimit.Limit) (ratelimit.Decision, error) {
	return ratelimit.Decision{}, errDown
}

// scripted is a primary whose answers the test sets, counting its calls.
type scripted struct {
	mu    sync.Mutex // guards err, calls and hang
	err   error
	hang  chan struct{} // when set, Allow blocks until it is closed or its context ends
	calls int
}

func (s *scripted) Allow(ctx context.Context, _ string, _ ratelimit.Limit) (ratelimit.Decision, error) {
	s.mu.Lock()
	s.calls++
	err, hang := s.err, s.hang
	s.mu.Unlock()
	if hang != nil {
		select {
		case <-hang:
		case <-ctx.Done():
			return ratelimit.Decision{}, ctx.Err()
		}
	}
	if err != nil {
		return ratelimit.Decision{}, err
	}
	return ratelimit.Decision{Allowed: true, Remaining: 99}, nil
}

func (s *scripted) set(err error, hang chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err, s.hang = err, hang
}

func (s *scripted) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func TestFallback(t *testing.T) {
	lim := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 5}
	clock := ratelimittest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	primary := &scripted{}
	var whys []error
	const timeout = 50 * time.Millisecond
	f := ratelimit.NewFallback(primary, ratelimit.NewMemory(clock.Now), ratelimit.FallbackOptions{
		Timeout: timeout, CoolDown: time.Second, Now: clock.Now,
		OnFallback: func(err error) { whys = append(whys, err) },
	})
	fromPrimary := ratelimit.Decision{Allowed: true, Remaining: 99}
	hang := make(chan struct{})
	defer close(hang)

	// Each step sets the primary, advances the clock, calls Allow, and
	// checks the decision, whether the primary was asked, and why the
	// backup decided, if it did.
	tests := []struct {
		name      string
		err       error
		hang      chan struct{}
		advance   time.Duration
		want      ratelimit.Decision
		wantAsked bool
		wantWhy   error
	}{
		{"PrimaryAnswers", nil, nil, 0, fromPrimary, true, nil},
		{"PrimaryFails", errDown, nil, 0, ratelimit.Decision{Allowed: true, Remaining: 4}, true, errDown},
		{"CoolingDown", nil, nil, 500 * time.Millisecond, ratelimit.Decision{Allowed: true, Remaining: 3}, false, ratelimit.ErrCoolingDown},
		{"CooledDown", nil, nil, 500 * time.Millisecond, fromPrimary, true, nil},
		{"PrimaryStalls", nil, hang, 0, ratelimit.Decision{Allowed: true, Remaining: 2}, true, context.DeadlineExceeded},
		{"CoolingDownAgain", nil, nil, 999 * time.Millisecond, ratelimit.Decision{Allowed: true, Remaining: 1}, false, ratelimit.ErrCoolingDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			primary.set(tt.err, tt.hang)
			clock.Advance(tt.advance)
			calls, fell := primary.callCount(), len(whys)
			start := time.Now()
			d, err := f.Allow(t.Context(), "k", lim)
			if elapsed := time.Since(start); elapsed > timeout+200*time.Millisecond {
				t.Errorf("Allow took %v, want at most the timeout of %v (and some scheduling)", elapsed, timeout)
			}
			if err != nil {
				t.Fatalf("Allow: %v", err)
			}
			if d != tt.want {
				t.Errorf("decision = %+v, want %+v", d, tt.want)
			}
			if asked := primary.callCount() > calls; asked != tt.wantAsked {
				t.Errorf("primary asked: %v, want %v", asked, tt.wantAsked)
			}
			var why []error
			if tt.wantWhy != nil {
				why = []error{tt.wantWhy}
			}
			if diff := cmp.Diff(why, whys[fell:], cmpopts.EquateErrors(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("OnFallback reasons (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFallbackCallerGone checks that a request whose own context has ended
// gets that error, and that it does not count against the primary.
func TestFallbackCallerGone(t *testing.T) {
	primary := &scripted{}
	primary.set(context.Canceled, nil)
	f := ratelimit.NewFallback(primary, ratelimit.NewMemory(time.Now), ratelimit.FallbackOptions{
		OnFallback: func(err error) { t.Errorf("fell back: %v", err) },
	})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	lim := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 5}
	if _, err := f.Allow(ctx, "k", lim); !errors.Is(err, context.Canceled) {
		t.Errorf("Allow with a cancelled context: error = %v, want context.Canceled", err)
	}
	primary.set(nil, nil)
	if d, err := f.Allow(t.Context(), "k", lim); err != nil || d.Remaining != 99 {
		t.Errorf("Allow afterwards = %+v, %v; want the primary's answer", d, err)
	}
}

func TestFallbackInvalidLimit(t *testing.T) {
	primary := &scripted{}
	f := ratelimit.NewFallback(primary, ratelimit.NewMemory(time.Now), ratelimit.FallbackOptions{})
	if _, err := f.Allow(t.Context(), "k", ratelimit.Limit{}); !errors.Is(err, ratelimit.ErrInvalidLimit) {
		t.Errorf("Allow(zero limit) error = %v, want ErrInvalidLimit", err)
	}
	if n := primary.callCount(); n != 0 {
		t.Errorf("primary asked %d times for an invalid limit, want never", n)
	}
}
