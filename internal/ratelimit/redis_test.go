package ratelimit_test

import (
	"testing"
	"time"

	"policybot/internal/ratelimit"
	"policybot/internal/ratelimit/ratelimittest"
	"policybot/session/storetest"
)

func TestRedis(t *testing.T) {
	storetest.RedisURL(t) // Skip or fail here once rather than in every subtest.
	ratelimittest.Run(t, func(t *testing.T) (ratelimit.Limiter, ratelimittest.Clock) {
		return ratelimittest.MustRedis(t), ratelimittest.RealClock{}
	})
}

// TestRedisKey checks what the contract cannot see: where a key's state
// goes, and that it expires once the key has refilled.
func TestRedisKey(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	l := ratelimit.NewRedis(client, prefix)
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
