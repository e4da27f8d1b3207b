package ratelimit

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMemorySweep checks that keys are dropped once they have refilled, so
// that memory holds only the keys in use.
func TestMemorySweep(t *testing.T) {
	// Each event takes 10 s to refill.
	l := Limit{Rate: 1, Period: 10 * time.Second, Burst: 2}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m := NewMemory(func() time.Time { return now })
	use := func(key string) {
		t.Helper()
		if _, err := m.Allow(t.Context(), key, l); err != nil {
			t.Fatalf("Allow(%s): %v", key, err)
		}
	}

	tests := []struct {
		name    string
		advance time.Duration
		use     string
		want    []string
	}{
		// The first call sweeps the empty map; the next sweep is due at 60s.
		{"First", 0, "a", []string{"a"}},
		// At 55s a has refilled, but sweeps run once a minute.
		{"RefilledNotYetSwept", 55 * time.Second, "b", []string{"a", "b"}},
		// At 60s the sweep drops a; b, used 5 s ago, has not refilled.
		{"Swept", 5 * time.Second, "c", []string{"b", "c"}},
		// At 120s b and c have refilled and go; d is new.
		{"SweptAgain", time.Minute, "d", []string{"d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = now.Add(tt.advance)
			use(tt.use)
			m.mu.Lock()
			got := slices.Sorted(maps.Keys(m.buckets))
			m.mu.Unlock()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("keys held (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMemoryLimitChange checks that a key asked under another limit keeps
// its count and takes the new limit from then on.
func TestMemoryLimitChange(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m := NewMemory(func() time.Time { return now })
	small := Limit{Rate: 1, Period: time.Minute, Burst: 2}
	large := Limit{Rate: 1, Period: time.Minute, Burst: 5}
	for range 2 {
		m.Allow(t.Context(), "k", small)
	}
	d, err := m.Allow(t.Context(), "k", large)
	if err != nil {
		t.Fatal(err)
	}
	// x/time/rate keeps the tokens left (none) when the burst grows.
	if d.Allowed {
		t.Errorf("after the small burst, under the large limit: %+v, want a refusal", d)
	}
	now = now.Add(3 * time.Minute)
	d, _ = m.Allow(t.Context(), "k", large)
	if want := (Decision{Allowed: true, Remaining: 2}); d != want {
		t.Errorf("three minutes later: %+v, want %+v", d, want)
	}
}
