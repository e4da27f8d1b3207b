package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"policybot/internal/apispec"
	"policybot/session/storetest"
)

// randomClient returns an address of the benchmarking network 198.18.0.0/15
// for the client a test's requests come from through a trusted proxy, so
// that runs of the test do not share a budget in Redis.
func randomClient() string {
	n := rand.N(1 << 17)
	return fmt.Sprintf("198.%d.%d.%d", 18+n>>16, n>>8&0xff, n&0xff)
}

// get asks p for path as client (by X-Forwarded-For; none when "") with
// hc, checks the answer against the API description and returns its status
// and Retry-After.
func (p *program) get(t *testing.T, hc *http.Client, path, client string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+path, nil)
	if client != "" {
		req.Header.Set("X-Forwarded-For", client)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	if err := apispec.Must(t).Check(req, resp.StatusCode, resp.Header, raw); err != nil {
		t.Error(err)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// TestRateLimitsByDefault runs serve with its default limits behind a
// trusted proxy on loopback: a client that X-Forwarded-For names is
// refused once it has spent the burst of 60 and what 10 a second refilled
// meanwhile, while loopback itself, exempt by default, is not limited.
func TestRateLimitsByDefault(t *testing.T) {
	p := startServe(t, nil, "--trusted-proxies", "127.0.0.1/32")
	client := randomClient()
	start := time.Now()
	allowed, refused := 0, false
	for range 600 {
		status, retryAfter := p.get(t, http.DefaultClient, "/v1/policies", client)
		if status == http.StatusTooManyRequests {
			if retryAfter != "1" {
				t.Errorf("Retry-After %q; want 1 (10 requests a second)", retryAfter)
			}
			refused = true
			break
		}
		if status != http.StatusOK {
			t.Fatalf("request %d: %d", allowed+1, status)
		}
		allowed++
	}
	// Each 100 ms the test took refilled one request.
	if bound := 60 + int(time.Since(start)/(100*time.Millisecond)) + 1; !refused || allowed > bound {
		t.Errorf("%d requests allowed, refused %v; want a 429 after at most %d", allowed, refused, bound)
	}
	for range 3 {
		if status, _ := p.get(t, http.DefaultClient, "/v1/policies", ""); status != http.StatusOK {
			t.Errorf("loopback, exempt by default: %d; want 200", status)
		}
	}
}

// TestRateLimitsAcrossReplicas runs two servers on one real Redis: a client
// that spent its budget at the first is refused at the second, and another
// client is not.
func TestRateLimitsAcrossReplicas(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.RedisURL(t)}
	args := []string{"--trusted-proxies", "127.0.0.1/32", "--address-rate", "1", "--address-burst", "3"}
	a, b := startServe(t, vars, args...), startServe(t, vars, args...)
	client := randomClient()
	for i, path := range []string{"/v1/policies", "/v1/facts", "/v1/search?q=节能奖励"} {
		if status, _ := a.get(t, http.DefaultClient, path, client); status != http.StatusOK {
			t.Fatalf("request %d at the first server: %d", i+1, status)
		}
	}
	if status, retryAfter := b.get(t, http.DefaultClient, "/v1/policies", client); status != http.StatusTooManyRequests || retryAfter != "60" {
		t.Errorf("the same client at the second server: %d, Retry-After %q; want 429 after 60 s", status, retryAfter)
	}
	if status, _ := b.get(t, http.DefaultClient, "/v1/policies", randomClient()); status != http.StatusOK {
		t.Errorf("another client at the second server: %d; want 200", status)
	}
}

// TestRateLimitsRedisFaults runs serve on a Redis that stalls (it takes
// connections and never answers) and on one that is down: the limit of
// the process still applies, each request answers from memory at the
// 100 ms deadline, where without it a stalled Redis would hold it for the
// client's read timeout of 30 s (the client gives up after 5), and the log
// says so.
func TestRateLimitsRedisFaults(t *testing.T) {
	stalled := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				t.Cleanup(func() { conn.Close() })
				go func() { _, _ = io.Copy(io.Discard, conn) }()
			}
		}()
		return ln.Addr().String()
	}
	down := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
		return ln.Addr().String()
	}
	for _, tt := range []struct {
		name  string
		redis func(*testing.T) string
	}{
		{"stalled", stalled},
		{"down", down},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"REDIS_URL": "redis://" + tt.redis(t) + "/0?read_timeout=30s&write_timeout=30s"}
			p := startServe(t, vars, "--rate-limit-exempt", "", "--address-rate", "1", "--address-burst", "3", "--rate-limit-timeout", "100ms")
			hc := &http.Client{Timeout: 5 * time.Second}
			var got []string
			for _, path := range []string{"/v1/policies", "/v1/search?q=节能奖励", "/v1/facts", "/v1/policies", "/v1/facts"} {
				status, retryAfter := p.get(t, hc, path, "")
				got = append(got, fmt.Sprint(status, " ", retryAfter))
			}
			if want := "200 ,200 ,200 ,429 60,429 60"; strings.Join(got, ",") != want {
				t.Errorf("answers %s; want %s", strings.Join(got, ","), want)
			}
			if logs := p.stdout.String(); !strings.Contains(logs, `"msg":"rate limit decided in memory"`) {
				t.Errorf("the log does not say the limit was decided in memory:\n%s", logs)
			}
		})
	}
}
