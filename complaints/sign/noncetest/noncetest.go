// Package noncetest is the contract that every sign.NonceStore must meet,
// as a test suite to run against each implementation.
package noncetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/complaints/sign"
)

// Clock moves time forward for the store under test: a fake clock's
// Advance, or a sleep for a store whose time is kept elsewhere (Redis).
type Clock interface {
	Advance(d time.Duration)
}

// NewStore returns an empty store that shares no nonces with those of
// other calls, since subtests run in parallel, and the clock it runs on.
type NewStore func(t *testing.T) (sign.NonceStore, Clock)

// ttl is the TTL of the subtests that wait for a nonce to expire. A real
// clock sleeps 1.2 times it, and the calls around the sleep must take
// less than 0.2 times it, which leaves room for -race on a loaded machine.
const ttl = time.Second

// Run runs the contract suite against the stores newStore returns.
func Run(t *testing.T, newStore NewStore) {
	const nonce = "0123456789abcdef"
	t.Run("OncePerKey", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		tests := []struct {
			keyID, nonce string
			want         bool
		}{
			{"pbk_a", nonce, true},
			{"pbk_a", nonce, false},
			{"pbk_b", nonce, true}, // the same nonce with another key
			{"pbk_a", nonce + "0", true},
			{"pbk_a", nonce, false},
			{"pbk_b", nonce, false},
		}
		for i, tt := range tests {
			if got := mustUse(t, s, tt.keyID, tt.nonce, time.Minute); got != tt.want {
				t.Errorf("step %d: Use(%s, %s) = %v, want %v", i+1, tt.keyID, tt.nonce, got, tt.want)
			}
		}
	})

	t.Run("Expires", func(t *testing.T) {
		t.Parallel()
		s, clock := newStore(t)
		mustUse(t, s, "pbk_a", nonce, ttl)
		clock.Advance(ttl * 6 / 10)
		if mustUse(t, s, "pbk_a", nonce, ttl) {
			t.Error("Use before the TTL ends = true, want false")
		}
		clock.Advance(ttl * 6 / 10)
		if !mustUse(t, s, "pbk_a", nonce, ttl) {
			t.Error("Use after the TTL = false, want true")
		}
	})

	t.Run("RefusedUseKeepsTTL", func(t *testing.T) {
		t.Parallel()
		s, clock := newStore(t)
		mustUse(t, s, "pbk_a", nonce, ttl)
		clock.Advance(ttl * 6 / 10)
		// A replay does not extend how long the nonce is remembered.
		mustUse(t, s, "pbk_a", nonce, time.Hour)
		clock.Advance(ttl * 6 / 10)
		if !mustUse(t, s, "pbk_a", nonce, ttl) {
			t.Error("Use after the first TTL, past a replay = false, want true")
		}
	})

	t.Run("ConcurrentUseAcceptsOne", func(t *testing.T) {
		t.Parallel()
		const goroutines, nonces = 8, 20
		s, _ := newStore(t)
		var fresh atomic.Int64
		var wg sync.WaitGroup
		for range goroutines {
			wg.Go(func() {
				for i := range nonces {
					ok, err := s.Use(t.Context(), "pbk_a", fmt.Sprintf("%s%02d", nonce, i), time.Minute)
					if err != nil {
						t.Errorf("Use: %v", err)
						return
					}
					if ok {
						fresh.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if got := fresh.Load(); got != nonces {
			t.Errorf("%d of %d concurrent uses of %d nonces were fresh, want %d", got, goroutines*nonces, nonces, nonces)
		}
	})
}

func mustUse(t *testing.T, s sign.NonceStore, keyID, nonce string, ttl time.Duration) bool {
	t.Helper()
	fresh, err := s.Use(t.Context(), keyID, nonce, ttl)
	if err != nil {
		t.Fatalf("Use(%s, %s): %v", keyID, nonce, err)
	}
	return fresh
}
