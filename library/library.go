// Package library loads a policy library (documents, the catalogue of facts,
// rules, cases, synonyms) into one immutable value, and keeps the value a
// server answers from, replacing it only by a library that loads and passes
// its own test cases.
package library

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"policybot/dialogue"
	"policybot/kb"
	"policybot/matcher"
)

// Library is one loaded library. It is immutable and safe for concurrent
// use: a request takes the current one at its start and keeps it to the end.
type Library struct {
	Base   *kb.Base
	Index  *kb.Index
	Engine *matcher.Engine
	// Version is a hash of every file of the library, so that replicas
	// serving different libraries show it.
	Version string
	// Source says where the library was read from: "built-in" or a folder.
	Source   string
	LoadedAt time.Time

	chat *dialogue.Source
	// refs counts the requests using the library; once it is retired (no
	// longer served) the last of them closes it.
	refs      atomic.Int64
	retired   atomic.Bool
	closeOnce sync.Once
}

// Open loads the library of fsys and builds its search index. It does not
// run the test cases; see Check.
func Open(fsys fs.FS, source string) (*Library, error) {
	version, err := Version(fsys)
	if err != nil {
		return nil, err
	}
	base, ix, err := kb.Open(fsys)
	if err != nil {
		return nil, err
	}
	eng, err := matcher.Load(fsys, base)
	if err != nil {
		ix.Close()
		return nil, err
	}
	l := &Library{Base: base, Index: ix, Engine: eng, Version: version, Source: source, LoadedAt: time.Now()}
	l.chat = &dialogue.Source{Engine: eng, Search: ix, Library: base, Reader: dialogue.NewReader(eng.Catalogue(), dialogue.VocabularyFor(base, eng)), Version: version}
	return l, nil
}

// Check runs the library's test cases and returns those that fail.
func (l *Library) Check() []matcher.CaseResult {
	var failed []matcher.CaseResult
	for _, r := range l.Engine.RunCases() {
		if len(r.Problems) > 0 {
			failed = append(failed, r)
		}
	}
	return failed
}

// Close releases the search index.
func (l *Library) Close() error {
	var err error
	l.closeOnce.Do(func() { err = l.Index.Close() })
	return err
}

// release ends one request's use of l, closing a retired library after its
// last request.
func (l *Library) release() {
	if l.refs.Add(-1) == 0 && l.retired.Load() {
		l.Close()
	}
}

// retire marks l as no longer served: it closes once no request uses it.
func (l *Library) retire() {
	l.retired.Store(true)
	if l.refs.Load() == 0 {
		l.Close()
	}
}

// Version returns the first 12 hex digits of a SHA-256 over the paths and
// contents of every file of fsys, in path order.
func Version(fsys fs.FS) (string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("library: %w", err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, p := range files {
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return "", fmt.Errorf("library: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(raw))
		h.Write(raw)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// ErrEmpty is returned by Ready for a library that holds no document.
var ErrEmpty = errors.New("library: no document")

// Ready returns nil while l can answer: it holds a document and its search
// index is open.
func (l *Library) Ready() error {
	if len(l.Documents()) == 0 {
		return ErrEmpty
	}
	return l.Index.Ready()
}

// Documents returns the library's documents.
func (l *Library) Documents() []*kb.Document { return l.Base.Documents() }

// Clause returns an article of a document; see kb.Base.Clause.
func (l *Library) Clause(docID, article string) (*kb.Clause, error) {
	return l.Base.Clause(docID, article)
}

// Document returns the document with the doc_id id.
func (l *Library) Document(id string) (*kb.Document, error) { return l.Base.Document(id) }

// DocumentByNo returns the one document with an issuing number.
func (l *Library) DocumentByNo(no string) (*kb.Document, error) { return l.Base.DocumentByNo(no) }

// Search returns the clauses that best answer q among those of docIDs (nil:
// every document).
func (l *Library) Search(ctx context.Context, q string, size int, docIDs []string) ([]kb.Hit, error) {
	return l.Index.SearchIn(ctx, q, size, docIDs)
}

// Match matches a profile against the library's benefits.
func (l *Library) Match(p *matcher.Profile, opts matcher.Options) *matcher.Outcome {
	return l.Engine.Match(p, opts)
}

// NewProfile returns an empty profile of the library's catalogue.
func (l *Library) NewProfile() *matcher.Profile { return l.Engine.NewProfile() }

// Facts returns the catalogue of facts.
func (l *Library) Facts() []matcher.Fact { return l.Engine.Catalogue().Facts() }

// LibraryVersion returns the library's content hash.
func (l *Library) LibraryVersion() string { return l.Version }

// Chat returns the library as a chat turn reads it.
func (l *Library) Chat() *dialogue.Source { return l.chat }

// DocumentsIn returns the doc_ids of the documents in force on day t whose
// area holds an applicant registered in region (or may hold it: a zone that
// spans counties). The region is read as a profile reads it; a bad one fails
// with the profile's *matcher.FieldError.
func (l *Library) DocumentsIn(region string, t time.Time) ([]string, error) {
	p := l.NewProfile()
	if err := p.Set("region", region); err != nil {
		return nil, err
	}
	name, _ := p.Get("region")
	d, _, err := l.Base.Gazetteer().Resolve(name.(string))
	if err != nil {
		return nil, fmt.Errorf("library: region %s: %w", name, err)
	}
	return l.Base.DocumentsIn(d, t), nil
}
