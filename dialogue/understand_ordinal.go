package dialogue

import (
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// ordinalReach bounds the characters between a cue of an ordinal fact and
// the ordinal it is said with (认定后,今年是第四年).
const ordinalReach = 8

// readOrdinals reads the number facts said as which one of their unit
// they are: 认定后第四年 is 4 and 认定当年 is 1, after a cue of the fact,
// or anywhere in an answer to the question about it or a correction of it.
func (a *analysis) readOrdinals() {
	for _, i := range a.r.ordinalFacts {
		f := &a.r.cat.Facts()[i]
		if a.has(f.Key) {
			continue
		}
		_, known := a.ctx.Values[f.Key]
		if a.ctx.Pending == f.Key || known && a.correction {
			// 第三年, to the question; 说错了,是第三年, of the one told.
			if m, ok := a.ordinalIn(f, 0, 0, len(a.s), true); ok {
				a.add(0, m)
				continue
			}
		}
		for _, w := range f.Cues {
			for from := 0; ; {
				k := a.index(from, len(a.s), w)
				if k < 0 {
					break
				}
				from = k + len(w)
				end := min(a.clauseAt(k).end, runesAfter(a.s, from, len(a.s), ordinalReach))
				if m, ok := a.ordinalIn(f, k, from, end, false); ok {
					a.add(k, m)
					break
				}
			}
		}
	}
}

// ordinalIn returns the ordinal of f said in [from, end), its words from
// start: 第四年 is 4, and 当年 right at from (认定当年), or anywhere in an
// answer, is 1.
func (a *analysis) ordinalIn(f *matcher.Fact, start, from, end int, answer bool) (Mention, bool) {
	rest := a.s[from:end]
	if j := strings.Index(rest, "当"+f.Unit); j >= 0 && (answer || utf8.RuneCountInString(rest[:j]) <= 2) {
		stop := from + j + len("当"+f.Unit)
		return Mention{Key: f.Key, Value: 1.0, Text: a.s[min(start, from+j):stop], End: stop}, true
	}
	for k := 0; ; {
		j := strings.Index(rest[k:], "第")
		if j < 0 {
			return Mention{}, false
		}
		at := from + k + j
		k += j + len("第")
		n, ok := scanNumeral(a.s, at+len("第"))
		if !ok || n.approx || n.val.p != 0 || n.end > end || !strings.HasPrefix(a.s[n.end:], f.Unit) {
			continue
		}
		if v := n.val.float(); v >= 1 && v <= f.Max {
			stop := n.end + len(f.Unit)
			return Mention{Key: f.Key, Value: v, Text: a.s[min(start, at):stop], End: stop}, true
		}
	}
}
