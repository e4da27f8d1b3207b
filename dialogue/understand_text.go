package dialogue

import (
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// textLeads may stand between a text fact's cue and its value: 公司名称是…,
// 信用代码:….
var textLeads = []string{"是", "为", "叫", ":", "：", " ", "就是"}

// readText reads the text facts (a name, a code) written after one of their
// cues, up to the end of the clause: 公司名称是赣州某某有限公司. The profile
// checks the value (a credit code's check digit), and result drops what it
// refuses. A pending text question takes the whole reply.
func (a *analysis) readText() {
	for _, i := range a.r.textFacts {
		f := a.r.cat.Facts()[i]
		if a.has(f.Key) {
			continue
		}
		for _, w := range f.Cues {
			i := a.index(0, len(a.s), w)
			if i < 0 {
				continue
			}
			at := i + len(w)
			for k := prefixLen(a.s[at:], textLeads...); k > 0; k = prefixLen(a.s[at:], textLeads...) {
				at += k
			}
			c := a.clauseAt(at)
			end := c.end
			if at >= end || c.question {
				continue
			}
			v := strings.TrimSpace(a.s[at:end])
			if v != "" && utf8.RuneCountInString(v) <= int(f.Max) {
				a.add(i, Mention{Key: f.Key, Value: v, Text: a.s[i:end], End: end})
			}
			break
		}
	}
	if f, ok := a.r.cat.Lookup(a.ctx.Pending); ok && f.Kind == matcher.KindText && !a.has(f.Key) && len(a.cands) == 0 {
		if v := strings.Trim(a.s, " ,。.!"); v != "" && !hasDecline(v) {
			a.add(0, Mention{Key: f.Key, Value: v, Text: a.s, End: len(a.s)})
		}
	}
}
