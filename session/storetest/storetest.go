// Package storetest is the contract that every session.Store must meet, as a
// test suite to run against each implementation, and helpers for tests that
// need a real Redis.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"policybot/internal/testclock"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"policybot/session"
)

// Clock moves time forward for the store under test.
type Clock interface {
	Advance(d time.Duration)
}

// FakeClock is a Clock that moves only when told to; see testclock.Fake.
type FakeClock = testclock.Fake

// NewFakeClock returns a FakeClock that reads start until advanced.
func NewFakeClock(start time.Time) *FakeClock { return testclock.NewFake(start) }

// RealClock is the Clock of code whose time is kept elsewhere (Redis).
type RealClock = testclock.Real

// NewStore returns an empty store whose entries expire ttl after their last
// use, and the clock that store runs on. Each call must return a store that
// shares no keys with the others, since subtests run in parallel.
type NewStore func(t *testing.T, ttl time.Duration) (session.Store, Clock)

// expiryTTL is the TTL of the subtests that wait for entries to expire. Real
// clocks sleep up to 2.4 times it, and operations must finish within 0.4 times
// it, which leaves room for a loaded machine running with -race.
const expiryTTL = time.Second

// Run runs the contract suite against the stores that newStore returns.
func Run(t *testing.T, newStore NewStore) {
	t.Run("GetAbsent", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, time.Minute)
		_, err := s.Get(t.Context(), "absent")
		if !errors.Is(err, session.ErrNotFound) {
			t.Fatalf("Get(absent) error = %v, want ErrNotFound", err)
		}
	})

	t.Run("UpdateCreatesAndSeesOld", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, time.Minute)
		ctx := t.Context()
		var olds [][]byte
		for _, v := range []string{"one", "two"} {
			mustUpdate(t, s, "k", func(old []byte) ([]byte, error) {
				olds = append(olds, old)
				return []byte(v), nil
			})
		}
		if diff := cmp.Diff([][]byte{nil, []byte("one")}, olds); diff != "" {
			t.Errorf("old values passed to fn (-want +got):\n%s", diff)
		}
		got, err := s.Get(ctx, "k")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if string(got) != "two" {
			t.Errorf("Get = %q, want %q", got, "two")
		}
	})

	t.Run("EmptyValueIsPresent", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, time.Minute)
		mustUpdate(t, s, "k", func([]byte) ([]byte, error) { return nil, nil })
		got, err := s.Get(t.Context(), "k")
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("Get = %q, %v; want a non-nil empty value", got, err)
		}
		mustUpdate(t, s, "k", func(old []byte) ([]byte, error) {
			if old == nil {
				t.Error("Update passed nil for a present empty value")
			}
			return old, nil
		})
	})

	t.Run("FnErrorWritesNothing", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, time.Minute)
		ctx := t.Context()
		errFn := errors.New("fn refused")
		fail := func(old []byte) ([]byte, error) {
			if old != nil {
				old[0] = 'X' // Editing old in place must not leak into the store.
			}
			return []byte("written"), errFn
		}

		if err := s.Update(ctx, "new", fail); !errors.Is(err, errFn) {
			t.Errorf("Update(new) error = %v, want fn's error", err)
		}
		if _, err := s.Get(ctx, "new"); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("Get(new) after failed Update error = %v, want ErrNotFound", err)
		}

		mustUpdate(t, s, "old", func([]byte) ([]byte, error) { return []byte("kept"), nil })
		if err := s.Update(ctx, "old", fail); !errors.Is(err, errFn) {
			t.Errorf("Update(old) error = %v, want fn's error", err)
		}
		got, err := s.Get(ctx, "old")
		if err != nil || string(got) != "kept" {
			t.Errorf("Get(old) after failed Update = %q, %v; want %q", got, err, "kept")
		}
	})

	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, time.Minute)
		ctx := t.Context()
		mustUpdate(t, s, "k", func([]byte) ([]byte, error) { return []byte("v"), nil })
		mustUpdate(t, s, "other", func([]byte) ([]byte, error) { return []byte("v"), nil })
		for range 2 { // The second Delete finds nothing, which is not an error.
			if err := s.Delete(ctx, "k"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
		}
		if _, err := s.Get(ctx, "k"); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("Get(k) after Delete error = %v, want ErrNotFound", err)
		}
		if _, err := s.Get(ctx, "other"); err != nil {
			t.Errorf("Get(other) after Delete(k): %v", err)
		}
	})

	t.Run("Ping", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, time.Minute)
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})

	t.Run("TTL", func(t *testing.T) {
		t.Parallel()
		const ttl = expiryTTL
		// Each step advances the clock, then runs op: a Get, or an Update that
		// writes a new value. present says whether op found the key.
		type step struct {
			advance time.Duration
			op      string // "get" or "update"
			present bool
		}
		tests := []struct {
			name  string
			steps []step
		}{
			{"Expires", []step{{ttl * 12 / 10, "get", false}}},
			{"GetSlides", []step{
				{ttl * 6 / 10, "get", true},
				{ttl * 6 / 10, "get", true},
				{ttl * 12 / 10, "get", false},
			}},
			{"UpdateRestarts", []step{
				{ttl * 6 / 10, "update", true},
				{ttl * 6 / 10, "get", true},
			}},
			{"UpdateAfterExpirySeesNothing", []step{
				{ttl * 12 / 10, "update", false},
				{0, "get", true},
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				s, clock := newStore(t, ttl)
				ctx := t.Context()
				mustUpdate(t, s, "k", func([]byte) ([]byte, error) { return []byte("v0"), nil })
				for i, st := range tt.steps {
					clock.Advance(st.advance)
					var present bool
					switch st.op {
					case "get":
						_, err := s.Get(ctx, "k")
						if err != nil && !errors.Is(err, session.ErrNotFound) {
							t.Fatalf("step %d: Get: %v", i, err)
						}
						present = err == nil
					case "update":
						mustUpdate(t, s, "k", func(old []byte) ([]byte, error) {
							present = old != nil
							return fmt.Appendf(nil, "v%d", i+1), nil
						})
					}
					if present != st.present {
						t.Fatalf("step %d: %s found the key: %v, want %v", i, st.op, present, st.present)
					}
				}
			})
		}
	})

	t.Run("ConcurrentUpdatesLoseNothing", func(t *testing.T) {
		t.Parallel()
		const goroutines, updates = 20, 10
		s, _ := newStore(t, time.Minute)
		ctx := t.Context()
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range updates {
					token := fmt.Sprintf("g%02d-%02d", g, i)
					err := s.Update(ctx, "k", func(old []byte) ([]byte, error) {
						if len(old) == 0 {
							return []byte(token), nil
						}
						return slices.Concat(old, []byte(","+token)), nil
					})
					if err != nil {
						t.Errorf("Update(%s): %v", token, err)
					}
				}
			})
		}
		wg.Wait()

		got, err := s.Get(ctx, "k")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		tokens := strings.Split(string(got), ",")
		slices.Sort(tokens)
		var want []string
		for g := range goroutines {
			for i := range updates {
				want = append(want, fmt.Sprintf("g%02d-%02d", g, i))
			}
		}
		if diff := cmp.Diff(want, tokens); diff != "" {
			t.Errorf("tokens after %d concurrent updates (-want +got):\n%s", goroutines*updates, diff)
		}
	})
}

func mustUpdate(t *testing.T, s session.Store, key string, fn func([]byte) ([]byte, error)) {
	t.Helper()
	if err := s.Update(t.Context(), key, fn); err != nil {
		t.Fatalf("Update(%s): %v", key, err)
	}
}

// RedisURL returns the URL of the Redis to test against, from
// POLICYBOT_TEST_REDIS_URL. When that is unset it skips the test, or fails it
// if POLICYBOT_REQUIRE_REDIS=1 (as make test sets).
func RedisURL(tb testing.TB) string {
	tb.Helper()
	return testURL(tb, "POLICYBOT_TEST_REDIS_URL", "Redis")
}

// RedisSentinelURL returns the redis+sentinel:// URL of a Sentinel that
// watches the test Redis, from POLICYBOT_TEST_REDIS_SENTINEL_URL, skipping
// or failing the test as RedisURL does when it is unset.
func RedisSentinelURL(tb testing.TB) string {
	tb.Helper()
	return testURL(tb, "POLICYBOT_TEST_REDIS_SENTINEL_URL", "a Redis Sentinel")
}

// RedisClusterURL returns the redis+cluster:// URL of the Redis Cluster to
// test against, from POLICYBOT_TEST_REDIS_CLUSTER_URL, skipping or failing
// the test as RedisURL does when it is unset.
func RedisClusterURL(tb testing.TB) string {
	tb.Helper()
	return testURL(tb, "POLICYBOT_TEST_REDIS_CLUSTER_URL", "a Redis Cluster")
}

func testURL(tb testing.TB, name, what string) string {
	tb.Helper()
	if u := os.Getenv(name); u != "" {
		return u
	}
	if os.Getenv("POLICYBOT_REQUIRE_REDIS") == "1" {
		tb.Fatalf("%s is unset but POLICYBOT_REQUIRE_REDIS=1", name)
	}
	tb.Skipf("%s is unset: skipping a test that needs %s (make test starts one)", name, what)
	return ""
}

// EachRedis runs test with the URL of each topology of the test Redis, in
// parallel subtests: Node (RedisURL), Sentinel (RedisSentinelURL: the same
// server, found through a Sentinel) and Cluster (RedisClusterURL). A store
// that passes on one node may still send keys of different slots in one
// command, which only a cluster refuses.
func EachRedis(t *testing.T, test func(t *testing.T, url string)) {
	for _, topology := range []struct {
		name string
		url  func(testing.TB) string
	}{
		{"Node", RedisURL},
		{"Sentinel", RedisSentinelURL},
		{"Cluster", RedisClusterURL},
	} {
		t.Run(topology.name, func(t *testing.T) {
			t.Parallel()
			test(t, topology.url(t))
		})
	}
}

// MustRedis returns a store on the test Redis (see RedisURL) whose keys live
// under a prefix of their own, deleted when the test ends, so that tests and
// packages can share one server in parallel.
func MustRedis(tb testing.TB, ttl time.Duration) *session.Redis {
	tb.Helper()
	return MustRedisAt(tb, RedisURL(tb), ttl)
}

// MustRedisAt is MustRedis on the Redis of url, such as RedisClusterURL's.
func MustRedisAt(tb testing.TB, url string, ttl time.Duration) *session.Redis {
	tb.Helper()
	client, prefix := MustRedisClientAt(tb, url)
	return session.NewRedis(client, prefix, ttl)
}

// RedisTimeout is how long a call of a test's Redis client may take: ample
// for a loaded machine under -race, and short enough that a test meeting a
// Redis that does not answer fails rather than hangs.
const RedisTimeout = 5 * time.Second

// MustRedisClient returns a client of the test Redis (see RedisURL) and a key
// prefix unique to this test, under which every key is deleted when the test
// ends.
func MustRedisClient(tb testing.TB) (client redis.UniversalClient, prefix string) {
	tb.Helper()
	return MustRedisClientAt(tb, RedisURL(tb))
}

// MustRedisClientAt is MustRedisClient on the Redis of url, opened as
// session.OpenRedis opens it, so a cluster URL gives a cluster client.
func MustRedisClientAt(tb testing.TB, url string) (client redis.UniversalClient, prefix string) {
	tb.Helper()
	client, err := session.OpenRedis(url, RedisTimeout)
	if err != nil {
		tb.Fatalf("open test redis: %v", err)
	}
	ctx := context.Background()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		tb.Fatalf("ping test redis: %v", err)
	}
	// The test's name helps whoever looks at the server; the random part keeps
	// runs of the same test apart. Glob characters would confuse the SCAN
	// below, and braces would make a hash tag that puts all the test's keys
	// in one slot of a cluster, where the service's keys are spread out.
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune("*?[]\\{}", r) {
			return '_'
		}
		return r
	}, tb.Name())
	prefix = fmt.Sprintf("policybot-test:%s:%016x:", name, rand.Uint64())
	tb.Cleanup(func() {
		defer client.Close()
		if err := DeleteKeys(ctx, client, prefix+"*"); err != nil {
			tb.Errorf("clean up test redis: %v", err)
		}
	})
	return client, prefix
}

// DeleteKeys deletes the keys that match the glob pattern. On a cluster it
// scans every master, since SCAN sees the keys of one node only.
func DeleteKeys(ctx context.Context, client redis.UniversalClient, pattern string) error {
	deleteOn := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, pattern, 100).Iterator()
		for iter.Next(ctx) {
			// One key per DEL: keys of one SCAN page may be in different slots.
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	if cluster, ok := client.(*redis.ClusterClient); ok {
		return cluster.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			return deleteOn(ctx, node)
		})
	}
	return deleteOn(ctx, client)
}
