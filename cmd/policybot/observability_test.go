package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// fetch answers a GET of url as text.
func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestServeObservability runs the program with its three listeners and its
// Redis on a port where nothing listens: the pod's own readiness holds, the
// metrics count the failed Redis calls and the database's, go-redis's own
// lines are in the JSON log, and the profiler is on the admin listener
// alone.
func TestServeObservability(t *testing.T) {
	p := startServe(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0?dial_timeout=200ms&max_retries=0"},
		"--internal-addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0")

	if status, body := p.call(t, "GET", "/readyz/library", ""); status != 200 || body["status"] != "ready" {
		t.Errorf("GET /readyz/library with Redis down = %d %v, want 200", status, body)
	}
	if status, body := p.call(t, "GET", "/readyz", ""); status != 503 {
		t.Errorf("GET /readyz with Redis down = %d %v, want 503", status, body)
	}
	status, version := p.call(t, "GET", "/version", "")
	if status != 200 || version["version"] == "" || version["library_version"] == "" {
		t.Errorf("GET /version = %d %v", status, version)
	}
	if status, _ := p.call(t, "GET", "/v1/clauses/ganzhou-2014-26/九十.1", ""); status != 404 {
		t.Errorf("a missing clause = %d, want 404", status)
	}

	for _, tt := range []struct {
		listener, addr string
		want           int
	}{{"public", p.addr, 404}, {"internal", p.internal, 404}, {"admin", p.admin, 200}} {
		if status, body := fetch(t, "http://"+tt.addr+"/debug/pprof/"); status != tt.want {
			t.Errorf("GET /debug/pprof/ on the %s listener = %d %.100q, want %d", tt.listener, status, body, tt.want)
		}
	}
	if status, _ := fetch(t, "http://"+p.addr+"/metrics"); status != 404 {
		t.Errorf("GET /metrics on the public listener = %d, want 404", status)
	}
	status, metrics := fetch(t, "http://"+p.internal+"/metrics")
	if status != 200 {
		t.Fatalf("GET /metrics on the internal listener = %d", status)
	}
	for _, want := range []string{
		`policybot_store_operations_total{backend="redis",op="ping",result="error"}`,
		`policybot_store_operations_total{backend="redis",op="dial",result="error"}`,
		// The retention purge runs at start.
		`policybot_store_operations_total{backend="database",op="PurgeCases",result="ok"} 1`,
		`policybot_store_operation_duration_seconds_count{backend="database",op="PurgeCases"} 1`,
		`policybot_library_info{version="` + version["library_version"].(string) + `"} 1`,
		`policybot_build_info{go_version="` + version["go_version"].(string) + `",version="` + version["version"].(string) + `"} 1`,
		`policybot_http_requests_total{method="GET",route="/readyz/library",status="200"} 1`,
		`policybot_http_requests_total{method="GET",route="/readyz",status="503"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if status, admin := fetch(t, "http://"+p.admin+"/metrics"); status != 200 || !strings.Contains(admin, "policybot_build_info") {
		t.Errorf("GET /metrics on the admin listener = %d", status)
	}

	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	var goRedis, notFound bool
	for _, line := range strings.Split(strings.TrimSpace(p.stdout.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		detail, _ := rec["detail"].(string)
		goRedis = goRedis || (rec["msg"] == "go-redis" && strings.Contains(detail, "failed to dial"))
		notFound = notFound || (rec["msg"] == "request" && rec["status"] == float64(404) &&
			rec["error_code"] == "not_found" && rec["error_field"] == "article")
	}
	if !goRedis {
		t.Error("no line of go-redis's own about the failed dial in the JSON log")
	}
	if !notFound {
		t.Error("no access-log line of the 404 with error_code not_found and error_field article")
	}
}

// TestServeNoAdminByDefault checks that without --admin-addr there is no
// third listener and no profiler anywhere.
func TestServeNoAdminByDefault(t *testing.T) {
	p := startServe(t, nil)
	if status, _ := fetch(t, "http://"+p.addr+"/debug/pprof/"); status != 404 {
		t.Errorf("GET /debug/pprof/ = %d, want 404", status)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(p.stdout.String(), `"msg":"listening"`); n != 1 {
		t.Errorf("%d listeners, want 1", n)
	}
}

// TestServeAdminWithoutInternal checks that the admin listener beside the
// one listener is logged as the admin's, not as the internal one.
func TestServeAdminWithoutInternal(t *testing.T) {
	p := startServe(t, nil, "--admin-addr", "127.0.0.1:0")
	if status, _ := fetch(t, "http://"+p.admin+"/debug/pprof/"); status != 200 {
		t.Errorf("GET /debug/pprof/ on the admin listener = %d, want 200", status)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"addr":"` + p.addr + `","internal":true,"admin":false`,
		`"addr":"` + p.admin + `","internal":false,"admin":true`,
	} {
		if !strings.Contains(p.stdout.String(), want) {
			t.Errorf("the log lacks %s", want)
		}
	}
}
