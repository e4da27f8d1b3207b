package session

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Update gives up after maxUpdateAttempts conflicting transactions. Between
// attempts it sleeps a random time below a bound that doubles from
// minUpdateBackoff to maxUpdateBackoff, so that writers racing for one key
// spread out instead of colliding again in lockstep. The limit is generous,
// since giving up only turns contention into an error: 20 writers hammering
// one key under -race on 2 loaded cores needed up to 21 attempts.
const (
	maxUpdateAttempts = 100
	minUpdateBackoff  = time.Millisecond
	maxUpdateBackoff  = 16 * time.Millisecond
)

// Redis is a Store in Redis, shared by every instance of the service. Keys are
// stored as prefix+key with the TTL kept by Redis itself.
type Redis struct {
	client redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRedis returns a Redis store whose entries live under prefix and expire
// ttl after their last use. The TTL has millisecond precision. It panics if
// ttl is not positive, since Redis would then keep entries forever.
func NewRedis(client redis.UniversalClient, prefix string, ttl time.Duration) *Redis {
	if ttl <= 0 {
		panic("session: NewRedis needs a positive ttl")
	}
	return &Redis{client: client, prefix: prefix, ttl: ttl}
}

// Get returns the value of key and restarts its TTL in the same command
// (GETEX), or ErrNotFound.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := r.client.GetEx(ctx, r.prefix+key, r.ttl).Result()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, unavailable("get", err)
	}
	return bytesOf(v), nil
}

// Update replaces the value of key with fn(old) in an optimistic transaction:
// WATCH key, GET, fn, then MULTI SET PX EXEC, which Redis aborts if another
// client wrote key in between; fn then runs again on the new value. A Lua
// compare-and-set would have to send the old value back to compare it (chat
// sessions grow), or keep a version beside it, so that the value would no
// longer be a plain string that GETEX slides. WATCH needs neither, and works
// unchanged on one node, Sentinel and Cluster.
//
// After maxUpdateAttempts conflicts in a row Update returns an error wrapping
// ErrUnavailable: callers should answer "try again later", as when Redis is down.
func (r *Redis) Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error {
	k := r.prefix + key
	// fnErr tells fn's own error, returned as is, from the errors of Redis.
	var fnErr error
	txf := func(tx *redis.Tx) error {
		var old []byte
		v, err := tx.Get(ctx, k).Result()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return err
		default:
			old = bytesOf(v)
		}
		value, err := fn(old)
		if err != nil {
			fnErr = err
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, k, value, r.ttl)
			return nil
		})
		return err
	}

	backoff := minUpdateBackoff
	for range maxUpdateAttempts {
		err := r.client.Watch(ctx, txf, k)
		switch {
		case err == nil:
			return nil
		case fnErr != nil:
			return fnErr
		case !errors.Is(err, redis.TxFailedErr):
			return unavailable("update", err)
		}
		select {
		case <-ctx.Done():
			return unavailable("update", ctx.Err())
		case <-time.After(rand.N(backoff)):
		}
		backoff = min(2*backoff, maxUpdateBackoff)
	}
	return fmt.Errorf("%w: update: still conflicting after %d attempts", ErrUnavailable, maxUpdateAttempts)
}

// Delete removes key; deleting an absent key is not an error.
func (r *Redis) Delete(ctx context.Context, key string) error {
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return unavailable("delete", err)
	}
	return nil
}

// Ping reports whether Redis answers, with an error wrapping ErrUnavailable
// when it does not.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// unavailable wraps both ErrUnavailable, for callers to choose a status, and
// the Redis error, for their logs. Keys are left out: they may be tokens.
func unavailable(op string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}

// bytesOf copies a Redis string into a non-nil slice, so that an empty value
// reads as present rather than absent.
func bytesOf(s string) []byte {
	return append([]byte{}, s...)
}

// OpenRedis returns a client for the Redis that rawURL names. It does not
// connect: Ping a Store to check the server. The URL forms are those of
// go-redis's parsers, with a scheme suffix to choose the topology:
//
//	redis://[[user]:password@]host[:port][/db][?option=value&...]
//	rediss://...                    the same over TLS
//	unix://[[user]:password@]/path/to/redis.sock[?db=N&...]
//	redis+sentinel://[[user]:password@]host:port[/db]?master_name=NAME[&addr=host2:port2...][&username=U&password=P]
//	rediss+sentinel://...           the same over TLS
//	redis+cluster://[[user]:password@]host:port[?addr=host2:port2...]
//	rediss+cluster://...            the same over TLS
//
// The host defaults to localhost and the port to 6379. For Sentinel, host and
// each addr are sentinels, the user info authenticates to the sentinels, and
// the username and password parameters to the master. For Cluster, host and
// each addr are seed nodes, and there is only database 0. Options are go-redis
// field names in snake case, such as dial_timeout=1s, read_timeout=500ms,
// pool_size=20 or max_retries=2 (a plain number of seconds also works for
// durations); an unknown option is an error.
//
// Every dial, command and pipeline of the client gives up after timeout,
// and sooner when its caller's context says so (ContextTimeoutEnabled), so
// that a stalled Redis holds a call no longer than that: the rate limiter's
// fallback to memory depends on it, and the chat answers 503 in time. The
// dial, read, write and pool timeouts that the URL leaves unset are timeout
// too. A timeout that is not positive is an error.
func OpenRedis(rawURL string, timeout time.Duration) (redis.UniversalClient, error) {
	if timeout <= 0 {
		return nil, fmt.Errorf("session: redis timeout %v: want a positive duration", timeout)
	}
	cfg, err := parseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	hook := callDeadline(timeout)
	switch {
	case cfg.sentinel != nil:
		o := cfg.sentinel
		o.ContextTimeoutEnabled = true
		defaultTimeouts(timeout, &o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout)
		c := redis.NewFailoverClient(o)
		c.AddHook(hook)
		return c, nil
	case cfg.cluster != nil:
		o := cfg.cluster
		o.ContextTimeoutEnabled = true
		defaultTimeouts(timeout, &o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout)
		c := redis.NewClusterClient(o)
		// The cluster's hook bounds a command with its redirects; a
		// WATCH transaction runs on a node's own client, which needs
		// the hook of its own.
		c.AddHook(hook)
		c.OnNewNode(func(node *redis.Client) { node.AddHook(hook) })
		return c, nil
	default:
		o := cfg.node
		o.ContextTimeoutEnabled = true
		defaultTimeouts(timeout, &o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout)
		c := redis.NewClient(o)
		c.AddHook(hook)
		return c, nil
	}
}

// redisConfig is a parsed OpenRedis URL; exactly one field is set.
type redisConfig struct {
	node     *redis.Options
	sentinel *redis.FailoverOptions
	cluster  *redis.ClusterOptions
}

func parseRedisURL(rawURL string) (redisConfig, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// A *url.Error repeats the whole URL, password included: keep its reason only.
		if uerr, ok := errors.AsType[*url.Error](err); ok {
			err = uerr.Err
		}
		return redisConfig{}, fmt.Errorf("session: redis URL: %w", err)
	}
	scheme := u.Scheme
	base, topology, _ := strings.Cut(scheme, "+")
	// go-redis's parsers take redis:// and rediss:// for every topology.
	u.Scheme = base
	var cfg redisConfig
	switch {
	case base != "redis" && base != "rediss" && (base != "unix" || topology != ""):
		err = fmt.Errorf("unknown scheme %q", scheme)
	case topology == "":
		cfg.node, err = redis.ParseURL(u.String())
	case topology == "sentinel":
		cfg.sentinel, err = redis.ParseFailoverURL(u.String())
		if err == nil && cfg.sentinel.MasterName == "" {
			err = errors.New("a sentinel URL needs master_name")
		}
	case topology == "cluster":
		// ParseClusterURL ignores the path, which would silently drop a database number.
		if db := strings.Trim(u.Path, "/"); db != "" && db != "0" {
			err = errors.New("a cluster has only database 0")
		} else {
			cfg.cluster, err = redis.ParseClusterURL(u.String())
		}
	default:
		err = fmt.Errorf("unknown scheme %q", scheme)
	}
	if err != nil {
		return redisConfig{}, fmt.Errorf("session: redis URL: %w", err)
	}
	return cfg, nil
}
