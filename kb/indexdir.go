package kb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// An index on disk is a folder named by IndexName, holding the Bleve index
// in bleve/, the postings of each word pair in postings.tsv (a term and its
// count a line, which the query's postings budget reads; counting them
// takes a start most of a second at 100,000 clauses) and, written last,
// stamp.json: what the index was built from and the size and checksum of
// each of the other files. BuildIndex writes it under another name and
// renames it into place once complete, so a folder of that name without a
// stamp, or whose files differ from their stamp, is not an index and
// OpenIndex refuses it.
const (
	stampFile    = "stamp.json"
	bleveDir     = "bleve"
	postingsFile = "postings.tsv"
	// PartialSuffix marks the folder of an index still being built, beside
	// where it goes.
	PartialSuffix = ".partial-"
	// indexFormat changes when what the index holds changes other than by
	// the mapping, such as how clauses are numbered (eachClause).
	indexFormat = "2"
	// buildBatch is how many clauses the builder analyses and writes as one
	// segment before merging them: the memory of a build is about that of
	// one batch, whatever the size of the library.
	buildBatch = 2000
)

// IndexStamp says what an index on disk was built from.
type IndexStamp struct {
	// Library is the version of the library (its content hash) and Schema
	// that of the mapping, as IndexName names them.
	Library string    `json:"library"`
	Schema  string    `json:"schema"`
	Clauses int       `json:"clauses"`
	Built   time.Time `json:"built"`
	// Files holds the size and CRC-32C of every file of the index but the
	// stamp, by its slash path in the index's folder.
	Files map[string]FileSum `json:"files"`
}

// FileSum is the size and CRC-32C (Castagnoli) of a file.
type FileSum struct {
	Size   int64  `json:"size"`
	CRC32C uint32 `json:"crc32c"`
}

// ErrNoIndex is returned by OpenIndex when the folder holds no complete
// index: it is missing, or was never finished.
var ErrNoIndex = errors.New("kb: no index")

// schema is a hash of the index's mapping and format: an index built by a
// binary that maps clauses otherwise is not opened by this one.
var schema = sync.OnceValue(func() string {
	raw, err := json.Marshal(indexMapping(defaultTuning))
	if err != nil {
		panic(err) // The mapping is built in code and always encodes.
	}
	h := sha256.Sum256(append(raw, "\x00"+indexFormat...))
	return hex.EncodeToString(h[:4])
})

// IndexName returns the name of the folder of the index of the library of
// the version given, for this binary's mapping.
func IndexName(version string) string { return version + "-" + schema() }

// BuildIndex writes the search index of every clause of b, the library of
// the version given, into the folder dir, which must not exist, and
// returns its stamp. It builds beside dir and renames the result into
// place, so dir never holds half an index; if another process put one
// there first, that one stays and BuildIndex fails with fs.ErrExist.
func BuildIndex(dir string, b *Base, version string) (*IndexStamp, error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("kb: build index: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, filepath.Base(dir)+PartialSuffix+"*")
	if err != nil {
		return nil, fmt.Errorf("kb: build index: %w", err)
	}
	st, err := buildInto(tmp, b, version)
	if err == nil {
		// A folder already at dir, even an empty one, makes the rename
		// fail with an error that is fs.ErrExist (EEXIST or ENOTEMPTY).
		err = os.Rename(tmp, dir)
	}
	if err == nil {
		err = syncDir(parent)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("kb: build index: %w", err)
	}
	return st, nil
}

// buildInto builds the index and its stamp in the folder tmp.
func buildInto(tmp string, b *Base, version string) (*IndexStamp, error) {
	dir := filepath.Join(tmp, bleveDir)
	// The builder's scratch segments stay inside tmp: the system's
	// temporary folder may be small or absent.
	bld, err := bleve.NewBuilder(dir, indexMapping(defaultTuning), map[string]any{"buildPathPrefix": tmp, "batchSize": buildBatch})
	if err != nil {
		return nil, err
	}
	n := 0
	err = eachClause(b, func(id string, fields map[string]any) error {
		n++
		return bld.Index(id, fields)
	})
	if cerr := bld.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := writePostings(tmp); err != nil {
		return nil, err
	}
	files, err := sumFiles(tmp, true)
	if err != nil {
		return nil, err
	}
	st := &IndexStamp{Library: version, Schema: schema(), Clauses: n, Built: time.Now().UTC(), Files: files}
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeSynced(filepath.Join(tmp, stampFile), raw); err != nil {
		return nil, err
	}
	return st, syncDir(tmp)
}

// OpenIndex opens the index in the folder dir, read-only, if it is the
// complete index of the clauses of b, the library of the version given;
// otherwise it fails saying why, with ErrNoIndex when there is none.
func OpenIndex(dir string, b *Base, synonyms Synonyms, version string) (*Index, error) {
	st, err := readStamp(dir)
	if err != nil {
		return nil, err
	}
	clauses := 0
	for _, d := range b.Documents() {
		clauses += len(d.Clauses)
	}
	switch {
	case st.Library != version:
		return nil, fmt.Errorf("kb: index %s is of library %s, not %s", dir, st.Library, version)
	case st.Schema != schema():
		return nil, fmt.Errorf("kb: index %s has schema %s, not %s", dir, st.Schema, schema())
	case st.Clauses != clauses:
		return nil, fmt.Errorf("kb: index %s has %d clauses, the library %d", dir, st.Clauses, clauses)
	}
	files, err := sumFiles(dir, false)
	if err != nil {
		return nil, fmt.Errorf("kb: index %s: %w", dir, err)
	}
	if !maps.Equal(files, st.Files) {
		return nil, fmt.Errorf("kb: index %s: its files differ from its stamp (%s)", dir, differing(files, st.Files))
	}
	// Read-only: no persister or merger runs, and several processes may
	// open it; the timeout keeps one from waiting forever on a writer's
	// lock of root.bolt.
	idx, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), map[string]any{"read_only": true, "bolt_timeout": "5s"})
	if err != nil {
		// idx is a typed nil here, not to be closed.
		return nil, fmt.Errorf("kb: open index %s: %w", dir, err)
	}
	if n, err := idx.DocCount(); err != nil || n != uint64(clauses) {
		idx.Close()
		return nil, fmt.Errorf("kb: index %s holds %d clauses, want %d (%v)", dir, n, clauses, err)
	}
	df, err := readPostings(dir)
	if err != nil {
		idx.Close()
		return nil, err
	}
	ix, err := newIndexOver(idx, b, synonyms, defaultTuning, df)
	if err != nil {
		idx.Close()
		return nil, err
	}
	ix.stamp = st
	return ix, nil
}

// writePostings counts the postings of each word pair of the index built
// in the folder tmp and writes them to its postings.tsv.
func writePostings(tmp string) error {
	idx, err := bleve.OpenUsing(filepath.Join(tmp, bleveDir), map[string]any{"read_only": true, "bolt_timeout": "5s"})
	if err != nil {
		return err
	}
	df, err := countPostings(idx, defaultTuning.fields())
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, term := range slices.Sorted(maps.Keys(df)) {
		fmt.Fprintf(&buf, "%s\t%d\n", term, df[term])
	}
	return writeSynced(filepath.Join(tmp, postingsFile), buf.Bytes())
}

// readPostings reads the postings.tsv of the index in dir, whose checksum
// was checked.
func readPostings(dir string) (map[string]int, error) {
	raw, err := os.ReadFile(filepath.Join(dir, postingsFile))
	if err != nil {
		return nil, fmt.Errorf("kb: index %s: %w", dir, err)
	}
	df := make(map[string]int, bytes.Count(raw, []byte("\n")))
	for line := range strings.Lines(string(raw)) {
		term, count, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		n, err := strconv.Atoi(count)
		if !ok || err != nil {
			return nil, fmt.Errorf("kb: index %s: %s: bad line %q", dir, postingsFile, line)
		}
		df[term] = n
	}
	return df, nil
}

// Stamp returns what the index was built from, or nil for an index built
// in memory.
func (ix *Index) Stamp() *IndexStamp { return ix.stamp }

func readStamp(dir string) (*IndexStamp, error) {
	raw, err := os.ReadFile(filepath.Join(dir, stampFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoIndex, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("kb: index %s: %w", dir, err)
	}
	var st IndexStamp
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("kb: index %s: %s: %w", dir, stampFile, err)
	}
	return &st, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sumFiles returns the size and checksum of every file under dir but the
// stamp, flushing each to disk first when sync is set.
func sumFiles(dir string, sync bool) (map[string]FileSum, error) {
	sums := map[string]FileSum{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if err == nil && sync && p != dir {
				err = syncDir(p)
			}
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == stampFile {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := crc32.New(castagnoli)
		n, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		if sync {
			if err := f.Sync(); err != nil {
				return err
			}
		}
		sums[filepath.ToSlash(rel)] = FileSum{Size: n, CRC32C: h.Sum32()}
		return nil
	})
	if err == nil && sync {
		err = syncDir(dir)
	}
	return sums, err
}

// differing names the first file that differs between got and want.
func differing(got, want map[string]FileSum) string {
	names := slices.Sorted(maps.Keys(want))
	for _, name := range names {
		g, ok := got[name]
		switch {
		case !ok:
			return name + " is missing"
		case g != want[name]:
			return fmt.Sprintf("%s has %d bytes and checksum %08x, the stamp %d and %08x", name, g.Size, g.CRC32C, want[name].Size, want[name].CRC32C)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			return name + " is not in the stamp"
		}
	}
	return "none"
}

// writeSynced writes a file and flushes it to disk.
func writeSynced(name string, raw []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(raw)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a folder's entries to disk, so that a rename into it
// survives a crash.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
