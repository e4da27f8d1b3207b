package kb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"policybot/internal/evalset"
)

// coveredSets are the question sets the library answers, each with the
// clause that answers it; uncoveredSet holds questions it does not answer.
var (
	coveredSets = []string{
		"testdata/search-dev.jsonl", // the same as ../shared/eval/search-dev.jsonl, kept here so a clone alone tests
		"testdata/search-ours.jsonl",
		"testdata/search-blind.jsonl",
		"testdata/search-blind-newdocs.jsonl",
		"testdata/search-colloquial.jsonl",
		"testdata/search-blind-heldout3.jsonl",
		"testdata/search-blind-heldout4.jsonl",
		"testdata/search-blind-heldout5.jsonl",
	}
	uncoveredSet = "testdata/search-uncovered.jsonl"
)

// floorHits is how many hits of an uncovered question must all be below the
// floor: a page of /v1/search.
const floorHits = 10

// judged is a question with the coverage that decides it: for a covered
// question, the highest of the hits that answer it (-1 when the first
// floorHits hits miss it); for an uncovered one, the highest of its hits.
type judged struct {
	set, id, q string
	covered    bool
	coverage   float64
	hit        string // doc_id/article of the hit judged
}

// judge runs every question of the sets through ix.
func judge(tb testing.TB, ix *Index) []judged {
	tb.Helper()
	ctx := context.Background()
	var out []judged
	for _, set := range coveredSets {
		for _, c := range readSearchCases(tb, set) {
			var only []string
			if c.DocID != "" {
				only = []string{c.DocID}
			}
			hits, err := ix.SearchIn(ctx, c.Q, floorHits, only)
			if err != nil {
				tb.Fatalf("%s %s: %v", set, c.ID, err)
			}
			j := judged{set: set, id: c.ID, q: c.Q, covered: true, coverage: -1}
			// Where several clauses answer, the best covered one counts.
			for _, h := range hits {
				if slices.Contains(c.Articles, h.Clause.Article) && docOK(c.Doc, h.Clause) && h.Coverage() > j.coverage {
					j.coverage, j.hit = h.Coverage(), h.Clause.DocID+"/"+h.Clause.Article
				}
			}
			out = append(out, j)
		}
	}
	for _, c := range evalset.Read[evalset.Search](tb, uncoveredSet) {
		hits, err := ix.Search(ctx, c.Q, floorHits)
		if err != nil {
			tb.Fatalf("%s %s: %v", uncoveredSet, c.ID, err)
		}
		j := judged{set: uncoveredSet, id: c.ID, q: c.Q}
		for _, h := range hits {
			if h.Coverage() > j.coverage || j.hit == "" {
				j.coverage, j.hit = h.Coverage(), h.Clause.DocID+"/"+h.Clause.Article
			}
		}
		out = append(out, j)
	}
	return out
}

// separation counts the covered questions whose hit reaches floor and the
// uncovered ones all of whose hits are below it.
type separation struct {
	covered, coveredAbove, uncovered, uncoveredBelow int
}

func separate(js []judged, floor float64) separation {
	var s separation
	for _, j := range js {
		if j.covered {
			s.covered++
			if j.coverage >= floor {
				s.coveredAbove++
			}
		} else {
			s.uncovered++
			if j.coverage < floor {
				s.uncoveredBelow++
			}
		}
	}
	return s
}

func (s separation) String() string {
	return fmt.Sprintf("covered above %d/%d (%.1f%%), uncovered below %d/%d (%.1f%%)",
		s.coveredAbove, s.covered, 100*float64(s.coveredAbove)/float64(s.covered),
		s.uncoveredBelow, s.uncovered, 100*float64(s.uncoveredBelow)/float64(s.uncovered))
}

func (s separation) errors() int { return s.covered - s.coveredAbove + s.uncovered - s.uncoveredBelow }

// bestFloor returns the floor that misjudges the fewest questions, midway
// between the two coverages it falls between.
func bestFloor(js []judged) (float64, separation) {
	cs := []float64{0}
	for _, j := range js {
		cs = append(cs, j.coverage)
	}
	sort.Float64s(cs)
	best, bestSep := 0.0, separate(js, 0)
	for k := 1; k < len(cs); k++ {
		f := (cs[k-1] + cs[k]) / 2
		if s := separate(js, f); s.errors() < bestSep.errors() {
			best, bestSep = f, s
		}
	}
	return best, bestSep
}

// TestRelevanceFloor checks that RelevanceFloor keeps the answering clause
// of at least 93% of the covered questions above it and puts every hit of
// at least 95% of the uncovered questions below it, and lists those it
// misjudges. The two overlap: a colloquial question that says little in
// the documents' words falls below, and a near miss that shares most of its
// words with a clause about something else (农机购置补贴 and 购置办公房产
// 补贴) stays above; BENCHMARKS.md lists both.
func TestRelevanceFloor(t *testing.T) {
	js := judge(t, mustIndex(t))
	s := separate(js, RelevanceFloor)
	t.Logf("floor %.2f: %v", RelevanceFloor, s)
	// The questions of ids ch and uh were written after the floor was set,
	// and never tuned on.
	var held []judged
	for _, j := range js {
		if strings.HasPrefix(j.id, "ch") || strings.HasPrefix(j.id, "uh") {
			held = append(held, j)
		}
	}
	t.Logf("of them, written after the floor was set: %v", separate(held, RelevanceFloor))
	f, bs := bestFloor(js)
	t.Logf("best floor %.3f: %v", f, bs)
	for _, j := range js {
		switch {
		case j.covered && j.coverage < 0:
			t.Logf("covered, not in the first %d hits: %s %s %q", floorHits, j.set, j.id, j.q)
		case j.covered && j.coverage < RelevanceFloor:
			t.Logf("covered, below the floor: %.2f %s %s %q (%s)", j.coverage, j.set, j.id, j.q, j.hit)
		case !j.covered && j.coverage >= RelevanceFloor:
			t.Logf("uncovered, above the floor: %.2f %s %q (%s)", j.coverage, j.id, j.q, j.hit)
		}
	}
	if s.uncovered < 60 {
		t.Errorf("%s has %d questions, want at least 60", uncoveredSet, s.uncovered)
	}
	// 93%: the development questions count once here; when the floor was
	// set they counted twice, as ../shared's copy too.
	if got := float64(s.coveredAbove) / float64(s.covered); got < 0.93 {
		t.Errorf("%.1f%% of covered questions keep their clause above the floor, want at least 93%%", 100*got)
	}
	if got := float64(s.uncoveredBelow) / float64(s.uncovered); got < 0.95 {
		t.Errorf("%.1f%% of uncovered questions fall below the floor, want at least 95%%", 100*got)
	}
}

// TestCoverageChoices measures each choice of how Coverage is measured, one
// at a time against the default, at the floor that suits each best; logs
// the table BENCHMARKS.md quotes; and fails if a change would misjudge
// clearly fewer questions than the default.
func TestCoverageChoices(t *testing.T) {
	base := mustLoad(t)
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	variants := []struct {
		name string
		c    coverage
	}{
		{"default: characters, stop words out, document words", coverage{}},
		{"word pairs instead of characters", coverage{pairs: true}},
		{"stop words kept", coverage{noStop: true}},
		{"no document words", coverage{noDocWords: true}},
		{"word pairs, stop words kept, no document words", coverage{pairs: true, noStop: true, noDocWords: true}},
	}
	var def int
	for i, v := range variants {
		tu := defaultTuning
		tu.coverage = v.c
		ix, err := newIndex(base, syn, tu)
		if err != nil {
			t.Fatal(err)
		}
		js := judge(t, ix)
		ix.Close()
		f, s := bestFloor(js)
		line := fmt.Sprintf("%-50s best floor %.2f: %v", v.name, f, s)
		if i == 0 {
			def = s.errors()
			line += fmt.Sprintf("; at %.2f: %v", RelevanceFloor, separate(js, RelevanceFloor))
		}
		t.Log(line)
		if i > 0 && s.errors() < def-2 {
			t.Errorf("%s misjudges %d questions, the default %d", v.name, s.errors(), def)
		}
	}
}

// TestCoverage checks the measure on questions whose answer is plain.
func TestCoverage(t *testing.T) {
	ix := mustIndex(t)
	b := mustLoad(t)
	tests := []struct {
		name, doc, article, q string
		min, max              float64
	}{
		{"every word held", "ganzhou-2014-26", "十六.4", "企业债券融资奖励", 1, 1},
		{"a synonym counts as its word", "ganzhou-2014-26", "十六.4", "发债奖励", 1, 1},
		{"stop words do not count", "ganzhou-2014-26", "十六.4", "我们公司能不能拿发债奖励", 1, 1},
		{"the document's area counts", "liuhe-industry", "二.5", "柳河中药材种植基地", 1, 1},
		{"a word of the question the clause lacks", "nansha-2017-tech", "二十五", "个人住房公积金贷款", 0, 0.5},
		{"nothing held", "ganzhou-2014-26", "十六.4", "驾驶证换证", 0, 0},
		{"a number is a word", "ganzhou-2014-26", "十七.1", "5亿元", 1, 1},
		{"3 is not in 30", "nansha-2017-tech", "二", "3万元", 0, 0.9},
		{"a word of letters counts by its synonym", "liuhe-industry", "二.8", "柳河企业IPO", 1, 1},
		{"a spoken word with parts apart counts", "nansha-2017-hq", "三.1", "税区里返", 1, 1},
		{"a spoken word with a question word in it counts", "nansha-2017-hq", "二.2", "交的税", 1, 1},
		{"what the library lacks counts against", "ganzhou-2014-26", "十五.3", "个人买新能源汽车", 0, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := b.Clause(tt.doc, tt.article)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(ix.clauses, func(x *Clause) bool { return x.DocID == c.DocID && x.Article == c.Article })
			q := ix.prepare(cleanQuery(tt.q))
			got := ix.coverageOf(q, i, make([]int8, len(q.terms)))
			if got < tt.min-1e-9 || got > tt.max+1e-9 {
				t.Errorf("coverage of %s %s for %q = %.2f, want %.2f to %.2f", tt.doc, tt.article, tt.q, got, tt.min, tt.max)
			}
		})
	}
}

// TestHoldsMatchesAnalyzer checks that looking a word pair up in a clause's
// text finds what the analyzer makes of that text.
func TestHoldsMatchesAnalyzer(t *testing.T) {
	ix := mustIndex(t)
	for i, c := range ix.clauses {
		fields := ix.fieldsOf(i)
		for _, tok := range ix.analyzer.Analyze([]byte(c.Text)) {
			tm := term{s: string(tok.Term), word: !isCJK(tok.Type)}
			if !holds(fields[:], tm) {
				t.Errorf("%s %s: the analyzer makes %q of the text, holds does not find it", c.DocID, c.Article, tm.s)
			}
		}
	}
}
