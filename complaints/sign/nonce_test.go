package sign_test

import (
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"policybot/complaints/sign"
	"policybot/complaints/sign/noncetest"
	"policybot/session/storetest"
)

func TestMemoryNonces(t *testing.T) {
	noncetest.Run(t, func(t *testing.T) (sign.NonceStore, noncetest.Clock) {
		clock := storetest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		return sign.NewMemoryNonces(clock.Now), clock
	})
}

func TestRedisNonces(t *testing.T) {
	storetest.EachRedis(t, func(t *testing.T, url string) {
		noncetest.Run(t, func(t *testing.T) (sign.NonceStore, noncetest.Clock) {
			client, prefix := storetest.MustRedisClientAt(t, url)
			return sign.NewRedisNonces(client, prefix), storetest.RealClock{}
		})
	})
}

// TestRedisNoncesKey checks what the contract cannot see: where a nonce
// goes and the TTL Redis holds for it.
func TestRedisNoncesKey(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	s := sign.NewRedisNonces(client, prefix)
	if _, err := s.Use(t.Context(), "pbk_a", "0123456789abcdef", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	key := prefix + "pbk_a:0123456789abcdef"
	ttl, err := client.PTTL(t.Context(), key).Result()
	if err != nil || ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Errorf("PTTL %s = %v, %v; want just under 10m", key, ttl, err)
	}
}

func TestRedisNoncesUnavailable(t *testing.T) {
	client := redis.NewClient(&redis.Options{
		Addr:               "127.0.0.1:1", // Nothing listens on port 1.
		DialTimeout:        200 * time.Millisecond,
		DialerRetries:      1,
		DialerRetryTimeout: time.Millisecond,
		MaxRetries:         -1,
	})
	t.Cleanup(func() { client.Close() })
	fresh, err := sign.NewRedisNonces(client, "policybot-test:").Use(t.Context(), "pbk_a", "0123456789abcdef", time.Minute)
	if fresh || !errors.Is(err, sign.ErrUnavailable) {
		t.Errorf("Use on a dead Redis = %v, %v; want false and ErrUnavailable", fresh, err)
	}
}

func BenchmarkRedisNonces(b *testing.B) {
	client, prefix := storetest.MustRedisClient(b)
	benchNonces(b, sign.NewRedisNonces(client, prefix))
}
