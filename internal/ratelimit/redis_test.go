package ratelimit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"policybot/internal/ratelimit"
	"policybot/internal/ratelimit/ratelimittest"
	"policybot/session/storetest"
)

func TestRedis(t *testing.T) {
	storetest.EachRedis(t, func(t *testing.T, url string) {
		ratelimittest.Run(t, func(t *testing.T) (ratelimit.Limiter, ratelimittest.Clock) {
			return ratelimittest.MustRedisAt(t, url), ratelimittest.RealClock{}
		})
	})
}

// TestRedisKey checks what the contract cannot see: where a key's state
// goes, and that it expires once the key has refilled.
func TestRedisKey(t *testing.T) {
	client, prefix := ratelimittest.MustClient(t)
	l, err := ratelimit.NewRedis(client, prefix)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	lim := ratelimit.Limit{Rate: 1, Period: 10 * time.Second, Burst: 3}
	if _, err := l.Allow(ctx, "k", lim); err != nil {
		t.Fatal(err)
	}
	key := "rate:" + prefix + "k"
	defer client.Del(ctx, key)
	ttl, err := client.TTL(ctx, key).Result()
	if err != nil {
		t.Fatalf("TTL %s: %v", key, err)
	}
	// One event of three used refills in 10 s.
	if ttl <= 0 || ttl > 10*time.Second {
		t.Errorf("TTL of %s = %v, want at most the 10 s it takes to refill", key, ttl)
	}
}

// TestNewRedisRefusesClientWithoutDeadlines checks that a client that
// would hold a call past its context's deadline is refused.
func TestNewRedisRefusesClientWithoutDeadlines(t *testing.T) {
	for _, client := range []redis.UniversalClient{
		redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}),
		redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}}),
	} {
		defer client.Close()
		if _, err := ratelimit.NewRedis(client, "p:"); err == nil || !strings.Contains(err.Error(), "ContextTimeoutEnabled") {
			t.Errorf("NewRedis(%T without ContextTimeoutEnabled) error = %v, want a refusal naming it", client, err)
		}
	}
}
