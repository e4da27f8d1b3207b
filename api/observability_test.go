package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"policybot/api"
	"policybot/internal/apispec"
	"policybot/metrics"
)

// withMetrics counts into m, which serves the library's version as serve
// has it do.
func withMetrics(m *metrics.Metrics) option {
	return func(_ *api.Config, d *api.Deps) {
		d.Metrics = m
		lib, release := d.Library()
		version := lib.LibraryVersion()
		release()
		m.Library(func() string { return version })
	}
}

// get answers a GET of path as text.
func get(t *testing.T, base, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// TestMetricsEndpoint checks that GET /metrics counts the requests answered
// before it by route template and status, with their latencies, the match
// results and chat turns, and names the library served.
func TestMetricsEndpoint(t *testing.T) {
	m := metrics.New("v9.9.9", slog.New(slog.DiscardHandler))
	ts := newTestServer(t, withMetrics(m))
	lib, _ := world()
	_, match := ts.do(t, "POST", "/v1/match", `{"profile":{"region":"南康区","industry":"modern_light_textile","is_industrial":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000}}`)
	byStatus := map[string]int{}
	for _, r := range match["results"].([]any) {
		byStatus[r.(map[string]any)["status"].(string)]++
	}
	if len(byStatus) == 0 {
		t.Fatal("the match answered no result to count")
	}
	ts.do(t, "POST", "/v1/match", `{"profile":{"revenue":1}}`)
	ts.do(t, "GET", "/v1/clauses/ganzhou-2014-26/十七.1", "")
	ts.do(t, "GET", "/v1/clauses/ganzhou-2014-26/九十.1", "")
	ts.do(t, "GET", "/v1/no/such/route", "")
	_, chat := ts.do(t, "POST", "/v1/chat", `{"message":"你好"}`)

	status, got, header := get(t, ts.URL, "/metrics")
	if status != 200 || !strings.HasPrefix(header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", status, header.Get("Content-Type"))
	}
	for _, want := range []string{
		`policybot_http_requests_total{method="POST",route="/v1/match",status="200"} 1`,
		`policybot_http_requests_total{method="POST",route="/v1/match",status="400"} 1`,
		`policybot_http_requests_total{method="GET",route="/v1/clauses/:id/:article",status="200"} 1`,
		`policybot_http_requests_total{method="GET",route="/v1/clauses/:id/:article",status="404"} 1`,
		// A path of no route is one series, whatever was asked.
		`policybot_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`policybot_http_request_duration_seconds_count{method="POST",route="/v1/match"} 2`,
		`policybot_http_errors_total{code="invalid_argument",route="/v1/match"} 1`,
		`policybot_http_errors_total{code="not_found",route="/v1/clauses/:id/:article"} 1`,
		`policybot_chat_turns_total{intent="` + chat["intent"].(string) + `"} 1`,
		`policybot_library_info{version="` + lib.LibraryVersion() + `"} 1`,
		`policybot_build_info{go_version="` + runtime.Version() + `",version="v9.9.9"} 1`,
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for status, n := range byStatus {
		if want := fmt.Sprintf(`policybot_match_results_total{status="%s"} %d`, status, n); !strings.Contains(got, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(got, "/v1/no/such/route") {
		t.Error("/metrics has a label of a path no route serves")
	}
}

// TestMetricsListeners checks that /metrics is served on the internal
// listener and not on the internet's, and not at all without metrics.
func TestMetricsListeners(t *testing.T) {
	lib, err := world()
	if err != nil {
		t.Fatal(err)
	}
	deps := api.Deps{Library: func() (api.Library, func()) { return lib, func() {} }, Metrics: metrics.New("dev", slog.New(slog.DiscardHandler))}
	srv := api.NewServer(api.Config{}, deps)
	bare := api.NewServer(api.Config{}, api.Deps{Library: deps.Library})
	for _, tt := range []struct {
		name string
		h    http.Handler
		want int
	}{
		{"one listener", srv.Handler(), 200},
		{"internal", srv.InternalHandler(), 200},
		{"public", srv.PublicHandler(), 404},
		{"no metrics", bare.Handler(), 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hs := httptest.NewServer(apispec.Must(t).Handler(t, tt.h))
			defer hs.Close()
			if status, body, _ := get(t, hs.URL, "/metrics"); status != tt.want {
				t.Errorf("GET /metrics = %d, want %d: %.200s", status, tt.want, body)
			}
		})
	}
}

// TestVersion checks that GET /version names the build given, the Go that
// built it and the library served, and that the match and chat answers
// name the same library.
func TestVersion(t *testing.T) {
	lib, _ := world()
	tests := []struct {
		name, version, commit string
	}{
		{"stamped", "v1.4.0", "0123456789abcdef0123456789abcdef01234567"},
		{"no commit", "dev", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *api.Config, _ *api.Deps) { c.Version, c.Commit = tt.version, tt.commit })
			status, body := ts.do(t, "GET", "/version", "")
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			commit, hasCommit := body["commit"]
			if body["version"] != tt.version || body["go_version"] != runtime.Version() ||
				body["library_version"] != lib.LibraryVersion() || hasCommit != (tt.commit != "") || (hasCommit && commit != tt.commit) {
				t.Errorf("GET /version = %v", body)
			}
			_, match := ts.do(t, "POST", "/v1/match", `{"profile":{}}`)
			_, chat := ts.do(t, "POST", "/v1/chat", `{"message":"你好"}`)
			for name, b := range map[string]map[string]any{"match": match, "chat": chat} {
				if b["library_version"] != body["library_version"] {
					t.Errorf("%s answers library_version %v, /version %v", name, b["library_version"], body["library_version"])
				}
			}
		})
	}
}

// down is a backing service that does not answer.
type down struct{}

func (down) Ping(context.Context) error {
	return errors.New("dial tcp 127.0.0.1:1: connection refused")
}

// TestReadyLibrary checks that /readyz/library asks nothing of the backing
// services: with Redis down it answers 200 where /readyz answers 503.
func TestReadyLibrary(t *testing.T) {
	lib, _ := world()
	ts := newTestServer(t, func(_ *api.Config, d *api.Deps) { d.Ready = []api.Pinger{down{}} })
	status, body := ts.do(t, "GET", "/readyz/library", "")
	if status != 200 || body["status"] != "ready" || body["library_version"] != lib.LibraryVersion() {
		t.Errorf("GET /readyz/library = %d %v, want 200 ready with the library's version", status, body)
	}
	status, body = ts.do(t, "GET", "/readyz", "")
	if code, _, _ := errorOf(t, body); status != 503 || code != "unavailable" {
		t.Errorf("GET /readyz with Redis down = %d %v, want 503 unavailable", status, body)
	}
}

// TestAccessLogOfSuccess checks that an answered request's access-log line
// names no error.
func TestAccessLogOfSuccess(t *testing.T) {
	ts := newTestServer(t)
	if status, _ := ts.do(t, "GET", "/v1/policies", "", "X-Request-ID", "ok-1"); status != 200 {
		t.Fatalf("status %d", status)
	}
	line := ts.accessLog(t, "ok-1")
	if _, ok := line["error_code"]; ok || line["level"] != "INFO" || line["status"] != float64(200) {
		t.Errorf("access log %v, want an INFO line of status 200 without error_code", line)
	}
}

// closedIndex is a library whose search index was closed.
type closedIndex struct{ api.Library }

func (closedIndex) Ready() error { return errors.New("kb: index: bleve: index closed") }

// TestReadyLibraryClosedIndex checks that a library whose index is closed
// is not ready on either check.
func TestReadyLibraryClosedIndex(t *testing.T) {
	ts := newTestServer(t, func(_ *api.Config, d *api.Deps) {
		lib, _ := d.Library()
		d.Library = func() (api.Library, func()) { return closedIndex{lib}, func() {} }
	})
	for _, path := range []string{"/readyz/library", "/readyz"} {
		status, body := ts.do(t, "GET", path, "")
		if code, _, _ := errorOf(t, body); status != 503 || code != "unavailable" {
			t.Errorf("GET %s with the index closed = %d %v, want 503 unavailable", path, status, body)
		}
	}
}

// TestPprofOnlyOnAdmin checks that Go's profiler is served on the admin
// listener and on no other, and that the admin listener serves /metrics.
func TestPprofOnlyOnAdmin(t *testing.T) {
	lib, err := world()
	if err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(api.Config{}, api.Deps{
		Library: func() (api.Library, func()) { return lib, func() {} },
		Metrics: metrics.New("dev", slog.New(slog.DiscardHandler)),
	})
	listeners := map[string]http.Handler{
		"one listener": srv.Handler(), "public": srv.PublicHandler(), "internal": srv.InternalHandler(), "admin": srv.AdminHandler(),
	}
	tests := []struct {
		path, want string
	}{
		{"/debug/pprof/", "goroutine"},
		{"/debug/pprof/goroutine?debug=1", "goroutine profile:"},
		{"/debug/pprof/heap?debug=1", "heap profile:"},
		{"/debug/pprof/cmdline", ""},
		{"/metrics", "policybot_build_info"},
	}
	for name, h := range listeners {
		hs := httptest.NewServer(apispec.Must(t).Handler(t, h))
		for _, tt := range tests {
			t.Run(name+tt.path, func(t *testing.T) {
				status, body, _ := get(t, hs.URL, tt.path)
				switch {
				case name == "admin":
					if status != 200 || !strings.Contains(body, tt.want) {
						t.Errorf("GET %s = %d %.200q, want 200 with %q", tt.path, status, body, tt.want)
					}
				case tt.path == "/metrics":
					// The internal listener's business; TestMetricsListeners.
				case status != 404 || !strings.Contains(body, `"not_found"`):
					t.Errorf("GET %s = %d %.200q, want the JSON 404", tt.path, status, body)
				}
			})
		}
		hs.Close()
	}

	hs := httptest.NewServer(srv.AdminHandler())
	defer hs.Close()
	status, body, _ := get(t, hs.URL, "/debug/pprof/nosuch")
	if status != 404 || !strings.Contains(body, `"field":"name"`) {
		t.Errorf("GET /debug/pprof/nosuch = %d %s, want the JSON 404 of field name", status, body)
	}
}
