package session

import (
	"strings"
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

// TestOpenRedis checks that each topology gets its kind of client, without a
// server: clients connect on first use.
func TestOpenRedis(t *testing.T) {
	tests := []struct {
		url         string
		wantCluster bool
	}{
		{"redis://127.0.0.1:1/0", false},
		{"redis+sentinel://127.0.0.1:1?master_name=main", false},
		{"redis+cluster://127.0.0.1:1", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			client, err := OpenRedis(tt.url)
			if err != nil {
				t.Fatalf("OpenRedis: %v", err)
			}
			defer client.Close()
			if _, isCluster := client.(*redis.ClusterClient); isCluster != tt.wantCluster {
				t.Errorf("OpenRedis(%q) = %T, want a cluster client: %v", tt.url, client, tt.wantCluster)
			}
			if _, err := ratelimit.NewRedis(client, "policybot-test:"); err != nil {
				t.Errorf("OpenRedis(%q) is a client the rate limiter refuses: %v", tt.url, err)
			}
		})
	}
	if _, err := OpenRedis("http://localhost"); err == nil {
		t.Error("OpenRedis(http://localhost) succeeded, want an error")
	}
}
