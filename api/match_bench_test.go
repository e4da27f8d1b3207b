package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"policybot/api"
)

// matchBody is the request of deployments/load/match.lua.
const matchBody = `{"profile": {"applicant_type":"enterprise","region":"南康区","industry":"modern_light_textile","is_industrial":true,"enterprise_scale":"medium","main_revenue_cny":1100000000,"prior_max_revenue_cny":990000000,"profitable":true,"bond_financing_cny":300000000,"listing_status":"preparing","project_productive_assets_cny":200000000,"project_investment_cny":250000000,"project_policy_compliant":true,"project_in_production_within_2y":true,"pays_social_insurance":true,"informatization_demo":"provincial","energy_saving_tce":800,"indicators_grew_yoy":true,"energy_product_certified":true,"attends_official_expo":true}, "as_of": "2026-11-27"}`

// BenchmarkMatch measures POST /v1/match of the load test's profile through
// the router, from the request body to the encoded answer.
func BenchmarkMatch(b *testing.B) {
	f, err := world()
	if err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	h := api.NewServer(api.Config{}, api.Deps{Library: func() (api.Library, func()) { return f, func() {} }, Now: fixedNow}).Handler()
	w := &countingWriter{header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/match", strings.NewReader(matchBody))
		req.Header.Set("Content-Type", "application/json")
		clear(w.header)
		w.code, w.n = 0, 0
		h.ServeHTTP(w, req)
		if w.code != http.StatusOK {
			b.Fatalf("status %d", w.code)
		}
	}
	b.SetBytes(int64(w.n))
}

// countingWriter is a ResponseWriter that keeps only the status and the
// size of the body, so that a benchmark counts the server's allocations
// and not those of a recorder's growing buffer.
type countingWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *countingWriter) Header() http.Header { return w.header }

func (w *countingWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}
