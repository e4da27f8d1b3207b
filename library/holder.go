package library

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"
)

// Holder keeps the library a server answers from. Acquire is lock-free; a
// reload builds the new library beside the old one and swaps it in only once
// it loads and passes its own test cases, so a reload is never half-applied.
// A request keeps the library it acquired to its end: the old one is closed
// after the last request that uses it.
type Holder struct {
	cur atomic.Pointer[Library]
	// mu serialises reloads, so that two at once cannot both swap.
	mu   sync.Mutex
	open func() (*Library, error)
	log  *slog.Logger
}

// NewHolder returns a holder serving l, which open rebuilds from its source
// on Reload.
func NewHolder(l *Library, open func() (*Library, error), log *slog.Logger) *Holder {
	h := &Holder{open: open, log: log}
	h.cur.Store(l)
	return h
}

// Current returns the library served now, for what runs outside a request.
func (h *Holder) Current() *Library { return h.cur.Load() }

// Acquire returns the library to answer a request from and the function
// that ends the request's use of it.
func (h *Holder) Acquire() (*Library, func()) {
	for {
		l := h.cur.Load()
		l.refs.Add(1)
		// A reload may have swapped l out between the load and the count:
		// then it may already be closed, and the request takes the new one.
		if h.cur.Load() == l {
			var once sync.Once
			return l, func() { once.Do(l.release) }
		}
		l.release()
	}
}

// ReloadError is returned when a new library is refused; the old one keeps
// serving.
type ReloadError struct {
	Reason string
	// Failed are the names of the failing test cases, if that was why.
	Failed []string
}

func (e *ReloadError) Error() string { return "library: reload refused: " + e.Reason }

// Refusal returns why the library was refused and the failing cases.
func (e *ReloadError) Refusal() (string, []string) { return e.Reason, e.Failed }

// Reload opens the library again from its source; who says who asked, for
// the log. It returns the library now serving: the new one, or with an error
// the old one.
func (h *Holder) Reload(who string) (*Library, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.cur.Load()
	start := time.Now()
	l, err := h.open()
	if err != nil {
		h.log.Error("library reload refused", "by", who, "source", old.Source, "reason", err.Error(), "serving", old.Version)
		return old, &ReloadError{Reason: err.Error()}
	}
	if failed := l.Check(); len(failed) > 0 {
		names := make([]string, len(failed))
		for i, r := range failed {
			names[i] = fmt.Sprintf("%s/%s: %s", r.Case.Benefit, r.Case.Name, strings.Join(r.Problems, "; "))
		}
		l.Close()
		h.removeIndex(l)
		reason := fmt.Sprintf("%d test cases fail", len(failed))
		h.log.Error("library reload refused", "by", who, "source", l.Source, "reason", reason, "failed", names, "serving", old.Version)
		return old, &ReloadError{Reason: reason, Failed: names}
	}
	if l.Version == old.Version {
		l.Close()
		h.log.Info("library reload: unchanged", "by", who, "source", old.Source, "version", old.Version)
		return old, nil
	}
	h.cur.Store(l)
	// What building the new library left behind goes back to the system.
	debug.FreeOSMemory()
	h.log.Info("library reloaded", "by", who, "source", l.Source, "version", l.Version, "previous", old.Version,
		"documents", len(l.Documents()), "benefits", len(l.Engine.Benefits()), "duration", time.Since(start),
		"index", l.IndexInfo.Dir, "index_built", l.IndexInfo.Built, "index_duration", l.IndexInfo.Took)
	// The old library's index goes once its last request has ended: now,
	// or later from that request, when no reload may be under way.
	if old.retire(func() {
		go func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.removeIndex(old)
		}()
	}) {
		h.removeIndex(old)
	}
	return l, nil
}

// removeIndex removes the folder of the closed library l's index, unless
// it has none or it is the folder of the library served; h.mu is held.
func (h *Holder) removeIndex(l *Library) {
	dir := l.IndexInfo.Dir
	if dir == "" || dir == h.cur.Load().IndexInfo.Dir {
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		h.log.Warn("old search index not removed", "dir", dir, "err", err.Error())
	}
}

// ReadDir reads every file of the library folder dir into memory, so that a
// library is built from one consistent snapshot of the folder, whose version
// is the hash of exactly what was read.
func ReadDir(dir string) (fs.FS, error) {
	files := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = &fstest.MapFile{Data: raw}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("library: read %s: %w", dir, err)
	}
	return files, nil
}
