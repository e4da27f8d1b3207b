package kb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// BenchmarkIndexBuild measures building the index of the seed document.
func BenchmarkIndexBuild(b *testing.B) {
	base := mustLoad(b)
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ix, err := NewIndex(base, syn)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkSearch measures one question against the seed, cycling through
// the development questions, and reports the latency percentiles.
func BenchmarkSearch(b *testing.B) {
	benchmarkSearch(b, mustIndex(b))
}

// BenchmarkSearchPlace measures the questions of the sets that name a
// place some documents' areas hold and others' do not, which search first
// among the place's documents and, when those match fewer clauses than
// asked for, among all; it reports their latency percentiles.
func BenchmarkSearchPlace(b *testing.B) {
	ix := mustIndex(b)
	var qs []string
	for _, set := range append(retrievalSets, "testdata/search-colloquial.jsonl") {
		for _, c := range readSearchCases(b, set) {
			if local, _ := ix.placeDocs(CleanQuery(c.Q), nil); local != nil {
				qs = append(qs, c.Q)
			}
		}
	}
	if len(qs) < 20 {
		b.Fatalf("%d questions name a place, want at least 20", len(qs))
	}
	ctx := context.Background()
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := ix.Search(ctx, qs[i%len(qs)], 10); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(len(qs)), "questions")
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkRelevance measures what the relevance floor costs once a search
// has its hits: the Relevant of the first hit, which prepares the question,
// and then of the other nine, as /v1/search asks for each; for the
// questions BenchmarkSearch asks. Search itself does none of this work.
func BenchmarkRelevance(b *testing.B) {
	ix := mustIndex(b)
	cases := append(readSearchCases(b, "testdata/search-dev.jsonl"), readSearchCases(b, "testdata/search-ours.jsonl")...)
	ctx := context.Background()
	var first, all []time.Duration
	i := 0
	for b.Loop() {
		b.StopTimer()
		hits, err := ix.Search(ctx, cases[i%len(cases)].Q, 10)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		hits[0].Relevant()
		first = append(first, time.Since(start))
		for _, h := range hits[1:] {
			h.Relevant()
		}
		all = append(all, time.Since(start))
		i++
	}
	slices.Sort(first)
	slices.Sort(all)
	b.ReportMetric(float64(first[len(first)/2].Nanoseconds())/1000, "first-p50-µs")
	b.ReportMetric(float64(all[len(all)/2].Nanoseconds())/1000, "ten-p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Nanoseconds())/1000, "ten-p99-µs")
}

// BenchmarkSearch100k measures the same questions against the seed plus
// 100,000 synthetic clauses made from the seed's own words, and reports the
// build time, the heap the index holds, and recall@3 among the distractors.
func BenchmarkSearch100k(b *testing.B) {
	benchmarkLarge(b, 100_000)
}

// BenchmarkSearch100kDisk is BenchmarkSearch100k on the index built on
// disk by BuildIndex and opened by OpenIndex, as serve --kb searches it;
// it reports the build and the open apart.
func BenchmarkSearch100kDisk(b *testing.B) {
	base := mustLoad(b)
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	base.docs = append(base.docs, syntheticDocument(base, 100_000))
	dir := filepath.Join(b.TempDir(), IndexName("bench"))
	start := time.Now()
	if _, err := BuildIndex(dir, base, "bench"); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start = time.Now()
	ix, err := OpenIndex(dir, base, syn, "bench")
	if err != nil {
		b.Fatal(err)
	}
	open := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Cleanup(func() { ix.Close() })
	benchmarkSearch(b, ix)
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(open.Seconds(), "open-s")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
}

// BenchmarkSearch10k is the middle point of the growth curve.
func BenchmarkSearch10k(b *testing.B) {
	benchmarkLarge(b, 10_000)
}

func benchmarkLarge(b *testing.B, n int) {
	base := mustLoad(b)
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	base.docs = append(base.docs, syntheticDocument(base, n))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix, err := NewIndex(base, syn)
	if err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Cleanup(func() { ix.Close() })
	benchmarkSearch(b, ix)
	// Metrics are reported after the timed loop, which would reset them.
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
}

func benchmarkSearch(b *testing.B, ix *Index) {
	cases := append(readSearchCases(b, "testdata/search-dev.jsonl"), readSearchCases(b, "testdata/search-ours.jsonl")...)
	ctx := context.Background()
	found := 0
	for _, c := range cases {
		hits, err := ix.Search(ctx, c.Q, 3)
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range hits {
			if slices.Contains(c.Articles, h.Clause.Article) && h.Clause.DocNo == "赣市府发〔2014〕26号" {
				found++
				break
			}
		}
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := ix.Search(ctx, cases[i%len(cases)].Q, 10); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(found)/float64(len(cases)), "recall@3")
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// syntheticDocument makes n clauses of 20 to 80 words drawn from the words
// of the seed document, so that the index's vocabulary and term statistics
// resemble a much larger body of real policy text.
func syntheticDocument(base *Base, n int) *Document {
	var words []string
	for _, d := range base.Documents() {
		for _, c := range d.Clauses {
			words = append(words, hanRuns(c.Text)...)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(k int) string {
		var sb strings.Builder
		for range k {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		return sb.String()
	}
	d := &Document{DocNo: "合成发〔2026〕1号", Title: "合成文件"}
	d.Clauses = make([]Clause, n)
	for i := range d.Clauses {
		d.Clauses[i] = Clause{
			DocNo: d.DocNo, Article: fmt.Sprintf("%s.%d", ChineseNumeral(i/999%99+1), i%999+1),
			Section: pick(2), Title: pick(3), Text: pick(20+rng.IntN(60)) + "。",
		}
	}
	return d
}

// hanRuns cuts text into runs of two to four Han characters.
func hanRuns(text string) []string {
	var out []string
	var run []rune
	flush := func() {
		for len(run) >= 2 {
			k := min(len(run), 2+len(run)%3)
			out = append(out, string(run[:k]))
			run = run[k:]
		}
		run = run[:0]
	}
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
			continue
		}
		flush()
	}
	flush()
	return out
}
