package ratelimit

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a Limiter shared by every replica: redis_rate's GCRA, one Lua
// script per decision, run on Redis's own clock, so that replicas whose
// clocks disagree still count alike. A key's state is one string that
// expires once the key has refilled.
type Redis struct {
	limiter *redis_rate.Limiter
	prefix  string
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a Redis limiter whose keys are "rate:"+prefix+key:
// redis_rate puts its own "rate:" in front. It works on one node, Sentinel
// and Cluster alike, since a script touches one key only.
//
// Allow must end at its context's deadline, so that a Fallback answers in
// time when Redis stalls; go-redis's clients honour deadlines only with
// ContextTimeoutEnabled, and NewRedis refuses a *redis.Client or
// *redis.ClusterClient without it.
func NewRedis(client redis.UniversalClient, prefix string) (*Redis, error) {
	var honours bool
	switch c := client.(type) {
	case *redis.Client:
		honours = c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		honours = c.Options().ContextTimeoutEnabled
	default:
		honours = true // Other clients (a Ring, a test's own) cannot be asked; they are trusted.
	}
	if !honours {
		return nil, errors.New("ratelimit: the Redis client must honour context deadlines: set ContextTimeoutEnabled, or a stalled Redis holds every call for the client's read timeout")
	}
	return &Redis{limiter: redis_rate.NewLimiter(client), prefix: prefix}, nil
}

// Allow counts one event of key in Redis.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (Decision, error) {
	if err := l.Valid(); err != nil {
		return Decision{}, err
	}
	res, err := r.limiter.Allow(ctx, r.prefix+key, redis_rate.Limit{Rate: l.Rate, Period: l.Period, Burst: l.Burst})
	if err != nil {
		return Decision{}, fmt.Errorf("ratelimit: redis: %w", err)
	}
	if res.Allowed > 0 {
		return Decision{Allowed: true, Remaining: res.Remaining}, nil
	}
	return Decision{RetryAfter: res.RetryAfter}, nil
}
