package ratelimit_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"policybot/internal/ratelimit"
	"policybot/internal/ratelimit/ratelimittest"
	"policybot/session/storetest"
)

// fallbackTimeout is the per-call timeout of these tests; an answer may
// take it and some scheduling on a loaded machine under -race.
const (
	fallbackTimeout = 100 * time.Millisecond
	schedulingSlack = 200 * time.Millisecond
)

// recorder collects the reasons a Fallback gives for deciding in memory.
type recorder struct {
	mu   sync.Mutex // guards whys
	whys []error
}

func (r *recorder) record(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.whys = append(r.whys, err)
}

func (r *recorder) all() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.whys...)
}

// timedAllow calls Allow and fails the test if it took longer than the
// timeout allows.
func timedAllow(t *testing.T, l ratelimit.Limiter, lim ratelimit.Limit) ratelimit.Decision {
	t.Helper()
	start := time.Now()
	d, err := l.Allow(t.Context(), "k", lim)
	if elapsed := time.Since(start); elapsed > fallbackTimeout+schedulingSlack {
		t.Errorf("Allow took %v, want the timeout of %v at most (and some scheduling)", elapsed, fallbackTimeout)
	}
	if err != nil {
		t.Fatalf("Allow: %v", err)
	}
	return d
}

// TestFallbackDeadRedis checks a Redis whose address nobody listens on: a
// port just closed. go-redis, as configured by default, retries the dial
// for half a second, but not past the context's deadline; the answer comes
// from memory within the timeout.
func TestFallbackDeadRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	client := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { client.Close() })
	primary, err := ratelimit.NewRedis(client, "policybot-test:")
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	f := ratelimit.NewFallback(primary, ratelimit.NewMemory(time.Now),
		ratelimit.FallbackOptions{Timeout: fallbackTimeout, OnFallback: rec.record})
	lim := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 2}
	for i, want := range []ratelimit.Decision{{Allowed: true, Remaining: 1}, {Allowed: true, Remaining: 0}} {
		if d := timedAllow(t, f, lim); d != want {
			t.Errorf("call %d = %+v, want %+v from memory", i+1, d, want)
		}
	}
	whys := rec.all()
	if len(whys) != 2 || errors.Is(whys[0], ratelimit.ErrCoolingDown) || !errors.Is(whys[1], ratelimit.ErrCoolingDown) {
		t.Errorf("OnFallback reasons = %v, want Redis's failure, then ErrCoolingDown", whys)
	}
}

// TestFallbackStalledRedis checks a Redis that stops answering and comes
// back. The stall is made in a proxy between the client and the test
// Redis, not with CLIENT PAUSE, which would stall the other packages'
// tests that share the server.
func TestFallbackStalledRedis(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	node, ok := client.(*redis.Client)
	if !ok {
		t.Skipf("the proxy stands before one node; POLICYBOT_TEST_REDIS_URL names a %T", client)
	}
	opt := node.Options()
	p := newStallProxy(t, opt.Addr)
	through := redis.NewClient(&redis.Options{Addr: p.addr(), DB: opt.DB, Username: opt.Username, Password: opt.Password, ContextTimeoutEnabled: true})
	t.Cleanup(func() { through.Close() })
	t.Cleanup(func() { client.Del(context.Background(), "rate:"+prefix+"k") })
	primary, err := ratelimit.NewRedis(through, prefix)
	if err != nil {
		t.Fatal(err)
	}

	clock := ratelimittest.NewFakeClock(time.Now())
	var rec recorder
	f := ratelimit.NewFallback(primary, ratelimit.NewMemory(clock.Now),
		ratelimit.FallbackOptions{Timeout: fallbackTimeout, CoolDown: time.Second, Now: clock.Now, OnFallback: rec.record})
	lim := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 10}

	// Redis counts the first event. Then, stalled, it is not asked again
	// during the cool-down, and memory, which has seen no event of the
	// key, counts the next ones from a full burst. Once Redis answers
	// again and the cool-down is over, Redis counts on from its own count.
	if d := timedAllow(t, f, lim); d.Remaining != 9 {
		t.Fatalf("first call = %+v, want 9 remaining, from Redis", d)
	}
	p.stall()
	if d := timedAllow(t, f, lim); d.Remaining != 9 {
		t.Errorf("call while Redis stalls = %+v, want 9 remaining, from memory", d)
	}
	if d := timedAllow(t, f, lim); d.Remaining != 8 {
		t.Errorf("call in the cool-down = %+v, want 8 remaining, from memory", d)
	}
	p.resume()
	clock.Advance(time.Second)
	if d := timedAllow(t, f, lim); d.Remaining != 8 {
		t.Errorf("call once Redis is back = %+v, want 8 remaining, from Redis", d)
	}
	whys := rec.all()
	if len(whys) != 2 || !errors.Is(whys[0], context.DeadlineExceeded) || !errors.Is(whys[1], ratelimit.ErrCoolingDown) {
		t.Errorf("OnFallback reasons = %v, want the deadline, then ErrCoolingDown", whys)
	}
}

// stallProxy forwards TCP connections to a server until stalled: from then
// on every byte that reaches it is dropped, and a connection that carried
// one stays silent for good, as a stalled server's would. After resume,
// new connections and those idle during the stall forward again.
type stallProxy struct {
	ln      net.Listener
	target  string
	stalled atomic.Bool

	mu    sync.Mutex // guards conns
	conns []net.Conn
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{ln: ln, target: target}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			var dead atomic.Bool
			wg.Go(func() { p.pump(c, up, &dead) })
			wg.Go(func() { p.pump(up, c, &dead) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		wg.Wait()
	})
	return p
}

func (p *stallProxy) addr() string { return p.ln.Addr().String() }
func (p *stallProxy) stall()       { p.stalled.Store(true) }
func (p *stallProxy) resume()      { p.stalled.Store(false) }

func (p *stallProxy) pump(src, dst net.Conn, dead *atomic.Bool) {
	defer src.Close()
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if p.stalled.Load() {
			dead.Store(true)
		}
		if dead.Load() {
			continue
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}
