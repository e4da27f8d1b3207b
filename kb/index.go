package kb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"policybot/kb/gazetteer"
)

// Index answers questions with the clauses that best match them. It is safe
// for concurrent use.
type Index struct {
	idx      bleve.Index
	clauses  []*Clause // by bleve document id, which is the position here
	synonyms Synonyms
	tuning   tuning
	analyzer analysis.Analyzer
	// df counts the postings of each word pair over the searched fields.
	df map[string]int
	// chars counts the clauses that hold each character in their text,
	// title or section heading; Coverage weighs a question's characters by it.
	chars map[rune]int
	// figures counts the clauses whose text, title or heading hold a
	// number written in digits.
	figures int
	// areas holds each document's area by doc_id, and folded the fields of
	// the clauses that folding changes (see fieldsOf).
	areas  map[string]string
	folded map[int][5]string
	// gaz finds the places a question names, and placed holds each
	// document's area by doc_id, in library order, to favour the
	// documents whose area holds them.
	gaz    *gazetteer.Gazetteer
	placed []placedDoc
	// says files the synonyms' spoken words by their first character, and
	// grams what each clause holds, by position.
	says  map[rune][]sayWord
	grams []grams
	// stamp says what an index on disk was built from; nil in memory.
	stamp *IndexStamp
}

// placedDoc is a document's doc_id with the document, for its area.
type placedDoc struct {
	id  string
	doc *Document
}

// Hit is one clause found by Search.
type Hit struct {
	Clause *Clause
	Score  float64
	// asked is the question as Search asked it, and at the clause's
	// position in the index, for Coverage.
	asked *asked
	at    int
}

// tuning holds the choices BENCHMARKS.md measured one at a time on the
// development questions and ours; NewIndex uses defaultTuning.
type tuning struct {
	scoring    string   // "bm25", or "" for Bleve's default TF-IDF
	cleanUp    bool     // strip question words and punctuation
	synonyms   float64  // weight of the domain synonyms; 0 turns them off
	titleBoost float64  // 0 leaves the title out
	section    float64  // weight of the section heading; 0 leaves it out
	coverage   coverage // how Hit.Coverage is measured
	// budget bounds the postings one question reads: its rarest word pairs
	// are searched, up to budget postings in all, and the commoner ones,
	// which BM25 weighs least, are left out. The seed, and any corpus of a
	// few thousand clauses, never reaches it. 0 turns it off.
	budget int
}

// defaultTuning: BM25, clean-up and synonyms each raised recall; a title
// boost a little under 1 beat 2 or more (with five documents 0.3 to 0.8 are
// within a question or two of each other, and 0.8 keeps the seed's answers),
// and searching section headings lowered recall@1, so they are not indexed.
var defaultTuning = tuning{scoring: "bm25", cleanUp: true, synonyms: 0.5, titleBoost: 0.8, budget: 20000}

// NewIndex builds an in-memory scorch index of every clause of b, analysed
// with Bleve's cjk analyzer and scored with BM25.
func NewIndex(b *Base, synonyms Synonyms) (*Index, error) {
	return newIndex(b, synonyms, defaultTuning)
}

func newIndex(b *Base, synonyms Synonyms, t tuning) (*Index, error) {
	// NewMemOnly would use the old upsidedown backend, which ignores BM25.
	idx, err := bleve.NewUsing("", indexMapping(t), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("kb: create index: %w", err)
	}
	batch := idx.NewBatch()
	err = eachClause(b, func(id string, fields map[string]any) error { return batch.Index(id, fields) })
	if err == nil {
		err = idx.Batch(batch)
	}
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("kb: build index: %w", err)
	}
	ix, err := newIndexOver(idx, b, synonyms, t, nil)
	if err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

// indexMapping maps a clause's text, and its title and section heading as
// t weighs them, for the cjk analyzer and the scoring of t.
func indexMapping(t tuning) *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = cjk.AnalyzerName
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
	// The document a clause belongs to, as one keyword, so that a search
	// can be narrowed to some documents.
	docField := bleve.NewKeywordFieldMapping()
	docField.Store = false
	docField.IncludeInAll = false
	doc.AddFieldMappingsAt("doc", docField)
	if t.titleBoost > 0 {
		doc.AddFieldMappingsAt("title", text())
	}
	if t.section > 0 {
		doc.AddFieldMappingsAt("section", text())
	}
	m.DefaultMapping = doc
	return m
}

// eachClause calls index with the Bleve id and the fields of every clause
// of b, in the order of b's documents: the id is the clause's position in
// that order, as ix.clauses holds them.
func eachClause(b *Base, index func(id string, fields map[string]any) error) error {
	n := 0
	for _, d := range b.Documents() {
		for i := range d.Clauses {
			c := &d.Clauses[i]
			if err := index(strconv.Itoa(n), map[string]any{
				"doc":     d.DocID,
				"title":   c.Title,
				"text":    c.Text,
				"section": c.Section,
			}); err != nil {
				return fmt.Errorf("%s %s: %w", c.DocNo, c.Article, err)
			}
			n++
		}
	}
	return nil
}

// newIndexOver returns the Index of the clauses of b searched in idx, an
// index of exactly those clauses built by eachClause, with what Coverage
// and the query need beside it. df holds the postings of each word pair
// when they were counted before, or is nil to count them now.
func newIndexOver(idx bleve.Index, b *Base, synonyms Synonyms, t tuning, df map[string]int) (*Index, error) {
	ix := &Index{
		idx: idx, synonyms: synonyms, tuning: t, analyzer: indexMapping(t).AnalyzerNamed(cjk.AnalyzerName),
		df: df, chars: map[rune]int{}, areas: map[string]string{}, folded: map[int][5]string{},
		gaz: b.Gazetteer(),
	}
	if ix.analyzer == nil {
		return nil, errors.New("kb: the cjk analyzer is not registered")
	}
	for _, d := range b.Documents() {
		ix.areas[d.DocID] = d.Jurisdiction
		ix.placed = append(ix.placed, placedDoc{d.DocID, d})
		for i := range d.Clauses {
			ix.clauses = append(ix.clauses, &d.Clauses[i])
		}
	}
	if ix.df == nil {
		var err error
		if ix.df, err = countPostings(idx, ix.fields()); err != nil {
			return nil, err
		}
	}
	ix.prepareClauses()
	ix.indexSynonyms()
	return ix, nil
}

// Close releases the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// Ready returns nil while the index is open and answers, and why not
// otherwise (a closed index is bleve.ErrorIndexClosed).
func (ix *Index) Ready() error {
	if _, err := ix.idx.DocCount(); err != nil {
		return fmt.Errorf("kb: index: %w", err)
	}
	return nil
}

// ErrEmptyQuery is returned when a question has nothing left to search for
// once question words and punctuation are removed.
var ErrEmptyQuery = errors.New("kb: nothing to search for")

// Search returns up to size clauses that best answer q, best first.
func (ix *Index) Search(ctx context.Context, q string, size int) ([]Hit, error) {
	return ix.SearchIn(ctx, q, size, nil)
}

// SearchIn is Search among the clauses of the documents docIDs; nil means
// every document, and an empty non-nil list none. When the question names
// a place, the hits of the documents whose area holds it come first, best
// first, and then the others: a clause of another area does not apply to
// an enterprise there, however well it matches the words.
func (ix *Index) SearchIn(ctx context.Context, q string, size int, docIDs []string) ([]Hit, error) {
	if docIDs != nil && len(docIDs) == 0 {
		return []Hit{}, nil
	}
	sd := cleanQuery(q)
	if sd.words == "" {
		return nil, ErrEmptyQuery
	}
	asked := &asked{ix: ix, said: sd}
	words := sd.words
	local, rest := ix.placeDocs(sd.words, docIDs)
	switch {
	case !ix.tuning.cleanUp:
		words = strings.TrimSpace(q)
	case local != nil && rest != "":
		// The place has chosen the documents; its name would only raise
		// the clauses that happen to print it.
		words = rest
	}
	var extra []string
	var own map[string][]string
	if ix.tuning.synonyms > 0 {
		extra, own = ix.synonyms.expand(sd.text, ix.spokenEntries(sd.text))
	}
	qry := ix.query(words, extra, own)
	asked.searched, asked.extra, asked.own = words, extra, own
	if local == nil {
		return ix.run(ctx, qry, size, docIDs, asked)
	}
	hits, err := ix.run(ctx, qry, size, local, asked)
	if err != nil || len(hits) == size {
		return hits, err
	}
	// Fewer than size clauses of the place's documents match, so the first
	// size hits of all hold every one of them and at least as many others
	// as are still wanted.
	all, err := ix.run(ctx, qry, size, docIDs, asked)
	if err != nil {
		return nil, err
	}
	for _, h := range all {
		if len(hits) == size {
			break
		}
		if !slices.Contains(local, h.Clause.DocID) {
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// run returns the first size hits of qry among the clauses of docIDs (nil
// for every document).
func (ix *Index) run(ctx context.Context, qry query.Query, size int, docIDs []string, asked *asked) ([]Hit, error) {
	if docIDs != nil {
		qry = query.NewConjunctionQuery([]query.Query{qry, docFilter(docIDs)})
	}
	req := bleve.NewSearchRequestOptions(qry, size, 0, false)
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
		hits = append(hits, Hit{Clause: ix.clauses[i], Score: h.Score, asked: asked, at: i})
	}
	return hits, nil
}

// placeDocs returns those of docIDs (nil for every document) whose area
// holds a place the cleaned question words name, as DocumentsIn reads an
// area, and the words without the names of the places; nil when they name
// none, or when every one of them, or none, holds it. A short form the
// gazetteer derived alone (振兴 of 振兴区) is not taken for a place: it is
// the likeliest false hit, and the library's regions.yaml lists the short
// forms people use (南沙, 柳河).
func (ix *Index) placeDocs(words string, docIDs []string) ([]string, string) {
	if ix.gaz == nil {
		return nil, ""
	}
	var places []*gazetteer.Division
	var rest strings.Builder
	from := 0
	for _, m := range ix.gaz.Find(words) {
		if !m.Derived {
			places = append(places, m.Divisions...)
			rest.WriteString(words[from:m.Start])
			rest.WriteByte(' ')
			from = m.End
		}
	}
	if len(places) == 0 {
		return nil, ""
	}
	rest.WriteString(words[from:])
	var local []string
	others := false
	for _, p := range ix.placed {
		if docIDs != nil && !slices.Contains(docIDs, p.id) {
			continue
		}
		if slices.ContainsFunc(places, p.doc.Holds) {
			local = append(local, p.id)
		} else {
			others = true
		}
	}
	if !others || local == nil {
		return nil, ""
	}
	return local, strings.Join(strings.Fields(rest.String()), " ")
}

// countPostings reads from the index how many postings each word pair has
// across the searched fields. The dictionary lists the pairs, but its
// counts are wrong in a segment merged from others, as the builder of an
// index on disk makes (zapx v17 reuses one postings list across the
// entries of its iterator), so each pair's postings are counted by a
// reader of its own, as a search counts them.
func countPostings(idx bleve.Index, fields []field) (map[string]int, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("kb: count postings: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("kb: count postings: %w", err)
	}
	defer r.Close()
	ctx := context.Background()
	df := map[string]int{}
	for _, f := range fields {
		if err := countField(ctx, r, f.name, df); err != nil {
			return nil, fmt.Errorf("kb: count postings of %s: %w", f.name, err)
		}
	}
	return df, nil
}

func countField(ctx context.Context, r index.IndexReader, field string, df map[string]int) error {
	dict, err := r.FieldDict(field)
	if err != nil {
		return err
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			return err
		}
		tfr, err := r.TermFieldReader(ctx, []byte(e.Term), field, false, false, false)
		if err != nil {
			return err
		}
		df[e.Term] += int(tfr.Count())
		if err := tfr.Close(); err != nil {
			return err
		}
	}
}

// terms returns the distinct word pairs the analyzer makes of s, in order.
func (ix *Index) terms(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, tok := range ix.analyzer.Analyze([]byte(s)) {
		if t := string(tok.Term); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// query asks for the question's word pairs, and at a lower weight those of
// its shared synonyms, in every indexed field, as one flat disjunction of
// terms: the rarest pairs first, as many as the postings budget allows. The
// synonyms of a document's own table are asked for in that document only.
func (ix *Index) query(words string, synonyms []string, own map[string][]string) query.Query {
	type weighted struct {
		term string
		w    float64
	}
	var terms []weighted
	seen := map[string]bool{}
	add := func(s string, w float64) {
		for _, t := range ix.terms(s) {
			if !seen[t] {
				seen[t] = true
				terms = append(terms, weighted{t, w})
			}
		}
	}
	add(words, 1)
	if len(synonyms) > 0 {
		add(strings.Join(synonyms, " "), ix.tuning.synonyms)
	}
	// The rarest pairs come first; ties keep question order.
	slices.SortStableFunc(terms, func(a, b weighted) int { return cmp.Compare(ix.df[a.term], ix.df[b.term]) })
	var qs []query.Query
	read := 0
	for i, t := range terms {
		if ix.tuning.budget > 0 && i > 0 && read+ix.df[t.term] > ix.tuning.budget {
			break
		}
		read += ix.df[t.term]
		qs = append(qs, ix.termQueries(t.term, t.w)...)
	}
	docs := make([]string, 0, len(own))
	for doc := range own {
		docs = append(docs, doc)
	}
	slices.Sort(docs)
	// Each of a document's own word pairs is a term of the one disjunction,
	// as a shared synonym's is, only restricted to that document: with one
	// document the ranking is what one shared table gives.
	for _, doc := range docs {
		only := docFilter([]string{doc})
		for _, t := range ix.terms(strings.Join(own[doc], " ")) {
			if seen[t] {
				continue
			}
			for _, tq := range ix.termQueries(t, ix.tuning.synonyms) {
				qs = append(qs, query.NewConjunctionQuery([]query.Query{only, tq}))
			}
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// termQueries asks for one word pair in every indexed field.
func (ix *Index) termQueries(term string, w float64) []query.Query {
	var qs []query.Query
	for _, f := range ix.fields() {
		q := query.NewTermQuery(term)
		q.SetField(f.name)
		q.SetBoost(w * f.boost)
		qs = append(qs, q)
	}
	return qs
}

// docFilter matches the clauses of the documents docIDs without adding to
// their score: a document with few clauses would otherwise score high on its
// own id.
func docFilter(docIDs []string) query.Query {
	docs := make([]query.Query, len(docIDs))
	for i, id := range docIDs {
		t := query.NewTermQuery(id)
		t.SetField("doc")
		t.SetBoost(0)
		docs[i] = t
	}
	return query.NewDisjunctionQuery(docs)
}

type field struct {
	name  string
	boost float64
}

// fields lists the indexed fields with their boosts.
func (ix *Index) fields() []field { return ix.tuning.fields() }

// fields lists the fields t indexes with their boosts.
func (t tuning) fields() []field {
	fs := []field{{"text", 1}}
	if t.titleBoost > 0 {
		fs = append(fs, field{"title", t.titleBoost})
	}
	if t.section > 0 {
		fs = append(fs, field{"section", t.section})
	}
	return fs
}
