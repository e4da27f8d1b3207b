package dialogue

import (
	"math"
	"strings"

	"policybot/matcher"
)

// count is a count of a per fact's unit said beside its cue (占地100亩).
type count struct {
	fact int // index of the per fact in the catalogue
	fig  figure
	sp   span
}

// readCount keeps the figure f when it counts the unit of a per fact whose
// cue opens it in its clause (占地100亩, 用地面积50亩), for readPer.
func (a *analysis) readCount(f figure) bool {
	rest := a.s[f.end:]
	c := a.clauseAt(f.start)
	for _, i := range a.r.perFacts {
		per := a.r.cat.Facts()[i].Per
		n := prefixLen(rest, unitWords(per.Unit)...)
		if n == 0 {
			continue
		}
		// 用地60亩左右: a bound word after the unit.
		for _, b := range boundSuffixes {
			if r := rest[n:]; strings.HasPrefix(r, b.word) && boundSuffixOK(r, len(b.word)) {
				if f.bound == boundExact {
					f.bound = b.bound
				}
				n += len(b.word)
				break
			}
		}
		for _, w := range per.Cues {
			if at := a.lastIndex(c.start, f.start, w); at >= 0 {
				a.counts = append(a.counts, count{fact: i, fig: f, sp: span{at, f.end + n}})
				return true
			}
		}
		// 国土那边确认了,是62亩, after 投资6000万,用地60亩左右: the count of
		// a figure computed before, said again without its cue.
		if _, told := a.ctx.Values[a.r.cat.Facts()[i].Key]; told && a.ctx.Values[per.Of] != nil && (a.correction || a.containsAny(confirmWords)) && !a.otherCountCue(c, per.Unit) {
			a.counts = append(a.counts, count{fact: i, fig: f, sp: span{f.start, f.end + n}})
			return true
		}
	}
	return false
}

// readPer gives a per fact the message does not state from its total and a
// count said with it: 固定资产投资1.5个亿,占地100亩 is 150万元 per 亩. What
// the words allow of either makes a range; a quotient that is no whole yuan
// lies between the two yuan around it.
func (a *analysis) readPer() {
	for _, n := range a.counts {
		f := &a.r.cat.Facts()[n.fact]
		if a.has(f.Key) {
			continue
		}
		var total *Mention
		for i := range a.cands {
			if c := &a.cands[i]; c.m.Key == f.Per.Of {
				total = &c.m
			}
		}
		if total == nil {
			// 说错了,占地是50亩整, after 固定资产投资五千万,占地52亩: the
			// total told before, with the count said now.
			if told, ok := toFloat(a.ctx.Values[f.Per.Of]); ok && told > 0 && !contains(a.ctx.Approx, f.Per.Of) {
				total = &Mention{Key: f.Per.Of, Value: int64(told), Text: matcher.FormatYuan(int64(told))}
			}
		}
		if total == nil {
			continue
		}
		t, ok := total.Value.(int64)
		x := n.fig.val.float()
		if !ok || x <= 0 {
			continue
		}
		tLo, tHi := float64(t), float64(t)
		if total.Range != nil {
			tLo, tHi = total.Range.Lo, total.Range.Hi
		}
		xLo, xHi := x, x
		if n.fig.approx() {
			r := n.fig.limits(false)
			xLo, xHi = r.Lo, r.Hi
		}
		if xLo <= 0 {
			continue // 不到10亩 bounds no quotient
		}
		v := float64(t) / x
		m := Mention{Key: f.Key, Value: int64(math.Round(v)), Text: total.Text + "," + a.text(n.sp), End: n.sp.end}
		if lo, hi := math.Floor(tLo/xHi), math.Ceil(tHi/xLo); lo != hi {
			m.Approx, m.Range = true, &Range{Lo: lo, Hi: hi}
		}
		m.Note = f.Label + "按“" + m.Text + "”计算"
		a.add(n.sp.start, m)
	}
}

// confirmWords say a figure is the one checked (国土那边确认了,是62亩).
var confirmWords = []string{"确认", "核实", "核了", "核对", "准确", "其实", "实际是", "实际上是", "查了"}

// otherCountCue reports whether clause c holds a cue of a number fact of
// unit other than a per fact's count (中药材种植基地600亩): the count is
// that fact's.
func (a *analysis) otherCountCue(c clause, unit string) bool {
	for _, i := range a.r.numberFacts {
		f := &a.r.cat.Facts()[i]
		if f.Unit != unit {
			continue
		}
		for _, w := range f.Cues {
			if a.windowHas(c.start, c.end, []string{w}) {
				return true
			}
		}
	}
	return false
}
