package dialogue

import (
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// lexicon finds, in one pass over a message, which of the library's words
// it holds, so that the reading of a message costs about the same however
// many documents the library has: each step looks only at the phrases,
// cues and options whose words are there.
type lexicon struct {
	byFirst map[rune][]string // words by their first character, longest first
	// cuesOf, moneyOf, factsOf, verbsOf and optionsOf index the reader's
	// phrases, money cues, facts with cues, number facts with verbs and
	// option words by word.
	cuesOf map[string][]int
	// lastOf indexes the phrases of several parts by the words of their
	// last part, for a message that says only that part.
	lastOf map[string][]int
	// keyOf indexes the phrases by the fact they state.
	keyOf     map[string][]int
	moneyOf   map[string][]int
	factsOf   map[string][]int
	verbsOf   map[string][]int
	optionsOf map[string][]optionWord
}

// optionWord is a word of an option of an enum fact that has no phrases.
type optionWord struct {
	fact  int // index in the catalogue
	value string
}

func (lx *lexicon) add(w string) {
	r, _ := utf8.DecodeRuneInString(w)
	if w == "" || slices.Contains(lx.byFirst[r], w) {
		return
	}
	lx.byFirst[r] = append(lx.byFirst[r], w)
}

// newLexicon indexes the words of r's catalogue.
func newLexicon(r *Reader) *lexicon {
	lx := &lexicon{byFirst: map[rune][]string{}, cuesOf: map[string][]int{}, lastOf: map[string][]int{}, keyOf: map[string][]int{}, moneyOf: map[string][]int{},
		factsOf: map[string][]int{}, verbsOf: map[string][]int{}, optionsOf: map[string][]optionWord{}}
	for i, c := range r.cues {
		lx.keyOf[c.key] = append(lx.keyOf[c.key], i)
		for _, w := range c.parts[0] {
			lx.cuesOf[w] = append(lx.cuesOf[w], i)
		}
		if n := len(c.parts); n > 1 {
			for _, w := range c.parts[n-1] {
				if utf8.RuneCountInString(w) >= 2 {
					lx.lastOf[w] = append(lx.lastOf[w], i)
				}
			}
		}
		for _, part := range c.parts {
			for _, w := range part {
				lx.add(w)
			}
		}
	}
	for i, c := range r.moneyCues {
		lx.moneyOf[c.word] = append(lx.moneyOf[c.word], i)
		lx.add(c.word)
	}
	for i, f := range r.cat.Facts() {
		for _, w := range f.Cues {
			lx.factsOf[w] = appendUnique(lx.factsOf[w], i)
			lx.add(w)
		}
		if f.Kind == matcher.KindNumber {
			for _, w := range f.Verbs {
				lx.verbsOf[w] = appendUnique(lx.verbsOf[w], i)
				lx.add(w)
			}
		}
		if f.Making != nil {
			for _, o := range f.Options {
				for _, w := range o.Say {
					lx.add(w) // read by readMade, whatever their length
				}
			}
		}
		if f.Kind == matcher.KindEnum && len(f.Phrases) == 0 && !f.Identity && f.Making == nil {
			for _, o := range f.Options {
				for _, w := range o.Say {
					if utf8.RuneCountInString(w) >= 2 {
						lx.optionsOf[w] = append(lx.optionsOf[w], optionWord{i, o.Value})
						lx.add(w)
					}
				}
			}
		}
	}
	for _, ws := range lx.byFirst {
		slices.SortFunc(ws, func(x, y string) int { return len(y) - len(x) })
	}
	return lx
}

// present returns the words of the lexicon that s holds.
func (lx *lexicon) present(s string) map[string]bool {
	found := map[string]bool{}
	for i, r := range s {
		for _, w := range lx.byFirst[r] {
			if strings.HasPrefix(s[i:], w) {
				found[w] = true
			}
		}
	}
	return found
}

// here returns, in index order, the items of index whose word the message
// holds.
func here(index map[string][]int, found map[string]bool) []int {
	var out []int
	for w := range found {
		out = append(out, index[w]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
