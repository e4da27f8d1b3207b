package kb

import (
	"slices"
	"sort"
	"strings"
)

// Answer picks from a clause the one or two sentences that best answer q:
// those containing the most of the question's word pairs (and of its domain
// synonyms), in the clause's own order. A short best sentence, or one with a
// close runner-up, gets the runner-up too.
func (ix *Index) Answer(c *Clause, q string) string {
	sd := cleanQuery(q)
	terms := bigrams(sd.words)
	shared, own := ix.synonyms.expand(sd.text, ix.spokenEntries(sd.text))
	for _, w := range shared {
		terms = append(terms, bigrams(w)...)
	}
	for _, w := range own[c.DocID] {
		terms = append(terms, bigrams(w)...)
	}
	sentences := splitSentences(c.Text)
	if len(sentences) <= 1 {
		return strings.Join(sentences, "")
	}
	type scored struct{ i, score int }
	ranked := make([]scored, len(sentences))
	for i, s := range sentences {
		n := 0
		for _, t := range terms {
			if strings.Contains(s, t) {
				n++
			}
		}
		ranked[i] = scored{i, n}
	}
	sort.SliceStable(ranked, func(a, b int) bool { return ranked[a].score > ranked[b].score })
	pick := []int{ranked[0].i}
	// A short best sentence needs its neighbour; a runner-up nearly as
	// good answers the other half of the question (省级和国家级…差多少).
	if ranked[1].score > 0 && (len([]rune(sentences[ranked[0].i])) < 40 || 2*ranked[1].score >= ranked[0].score) {
		pick = append(pick, ranked[1].i)
	}
	// 若违反承诺,应退回已获得的扶持资金: what follows a breach belongs to
	// the sentence that sets the duty.
	for _, i := range pick {
		if next := i + 1; next < len(sentences) && !slices.Contains(pick, next) && hasConsequenceOpen(sentences[next]) {
			pick = append(pick, next)
		}
	}
	sort.Ints(pick)
	var b strings.Builder
	for _, i := range pick {
		b.WriteString(sentences[i])
	}
	return b.String()
}

// consequenceOpens begin a sentence that says what follows from the one
// before: a breach, a failure.
var consequenceOpens = []string{"若违反", "如违反", "违反", "否则", "若未", "如未", "逾期"}

// hasConsequenceOpen reports whether s opens with a consequence.
func hasConsequenceOpen(s string) bool {
	s = strings.TrimSpace(s)
	for _, w := range consequenceOpens {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// bigrams returns the overlapping character pairs of each word of s: what
// the cjk analyzer indexes.
func bigrams(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		if len(r) == 1 {
			out = append(out, w)
		}
		for i := 0; i+1 < len(r); i++ {
			out = append(out, string(r[i:i+2]))
		}
	}
	return out
}

// splitSentences cuts text after every 。 ; ; and line break, keeping the
// punctuation with its sentence.
func splitSentences(text string) []string {
	var out []string
	var cur strings.Builder
	for _, r := range text {
		if r == '\n' {
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
		if r == '。' || r == ';' || r == '；' {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}
