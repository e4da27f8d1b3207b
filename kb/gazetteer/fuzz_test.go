package gazetteer

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzResolve checks that Resolve answers anything without panic, with one
// of its three outcomes, and that what it finds it finds again by code.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"南康", "广东省广州市南沙区", "鼓楼区", "360721", "360700-Z01", "全国", "江西江西江西", "\xff", "区区区区区"} {
		f.Add(s)
	}
	g := withExtras(f)
	f.Fuzz(func(t *testing.T, s string) {
		d, cands, err := g.Resolve(s)
		switch {
		case err == nil:
			if d == nil || cands != nil {
				t.Fatalf("Resolve(%q) = %v, %v, nil", s, d, cands)
			}
			if again, _, err := g.Resolve(d.Code); again != d {
				t.Fatalf("Resolve(%q) = %v, but its code gives %v, %v", s, d, again, err)
			}
		case errors.Is(err, ErrAmbiguous):
			if d != nil || len(cands) < 2 {
				t.Fatalf("Resolve(%q) ambiguous with %v, %v", s, d, cands)
			}
		case errors.Is(err, ErrUnknown):
			if d != nil || cands != nil {
				t.Fatalf("Resolve(%q) unknown with %v, %v", s, d, cands)
			}
		default:
			t.Fatalf("Resolve(%q): unexpected error %v", s, err)
		}
		for _, m := range g.Find(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || len(m.Divisions) == 0 || !utf8.ValidString(s[m.Start:m.End]) {
				t.Fatalf("Find(%q) gave a bad mention %+v", s, m)
			}
		}
	})
}

// FuzzParseExtras checks that ParseExtras and With answer any file without
// panic, and that their faults name a line.
func FuzzParseExtras(f *testing.F) {
	seed, err := os.ReadFile("testdata/extras.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("zones:\n  - {id: 360700-Z1, name: 某区, parent: 赣州市, spans: [赣县]}\n"))
	f.Add([]byte("names:\n  - code: 360703\n    former:\n      - {name: 南康市}\n"))
	f.Add([]byte("names: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ParseExtras(bytes.NewReader(data))
		if err == nil {
			_, err = National().With(x)
		}
		var e *ExtrasError
		if errors.As(err, &e) && e.Line <= 0 {
			t.Fatalf("error without a line: %v", err)
		}
	})
}
