package dialogue

import (
	"slices"
	"strings"

	"policybot/matcher"
)

// readMeasure reads a number with a measure word (600亩, 12家, 3件) as the
// number fact of that unit whose cue is in the clause, or the one asked
// about. A unit alone says too little: 10万平方米 of 厂房 is no office. Of
// the facts one cue names (发明专利: grants and filings), the verb said
// with the count chooses (申请了65件发明专利), then the question asked, then
// the documents of the place. A count of a fact of a series is returned,
// for placeSeries to give the fact of the year said (今年, 去年), as it
// does a money figure's.
func (a *analysis) readMeasure(f figure, before []placed) (seriesFigure, bool) {
	rest := a.s[f.end:]
	if hasAnyPrefix(rest, "年", "吨") {
		return seriesFigure{}, false // the scanner's own kinds: a 年 it calls other is a deadline (两年内)
	}
	if a.readCount(f) {
		return seriesFigure{}, false
	}
	var units []*matcher.Fact
	for _, i := range a.r.numberFacts {
		if fact := &a.r.cat.Facts()[i]; fact.Unit != "" && hasAnyPrefix(rest, unitWords(fact.Unit)...) {
			units = append(units, fact)
		}
	}
	if len(units) == 0 {
		return seriesFigure{}, false
	}
	unit := units[0].Unit
	end := f.end + prefixLen(rest, unitWords(unit)...)
	c := a.clauseAt(f.start)
	keys, cue := a.cueFacts(c.start, f.start, end, c.end, unitIs(unit))
	if len(keys) == 0 {
		// 新流转了一千二百亩地 建中药材种植基地: the sentence names what
		// the area is of.
		from, to := a.sentenceStart(f.start), a.sentenceEnd(end)
		for _, u := range units {
			for _, w := range u.Cues {
				i := a.index(from, f.start, w)
				if i < 0 {
					i = a.index(end, to, w)
				}
				switch {
				case i < 0:
				case len(keys) == 0 || len(w) > cue.end-cue.start:
					keys, cue = []string{u.Key}, span{i, i + len(w)}
				case cue == span{i, i + len(w)}:
					keys = appendUnique(keys, u.Key)
				}
			}
		}
		if cue.start >= 0 && cue.start > end {
			cue = noSpan // quoted in the text only when it joins the figure
		}
	}
	if len(keys) == 0 {
		key := a.bareKey(unitIs(unit))
		if key == "" {
			return seriesFigure{}, false
		}
		keys = []string{key}
	}
	// The words of the count's own stretch of the clause: back to the
	// figure before it.
	left := c.start
	for j := len(before) - 1; j >= 0; j-- {
		// Years named (2024年) and numbers of years that count nothing
		// (去年一年) do not bound them.
		if b := before[j]; b.kind != figCalendar && !(b.kind == figOther && strings.HasPrefix(a.s[b.end:], "年")) {
			left = max(left, b.end)
			break
		}
	}
	fact := a.countFact(keys, left, f.start, end, c.end)
	fs := span{f.start, end}
	if fact.Series == nil {
		m := quantityMention(f, a.text(join(cue, fs)))
		m.Key, m.End = fact.Key, end
		a.add(f.start, m)
		return seriesFigure{}, false
	}
	pspan, per, year := a.periodOf(before, left, f.start, end, c.end)
	if per == periodNone {
		per = a.pendingPeriod()
	}
	if per == periodNone {
		per = periodCurrent
	}
	text := a.text(join(join(cue, pspan), fs))
	m := quantityMention(f, text)
	return seriesFigure{pos: f.start, end: end, series: fact.Series.Name, period: per, year: year,
		value: m.Value, rng: m.Range, cue: a.text(pspan), text: text}, true
}

// countFact chooses, of the facts keys that one cue names, the one a count
// at [start, end) is of: those of the verb nearest the count, in
// [left, right), when the verb names some of them (申请 the filings, 授权
// the grants), then the one asked about, then those the documents of the
// place read, then the first. A fact of a series stands for its series.
func (a *analysis) countFact(keys []string, left, start, end, right int) *matcher.Fact {
	facts := make([]*matcher.Fact, 0, len(keys))
	for _, k := range keys {
		if f, ok := a.r.cat.Lookup(k); ok {
			facts = append(facts, f)
		}
	}
	narrow := func(keep func(*matcher.Fact) bool) {
		var kept []*matcher.Fact
		for _, f := range facts {
			if keep(f) {
				kept = append(kept, f)
			}
		}
		if len(kept) > 0 {
			facts = kept
		}
	}
	if len(facts) > 1 {
		if verbs := a.countVerb(left, start, end, right); len(verbs) > 0 {
			narrow(func(f *matcher.Fact) bool {
				return slices.ContainsFunc(verbs, func(v *matcher.Fact) bool { return sameQuantityAs(f, v) })
			})
		}
	}
	if p, ok := a.r.cat.Lookup(a.ctx.Pending); ok && len(facts) > 1 {
		narrow(func(f *matcher.Fact) bool { return sameQuantityAs(f, p) })
	}
	if len(facts) > 1 {
		narrow(func(f *matcher.Fact) bool { return a.inScope(f.Key) })
	}
	return facts[0]
}

// sameQuantityAs reports whether f and g are one fact or of one series.
func sameQuantityAs(f, g *matcher.Fact) bool {
	return f.Key == g.Key || f.Series != nil && g.Series != nil && f.Series.Name == g.Series.Name
}

// countVerb returns the number facts whose verb stands nearest the count
// at [start, end): the last before it from left on, else one attached
// after it up to right.
func (a *analysis) countVerb(left, start, end, right int) []*matcher.Fact {
	facts := a.r.cat.Facts()
	word, wordEnd, onLeft := "", -1, false
	reach := a.attached(end)
	for _, i := range here(a.r.lex.verbsOf, a.found) {
		for _, w := range facts[i].Verbs {
			if !a.found[w] {
				continue
			}
			if j := a.lastIndex(left, start, w); j >= 0 {
				if e := j + len(w); !onLeft || e > wordEnd || e == wordEnd && len(w) > len(word) {
					word, wordEnd, onLeft = w, e, true
				}
			} else if !onLeft && reach < right && strings.HasPrefix(a.s[reach:right], w) && len(w) > len(word) {
				word = w
			}
		}
	}
	if word == "" {
		return nil
	}
	var out []*matcher.Fact
	for _, i := range a.r.lex.verbsOf[word] {
		out = append(out, &facts[i])
	}
	return out
}

// unitWords are the ways of writing a unit: 平方米 is also 平米 and ㎡.
func unitWords(unit string) []string {
	switch unit {
	case "平方米":
		return []string{"平方米", "平米", "㎡", "平方"}
	}
	return []string{unit}
}

// countsUnsaid marks as unclear the number facts whose count is said as
// 几 with their unit (引进了几家国高企): worth asking how many.
func (a *analysis) countsUnsaid() {
	if !a.runes.has('几') {
		return
	}
	for _, unit := range a.r.units {
		for _, w := range unitWords(unit) {
			at := a.index(0, len(a.s), "几"+w)
			if at < 0 {
				continue
			}
			c := a.clauseAt(at)
			if key, _ := a.cueFact(c.start, at, at+len("几"+w), c.end, unitIs(unit)); key != "" && !a.has(key) {
				a.unclear = appendUnique(a.unclear, key)
			}
		}
	}
}
