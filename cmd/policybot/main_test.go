package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/internal/apispec"
	"policybot/session/storetest"
)

// program is the whole binary running in-process, as `policybot serve`.
type program struct {
	addr string
	// internal is the internal listener's address, with --internal-addr,
	// and admin the admin listener's, with --admin-addr.
	internal string
	admin    string
	stdout   *lockedBuffer
	stop     func() error
}

type lockedBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func env(m map[string]string) envReader { return func(k string) string { return m[k] } }

// startServe runs serve on a free port until the test ends or stop is called.
func startServe(t *testing.T, vars map[string]string, args ...string) *program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 3) // --internal-addr and --admin-addr make more listeners
	done := make(chan error, 1)
	out := &lockedBuffer{}
	// Each server keeps its cases in a folder of its own test.
	dataDir := t.TempDir()
	go func() {
		done <- serve(ctx, append([]string{"--addr", "127.0.0.1:0", "--data-dir", dataDir}, args...), out, io.Discard, env(vars), listening)
	}()
	p := &program{stdout: out}
	select {
	case p.addr = <-listening:
		for _, l := range []struct {
			flag string
			addr *string
		}{{"--internal-addr", &p.internal}, {"--admin-addr", &p.admin}} {
			if !slices.Contains(args, l.flag) {
				continue
			}
			select {
			case *l.addr = <-listening:
			case <-time.After(30 * time.Second):
				t.Fatalf("the listener of %s did not start within 30s", l.flag)
			}
		}
	case err := <-done:
		cancel()
		t.Fatalf("serve ended before listening: %v\n%s", err, out)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not start within 30s")
	}
	var once sync.Once
	var stopErr error
	p.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(15 * time.Second):
				stopErr = context.DeadlineExceeded
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = p.stop() })
	return p
}

func (p *program) call(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://"+p.addr+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return p.do(t, req)
}

func (p *program) do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	method, path := req.Method, req.URL.Path
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	// Every answer of the whole binary must fit the API description too.
	if err := apispec.Must(t).Check(req, resp.StatusCode, resp.Header, raw); err != nil {
		t.Error(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// TestServe runs the program with no other service, as on a fresh clone,
// and stops it the way SIGTERM does.
func TestServe(t *testing.T) {
	p := startServe(t, nil)
	if status, _ := p.call(t, "GET", "/healthz", ""); status != 200 {
		t.Errorf("healthz = %d", status)
	}
	if status, body := p.call(t, "GET", "/readyz", ""); status != 200 {
		t.Errorf("readyz = %d %v", status, body)
	}
	status, body := p.call(t, "GET", "/v1/search?q="+"企业债券融资有奖励吗", "")
	if status != 200 {
		t.Fatalf("search = %d %v", status, body)
	}
	if first := body["hits"].([]any)[0].(map[string]any); first["article"] != "十六.4" {
		t.Errorf("first hit %v, want 十六.4", first["article"])
	}
	if err := p.stop(); err != nil {
		t.Errorf("graceful stop: %v", err)
	}
	logs := p.stdout.String()
	for _, want := range []string{`"msg":"listening"`, `"msg":"stopped"`, `"request_id"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

// TestSessionsSurviveRestart has two turns, restarts the server, and checks
// that the third turn still knows the facts of the first two.
func TestSessionsSurviveRestart(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.RedisURL(t)}
	first := startServe(t, vars)
	_, r1 := first.call(t, "POST", "/v1/chat", `{"message":"我们是章贡区的电子信息工业企业,今年主营业务收入6亿元,过去最高4.8亿元"}`)
	sid, _ := r1["session_id"].(string)
	if sid == "" {
		t.Fatalf("no session id: %v", r1)
	}
	first.call(t, "POST", "/v1/chat", `{"session_id":"`+sid+`","message":"是的,盈利"}`)
	if err := first.stop(); err != nil {
		t.Fatal(err)
	}

	second := startServe(t, vars)
	status, r3 := second.call(t, "POST", "/v1/chat", `{"session_id":"`+sid+`","message":"今年还发行了3亿元企业债"}`)
	if status != 200 {
		t.Fatalf("third turn = %d %v", status, r3)
	}
	profile, _ := json.Marshal(r3["profile"])
	for _, want := range []string{`"main_revenue_cny":600000000`, `"prior_max_revenue_cny":480000000`, `"profitable":true`, `"bond_financing_cny":300000000`} {
		if !strings.Contains(string(profile), want) {
			t.Errorf("profile after restart %s lacks %s", profile, want)
		}
	}
	results, _ := json.Marshal(r3["results"])
	for _, want := range []string{`"article":"十七.1"`, `"article":"十六.4"`} {
		if !strings.Contains(string(results), want) {
			t.Errorf("results after restart lack %s: %s", want, results)
		}
	}
}

// TestRedisDown checks that without Redis the chat answers 503 with a clear
// error and /readyz fails, while match and search keep working.
func TestRedisDown(t *testing.T) {
	p := startServe(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0?dial_timeout=200ms&max_retries=0"})
	status, body := p.call(t, "POST", "/v1/chat", `{"message":"你好"}`)
	if status != 503 {
		t.Errorf("chat = %d %v, want 503", status, body)
	}
	if e, _ := body["error"].(map[string]any); e == nil || !strings.Contains(e["message"].(string), "不可用") {
		t.Errorf("chat error %v does not say the store is unavailable", body)
	}
	if status, _ := p.call(t, "GET", "/readyz", ""); status != 503 {
		t.Errorf("readyz = %d, want 503", status)
	}
	if status, _ := p.call(t, "POST", "/v1/match", `{"profile":{"bond_financing_cny":500000000}}`); status != 200 {
		t.Errorf("match = %d, want 200", status)
	}
	if status, _ := p.call(t, "GET", "/v1/search?q=节能奖励", ""); status != 200 {
		t.Errorf("search = %d, want 200", status)
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*config) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(c *config) bool {
			return c.Addr == ":8080" && c.SessionTTL == 30*time.Minute && c.AnonymousChat && c.RedisURL == "" &&
				c.IntegratorRate == 20 && c.IntegratorBurst == 40 && c.GCPercent == 400
		}, ""},
		{"default limits", nil, nil, func(c *config) bool {
			l := c.Limits
			return l.Address == rate{600, 60} && l.User == rate{30, 10} && l.Login == rate{20, 10} &&
				len(l.TrustedProxies) == 0 && fmt.Sprint(l.Exempt) == "[127.0.0.0/8 ::1/128]" && l.Timeout == 100*time.Millisecond
		}, ""},
		{"limits", []string{"--address-rate", "0", "--user-rate", "5", "--user-burst", "2", "--trusted-proxies", "10.0.0.0/8, 192.168.1.7,2001:db8::/32", "--rate-limit-timeout", "50ms"},
			map[string]string{"POLICYBOT_LOGIN_RATE": "3", "POLICYBOT_RATE_LIMIT_EXEMPT": "none"}, func(c *config) bool {
				l := c.Limits
				return l.Address.Rate == 0 && l.User == rate{5, 2} && l.Login == rate{3, 10} && l.Exempt == nil &&
					fmt.Sprint(l.TrustedProxies) == "[10.0.0.0/8 192.168.1.7/32 2001:db8::/32]" && l.Timeout == 50*time.Millisecond
			}, ""},
		{"empty exempt list", []string{"--rate-limit-exempt", ""}, nil, func(c *config) bool { return c.Limits.Exempt == nil }, ""},
		{"zero integrator rate turns it off", []string{"--integrator-rate", "0"}, nil, func(c *config) bool { return c.IntegratorRate == 0 }, ""},
		{"integrator rate", []string{"--integrator-rate", "5"}, map[string]string{"POLICYBOT_INTEGRATOR_BURST": "8"}, func(c *config) bool {
			return c.IntegratorRate == 5 && c.IntegratorBurst == 8
		}, ""},
		{"env", nil, map[string]string{"POLICYBOT_ADDR": ":9090", "REDIS_URL": "redis://x:6379/1", "POLICYBOT_SESSION_TTL": "5m"}, func(c *config) bool {
			return c.Addr == ":9090" && c.RedisURL == "redis://x:6379/1" && c.SessionTTL == 5*time.Minute
		}, ""},
		{"flag beats env", []string{"--addr", ":7070"}, map[string]string{"POLICYBOT_ADDR": ":9090"}, func(c *config) bool { return c.Addr == ":7070" }, ""},
		{"bad env duration", nil, map[string]string{"POLICYBOT_SESSION_TTL": "soon"}, nil, "POLICYBOT_SESSION_TTL"},
		{"bad env bool", nil, map[string]string{"POLICYBOT_ANONYMOUS_CHAT": "maybe"}, nil, "POLICYBOT_ANONYMOUS_CHAT"},
		{"secret without appid", []string{"--wechat-secret", "s"}, nil, nil, "wechat-appid"},
		{"subscribe template without fields", []string{"--wechat-appid", "a", "--wechat-secret", "s", "--wechat-subscribe-template", "T"}, nil, nil, "wechat-subscribe-fields"},
		{"subscribe template without appid", []string{"--wechat-subscribe-template", "T", "--wechat-subscribe-fields", "f.yaml"}, nil, nil, "wechat-appid"},
		{"bad log level", []string{"--log-level", "loud"}, nil, nil, "log-level"},
		{"stray argument", []string{"extra"}, nil, nil, "extra"},
		{"zero ttl flag", []string{"--session-ttl", "0"}, nil, nil, "session-ttl"},
		{"negative timeout flag", []string{"--read-timeout", "-5s"}, nil, nil, "read-timeout"},
		{"zero body limit flag", []string{"--max-body-bytes", "0"}, nil, nil, "max-body-bytes"},
		{"gc percent from env", nil, map[string]string{"POLICYBOT_GC_PERCENT": "150"}, func(c *config) bool { return c.GCPercent == 150 }, ""},
		{"gc percent out of range", []string{"--gc-percent", "20000"}, nil, nil, "gc-percent"},
		{"bad env integrator burst", nil, map[string]string{"POLICYBOT_INTEGRATOR_BURST": "-1"}, nil, "POLICYBOT_INTEGRATOR_BURST"},
		{"zero burst of a limit on", []string{"--login-burst", "0"}, nil, nil, "--login-rate 0"},
		{"negative rate flag", []string{"--address-rate", "-1"}, nil, nil, "address-rate"},
		{"bad env rate", nil, map[string]string{"POLICYBOT_USER_RATE": "many"}, nil, "POLICYBOT_USER_RATE"},
		{"bad trusted proxy", []string{"--trusted-proxies", "10.0.0.0/33"}, nil, nil, "trusted-proxies"},
		{"bad env exempt network", nil, map[string]string{"POLICYBOT_RATE_LIMIT_EXEMPT": "loopback"}, nil, "POLICYBOT_RATE_LIMIT_EXEMPT"},
		{"zero rate-limit timeout", []string{"--rate-limit-timeout", "0s"}, nil, nil, "rate-limit-timeout"},
		// The HTTP hardening: the header limit, the CORS origins, the content check.
		{"default header limit and origins", nil, nil, func(c *config) bool {
			return c.MaxHeaderBytes == 16<<10 && c.CORSOrigins == nil
		}, ""},
		{"Origins", nil, map[string]string{"POLICYBOT_CORS_ORIGINS": "https://App.Example.gov.cn, http://localhost:3000/"}, func(c *config) bool {
			return slices.Equal(c.CORSOrigins, []string{"https://app.example.gov.cn", "http://localhost:3000"})
		}, ""},
		{"HeaderLimit", []string{"--max-header-bytes", "32768"}, nil, func(c *config) bool { return c.MaxHeaderBytes == 32768 }, ""},
		{"WildcardOrigin", []string{"--cors-origins", "*"}, nil, nil, "cors-origins"},
		{"OriginWithPath", []string{"--cors-origins", "https://a.example/app"}, nil, nil, "cors-origins"},
		{"OriginWithoutScheme", []string{"--cors-origins", "a.example"}, nil, nil, "cors-origins"},
		{"ZeroHeaderLimit", []string{"--max-header-bytes", "0"}, nil, nil, "max-header-bytes"},
		{"ContentCheck", []string{"--wechat-appid", "wx1", "--wechat-secret", "s", "--wechat-content-check"}, nil, func(c *config) bool { return c.WeChatContentCheck }, ""},
		{"ContentCheckWithoutAppID", nil, map[string]string{"POLICYBOT_WECHAT_CONTENT_CHECK": "true"}, nil, "wechat-appid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := parseServeConfig(tt.args, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("config = %+v", c)
			}
		})
	}
}

func TestConfigLogMasksSecrets(t *testing.T) {
	c, _, err := parseServeConfig([]string{"--wechat-appid", "wx1", "--wechat-secret", "topsecret", "--redis-url", "redis://:hunter2@h:6379/0"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.LogValue().String(); strings.Contains(s, "topsecret") || strings.Contains(s, "hunter2") || !strings.Contains(s, "wx1") {
		t.Errorf("logged config leaks a secret: %s", s)
	}
}

func TestTools(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(profile, []byte(`{"region":"南康区","industry":"modern_light_textile","is_industrial":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000,"profitable":true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(t.TempDir(), "rules.yaml")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"kb test", []string{"kb", "test"}, 0, []string{"0 failed", "十七.1"}},
		{"kb ingest the seed", []string{"kb", "ingest", "../../kb/data/ganzhou-2014-26/source.txt"}, 0, []string{"doc_no: 赣市府发〔2014〕26号", "article: 十七.1"}},
		{"kb ingest a missing file", []string{"kb", "ingest", "nope.txt"}, 1, nil},
		{"kb ingest with a draft", []string{"kb", "ingest", "--draft", draft, "../../kb/data/ganzhou-2014-26/source.txt"}, 0, []string{"article: 十七.1"}},
		{"match", []string{"match", "--profile", profile, "--as-of", "2026-11-27"}, 0, []string{"十七.1", "符合", "5万元", "判断日期 2026-11-27"}},
		{"match without profile", []string{"match"}, 2, nil},
		{"unknown command", []string{"frobnicate"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errOut, env(nil))
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out.String(), errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
	// The draft quotes the seed's 1‰ bond award (十六.4).
	raw, err := os.ReadFile(draft)
	if err != nil || !strings.Contains(string(raw), "per_mille: 1, article: 十六.4") {
		t.Errorf("kb ingest --draft wrote %q, %v; want the bond award of 十六.4", raw, err)
	}
}
