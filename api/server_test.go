package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/api"
	"policybot/dialogue"
	"policybot/internal/apispec"
	"policybot/internal/evalset"
	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
	"policybot/session"
)

// world is one loaded knowledge base, shared by the tests: loading it is
// the slow part and nothing changes it.
var world = sync.OnceValues(func() (*library.Library, error) {
	return library.Open(kb.Embedded(), "built-in")
})

// testServer is a server on a real listener with the real knowledge base.
type testServer struct {
	*httptest.Server
	logs *syncBuffer
}

type option func(*api.Config, *api.Deps)

func fixedNow() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }

func newTestServer(t *testing.T, opts ...option) *testServer {
	t.Helper()
	f, err := world()
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	logs := &syncBuffer{}
	cfg := api.Config{MaxBodyBytes: 8 << 10, AnonymousChat: true}
	deps := api.Deps{
		Library: func() (api.Library, func()) { return f, func() {} },
		Chat:    dialogue.NewService(func() (*dialogue.Source, func()) { return f.Chat(), func() {} }, session.NewMemory(time.Hour, time.Now), fixedNow, 20),
		Log:     slog.New(api.LogHandler(slog.NewJSONHandler(logs, nil), nil)),
		Now:     fixedNow,
	}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	// Every answer is checked against the API description before the client
	// sees it.
	srv := httptest.NewServer(apispec.Must(t).Handler(t, api.NewServer(cfg, deps).Handler()))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, logs: logs}
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// do sends a request and decodes a JSON answer.
func (ts *testServer) do(t *testing.T, method, path, body string, header ...string) (int, map[string]any) {
	t.Helper()
	a := ts.raw(t, method, path, body, header...)
	var out map[string]any
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %q", method, path, a.body)
	}
	return a.status, out
}

// errorField returns error.field and error.code of a failure answer.
func errorOf(t *testing.T, body map[string]any) (code, field, message string) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", body)
	}
	return e["code"].(string), e["field"].(string), e["message"].(string)
}

// TestBadRequests checks that every bad request gets a 4xx JSON error naming
// the field, and never internal text.
func TestBadRequests(t *testing.T) {
	ts := newTestServer(t)
	long := strings.Repeat("奖励", 101)
	big := `{"profile": {"name": "` + strings.Repeat("x", 9000) + `"}}`
	tests := []struct {
		name, method, path, body string
		header                   []string
		wantStatus               int
		wantField                string
	}{
		{"search without q", "GET", "/v1/search", "", nil, 400, "q"},
		{"search blank q", "GET", "/v1/search?q=%20%20", "", nil, 400, "q"},
		{"search long q", "GET", "/v1/search?q=" + long, "", nil, 400, "q"},
		{"search only question words", "GET", "/v1/search?q=请问有没有", "", nil, 400, "q"},
		{"search size zero", "GET", "/v1/search?q=奖励&size=0", "", nil, 400, "size"},
		{"search size huge", "GET", "/v1/search?q=奖励&size=51", "", nil, 400, "size"},
		{"search size text", "GET", "/v1/search?q=奖励&size=ten", "", nil, 400, "size"},
		{"clause malformed", "GET", "/v1/clauses/17.1", "", nil, 400, "article"},
		{"clause absent", "GET", "/v1/clauses/九十.1", "", nil, 404, "article"},
		{"clause of unknown document", "GET", "/v1/clauses/十七.1?doc_no=赣市府发〔2099〕1号", "", nil, 404, "doc_no"},
		{"trailing slash", "GET", "/v1/policies/", "", nil, 404, ""},
		{"match not JSON", "POST", "/v1/match", `{"profile":`, nil, 400, "body"},
		{"match two objects", "POST", "/v1/match", `{"profile":{}} {}`, nil, 400, "body"},
		{"match unknown field", "POST", "/v1/match", `{"profile":{}, "asof":"2026-01-01"}`, nil, 400, "asof"},
		{"match without profile", "POST", "/v1/match", `{}`, nil, 400, "profile"},
		{"match profile not object", "POST", "/v1/match", `{"profile": [1]}`, nil, 400, "profile"},
		{"match null profile", "POST", "/v1/match", `{"profile": null}`, nil, 400, "profile"},
		{"match money not whole", "POST", "/v1/match", `{"profile":{"bond_financing_cny":500000000.00000001}}`, nil, 400, "bond_financing_cny"},
		{"match negative money", "POST", "/v1/match", `{"profile":{"bond_financing_cny":-1}}`, nil, 400, "bond_financing_cny"},
		{"match unknown fact", "POST", "/v1/match", `{"profile":{"revenue":1}}`, nil, 400, "revenue"},
		{"match wrong type", "POST", "/v1/match", `{"profile":{"profitable":"yes"}}`, nil, 400, "profitable"},
		{"match region outside", "POST", "/v1/match", `{"profile":{"region":"南昌市"}}`, nil, 400, "region"},
		{"match bad credit code", "POST", "/v1/match", `{"profile":{"credit_code":"91350100M000100Y44"}}`, nil, 400, "credit_code"},
		{"match bad as_of", "POST", "/v1/match", `{"profile":{}, "as_of":"2026-13-01"}`, nil, 400, "as_of"},
		{"match as_of wrong type", "POST", "/v1/match", `{"profile":{}, "as_of":20260101}`, nil, 400, "as_of"},
		{"match bad include", "POST", "/v1/match?include=everything", `{"profile":{}}`, nil, 400, "include"},
		{"match body too large", "POST", "/v1/match", big, nil, 413, "body"},
		{"match wrong content type", "POST", "/v1/match", `{"profile":{}}`, []string{"Content-Type", "text/plain"}, 415, "Content-Type"},
		{"chat empty message", "POST", "/v1/chat", `{"message":"  "}`, nil, 400, "message"},
		{"chat message too long", "POST", "/v1/chat", `{"message":"` + strings.Repeat("字", 501) + `"}`, nil, 400, "message"},
		{"chat bad session id", "POST", "/v1/chat", `{"session_id":"../x","message":"你好"}`, nil, 400, "session_id"},
		{"chat message wrong type", "POST", "/v1/chat", `{"message":5}`, nil, 400, "message"},
		{"chat bearer unknown", "POST", "/v1/chat", `{"message":"你好"}`, []string{"Authorization", "Bearer nope"}, 401, "Authorization"},
		{"login not configured", "POST", "/v1/auth/wechat/login", `{"code":"x"}`, nil, 503, ""},
		{"unknown route", "GET", "/v1/nothing", "", nil, 404, ""},
		{"wrong method", "DELETE", "/v1/match", "", nil, 405, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := fmt.Sprintf("bad-request-%d", i)
			status, body := ts.do(t, tt.method, tt.path, tt.body, append(slices.Clone(tt.header), "X-Request-ID", id)...)
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d (%v)", status, tt.wantStatus, body)
			}
			code, field, msg := errorOf(t, body)
			if field != tt.wantField {
				t.Errorf("field = %q, want %q (%s)", field, tt.wantField, msg)
			}
			// The access-log line says which error and field were answered.
			line := ts.accessLog(t, id)
			if line["error_code"] != code || line["error_field"] != field || line["level"] != wantLevel(status) {
				t.Errorf("access log %v, want error_code %q, error_field %q, level %s", line, code, field, wantLevel(status))
			}
			for _, leak := range []string{"json:", "runtime", "panic", "goroutine", ".go:"} {
				if strings.Contains(msg, leak) {
					t.Errorf("message %q leaks %q", msg, leak)
				}
			}
		})
	}
}

// TestMatchEvalCases runs the development match cases, and the blind ones two
// evaluators wrote from the clauses without seeing the code, through real
// HTTP, judged as ../shared/eval/run.py judges them.
func TestMatchEvalCases(t *testing.T) {
	ts := newTestServer(t)
	var cases []evalset.Match
	for _, file := range []string{"testdata/match-dev.jsonl", "testdata/match-blind.jsonl", "testdata/match-blind2.jsonl", "testdata/match-blind3.jsonl"} {
		cases = append(cases, evalset.Read[evalset.Match](t, file)...)
	}
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			req, _ := json.Marshal(map[string]any{"profile": c.Profile, "as_of": c.AsOf})
			if c.AsOf == "" {
				req, _ = json.Marshal(map[string]any{"profile": c.Profile})
			}
			status, body := ts.do(t, "POST", "/v1/match", string(req))
			want := c.Status
			if want == 0 {
				want = 200
			}
			if status != want {
				t.Fatalf("status = %d, want %d: %v", status, want, body)
			}
			if want != 200 {
				raw, _ := json.Marshal(body)
				if !strings.Contains(string(raw), c.ErrorMentions) {
					t.Errorf("error %s does not name %s", raw, c.ErrorMentions)
				}
				return
			}
			results, _ := body["results"].([]any)
			byArticle := map[string][]map[string]any{}
			for _, r := range results {
				m := r.(map[string]any)
				byArticle[m["article"].(string)] = append(byArticle[m["article"].(string)], m)
			}
			ofDoc := func(r map[string]any, doc func(docID, docNo, title string) bool) bool {
				id, _ := r["doc_id"].(string)
				no, _ := r["doc_no"].(string)
				title, _ := r["doc_title"].(string)
				return doc(id, no, title)
			}
			for _, e := range c.Expect {
				ok := false
				for _, r := range byArticle[e.Article] {
					if r["status"] != e.WantStatus() || !ofDoc(r, e.DocMatches) {
						continue
					}
					var cny *int64
					if amount, _ := r["amount"].(map[string]any); amount != nil {
						v := int64(amount["cny"].(float64))
						cny = &v
					}
					ok = ok || e.AmountMatches(cny)
				}
				if !ok {
					t.Errorf("%s: no %s result with amount %s in %v", e.Article, e.WantStatus(), e.Amount, byArticle[e.Article])
				}
			}
			for _, a := range c.Absent {
				for _, r := range byArticle[a.Article] {
					if r["status"] == "eligible" && ofDoc(r, a.DocMatches) {
						t.Errorf("%s %s is eligible, want not", a.Doc, a.Article)
					}
				}
			}
			for _, u := range c.Undetermined {
				ok := false
				for _, r := range byArticle[u.Article] {
					missing, _ := json.Marshal(r["missing_facts"])
					all := r["status"] == "undetermined" && ofDoc(r, u.DocMatches)
					for _, m := range u.Missing {
						all = all && strings.Contains(string(missing), `"`+m+`"`)
					}
					ok = ok || all
				}
				if !ok {
					t.Errorf("%s: not undetermined with missing %v: %v", u.Article, u.Missing, byArticle[u.Article])
				}
			}
		})
	}
}

func TestSearch(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "GET", "/v1/search?q=企业债券融资有奖励吗&size=3", "")
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	hits := body["hits"].([]any)
	if len(hits) == 0 || len(hits) > 3 {
		t.Fatalf("%d hits, want 1 to 3", len(hits))
	}
	first := hits[0].(map[string]any)
	if first["article"] != "十六.4" || first["doc_no"] != "赣市府发〔2014〕26号" {
		t.Errorf("first hit %v %v, want 十六.4 of 赣市府发〔2014〕26号", first["doc_no"], first["article"])
	}
	if !strings.Contains(first["highlight"].(string), "<mark>") {
		t.Errorf("highlight %q marks nothing", first["highlight"])
	}
	if first["relevant"] != true {
		t.Errorf("first hit relevant = %v, want true", first["relevant"])
	}
}

// TestSearchUncovered checks that a question the library does not cover
// still gets its hits, none of them relevant.
func TestSearchUncovered(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "GET", "/v1/search?q="+url.QueryEscape("我想申请个人住房公积金贷款,怎么办"), "")
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	hits := body["hits"].([]any)
	if len(hits) == 0 {
		t.Fatal("no hits, want the weak ones as before")
	}
	for _, h := range hits {
		if h := h.(map[string]any); h["relevant"] != false {
			t.Errorf("hit %v %v relevant = %v, want false", h["doc_id"], h["article"], h["relevant"])
		}
	}
}

func TestClauseAndPolicies(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "GET", "/v1/clauses/ganzhou-2014-26/八.1", "")
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	if body["title"] == "" || !strings.Contains(body["text"].(string), "市领导挂点推进") {
		t.Errorf("clause 八.1 = %v", body)
	}
	lead, _ := json.Marshal(body["lead"])
	if string(lead) != `["市工信委"]` {
		t.Errorf("lead = %s, want [市工信委]", lead)
	}
	status, body = ts.do(t, "GET", "/v1/clauses/十七.1?doc_no=赣市府发〔2014〕26号", "")
	if status != 200 || body["article"] != "十七.1" {
		t.Errorf("with doc_no: %d %v", status, body["article"])
	}
	status, body = ts.do(t, "GET", "/v1/policies", "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	p := body["policies"].([]any)[0].(map[string]any)
	if p["doc_no"] != "赣市府发〔2014〕26号" || p["in_force"] != "unknown" || p["effective_to"] != nil {
		t.Errorf("policy = %v", p)
	}
}

// TestRequestIDInLogs checks that each request has an id, echoed to the
// client, and that every log line of the request carries it.
func TestRequestIDInLogs(t *testing.T) {
	ts := newTestServer(t)
	ts.do(t, "POST", "/v1/match", `{"profile":{"bond_financing_cny":-1}}`, "X-Request-ID", "test-req-42")
	found := false
	for _, line := range strings.Split(strings.TrimSpace(ts.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["request_id"] != "test-req-42" {
			t.Errorf("log line without the request id: %q", line)
		}
		found = found || rec["status"] == float64(400)
	}
	if !found {
		t.Error("no access-log line with status 400")
	}
}

// accessLog returns the access-log line of the request whose X-Request-ID
// was id.
func (ts *testServer) accessLog(t *testing.T, id string) map[string]any {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(ts.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" && rec["request_id"] == id {
			return rec
		}
	}
	t.Fatalf("no access-log line of request %s in:\n%s", id, ts.logs)
	return nil
}

// wantLevel is the level of the access-log line of a status.
func wantLevel(status int) string {
	switch {
	case status >= 500:
		return "ERROR"
	case status >= 400:
		return "WARN"
	}
	return "INFO"
}

// panicky is a library whose matching panics.
type panicky struct{ api.Library }

func (panicky) Match(*matcher.Profile, matcher.Options) *matcher.Outcome {
	panic("boom at matcher.go:1")
}

// TestPanicIsInternalError checks that a panic in a handler is a 500 in the
// one error shape, without the panic's text, and that the server lives on.
func TestPanicIsInternalError(t *testing.T) {
	ts := newTestServer(t, func(_ *api.Config, d *api.Deps) {
		lib, _ := d.Library()
		d.Library = func() (api.Library, func()) { return panicky{lib}, func() {} }
	})
	status, body := ts.do(t, "POST", "/v1/match", `{"profile":{}}`)
	code, _, msg := errorOf(t, body)
	if status != 500 || code != "internal" || strings.Contains(msg, "boom") {
		t.Errorf("got %d %s %q, want 500 internal without the panic text", status, code, msg)
	}
	if status, _ := ts.do(t, "GET", "/healthz", ""); status != 200 {
		t.Errorf("healthz after a panic = %d", status)
	}
}
