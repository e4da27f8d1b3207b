package session_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

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
