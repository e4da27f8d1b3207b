// Package evalset reads evaluation sets in the JSONL formats of
// ../shared/eval/run.py (search questions, match cases, chat dialogues), so
// that tests judge the product the way the evaluation does.
package evalset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// Read returns the lines of a JSONL file decoded as T, skipping blank lines.
func Read[T any](tb testing.TB, path string) []T {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		// A key the sets do not know is a typo that would check nothing.
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return out
}

// Search is a question and the articles that answer it.
type Search struct {
	ID       string   `json:"id"`
	Q        string   `json:"q"`
	Articles []string `json:"articles"`
	// Doc, when given, is the document the articles are of (a doc_id, a
	// doc_no or part of a title), as run.py reads it; DocID narrows the
	// search to one document.
	Doc   string `json:"doc,omitempty"`
	DocID string `json:"doc_id,omitempty"`
	// Note says why the case is there; nothing checks it.
	Note string `json:"note,omitempty"`
}

// Match is a profile and what /v1/match must answer for it.
type Match struct {
	ID           string          `json:"id"`
	Profile      json.RawMessage `json:"profile"`
	AsOf         string          `json:"as_of"`
	Expect       []Expected      `json:"expect"`
	Absent       []Ref           `json:"absent"`
	Undetermined []Undetermined  `json:"undetermined"`
	// Status is the expected HTTP status; 0 means 200.
	Status        int    `json:"status"`
	ErrorMentions string `json:"error_mentions"`
}

// Expected is a result that must be present: an article with a status
// (eligible when empty) and an amount: a number, null for none, "any" or
// left out for any.
type Expected struct {
	Article string `json:"article"`
	// Doc names the result's document: its doc_id, its doc_no or part of
	// its title; empty for any.
	Doc    string          `json:"doc"`
	Status string          `json:"status"`
	Amount json.RawMessage `json:"amount_cny"`
}

// DocMatches reports whether a result of docID, docNo and title is of the
// expected document, as run.py judges it.
func (e Expected) DocMatches(docID, docNo, title string) bool {
	return e.Doc == "" || e.Doc == docID || e.Doc == docNo || strings.Contains(title, e.Doc)
}

// Undetermined is a result that must be undetermined for want of Missing
// facts, among others.
type Undetermined struct {
	Article string   `json:"article"`
	Doc     string   `json:"doc"`
	Missing []string `json:"missing"`
}

// DocMatches reports whether a result is of the document named.
func (u Undetermined) DocMatches(docID, docNo, title string) bool {
	return Expected{Doc: u.Doc}.DocMatches(docID, docNo, title)
}

// Ref names a result by article, and by document when Doc is set; a file
// writes it as an article string or as an object, as run.py reads it.
type Ref struct {
	Article string `json:"article"`
	Doc     string `json:"doc"`
}

// UnmarshalJSON reads an article string or an object.
func (r *Ref) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &r.Article)
	}
	type plain Ref
	return json.Unmarshal(b, (*plain)(r))
}

// DocMatches reports whether a result of docID, docNo and title is of the
// document named, as run.py judges it.
func (r Ref) DocMatches(docID, docNo, title string) bool {
	return Expected{Doc: r.Doc}.DocMatches(docID, docNo, title)
}

// Dialogue is a conversation and what each turn must show.
type Dialogue struct {
	ID string `json:"id"`
	// AsOf is the date the dialogue is judged on, YYYY-MM-DD; empty for today.
	AsOf  string `json:"as_of"`
	Turns []struct {
		Say    string `json:"say"`
		Expect Turn   `json:"expect"`
	} `json:"turns"`
}

// Turn is what one reply of a dialogue must show.
type Turn struct {
	AsksFact       string     `json:"asks_fact"`
	NotAsksFact    string     `json:"not_asks_fact"`
	ProfileLacks   []string   `json:"profile_lacks"`
	ReplyContains  []string   `json:"reply_contains_any"`
	Cites          []string   `json:"cites"`
	NoEligible     bool       `json:"no_eligible"`
	ResultsInclude []Expected `json:"results_include"`
	// CitesDoc narrows Cites to the citations of one document, as run.py does.
	CitesDoc string `json:"cites_doc"`
	// ReplyContainsAll and ResultsExclude are stricter than run.py, which
	// ignores them: every word must be in the reply, and no result of
	// these articles may be eligible.
	ReplyContainsAll []string   `json:"reply_contains"`
	ResultsExclude   []Excluded `json:"results_exclude"`
}

// Excluded is a result that must not be eligible: an article, or an article
// of a document ({"doc": "总部经济", "article": "二.1"}).
type Excluded struct {
	Article string `json:"article"`
	Doc     string `json:"doc"`
}

// UnmarshalJSON reads an article alone ("二.1") or an object.
func (e *Excluded) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.Article)
	}
	type plain Excluded
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode((*plain)(e))
}

// AmountMatches reports whether a result's amount (nil when it has none)
// is the expected one.
func (e Expected) AmountMatches(cny *int64) bool {
	var want any
	if len(e.Amount) == 0 || json.Unmarshal(e.Amount, &want) != nil {
		return true // left out: any amount
	}
	switch w := want.(type) {
	case nil:
		return cny == nil
	case float64:
		return cny != nil && float64(*cny) == w
	}
	return true // "any"
}

// WantStatus is the status an expected result must have.
func (e Expected) WantStatus() string {
	if e.Status == "" {
		return "eligible"
	}
	return e.Status
}
