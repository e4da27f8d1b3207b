package session

import (
	"context"
	"net"
	"time"

	"github.com/redis/go-redis/v9"
)

// callDeadline is a go-redis hook that gives each dial, command and
// pipeline at most its duration, whatever deadline the caller's context
// has or lacks. The client's own timeouts bound each socket read and
// write, not a call: with retries and a wait for a free connection, a
// call without a deadline on a stalled Redis could take several times
// the read timeout, and its request waits all that while.
type callDeadline time.Duration

var _ redis.Hook = callDeadline(0)

// DialHook bounds a new connection: for Sentinel it includes asking the
// sentinels where the master is.
func (d callDeadline) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
		defer cancel()
		return next(ctx, network, addr)
	}
}

func (d callDeadline) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
		defer cancel()
		return next(ctx, cmd)
	}
}

func (d callDeadline) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
		defer cancel()
		return next(ctx, cmds)
	}
}

// defaultTimeouts sets each of the client's timeouts that the URL left
// unset (zero) to d, so that what runs outside a call's deadline (a dial
// retried in the background, a health check) gives up as soon, rather
// than after go-redis's defaults of seconds.
func defaultTimeouts(d time.Duration, timeouts ...*time.Duration) {
	for _, t := range timeouts {
		if *t == 0 {
			*t = d
		}
	}
}
