package session_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"policybot/session"
	"policybot/session/storetest"
)

func TestRedis(t *testing.T) {
	storetest.EachRedis(t, func(t *testing.T, url string) {
		storetest.Run(t, func(t *testing.T, ttl time.Duration) (session.Store, storetest.Clock) {
			return storetest.MustRedisAt(t, url, ttl), storetest.RealClock{}
		})
	})
}

// TestRedisCached runs the contract on a store with a cache, and on two
// such stores of one key space, as two replicas are: each writes through
// the other's cache.
func TestRedisCached(t *testing.T) {
	storetest.RedisURL(t)
	t.Run("One", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, ttl time.Duration) (session.Store, storetest.Clock) {
			return storetest.MustRedis(t, ttl).Cached(1 << 20), storetest.RealClock{}
		})
	})
	t.Run("Two", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, ttl time.Duration) (session.Store, storetest.Clock) {
			client, prefix := storetest.MustRedisClient(t)
			return &alternating{stores: [2]session.Store{
				session.NewRedis(client, prefix, ttl).Cached(1 << 20),
				session.NewRedis(client, prefix, ttl).Cached(1 << 20),
			}}, storetest.RealClock{}
		})
	})
}

// alternating sends each call to the next of its stores in turn.
type alternating struct {
	stores [2]session.Store
	next   atomic.Uint64
}

func (a *alternating) pick() session.Store { return a.stores[a.next.Add(1)%2] }

func (a *alternating) Get(ctx context.Context, key string) ([]byte, error) {
	return a.pick().Get(ctx, key)
}

func (a *alternating) Update(ctx context.Context, key string, fn func([]byte) ([]byte, error)) error {
	return a.pick().Update(ctx, key, fn)
}

func (a *alternating) Delete(ctx context.Context, key string) error {
	return a.pick().Delete(ctx, key)
}

func (a *alternating) Ping(ctx context.Context) error { return a.pick().Ping(ctx) }

// TestRedisRoundTrips counts the commands each Update sends: a store that
// wrote a key last updates it with its one script call, a store without
// the key in its cache reads it first, and a stale cache costs one more
// script call, whose answer carries the newer value.
func TestRedisRoundTrips(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	counter := &commandCounter{}
	client.AddHook(counter)
	ctx := t.Context()
	a := session.NewRedis(client, prefix, time.Minute).Cached(1 << 20)
	b := session.NewRedis(client, prefix, time.Minute).Cached(1 << 20)
	appendTo := func(s *session.Redis, v string) []string {
		t.Helper()
		counter.reset()
		if err := s.Update(ctx, "k", func(old []byte) ([]byte, error) { return append(old, v...), nil }); err != nil {
			t.Fatal(err)
		}
		return counter.names()
	}
	appendTo(a, "warm the script cache ")
	if err := client.Del(ctx, prefix+"k").Err(); err != nil {
		t.Fatal(err)
	}
	a.Delete(ctx, "k")
	tests := []struct {
		name  string
		store *session.Redis
		v     string
		want  []string
	}{
		{"NewKey", a, "1", []string{"get", "evalsha"}},
		{"CachedKey", a, "2", []string{"evalsha"}},
		{"UncachedKey", b, "3", []string{"get", "evalsha"}},
		{"StaleCache", a, "4", []string{"evalsha", "evalsha"}},
		{"CachedAgain", a, "5", []string{"evalsha"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, appendTo(tt.store, tt.v)); diff != "" {
			t.Errorf("%s: commands (-want +got):\n%s", tt.name, diff)
		}
	}
	got, err := a.Get(ctx, "k")
	if err != nil || string(got) != "12345" {
		t.Errorf("Get = %q, %v; want 12345", got, err)
	}
}

// commandCounter is a go-redis hook that records the names of the commands
// sent.
type commandCounter struct {
	mu   sync.Mutex // guards sent
	sent []string
}

func (c *commandCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = nil
}

func (c *commandCounter) names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sent)
}

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.mu.Lock()
		c.sent = append(c.sent, cmd.Name())
		c.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.mu.Lock()
		for _, cmd := range cmds {
			c.sent = append(c.sent, cmd.Name())
		}
		c.mu.Unlock()
		return next(ctx, cmds)
	}
}

// TestRedisKeys checks what the contract cannot see: where keys go and the TTL
// Redis holds for them.
func TestRedisKeys(t *testing.T) {
	const ttl = time.Minute
	client, prefix := storetest.MustRedisClient(t)
	s := session.NewRedis(client, prefix, ttl)
	ctx := t.Context()

	pttl := func() time.Duration {
		t.Helper()
		d, err := client.PTTL(ctx, prefix+"k").Result()
		if err != nil {
			t.Fatalf("PTTL: %v", err)
		}
		return d
	}
	// Each step shortens the TTL behind the store's back, then runs op.
	tests := []struct {
		name string
		op   func() error
	}{
		{"UpdateSetsTTL", func() error {
			return s.Update(ctx, "k", func([]byte) ([]byte, error) { return []byte("v"), nil })
		}},
		{"GetSlidesTTL", func() error {
			_, err := s.Get(ctx, "k")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client.PExpire(ctx, prefix+"k", 10*time.Second)
			if err := tt.op(); err != nil {
				t.Fatal(err)
			}
			if got := pttl(); got <= ttl-5*time.Second || got > ttl {
				t.Errorf("PTTL = %v, want just under %v", got, ttl)
			}
		})
	}

	got, err := client.Get(ctx, prefix+"k").Result()
	if err != nil || got != "v" {
		t.Errorf("GET %sk = %q, %v; want %q", prefix, got, err, "v")
	}
}

// TestRedisUnavailable checks that a dead Redis gives errors that callers can
// map to 503, quickly, without the key (it may be a token) in their text.
func TestRedisUnavailable(t *testing.T) {
	client := redis.NewClient(&redis.Options{
		Addr:               "127.0.0.1:1", // Nothing listens on port 1.
		DialTimeout:        200 * time.Millisecond,
		DialerRetries:      1,
		DialerRetryTimeout: time.Millisecond,
		MaxRetries:         -1,
	})
	t.Cleanup(func() { client.Close() })
	s := session.NewRedis(client, "policybot-test:", time.Minute)
	const key = "secret-token"

	tests := []struct {
		name string
		op   func(ctx context.Context) error
	}{
		{"Get", func(ctx context.Context) error {
			_, err := s.Get(ctx, key)
			return err
		}},
		{"Update", func(ctx context.Context) error {
			return s.Update(ctx, key, func([]byte) ([]byte, error) {
				t.Error("Update ran fn without reading the old value")
				return nil, nil
			})
		}},
		{"Delete", func(ctx context.Context) error { return s.Delete(ctx, key) }},
		{"Ping", func(ctx context.Context) error { return s.Ping(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.op(t.Context())
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %v, want a quick failure", elapsed)
			}
			if !errors.Is(err, session.ErrUnavailable) {
				t.Fatalf("error = %v, want one wrapping ErrUnavailable", err)
			}
			if errors.Is(err, session.ErrNotFound) {
				t.Errorf("error = %v, also wraps ErrNotFound", err)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("error %q contains the key", err)
			}
		})
	}
}
