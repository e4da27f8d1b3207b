package kb

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"policybot/internal/evalset"
)

func mustIndex(tb testing.TB) *Index {
	tb.Helper()
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := NewIndex(mustLoad(tb), syn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// readSearchCases reads a question set; the sets written for the seed name
// no document, and their articles are the seed's.
func readSearchCases(tb testing.TB, path string) []evalset.Search {
	cases := evalset.Read[evalset.Search](tb, path)
	for i := range cases {
		if cases[i].Doc == "" {
			cases[i].Doc = "ganzhou-2014-26"
		}
	}
	return cases
}

// docOK reports whether a hit is of the document a question names, as
// run.py's doc_ok does.
func docOK(want string, c *Clause) bool {
	return want == "" || want == c.DocID || want == c.DocNo || strings.Contains(c.DocTitle, want)
}

// retrievalSets are the question sets TestRetrieval scores: the
// development set, the questions we wrote in enterprises' own words
// (search-ours.jsonl), and those evaluators wrote blind, from the policy
// texts alone, to keep tuning honest.
var retrievalSets = []string{
	"testdata/search-dev.jsonl",
	"testdata/search-ours.jsonl",
	"testdata/search-blind.jsonl",
	"testdata/search-blind-newdocs.jsonl",
	"testdata/search-blind-heldout3.jsonl",
	"testdata/search-blind-heldout4.jsonl",
	"testdata/search-blind-heldout5.jsonl",
}

// searchGaps are the questions of retrievalSets whose clause is not among
// the first three hits, each with what the search lacks to find it.
var searchGaps = map[string]string{
	"s4-10": "人才工寓: the slip 工寓 for 公寓 leaves only 人才, which every talent clause has",
	"s4-20": "who interprets the talent measures: its closing paragraph (施行, 有效期, 负责解释) is no clause of the library",
}

// TestRetrieval scores search on retrievalSets the way
// ../shared/eval/run.py does, prints recall@1, recall@3 and MRR@10, and
// fails below recall@3 0.90, on a miss searchGaps does not list, and on a
// listed gap that now passes.
func TestRetrieval(t *testing.T) {
	ix := mustIndex(t)
	asked := map[string]bool{}
	for _, set := range retrievalSets {
		t.Run(set, func(t *testing.T) {
			cases := readSearchCases(t, set)
			s, ranks := score(t, ix, cases, true)
			t.Logf("%s: recall@1 %.2f, recall@3 %.2f, MRR@10 %.3f", set, s.at1, s.at3, s.mrr)
			if s.at3 < 0.90 {
				t.Errorf("recall@3 %.2f is below 0.90", s.at3)
			}
			for i, c := range cases {
				asked[c.ID] = true
				gap, isGap := searchGaps[c.ID]
				switch rank := ranks[i]; {
				case rank >= 1 && rank <= 3 && isGap:
					t.Errorf("%s passes now (rank %d): remove its gap %q", c.ID, rank, gap)
				case (rank < 1 || rank > 3) && !isGap:
					t.Errorf("%s %q: no gap says why its clause is not in the first three hits", c.ID, c.Q)
				}
			}
		})
	}
	for id := range searchGaps {
		if !asked[id] {
			t.Errorf("gap %s is of no question of the sets", id)
		}
	}
}

type scores struct{ at1, at3, mrr float64 }

// score runs the questions and returns recall@1, recall@3 and MRR@10, as
// ../shared/eval/run.py computes them, and the rank of each question's
// clause among its first ten hits (0 when it is not there); with logMisses
// it logs every question whose clause is not in the first three.
func score(t testing.TB, ix *Index, cases []evalset.Search, logMisses bool) (scores, []int) {
	var s scores
	ranks := make([]int, len(cases))
	for k, c := range cases {
		var only []string
		if c.DocID != "" {
			only = []string{c.DocID}
		}
		hits, err := ix.SearchIn(context.Background(), c.Q, 10, only)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		rank := 0
		for i, h := range hits {
			if slices.Contains(c.Articles, h.Clause.Article) && docOK(c.Doc, h.Clause) {
				rank = i + 1
				break
			}
		}
		ranks[k] = rank
		if rank > 0 {
			s.mrr += 1 / float64(rank)
		}
		if rank == 1 {
			s.at1++
		}
		if rank > 0 && rank <= 3 {
			s.at3++
		} else if logMisses {
			var got []string
			for _, h := range hits[:min(5, len(hits))] {
				got = append(got, h.Clause.DocID+"/"+h.Clause.Article)
			}
			t.Logf("miss %s %q: want %v, got %v", c.ID, c.Q, c.Articles, got)
		}
	}
	n := float64(len(cases))
	return scores{s.at1 / n, s.at3 / n, s.mrr / n}, ranks
}

// TestTuning measures each search choice against the default, one change at
// a time, on all the questions we have (the seed's and the new documents'),
// logs the table that BENCHMARKS.md quotes, and fails if any single change
// would have been clearly better.
func TestTuning(t *testing.T) {
	base := mustLoad(t)
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var cases []evalset.Search
	for _, set := range retrievalSets {
		cases = append(cases, readSearchCases(t, set)...)
	}
	variant := func(change func(*tuning)) tuning {
		v := defaultTuning
		change(&v)
		return v
	}
	variants := []struct {
		name string
		t    tuning
	}{
		{"default: cjk, BM25, clean-up, synonyms 0.5, title 0.8", defaultTuning},
		{"TF-IDF instead of BM25", variant(func(v *tuning) { v.scoring = "" })},
		{"no question clean-up", variant(func(v *tuning) { v.cleanUp = false })},
		{"no synonyms", variant(func(v *tuning) { v.synonyms = 0 })},
		{"synonyms at weight 1", variant(func(v *tuning) { v.synonyms = 1 })},
		{"no title field", variant(func(v *tuning) { v.titleBoost = 0 })},
		{"title boost 0.3", variant(func(v *tuning) { v.titleBoost = 0.3 })},
		{"title boost 0.5", variant(func(v *tuning) { v.titleBoost = 0.5 })},
		{"title boost 2", variant(func(v *tuning) { v.titleBoost = 2 })},
		{"section headings at 0.3", variant(func(v *tuning) { v.section = 0.3 })},
		{"no postings budget", variant(func(v *tuning) { v.budget = 0 })},
	}
	var def scores
	for i, v := range variants {
		ix, err := newIndex(base, syn, v.t)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := score(t, ix, cases, false)
		ix.Close()
		t.Logf("%-55s recall@1 %.3f  recall@3 %.3f  MRR@10 %.3f", v.name, s.at1, s.at3, s.mrr)
		if i == 0 {
			def = s
			continue
		}
		// One question in a hundred and fifty either way is noise, not a
		// better choice: a change must win by more than that to fail (an
		// MRR 0.015 higher is two questions each moving up a rank or two).
		oneQuestion := 1/float64(len(cases)) + 1e-9
		if s.at3 > def.at3+oneQuestion || s.at3 >= def.at3 && s.mrr > def.mrr+0.015 {
			t.Errorf("%s beats the default (%.3f/%.3f against %.3f/%.3f)", v.name, s.at3, s.mrr, def.at3, def.mrr)
		}
	}
}

// TestSearchFavoursPlace checks that the hits of the documents whose area
// holds a place the question names come first, and the others after them.
func TestSearchFavoursPlace(t *testing.T) {
	ix := mustIndex(t)
	ctx := context.Background()
	tests := []struct {
		name, q string
		only    []string
		// first are the documents the first hits must be of, before any
		// other; nil when the order is the one without a place.
		first []string
		// rest is the question without the place: the first hits are its
		// hits among the documents first, since the place's name is not
		// searched once it has chosen them.
		rest string
	}{
		{"a county's short form", "柳河县新上项目投资5000万以上有啥扶持", nil, []string{"liuhe-industry"}, "新上项目投资5000万以上有啥扶持"},
		{"a district's alias, three documents", "院士来南沙，安家费最多给多少", nil, []string{"nansha-2017-hq", "nansha-2017-talent", "nansha-2017-tech"}, "院士来，安家费最多给多少"},
		{"a county below the document's city", "南康区企业发债有奖励吗", nil, []string{"ganzhou-2014-26"}, "企业发债有奖励吗"},
		{"a name the clause prints", "柳河企业上市奖励", nil, []string{"liuhe-industry"}, "企业上市奖励"},
		{"a place no document holds", "北京市企业发债有奖励吗", nil, nil, ""},
		{"a province above every area", "广东企业上市奖励", nil, nil, ""},
		{"narrowed to documents, one of them the place's", "南沙企业上市奖励", []string{"ganzhou-2014-26", "nansha-2017-hq"}, []string{"nansha-2017-hq"}, "企业上市奖励"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const size = 10
			hits, err := ix.SearchIn(ctx, tt.q, size, tt.only)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != size {
				t.Fatalf("%d hits, want %d", len(hits), size)
			}
			seen := map[int]bool{}
			local, others := 0, 0
			for _, h := range hits {
				if seen[h.at] {
					t.Errorf("%s %s twice", h.Clause.DocID, h.Clause.Article)
				}
				seen[h.at] = true
				if tt.only != nil && !slices.Contains(tt.only, h.Clause.DocID) {
					t.Errorf("hit of %s, outside %v", h.Clause.DocID, tt.only)
				}
				switch {
				case slices.Contains(tt.first, h.Clause.DocID) && others > 0:
					t.Errorf("%s %s comes after a hit of another document", h.Clause.DocID, h.Clause.Article)
				case slices.Contains(tt.first, h.Clause.DocID):
					local++
				default:
					others++
				}
			}
			if tt.first == nil {
				// Without a place held by a document, the order is that of
				// the words alone: the same question without the place.
				plain, err := ix.SearchIn(ctx, strings.NewReplacer("北京市", "", "广东", "").Replace(tt.q), size, tt.only)
				if err != nil {
					t.Fatal(err)
				}
				if len(plain) == 0 || plain[0].Clause != hits[0].Clause {
					t.Errorf("first hit %s %s, without the place %v", hits[0].Clause.DocID, hits[0].Clause.Article, plain)
				}
				return
			}
			if local == 0 {
				t.Errorf("no hit of %v", tt.first)
			}
			want, err := ix.SearchIn(ctx, tt.rest, local, tt.first)
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range want {
				if hits[i].Clause != h.Clause {
					t.Errorf("hit %d is %s %s, without the place %s %s", i+1, hits[i].Clause.DocID, hits[i].Clause.Article, h.Clause.DocID, h.Clause.Article)
				}
			}
		})
	}
}

func TestSearchEmpty(t *testing.T) {
	ix := mustIndex(t)
	for _, q := range []string{"", "  ", "吗?", "请问有没有"} {
		if _, err := ix.Search(context.Background(), q, 5); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("Search(%q) error = %v, want ErrEmptyQuery", q, err)
		}
	}
}

func TestAnswer(t *testing.T) {
	ix := mustIndex(t)
	b := mustLoad(t)
	tests := []struct {
		doc, article, q, want string
	}{
		{"", "十六.4", "企业发债有奖励吗", "对企业债券融资由受益财政按照融资额的1‰给予企业奖励"},
		{"", "十七.3", "交五险一金有补助吗", "对按照规定缴纳“五险一金”的企业,由受益财政给予一定补助。"},
		{"", "十八.1", "在原有土地上加盖厂房要交土地出让金吗", "不再增收土地出让金"},
		{"", "十七.5", "参加博览会有奖励吗", "受益财政对参展企业给予一定的奖励"},
		// What follows a breach comes with the duty it breaks.
		{"nansha-2017-hq", "十", "拿了奖以后搬走了会怎样 迁出", "应退回已获得的扶持资金"},
	}
	for _, tt := range tests {
		t.Run(tt.article, func(t *testing.T) {
			c, err := b.Clause(tt.doc, tt.article)
			if err != nil {
				t.Fatal(err)
			}
			got := ix.Answer(c, tt.q)
			if !strings.Contains(got, tt.want) {
				t.Errorf("Answer(%s, %q) = %q, want it to contain %q", tt.article, tt.q, got, tt.want)
			}
			if len([]rune(got)) > 200 {
				t.Errorf("answer is %d characters, want a sentence or two", len([]rune(got)))
			}
		})
	}
}

func TestCleanQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"企业债券融资有奖励吗?", "企业债券融资有奖励"},
		{"请问有没有节能奖励?", "节能奖励"},
		{"ＡＢＣ１２３", "abc123"},
		{"我们的营收突破5亿怎么奖励", "营收突破5亿 奖励"},
		{"吗?呢!", ""},
		{"贵公司的租金太贵吗", "公司 租金太贵"},
	}
	for _, tt := range tests {
		if got := CleanQuery(tt.in); got != tt.want {
			t.Errorf("CleanQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzCleanQuery checks that question clean-up never panics, is idempotent,
// never grows the text, and that search either answers or says there is
// nothing to search for.
func FuzzCleanQuery(f *testing.F) {
	for _, c := range readSearchCases(f, "testdata/search-dev.jsonl") {
		f.Add(c.Q)
	}
	f.Add("ＡＢＣ　请问?!")
	f.Add("\x00\xff吗")
	ix := mustIndex(f)
	f.Fuzz(func(t *testing.T, q string) {
		c := CleanQuery(q)
		if again := CleanQuery(c); again != c {
			t.Fatalf("CleanQuery not idempotent: %q -> %q -> %q", q, c, again)
		}
		if len([]rune(c)) > len([]rune(q)) {
			t.Fatalf("CleanQuery(%q) = %q grew", q, c)
		}
		if len([]rune(q)) > MaxQueryRunes {
			return
		}
		if _, err := ix.Search(context.Background(), q, 5); err != nil && !errors.Is(err, ErrEmptyQuery) {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		name, text string
		terms      []string
		n          int
		want       string
	}{
		{"adjacent pairs merge", "对企业债券融资给予奖励", []string{"债券", "券融", "融资"}, 20, "对企业<mark>债券融资</mark>给予奖励"},
		{"window at the densest part", "甲乙丙丁戊己庚辛壬癸奖励子丑", []string{"奖励"}, 6, "…庚辛壬癸<mark>奖励</mark>…"},
		{"html escaped", "a<b奖励", []string{"奖励"}, 10, "a&lt;b<mark>奖励</mark>"},
		{"nothing matched", "甲乙丙", []string{"奖励"}, 10, "甲乙丙"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := highlight(tt.text, tt.terms, tt.n); got != tt.want {
				t.Errorf("highlight = %q, want %q", got, tt.want)
			}
		})
	}
}
