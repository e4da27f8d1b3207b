package session

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMemorySweep checks that abandoned entries do not stay in memory, since
// nobody reads them to expire them lazily.
func TestMemorySweep(t *testing.T) {
	const ttl = time.Minute
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m := NewMemory(ttl, func() time.Time { return now })
	set := func(key string) {
		t.Helper()
		if err := m.Update(t.Context(), key, func([]byte) ([]byte, error) { return []byte("v"), nil }); err != nil {
			t.Fatalf("Update(%s): %v", key, err)
		}
	}

	tests := []struct {
		name    string
		advance time.Duration
		write   string
		want    []string
	}{
		// The first write sweeps the empty map; the next sweep is due at 60s.
		{"FirstWrite", 0, "a", []string{"a"}},
		{"BeforeSweepDue", 30 * time.Second, "b", []string{"a", "b"}},
		// At 60s the sweep drops a; the next one is due at 120s.
		{"Swept", 30 * time.Second, "c", []string{"b", "c"}},
		// At 100s b has expired, but sweeps run once per TTL.
		{"ExpiredNotYetSwept", 40 * time.Second, "d", []string{"b", "c", "d"}},
		// At 120s b and c go.
		{"SweptAgain", 20 * time.Second, "e", []string{"d", "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = now.Add(tt.advance)
			set(tt.write)
			m.mu.Lock()
			got := slices.Sorted(maps.Keys(m.entries))
			m.mu.Unlock()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("keys held (-want +got):\n%s", diff)
			}
		})
	}
}
