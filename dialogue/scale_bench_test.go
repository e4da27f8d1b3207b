package dialogue

import (
	"strconv"
	"testing"

	"policybot/kb"
	"policybot/matcher"
)

// scaledReader returns a reader of the library's catalogue with its facts
// copied times-1 more times, each copy's words moved to other characters:
// the phrases of a library times as large, of documents that speak of other
// things.
func scaledReader(tb testing.TB, times int) *Reader {
	tb.Helper()
	base, err := kb.Load(kb.Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	specs := append([]kb.FactSpec{}, base.Facts()...)
	for k := 1; k < times; k++ {
		shift := func(w string) string {
			rs := []rune(w)
			for i, r := range rs {
				if r >= 0x4E00 && r < 0x9FA0 {
					rs[i] = 0x4E00 + (r-0x4E00+rune(k)*211)%(0x9FA0-0x4E00)
				}
			}
			return string(rs)
		}
		words := func(ws []string) []string {
			out := make([]string, len(ws))
			for i, w := range ws {
				out[i] = shift(w)
			}
			return out
		}
		for _, f := range base.Facts() {
			if f.Key == "applicant_type" || f.Key == "region" || f.Identity {
				continue
			}
			c := f
			c.Key = f.Key + "_copy" + strconv.Itoa(k)
			c.Cues, c.Verbs = words(f.Cues), words(f.Verbs)
			c.Series = nil
			if f.Figures != nil {
				c.Figures = &kb.FigureSpec{Yes: words(f.Figures.Yes), No: words(f.Figures.No)}
			}
			c.Phrases = nil
			for _, p := range f.Phrases {
				q := p
				q.Say = nil
				for _, part := range p.Say {
					q.Say = append(q.Say, words(part))
				}
				c.Phrases = append(c.Phrases, q)
			}
			c.Options = nil
			for _, o := range f.Options {
				o.Say = words(o.Say)
				c.Options = append(c.Options, o)
			}
			specs = append(specs, c)
		}
	}
	cat, err := matcher.NewCatalogue(specs, base.Gazetteer())
	if err != nil {
		tb.Fatal(err)
	}
	return NewReader(cat, VocabularyOf(base.ChatTexts()))
}

// BenchmarkUnderstandScale reads one long message with the phrases of the
// library at 1, 10 and 100 times their number (issue 8: at most 3× the time
// at 100×).
func BenchmarkUnderstandScale(b *testing.B) {
	for _, times := range []int{1, 10, 100} {
		r := scaledReader(b, times)
		ctx := Context{Pending: "profitable", Recent: []string{"region", "industry"}}
		b.Run(strconv.Itoa(times)+"x", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.Understand(benchText, ctx)
			}
		})
	}
}
