package dialogue

import "policybot/matcher"

// readMeasure reads a number with a measure word (600亩, 12家, 3件) as the
// number fact of that unit whose cue is in the clause, or the one asked
// about. A unit alone says too little: 10万平方米 of 厂房 is no office.
func (a *analysis) readMeasure(f figure) {
	rest := a.s[f.end:]
	if hasAnyPrefix(rest, "年", "吨") {
		return // the scanner's own kinds: a 年 it calls other is a deadline (两年内)
	}
	if a.readCount(f) {
		return
	}
	var units []*matcher.Fact
	for _, i := range a.r.numberFacts {
		if fact := &a.r.cat.Facts()[i]; fact.Unit != "" && hasAnyPrefix(rest, unitWords(fact.Unit)...) {
			units = append(units, fact)
		}
	}
	if len(units) == 0 {
		return
	}
	unit := units[0].Unit
	end := f.end + prefixLen(rest, unitWords(unit)...)
	c := a.clauseAt(f.start)
	key, cue := a.cueFact(c.start, f.start, end, c.end, unitIs(unit))
	if key == "" {
		// 新流转了一千二百亩地 建中药材种植基地: the sentence names what
		// the area is of.
		from, to := a.sentenceStart(f.start), a.sentenceEnd(end)
		for _, u := range units {
			for _, w := range u.Cues {
				i := a.index(from, f.start, w)
				if i < 0 {
					i = a.index(end, to, w)
				}
				if i >= 0 && (key == "" || len(w) > cue.end-cue.start) {
					key, cue = u.Key, span{i, i + len(w)}
				}
			}
		}
		if cue.start >= 0 && cue.start > end {
			cue = noSpan // quoted in the text only when it joins the figure
		}
	}
	if key == "" {
		if key = a.bareKey(unitIs(unit)); key == "" {
			return
		}
	}
	m := quantityMention(f, a.text(join(cue, span{f.start, end})))
	m.Key, m.End = key, end
	a.add(f.start, m)
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
