package library

import (
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"policybot/kb"
)

// editedBuiltIn returns the built-in library with one clause title changed,
// as an officer's edit.
func editedBuiltIn(t *testing.T, title string) fs.FS {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(kb.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(kb.Embedded(), p)
		files[p] = &fstest.MapFile{Data: raw}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := files["ganzhou-2014-26/document.yaml"]
	doc.Data = []byte(strings.Replace(string(doc.Data), `title: "主营业务收入首次突破台阶奖励"`, `title: "`+title+`"`, 1))
	return files
}

// TestRequestKeepsItsLibrary checks that a request that acquired a library
// keeps it, open, across a reload, and that the old library is closed when
// its last request ends.
func TestRequestKeepsItsLibrary(t *testing.T) {
	old := builtIn(t)
	h := NewHolder(old, func() (*Library, error) { return Open(editedBuiltIn(t, "营收台阶奖励"), "edited") }, slog.New(slog.DiscardHandler))
	lib, release := h.Acquire()
	if lib != old {
		t.Fatal("Acquire did not return the library served")
	}
	now, err := h.Reload("test")
	if err != nil {
		t.Fatal(err)
	}
	defer now.Close()
	if h.Current() == old {
		t.Fatal("the reload did not swap the library")
	}
	// The request in flight still searches the old library.
	if _, err := lib.Search(context.Background(), "企业债券融资奖励", 3, nil); err != nil {
		t.Fatalf("the old library closed under a request: %v", err)
	}
	c, err := lib.Clause("ganzhou-2014-26", "十七.1")
	if err != nil || c.Title != "主营业务收入首次突破台阶奖励" {
		t.Errorf("the request sees %v %v, want the old title", c, err)
	}
	release()
	release() // a second release is harmless
	if _, err := lib.Search(context.Background(), "企业债券融资奖励", 3, nil); err == nil {
		t.Error("the old library is still open after its last request")
	}
	next, done := h.Acquire()
	defer done()
	if c, _ := next.Clause("ganzhou-2014-26", "十七.1"); c.Title != "营收台阶奖励" {
		t.Errorf("a new request sees %q", c.Title)
	}
}

// TestAcquireDuringReloads searches from many goroutines while the library
// is reloaded again and again: no request ever meets a closed library.
func TestAcquireDuringReloads(t *testing.T) {
	titles := []string{"营收台阶奖励", "营收首次突破奖励"}
	n := 0
	h := NewHolder(builtIn(t), func() (*Library, error) {
		n++
		return Open(editedBuiltIn(t, titles[n%2]), "edited")
	}, slog.New(slog.DiscardHandler))
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				lib, release := h.Acquire()
				_, err := lib.Search(context.Background(), "企业债券融资奖励", 3, nil)
				release()
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 4 {
		if _, err := h.Reload("test"); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("a request met a closed library: %v", err)
		}
	}
	h.Current().Close()
}
