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
}

// Hit is one clause found by Search.
type Hit struct {
	Clause *Clause
	Score  float64
	// Highlight is the best fragment of the clause text with the matched
	// words in <mark></mark>; empty when only the title matched.
	Highlight string
}

// Field boosts, chosen on the development questions (see BENCHMARKS.md):
// the title is short and written by us, so a title match is worth a little
// less than the same words in the text would suggest under BM25.
const (
	titleBoost    = 0.8
	sectionBoost  = 0.3
	synonymWeight = 0.5
)

// NewIndex builds an in-memory scorch index of every clause of b, analysed
// with Bleve's cjk analyzer and scored with BM25.
func NewIndex(b *Base, synonyms Synonyms) (*Index, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = cjk.AnalyzerName
	// NewMemOnly would use the old upsidedown backend, which ignores BM25.
	m.ScoringModel = "bm25"
	doc := bleve.NewDocumentMapping()
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = cjk.AnalyzerName
		f.Store = true
		f.IncludeTermVectors = true
		return f
	}
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("text", text())
	doc.AddFieldMappingsAt("section", text())
	m.DefaultMapping = doc

	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("kb: create index: %w", err)
	}
	ix := &Index{idx: idx, synonyms: synonyms}
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
	disjuncts := fieldQueries(words, 1)
	if extra := ix.synonyms.Expand(words); len(extra) > 0 {
		disjuncts = append(disjuncts, fieldQueries(strings.Join(extra, " "), synonymWeight)...)
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(disjuncts), size, 0, false)
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField("text")
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("kb: search: %w", err)
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil || i < 0 || i >= len(ix.clauses) {
			return nil, fmt.Errorf("kb: search: unknown document id %q", h.ID)
		}
		hit := Hit{Clause: ix.clauses[i], Score: h.Score}
		if frags := h.Fragments["text"]; len(frags) > 0 {
			// Adjacent bigram marks read better as one span.
			hit.Highlight = strings.ReplaceAll(frags[0], "</mark><mark>", "")
		}
		hits = append(hits, hit)
	}
	return hits, nil
}

// fieldQueries matches words against the title, text and section fields.
func fieldQueries(words string, weight float64) []query.Query {
	match := func(field string, boost float64) query.Query {
		q := query.NewMatchQuery(words)
		q.SetField(field)
		q.Analyzer = cjk.AnalyzerName
		q.SetBoost(boost * weight)
		return q
	}
	return []query.Query{match("text", 1), match("title", titleBoost), match("section", sectionBoost)}
}
