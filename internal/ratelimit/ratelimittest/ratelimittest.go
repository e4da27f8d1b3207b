// Package ratelimittest is the contract that every ratelimit.Limiter must
// meet, as a test suite to run against each implementation.
package ratelimittest

import (
	"context"
	"errors"
	"policybot/internal/testclock"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"policybot/internal/ratelimit"
	"policybot/session/storetest"
)

// Clock is the time of the limiter under test: one that moves only when
// told (for a limiter that takes a now func), or the real one.
type Clock interface {
	Now() time.Time
	Advance(d time.Duration)
}

// FakeClock is a Clock that moves only when told to; see testclock.Fake.
type FakeClock = testclock.Fake

// NewFakeClock returns a FakeClock that reads start until advanced.
func NewFakeClock(start time.Time) *FakeClock { return testclock.NewFake(start) }

// RealClock is the Clock of code whose time is kept elsewhere (Redis).
type RealClock = testclock.Real

// NewLimiter returns a limiter that shares no keys with those of other
// calls, since subtests run in parallel, and the clock it runs on.
type NewLimiter func(t *testing.T) (ratelimit.Limiter, Clock)

// limit refills one event every 250 ms, slowly enough that a real clock
// running under -race on a loaded machine does not refill one between the
// calls of a burst.
var limit = ratelimit.Limit{Rate: 4, Period: time.Second, Burst: 3}

// interval is the refill time of one event of limit.
const interval = 250 * time.Millisecond

// Run runs the contract suite against the limiters that newLimiter returns.
func Run(t *testing.T, newLimiter NewLimiter) {
	t.Run("BurstThenRefusal", func(t *testing.T) {
		t.Parallel()
		l, clock := newLimiter(t)
		start := clock.Now()
		var got []ratelimit.Decision
		for range limit.Burst + 1 {
			got = append(got, mustAllow(t, l, "k", limit))
		}
		elapsed := clock.Now().Sub(start)
		refusal := got[limit.Burst]
		// The refill of the first event began at the first call: what is left of it is the wait.
		if refusal.Allowed || refusal.RetryAfter > interval+time.Millisecond || refusal.RetryAfter < interval-elapsed-time.Millisecond {
			t.Errorf("call %d after %v = %+v, want a refusal with RetryAfter in [%v, %v]",
				limit.Burst+1, elapsed, refusal, interval-elapsed, interval)
		}
		got[limit.Burst].RetryAfter = 0
		want := []ratelimit.Decision{{Allowed: true, Remaining: 2}, {Allowed: true, Remaining: 1}, {Allowed: true, Remaining: 0}, {}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decisions of a burst (-want +got):\n%s", diff)
		}
	})

	t.Run("RetryAfterIsEnough", func(t *testing.T) {
		t.Parallel()
		l, clock := newLimiter(t)
		exhaust(t, l, "k", limit)
		d := mustAllow(t, l, "k", limit)
		if d.Allowed {
			t.Fatalf("after the burst: %+v, want a refusal", d)
		}
		clock.Advance(d.RetryAfter)
		if d := mustAllow(t, l, "k", limit); !d.Allowed || d.Remaining != 0 {
			t.Errorf("after waiting RetryAfter: %+v, want one event allowed and none remaining", d)
		}
		if d := mustAllow(t, l, "k", limit); d.Allowed {
			t.Errorf("the event after that: %+v, want a refusal", d)
		}
	})

	t.Run("RefillAfterPeriod", func(t *testing.T) {
		t.Parallel()
		l, clock := newLimiter(t)
		exhaust(t, l, "k", limit)
		clock.Advance(limit.Period)
		for i := range limit.Burst {
			d := mustAllow(t, l, "k", limit)
			if want := (ratelimit.Decision{Allowed: true, Remaining: limit.Burst - 1 - i}); d != want {
				t.Errorf("event %d a period after the burst: %+v, want %+v", i+1, d, want)
			}
		}
	})

	t.Run("KeysIndependent", func(t *testing.T) {
		t.Parallel()
		l, _ := newLimiter(t)
		exhaust(t, l, "a", limit)
		if d := mustAllow(t, l, "b", limit); !d.Allowed || d.Remaining != limit.Burst-1 {
			t.Errorf("key b after key a's burst: %+v, want allowed with %d remaining", d, limit.Burst-1)
		}
		if d := mustAllow(t, l, "a", limit); d.Allowed {
			t.Errorf("key a after key b's event: %+v, want a refusal", d)
		}
	})

	t.Run("ConcurrentCallsAllowBurstOnly", func(t *testing.T) {
		t.Parallel()
		const goroutines, calls = 8, 10
		slow := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 5}
		l, _ := newLimiter(t)
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for range goroutines {
			wg.Go(func() {
				for range calls {
					d, err := l.Allow(t.Context(), "k", slow)
					if err != nil {
						t.Errorf("Allow: %v", err)
						return
					}
					if d.Allowed {
						allowed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if got := allowed.Load(); got != int64(slow.Burst) {
			t.Errorf("%d of %d concurrent calls allowed, want the burst of %d", got, goroutines*calls, slow.Burst)
		}
	})

	t.Run("InvalidLimit", func(t *testing.T) {
		t.Parallel()
		l, _ := newLimiter(t)
		for _, bad := range []ratelimit.Limit{
			{Rate: 0, Period: time.Second, Burst: 1},
			{Rate: 1, Period: 0, Burst: 1},
			{Rate: 1, Period: time.Second, Burst: 0},
			{Rate: -1, Period: time.Second, Burst: 1},
		} {
			if _, err := l.Allow(t.Context(), "k", bad); !errors.Is(err, ratelimit.ErrInvalidLimit) {
				t.Errorf("Allow(%+v) error = %v, want ErrInvalidLimit", bad, err)
			}
		}
	})
}

func mustAllow(t *testing.T, l ratelimit.Limiter, key string, lim ratelimit.Limit) ratelimit.Decision {
	t.Helper()
	d, err := l.Allow(t.Context(), key, lim)
	if err != nil {
		t.Fatalf("Allow(%s): %v", key, err)
	}
	return d
}

// exhaust uses up the burst of key.
func exhaust(t *testing.T, l ratelimit.Limiter, key string, lim ratelimit.Limit) {
	t.Helper()
	for i := range lim.Burst {
		if d := mustAllow(t, l, key, lim); !d.Allowed {
			t.Fatalf("event %d of the burst refused: %+v", i+1, d)
		}
	}
}

// MustRedis returns a limiter on the test Redis (see MustClient).
func MustRedis(tb testing.TB) *ratelimit.Redis {
	tb.Helper()
	return MustRedisAt(tb, storetest.RedisURL(tb))
}

// MustRedisAt is MustRedis on the Redis of url, such as
// storetest.RedisClusterURL's.
func MustRedisAt(tb testing.TB, url string) *ratelimit.Redis {
	tb.Helper()
	client, prefix := MustClientAt(tb, url)
	l, err := ratelimit.NewRedis(client, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// MustClient returns a client of the test Redis (see storetest.RedisURL)
// that honours context deadlines, as NewRedis wants, and a key prefix of
// the test's own, under which every limiter key is deleted when the test
// ends, so that tests and packages can share one server in parallel.
func MustClient(tb testing.TB) (redis.UniversalClient, string) {
	tb.Helper()
	return MustClientAt(tb, storetest.RedisURL(tb))
}

// MustClientAt is MustClient on the Redis of url, opened as serve opens
// it (session.OpenRedis), so that a cluster URL gives a cluster client.
func MustClientAt(tb testing.TB, url string) (redis.UniversalClient, string) {
	tb.Helper()
	client, prefix := storetest.MustRedisClientAt(tb, url)
	// redis_rate puts "rate:" before the prefix, outside what
	// MustRedisClientAt deletes. Cleanups run last first, so this one runs
	// before that client is closed.
	tb.Cleanup(func() {
		if err := storetest.DeleteKeys(context.Background(), client, "rate:"+prefix+"*"); err != nil {
			tb.Errorf("clean up test redis: %v", err)
		}
	})
	return client, prefix
}
