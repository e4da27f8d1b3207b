package kb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Index answers questions with the clauses that best match them. It is safe
// for concurrent use.
type Index struct {
	idx      bleve.Index
	clauses  []*Clause // by bleve document id, which is the position here
	synonyms Synonyms
	tuning   tuning
}

// Hit is one clause found by Search.
type Hit struct {
	Clause *Clause
	Score  float64
	// Highlight is the best fragment of the clause text with the matched
	// words in <mark></mark>.
	Highlight string
}

// tuning holds the choices BENCHMARKS.md measured one at a time on the
// development questions and ours; NewIndex uses defaultTuning.
type tuning struct {
	scoring    string  // "bm25", or "" for Bleve's default TF-IDF
	cleanUp    bool    // strip question words and punctuation
	synonyms   float64 // weight of the domain synonyms; 0 turns them off
	titleBoost float64 // 0 leaves the title out
	section    float64 // weight of the section heading; 0 leaves it out
}

// defaultTuning: BM25, clean-up and synonyms each raised recall; a title
// boost a little under 1 beat 2 or more, and searching section headings
// lowered recall@1, so they are not indexed.
var defaultTuning = tuning{scoring: "bm25", cleanUp: true, synonyms: 0.5, titleBoost: 0.8}

// NewIndex builds an in-memory scorch index of every clause of b, analysed
// with Bleve's cjk analyzer and scored with BM25.
func NewIndex(b *Base, synonyms Synonyms) (*Index, error) {
	return newIndex(b, synonyms, defaultTuning)
}

func newIndex(b *Base, synonyms Synonyms, t tuning) (*Index, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = cjk.AnalyzerName
	// NewMemOnly would use the old upsidedown backend, which ignores BM25.
	m.ScoringModel = t.scoring
	doc := bleve.NewDocumentMapping()
	// Only the fields mapped below are indexed.
	doc.Dynamic = false
	// Clauses are kept in ix.clauses and highlighted by highlight, so the
	// index stores neither field values nor term vectors.
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = cjk.AnalyzerName
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		return f
	}
	doc.AddFieldMappingsAt("text", text())
	if t.titleBoost > 0 {
		doc.AddFieldMappingsAt("title", text())
	}
	if t.section > 0 {
		doc.AddFieldMappingsAt("section", text())
	}
	m.DefaultMapping = doc

	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("kb: create index: %w", err)
	}
	ix := &Index{idx: idx, synonyms: synonyms, tuning: t}
	batch := idx.NewBatch()
	for _, d := range b.Documents() {
		for i := range d.Clauses {
			c := &d.Clauses[i]
			id := strconv.Itoa(len(ix.clauses))
			ix.clauses = append(ix.clauses, c)
			if err := batch.Index(id, map[string]any{
				"title":   c.Title,
				"text":    c.Text,
				"section": c.Section,
			}); err != nil {
				return nil, fmt.Errorf("kb: index %s %s: %w", c.DocNo, c.Article, err)
			}
		}
	}
	if err := idx.Batch(batch); err != nil {
		return nil, fmt.Errorf("kb: build index: %w", err)
	}
	return ix, nil
}

// Close releases the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// ErrEmptyQuery is returned when a question has nothing left to search for
// once question words and punctuation are removed.
var ErrEmptyQuery = errors.New("kb: nothing to search for")

// Search returns up to size clauses that best answer q, best first.
func (ix *Index) Search(ctx context.Context, q string, size int) ([]Hit, error) {
	words := CleanQuery(q)
	if words == "" {
		return nil, ErrEmptyQuery
	}
	if !ix.tuning.cleanUp {
		words = strings.TrimSpace(q)
	}
	disjuncts := ix.fieldQueries(words, 1)
	var extra []string
	if ix.tuning.synonyms > 0 {
		extra = ix.synonyms.Expand(words)
	}
	if len(extra) > 0 {
		disjuncts = append(disjuncts, ix.fieldQueries(strings.Join(extra, " "), ix.tuning.synonyms)...)
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(disjuncts), size, 0, false)
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("kb: search: %w", err)
	}
	terms := bigrams(words)
	for _, w := range extra {
		terms = append(terms, bigrams(w)...)
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil || i < 0 || i >= len(ix.clauses) {
			return nil, fmt.Errorf("kb: search: unknown document id %q", h.ID)
		}
		c := ix.clauses[i]
		hits = append(hits, Hit{Clause: c, Score: h.Score, Highlight: highlight(c.Text, terms, highlightRunes)})
	}
	return hits, nil
}

// fieldQueries matches words against the indexed fields.
func (ix *Index) fieldQueries(words string, weight float64) []query.Query {
	match := func(field string, boost float64) query.Query {
		q := query.NewMatchQuery(words)
		q.SetField(field)
		q.Analyzer = cjk.AnalyzerName
		q.SetBoost(boost * weight)
		return q
	}
	qs := []query.Query{match("text", 1)}
	if ix.tuning.titleBoost > 0 {
		qs = append(qs, match("title", ix.tuning.titleBoost))
	}
	if ix.tuning.section > 0 {
		qs = append(qs, match("section", ix.tuning.section))
	}
	return qs
}
