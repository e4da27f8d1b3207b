package metrics_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"policybot/metrics"
	"policybot/session/storetest"
)

// scrape returns what GET /metrics answers.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("scrape answered %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("scrape content type %q, want text/plain", ct)
	}
	return w.Body.String()
}

func wantLines(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("metrics lack the line %s", w)
		}
	}
}

func TestMetrics(t *testing.T) {
	m := metrics.New("v1.2.3", slog.New(slog.DiscardHandler))
	version := "lib-1"
	m.Library(func() string { return version })
	m.Request("/v1/clauses/:id", "GET", 200, "", 3*time.Millisecond)
	m.Request("/v1/clauses/:id", "GET", 404, "not_found", time.Millisecond)
	m.Request("unmatched", "other", 404, "not_found", time.Millisecond)
	m.MatchResult("eligible")
	m.MatchResult("eligible")
	m.ChatTurn("greeting")
	m.StoreCall(metrics.Database, "Case", 2*time.Millisecond, false)
	m.DatabaseCall("Case", time.Millisecond, true)
	got := scrape(t, m)
	wantLines(t, got,
		`policybot_http_requests_total{method="GET",route="/v1/clauses/:id",status="200"} 1`,
		`policybot_http_requests_total{method="GET",route="/v1/clauses/:id",status="404"} 1`,
		`policybot_http_requests_total{method="other",route="unmatched",status="404"} 1`,
		`policybot_http_request_duration_seconds_count{method="GET",route="/v1/clauses/:id"} 2`,
		`policybot_http_request_duration_seconds_bucket{method="GET",route="/v1/clauses/:id",le="0.001"} 1`,
		`policybot_http_errors_total{code="not_found",route="/v1/clauses/:id"} 1`,
		`policybot_match_results_total{status="eligible"} 2`,
		`policybot_chat_turns_total{intent="greeting"} 1`,
		`policybot_store_operations_total{backend="database",op="Case",result="ok"} 1`,
		`policybot_store_operations_total{backend="database",op="Case",result="error"} 1`,
		`policybot_store_operation_duration_seconds_count{backend="database",op="Case"} 2`,
		`policybot_library_info{version="lib-1"} 1`,
		`policybot_build_info{go_version="`+runtimeVersion(t, got)+`",version="v1.2.3"} 1`,
	)
	for _, w := range []string{"go_goroutines ", "process_resident_memory_bytes "} {
		if !strings.Contains(got, w) {
			t.Errorf("metrics lack %s", w)
		}
	}

	// A reload shows at the next scrape, the old version gone.
	version = "lib-2"
	got = scrape(t, m)
	wantLines(t, got, `policybot_library_info{version="lib-2"} 1`)
	if strings.Contains(got, "lib-1") {
		t.Error("the replaced library's version is still reported")
	}
}

// runtimeVersion returns the go_version label of policybot_build_info.
func runtimeVersion(t *testing.T, metrics string) string {
	t.Helper()
	_, rest, ok := strings.Cut(metrics, `policybot_build_info{go_version="`)
	if !ok {
		t.Fatal("no policybot_build_info")
	}
	v, _, _ := strings.Cut(rest, `"`)
	if !strings.HasPrefix(v, "go") {
		t.Errorf("go_version %q", v)
	}
	return v
}

func TestDeliveries(t *testing.T) {
	m := metrics.New("dev", slog.New(slog.DiscardHandler))
	var err error
	var deadline time.Time
	m.Deliveries(func(ctx context.Context) (map[string]int, error) {
		deadline, _ = ctx.Deadline()
		return map[string]int{"pending": 3, "dead": 0}, err
	})
	m.Request("/healthz", "GET", 200, "", time.Millisecond)
	start := time.Now()
	wantLines(t, scrape(t, m), `policybot_complaint_deliveries{state="pending"} 3`, `policybot_complaint_deliveries{state="dead"} 0`)
	if deadline.IsZero() || deadline.Sub(start) > 2*time.Second {
		t.Errorf("the deliveries were counted with deadline %v, want one within a second or so", deadline)
	}

	// A failing count leaves out the deliveries and nothing else.
	err = errors.New("database down")
	got := scrape(t, m)
	if strings.Contains(got, "policybot_complaint_deliveries{") {
		t.Error("deliveries reported although counting them failed")
	}
	wantLines(t, got, `policybot_http_requests_total{method="GET",route="/healthz",status="200"} 1`)
	// The handler counts a failed gathering once it has answered.
	wantLines(t, scrape(t, m), `promhttp_metric_handler_errors_total{cause="gathering"} 1`)
}

// TestRedisHook runs commands, a miss, a failing command and a pipeline on
// the test Redis through the hook.
func TestRedisHook(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	m := metrics.New("dev", slog.New(slog.DiscardHandler))
	client.AddHook(m.RedisHook())
	ctx := context.Background()
	if err := client.Set(ctx, prefix+"k", "v", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if err := client.Get(ctx, prefix+"missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("get of a missing key: %v", err)
	}
	if err := client.LPush(ctx, prefix+"k", "x").Err(); err == nil {
		t.Fatal("LPUSH on a string succeeded")
	}
	if _, err := client.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Get(ctx, prefix+"k")
		p.Expire(ctx, prefix+"k", time.Minute)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantLines(t, scrape(t, m),
		`policybot_store_operations_total{backend="redis",op="set",result="ok"} 1`,
		`policybot_store_operations_total{backend="redis",op="get",result="ok"} 1`,
		`policybot_store_operations_total{backend="redis",op="lpush",result="error"} 1`,
		`policybot_store_operations_total{backend="redis",op="pipeline",result="ok"} 1`,
		`policybot_store_operation_duration_seconds_count{backend="redis",op="set"} 1`,
	)
}

// TestRedisHookDialFailure checks that a Redis that cannot be reached shows
// as failed dials and commands.
func TestRedisHookDialFailure(t *testing.T) {
	opt, err := redis.ParseURL("redis://127.0.0.1:1/0?dial_timeout=200ms&max_retries=0")
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(opt)
	defer client.Close()
	m := metrics.New("dev", slog.New(slog.DiscardHandler))
	client.AddHook(m.RedisHook())
	if err := client.Get(context.Background(), "k").Err(); err == nil || errors.Is(err, redis.Nil) {
		t.Fatalf("get from nowhere: %v", err)
	}
	got := scrape(t, m)
	wantLines(t, got, `policybot_store_operations_total{backend="redis",op="get",result="error"} 1`)
	if !strings.Contains(got, `policybot_store_operations_total{backend="redis",op="dial",result="error"}`) {
		t.Error("no failed dial counted")
	}
}
