package api_test

import (
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"policybot/api"
	"policybot/metrics"
)

// benchHandler is the whole router on the built-in library, logging JSON
// to nowhere and counting its metrics, as serve runs it but for the
// listener. Run with -bench-no-metrics, it counts nothing, to show what
// the metrics cost.
func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	f, err := world()
	if err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	var m api.Metrics
	if !*benchNoMetrics {
		m = metrics.New("bench", slog.New(slog.DiscardHandler))
	}
	return api.NewServer(api.Config{}, api.Deps{
		Library: func() (api.Library, func()) { return f, func() {} },
		Metrics: m,
		Log:     slog.New(api.LogHandler(slog.NewJSONHandler(io.Discard, nil), nil)),
		Now:     fixedNow,
	}).Handler()
}

var benchNoMetrics = flag.Bool("bench-no-metrics", false, "benchmark the router without metrics")

// BenchmarkMatchRoute measures POST /v1/match through the router, access
// log included: what the middleware costs shows against the match itself.
func BenchmarkMatchRoute(b *testing.B) {
	h := benchHandler(b)
	body := `{"profile":{"region":"章贡区","industry":"electronic_information","is_industrial":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000}}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/match", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkClauseRoute measures GET /v1/clauses/:id, a route that does
// little besides the middleware, so that its cost is most of the figure.
func BenchmarkClauseRoute(b *testing.B) {
	h := benchHandler(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/v1/clauses/%E5%8D%81%E4%B8%83.1", nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
