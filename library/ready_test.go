package library

import (
	"errors"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestReady checks that a library is ready while its index is open, and
// not once it is closed.
func TestReady(t *testing.T) {
	l := builtIn(t)
	if err := l.Ready(); err != nil {
		t.Fatalf("a library just opened: %v", err)
	}
	l.Close()
	if err := l.Ready(); !errors.Is(err, bleve.ErrorIndexClosed) {
		t.Errorf("a closed library: %v, want bleve.ErrorIndexClosed", err)
	}
}
