package api_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// decode re-reads a response body into a typed value.
func decode(t *testing.T, body map[string]any, v any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}

// TestFacts checks that /v1/facts publishes the catalogue: every fact with
// its type and label, enums with their options, in profile order.
func TestFacts(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "GET", "/v1/facts", "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var out struct {
		Facts []struct {
			Key, Type, Label, Unit string
			Options                []struct{ Value, Label string }
			DescribesApplicant     bool `json:"describes_applicant"`
		}
		LibraryVersion string `json:"library_version"`
	}
	decode(t, body, &out)
	if len(out.Facts) < 46 || out.Facts[0].Key != "applicant_type" || out.LibraryVersion == "" {
		t.Fatalf("got %d facts starting with %+v, version %q", len(out.Facts), out.Facts[0], out.LibraryVersion)
	}
	byKey := map[string]int{}
	for i, f := range out.Facts {
		byKey[f.Key] = i
		if f.Label == "" || f.Type == "" {
			t.Errorf("fact %s lacks a label or type: %+v", f.Key, f)
		}
	}
	for key, typ := range map[string]string{
		"main_revenue_cny": "money", "profitable": "bool", "industry": "enum", "region": "region",
		"energy_saving_tce": "number", "assessment_year": "year",
	} {
		i, ok := byKey[key]
		if !ok {
			t.Errorf("the catalogue lacks %s", key)
			continue
		}
		if out.Facts[i].Type != typ {
			t.Errorf("%s is %s, want %s", key, out.Facts[i].Type, typ)
		}
	}
	if f := out.Facts[byKey["energy_saving_tce"]]; f.Unit != "吨标煤" {
		t.Errorf("energy_saving_tce unit %q", f.Unit)
	}
	if f := out.Facts[byKey["industry"]]; len(f.Options) != 11 || !f.DescribesApplicant {
		t.Errorf("industry: %+v", f)
	}
}

// TestClauseByDocument checks the clause routes with and without the
// document, and their errors.
func TestClauseByDocument(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path       string
		wantStatus int
		wantField  string
	}{
		{"/v1/clauses/ganzhou-2014-26/十七.1", 200, ""},
		{"/v1/clauses/十七.1", 200, ""},
		{"/v1/clauses/十七.1?doc_id=ganzhou-2014-26", 200, ""},
		{"/v1/clauses/十七.1?doc_no=" + url.QueryEscape("赣市府发〔2014〕26号"), 200, ""},
		{"/v1/clauses/no-such-doc/十七.1", 404, "doc_id"},
		{"/v1/clauses/ganzhou-2014-26/九十九", 404, "article"},
		{"/v1/clauses/ganzhou-2014-26/abc", 400, "article"},
		{"/v1/clauses/十七.1?doc_no=X", 404, "doc_no"},
		{"/v1/clauses/八.1", 400, "doc_id"}, // 八.1 is in two documents
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := ts.do(t, "GET", tt.path, "")
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tt.wantStatus, body)
			}
			if tt.wantStatus != 200 {
				if _, field, _ := errorOf(t, body); field != tt.wantField {
					t.Errorf("field %q, want %q", field, tt.wantField)
				}
				return
			}
			var c struct {
				DocID    string `json:"doc_id"`
				DocNo    string `json:"doc_no"`
				DocTitle string `json:"doc_title"`
				Article  string
			}
			decode(t, body, &c)
			if c.DocID != "ganzhou-2014-26" || c.Article != "十七.1" || c.DocTitle == "" {
				t.Errorf("got %+v", c)
			}
		})
	}
}

// TestSearchByDocument checks that hits name their document and that doc_id
// narrows the search or is refused when unknown.
func TestSearchByDocument(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "GET", "/v1/search?q="+url.QueryEscape("企业债券融资有奖励吗")+"&doc_id=ganzhou-2014-26", "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var out struct {
		Hits []struct {
			DocID    string `json:"doc_id"`
			DocTitle string `json:"doc_title"`
			Article  string
		}
	}
	decode(t, body, &out)
	if len(out.Hits) == 0 || out.Hits[0].Article != "十六.4" || out.Hits[0].DocID != "ganzhou-2014-26" || out.Hits[0].DocTitle == "" {
		t.Errorf("hits %+v", out.Hits)
	}
	status, body = ts.do(t, "GET", "/v1/search?q=x&doc_id=nope", "")
	if _, field, _ := errorOf(t, body); status != 404 || field != "doc_id" {
		t.Errorf("unknown doc_id: %d %s", status, body)
	}
}

// TestChatAsOf checks that /v1/chat judges on the date it is given, keeps it
// for the session, says why a document does not apply, and refuses a bad date.
func TestChatAsOf(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "POST", "/v1/chat", `{"message":"今年我们发了3000万的企业债","as_of":"2013-06-01"}`)
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	for _, r := range body["results"].([]any) {
		if r.(map[string]any)["status"] == "eligible" {
			t.Errorf("eligible before the document took effect: %v", r)
		}
	}
	if reply := body["reply"].(string); !strings.Contains(reply, "施行") {
		t.Errorf("reply does not say the document was not yet in force: %s", reply)
	}
	// The date holds for the session.
	status, body = ts.do(t, "POST", "/v1/chat", `{"session_id":"`+body["session_id"].(string)+`","message":"另外还有1000万的票据"}`)
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	for _, r := range body["results"].([]any) {
		if r.(map[string]any)["status"] == "eligible" {
			t.Errorf("the session forgot its date: %v", r)
		}
	}
	status, body = ts.do(t, "POST", "/v1/chat", `{"message":"你好","as_of":"2013-13-01"}`)
	if _, field, _ := errorOf(t, body); status != 400 || field != "as_of" {
		t.Errorf("bad as_of: %d %v", status, body)
	}
}

// TestMatchByArea checks through HTTP that a benefit applies inside its
// document's area only: a 南沙区 enterprise gets 南沙区 money and no
// 赣州市 money, a 南康区 one the reverse, a place outside both is accepted
// and gets neither, and an expired document gives nothing.
func TestMatchByArea(t *testing.T) {
	ts := newTestServer(t)
	const facts = `"nstech_hte_newly_recognised": true, "bond_financing_cny": 50000000`
	eligible := func(region, asOf string) map[string]bool {
		t.Helper()
		status, body := ts.do(t, "POST", "/v1/match", `{"profile": {"region": "`+region+`", `+facts+`}, "as_of": "`+asOf+`"}`)
		if status != 200 {
			t.Fatalf("%s: status %d: %v", region, status, body)
		}
		got := map[string]bool{}
		for _, r := range body["results"].([]any) {
			r := r.(map[string]any)
			if r["status"] == "eligible" {
				got[r["benefit_id"].(string)] = true
			}
		}
		return got
	}
	tests := []struct {
		region, asOf string
		want, not    []string
	}{
		{"广州市南沙区", "2019-06-01", []string{"nstech-hte-recognition-award"}, []string{"bond-financing-award"}},
		{"南康区", "2019-06-01", []string{"bond-financing-award"}, []string{"nstech-hte-recognition-award"}},
		{"杭州市西湖区", "2019-06-01", nil, []string{"nstech-hte-recognition-award", "bond-financing-award"}},
		{"440115", "2022-01-01", nil, []string{"nstech-hte-recognition-award"}},
	}
	for _, tt := range tests {
		got := eligible(tt.region, tt.asOf)
		for _, id := range tt.want {
			if !got[id] {
				t.Errorf("%s on %s: %s not eligible (got %v)", tt.region, tt.asOf, id, got)
			}
		}
		for _, id := range tt.not {
			if got[id] {
				t.Errorf("%s on %s: %s eligible", tt.region, tt.asOf, id)
			}
		}
	}
	status, body := ts.do(t, "POST", "/v1/match?include=ineligible", `{"profile": {"region": "南康区", `+facts+`}, "as_of": "2019-06-01"}`)
	if status != 200 {
		t.Fatal(status)
	}
	for _, r := range body["results"].([]any) {
		r := r.(map[string]any)
		if r["benefit_id"] == "nstech-hte-recognition-award" && !strings.Contains(strings.Join(toStrings(r["reasons"]), ""), "不在广州市南沙区") {
			t.Errorf("the reason does not say the area: %v", r["reasons"])
		}
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestChatKeepsToTheArea checks that the chat does not tell an enterprise
// of another area's measures that it fails them.
func TestChatKeepsToTheArea(t *testing.T) {
	ts := newTestServer(t)
	status, body := ts.do(t, "POST", "/v1/chat", `{"message":"我们是广州南沙的工业企业,今年营收8亿,以前最高6亿,盈利","as_of":"2019-06-01"}`)
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	// Finding nothing, the reply may say why: 赣州's measure is for 赣州.
	// It never lists that measure as ruled out.
	reply := body["reply"].(string)
	if strings.Contains(reply, "暂不符合") || strings.Contains(reply, "赣州") && !strings.Contains(reply, "不在赣州市") {
		t.Errorf("the reply speaks of another area's measures: %s", reply)
	}
	for _, r := range body["results"].([]any) {
		if r.(map[string]any)["doc_id"] == "ganzhou-2014-26" {
			t.Errorf("a 南沙区 enterprise is shown a 赣州市 result: %v", r)
		}
	}
}
