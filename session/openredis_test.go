package session

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"policybot/internal/ratelimit"
)

// redisSummary is what a test checks of a redisConfig: the fields that the
// URL sets, whichever topology it names.
type redisSummary struct {
	Topology           string
	Network            string
	Addrs              []string
	DB                 int
	Master             string
	Username, Password string
	SentinelUsername   string
	SentinelPassword   string
	TLS                bool
	DialTimeout        time.Duration
}

func summarize(cfg redisConfig) redisSummary {
	switch {
	case cfg.sentinel != nil:
		o := cfg.sentinel
		return redisSummary{
			Topology: "sentinel", Addrs: o.SentinelAddrs, DB: o.DB, Master: o.MasterName,
			Username: o.Username, Password: o.Password,
			SentinelUsername: o.SentinelUsername, SentinelPassword: o.SentinelPassword,
			TLS: o.TLSConfig != nil, DialTimeout: o.DialTimeout,
		}
	case cfg.cluster != nil:
		o := cfg.cluster
		return redisSummary{
			Topology: "cluster", Addrs: o.Addrs,
			Username: o.Username, Password: o.Password,
			TLS: o.TLSConfig != nil, DialTimeout: o.DialTimeout,
		}
	default:
		o := cfg.node
		return redisSummary{
			Topology: "node", Network: o.Network, Addrs: []string{o.Addr}, DB: o.DB,
			Username: o.Username, Password: o.Password,
			TLS: o.TLSConfig != nil, DialTimeout: o.DialTimeout,
		}
	}
}

func TestParseRedisURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want redisSummary
	}{
		{"Node", "redis://cache.internal:6380/2", redisSummary{
			Topology: "node", Network: "tcp", Addrs: []string{"cache.internal:6380"}, DB: 2,
		}},
		{"NodeDefaults", "redis://", redisSummary{
			Topology: "node", Network: "tcp", Addrs: []string{"localhost:6379"},
		}},
		{"NodeAuthOptions", "redis://app:pw@cache.internal/0?dial_timeout=2s", redisSummary{
			Topology: "node", Network: "tcp", Addrs: []string{"cache.internal:6379"},
			Username: "app", Password: "pw", DialTimeout: 2 * time.Second,
		}},
		{"NodeTLS", "rediss://:pw@cache.internal:6380", redisSummary{
			Topology: "node", Network: "tcp", Addrs: []string{"cache.internal:6380"},
			Password: "pw", TLS: true,
		}},
		{"Unix", "unix:///run/redis/redis.sock?db=3", redisSummary{
			Topology: "node", Network: "unix", Addrs: []string{"/run/redis/redis.sock"}, DB: 3,
		}},
		{"Sentinel", "redis+sentinel://s1:26379/1?master_name=main&addr=s2:26379&addr=s3:26379&password=pw", redisSummary{
			Topology: "sentinel", Addrs: []string{"s1:26379", "s2:26379", "s3:26379"}, DB: 1,
			Master: "main", Password: "pw",
		}},
		{"SentinelTLS", "rediss+sentinel://sen:spw@s1:26379?master_name=main&dial_timeout=500ms", redisSummary{
			Topology: "sentinel", Addrs: []string{"s1:26379"}, Master: "main",
			SentinelUsername: "sen", SentinelPassword: "spw", TLS: true, DialTimeout: 500 * time.Millisecond,
		}},
		{"Cluster", "redis+cluster://n1:7000?addr=n2:7001&addr=n3:7002", redisSummary{
			Topology: "cluster", Addrs: []string{"n1:7000", "n2:7001", "n3:7002"},
		}},
		{"ClusterTLSDB0", "rediss+cluster://app:pw@n1:7000/0", redisSummary{
			Topology: "cluster", Addrs: []string{"n1:7000"}, Username: "app", Password: "pw", TLS: true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseRedisURL(tt.url)
			if err != nil {
				t.Fatalf("parseRedisURL(%q): %v", tt.url, err)
			}
			if diff := cmp.Diff(tt.want, summarize(cfg)); diff != "" {
				t.Errorf("parseRedisURL(%q) (-want +got):\n%s", tt.url, diff)
			}
		})
	}
}

func TestParseRedisURLErrors(t *testing.T) {
	const secret = "hunter2"
	tests := []struct {
		name, url, want string
	}{
		{"OtherScheme", "http://localhost:6379", `unknown scheme "http"`},
		{"UnknownTopology", "redis+shard://h:1", `unknown scheme "redis+shard"`},
		{"UnixCluster", "unix+cluster:///run/redis.sock", `unknown scheme "unix+cluster"`},
		{"SentinelWithoutMaster", "redis+sentinel://s1:26379", "needs master_name"},
		{"ClusterDB", "redis+cluster://n1:7000/3", "only database 0"},
		{"NodeWithAddrs", "redis://n1:7000?addr=n2:7001&addr=n3:7002", "use redis+cluster://"},
		{"UnknownOption", "redis://h:1?bogus=1", "unexpected option: bogus"},
		{"BadDB", "redis://h:1/x", "invalid database number"},
		{"Malformed", "redis://app:" + secret + "@ho st:1/", "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRedisURL(tt.url)
			if err == nil {
				t.Fatalf("parseRedisURL(%q) succeeded, want an error", tt.url)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "session: redis URL: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want one starting %q and containing %q", msg, "session: redis URL: ", tt.want)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error %q contains the password", msg)
			}
		})
	}
}

// TestOpenRedis checks that each topology gets its kind of client, whose
// timeouts left unset by the URL are the one given, without a server:
// clients connect on first use.
func TestOpenRedis(t *testing.T) {
	const timeout = 250 * time.Millisecond
	tests := []struct {
		url         string
		wantCluster bool
		want        clientTimeouts
	}{
		{"redis://127.0.0.1:1/0", false, clientTimeouts{timeout, timeout, timeout, timeout}},
		{"redis://127.0.0.1:1/0?read_timeout=100ms", false, clientTimeouts{timeout, 100 * time.Millisecond, timeout, timeout}},
		{"redis+sentinel://127.0.0.1:1?master_name=main", false, clientTimeouts{timeout, timeout, timeout, timeout}},
		{"redis+cluster://127.0.0.1:1?dial_timeout=2s", true, clientTimeouts{2 * time.Second, timeout, timeout, timeout}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			client, err := OpenRedis(tt.url, timeout)
			if err != nil {
				t.Fatalf("OpenRedis: %v", err)
			}
			defer client.Close()
			if _, isCluster := client.(*redis.ClusterClient); isCluster != tt.wantCluster {
				t.Errorf("OpenRedis(%q) = %T, want a cluster client: %v", tt.url, client, tt.wantCluster)
			}
			if diff := cmp.Diff(tt.want, timeoutsOf(client)); diff != "" {
				t.Errorf("OpenRedis(%q) timeouts (-want +got):\n%s", tt.url, diff)
			}
			if _, err := ratelimit.NewRedis(client, "policybot-test:"); err != nil {
				t.Errorf("OpenRedis(%q) is a client the rate limiter refuses: %v", tt.url, err)
			}
		})
	}
	if _, err := OpenRedis("http://localhost", timeout); err == nil {
		t.Error("OpenRedis(http://localhost) succeeded, want an error")
	}
	if _, err := OpenRedis("redis://127.0.0.1:1/0", 0); err == nil {
		t.Error("OpenRedis with no timeout succeeded, want an error")
	}
}

type clientTimeouts struct{ Dial, Read, Write, Pool time.Duration }

func timeoutsOf(c redis.UniversalClient) clientTimeouts {
	switch c := c.(type) {
	case *redis.ClusterClient:
		o := c.Options()
		return clientTimeouts{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout}
	case *redis.Client:
		o := c.Options()
		return clientTimeouts{o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout}
	}
	return clientTimeouts{}
}

// TestOpenRedisGivesUp checks that each call of each topology ends by the
// timeout on a server that takes connections and never answers, though
// the URL gives the client's own timeouts a minute and the caller's
// context has no deadline: the store then says Redis is unavailable.
func TestOpenRedisGivesUp(t *testing.T) {
	addr := silentServer(t)
	const slow = "dial_timeout=1m&read_timeout=1m&write_timeout=1m&pool_timeout=1m"
	for _, u := range []string{
		"redis://" + addr + "/0?" + slow,
		"redis+sentinel://" + addr + "?master_name=main&" + slow,
		"redis+cluster://" + addr + "?" + slow,
	} {
		t.Run(u, func(t *testing.T) {
			client, err := OpenRedis(u, 100*time.Millisecond)
			if err != nil {
				t.Fatalf("OpenRedis: %v", err)
			}
			defer client.Close()
			s := NewRedis(client, "policybot-test:", time.Minute)
			for name, call := range map[string]func(context.Context) error{
				"Get":  func(ctx context.Context) error { _, err := s.Get(ctx, "k"); return err },
				"Ping": s.Ping,
				"Update": func(ctx context.Context) error {
					return s.Update(ctx, "k", func([]byte) ([]byte, error) { return []byte("v"), nil })
				},
			} {
				if err := endsSoon(t, call); !errors.Is(err, ErrUnavailable) {
					t.Errorf("%s = %v, want ErrUnavailable", name, err)
				}
			}
		})
	}
}

// endsSoon returns what call returns, failing the test if it has not
// returned within a bound far beyond any timeout of the test: a hang.
func endsSoon(t *testing.T, call func(context.Context) error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call(context.Background()) }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("the call did not give up")
		return nil
	}
}

// silentServer returns the address of a server that accepts connections
// and reads what they send, answering nothing, as a stalled Redis does.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex // guards conns
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { _, _ = io.Copy(io.Discard, c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}
