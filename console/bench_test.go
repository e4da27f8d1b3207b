package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gin-gonic/gin"

	"policybot/console"
	"policybot/library"
	"policybot/matcher"
	"policybot/store"
)

// BenchmarkCasePage renders a case's page, the results of a full profile
// on the whole library, server-side: from the request to the last byte.
func BenchmarkCasePage(b *testing.B) {
	lib, err := openLibrary()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddStaff(ctx, store.NewStaff{Username: "wang", DisplayName: "王芳", Role: store.RoleSupervisor, Password: password}, store.Actor{Username: "bench"}); err != nil {
		b.Fatal(err)
	}
	cs, err := db.CreateCase(ctx, store.CaseInput{Enterprise: "阿里巴巴(中国)有限公司", CreditCode: "91330100716105852F", Facts: fullProfile(lib)}, store.Actor{Username: "wang"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := console.New(console.DefaultConfig, console.Deps{Store: db, Library: func() (*library.Library, func()) { return lib, func() {} }})
	if err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	c.Register(r)
	token, _, err := db.CreateSession(ctx, "wang", console.DefaultConfig.SessionTTL)
	if err != nil {
		b.Fatal(err)
	}
	path := "/console/cases/" + strconv.FormatInt(cs.ID, 10)
	var size int
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: "pb_console", Value: token})
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KB/page")
}

// fullProfile is a case's facts that say every yes/no fact of the library
// yes, with the seed's figures: the longest page and notice there are.
func fullProfile(lib *library.Library) store.Facts {
	facts := store.Facts{}
	for _, f := range lib.Facts() {
		if f.Kind == matcher.KindBool && f.Question != "" {
			facts[f.Key] = store.Fact{Value: json.RawMessage("true"), Source: store.SourceStaff}
		}
	}
	for k, v := range map[string]string{"region": `"南康区"`, "applicant_type": `"enterprise"`, "industry": `"modern_light_textile"`,
		"main_revenue_cny": "1200000000", "prior_max_revenue_cny": "900000000", "bond_financing_cny": "320000000"} {
		facts[k] = store.Fact{Value: json.RawMessage(v), Source: store.SourceStaff}
	}
	return facts
}
