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
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	// IndexInfo says where the search index is and how it came to be.
	IndexInfo IndexInfo

	chat *dialogue.Source
	// refs counts the requests using the library; once it is retired (no
	// longer served) the last of them closes it and calls closed.
	refs      atomic.Int64
	retired   atomic.Bool
	closed    func()
	closeOnce sync.Once
	closeErr  error
}

// IndexInfo says where a library's search index is and how it came to be.
type IndexInfo struct {
	// Dir is the index's folder, or "" for an index in memory.
	Dir string
	// Built is set when the index was built by this open, rather than
	// opened as it was found; Why then says what was wrong with the folder
	// found, "" when there was none.
	Built bool
	Why   string
	Took  time.Duration
}

// Open loads the library of fsys and builds its search index in memory,
// which suits a library of some thousand clauses. It does not run the
// test cases; see Check.
func Open(fsys fs.FS, source string) (*Library, error) {
	return open(fsys, source, func(base *kb.Base, syn kb.Synonyms, _ string) (*kb.Index, IndexInfo, error) {
		ix, err := kb.NewIndex(base, syn)
		return ix, IndexInfo{Built: true}, err
	})
}

// OpenIndexed loads the library of fsys and opens its search index from
// the folder root: the index of the library's version if it is there and
// whole, or else one built now beside the others (what was there under
// that name is removed first). Opening a built index costs a fraction of
// building it and keeps it out of the heap. It does not run the test
// cases; see Check.
func OpenIndexed(fsys fs.FS, source, root string) (*Library, error) {
	return open(fsys, source, func(base *kb.Base, syn kb.Synonyms, version string) (*kb.Index, IndexInfo, error) {
		info := IndexInfo{Dir: filepath.Join(root, kb.IndexName(version))}
		ix, err := kb.OpenIndex(info.Dir, base, syn, version)
		if err == nil {
			return ix, info, nil
		}
		info.Built = true
		if !errors.Is(err, kb.ErrNoIndex) {
			info.Why = err.Error()
		}
		if err := os.RemoveAll(info.Dir); err != nil {
			return nil, info, fmt.Errorf("library: %w", err)
		}
		// Another process building the same index at once is no failure:
		// the first one there is opened.
		if _, err := kb.BuildIndex(info.Dir, base, version); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, info, err
		}
		ix, err = kb.OpenIndex(info.Dir, base, syn, version)
		return ix, info, err
	})
}

// BuildIndex builds the search index of the library of fsys under root, as
// OpenIndexed would, unless the one there is whole; it returns how that
// went and the library's version.
func BuildIndex(fsys fs.FS, source, root string) (IndexInfo, string, error) {
	l, err := OpenIndexed(fsys, source, root)
	if err != nil {
		return IndexInfo{}, "", err
	}
	return l.IndexInfo, l.Version, l.Close()
}

// indexer returns the search index of base, of the library of the version
// given.
type indexer func(base *kb.Base, syn kb.Synonyms, version string) (*kb.Index, IndexInfo, error)

func open(fsys fs.FS, source string, index indexer) (*Library, error) {
	version, err := Version(fsys)
	if err != nil {
		return nil, err
	}
	base, err := kb.Load(fsys)
	if err != nil {
		return nil, err
	}
	syn, err := kb.LoadSynonyms(fsys)
	if err != nil {
		return nil, err
	}
	eng, err := matcher.Load(fsys, base)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ix, info, err := index(base, syn, version)
	if err != nil {
		return nil, err
	}
	info.Took = time.Since(start)
	l := &Library{Base: base, Index: ix, Engine: eng, Version: version, Source: source, LoadedAt: time.Now(), IndexInfo: info}
	l.chat = &dialogue.Source{Engine: eng, Search: ix, Library: base, Reader: dialogue.NewReader(eng.Catalogue(), dialogue.VocabularyFor(base, eng)), Version: version}
	return l, nil
}

// PruneIndexes removes from the folder root every index but the one in
// keep, and the folders of builds that ended more than an hour ago without
// being finished (those of the last hour may be builds under way in
// another process).
func PruneIndexes(root, keep string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("library: prune indexes: %w", err)
	}
	var errs []error
	for _, e := range entries {
		p := filepath.Join(root, e.Name())
		if !e.IsDir() || p == filepath.Clean(keep) {
			continue
		}
		if strings.Contains(e.Name(), kb.PartialSuffix) {
			if fi, err := e.Info(); err != nil || time.Since(fi.ModTime()) < time.Hour {
				continue
			}
		}
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("library: prune indexes: %w", err)
	}
	return nil
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
	l.closeNow()
	return l.closeErr
}

// closeNow closes l unless it is closed already, and reports whether this
// call closed it.
func (l *Library) closeNow() bool {
	did := false
	l.closeOnce.Do(func() { did, l.closeErr = true, l.Index.Close() })
	return did
}

// release ends one request's use of l: after the last request of a
// retired library it closes it and calls what retire was given.
func (l *Library) release() {
	if l.refs.Add(-1) == 0 && l.retired.Load() && l.closeNow() && l.closed != nil {
		l.closed()
	}
}

// retire marks l as no longer served, to close once no request uses it. It
// reports whether it closed l now; if not, the last request does and then
// calls closed.
func (l *Library) retire(closed func()) bool {
	// closed is set before retired, which release reads first.
	l.closed = closed
	l.retired.Store(true)
	return l.refs.Load() == 0 && l.closeNow()
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
