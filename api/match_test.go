package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// postRaw sends a JSON request and returns the answer's bytes.
func (ts *testServer) postRaw(t *testing.T, path, body string) []byte {
	t.Helper()
	resp, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: status %d: %s", path, resp.StatusCode, raw)
	}
	return raw
}

// TestMatchValidityOnce checks that an answer says each document's validity
// once, in its validity list, and never in a result, whatever the number of
// the document's results.
func TestMatchValidityOnce(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, path, body string
		// wantDocs are the documents whose validity the answer states.
		wantDocs []string
	}{
		{"one document, many results", "/v1/match", matchBody, []string{"ganzhou-2014-26"}},
		// Without a region every document in force is open to the
		// applicant: the seed and 柳河县's, whose date of effect is
		// unknown too; 南沙's are out of force in 2026.
		{"two documents", "/v1/match?include=untouched", `{"profile": {}, "as_of": "2026-11-27"}`, []string{"ganzhou-2014-26", "liuhe-industry"}},
		{"with ineligible", "/v1/match?include=ineligible,untouched", `{"profile": {"region": "南康区"}, "as_of": "2026-11-27"}`, []string{"ganzhou-2014-26", "liuhe-industry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := ts.postRaw(t, tt.path, tt.body)
			var out struct {
				Results []struct {
					DocID   string   `json:"doc_id"`
					Status  string   `json:"status"`
					Caveats []string `json:"caveats"`
				} `json:"results"`
				Validity []struct {
					DocID   string   `json:"doc_id"`
					Caveats []string `json:"caveats"`
				} `json:"validity"`
			}
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatal(err)
			}
			var docs []string
			for _, v := range out.Validity {
				docs = append(docs, v.DocID)
				perDoc := 0
				for _, r := range out.Results {
					if r.DocID == v.DocID {
						perDoc++
					}
				}
				if perDoc < 2 && tt.name != "with ineligible" {
					t.Errorf("%s has %d results; the case needs several to show the caveat is not repeated", v.DocID, perDoc)
				}
				for _, c := range v.Caveats {
					if n := strings.Count(string(raw), c); n != 1 {
						t.Errorf("the caveat %q is in the answer %d times, want once", c, n)
					}
				}
			}
			if !slices.Equal(docs, tt.wantDocs) {
				t.Errorf("validity of %v, want %v", docs, tt.wantDocs)
			}
			for _, r := range out.Results {
				for _, c := range r.Caveats {
					if strings.Contains(c, "有效期") || strings.Contains(c, "施行") {
						t.Errorf("a result of %s says the validity itself: %q", r.DocID, c)
					}
				}
			}
		})
	}
}

// TestMatchContractFields checks that every field ../shared/spec/contract.md
// names for POST /v1/match is in the answer and each result, with its type,
// so that saying the validity once changed none of them.
func TestMatchContractFields(t *testing.T) {
	ts := newTestServer(t)
	var out map[string]any
	if err := json.Unmarshal(ts.postRaw(t, "/v1/match?include=ineligible", matchBody), &out); err != nil {
		t.Fatal(err)
	}
	if out["as_of"] != "2026-11-27" {
		t.Errorf("as_of = %v, want 2026-11-27", out["as_of"])
	}
	results, ok := out["results"].([]any)
	if !ok || len(results) == 0 {
		t.Fatalf("results = %v, want a list of results", out["results"])
	}
	str := func(v any) bool { _, ok := v.(string); return ok }
	list := func(v any) bool { _, ok := v.([]any); return ok }
	amount := func(v any) bool {
		if v == nil {
			return true
		}
		m, ok := v.(map[string]any)
		_, cny := m["cny"].(float64)
		return ok && cny && str(m["basis"])
	}
	fields := map[string]func(any) bool{
		"benefit_id": str, "doc_id": str, "doc_no": str, "doc_title": str, "article": str, "title": str,
		"status": str, "amount": amount, "missing_facts": list, "reasons": list, "department": str,
	}
	seen := map[string]bool{}
	for _, r := range results {
		m := r.(map[string]any)
		seen[m["status"].(string)] = true
		for k, ok := range fields {
			v, has := m[k]
			if !has || !ok(v) {
				t.Errorf("%v: field %s is %v", m["benefit_id"], k, v)
			}
		}
		if len(m["reasons"].([]any)) == 0 {
			t.Errorf("%v: no reasons", m["benefit_id"])
		}
	}
	for _, s := range []string{"eligible", "undetermined", "ineligible"} {
		if !seen[s] {
			t.Errorf("no %s result: the case should cover every status", s)
		}
	}
}

// TestMatchConditionsOnRequest checks that the checks of the conditions are
// in a match answer only with include=conditions, one per reason they
// explain, and that leaving them out changes nothing else.
func TestMatchConditionsOnRequest(t *testing.T) {
	ts := newTestServer(t)
	type result struct {
		BenefitID  string           `json:"benefit_id"`
		Reasons    []string         `json:"reasons"`
		Conditions []map[string]any `json:"conditions"`
	}
	decode := func(path string) (map[string]any, []result) {
		raw := ts.postRaw(t, path, matchBody)
		var whole map[string]any
		var out struct{ Results []result }
		if err := json.Unmarshal(raw, &whole); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
		for _, r := range whole["results"].([]any) {
			delete(r.(map[string]any), "conditions")
		}
		return whole, out.Results
	}
	plainWhole, plain := decode("/v1/match")
	fullWhole, full := decode("/v1/match?include=conditions")
	if len(plain) == 0 || len(plain) != len(full) {
		t.Fatalf("%d results without conditions, %d with", len(plain), len(full))
	}
	for i, r := range plain {
		if r.Conditions != nil {
			t.Errorf("%s has conditions without include=conditions", r.BenefitID)
		}
		f := full[i]
		// Each check is said among the reasons, which hold the amount's
		// basis too.
		if len(f.Conditions) == 0 || len(f.Conditions) > len(f.Reasons) {
			t.Errorf("%s: %d conditions with include=conditions for %d reasons", f.BenefitID, len(f.Conditions), len(f.Reasons))
		}
		for _, c := range f.Conditions {
			text, _ := c["text"].(string)
			if !slices.ContainsFunc(f.Reasons, func(s string) bool { return strings.Contains(s, text) }) {
				t.Errorf("%s: the condition %q is in none of the reasons %q", f.BenefitID, text, f.Reasons)
			}
		}
	}
	a, _ := json.Marshal(plainWhole)
	b, _ := json.Marshal(fullWhole)
	if string(a) != string(b) {
		t.Errorf("the answers differ in more than the conditions:\n%s\n%s", a, b)
	}
}

// TestLargeAnswersSized checks that the large answers carry a
// Content-Length and are not chunked, which costs a write call more.
func TestLargeAnswersSized(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ method, path, body string }{
		{http.MethodPost, "/v1/match", matchBody},
		{http.MethodPost, "/v1/chat", `{"message": "我们是南康的规上工业企业，今年主营收入11亿，以前最高9.9亿，盈利"}`},
		{http.MethodGet, "/v1/search?q=上市奖励&size=10", ""},
		{http.MethodGet, "/v1/facts", ""},
	} {
		req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(raw) < 4<<10 {
			t.Fatalf("%s %s = %d, %d bytes; the case needs a large answer", tt.method, tt.path, resp.StatusCode, len(raw))
		}
		if resp.ContentLength != int64(len(raw)) || len(resp.TransferEncoding) > 0 {
			t.Errorf("%s %s: Content-Length %d, Transfer-Encoding %v, for %d bytes", tt.method, tt.path, resp.ContentLength, resp.TransferEncoding, len(raw))
		}
	}
}
