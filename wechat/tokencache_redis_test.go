package wechat

import (
	"testing"
	"time"

	"policybot/session/storetest"
)

// TestRedisTokenCacheKeys checks what the contract cannot see: the keys,
// the TTLs Redis holds for them, and that a holder whose lock lapsed cannot
// release its successor's.
func TestRedisTokenCacheKeys(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	c := NewRedisTokenCache(client, prefix)
	ctx := t.Context()

	pttl := func(key string) time.Duration {
		t.Helper()
		d, err := client.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatalf("PTTL %s: %v", key, err)
		}
		return d
	}
	if err := c.Store(ctx, CachedToken{Value: "v", Expires: time.Now().Add(time.Hour)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := pttl(prefix + "token"); got <= time.Hour-time.Minute || got > time.Hour {
		t.Errorf("PTTL of the token = %v, want just under 1h", got)
	}
	if err := c.Store(ctx, CachedToken{Value: "dead"}, 0); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Load(ctx); err != nil || got.Value != "v" {
		t.Errorf("Load after storing a dead token = %+v, %v; want the live one kept", got, err)
	}

	unlockA := mustLock(t, c)
	if got := pttl(prefix + "token:lock"); got <= 0 || got > redisLockTTL {
		t.Errorf("PTTL of the lock = %v, want at most %v", got, redisLockTTL)
	}
	// A's lock lapses (as when A stalls past the TTL) and B takes it.
	client.Del(ctx, prefix+"token:lock")
	unlockB := mustLock(t, c)
	unlockA()
	if n, err := client.Exists(ctx, prefix+"token:lock").Result(); err != nil || n != 1 {
		t.Fatalf("the lock after its former holder's unlock: exists = %d, %v; want B's lock kept", n, err)
	}
	unlockB()
	if n, err := client.Exists(ctx, prefix+"token:lock").Result(); err != nil || n != 0 {
		t.Errorf("the lock after its holder's unlock: exists = %d, %v; want it gone", n, err)
	}
}
