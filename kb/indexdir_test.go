package kb

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// mustBuildIndex builds the index of the built-in library on disk under a
// new folder and returns its folder and the library.
func mustBuildIndex(tb testing.TB) (string, *Base, Synonyms) {
	tb.Helper()
	b := mustLoad(tb)
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(tb.TempDir(), IndexName("v1"))
	if _, err := BuildIndex(dir, b, "v1"); err != nil {
		tb.Fatal(err)
	}
	return dir, b, syn
}

// TestIndexOnDisk checks that the index built on disk and opened again
// answers every question of kb/testdata as the index built in memory does
// (the same clauses with the same scores and relevance), on the built-in
// library and on it with 5,000 synthetic clauses more, which the builder
// writes in several batches and merges, and where the postings budget
// decides which word pairs are searched. Scores may differ in their last
// bits, summed in another order, and hits of equal score come in either
// index's own order, so the hits are compared by score, then clause,
// leaving out those tied with the first hit not asked for.
func TestIndexOnDisk(t *testing.T) {
	syn, err := LoadSynonyms(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, extra := range []int{0, 5000} {
		t.Run(strconv.Itoa(extra), func(t *testing.T) {
			b := mustLoad(t)
			if extra > 0 {
				b.docs = append(b.docs, syntheticDocument(b, extra))
			}
			dir := filepath.Join(t.TempDir(), IndexName("v1"))
			if _, err := BuildIndex(dir, b, "v1"); err != nil {
				t.Fatal(err)
			}
			disk, err := OpenIndex(dir, b, syn, "v1")
			if err != nil {
				t.Fatal(err)
			}
			defer disk.Close()
			mem, err := NewIndex(b, syn)
			if err != nil {
				t.Fatal(err)
			}
			defer mem.Close()
			compareIndexes(t, mem, disk)
		})
	}
}

func compareIndexes(t *testing.T, mem, disk *Index) {
	if st := disk.Stamp(); st == nil || st.Library != "v1" || st.Clauses != len(mem.clauses) || len(st.Files) == 0 {
		t.Errorf("stamp = %+v, want library v1 with %d clauses and its files", st, len(mem.clauses))
	}
	if mem.Stamp() != nil {
		t.Error("an index in memory has a stamp")
	}
	if diff := gocmp.Diff(mem.df, disk.df); diff != "" {
		t.Errorf("postings per word pair (-memory +disk):\n%.2000s", diff)
	}
	type hit struct {
		Score        float64
		Doc, Article string
		Relevant     bool
	}
	const size = 10
	answers := func(ix *Index, q string) []hit {
		hits, err := ix.Search(context.Background(), q, size+1)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]hit, len(hits))
		for i, h := range hits {
			out[i] = hit{math.Round(h.Score*1e9) / 1e9, h.Clause.DocID, h.Clause.Article, h.Relevant()}
		}
		slices.SortFunc(out, func(a, b hit) int {
			return cmp.Or(-cmp.Compare(a.Score, b.Score), strings.Compare(a.Doc, b.Doc), strings.Compare(a.Article, b.Article))
		})
		if len(out) > size {
			out = slices.DeleteFunc(out, func(h hit) bool { return h.Score == out[size].Score })
		}
		return out
	}
	n := 0
	for _, set := range []string{"dev", "ours", "blind", "uncovered"} {
		for _, c := range readSearchCases(t, "testdata/search-"+set+".jsonl") {
			if diff := gocmp.Diff(answers(mem, c.Q), answers(disk, c.Q)); diff != "" {
				t.Errorf("%s %q: on disk (-memory +disk):\n%s", c.ID, c.Q, diff)
			}
			n++
		}
	}
	if n < 200 {
		t.Errorf("only %d questions asked", n)
	}
}

// TestOpenIndexRefuses checks that a folder that is not the complete index
// of the library is refused, never served: missing, half-written, of
// another library, or with a file changed, cut short, missing or added.
func TestOpenIndexRefuses(t *testing.T) {
	segment := func(t *testing.T, dir string) string {
		t.Helper()
		zaps, err := filepath.Glob(filepath.Join(dir, bleveDir, "store", "*.zap"))
		if err != nil || len(zaps) != 1 {
			t.Fatalf("segments %v (%v), want one", zaps, err)
		}
		return zaps[0]
	}
	tests := []struct {
		name    string
		version string
		spoil   func(t *testing.T, dir string)
		want    string
		noIndex bool
	}{
		{"missing", "v1", func(t *testing.T, dir string) { os.RemoveAll(dir) }, "no index", true},
		{"no stamp (half-written)", "v1", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, stampFile)) }, "no index", true},
		{"another library", "v2", func(t *testing.T, dir string) {}, "of library v1, not v2", false},
		{"garbled stamp", "v1", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, stampFile), []byte(`{"library": "v1",`), 0o644)
		}, stampFile, false},
		{"a byte of the segment changed", "v1", func(t *testing.T, dir string) {
			p := segment(t, dir)
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)/2] ^= 0xff
			os.WriteFile(p, raw, 0o644)
		}, "differ from its stamp", false},
		{"the segment cut short", "v1", func(t *testing.T, dir string) {
			p := segment(t, dir)
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			os.Truncate(p, fi.Size()/2)
		}, "differ from its stamp", false},
		{"root.bolt missing", "v1", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, bleveDir, "store", "root.bolt"))
		}, "root.bolt is missing", false},
		{"the postings counts edited", "v1", func(t *testing.T, dir string) {
			p := filepath.Join(dir, postingsFile)
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(p, []byte(strings.Replace(string(raw), "\t", "\t9", 1)), 0o644)
		}, "postings.tsv has", false},
		{"a file added", "v1", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, bleveDir, "store", "00000009.zap"), []byte("x"), 0o644)
		}, "not in the stamp", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, b, syn := mustBuildIndex(t)
			tt.spoil(t, dir)
			ix, err := OpenIndex(dir, b, syn, tt.version)
			if err == nil {
				ix.Close()
				t.Fatal("OpenIndex succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if got := errors.Is(err, ErrNoIndex); got != tt.noIndex {
				t.Errorf("errors.Is(%v, ErrNoIndex) = %v, want %v", err, got, tt.noIndex)
			}
		})
	}
}

// TestBuildIndexBeside checks that a build over a folder already there
// fails with fs.ErrExist, leaves that folder as it was and leaves no
// half-built folder behind.
func TestBuildIndexBeside(t *testing.T) {
	dir, b, syn := mustBuildIndex(t)
	before, err := readStamp(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BuildIndex(dir, b, "v1"); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a build over an index = %v, want fs.ErrExist", err)
	}
	after, err := readStamp(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Built.Equal(before.Built) {
		t.Error("the index was replaced")
	}
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the folder holds %v, want the index alone", entries)
	}
	ix, err := OpenIndex(dir, b, syn, "v1")
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}
