package session

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Update gives up after maxUpdateAttempts conflicting writes. After the
// second conflict in a row it sleeps a random time below a bound that
// doubles from minUpdateBackoff to maxUpdateBackoff between attempts, so
// that writers racing for one key spread out instead of colliding again in
// lockstep; the first conflict is most often a stale cache, retried at once.
// The limit is generous, since giving up only turns contention into an
// error: 20 writers hammering one key under -race on 2 loaded cores needed
// up to 21 attempts.
const (
	maxUpdateAttempts = 100
	minUpdateBackoff  = time.Millisecond
	maxUpdateBackoff  = 16 * time.Millisecond
)

// Redis is a Store in Redis, shared by every instance of the service. Keys are
// stored as prefix+key with the TTL kept by Redis itself, and values as they
// are given, so that replicas of other versions read them too.
type Redis struct {
	client redis.UniversalClient
	prefix string
	ttl    time.Duration
	// cache, when not nil, holds values this store wrote or read.
	cache *writeCache
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

// Cached returns r keeping in process memory, up to maxBytes of values, the
// value each key last had when r wrote or read it, so that Update of a key
// it knows takes one round trip: its compare-and-set, which fails and
// answers with the newer value when another replica wrote the key since.
// The cache never decides what is stored; it saves the read. It panics if
// maxBytes is not positive.
func (r *Redis) Cached(maxBytes int) *Redis {
	if maxBytes <= 0 {
		panic("session: Cached needs a positive size")
	}
	c := *r
	c.cache = newWriteCache(maxBytes)
	return &c
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

// compareAndSet writes ARGV[2] to KEYS[1] with a TTL of ARGV[3] ms if the
// key still holds what the caller read: a value whose SHA-1 is ARGV[1], or
// nothing when ARGV[1] is empty. It returns 1 when it wrote; otherwise what
// the key holds, as an array of that one value, or an empty array when the
// key holds nothing, so that the caller's retry needs no read of its own.
// Comparing digests keeps the value a plain string that GETEX slides and
// that a WATCH of an older replica sees change.
var compareAndSet = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur then
  if redis.sha1hex(cur) ~= ARGV[1] then return {cur} end
elseif ARGV[1] ~= '' then
  return {}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`)

// Update replaces the value of key with fn(old), in one round trip when the
// store's cache has key (see Cached) and two otherwise: a GET, then the
// compareAndSet script (EVALSHA), which writes only if the key still holds
// what fn was given. When another client wrote the key in between, the
// script answers with the newer value, and fn runs again on it. An error of
// fn on a value from the cache is checked against Redis before it is
// returned: fn runs again on the value read.
//
// After maxUpdateAttempts conflicts in a row Update returns an error wrapping
// ErrUnavailable: callers should answer "try again later", as when Redis is down.
func (r *Redis) Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error {
	k := r.prefix + key
	// cached says old came from the cache, not yet from Redis.
	old, sum, cached := r.cache.get(k, time.Now())
	if !cached {
		var err error
		if old, sum, err = r.read(ctx, k); err != nil {
			r.cache.drop(k)
			return unavailable("update", err)
		}
	}
	ttl := strconv.FormatInt(r.ttl.Milliseconds(), 10)
	backoff := minUpdateBackoff
	for attempt := 1; ; attempt++ {
		value, err := fn(old)
		if err != nil {
			if !cached {
				return err
			}
			// fn refused what the cache holds, which may be stale.
			cached = false
			if old, sum, err = r.read(ctx, k); err != nil {
				r.cache.drop(k)
				return unavailable("update", err)
			}
			continue
		}
		start := time.Now()
		res, err := compareAndSet.Run(ctx, r.client, []string{k}, sum, value, ttl).Result()
		if err != nil {
			r.cache.drop(k)
			return unavailable("update", err)
		}
		cur, conflict := res.([]any)
		if !conflict {
			// Redis's expiry is at least ttl after start, so that the
			// cache gives the key up no later than Redis does.
			r.cache.put(k, clone(value), digest(value), start.Add(r.ttl))
			return nil
		}
		old, sum, cached = nil, "", false
		if len(cur) == 1 {
			v, _ := cur[0].(string)
			old = bytesOf(v)
			sum = digest(old)
		}
		r.cache.drop(k)
		if attempt == maxUpdateAttempts {
			return fmt.Errorf("%w: update: still conflicting after %d attempts", ErrUnavailable, maxUpdateAttempts)
		}
		if attempt > 1 {
			select {
			case <-ctx.Done():
				return unavailable("update", ctx.Err())
			case <-time.After(rand.N(backoff)):
			}
			backoff = min(2*backoff, maxUpdateBackoff)
		}
	}
}

// read returns the value of k, nil when absent, with the digest the
// compareAndSet script compares, "" when absent.
func (r *Redis) read(ctx context.Context, k string) ([]byte, string, error) {
	v, err := r.client.Get(ctx, k).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, "", nil
	case err != nil:
		return nil, "", err
	}
	old := bytesOf(v)
	return old, digest(old), nil
}

// digest is the SHA-1 of a value in hex, as the script's redis.sha1hex has
// it. It tells one value from another the store wrote, not from a forgery:
// a collision would at worst lose one write of the colliding session.
func digest(v []byte) string {
	h := sha1.Sum(v)
	return hex.EncodeToString(h[:])
}

// Delete removes key; deleting an absent key is not an error.
func (r *Redis) Delete(ctx context.Context, key string) error {
	r.cache.drop(r.prefix + key)
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
		// The cluster's hook bounds a command with its redirects.
		c.AddHook(hook)
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
	case topology == "" && u.Query().Has("addr"):
		// go-redis reads addr= only in its cluster and failover URLs, and
		// ours choose those by scheme, not by the query.
		err = errors.New("addr= names more nodes: use redis+cluster:// for a cluster, or redis+sentinel:// for Sentinels")
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
