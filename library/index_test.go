package library

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/kb"
)

// mustOpenIndexed opens the library of fsys with its index under root.
func mustOpenIndexed(t *testing.T, fsys fs.FS, root string) *Library {
	t.Helper()
	l, err := OpenIndexed(fsys, "test", root)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

var errNoHits = errors.New("no hits")

// indexes lists the folders under root.
func indexes(t *testing.T, root string) []string {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestOpenIndexedRebuildsOnlyStale opens the built-in library three times
// over one folder of indexes: the first open builds the index, the second
// opens that one as it is (same stamp, nothing built), and an edited
// library builds its own beside it; pruning then leaves the edited one's.
func TestOpenIndexedRebuildsOnlyStale(t *testing.T) {
	root := t.TempDir()
	first := mustOpenIndexed(t, kb.Embedded(), root)
	first.Close()
	if !first.IndexInfo.Built || first.IndexInfo.Why != "" || first.IndexInfo.Dir != filepath.Join(root, kb.IndexName(first.Version)) {
		t.Errorf("first open: %+v, want an index built under %s where there was none", first.IndexInfo, root)
	}
	again := mustOpenIndexed(t, kb.Embedded(), root)
	defer again.Close()
	if again.IndexInfo.Built || again.IndexInfo.Dir != first.IndexInfo.Dir {
		t.Errorf("second open of the same library: %+v, want the index of the first opened, not built", again.IndexInfo)
	}
	if !again.Index.Stamp().Built.Equal(first.Index.Stamp().Built) {
		t.Errorf("the second open's index was built at %v, the first's at %v", again.Index.Stamp().Built, first.Index.Stamp().Built)
	}
	edited := mustOpenIndexed(t, editedBuiltIn(t, "营收台阶奖励"), root)
	defer edited.Close()
	if !edited.IndexInfo.Built || edited.IndexInfo.Dir == first.IndexInfo.Dir || edited.Index.Stamp().Library != edited.Version {
		t.Errorf("an edited library: %+v (stamp %+v), want a new index of version %s", edited.IndexInfo, edited.Index.Stamp(), edited.Version)
	}
	hits, err := edited.Search(context.Background(), "营收台阶奖励", 1, nil)
	if err != nil || len(hits) == 0 || hits[0].Clause.Title != "营收台阶奖励" {
		t.Errorf("the edited library's search = %v %v, want its edited clause first", hits, err)
	}
	if got := indexes(t, root); len(got) != 2 {
		t.Errorf("indexes %v, want the two libraries'", got)
	}
	if err := PruneIndexes(root, edited.IndexInfo.Dir); err != nil {
		t.Fatal(err)
	}
	if got, want := indexes(t, root), []string{filepath.Base(edited.IndexInfo.Dir)}; !slices.Equal(got, want) {
		t.Errorf("after pruning: %v, want %v", got, want)
	}
}

// TestOpenIndexedRebuildsBroken spoils the index of the built-in library
// in ways a crash or a disk may, and checks that the next open builds it
// again, says why, and answers searches from the new one.
func TestOpenIndexedRebuildsBroken(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		why   string
	}{
		{"half-written: no stamp", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "stamp.json")); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"a segment cut short", func(t *testing.T, dir string) {
			zaps, err := filepath.Glob(filepath.Join(dir, "bleve", "store", "*.zap"))
			if err != nil || len(zaps) == 0 {
				t.Fatalf("no segment: %v", err)
			}
			if err := os.Truncate(zaps[0], 100); err != nil {
				t.Fatal(err)
			}
		}, "differ from its stamp"},
		{"an empty folder", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			first := mustOpenIndexed(t, kb.Embedded(), root)
			first.Close()
			tt.spoil(t, first.IndexInfo.Dir)
			l := mustOpenIndexed(t, kb.Embedded(), root)
			defer l.Close()
			if !l.IndexInfo.Built || !strings.Contains(l.IndexInfo.Why, tt.why) || l.IndexInfo.Dir != first.IndexInfo.Dir {
				t.Errorf("open after spoiling: %+v, want the index built again in %s, why saying %q", l.IndexInfo, first.IndexInfo.Dir, tt.why)
			}
			hits, err := l.Search(context.Background(), "企业债券融资奖励", 3, nil)
			if err != nil || len(hits) == 0 {
				t.Errorf("search = %v %v", hits, err)
			}
		})
	}
}

// TestReloadSwapsIndexes reloads a library served with its index on disk
// while searches run: they all answer, each new library's index is built
// beside the old one, and an old index is removed once its last request
// ends, not before.
func TestReloadSwapsIndexes(t *testing.T) {
	root := t.TempDir()
	titles := []string{"营收台阶奖励", "营收首次突破奖励", "主营收入台阶奖励"}
	n := 0
	open := func() (*Library, error) {
		n++
		return OpenIndexed(editedBuiltIn(t, titles[n%len(titles)]), "edited", root)
	}
	first, err := open()
	if err != nil {
		t.Fatal(err)
	}
	h := NewHolder(first, open, slog.New(slog.DiscardHandler))
	defer func() { h.Current().Close() }()

	stop := make(chan struct{})
	errs := make(chan error, 4)
	searched := make(chan int, 4)
	for range 4 {
		go func() {
			k := 0
			defer func() { searched <- k }()
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				lib, release := h.Acquire()
				hits, err := lib.Search(context.Background(), "主营业务收入台阶奖励", 3, nil)
				release()
				if err == nil && len(hits) == 0 {
					err = errNoHits
				}
				if err != nil {
					errs <- err
					return
				}
				k++
			}
		}()
	}
	// One request holds the first library across both reloads.
	held, release := h.Acquire()
	for range 2 {
		before := h.Current()
		now, err := h.Reload("test")
		if err != nil {
			t.Fatal(err)
		}
		if now == before || now.IndexInfo.Dir == before.IndexInfo.Dir || !now.IndexInfo.Built {
			t.Fatalf("reload: %+v after %+v, want a new index built beside the old", now.IndexInfo, before.IndexInfo)
		}
	}
	close(stop)
	total := 0
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("a search during the reloads failed: %v", err)
		}
		total += <-searched
	}
	if total == 0 {
		t.Error("no search ran during the reloads")
	}
	// The index of the library between the two reloads goes as soon as no
	// search holds it; the first one's stays while its request runs.
	served := filepath.Base(h.Current().IndexInfo.Dir)
	waitIndexes(t, root, []string{filepath.Base(held.IndexInfo.Dir), served})
	if _, err := held.Search(context.Background(), "主营业务收入台阶奖励", 3, nil); err != nil {
		t.Errorf("the library a request holds closed under it: %v", err)
	}
	release()
	waitIndexes(t, root, []string{served})
}

// waitIndexes waits until the folders under root are want. An old index
// is removed by the last request's release, from a goroutine of its own
// that waits for any reload under way.
func waitIndexes(t *testing.T, root string, want []string) {
	t.Helper()
	slices.Sort(want)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := indexes(t, root)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("indexes %v, want %v", got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReloadUnchangedKeepsIndex reloads a library that did not change: the
// index served is opened a second time beside itself, read-only, and left
// in place and serving when the copy is closed.
func TestReloadUnchangedKeepsIndex(t *testing.T) {
	root := t.TempDir()
	open := func() (*Library, error) { return OpenIndexed(kb.Embedded(), "built-in", root) }
	first, err := open()
	if err != nil {
		t.Fatal(err)
	}
	h := NewHolder(first, open, slog.New(slog.DiscardHandler))
	defer func() { h.Current().Close() }()
	now, err := h.Reload("test")
	if err != nil || now != first {
		t.Fatalf("reload of the same library = %v, %v; want the one served, no error", now, err)
	}
	if got := indexes(t, root); len(got) != 1 || got[0] != filepath.Base(first.IndexInfo.Dir) {
		t.Errorf("indexes %v, want the served one's", got)
	}
	if hits, err := first.Search(context.Background(), "企业债券融资奖励", 3, nil); err != nil || len(hits) == 0 {
		t.Errorf("search after the reload = %v %v", hits, err)
	}
}
