package dialogue

import (
	"sync"
	"testing"

	"policybot/kb"
	"policybot/matcher"
)

// loadReader reads the built-in library's catalogue once for the package's
// tests; a Reader is immutable, so they may share it.
var loadReader = sync.OnceValues(func() (*Reader, error) {
	base, err := kb.Load(kb.Embedded())
	if err != nil {
		return nil, err
	}
	cat, err := matcher.NewCatalogue(base.Facts(), base.Gazetteer())
	if err != nil {
		return nil, err
	}
	return NewReader(cat, VocabularyOf(base.ChatTexts())), nil
})

func testReader(tb testing.TB) *Reader {
	tb.Helper()
	r, err := loadReader()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
