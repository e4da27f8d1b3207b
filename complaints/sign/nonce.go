package sign

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// NonceStore remembers the nonces of verified calls, so that each is
// accepted once per key.
//
// It is an interface of its own rather than a session.Store: recording a
// nonce is one SET NX PX in Redis, atomic by itself and with its own TTL,
// where session.Store's Update would take a GET and a compare-and-set
// script per call and retries under contention, with one TTL for the whole
// store.
type NonceStore interface {
	// Use records nonce as used with keyID for ttl and reports whether it
	// was fresh: false when it was recorded before and has not expired.
	// Errors wrap ErrUnavailable.
	Use(ctx context.Context, keyID, nonce string, ttl time.Duration) (fresh bool, err error)
}

// sweepEvery is how often MemoryNonces drops the expired nonces.
const sweepEvery = time.Minute

// MemoryNonces is a NonceStore of one process, for a single replica and
// tests. Expired nonces are dropped, all of them at most once per
// sweepEvery from Use, so memory holds the nonces of the last nonce TTL
// and sweepEvery, without a goroutine to stop.
type MemoryNonces struct {
	now func() time.Time

	mu        sync.Mutex // guards expires and nextSweep
	expires   map[nonceKey]time.Time
	nextSweep time.Time
}

type nonceKey struct{ keyID, nonce string }

var _ NonceStore = (*MemoryNonces)(nil)

// NewMemoryNonces returns an empty MemoryNonces on the clock now (time.Now
// outside tests).
func NewMemoryNonces(now func() time.Time) *MemoryNonces {
	return &MemoryNonces{now: now, expires: make(map[nonceKey]time.Time)}
}

// Use records the nonce unless it is recorded and unexpired.
func (m *MemoryNonces) Use(_ context.Context, keyID, nonce string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if now.After(m.nextSweep) {
		for k, exp := range m.expires {
			if !now.Before(exp) {
				delete(m.expires, k)
			}
		}
		m.nextSweep = now.Add(sweepEvery)
	}
	k := nonceKey{keyID, nonce}
	if exp, ok := m.expires[k]; ok && now.Before(exp) {
		return false, nil
	}
	m.expires[k] = now.Add(ttl)
	return true, nil
}

// RedisNonces is a NonceStore in Redis, shared by every replica: a nonce
// is the key prefix+keyID+":"+nonce, set only if absent, expiring with its
// TTL. Key ids and nonces hold no colon, so no two pairs share a key.
type RedisNonces struct {
	client redis.UniversalClient
	prefix string
}

var _ NonceStore = (*RedisNonces)(nil)

// NewRedisNonces returns a RedisNonces whose keys start with prefix.
func NewRedisNonces(client redis.UniversalClient, prefix string) *RedisNonces {
	return &RedisNonces{client: client, prefix: prefix}
}

// Use records the nonce with SET NX PX: one command, which Redis runs
// atomically, so that of two replicas given the same call one only accepts
// it.
func (r *RedisNonces) Use(ctx context.Context, keyID, nonce string, ttl time.Duration) (bool, error) {
	fresh, err := r.client.SetNX(ctx, r.prefix+keyID+":"+nonce, "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("%w: redis: %w", ErrUnavailable, err)
	}
	return fresh, nil
}
