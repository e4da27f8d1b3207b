package dialogue

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// factCue is a phrase of the catalogue that states a yes/no or enum fact.
// Parts follow each other in one clause, each within cueGap runes of the one
// before; each part lists alternatives.
type factCue struct {
	key     string
	parts   [][]string
	value   any // the value stated; nil for an enum whose option is read around it
	negated any // the value when negated, or nil for no fact
	deed    bool
	implied bool // the words say another fact, and imply this one
}

// cueGap bounds the words between two parts of a cue: 参加了省商务厅主办的
// 氟化工产品博览会.
const cueGap = 20

// A deed (参加博览会, 通过审核) is a fact only when done (了, 已) or stated in
// a clause that asks nothing; 企业参加博览会有奖励吗 is a question about the
// policy. A trait (规上, 盈利) is also a fact when the message speaks of
// itself in the first person (我们规上企业有什么奖励).

// readOptionWords reads an enum fact that has no phrases of its own from the
// words of its options (我博士毕业 → 博士, 评上了南沙工匠奖), in a statement
// about the speaker. Words of one character name too much to count.
func (a *analysis) readOptionWords() {
	if !(a.firstPerson || a.ctx.Pending != "" || a.ownFigures() || len(a.ctx.Recent) > 0) {
		return
	}
	type pick struct {
		value    string
		at, len  int
		labelled bool
	}
	best := map[int]pick{}
	var order []int
	for w := range a.found {
		for _, o := range a.r.lex.optionsOf[w] {
			f := &a.r.cat.Facts()[o.fact]
			if a.has(f.Key) || a.applicant != "enterprise" && f.EnterpriseOnly {
				continue
			}
			b, seen := best[o.fact]
			i := a.index(0, len(a.s), w)
			if i < 0 {
				continue
			}
			c := a.clauseAt(i)
			// An option said in a clause with the fact's own words stands
			// (硕士是在职读的,全日制的只有本科: 全日制 names the fact), then
			// the longest word, then the first said: the words come from a
			// map, in no order.
			lab := sharesPair(f.Label, strings.ReplaceAll(a.s[c.start:c.end], w, " "))
			better := !seen || lab && !b.labelled || lab == b.labelled && (len(w) > b.len || len(w) == b.len && i < b.at)
			// A question asks nothing of the speaker, unless it supposes
			// (要是评上金牌工匠奖能拿多少).
			if better && !a.negatedAt(i, i+len(w)) && (!c.question || a.supposition(i)) && !a.counted(i, i+len(w)) && !a.insideWord(i, i+len(w)) &&
				!labelDenied(f.Label, a.segmentAt(i)) {
				if !seen {
					order = append(order, o.fact)
				}
				best[o.fact] = pick{o.value, i, len(w), lab}
			}
		}
	}
	slices.Sort(order)
	for _, i := range order {
		p := best[i]
		a.add(p.at, Mention{Key: a.r.cat.Facts()[i].Key, Value: p.value, Text: a.s[p.at : p.at+p.len]})
	}
}

// readRecentOption reads, in a short message that goes on from the ones
// before (如果是国家级的呢, after 省级的), another option of an enum fact just
// said: the message names the option, the conversation the fact.
func (a *analysis) readRecentOption() {
	if utf8.RuneCountInString(a.s) > maxEllipsisRunes || !hasAnyPrefix(a.s, ellipsisOpeners...) {
		return
	}
	for _, key := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(key)
		if !ok || f.Kind != matcher.KindEnum || f.Identity || a.has(key) {
			continue // who applies is no option to suppose (硕士 of 硕士增加到70个)
		}
		best, at, size := "", -1, 0
		for _, o := range f.Options {
			if o.Value == f.NoOption || o.Value == a.ctx.Values[key] {
				continue
			}
			for _, w := range slices.Concat([]string{o.Label}, o.Say) {
				if utf8.RuneCountInString(w) >= 2 && len(w) > size {
					if i := strings.Index(a.s, w); i >= 0 && !a.negatedAt(i, i+len(w)) {
						best, at, size = o.Value, i, len(w)
					}
				}
			}
		}
		if best != "" {
			a.add(at, Mention{Key: key, Value: best, Text: a.s[at : at+size]})
			return
		}
	}
}

// readCorrectedOption reads, in a correction, the option of an enum fact
// told before that the message says (进的是世界500强,不是中国企业500强,
// after 首次进了中国企业500强): the fact corrected is the one told, and an
// option of it denied says nothing of any other fact.
func (a *analysis) readCorrectedOption() {
	if !a.correction {
		return
	}
	for _, key := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(key)
		if !ok || f.Kind != matcher.KindEnum || f.Identity {
			continue
		}
		best, at, size := "", -1, 0
		var denied []span
		for _, o := range f.Options {
			if o.Value == f.NoOption {
				continue
			}
			for _, w := range o.Say {
				if utf8.RuneCountInString(w) < 2 {
					continue
				}
				for from := 0; ; {
					i := a.index(from, len(a.s), w)
					if i < 0 {
						break
					}
					from = i + len(w)
					if a.negatedAt(i, i+len(w)) {
						denied = append(denied, span{i, i + len(w)})
					} else if o.Value != a.ctx.Values[key] && len(w) > size {
						best, at, size = o.Value, i, len(w)
					}
				}
			}
		}
		if best == "" {
			continue
		}
		a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
			return c.m.Key == key || slices.ContainsFunc(denied, func(d span) bool { return c.pos >= d.start && c.pos < d.end })
		})
		a.add(at, Mention{Key: key, Value: best, Text: a.s[at : at+size]})
		return
	}
}

// raiseWords say that a level rose to the one after them.
var raiseWords = []string{"升为", "升级为", "晋升为", "升到", "升级到", "提升为", "升格为", "又被认定为", "后来认定为"}

// readRaisedOption reads, after an enum fact said in the message (技术中心
// 前年被认定为市级), the option a later clause says it rose to (今年升为省级
// 了), though that clause names the fact by none of its words.
func (a *analysis) readRaisedOption() {
	if !a.containsAny(raiseWords) {
		return
	}
	for _, cand := range a.cands {
		f, ok := a.r.cat.Lookup(cand.m.Key)
		if !ok || f.Kind != matcher.KindEnum || f.Identity {
			continue
		}
		from := a.clauseAt(cand.pos).end
		for _, w := range raiseWords {
			i := a.index(from, len(a.s), w)
			if i < 0 || a.negatedAt(i, i+len(w)) || a.clauseAt(i).question {
				continue
			}
			rest := a.s[i+len(w):]
			for _, o := range f.Options {
				if o.Value == f.NoOption || o.Value == cand.m.Value {
					continue
				}
				for _, ow := range slices.Concat([]string{o.Label}, o.Say) {
					if utf8.RuneCountInString(ow) >= 2 && strings.HasPrefix(rest, ow) {
						at := i + len(w)
						a.add(at, Mention{Key: f.Key, Value: o.Value, Text: a.s[at : at+len(ow)]})
						return
					}
				}
			}
		}
	}
}

// sharesPair reports whether text holds two characters in a row of label
// beyond those every label shares (企业, 年度…).
func sharesPair(label, text string) bool {
	var prev rune
	for _, r := range label {
		if prev != 0 && unicode.Is(unicode.Han, prev) && unicode.Is(unicode.Han, r) {
			if pair := string(prev) + string(r); strings.Contains(text, pair) && !contains(commonPairs, pair) {
				return true
			}
		}
		prev = r
	}
	return false
}

// counted reports whether [start, end) lies in a noun a count counts (博士
// of 博士12个): it names what is counted, not what the speaker is.
func (a *analysis) counted(start, end int) bool {
	for _, sp := range a.countedNouns {
		if sp.start <= start && end <= sp.end {
			return true
		}
	}
	return false
}

// continuingWords open a clause that goes on with the subject of the one
// before it. 出站了,打算留在南沙干 goes on with a plan of the applicant's
// own, which is told as the applicant says it; the department checks it.
var continuingWords = []string{"后来", "随后", "之后", "然后", "接着", "又", "还", "也", "并且", "同时", "现在", "目前", "如今", "已经", "并已", "已", "决定", "并且已经", "打算", "准备", "想"}

// byWhomWords open a clause that says who did what the clause before it
// names (省里认定的).
var byWhomWords = []string{"国家", "省里", "省级", "省", "市里", "市级", "区里", "区级", "县里", "县级", "由国家", "由省", "由市", "由区", "经国家", "经省", "经市"}

// speakerSubjects open a clause whose subject is the speaker.
var speakerSubjects = []string{"我们", "我司", "本单位", "我单位", "我们单位", "是"}

// cueMatch is one cue found in a clause: parts[0] starts at start, the last
// part at last.
type cueMatch struct {
	cue              *factCue
	start, last, end int
	firstEnd         int // the end of the first part's word
}

// matchCue appends the matches of c in the message to out; all parts of a
// match lie in one clause, except in an answer to the question about c's
// fact, where they may run on into the next (竣工投产了,不到两年).
func (a *analysis) matchCue(out []cueMatch, c *factCue) []cueMatch {
	for _, first := range c.parts[0] {
		if !a.may(first) {
			continue
		}
		for at := 0; at < len(a.s); {
			start := a.index(at, len(a.s), first)
			if start < 0 {
				break
			}
			at = start + len(first)
			if splitsNumber(a.s, start, first) {
				continue
			}
			cl := a.clauseAt(start)
			if c.key == a.ctx.Pending {
				cl.end = len(a.s)
			}
			end, last, ok := at, start, true
			for _, part := range c.parts[1:] {
				best, bestLen := -1, 0
				limit := runesAfter(a.s, end, cl.end, cueGap)
				for _, alt := range part {
					if j := a.index(end, cl.end, alt); j >= 0 && j <= limit && (best < 0 || j < best) && !splitsNumber(a.s, j, alt) {
						best, bestLen = j, len(alt)
					}
				}
				if best < 0 {
					// 博士后出站了,留在广州南沙: a clause that goes on with the
					// next part's word continues the phrase.
					if next, found := a.nextClause(cl); found {
						head := len(a.s[next.start:next.end]) - len(strings.TrimLeft(a.s[next.start:next.end], " "))
						rest := a.s[next.start+head : next.end]
						for _, alt := range part {
							if strings.HasPrefix(rest, alt) {
								best, bestLen = next.start+head, len(alt)
								cl.end = next.end
								break
							}
						}
						// 先被认定为省级,后来又被认定为国家级: a clause
						// that opens by going on (后来, 又) has the same subject.
						// 新型研发机构,省里认定的: so does one that opens with
						// who did it.
						// 新型研发机构的人事,我们是省认定的: so does one whose subject
						// is the speaker, said again.
						said := rest
						for _, w := range speakerSubjects {
							said = strings.TrimPrefix(said, w)
						}
						if best < 0 && (hasAnyPrefix(rest, continuingWords...) || hasAnyPrefix(said, byWhomWords...)) {
							limit := runesAfter(a.s, next.start+head, next.end, cueGap)
							for _, alt := range part {
								if j := a.index(next.start+head, next.end, alt); j >= 0 && j <= limit && (best < 0 || j < best) {
									best, bestLen = j, len(alt)
								}
							}
							if best >= 0 {
								cl.end = next.end
							}
						}
					}
				}
				if best < 0 {
					ok = false
					break
				}
				last, end = best, best+bestLen
			}
			if ok && end <= cl.end {
				if !a.insideWord(start, end) {
					out = append(out, cueMatch{cue: c, start: start, last: last, end: end, firstEnd: start + len(first)})
				}
			}
		}
	}
	return out
}

// splitsNumber reports whether the word w found at i of s begins or ends
// inside a written number: the 3年 of 2023年开工 is no three years.
func splitsNumber(s string, i int, w string) bool {
	digit := func(b byte) bool { return b >= '0' && b <= '9' || b == '.' }
	if w == "" {
		return false
	}
	if digit(w[0]) && i > 0 && digit(s[i-1]) {
		return true
	}
	j := i + len(w)
	return digit(w[len(w)-1]) && j < len(s) && digit(s[j])
}

// insideWord reports whether the phrase matched at [start, end) overlaps one
// of the library's words that hold a phrase's word but mean something else
// (多亏了 is no 亏了, 新产品上市 no listing), without holding it whole: a
// phrase that says 新产品上市销售 is that phrase.
func (a *analysis) insideWord(start, end int) bool {
	for _, w := range a.r.notPhrases {
		for from := max(0, start-len(w)); from < end; {
			i := a.index(from, min(len(a.s), end+len(w)), w)
			if i < 0 || i >= end {
				break
			}
			if i+len(w) > start && !(i >= start && i+len(w) <= end) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

// readFactCues reads the yes/no and enum facts stated. Of overlapping
// matches for one key the widest stands (准备上市 over 上市).
func (a *analysis) readFactCues() {
	var found []cueMatch
	for _, i := range here(a.r.lex.cuesOf, a.found) {
		found = a.matchCue(found, &a.r.cues[i])
	}
	found = a.elliptical(found)
	a.matches = found
	a.readFormFields()
	for i, m := range found {
		if !a.within(found, i) && !shadowed(found, i) {
			c := a.clauseAt(m.start)
			// An answer's cue may run on past its clause (see matchCue).
			c.end = max(c.end, m.end)
			a.takeCue(c, m)
		}
	}
}

// echoesOnly reports whether every fact read so far is a yes/no one read
// from words of question (投产 of 是否已经投产达效).
func (a *analysis) echoesOnly(question string) bool {
	for _, c := range a.cands {
		f, ok := a.r.cat.Lookup(c.m.Key)
		if !ok || f.Kind != matcher.KindBool || c.m.Text == "" || !strings.Contains(question, c.m.Text) {
			return false
		}
	}
	return true
}

// fieldEnds end a form's field: 企业规模:中型;承诺纳税年限:8年.
const fieldEnds = ";|｜,。 \n"

// readFormFields reads the yes/no and enum fields of a form counter staff
// paste (企业规模:中型, 是否首次申请发明专利:否): a field named by the
// fact's label, its value an option's label or word, or a yes or no.
func (a *analysis) readFormFields() {
	for at := 0; at < len(a.s); {
		i := strings.IndexByte(a.s[at:], ':')
		if i < 0 {
			return
		}
		i += at
		at = i + 1
		from := strings.LastIndexAny(a.s[:i], fieldEnds) + 1
		to := len(a.s)
		if j := strings.IndexAny(a.s[i+1:], fieldEnds); j >= 0 {
			to = i + 1 + j
		}
		label, value := strings.TrimSpace(a.s[from:i]), strings.TrimSpace(a.s[i+1:to])
		if label == "" || value == "" {
			continue
		}
		f, ok := a.r.cat.LookupLabel(strings.TrimPrefix(label, "是否"))
		if !ok || a.has(f.Key) {
			continue
		}
		var v any
		switch f.Kind {
		case matcher.KindEnum:
			for _, o := range f.Options {
				if o.Label == value || slices.Contains(o.Say, value) {
					v = o.Value
					break
				}
			}
		case matcher.KindBool:
			if yes, n := yesNo(value); n == len(value) {
				v = yes
			}
		}
		if v != nil {
			a.add(from, Mention{Key: f.Key, Value: v, Text: a.s[from:to]})
		}
	}
}

// ellipsisOpeners open a message that goes on from the one before: 那租的呢,
// 如果是租的呢.
var ellipsisOpeners = []string{"那", "如果", "要是", "假如", "假设", "换成", "改成", "那如果", "那要是"}

// maxEllipsisRunes bounds a message that may leave out what the one before
// said.
const maxEllipsisRunes = 16

// elliptical adds to found the phrases of which a short message that goes
// on from the one before (如果是租的呢, after 本部在南沙买了2000平方的自用
// 办公楼) says only the last part, when the message before said the rest.
// A phrase matched whole stands.
func (a *analysis) elliptical(found []cueMatch) []cueMatch {
	if a.ctx.Previous == "" || utf8.RuneCountInString(a.s) > maxEllipsisRunes || !hasAnyPrefix(a.s, ellipsisOpeners...) {
		return found
	}
	// 那是租的 states and 如果是租的呢 supposes; 那认定要多久 asks about the
	// words before, and says nothing of its own.
	if c := a.clauseAt(0); c.question && !a.clauseOpens(c, hypotheticals) {
		return found
	}
	if strings.ContainsAny(a.ctx.Previous, "?？吗") || containsAny(a.ctx.Previous, requestWords) || containsAny(a.ctx.Previous, otherParties) {
		return found // the words before were a question, or another's
	}
	// The words said start after the opener: the 是 of 要是租的呢 is none
	// of 是租的.
	opener := 0
	for _, w := range ellipsisOpeners {
		if strings.HasPrefix(a.s, w) {
			opener = max(opener, len(w))
		}
	}
	for _, i := range here(a.r.lex.lastOf, a.found) {
		c := &a.r.cues[i]
		if slices.ContainsFunc(found, func(m cueMatch) bool { return m.cue.key == c.key }) {
			continue
		}
		before := true
		for _, part := range c.parts[:len(c.parts)-1] {
			before = before && containsAny(a.ctx.Previous, part) && !a.containsAny(part)
		}
		if !before {
			continue
		}
		for _, w := range c.parts[len(c.parts)-1] {
			if j := a.index(opener, len(a.s), w); j >= 0 && utf8.RuneCountInString(w) >= 2 {
				found = append(found, cueMatch{cue: c, start: j, last: j, end: j + len(w), firstEnd: j + len(w)})
				break
			}
		}
	}
	return found
}

// segmentAt returns the words around i up to the nearest stops, a
// semicolon included: 我是全日制本科;硕士是在职读的,非全日制 says 非全日制
// of the 硕士 only.
func (a *analysis) segmentAt(i int) string {
	start, end := 0, len(a.s)
	for _, stop := range []string{";", "。", "!", "?", "\n"} {
		if k := strings.LastIndex(a.s[:i], stop); k >= 0 {
			start = max(start, k+len(stop))
		}
		if k := strings.Index(a.s[i:], stop); k >= 0 {
			end = min(end, i+k)
		}
	}
	return a.s[start:end]
}

// labelDenied reports whether sentence denies the fact's own name (硕士是
// 在职读的,非全日制, of 全日制学历和学位): an option said there is not the
// fact's. The name is the label's first three characters or more.
func labelDenied(label, sentence string) bool {
	rs := []rune(label)
	for n := len(rs); n >= 3; n-- {
		name := string(rs[:n])
		for _, neg := range []string{"非", "不是", "不算"} {
			if strings.Contains(sentence, neg+name) {
				return true
			}
		}
	}
	return false
}

// within reports whether found[i] lies inside a wider match of the same key,
// or runs on past its clause (see matchCue) over a match of the same key
// said whole in that clause: 同比减少,增加的负担 says 同比减少.
func (a *analysis) within(found []cueMatch, i int) bool {
	m := found[i]
	runsOn := func(m cueMatch) bool { return m.end > a.clauseAt(m.start).end }
	holds := func(o, m cueMatch) bool {
		return o.start <= m.start && o.end >= m.end && o.end-o.start > m.end-m.start
	}
	f, _ := a.r.cat.Lookup(m.cue.key)
	for j, o := range found {
		if j == i || o.cue.key != m.cue.key {
			continue
		}
		if f.Highest && o.cue.value != m.cue.value {
			// 国家级专利优秀奖和省级专利金奖: a last part another match
			// reaches from a nearer first part is that one's, not m's.
			if o.last == m.last && o.start > m.start {
				return true
			}
			continue // 国家级和市级的认定: both levels are said, and the higher stands
		}
		if holds(o, m) && (!runsOn(o) || runsOn(m)) || holds(m, o) && runsOn(m) && !runsOn(o) {
			return true
		}
	}
	return false
}

// shadowed reports whether found[i] lies inside one word of another fact's
// match, a longer word that means something of its own: 实验室 of
// 重点实验室 is a platform recognised, not a research institution.
func shadowed(found []cueMatch, i int) bool {
	m := found[i]
	for j, o := range found {
		if j == i || o.cue.key == m.cue.key {
			continue
		}
		for _, w := range [][2]int{{o.start, o.firstEnd}, {o.last, o.end}} {
			if w[0] <= m.start && m.end <= w[1] && w[1]-w[0] > m.end-m.start {
				return true
			}
		}
	}
	return false
}

// takeCue records the fact of a cue when it is said of the speaker: in
// answer to the pending question, as done (已, 了), or in the first person
// (for a deed, in a clause that asks nothing). A denied cue gives its negated
// value, or nothing.
func (a *analysis) takeCue(c clause, m cueMatch) {
	key := m.cue.key
	f, _ := a.r.cat.Lookup(key)
	// A county or park speaks of the enterprises in it (全县规上企业), not
	// of itself: their traits are not facts about the applicant.
	if a.applicant != "enterprise" && f.EnterpriseOnly {
		return
	}
	if a.secondOfANotA(m.start) {
		return // 才知道盈没盈利: the clause asks whether, and says neither
	}
	if containsAny(a.s[c.start:c.end], doubtWords) {
		// 高企证书是不是还在有效期内我不清楚: the clause says what the
		// speaker does not know, neither yes nor no (readDeclined takes it).
		return
	}
	answering := a.ctx.Pending == key || a.correction && contains(a.ctx.Recent, key)
	done := c
	if c.question {
		// 领了补贴还能住人才公寓吗: in a question, the 了 of another verb
		// says nothing of this deed; only what is said at it counts.
		done.start = runesBefore(a.s, c.start, m.start, 2)
	}
	stated := answering || a.done(done, m.end)
	if !stated && c.question && hasAnyPrefix(a.s[m.end:], awardNouns...) {
		return // 给多少上市奖励: the award for listing, not a listing
	}
	// A reply in a conversation under way speaks of the speaker as much as
	// one in the first person: 盈利的, to a question about something else.
	// So does any statement once the conversation holds the speaker's facts.
	if !stated && (a.firstPerson || a.ctx.Pending != "" || a.ownFigures() || len(a.ctx.Recent) > 0 || a.ctx.NewCase) {
		// 要是整体迁到南沙去呢: a deed supposed is said as done.
		stated = !m.cue.deed || !c.question || a.supposition(m.start)
	}
	if !stated {
		return
	}
	value := m.cue.value
	denied := a.negated(c, m)
	if denied {
		value = m.cue.negated
	}
	if !denied && f.Kind == matcher.KindBool && m.cue.deed && (a.inProgress(c, m.start, m.end) || a.ahead(c, m.start, m.end)) {
		// 正在申请总部型企业认定: applied for, not yet recognised; 预计
		// 2027年投产: not yet in production.
		value = m.cue.negated
	}
	if !denied && hasAnyPrefix(strings.TrimLeft(a.s[m.end:c.end], " 的"), pendingAfter...) {
		// 国家高新技术企业还在申报: applied for, not yet so.
		if f.Kind == matcher.KindEnum && f.NoOption != "" {
			value = f.NoOption
		} else if f.Kind == matcher.KindBool {
			value = m.cue.negated
		}
		if value == nil {
			return
		}
	}
	if value == nil && f.NoOption != "" && a.containsAny(notYetWords) && !(f.Kind == matcher.KindEnum && !denied && optionIn(f, a.s[c.start:c.end]) != "" && containsAny(a.s[c.start:c.end], grantVerbs) && !containsAny(a.s[c.start:c.end], notYetWords)) {
		// 还在申报, 还没认定下来: not recognised yet. 被认定为省级…;国家级的
		// 也报上去了,还没批下来: the level its clause names was granted.
		value = f.NoOption
	}
	if value == nil && f.Kind == matcher.KindEnum && !denied {
		if o := optionIn(f, a.s[c.start:c.end]); o != "" {
			value = o
		} else if o := a.optionBefore(f, c); o != "" {
			// 拿了个国家级的牌子,新认定的两化融合示范企业: the level said in
			// the clause before, of the same thing.
			value = o
		} else {
			// Recognised, level not said: ask which.
			a.unclear = appendUnique(a.unclear, key)
		}
	}
	if value == nil {
		return
	}
	if f.InArea && !a.inScope(key) && !a.namesAreaIn(key, m.start, m.end) {
		// 我们在黄埔,今年新落户的: settled where it says it is, maybe not in
		// the area of the documents that read the fact. Worth asking.
		a.unclear = appendUnique(a.unclear, key)
		return
	}
	a.add(m.start, Mention{Key: key, Value: value, Text: a.s[m.start:m.end], End: m.end})
	a.cands[len(a.cands)-1].implied = m.cue.implied && !denied
	if denied && f.Kind == matcher.KindEnum {
		a.cands[len(a.cands)-1].denied = m.cue.value
	}
}

// secondOfANotA reports whether the words at start open the second half of
// an A-not-A question (盈没盈利, 达没达到; see aNotA): 没 or 不 right before
// them, after the first character of what they say.
func (a *analysis) secondOfANotA(start int) bool {
	first, _ := utf8.DecodeRuneInString(a.s[start:])
	for _, neg := range []string{"没", "不"} {
		if before, ok := strings.CutSuffix(a.s[:start], neg); ok {
			if r, _ := utf8.DecodeLastRuneInString(before); r == first && unicode.Is(unicode.Han, r) {
				return true
			}
		}
	}
	return false
}

// awardNouns name an award after the words of what it rewards (上市奖励).
var awardNouns = []string{"奖励", "补贴", "补助", "奖金", "资助", "扶持资金", "奖"}

// areaDeixis are the words by which a document names its own area; in a
// phrase (落户本区) they name that area.
var areaDeixis = []string{"本区", "我区", "区内", "本县", "我县", "县内", "本市", "我市", "市内", "本镇", "园区内"}

// namesAreaIn reports whether the words from start to end name the area of
// a document that reads key: a place within it (迁到南沙), not a document
// named by its place, or its deixis.
func (a *analysis) namesAreaIn(key string, start, end int) bool {
	words := a.s[start:end]
	if containsAny(words, areaDeixis) {
		return true
	}
	for _, m := range a.placeNames() {
		if m.Start < start || m.End > end {
			continue
		}
		if a.namesDocument(m.End) {
			continue // 新落户的高企,南沙那个落户奖: the document, not where it settled
		}
		for _, place := range m.Divisions {
			for _, d := range a.r.readBy[key] {
				if area := a.r.areas[d]; area == nil || place.Within(area) != gazetteer.No {
					return true
				}
			}
		}
	}
	return false
}

// ownFigures reports that the message gave the speaker's own figures or
// place (营收6亿,去年4亿,盈利的工业企业; 石城县的一家企业,通过了…):
// statements beside them are the speaker's too, first person or not.
func (a *analysis) ownFigures() bool {
	for _, c := range a.cands {
		if f, ok := a.r.cat.Lookup(c.m.Key); ok && (f.Kind == matcher.KindMoney || f.Kind == matcher.KindNumber || f.Kind == matcher.KindRegion) {
			return true
		}
	}
	return false
}

// inProgress reports whether one of inProgressWords stands a few
// characters before the phrase at [start, end) in clause c, with no 已
// between it and the phrase's end (正在申请总部型企业认定, not 正在申请奖励的
// 这个新项目已经建成投产).
func (a *analysis) inProgress(c clause, start, end int) bool {
	from := runesBefore(a.s, c.start, start, inProgressReach)
	words := inProgressWords
	if containsAny(a.s[start:end], grantVerbs) {
		words = slices.Concat(inProgressWords, wishWords)
	}
	for _, w := range words {
		if i := strings.LastIndex(a.s[from:start], w); i >= 0 && !strings.Contains(a.s[from+i:end], "已") {
			return true
		}
	}
	return false
}

// yearRE finds the years a clause writes in digits (2027年).
var yearRE = regexp.MustCompile(`(?:19|20)\d{2}年`)

// aheadWords put a deed after now: 预计明年投产.
var aheadWords = []string{"预计", "将于", "有望", "争取", "计划于", "力争", "下半年将"}

// ahead reports whether the clause puts the deed at [start, end) after
// now: by a word of the future before it, or by a year after the
// session's up to its end (项目2030年投产).
func (a *analysis) ahead(c clause, start, end int) bool {
	if a.windowHas(c.start, start, aheadWords) {
		return true
	}
	if a.ctx.Year == 0 {
		return false
	}
	// The year of the deed stands by it (2030年投产), not any year of the
	// clause (证书2027年到期).
	for _, y := range yearRE.FindAllString(a.s[runesBefore(a.s, c.start, start, 6):end], -1) {
		if n, err := strconv.Atoi(y[:4]); err == nil && n > a.ctx.Year {
			return true
		}
	}
	return false
}

// inProgressReach bounds the characters between an in-progress word and
// the deed it is of.
const inProgressReach = 10

// inProgressWords right before a deed say it is under way, not done.
var inProgressWords = []string{"正在申请", "正在申报", "还在申请", "还在申报", "正在办理", "还在走流程", "正在走流程", "在走流程"}

// wishWords before a recognition say it is wanted, not granted (想在南沙认定
// 总部); before a deed of the applicant's own (想在原有土地上加盖厂房) they
// say what it plans, which a measure for such plans counts.
var wishWords = []string{"想在", "想要", "想申请", "希望能", "希望"}

// pendingAfter, right after a phrase, say what it names is applied for and
// not yet granted.
var pendingAfter = []string{"还在申报", "正在申报", "还在申请", "正在申请", "在申报", "申报中", "申请中", "还没批", "还没认定", "还在评审", "在评审"}

// grantVerbs are deeds an authority does: 认定, 评为, 入选.
var grantVerbs = []string{"认定", "评为", "评上", "获批", "认证", "备案", "入选", "列入", "纳入"}

// notYetWords say a recognition is applied for but not granted: an enum
// fact has no option yet (还在申报, 还没认定下来).
var notYetWords = []string{"还在申报", "正在申报", "申报中", "还没认定", "尚未认定", "没认定", "未认定", "还没批", "没评上", "没有评上", "还没评上"}

// optionIn returns the option of the enum f that text names by one of its
// words (国家级, 省, 中型), longer words first, or "".
func optionIn(f *matcher.Fact, text string) string {
	best, bestLen := "", 0
	for _, o := range f.Options {
		for _, w := range slices.Concat([]string{o.Label}, o.Say, o.Answers) {
			if len(w) > bestLen && strings.Contains(text, w) {
				best, bestLen = o.Value, len(w)
			}
		}
	}
	return best
}

// optionAt returns where text first says option o of f, or 0.
func optionAt(f *matcher.Fact, o, text string) int {
	at := -1
	for _, opt := range f.Options {
		if opt.Value != o {
			continue
		}
		for _, w := range slices.Concat([]string{opt.Label}, opt.Say, opt.Answers) {
			if i := strings.Index(text, w); i >= 0 && (at < 0 || i < at) {
				at = i
			}
		}
	}
	return max(at, 0)
}

// optionBefore returns an option of f said in the clause right before c, in
// its sentence, when no phrase of another fact is there (获得省级专利金奖 has
// its own level); "" otherwise.
func (a *analysis) optionBefore(f *matcher.Fact, c clause) string {
	start := a.sentenceStart(c.start)
	for i, p := range a.clauses {
		if p.start != c.start || i == 0 {
			continue
		}
		prev := a.clauses[i-1]
		if prev.start < start || slices.ContainsFunc(a.matches, func(m cueMatch) bool { return m.cue.key != f.Key && m.start >= prev.start && m.start < prev.end }) {
			return ""
		}
		return optionIn(f, a.s[prev.start:prev.end])
	}
	return ""
}

// done reports a completed deed in the clause up to a few runes after the
// cue: 已, 已经, 了 (not 了解, 为了, 除了), 过 after a verb (参加过).
func (a *analysis) done(c clause, end int) bool {
	t := a.s[c.start:runesAfter(a.s, end, c.end, 4)]
	if strings.Contains(t, "已") {
		return true
	}
	for i := 0; ; {
		j := strings.Index(t[i:], "了")
		if j < 0 {
			break
		}
		at := i + j
		i = at + len("了")
		if !strings.HasPrefix(t[i:], "解") && !strings.HasSuffix(t[:at], "为") && !strings.HasSuffix(t[:at], "除") {
			return true
		}
	}
	return containsAny(t, []string{"参加过", "参展过", "去过", "获得过", "拿过", "做过", "刚认定", "认定下来", "批下来", "获批", "评上", "被认定", "刚拿到",
		"新认定为", "被新认定", "认定为", "被评为", "被列为", "被确定为", "通过认定"})
}

var (
	negators = []string{"没有", "没", "未", "还没", "尚未", "并未", "从未", "不是", "不", "非"}
	// notNegation are words with 不 or 没 that deny nothing.
	notNegation = []string{
		"有没有", "是不是", "能不能", "会不会", "要不要", "可不可以", "不错", "不少", "不断", "不仅", "不但",
		"不过", "不久", "不管", "不论", "不同", "不光", "不知道", "不清楚", "不确定", "差不多", "不到", "不足",
		"不得不", "不用", "非常", "并非",
		// 两年内投产没问题: an idiom that affirms.
		"没问题", "没有问题", "不成问题", "没毛病", "不在话下", "错不了", "跑不了",
	}
	contrastWords = []string{"但是", "但", "不过", "而是", "可是", "只是"}
	// classDenials deny that the applicant is of a class, and so every
	// kind the clause then lists.
	classDenials = []string{"不属于", "不是属于", "并不属于", "不算是"}
	// affirmations end the reach of a class denial.
	affirmations  = []string{"属于", "是", "而", "为"}
	rightNegators = []string{"还没有", "还没", "没有", "没", "未", "尚未", "并未", "不是"}
	rewardWords   = []string{"奖励", "补贴", "补助", "资金", "政策", "优惠", "扶持", "享受", "拿到", "得到", "申请"}
)

// denies reports whether win holds a negator outside the words that deny
// nothing (有没有, 不错) and the catalogue's names (非企业经济组织).
func (a *analysis) denies(win string) bool { return deniesBut(win, a.r.deniedNames) }

// denies is deniesBut with no names of the catalogue.
func denies(win string) bool { return deniesBut(win, nil) }

func deniesBut(win string, names []string) bool {
	if !strings.ContainsAny(win, "不没未非") {
		return false
	}
	for i := 0; i < len(win); {
		if n := max(prefixLen(win[i:], notNegation...), prefixLen(win[i:], names...)); n > 0 {
			i += n
			continue
		}
		if prefixLen(win[i:], negators...) > 0 {
			return true
		}
		_, size := utf8.DecodeRuneInString(win[i:])
		i += size
	}
	return false
}

// negationReach is how far before a cue a negator still denies it, within
// its clause: 没有按规定交齐五险一金.
const negationReach = 8

// negated reports whether the cue spanning [start, end), its last part at
// last, is denied: by a negator up to negationReach runes before it or between its
// parts (没有参加, 减排效果不明显), not across 但是; or by one right after it
// (五险一金没交), unless what is denied is a reward (参加博览会没有补贴).
func (a *analysis) negated(c clause, m cueMatch) bool {
	start, last, end := m.start, m.last, m.end
	from := a.afterAside(runesBefore(a.s, c.start, start, negationReach), start)
	// The phrase's own words deny nothing: 没有主管部门 is a phrase.
	between := max(m.firstEnd, start)
	between = a.afterAside(between, max(last, m.firstEnd))
	win := a.s[from:start] + " " + a.s[between:max(last, m.firstEnd)]
	for _, cw := range contrastWords {
		if i := strings.LastIndex(win, cw); i >= 0 {
			win = win[i+len(cw):]
		}
	}
	// 没有上市、已经是规上企业: an item that affirms ends the denial's reach.
	if i := strings.LastIndex(win, "、"); i >= 0 && (containsAny(win[i:], affirmations) || strings.Contains(win[i:], "已")) {
		win = win[i+len("、"):]
	}
	if a.denies(win) {
		return true
	}
	// 没有在主板、中小板、创业板上市: a denial before a list covers each of
	// its items and what the list is said of.
	if first := a.listStart(c.start, start); first < start {
		win := a.s[runesBefore(a.s, c.start, first, negationReach):first]
		for _, cw := range contrastWords {
			if i := strings.LastIndex(win, cw); i >= 0 {
				win = win[i+len(cw):]
			}
		}
		if a.denies(win) {
			return true
		}
	}
	// 不属于采矿选矿这类矿产资源项目: a denied 属于 or 是 covers the whole
	// list after it in its clause, however far.
	before := a.s[c.start:start]
	for _, cw := range contrastWords {
		if i := strings.LastIndex(before, cw); i >= 0 {
			before = before[i+len(cw):]
		}
	}
	for _, d := range classDenials {
		// 不属于采矿选矿这类矿产资源项目, up to an affirmation: 不属于制造业
		// 属于软件行业的高新技术企业 denies only 制造业.
		if i := strings.LastIndex(before, d); i >= 0 && !containsAny(before[i+len(d):], affirmations) {
			return true
		}
	}
	rest := a.s[end:c.end]
	if hasAnyPrefix(rest, notNegation...) {
		return false // 两年内投产没问题
	}
	for _, n := range rightNegators {
		if strings.HasPrefix(rest, n) {
			return !hasAnyPrefix(rest[len(n):], rewardWords...)
		}
	}
	if after, ok := a.deniedAfter(end, c.end); ok {
		return !hasAnyPrefix(after, rewardWords...) // 主板创业板都没上
	}
	return false
}

// afterAside moves from past an aside closed before start: the 非 of
// 项目(非矿产)已经投产 denies the mineral, not the production.
func (a *analysis) afterAside(from, start int) int {
	if i := strings.LastIndex(a.s[from:start], ")"); i >= 0 {
		return from + i + len(")")
	}
	return from
}

// listStart returns where the list of short items joined by 、 that ends
// at pos begins (the 、 after its first item), or pos when none does. An
// item that affirms (已经是规上) starts a statement of its own.
func (a *analysis) listStart(clauseStart, pos int) int {
	for {
		k, runes := pos, 0
		for k > clauseStart && runes <= 6 && !strings.HasSuffix(a.s[:k], "、") {
			r, size := utf8.DecodeLastRuneInString(a.s[:k])
			if !unicode.Is(unicode.Han, r) {
				return pos
			}
			k -= size
			runes++
		}
		if !strings.HasSuffix(a.s[:k], "、") || runes > 6 || containsAny(a.s[k:pos], affirmations) || containsAny(a.s[k:pos], []string{"已", "有"}) {
			return pos
		}
		pos = k - len("、")
	}
}

// negatedAt reports a plain word denied before it: 不是做家具的.
func (a *analysis) negatedAt(start, end int) bool {
	c := a.clauseAt(start)
	from := a.afterAside(runesBefore(a.s, c.start, start, 5), start)
	win := a.s[from:start]
	for _, cw := range contrastWords {
		if i := strings.LastIndex(win, cw); i >= 0 {
			win = win[i+len(cw):]
		}
	}
	_, after := a.deniedAfter(end, c.end)
	return a.denies(win) || after
}

// afterDenials deny the words before them: 主板创业板都没上, 新三板没挂.
var afterDenials = []string{"都没", "都还没", "都不是", "均未", "都未", "也没", "还没", "没"}

// deniedAfter reports whether a denial follows the word ending at end
// within its clause, after at most a few more words of a list (主板 of
// 主板创业板都没上), with no pause between; and returns what follows the
// denial.
func (a *analysis) deniedAfter(end, clauseEnd int) (string, bool) {
	rest := a.s[end:clauseEnd]
	for k := 0; k <= 6 && rest != ""; k++ {
		if skipped := a.s[end : clauseEnd-len(rest)]; strings.Contains(skipped, "有") || containsAny(skipped, rewardWords) {
			return "", false // 技能等级提升有补贴没 asks of the reward
		}
		for _, d := range afterDenials {
			if strings.HasPrefix(rest, d) {
				// 盈利没问题 affirms.
				return rest[len(d):], !hasAnyPrefix(rest, "没问题", "没错", "没毛病", "没得说")
			}
		}
		r, size := utf8.DecodeRuneInString(rest)
		if !unicode.Is(unicode.Han, r) {
			return "", false
		}
		rest = rest[size:]
	}
	return "", false
}

// yesWords and noWords answer a yes/no question at the start of a reply.
var (
	yesWords = []string{
		"是的", "是啊", "是滴", "对的", "对啊", "没错", "确实", "当然", "肯定", "有的", "嗯嗯", "可以", "符合",
		"已通过", "通过了", "通过", "参加了", "参加过", "交了", "缴了", "缴纳了", "增长了", "认定了", "获得了",
		"拿到了", "已经", "已", "是哒", "对对", "那当然", "当然", "那肯定", "必须的", "算是", "算吧", "没毛病",
		"yes", "Yes", "YES", "是", "对", "有", "嗯", "能", "会", "算", "y", "Y",
	}
	noWords = []string{
		"不是", "并没有", "还没有", "暂时没有", "没有", "不能", "不会", "不符合", "暂无", "尚未", "还没",
		"没通过", "未通过", "没参加", "没交", "没缴", "没增长", "不算", "算不上", "谈不上", "哪有", "木有", "没呢",
		"no", "No", "NO", "否", "没", "不", "无", "未", "n", "N",
	}
)

// readBareAnswers reads replies that carry no cue of their own: 是的 or 没有
// to a yes/no question, 省级 or 中型 to an enum question. In a correction
// they go to the most recent fact of their kind.
func (a *analysis) readBareAnswers() {
	lead := strings.TrimLeft(a.s, " ,.。!?~")
	for _, f := range []string{"嗯,", "呃,", "哦,", "额,"} {
		lead = strings.TrimPrefix(lead, f)
	}
	if a.correction {
		// 不对,去年是10.5亿: the 不对 marks the correction; it answers nothing.
		if n := prefixLen(lead, append([]string{"不对", "不是"}, correctionWords...)...); n > 0 {
			lead = strings.TrimLeftFunc(lead[n:], isPunct)
		}
	}
	// A correction that carries its own values answers no yes/no question:
	// 不好意思,债券金额说错了,是1亿2千万,不是8000万.
	if a.correction && len(a.cands) > 0 {
		return
	}
	// 已经通过省工业节能产品认定了, to a question about growth, answers
	// another question: beside other facts, a yes or no counts only as a
	// word of its own (不是,我们是做贸易的).
	// A reply that does not know (还没算出来, 没有印象了) answers nothing,
	// unless a yes or no of its own comes first (应该是的,具体数字要问财务).
	if key := a.bareKey(kindIs(matcher.KindBool)); key != "" && !a.has(key) {
		v, n, hedged := hedgedYesNo(lead)
		if at, _ := declines(lead); n > 0 && (at < 0 || at >= n && standsAlone(lead, n)) && (len(a.cands) == 0 || standsAlone(lead, n)) {
			m := Mention{Key: key, Value: v, Text: lead[:n]}
			if hedged {
				f, _ := a.r.cat.Lookup(key)
				word := "是"
				if !v {
					word = "否"
				}
				m.Note = "按您说的“" + lead[:n] + "”理解为" + f.Label + ":" + word + ",如不确定请核实后告诉我"
			}
			a.add(0, m)
		}
	}
	// 已经投产了,达效了, to 该新产品是否已经投产达效: words another fact's
	// phrase took, said back from the question, answer the question.
	if key := a.bareKey(kindIs(matcher.KindBool)); key != "" && !a.has(key) && len(a.cands) > 0 && !a.asks() && !hasDecline(a.s) {
		if f, ok := a.r.cat.Lookup(key); ok && a.echoesOnly(f.Question) {
			a.cands = a.cands[:0]
		}
	}
	// 上个月区里已经认定下来了, to 是否…经认定的总部型企业: the question's
	// own words said back as done, or as not done.
	if key := a.bareKey(kindIs(matcher.KindBool)); key != "" && !a.has(key) && len(a.cands) == 0 && !a.asks() && !hasDecline(a.s) {
		if f, ok := a.r.cat.Lookup(key); ok {
			if v, word, ok := a.echoedYesNo(f.Question); ok {
				a.add(0, Mention{Key: key, Value: v, Text: word})
			}
		}
	}
	// 省级 to 是哪一级, 中型 to 属于大型、中型、小型还是微型, 没有 to a
	// question whose enum has an option for no. A correction goes to the
	// recent fact that has the option said (应该是国家级的,我搞混了), never
	// to who the speaker is.
	key := a.ctx.Pending
	if a.correction && len(a.ctx.Recent) > 0 {
		key = a.ctx.Recent[0]
		for _, k := range a.ctx.Recent {
			if f, ok := a.r.cat.Lookup(k); ok && f.Kind == matcher.KindEnum && !f.Identity && optionIn(f, a.s) != "" {
				key = k
				break
			}
		}
	}
	if f, ok := a.r.cat.Lookup(key); ok && f.Kind == matcher.KindEnum && !a.has(key) {
		if o := optionIn(f, a.s); o != "" {
			// Placed at its option's words, so that 那要是只是进了中国企业500强呢
			// supposes the answer rather than giving it.
			a.add(optionAt(f, o, a.s), Mention{Key: key, Value: o, Text: a.s})
		} else if v, n := yesNo(lead); n > 0 && !v && f.NoOption != "" {
			a.add(0, Mention{Key: key, Value: f.NoOption, Text: lead[:n]})
		}
	}
}

// echoedYesNo reads a reply that says the words the question asks about
// (those after 是否, two characters or more) back with the aspect of a thing
// done right after them, or 已 right before: 已经认定下来了, 列入了, 获得过
// say yes; 还没认定, 没有列入 say no. Without the aspect (我们在南沙区), with
// it only further on (认定太难了), or with 不了 (认定不了) it reads nothing.
func (a *analysis) echoedYesNo(question string) (bool, string, bool) {
	if i := strings.Index(question, "是否"); i >= 0 {
		question = question[i+len("是否"):]
	}
	run := LongestCommon(question, a.s)
	if utf8.RuneCountInString(run) < 2 || !isHan(run) || containsAny(run, echoGeneric) {
		return false, "", false
	}
	i := strings.Index(a.s, run)
	before := a.s[runesBefore(a.s, 0, i, 3):i]
	after := a.s[i+len(run):]
	switch {
	case denies(before):
		return false, before + run, true
	case hasAnyPrefix(after, "不了", "不下来", "不上"):
		return false, "", false
	case hasAnySuffix(before, "已经", "已", "都") || hasAnyPrefix(after, doneAspects...):
		return true, before + run, true
	}
	return false, "", false
}

// doneAspects follow a verb whose deed is done: 认定了, 列入过, 认定下来了.
var doneAspects = []string{"了", "过", "下来", "好了", "完了", "到了", "上了"}

// echoGeneric are words of a question that say who is asked, not what.
var echoGeneric = []string{"企业", "公司", "单位", "是否", "是不是", "贵"}

// isHan reports whether s is Chinese characters only.
func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// hedgeWords soften a reply without turning it: 应该是吧 is a yes said with
// doubt, 估计没有 a no. fillerWords lead a reply and say nothing.
var (
	hedgeWords  = []string{"差不多", "应该", "估计", "好像", "可能", "大概", "我觉得", "我想", "感觉", "貌似", "似乎", "或许"}
	fillerWords = []string{"哈哈", "嗯", "呃", "额", "哦", "那", "也", "目前", "现在", "暂时", "今年", "这个", "我们"}
	// doubleNo are denials of a denial: 不是没有 is a yes.
	doubleNo = []string{"不是没有", "也不能说没有", "不能说没有", "不是不", "没有不"}
)

// hedgedYesNo reads a yes or a no at the start of s past fillers and
// hedges; it returns the answer, the length read and whether it was hedged.
func hedgedYesNo(s string) (bool, int, bool) {
	i, hedged := 0, false
	for {
		rest := strings.TrimLeft(s[i:], " ,.。!~")
		i = len(s) - len(rest)
		if k := prefixLen(rest, hedgeWords...); k > 0 {
			i, hedged = i+k, true
			continue
		}
		if k := prefixLen(rest, fillerWords...); k > 0 && len(rest) > k {
			i += k
			continue
		}
		break
	}
	if k := prefixLen(s[i:], doubleNo...); k > 0 {
		return true, i + k, hedged
	}
	v, n := yesNo(s[i:])
	if n == 0 {
		return false, 0, false
	}
	return v, i + n, hedged
}

// standsAlone reports whether the n bytes at the start of s are followed by
// punctuation or nothing.
func standsAlone(s string, n int) bool {
	r, _ := utf8.DecodeRuneInString(s[n:])
	return n == len(s) || isPunct(r) || r == ' '
}

// yesNo reads a yes or a no at the start of s and returns its length. A
// one-character yes must stand alone: 是5亿 gives a value, 有什么 asks.
func yesNo(s string) (bool, int) {
	if n := prefixLen(s, "没问题", "没错", "不错"); n > 0 {
		return true, n
	}
	if prefixLen(s, "不好意思", "不客气", "不用", "不知", "不清楚") > 0 {
		return false, 0 // politeness and doubt, not a no
	}
	if n := prefixLen(s, noWords...); n > 0 {
		return false, n
	}
	for _, w := range yesWords {
		if !strings.HasPrefix(s, w) {
			continue
		}
		rest := s[len(w):]
		r, _ := utf8.DecodeRuneInString(rest)
		if utf8.RuneCountInString(w) > 1 || rest == "" || isPunct(r) || strings.ContainsRune(fillers+"的滴嗯", r) {
			return true, len(w)
		}
		return false, 0
	}
	return false, 0
}

// unknowingWords say in a clause that the speaker does not know what it
// speaks of: its cues state nothing.
var unknowingWords = []string{"不清楚", "不知道", "不确定", "记不清", "记不准", "不记得", "说不清", "搞不清", "不了解", "不晓得"}

// doubtWords say in a clause that what it speaks of is not settled (两年内能
// 不能投产还不好说): its cues state nothing. Unlike unknowingWords, they do
// not make a figure of the sentence rough.
var doubtWords = append(slices.Clip(unknowingWords), "不好说", "说不准", "说不好", "拿不准", "吃不准", "没把握")

// declineWords say the user does not know or will not tell; declines adds
// the grammar that makes more of them (不太清楚, 记不大清).
// retractWords take back a figure told (那个数先别算): with the figure or
// its fact named, that fact is unknown again.
var retractWords = []string{"先别算", "别算了", "先不算", "不作数", "不算数", "先不要算", "先别按", "先不按", "作废", "不算了", "不用算", "不要算", "就不算"}

var declineWords = []string{
	"先别算", "别算了", "先不算", "不作数", "不算数", "先不要算",
	"不清楚", "不知道", "不确定", "说不好", "不方便说", "不方便透露", "不好说", "不记得", "记不清", "忘了", "忘记",
	"没统计", "不了解", "保密", "不便透露", "没算过", "不太懂", "搞不清", "说不准", "说不清", "没数", "想不起",
	"没印象", "不晓得", "没概念", "不好讲", "不掌握", "还没出来", "没出来", "要问财务", "得问财务", "问问财务",
	"问一下财务", "问下财务", "要问会计", "得问会计", "问一下会计", "问下会计", "要查一下", "得查一下",
	"难说", "看情况", "要看", "没有印象", "没有数据", "没数据", "没算出来", "还没算", "查一下", "确认一下", "核实一下",
	"先不说", "跳过", "不想说", "不说了", "没法说", "记不准", "得问下技术部", "问一下技术部", "要问技术部",
	// 年底审计完才知道: known only later, so not now.
	"才知道", "才能知道", "才清楚", "才能确定", "才确定", "才晓得", "才有数",
}

// declineAlone decline whatever follows them: 要看怎么算, 难说啊.
var declineAlone = []string{"要看", "难说", "看情况", "跳过", "先不说", "不好说", "说不好"}

// declineDegrees may stand inside a decline: 不太清楚, 记不大清.
var declineDegrees = []string{"是很", "怎么", "太", "大", "很", "是太"}

// declines returns the offset and length of the first words in s that say
// the speaker does not know, or -1.
func declines(s string) (int, int) {
	best, n := -1, 0
	take := func(i, k int) {
		if best < 0 || i < best {
			best, n = i, k
		}
	}
	for _, w := range declineWords {
		if i := strings.Index(s, w); i >= 0 {
			take(i, len(w))
		}
	}
	for _, frame := range []struct {
		head  string
		tails []string
	}{
		{"不", []string{"清楚", "知道", "确定", "记得", "了解", "晓得", "懂"}},
		{"记不", []string{"清", "得"}},
		{"说不", []string{"好", "准", "清"}},
		{"搞不", []string{"清", "懂", "明白"}},
	} {
		for from := 0; ; {
			i := strings.Index(s[from:], frame.head)
			if i < 0 {
				break
			}
			i += from
			from = i + len(frame.head)
			j := from + prefixLen(s[from:], declineDegrees...)
			if k := prefixLen(s[j:], frame.tails...); k > 0 {
				take(i, j+k-i)
			}
		}
	}
	return best, n
}

// hasDecline reports whether s says the speaker does not know.
func hasDecline(s string) bool {
	i, _ := declines(s)
	return i >= 0
}

// declineCue is a word that names the fact a decline is about (利润不清楚).
type declineCue struct {
	word, key, series string
}

// declineCuesOf derives those words from the catalogue: the cues of money
// facts, the first words of phrases, the words of options and the labels.
func declineCuesOf(cat *matcher.Catalogue, money []moneyCue) []declineCue {
	var out []declineCue
	for _, c := range money {
		if c.key != "" && !c.weak {
			out = append(out, declineCue{c.word, c.key, c.series})
		}
	}
	for _, f := range cat.Facts() {
		if f.Identity && f.Kind != matcher.KindRegion {
			continue
		}
		out = append(out, declineCue{f.Label, f.Key, ""})
		for _, p := range f.Phrases {
			for _, w := range p.Say[0] {
				if utf8.RuneCountInString(w) >= 2 && !contains(negators, w) && !contains(rightNegators, w) {
					out = append(out, declineCue{w, f.Key, ""})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y declineCue) int { return len(y.word) - len(x.word) })
	return out
}

// insideWords put a figure inside the one said before them: 650亩里有150亩.
var insideWords = []string{"里面有", "当中有", "其中有", "里有", "中有", "其中"}

// partTakenBack returns the fact a retraction takes a part off, what is
// left of it and the part's figure: the part said inside the figure told
// (650亩里有150亩…那150亩先不算), or a lone figure the message before
// said, smaller than the fact told most recently in its unit (8000万那笔先
// 不算, of a sum of 2.3亿).
func (a *analysis) partTakenBack(figs []placed) (string, any, placed, bool) {
	if len(figs) == 0 {
		return "", nil, placed{}, false
	}
	// The fact told whose value a figure of the message repeats, if any.
	whole, wholeAt := "", -1
	for i, f := range figs {
		for _, k := range a.ctx.Recent {
			if v, ok := toFloat(a.ctx.Values[k]); ok && v == f.val.float() {
				whole, wholeAt = k, i
				break
			}
		}
		if whole != "" {
			break
		}
	}
	var key string
	var part placed
	said := a.oneSaidBefore(figs)
	switch {
	case whole != "" && wholeAt+1 < len(figs) && containsAny(a.s[figs[wholeAt].end:figs[wholeAt+1].start], insideWords):
		key, part = whole, figs[wholeAt+1]
	case whole == "" && said >= 0:
		// The part was said in the message before (另外还有8000万的中期票据);
		// other figures are not (那3000万短融其实明年一月才发).
		part = figs[said]
		for _, k := range a.ctx.Recent {
			f, ok := a.r.cat.Lookup(k)
			if ok && a.figureOf(part, f) {
				key = k
				break
			}
		}
	}
	if key == "" {
		return "", nil, placed{}, false
	}
	v, ok := toFloat(a.ctx.Values[key])
	if !ok || part.val.float() >= v || part.val.float() <= 0 {
		return "", nil, placed{}, false
	}
	if f, _ := a.r.cat.Lookup(key); f.Kind == matcher.KindMoney {
		return key, int64(v) - int64(part.val.float()), part, true
	}
	return key, v - part.val.float(), part, true
}

// oneSaidBefore returns the index of the one figure of figs that the
// message before said too, or -1 when none or several are.
func (a *analysis) oneSaidBefore(figs []placed) int {
	at := -1
	for i, f := range figs {
		if strings.Contains(a.ctx.Previous, a.s[f.start:f.end]) {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	return at
}

// excludedWords say that a part said inside a figure is no part of what
// the figure counts: 去年发的, 还没实缴到位, 不在南沙, 其实是兼职的.
var excludedWords = []string{"不", "没", "未", "去年", "前年", "以前", "兼职", "外地", "其实"}

// partExcluded reads a part said inside a figure told and then excluded
// from it (那5000万里面有2000万是去年发的, 1.2亿里面有3000万还没实缴到位,
// 博士里面有2个其实是兼职的, 其中有10万是深圳那家合伙企业的): the fact told
// is what is left. The whole is the figure told, a part of it said in the
// message before, the fact's words, or 其中 alone.
func (a *analysis) partExcluded() {
	if a.ctx.Recent == nil || !a.containsAny(insideWords) || a.containsAny(retractWords) {
		return
	}
	figs := a.scanFigures()
	for i, part := range figs {
		if part.approx() {
			continue
		}
		lead := strings.TrimSuffix(strings.TrimSuffix(a.s[a.clauseAt(part.start).start:part.start], "那"), "这") // 其中那2000万
		at := -1
		for _, w := range insideWords {
			if strings.HasSuffix(lead, w) || strings.HasSuffix(lead, w+"个") {
				at = strings.LastIndex(lead, w)
				break
			}
		}
		if at < 0 {
			continue
		}
		rest := a.s[part.end:a.sentenceEnd(part.end)]
		if !containsAny(rest, excludedWords) {
			continue
		}
		before := strings.TrimLeft(lead[:at], " 那这但不对,")
		clauseStart := a.clauseAt(part.start).start
		key, fallback := "", ""
		for _, k := range a.ctx.Recent {
			f, ok := a.r.cat.Lookup(k)
			if !ok || !a.figureOf(part, f) {
				continue
			}
			v, told := toFloat(a.ctx.Values[k])
			if !told || v <= part.val.float() {
				continue
			}
			if i > 0 && figs[i-1].end <= clauseStart+at && figs[i-1].end >= clauseStart {
				// 1.2亿里面有3000万: the whole is the figure told, or a part
				// of it said in the message before.
				w := figs[i-1].val.float()
				if w == v || w > part.val.float() && strings.Contains(a.ctx.Previous, a.s[figs[i-1].start:figs[i-1].end]) {
					key = k
				}
				break
			}
			// 博士里面有2个: the fact the words name; 其中有10万: the last
			// told of the part's kind.
			if before != "" && sharesPair(f.Label, before) {
				key = k
				break
			}
			if before == "" && fallback == "" {
				fallback = k
			}
		}
		if key == "" {
			key = fallback
		}
		if key == "" {
			continue
		}
		v, _ := toFloat(a.ctx.Values[key])
		var left any = v - part.val.float()
		if f, _ := a.r.cat.Lookup(key); f.Kind == matcher.KindMoney {
			left = int64(v) - int64(part.val.float())
		}
		a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
			return c.m.Key == key || c.pos >= a.clauseAt(part.start).start && c.pos < part.end && isFigureValue(c.m.Value)
		})
		a.add(part.start, Mention{Key: key, Value: left, Text: a.s[part.start:part.end]})
		// What is left is the speaker's, though the part's own words (还没
		// 到位) would make the part no figure of theirs.
		a.leftAt = part.start
		a.correction = true
		return
	}
}

// isFigureValue reports whether a mention's value is a figure.
func isFigureValue(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// figureOf reports whether a figure is in the kind and unit of fact f:
// money of a money fact, 150亩 of a fact counted in 亩.
func (a *analysis) figureOf(p placed, f *matcher.Fact) bool {
	switch {
	case f.Kind == matcher.KindMoney:
		return p.kind == figMoney
	case f.Kind == matcher.KindNumber && f.Unit != "":
		// The scanner leaves a count's measure word after the figure (40亩).
		return p.kind != figMoney && (strings.HasSuffix(a.s[p.start:p.end], f.Unit) || hasAnyPrefix(a.s[p.end:], measureWords(f.Unit)...))
	}
	return false
}

// recentNamed returns the fact told before that the message names by two
// characters of its label beyond those every label shares, the longest
// such run winning (商标那个 names 吉林省著名商标); "" when none does.
func (a *analysis) recentNamed() string {
	return a.recentNamedIn(deniedWords.ReplaceAllString(a.s, " "))
}

// recentDenied returns the fact told before that the message names only to
// deny it (不是国家级,是省级的项目), or "".
func (a *analysis) recentDenied() string {
	var denied []string
	for _, m := range deniedWords.FindAllString(a.s, -1) {
		denied = append(denied, m)
	}
	if len(denied) == 0 {
		return ""
	}
	return a.recentNamedIn(strings.Join(denied, " "))
}

func (a *analysis) recentNamedIn(text string) string {
	best, size := "", 1
	for _, k := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(k)
		if !ok || f.Identity {
			continue
		}
		if run := commonRun(f.Label, text); run > size && sharesPair(f.Label, text) {
			best, size = k, run
		}
	}
	return best
}

// deniedWords are what a message denies before saying what is so: 不是国家级
// in 不是国家级,是省级的项目.
var deniedWords = regexp.MustCompile(`(?:不是|并非|而不是)[^,;。:]*`)

// retractAt returns where the message first says one of retractWords, or
// -1.
func (a *analysis) retractAt() int {
	at := -1
	for _, w := range retractWords {
		if i := a.index(0, len(a.s), w); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	return at
}

// kindTakenBack returns the money fact told before whose kind the words
// before a retraction name (票据那笔先别算), and what is left of it once the
// figure the message before gave that kind comes off.
func (a *analysis) kindTakenBack() (string, any, bool) {
	at := a.retractAt()
	if at < 0 || a.ctx.Previous == "" {
		return "", nil, false
	}
	subject := a.s[a.clauseAt(at).start:at]
	prev := &analysis{r: a.r, s: a.r.prepare(a.ctx.Previous), leftAt: -1}
	prev.runes.add(prev.s)
	prev.clauses = prev.splitClauses()
	var figs []placed // the message before's, read once
	for _, k := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(k)
		v, told := toFloat(a.ctx.Values[k])
		if !ok || !told || f.Kind != matcher.KindMoney {
			continue
		}
		for _, kind := range f.Parts {
			// 票据那笔 names 中期票据 by its head noun.
			if !slices.ContainsFunc(kind, func(w string) bool {
				r := []rune(w)
				return strings.Contains(subject, w) || len(r) > 2 && strings.Contains(subject, string(r[len(r)-2:]))
			}) {
				continue
			}
			// The figure of the clause of the message before that said
			// the kind.
			if figs == nil {
				figs = prev.scanFigures()
			}
			for _, g := range figs {
				c := prev.clauseAt(g.start)
				if g.kind == figMoney && g.bound == boundExact && containsAny(prev.s[c.start:c.end], kind) && g.val.float() < v {
					return k, int64(v) - int64(g.val.float()), true
				}
			}
		}
	}
	return "", nil, false
}

// partNamed returns the facts told before that the words before a
// retraction in its clause name by one of the facts' cues or phrase words
// (租的那部分不算了: the space rented, and that it is rented).
func (a *analysis) partNamed() []string {
	at := a.retractAt()
	if at < 0 {
		return nil
	}
	subject := a.s[a.clauseAt(at).start:at]
	var out []string
	for _, k := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(k)
		if !ok || f.Identity || contains(out, k) {
			continue
		}
		named := containsAny(subject, f.Cues)
		for i := 0; i < len(a.r.cues) && !named; i++ {
			c := &a.r.cues[i]
			named = c.key == k && slices.ContainsFunc(c.parts, func(p []string) bool { return containsAny(subject, p) })
		}
		if named {
			out = append(out, k)
		}
	}
	return out
}

// readDeclined reads 不清楚 and the like: about the fact named in its clause
// (利润不清楚), else about the pending question when nothing more is asked.
// A period word picks the fact of a series (以前的数记不清 is the prior
// maximum).
func (a *analysis) readDeclined() {
	// 那80万是股东借款,不算创投投资: 不算 of a figure the message before
	// said takes it back as 先不算 does.
	retract := a.containsAny(retractWords) || a.contains("不算") && a.ctx.Previous != "" && slices.ContainsFunc(a.scanFigures(), func(f placed) bool {
		return strings.Contains(a.ctx.Previous, a.s[f.start:f.end])
	})
	if retract {
		// 11.3亿那个数…先别算: the figure told before, said again to take it
		// back, is no longer known, whichever fact its words would give it
		// now (含税 is no revenue's word).
		var values []float64
		var figs []placed
		for _, f := range a.scanFigures() {
			if f.kind == figMoney || f.kind == figOther && !f.approx() {
				figs = append(figs, f)
			}
		}
		parted := false
		if k, rest, part, ok := a.partTakenBack(figs); ok {
			parted = true
			// 650亩里有150亩是去年种的,那150亩先不算; 8000万那笔先不算, of
			// 1.5亿 and 8000万 told as one sum: the part comes off.
			a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool { return c.m.Key == k })
			a.add(part.start, Mention{Key: k, Value: rest, Text: a.s[part.start:part.end]})
			a.correction = true
			figs = nil
		}
		for _, f := range figs {
			if f.approx() {
				continue
			}
			for _, k := range a.ctx.Recent {
				if v, ok := toFloat(a.ctx.Values[k]); ok && v == f.val.float() && !contains(a.withdrawn, k) {
					a.withdrawn = append(a.withdrawn, k)
					values = append(values, v)
				}
			}
		}
		a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
			v, ok := toFloat(c.m.Value)
			return ok && slices.Contains(values, v)
		})
		if len(figs) == 0 && len(a.withdrawn) == 0 && !parted {
			if k, rest, ok := a.kindTakenBack(); ok {
				// 票据那笔先别算, after 另外还有一笔5000万的中期票据 was added
				// to 1.5亿: the part of that kind comes off.
				a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool { return c.m.Key == k })
				a.add(0, Mention{Key: k, Value: rest, Text: a.s})
				a.correction = true
				parted = true
			}
		}
		if len(figs) == 0 && len(a.withdrawn) == 0 && !parted {
			// 商标那个还在公示,先不算: the fact told before whose name the
			// message says is taken back, whatever else its words read.
			if k := a.recentNamed(); k != "" {
				a.withdrawn = append(a.withdrawn, k)
				a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool { return c.m.Key == k })
			} else {
				// 租的那部分不算了,只算买的: the facts told whose own words
				// name the part taken back.
				for _, k := range a.partNamed() {
					a.withdrawn = append(a.withdrawn, k)
					a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool { return c.m.Key == k })
				}
			}
		}
	}
	for _, c := range a.clauses {
		cl := a.s[c.start:c.end]
		at, n := declines(cl)
		if at < 0 {
			continue
		}
		key, series := "", ""
		for _, dc := range a.r.declineCues {
			if a.index(c.start, c.end, dc.word) >= 0 {
				key, series = dc.key, dc.series
				// 承诺纳税几年这个还不清楚, to the question of the years
				// committed: words that echo the pending fact as much as
				// the cue names another decline the pending one.
				if p, ok := a.r.cat.Lookup(a.ctx.Pending); ok && p.Key != dc.key && commonRun(p.Label, cl) >= utf8.RuneCountInString(dc.word) {
					key, series = p.Key, ""
				}
				break
			}
		}
		per := periodNone
		for _, pc := range periodCues {
			if a.index(c.start, c.end, pc.word) >= 0 {
				per = pc.period
				break
			}
		}
		if pending, ok := a.r.cat.Lookup(a.ctx.Pending); key == "" && ok && pending.Series != nil && per != periodNone {
			series = pending.Series.Name
		}
		if series != "" {
			name := a.routed(series)
			key = a.r.cat.SeriesFact(name, kb.PeriodCurrent)
			if k := a.r.cat.SeriesFact(name, kb.PeriodPriorYear); per == periodLastYear && k != "" {
				key = k
			} else if k := a.r.cat.SeriesFact(name, kb.PeriodPriorMax); k != "" && (per == periodPriorMax || per == periodLastYear || per == periodEarlier) {
				key = k
			}
		}
		if key == "" {
			tail := strings.Trim(cl[at+n:], " 呢啊哦吧耶呀的诶哈了过再说一下出来")
			if contains(declineAlone, cl[at:at+n]) {
				tail = "" // 要看怎么算: it depends, whatever follows
			}
			tail = strings.TrimPrefix(strings.TrimPrefix(tail, "是不是"), "有没有")
			if _, ok := a.r.cat.Lookup(a.ctx.Pending); tail != "" || !ok {
				continue
			}
			key = a.ctx.Pending
		}
		f, _ := a.r.cat.Lookup(key)
		if a.has(key) && a.containsAny(retractWords) {
			continue // 票据那笔先别算: what is left of it was read
		}
		if _, told := a.ctx.Values[key]; told && (a.containsAny(retractWords) || f != nil && (f.Kind == matcher.KindBool || f.Kind == matcher.KindEnum) && !f.Identity) {
			// 营收我也不清楚,那个数先别算: the fact told is taken back; so is
			// a yes or a level told (省节能产品认定那个我记不准). A rough
			// figure stays what it was said to be.
			if !contains(a.withdrawn, key) {
				a.withdrawn = append(a.withdrawn, key)
			}
			continue
		}
		if !contains(a.declined, key) {
			a.declined = append(a.declined, key)
		}
	}
}
