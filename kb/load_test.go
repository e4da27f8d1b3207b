package kb

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func mustLoad(tb testing.TB) *Base {
	tb.Helper()
	b, err := Load(Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestSeedArticles pins the full list of article ids of the seed document.
func TestSeedArticles(t *testing.T) {
	b := mustLoad(t)
	d, err := b.Document("ganzhou-2014-26")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range d.Clauses {
		got = append(got, c.Article)
	}
	want := strings.Fields(`一 二.1 二.2 二.3 二.4 三 四.1 四.2 四.3 五.1 五.2 六.1 六.2 七.1 七.2 七.3
		八.1 八.2 八.3 九.1 九.2 九.3 十.1 十.2 十一.1 十一.2 十一.3 十二.1 十二.2 十二.3
		十三.1 十三.2 十三.3 十四.1 十四.2 十四.3 十五.1 十五.2 十五.3 十五.4
		十六.1 十六.2 十六.3 十六.4 十六.5 十七.1 十七.2 十七.3 十七.4 十七.5 十八.1 十八.2
		十九.1 十九.2 二十.1 二十.2 二十.3 二十.4 二十一.1 二十一.2 二十二 二十三 二十四 二十五
		二十六 二十六.1 二十六.2 二十六.3`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("article ids (-want +got):\n%s", diff)
	}
}

// TestLoadRejects checks that a broken knowledge base fails to load with the
// file, the clause and the field named.
func TestLoadRejects(t *testing.T) {
	good, err := fs.ReadFile(Embedded(), "ganzhou-2014-26/document.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, err := fs.ReadFile(Embedded(), "ganzhou-2014-26/source.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		old, new  string
		wantParts []string
	}{
		{"unknown field", "    tags: [财政奖励]\n", "    tags: [财政奖励]\n    amount: 5\n", []string{"d/document.yaml", "amount"}},
		{"bad article", "article: 十七.1\n", "article: 17.1\n", []string{"d/document.yaml", "article", "17.1"}},
		{"duplicate article", "article: 十七.2\n", "article: 十七.1\n", []string{"(十七.1)", "duplicate"}},
		{"empty title", `title: "主营业务收入首次突破台阶奖励"`, `title: ""`, []string{"(十七.1)", "title: empty"}},
		{"unknown tag", "    tags: [总部经济]\n", "    tags: [总部]\n", []string{"(十七.2)", "tags", "总部"}},
		{"unknown applicant", "    applicants: [county]\n", "    applicants: [city]\n", []string{"applicants", "city"}},
		{"invented text", "由市财政一次性分别奖励企业经营班子5万元", "由市财政一次性分别奖励企业经营班子50万元", []string{"(十七.1)", "text: not found in source.txt"}},
		{"missing validity note", "validity_note: 文本未规定有效期,也未写明施行或废止日期;该政策可能已被修订、替代或废止。\n", "", []string{"validity_note: required"}},
		{"bad date", "issued: 2014\n", "issued: 2014-13\n", []string{"d/document.yaml", "2014-13"}},
		{"bad doc_no", "doc_no: 赣市府发〔2014〕26号", "doc_no: 26号", []string{"doc_no"}},
		{"no jurisdiction", "jurisdiction: 赣州市\n", "", []string{"d/document.yaml", "jurisdiction: empty"}},
		{"unknown repealed document", "jurisdiction: 赣州市\n", "jurisdiction: 赣州市\nrepeals: [old-doc]\n", []string{"d/document.yaml", "repeals", "old-doc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := string(good)
			if !strings.Contains(text, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			text = strings.Replace(text, tt.old, tt.new, 1)
			_, err := Load(libraryWith(t, fstest.MapFS{
				"d/document.yaml": {Data: []byte(text)},
				"d/source.txt":    {Data: src},
			}))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, p := range tt.wantParts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not mention %q", err, p)
				}
			}
		})
	}
}

// TestLoadClausesOutOfOrder checks that a clause found in the source only
// before the clause listed ahead of it still loads: each is looked for
// after the one before first, and then from the start of the source.
func TestLoadClausesOutOfOrder(t *testing.T) {
	doc := `doc_no: ""
title: 测试文件
issuer: 测试人民政府
jurisdiction: 赣州市
validity_note: 未写明有效期。
clauses:
  - {article: 一, title: 第三段, text: 第三段讲用地。, tags: [用地]}
  - {article: 二, title: 第一段, text: 第一段讲奖励。, tags: [财政奖励]}
  - {article: 三, title: 第二段, text: 第二段讲融资。, tags: [融资]}
  - {article: 四, title: 又是第三段, text: 第三段讲用地。, tags: [用地]}
`
	files := fstest.MapFS{
		"d/document.yaml": {Data: []byte(doc)},
		"d/source.txt":    {Data: []byte("第一段讲奖励。\n第二段讲融资。\n第三段讲用地。\n")},
	}
	// chat.yaml cites the seed document.
	for _, name := range []string{"ganzhou-2014-26/document.yaml", "ganzhou-2014-26/source.txt"} {
		raw, err := fs.ReadFile(Embedded(), name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: raw}
	}
	b, err := Load(libraryWith(t, files))
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.Document("d")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Clauses); got != 4 {
		t.Errorf("%d clauses loaded, want 4", got)
	}
}

// libraryWith returns files with the shared files of the built-in library
// (the catalogue of facts, the tags) added where files lacks them.
func libraryWith(tb testing.TB, files fstest.MapFS) fstest.MapFS {
	tb.Helper()
	for _, name := range []string{"facts.yaml", "tags.yaml", "chat.yaml"} {
		if _, ok := files[name]; ok {
			continue
		}
		raw, err := fs.ReadFile(Embedded(), name)
		if err != nil {
			tb.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: raw}
	}
	return files
}

// TestCatalogueRejects checks that a broken catalogue of facts fails to load
// naming the file, the fact and the field.
func TestCatalogueRejects(t *testing.T) {
	doc, _ := fs.ReadFile(Embedded(), "ganzhou-2014-26/document.yaml")
	src, _ := fs.ReadFile(Embedded(), "ganzhou-2014-26/source.txt")
	tests := []struct {
		name      string
		facts     string
		wantParts []string
	}{
		{"unknown kind", "facts:\n  - {key: acres, kind: area, label: 面积}\n", []string{"d/facts.yaml", "acres", "kind"}},
		{"duplicate key", "facts:\n  - {key: profitable, kind: bool, label: 盈利}\n", []string{"d/facts.yaml", "profitable", "also declared"}},
		{"number without unit", "facts:\n  - {key: land_area, kind: number, label: 面积}\n", []string{"land_area", "unit"}},
		{"bad phrase value", "facts:\n  - key: has_patent\n    kind: bool\n    label: 有专利\n    phrases:\n      - {say: [[专利]], value: 3}\n", []string{"has_patent", "phrases[0]", "value"}},
		{"unknown field", "facts:\n  - {key: x1, kind: bool, label: 某, colour: red}\n", []string{"d/facts.yaml", "colour"}},
		{"empty cue", "facts:\n  - {key: x_capital_cny, kind: money, label: 注册资本, cues: [注册资本, \" \"]}\n", []string{"x_capital_cny", "empty cue"}},
		{"empty option word", "facts:\n  - key: x_level\n    kind: enum\n    label: 级别\n    options: [{value: a, label: 甲, say: [\"\"]}]\n", []string{"x_level", "options[0].say"}},
		{"verbs on a yes/no fact", "facts:\n  - {key: x_filed, kind: bool, label: 申请了专利, verbs: [申请]}\n", []string{"x_filed", "verbs"}},
		{"series on an enum", "facts:\n  - key: x_level\n    kind: enum\n    label: 级别\n    options: [{value: a, label: 甲}]\n    series: {name: levels, period: current}\n", []string{"x_level", "series"}},
		{"unknown period", "facts:\n  - {key: x_filings, kind: number, unit: 件, label: 申请量, series: {name: filings, period: last_month}}\n", []string{"x_filings", "series", "prior_year"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(libraryWith(t, fstest.MapFS{
				"d/document.yaml": {Data: doc},
				"d/source.txt":    {Data: src},
				"d/facts.yaml":    {Data: []byte(tt.facts)},
			}))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, p := range tt.wantParts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not mention %q", err, p)
				}
			}
		})
	}
}

// TestKnowledgeBaseMatchesSource parses each document's source text and
// checks that the knowledge base has every clause the parser finds, with the
// same article id, text and departments.
func TestKnowledgeBaseMatchesSource(t *testing.T) {
	b := mustLoad(t)
	for _, d := range b.Documents() {
		t.Run(d.DocID, func(t *testing.T) {
			src, err := fs.ReadFile(Embedded(), d.DocID+"/source.txt")
			if err != nil {
				t.Fatal(err)
			}
			sk, err := Parse(strings.NewReader(string(src)))
			if err != nil {
				t.Fatal(err)
			}
			parsed := sk.Document
			type clause struct {
				Article, Text     string
				Lead, Cooperating []string
			}
			view := func(cs []Clause) []clause {
				out := make([]clause, len(cs))
				for i, c := range cs {
					out[i] = clause{c.Article, squeeze(c.Text), c.Lead, c.Cooperating}
				}
				return out
			}
			if diff := cmp.Diff(view(parsed.Clauses), view(d.Clauses)); diff != "" {
				t.Errorf("knowledge base differs from the parsed source (-parsed +kb):\n%s", diff)
			}
		})
	}
}
