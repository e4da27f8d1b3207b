package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// MemoryTokenCache is a TokenCache in process memory, for a single replica
// without Redis. Its zero value is not usable: start it with
// NewMemoryTokenCache.
type MemoryTokenCache struct {
	mu       sync.Mutex // guards token, has, held and released
	token    CachedToken
	has      bool
	held     bool
	released chan struct{} // closed when the holder of the lock unlocks
}

var _ TokenCache = (*MemoryTokenCache)(nil)

// NewMemoryTokenCache returns an empty MemoryTokenCache.
func NewMemoryTokenCache() *MemoryTokenCache {
	return &MemoryTokenCache{}
}

// Load returns the token stored last, or ErrNoToken. Tokens checks expiry
// itself, so an expired token is returned too.
func (m *MemoryTokenCache) Load(context.Context) (CachedToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.has {
		return CachedToken{}, ErrNoToken
	}
	return m.token, nil
}

// Store keeps t; ttl is not needed, since the token is checked against its
// own expiry when read.
func (m *MemoryTokenCache) Store(_ context.Context, t CachedToken, _ time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.token, m.has = t, true
	return nil
}

// TryLock takes the lock if it is free. A holder in this process cannot die
// without the process, so the lock needs no expiry.
func (m *MemoryTokenCache) TryLock(context.Context) (func(), bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held {
		return nil, false, nil
	}
	m.held = true
	released := make(chan struct{})
	m.released = released
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.held = false
			close(released)
		})
	}, true, nil
}

// Wait returns when the lock held now is released, at once when it is free.
func (m *MemoryTokenCache) Wait(ctx context.Context) error {
	m.mu.Lock()
	held, released := m.held, m.released
	m.mu.Unlock()
	if !held {
		return nil
	}
	select {
	case <-released:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Timings of RedisTokenCache. The lock outlives a fetch (Client's requests
// time out after 10 seconds), so that it lapses only when its holder died;
// waiters poll the token often enough that they add little to the fetch
// they wait for.
const (
	redisLockTTL  = 15 * time.Second
	redisWaitPoll = 25 * time.Millisecond
)

// releaseLock deletes the lock only if it still holds the caller's id, so
// that a holder whose lock lapsed cannot release its successor's.
var releaseLock = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// RedisTokenCache is a TokenCache in Redis, shared by every replica: the
// token is one JSON string that Redis expires with the token, and the lock
// a key set with NX, holding a random id of its holder, that lapses after
// redisLockTTL if the holder dies. It works on one node, Sentinel and
// Cluster alike, since each command touches one key.
type RedisTokenCache struct {
	client  redis.UniversalClient
	key     string
	lockKey string
}

var _ TokenCache = (*RedisTokenCache)(nil)

// NewRedisTokenCache returns a cache whose keys are prefix+"token" and
// prefix+"token:lock". Give each mini-program (appid) its own prefix.
func NewRedisTokenCache(client redis.UniversalClient, prefix string) *RedisTokenCache {
	return &RedisTokenCache{client: client, key: prefix + "token", lockKey: prefix + "token:lock"}
}

// Load returns the token in Redis, or ErrNoToken.
func (r *RedisTokenCache) Load(ctx context.Context) (CachedToken, error) {
	raw, err := r.client.Get(ctx, r.key).Bytes()
	if errors.Is(err, redis.Nil) {
		return CachedToken{}, ErrNoToken
	}
	if err != nil {
		return CachedToken{}, fmt.Errorf("redis: load token: %w", err)
	}
	var t CachedToken
	if err := json.Unmarshal(raw, &t); err != nil {
		return CachedToken{}, fmt.Errorf("redis: decode token: %w", err)
	}
	return t, nil
}

// Store writes t for ttl; a ttl that is not positive stores nothing, since
// the token is already dead.
func (r *RedisTokenCache) Store(ctx context.Context, t CachedToken, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	raw, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("redis: encode token: %w", err)
	}
	if err := r.client.Set(ctx, r.key, raw, ttl).Err(); err != nil {
		return fmt.Errorf("redis: store token: %w", err)
	}
	return nil
}

// TryLock sets the lock key to a random id if it is absent (SET NX PX).
func (r *RedisTokenCache) TryLock(ctx context.Context) (func(), bool, error) {
	id := make([]byte, 16)
	rand.Read(id)
	holder := hex.EncodeToString(id)
	ok, err := r.client.SetNX(ctx, r.lockKey, holder, redisLockTTL).Result()
	if err != nil {
		return nil, false, fmt.Errorf("redis: lock token: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() {
		// The caller may be past its deadline; the release must still go
		// out, or the others wait out the lock's TTL. A failed release
		// costs only that wait.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = releaseLock.Run(ctx, r.client, []string{r.lockKey}, holder).Err()
	}, true, nil
}

// Wait sleeps one poll interval: Redis does not tell when the lock goes.
func (r *RedisTokenCache) Wait(ctx context.Context) error {
	timer := time.NewTimer(redisWaitPoll)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
