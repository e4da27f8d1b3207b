package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"policybot/api"
	"policybot/complaints/sign"
	"policybot/internal/ratelimit"
	"policybot/kb"
	"policybot/library"
	"policybot/store"
	"policybot/store/storetest"
)

var integrationLibrary = sync.OnceValues(func() (*library.Library, error) { return library.Open(kb.Embedded(), "embedded") })

// The platform asks about a complaint of an unpaid 十七.1 award: the answer
// cites 十七.1 with its department and a reply, the same ticket asked again
// gets the same answer, the same ticket with another text 409, and an
// unsigned call 401.
func TestInboundComplaintAdvice(t *testing.T) {
	lib, err := integrationLibrary()
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t).Open(t, store.Options{Sealer: storetest.NewSealer(t)})
	now := time.Now()
	clock := func() time.Time { return now }
	key := sign.Key{ID: "pbk_live", Integrator: "gz12345", Algorithm: sign.HMACSHA256, Secret: []byte("s3cret-of-the-platform")}
	v := sign.NewVerifier(keyRing{keys: map[string]sign.Key{key.ID: key}}, sign.NewMemoryNonces(clock), clock)
	gin.SetMode(gin.ReleaseMode)
	s := api.NewServer(api.Config{}, api.Deps{})
	srv := httptest.NewServer(s.Handler(api.IntegrationRoutes(api.Integrations{
		Verifier: v, Inbound: db, Library: func() (*library.Library, func()) { return lib, func() {} }, Now: clock, MaxBody: 64 << 10,
	})))
	t.Cleanup(srv.Close)
	n := 0
	post := func(body string, signed bool) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/integrations/complaints", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if signed {
			n++
			if err := sign.SignAt(req, []byte(body), key, now, "nonce-of-the-call-"+string(rune('a'+n))); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	body := `{"ticket_id": "12345-2026-000101", "text": "南康区家具企业,去年主营业务收入首次突破10亿元且盈利,按赣市府发〔2014〕26号应奖励经营班子10万元,一直没有兑现", "facts": {"region": "南康区", "is_industrial": true, "main_revenue_cny": 1030000000, "prior_max_revenue_cny": 880000000}}`
	status, a := post(body, true)
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, a)
	}
	b, _ := json.Marshal(a)
	for _, want := range []string{`"article":"十七.1"`, "市财政局", "第十七条第一款", `"suggested_reply"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the advice lacks %s: %s", want, b)
		}
	}
	status, again := post(body, true)
	b2, _ := json.Marshal(again)
	if status != http.StatusOK || !bytes.Equal(b, b2) {
		t.Errorf("the same ticket again: %d, a different answer", status)
	}
	status, conflict := post(strings.Replace(body, "一直没有兑现", "部门推诿", 1), true)
	if status != http.StatusConflict || conflict["error"].(map[string]any)["field"] != "text" {
		t.Errorf("the same ticket, another text: %d %v", status, conflict)
	}
	if status, out := post(body, false); status != http.StatusUnauthorized {
		t.Errorf("unsigned: %d %v", status, out)
	}
	if status, out := post(`{"ticket_id": "", "text": "奖励没兑现"}`, true); status != http.StatusBadRequest || out["error"].(map[string]any)["field"] != "ticket_id" {
		t.Errorf("a bad ticket id: %d %v", status, out)
	}
}

// BenchmarkInboundAdvice measures the platform's question answered in
// process: the signature checked, the complaint advised on and recorded,
// a new ticket each time.
func BenchmarkInboundAdvice(b *testing.B) {
	lib, err := integrationLibrary()
	if err != nil {
		b.Fatal(err)
	}
	db := storetest.SQLite(b).Open(b, store.Options{Sealer: storetest.NewSealer(b)})
	key := sign.Key{ID: "pbk_live", Integrator: "gz12345", Algorithm: sign.HMACSHA256, Secret: []byte("s3cret-of-the-platform")}
	v := sign.NewVerifier(keyRing{keys: map[string]sign.Key{key.ID: key}}, sign.NewMemoryNonces(time.Now), time.Now)
	gin.SetMode(gin.ReleaseMode)
	h := api.NewServer(api.Config{}, api.Deps{}).Handler(api.IntegrationRoutes(api.Integrations{
		Verifier: v, Inbound: db, Library: func() (*library.Library, func()) { return lib, func() {} }, Now: time.Now, MaxBody: 64 << 10,
	}))
	i := 0
	for b.Loop() {
		i++
		body := fmt.Sprintf(`{"ticket_id": "bench-%d", "text": "去年主营业务收入首次突破10亿元且盈利,奖励一直没有兑现", "facts": {"region": "南康区", "main_revenue_cny": 1030000000, "prior_max_revenue_cny": 880000000, "profitable": true, "is_industrial": true}}`, i)
		req := httptest.NewRequest(http.MethodPost, "/v1/integrations/complaints", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if err := sign.SignAt(req, []byte(body), key, time.Now(), fmt.Sprintf("bench-nonce-%012d", i)); err != nil {
			b.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// TestIntegrationsAudit checks that both of the platform's routes leave an
// audit row, naming the integrator and its address, for what they change
// and for the call.
func TestIntegrationsAudit(t *testing.T) {
	e := newStatusEnv(t, nil, ratelimit.Limit{})
	tk := e.deliver(t, "GZ12345-0001")
	if r := e.post(t, "/v1/integrations/complaints", `{"ticket_id":"GZ12345-0001","text":"十七.1奖励至今未兑现"}`, call{}); r.status != http.StatusOK {
		t.Fatalf("the platform's question: %d %v", r.status, r.body)
	}
	if r := e.post(t, statusPath, callback(tk, "GZ12345-0001", 1, ""), call{}); r.status != http.StatusOK {
		t.Fatalf("the platform's callback: %d %v", r.status, r.body)
	}
	recs, err := e.s.AuditMonth(t.Context(), callbackNow)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Action, Username, RemoteAddr, Object string }
	var got []row
	for _, r := range recs {
		if strings.HasPrefix(r.Username, "integrator:") {
			got = append(got, row{string(r.Action), r.Username, r.RemoteAddr, r.Object})
		}
	}
	// Each change has its row, and each call one more (TestIntegratorCallsAudited).
	want := []row{
		{string(store.ActionComplaintAnswered), "integrator:gz12345", "127.0.0.1", "platform-ticket/GZ12345-0001"},
		{string(store.ActionIntegratorCall), "integrator:gz12345", "127.0.0.1", "POST /v1/integrations/complaints"},
		{string(store.ActionComplaintStatus), "integrator:gz12345", "127.0.0.1", store.TicketObject(tk.Number)},
		{string(store.ActionIntegratorCall), "integrator:gz12345", "127.0.0.1", "POST " + statusPath},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the integrator's audit rows (-want +got):\n%s", d)
	}
}
