package metrics

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisHook returns a go-redis hook that counts and times every dial,
// command and pipeline of the client it is added to, as calls of backend
// redis: a command by its name (get, evalsha), a pipeline or transaction
// as one call named pipeline.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m} }

type redisHook struct{ m *Metrics }

func (h redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		start := time.Now()
		conn, err := next(ctx, network, addr)
		h.m.StoreCall(Redis, "dial", time.Since(start), err != nil)
		return conn, err
	}
}

func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmd)
		h.m.StoreCall(Redis, cmd.Name(), time.Since(start), redisFailed(err))
		return err
	}
}

func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmds)
		failed := redisFailed(err)
		for _, cmd := range cmds {
			failed = failed || redisFailed(cmd.Err())
		}
		h.m.StoreCall(Redis, "pipeline", time.Since(start), failed)
		return err
	}
}

// redisFailed tells a failed call from one that answered; a key that does
// not exist (redis.Nil) is an answer.
func redisFailed(err error) bool { return err != nil && !errors.Is(err, redis.Nil) }
