package dialogue

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// miscountWords say the count after them is how far a count was off (博士
// 是5个,我少数了两个).
var miscountWords = []string{"少数了", "多数了", "少算了", "多算了", "少报了", "多报了", "少写了", "多写了", "漏了", "漏算了", "漏报了", "少统计了", "多统计了"}

// halfUnits are the measures of time a 个半 halves (7个半月): 博士12个半
// counts no half person.
var halfUnits = []string{"月", "小时", "钟头", "星期", "礼拜"}

// selfCopulas say what the speaker is (我是一名博士).
var selfCopulas = []string{"我是", "本人是", "我本人是", "我现在是", "我目前是", "我也是"}

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
	if strings.HasSuffix(a.s[:f.start], "第") {
		return seriesFigure{}, false // 第3个 is an ordinal
	}
	if hasAnySuffix(a.s[:f.start], miscountWords...) {
		return seriesFigure{}, false // 我少数了两个: the error, not the count
	}
	if strings.HasPrefix(a.s[f.start:f.end], "几") {
		return seriesFigure{}, false // 几个博士: a count unsaid, for countsUnsaid
	}
	if a.readCount(f) {
		return seriesFigure{}, false
	}
	if f.val == (decimal{m: 1}) && hasAnySuffix(strings.TrimRight(a.s[:f.start], " "), selfCopulas...) {
		return seriesFigure{}, false // 我是一名博士 says who speaks, not how many
	}
	// 7个半月 is 7.5 months: the measure word is read without the 半.
	half := 0
	if strings.HasPrefix(rest, "个半") {
		if !hasAnyPrefix(rest[len("个半"):], halfUnits...) {
			return seriesFigure{}, false // 博士12个半: no half of a person
		}
		if f.val.p == 0 {
			rest, half = "个"+rest[len("个半"):], len("半")
		}
	}
	// 7个多月 is more than 7 months and less than 8.
	more := 0
	if strings.HasPrefix(rest, "个多") && hasAnyPrefix(rest[len("个多"):], halfUnits...) && f.bound == boundExact {
		rest, more, f.bound = "个"+rest[len("个多"):], len("多"), boundInner
	}
	// The facts of the longest measure word (12个月 counts months, not
	// people); of words alike in length, a unit's own before 个, which
	// counts anything.
	var units []*matcher.Fact
	n, general := 0, false
	for _, i := range a.r.numberFacts {
		fact := &a.r.cat.Facts()[i]
		k, g := measureOf(fact.Unit, rest)
		switch {
		case k == 0:
		case k > n || k == n && general && !g:
			units, n, general = []*matcher.Fact{fact}, k, g
		case k == n && g == general:
			units = append(units, fact)
		}
	}
	if len(units) == 0 {
		return seriesFigure{}, false
	}
	fits := func(f *matcher.Fact) bool {
		return slices.ContainsFunc(units, func(u *matcher.Fact) bool { return u.Key == f.Key })
	}
	end := f.end + n + half + more
	if half > 0 {
		if v, ok := f.val.add(decimal{m: 5, p: 1}); ok {
			f.val = v
		}
	}
	if f.val == (decimal{m: 1}) && hasAnyPrefix(strings.TrimPrefix(a.s[end:], "地"), perUnitAsks...) {
		return seriesFigure{}, false // 一亩地补多少钱 asks the rate per 亩
	}
	c := a.clauseAt(f.start)
	// 12个左右, 500亩以上: a bound word after the measure word.
	for _, b := range boundSuffixes {
		if rest := a.s[end:]; strings.HasPrefix(rest, b.word) && boundSuffixOK(rest, len(b.word)) {
			if f.bound == boundExact {
				f.bound = b.bound
			}
			end += len(b.word)
			break
		}
	}
	if general && !countEnds(a.s[end:max(end, c.end)]) && !a.cueAt(a.attached(end), c.end, units) && !cueRightBefore(a.s[c.start:f.start], units) {
		// 参加了3个展会: 个 counts what follows it, unless a noun of the
		// count stands right before it (硕士30个科研经费补贴…, run on).
		return seriesFigure{}, false
	}
	keys, cue := a.cueFacts(c.start, f.start, end, c.end, fits)
	if len(keys) == 0 && !general {
		// 主办了一场学术会议,来了100人左右: a verb of one fact right
		// before the count says what it counts, before the sentence does;
		// 个, which counts anything, after a verb (再办一个) counts what is
		// done, not the fact's unit.
		for _, u := range units {
			for _, w := range u.Verbs {
				if strings.HasSuffix(strings.TrimRight(a.s[c.start:f.start], " "), w) {
					keys = appendUnique(keys, u.Key)
				}
			}
		}
	}
	if len(keys) == 0 {
		// 新流转了一千二百亩地 建中药材种植基地: the sentence names what
		// the area is of.
		from, to := a.sentenceStart(f.start), a.sentenceEnd(end)
		if j := strings.IndexFunc(a.s[end:to], startsNumeral); j >= 0 {
			// 是五十九件 65是加上实用新型的: a word after the next figure
			// names that one.
			to = end + j
		}
		for _, u := range units {
			for _, w := range u.Cues {
				i := a.index(from, f.start, w)
				if i < 0 {
					i = a.index(end, to, w)
				}
				if i >= 0 && a.inLongerWord(i, w) {
					i = -1
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
	if len(keys) > 0 && a.labelledOther(c, f.start, keys) {
		// 博士12个、硕士30个,另外本科20个: the item's own noun says what it
		// counts, and it is none of the facts a cue before names.
		return seriesFigure{}, false
	}
	if len(keys) == 0 {
		// The fact of that unit told most recently.
		recent := func() string {
			for _, k := range a.ctx.Recent {
				if fact, ok := a.r.cat.Lookup(k); ok && fits(fact) {
					return k
				}
			}
			return ""
		}
		key := ""
		// A question pending of another unit (the 500强 asked, 要是再多买1万平呢
		// said) is no answer's place for the figure.
		pending, isPending := a.r.cat.Lookup(a.ctx.Pending)
		free := !isPending || !fits(pending)
		if free && !general && (a.supposition(f.start) || strings.HasSuffix(a.s[:f.start], "按")) || a.sumSaid(f.start) || a.windowHas(c.start, f.start, partOfWords) {
			// 凑到580亩的话能拿多少, 那目前先按500亩报, 要是只有59件呢,
			// but not 再办一个 (个 counts what is done),
			// 加起来520亩, 里面有2000平方是配套食堂, after the area or the
			// filings were told.
			key = recent()
		}
		if key == "" {
			key = a.bareKey(fits)
		}
		if key == "" {
			// 其实是650亩, after 600多亩: a bare figure in the unit of a fact
			// told roughly, or in a correction, is that fact's.
			key = a.roughOfUnit(fits)
		}
		if key == "" && strings.HasSuffix(strings.TrimRight(a.s[c.start:f.start], " "), ":") {
			// 事项:新发展道地药材种植基地 … 面积:500亩: a form's field of
			// the unit of the one fact the form names.
			key = a.namedInMessage(units)
		}
		if key == "" && a.nextOfKind() {
			// 第三家也在柳河,新发展了80亩, after 500亩 and 800亩 of herb
			// bases: the next one's figure of the conversation's fact.
			key = recent()
		}
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
	after := end
	if cue.start >= end {
		after = cue.end // 一个博士都没有
	}
	if f.val == (decimal{m: 1}) && hasAnyPrefix(strings.TrimLeft(a.s[after:], " "), noneWords...) {
		f.val, f.bound = decimal{}, boundExact // 博士一个都没有: not one is none
	}
	if cue.start >= 0 {
		a.countedNouns = append(a.countedNouns, cue)
	}
	if fact.Series == nil {
		m := quantityMention(f, a.text(join(cue, fs)))
		m.Key, m.End = fact.Key, end
		if len(fact.Excludes) > 0 && a.partLeftOut(c, fact.Excludes) {
			// 其中200平是配套的员工食堂: a part the fact leaves out is taken
			// off the figure it is part of; said apart (另外还有3000平方米是
			// 配套的), it is no figure of the fact.
			if a.windowHas(c.start, f.start, partOfWords) {
				a.takeOff(fact.Key, m, a.text(fs))
			}
			return seriesFigure{}, false
		}
		a.add(f.start, m)
		return seriesFigure{}, false
	}
	pspan, per, year := a.periodOf(before, left, f.start, end, c.end)
	if per == periodNone {
		per = a.correctedPeriod(fact.Series.Name)
	}
	if per == periodNone && a.ctx.Pending == "" && a.supposition(f.start) {
		per = a.recentPeriod(fact.Series.Name) // 要是只有59件呢, after last year's 60件
	}
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

// itemLeads open an item of a list before its noun: 另外本科20个.
var itemLeads = []string{"另外", "还有", "以及", "其中", "和", "及"}

// labelledOther reports whether the words right before a count, back to
// the list's last separator, end with another fact's option (本科, of the
// degree) and hold no cue of keys.
func (a *analysis) labelledOther(c clause, start int, keys []string) bool {
	label := a.s[c.start:start]
	if i := strings.LastIndexAny(label, "、,;: "); i >= 0 {
		label = label[i+1:]
	}
	for _, l := range itemLeads {
		label = strings.TrimPrefix(label, l)
	}
	if label == "" {
		return false
	}
	for _, k := range keys {
		if f, ok := a.r.cat.Lookup(k); ok && containsAny(label, f.Cues) {
			return false
		}
	}
	for _, f := range a.r.cat.Facts() {
		if slices.Contains(keys, f.Key) {
			continue
		}
		for _, o := range f.Options {
			if hasAnySuffix(label, o.Say...) {
				return true
			}
		}
	}
	return false
}

// nextOfKind reports whether the message opens with the next one of a
// series of applicants asked about (第三家, 另一家, 还有一家): what it says
// is of the facts the ones before were asked about.
func (a *analysis) nextOfKind() bool {
	if a.opensAnother() {
		return true
	}
	if t := strings.TrimLeft(a.s, " "); strings.HasPrefix(t, "第") {
		if n, ok := scanNumeral(t, len("第")); ok && hasAnyPrefix(t[n.end:], "家", "个") {
			return true
		}
	}
	return false
}

// leftOutWords say a part is not in the figure already: 不含配套用房.
var leftOutWords = []string{"不含", "不包括", "不包含", "除去", "扣除", "除了", "未含"}

// partLeftOut reports whether clause c speaks of a part the fact leaves out
// (其中200平是配套的员工食堂), not of one the figure already excludes (买了
// 2600平方米的自用办公楼(不含配套用房)).
func (a *analysis) partLeftOut(c clause, parts []string) bool {
	for _, w := range parts {
		for from := c.start; ; {
			i := a.index(from, c.end, w)
			if i < 0 {
				break
			}
			if !containsAny(a.s[runesBefore(a.s, c.start, i, 4):i], leftOutWords) {
				return true
			}
			from = i + len(w)
		}
	}
	return false
}

// sumWords say the figure after them is a total (加起来520亩).
var sumWords = []string{"加起来", "加在一起", "一共", "总共", "合计", "总计", "累计"}

// sumSaid reports whether the figure at pos is said as a total, right after
// a word of summing (加起来520亩, 一共是65件, 加起来正好500亩): of the fact
// told before.
func (a *analysis) sumSaid(pos int) bool {
	before := strings.TrimRight(a.s[a.clauseAt(pos).start:pos], " ")
	for _, w := range []string{"正好", "刚好", "恰好", "整整", "是", "有"} {
		before = strings.TrimSuffix(before, w)
	}
	return hasAnySuffix(before, sumWords...)
}

// cueRightBefore reports whether before ends with a cue of one of units.
func cueRightBefore(before string, units []*matcher.Fact) bool {
	for _, u := range units {
		if hasAnySuffix(strings.TrimRight(before, " "), u.Cues...) {
			return true
		}
	}
	return false
}

// perUnitAsks, after 一 and a measure word, ask what one unit brings.
var perUnitAsks = []string{"补多少", "给多少", "奖多少", "补贴多少", "奖励多少", "多少钱", "能补", "能给", "能奖", "补贴是多少", "奖励是多少"}

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
		// 我们是新型研发机构,买了1.5万平米的办公楼: the institution's
		// floor area, not an enterprise's.
		narrow(func(f *matcher.Fact) bool { return a.speakers(f.Key) })
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
// at [start, end): the last before it from left on, else the first after
// it up to right (发明专利一件也没申请).
func (a *analysis) countVerb(left, start, end, right int) []*matcher.Fact {
	facts := a.r.cat.Facts()
	word, at, onLeft := "", -1, false
	for _, i := range here(a.r.lex.verbsOf, a.found) {
		for _, w := range facts[i].Verbs {
			if !a.found[w] {
				continue
			}
			if j := a.lastIndex(left, start, w); j >= 0 {
				if e := j + len(w); !onLeft || e > at || e == at && len(w) > len(word) {
					word, at, onLeft = w, e, true
				}
			} else if j := a.index(end, right, w); !onLeft && j >= 0 && (word == "" || j < at || j == at && len(w) > len(word)) {
				word, at = w, j
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
		return []string{"平方米", "平米", "㎡", "平方", "平"}
	case "美元":
		return []string{"美元", "美金", "美刀", "USD", "usd"}
	case "港元":
		return []string{"港元", "港币", "HKD"}
	}
	return []string{unit}
}

// generalMeasure is the measure word of anything counted: 12个博士, 3个展会.
const generalMeasure = "个"

// measureWords are the measure words that count a unit, longest first: its
// ways of writing and, for people, the measure words of persons (30名硕士,
// 3位博士, 12个人) and the general one (博士12个).
func measureWords(unit string) []string {
	switch unit {
	case "人":
		return []string{"个人", "人", "名", "位", generalMeasure}
	case "家":
		// 三个高新技术企业: 个 counts firms as 家 does, when they are named.
		return append(unitWords(unit), generalMeasure)
	}
	return unitWords(unit)
}

// measureOf returns the length of the measure word of unit that s starts
// with, 0 when none, and whether it is 个 standing for the unit's own (个
// for 人), which counts the unit only when what it counts is the fact's
// (12个博士) or left unsaid (博士12个).
func measureOf(unit, s string) (n int, general bool) {
	for _, w := range measureWords(unit) {
		if strings.HasPrefix(s, w) {
			return len(w), w == generalMeasure && unit != generalMeasure
		}
	}
	return 0, false
}

// partOfWords say that a figure is part of the one before it: 其中.
var partOfWords = []string{"其中", "这里面", "里面有", "当中"}

// takeOff subtracts part, said in words, from the last exact figure read
// for key.
func (a *analysis) takeOff(key string, part Mention, words string) {
	p, ok := part.Value.(float64)
	if !ok || part.Approx {
		return
	}
	for i := len(a.cands) - 1; i >= 0; i-- {
		c := &a.cands[i]
		if c.m.Key != key {
			continue
		}
		if whole, ok := c.m.Value.(float64); ok && !c.m.Approx && whole > p {
			c.m.Value = whole - p
			c.m.Note = fmt.Sprintf("“%s”除去其中的%s", c.m.Text, words)
		}
		return
	}
	// 里面有2000平方是配套食堂, after 12000平方 was told: the figure told
	// before, less the part.
	if whole, ok := a.ctx.Values[key].(float64); ok && whole > p && !contains(a.ctx.Approx, key) {
		a.add(part.End-len(words), Mention{Key: key, Value: whole - p, Text: words, End: part.End,
			Note: fmt.Sprintf("已除去其中的%s", words)})
	}
}

// countEnds reports whether s, what follows a count in 个 and its bound
// word, says nothing more of what it counts: the clause ends there (博士
// 12个、硕士30个) or a particle follows (12个都是全职的); 12个多月 counts
// months.
func countEnds(s string) bool {
	if strings.HasPrefix(s, " ") {
		return true // 人参加1200个 PCT专利十五件: a space parts the count from what follows
	}
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isPunct(r) || hasAnyPrefix(s, countParticles...)
}

// noneWords after a count of one make it none: 一个都没有, 一件也没申请,
// 硕士一个没有.
var noneWords = []string{"都没", "也没", "都不", "也不", "都还没", "也还没", "没有", "没"}

// countParticles may follow a count whose noun was said before it.
var countParticles = []string{"了", "吧", "呢", "啊", "呀", "哦", "嘛", "吗", "都", "也", "还", "和", "跟", "与", "及", "是"}

// cueAt reports whether a cue of one of facts starts at from, before to.
func (a *analysis) cueAt(from, to int, facts []*matcher.Fact) bool {
	for _, f := range facts {
		for _, w := range f.Cues {
			if a.found[w] && from < to && strings.HasPrefix(a.s[from:to], w) && !a.inLongerWord(from, w) {
				return true
			}
		}
	}
	return false
}

// inLongerWord reports whether the cue w at pos begins a longer word of the
// catalogue that is no cue: 博士 of 博士后 counts no doctors.
func (a *analysis) inLongerWord(pos int, w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	for _, x := range a.r.lex.byFirst[r] {
		if len(x) <= len(w) {
			return false // longest first
		}
		if a.found[x] && strings.HasPrefix(x, w) && strings.HasPrefix(a.s[pos:], x) && len(a.r.lex.factsOf[x]) == 0 {
			return true
		}
	}
	return false
}

// countsUnsaid marks as unclear the number facts whose count is said as
// 几 with their unit (引进了几家国高企): worth asking how many.
func (a *analysis) countsUnsaid() {
	if !a.runes.has('几') {
		return
	}
	for _, unit := range a.r.units {
		for _, w := range measureWords(unit) {
			at := a.index(0, len(a.s), "几"+w)
			if at < 0 {
				continue
			}
			c, end := a.clauseAt(at), at+len("几"+w)
			if w == generalMeasure && unit != generalMeasure && !countEnds(a.s[end:max(end, c.end)]) && !a.cueAt(a.attached(end), c.end, a.factsOfUnit(unit)) {
				continue // 几个月
			}
			if key, _ := a.cueFact(c.start, at, end, c.end, unitIs(unit)); key != "" && !a.has(key) {
				a.unclear = appendUnique(a.unclear, key)
			}
		}
	}
}

// factsOfUnit returns the number facts of unit.
func (a *analysis) factsOfUnit(unit string) []*matcher.Fact {
	var out []*matcher.Fact
	for _, i := range a.r.numberFacts {
		if f := &a.r.cat.Facts()[i]; f.Unit == unit {
			out = append(out, f)
		}
	}
	return out
}

// namedInMessage returns the one fact of facts a cue of which the message
// holds, or "" when none or several.
func (a *analysis) namedInMessage(facts []*matcher.Fact) string {
	key := ""
	for _, f := range facts {
		if !slices.ContainsFunc(f.Cues, func(w string) bool { return utf8.RuneCountInString(w) >= 2 && a.contains(w) }) {
			continue
		}
		if key != "" {
			return ""
		}
		key = f.Key
	}
	return key
}
