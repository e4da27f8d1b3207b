package dialogue

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/matcher"
)

// moneyCue is a word that says what a money figure beside it measures: a
// fact's cue or verb from the catalogue, or a word of the chat's for a
// figure that is no fact (贷款, 注册资本) or a sum asked about (奖励, 能拿).
type moneyCue struct {
	word   string
	key    string // the fact; "" for a figure of no fact
	series string // the series of key, whose period words choose its fact
	weak   bool   // a verb (做到, 发行): a noun on either side wins
	sign   int    // for a yes/no fact: +1 a figure above zero states yes, -1 states no
	doc    string // the document that declares the fact, "" when shared
}

// period is the year a figure of a series belongs to.
type period uint8

const (
	periodNone     period = iota
	periodCurrent         // 今年, 当年: the year being assessed
	periodPriorMax        // 以前最高, 历史最高: the highest earlier year
	periodLastYear        // 去年: one earlier year, assumed the highest
	periodEarlier         // 前年: an earlier year that is not the last one
	periodCalendar        // 2024年: decided against the other years named
)

type periodCue struct {
	word   string
	period period
}

// fundsWords open a clause that gives the money of a thing named before
// (…科技计划项目,经费380万).
var fundsWords = []string{"经费", "项目经费", "资金", "金额", "拨款", "到账", "拨了", "给了"}

// stepWords name a figure as a step or threshold (50亿那个台阶); passedWords
// after it say it was passed, notPassedWords that it was not.
var (
	stepWords   = []string{"台阶", "门槛", "关口", "大关", "这一关", "这个关", "那档", "这档", "那一档", "一档", "那次", "那一次"}
	passedWords = []string{"上过", "过了", "突破过", "突破了", "迈过", "跨过", "达到过", "上了", "已经过", "早就过", "破过", "破了", "超过了"}
	// rewardedWords say a step's award was had: it was passed in a year
	// before (50亿那档以前已经奖过了).
	rewardedWords  = []string{"奖过", "拿过", "领过", "奖励过", "兑现过", "享受过", "已经奖了", "已经拿了", "已经领了"}
	notPassedWords = []string{"没上过", "没上", "没过", "未上", "还没上", "还没过", "没有上", "没达到", "未达到", "没突破", "未突破", "没破"}
)

// listedFigure is the next item of a list of figures: 、100亿.
var listedFigure = regexp.MustCompile(`^(?:、|和|及|与)(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?:个)?(?:亿元|万元|亿|万|元)`)

// stepNamed reads a step named right after a figure ending at end, to the
// clause's end: 50亿那个台阶前几年就上过了 says the highest earlier year was
// at least 50亿; 100亿的门槛还没过 that this year is below it. It returns
// the bound, the period said (periodNone for none) and its span.
func (a *analysis) stepNamed(end, clauseEnd int) (boundKind, span, period, bool) {
	at := a.attached(end)
	if at >= clauseEnd {
		return boundExact, noSpan, periodNone, false
	}
	rest := a.s[at:clauseEnd]
	// 50亿、100亿台阶的奖早就拿过了: the steps listed share what is said
	// of the last.
	for {
		m := listedFigure.FindStringIndex(rest)
		if m == nil {
			break
		}
		rest = rest[m[1]:]
	}
	for _, d := range []string{"那两个", "这两个", "那几个", "这几个", "那个", "这个", "那道", "这道", "两个"} {
		rest = strings.TrimPrefix(rest, d)
	}
	if !hasAnyPrefix(rest, stepWords...) {
		return boundExact, noSpan, periodNone, false
	}
	from := clauseEnd - len(rest)
	var b boundKind
	rewarded := a.windowHas(from, clauseEnd, rewardedWords)
	switch {
	case a.windowHas(from, clauseEnd, notPassedWords):
		b = boundBelow
	case rewarded || a.windowHas(from, clauseEnd, passedWords):
		b = boundAtLeast
	default:
		return boundExact, noSpan, periodNone, false
	}
	sp, per := noSpan, periodNone
	for _, c := range periodCues {
		if i := a.index(from, clauseEnd, c.word); i >= 0 && (sp.start < 0 || len(c.word) > sp.end-sp.start) {
			sp, per = span{i, i + len(c.word)}, c.period
		}
	}
	if per == periodNone && rewarded && b == boundAtLeast {
		per = periodPriorMax
	}
	return b, sp, per, true
}

// periodCues are the grammar of time the figures of a series are read by.
var periodCues = []periodCue{
	{"今年", periodCurrent}, {"当年", periodCurrent}, {"本年度", periodCurrent}, {"本年", periodCurrent},
	{"今年度", periodCurrent}, {"这一年", periodCurrent}, {"目前", periodCurrent}, {"现在", periodCurrent},
	{"以前最高", periodPriorMax}, {"历史最高", periodPriorMax}, {"之前最高", periodPriorMax},
	{"之前最多", periodPriorMax}, {"过去最高", periodPriorMax}, {"以往最高", periodPriorMax},
	{"往年最高", periodPriorMax}, {"历年最高", periodPriorMax}, {"以前年度", periodPriorMax},
	{"最高", periodPriorMax}, {"峰值", periodPriorMax}, {"历史上", periodPriorMax}, {"以前", periodPriorMax},
	{"之前", periodPriorMax}, {"过去", periodPriorMax}, {"以往", periodPriorMax}, {"往年", periodPriorMax},
	{"历史", periodPriorMax}, {"从来", periodPriorMax}, {"从没", periodPriorMax}, {"一直", periodPriorMax},
	{"最好的一年", periodPriorMax}, {"最高的一年", periodPriorMax}, {"最好的年份", periodPriorMax}, {"最高的年份", periodPriorMax},
	{"最好那年", periodPriorMax}, {"最好的那年", periodPriorMax}, {"最高那年", periodPriorMax}, {"最多那年", periodPriorMax}, {"最好的时候", periodPriorMax}, {"最高的时候", periodPriorMax},
	{"最多的时候", periodPriorMax}, {"巅峰", periodPriorMax}, {"高峰", periodPriorMax}, {"最高到过", periodPriorMax},
	{"最高做到过", periodPriorMax}, {"前几年", periodPriorMax},
	{"去年", periodLastYear}, {"上年", periodLastYear}, {"上一年", periodLastYear}, {"上年度", periodLastYear},
	{"前年", periodEarlier}, {"大前年", periodEarlier}, {"两年前", periodEarlier},
}

// nounRunes bound the words before a word of no fact in the noun a figure
// is of (5000万的银行贷款).
const nounRunes = 4

// attached returns where a cue after a figure ending at end must start:
// words after a figure describe it only when attached to it (3亿元企业债,
// 12亿的营收); further on they start the next thought (1.8亿还盈利了).
func (a *analysis) attached(end int) int {
	rest := strings.TrimLeft(a.s[end:], " ")
	rest = strings.TrimPrefix(rest, "的")
	return len(a.s) - len(rest)
}

// placed is a figure found in the text.
type placed struct {
	figure
	year int // the year of a calendar figure
}

// seriesFigure is a figure of a series waiting for the years named around
// it to decide which period's fact it is.
type seriesFigure struct {
	pos, end int
	series   string
	period   period
	year     int
	value    any // int64 yuan for money, float64 for a count
	rng      *Range
	cue      string // the period words, quoted in notes
	text     string
	guess    bool // no cue at all: taken as the current figure
	noteText string
}

// span is a stretch of a.s; start < 0 when nothing was found.
type span struct{ start, end int }

var noSpan = span{-1, -1}

// join returns the smallest span covering x and y, either of which may be
// missing.
func join(x, y span) span {
	switch {
	case x.start < 0:
		return y
	case y.start < 0:
		return x
	}
	return span{min(x.start, y.start), max(x.end, y.end)}
}

// moneyMention returns the mention of a money figure read as key, with its
// range when the words bound it.
func moneyMention(f figure, key, text string) Mention {
	m := Mention{Key: key, Text: text, End: f.end}
	m.Value = int64(f.val.floor())
	if f.approx() {
		r := f.limits(true)
		m.Approx, m.Range = true, &r
	}
	return m
}

// readFigures finds every number and decides which fact it is.
func (a *analysis) readFigures() {
	figs := a.scanFigures()
	var series []seriesFigure
	var prev *moneyCue
	prevAt := 0 // where the sentence of prev's figure starts
	cueEnd := 0 // where the cue of the last figure read ends
	for i, f := range figs {
		if f.bound == boundExact && f.kind != figCalendar && a.unsureOf(f.start) && !a.saidExact(f.start) {
			// 记不清了,好像是两年还是三年: a figure the speaker is unsure of
			// is no exact one.
			f.bound = boundAbout
			figs[i] = f
		}
		if f.kind == figOther && !a.negatedFigure(f.figure) {
			if sf, ok := a.readMeasure(f.figure, figs[:i]); ok {
				series = append(series, sf)
			}
		}
		if f.kind == figCalendar {
			// 2025年 to 请问所报数据是哪一年度的: a year asked for.
			if key := a.bareKey(kindIs(matcher.KindYear)); key != "" {
				a.add(f.start, Mention{Key: key, Value: int64(f.year), Text: a.text(span{f.start, f.end}), End: f.end})
			}
		}
		if f.kind == figCalendar || f.kind == figOther || a.negatedFigure(f.figure) {
			continue
		}
		c := a.clauseAt(f.start)
		left, right := c.start, c.end
		// The neighbouring figures bound the words that describe this one;
		// years named (2024年) and numbers that are no amount (最高的一年)
		// do not. A sentence may name its topic a clause before the figure
		// (拿到一个国家级科技计划项目,国家给了八百万经费): back to the last
		// figure or the sentence's start, a fact's cue still counts.
		// 6000万元的中票;融资三千块: the cue of the figure before is that
		// figure's, no topic of this one.
		topic := max(a.sentenceStart(f.start), cueEnd)
		for j := i - 1; j >= 0; j-- {
			if figs[j].kind != figCalendar && figs[j].kind != figOther {
				left = max(left, figs[j].end)
				topic = max(topic, figs[j].end)
				break
			}
		}
		for j := i + 1; j < len(figs); j++ {
			if figs[j].kind != figCalendar && figs[j].kind != figOther {
				right = min(right, figs[j].start)
				break
			}
		}

		fs := span{f.start, f.end}
		switch f.kind {
		case figMoney:
			if f.val.floor() > maxYuan || f.bound == boundSpan && f.upto.floor() > maxYuan {
				continue
			}
			pspanNext, perNext, yearNext := noSpan, periodNone, 0
			// 50亿那个台阶前几年就上过了: a step named, and whether and when
			// it was passed, said after it.
			if b, sp, p, ok := a.stepNamed(f.end, c.end); ok {
				f.bound, pspanNext, perNext = b, sp, p
				right = min(right, f.end) // the words after it speak of the step, not of a cue
			}
			cue, cspan := a.moneyCueOf(left, f.start, f.end, right, false)
			if cue != nil && cue.weak && topic < left {
				// 投资了一家公司,投了2000万: a noun of the sentence says more
				// than a verb of the clause.
				if tc, tspan := a.moneyCueOf(topic, f.start, f.end, right, false); tc != nil && !tc.weak {
					cue, cspan = tc, tspan
				}
			}
			// 省科技厅立了我们两个项目,一个资助200万: the sentence says it was
			// granted, before the clause of the figure.
			if cue != nil && cue.key == "" && a.r.awards[cue.word] && !c.question && containsAny(a.s[min(c.start, topic):f.start], receivedWords) {
				// 获得国家重点研发计划项目资助800万元: a sum received, not
				// one hoped for, is the figure of the fact that names it.
				if fc, fspan := a.moneyCueOf(topic, f.start, f.end, right, true); fc != nil {
					cue, cspan = fc, fspan
				}
			}
			if upto := max(left, cspan.start); cue != nil && !cue.weak && topic < upto {
				// 把军工技术成果转成民品,去年相关产品年销售收入两千万: the
				// sentence's topic names whose sales these are; so does the
				// clause's, before the cue (给企业做科技服务实际收入600万).
				if tc := a.topicCue(cue, topic, upto); tc != nil {
					cue = tc
				}
			}
			if cue == nil {
				// 5亿元,这是今年的主营业务收入: the next clause names it.
				if next, ok := a.nextClause(c); ok && hasAnyPrefix(strings.TrimLeft(a.s[next.start:next.end], " "), "这是", "这个是", "指的是", "是") {
					cue, cspan = a.firstCue(next)
					if cue != nil && cue.series != "" {
						if sp, p, y := a.periodOf(figs, next.start, next.end, next.end, next.end); p != periodNone {
							pspanNext, perNext, yearNext = sp, p, y
						}
					}
				}
			}
			if cue == nil {
				cue, cspan = a.moneyCueOf(topic, f.start, f.end, right, true)
				if tc, tspan := a.correctedTopic(f.start); tc != nil && (cue == nil || cspan.start < c.start) {
					// 纳税那个数是连个税一起算的,单算企业的是1950万: the
					// sentence names the figure it corrects.
					cue, cspan = tc, tspan
				}
			}
			if cue == nil && prev != nil && prevAt == a.sentenceStart(f.start) {
				// 营收今年20亿,以前最高19亿: the second figure is of the same
				// thing, in one sentence (净利润三千万。以前最高那年是5.2亿 is not);
				// 国家级项目资助600万、省级200万 is of the fact the qualifier
				// names with the rest of the cue before.
				cue = prev
				if sc, sp := a.siblingCue(prev, left, f.start); sc != nil {
					cue, cspan = sc, sp
				}
			}
			pspan, per, year := a.periodOf(figs, left, f.start, f.end, right)
			if perNext != periodNone && per == periodNone {
				pspan, per, year = pspanNext, perNext, yearNext
			}
			if per == periodNone && a.saysEver(left, f.end) && a.pastOfSentence(series, f.start, float64(f.val.floor())) {
				per = periodPriorMax // 以前最高是138亿,没上过150亿
			}
			if per == periodNone {
				pspan, per, year = a.periodBefore(figs, c, f, pspan, per, year)
			}
			if (cue == nil || cue.key == "") && topic < left && hasAnyPrefix(strings.TrimLeft(a.s[left:f.start], " ,"), fundsWords...) {
				// 拿了一个省级科技计划项目,经费380万: the funds of what the
				// sentence named before.
				if tc, tspan := a.moneyCueOf(topic, left, left, left, false); tc != nil && !tc.weak && tc.key != "" {
					cue, cspan = tc, tspan
				}
			}
			if cue == nil && per == periodNone && a.containsAny(refineWords) {
				// 准确数是103.6亿, after 大概102亿 and while another question
				// is pending: the exact figure of the one told roughly.
				if cue = a.roughCue(f.val.float()); cue != nil && cue.series != "" {
					g, _ := a.r.cat.Lookup(cue.key)
					per = seriesPeriod(g) // of the rough figure's year, not the pending one's
				}
			}
			if cue == nil && !a.correction && !a.supposesTold(f) {
				cue = a.pendingCue()
			} else if pc := a.pendingCue(); cue != nil && !a.correction && pc != nil && cue.key != pc.key && (cue.series == "" || cue.series != pc.series) && (per == periodNone || cue.series == "") &&
				cspan.end <= f.start && utf8.RuneCountInString(withoutGloss(a.s[cspan.end:f.start])) > 4 {
				// 个税app上查的是31.6万, to the question of the salary: a
				// cue far from the figure names where it was read, not what.
				cue, cspan = pc, noSpan
			}
			if a.pricedPerUnit(left, f.figure) && (cue == nil || !strings.ContainsAny(cue.word, "每均")) {
				// 每平米每月租金80块: a price per unit is no total, but the
				// fact of that price, where there is one.
				if key := a.priceFact(left, f.figure); key != "" && f.val.float() == float64(f.val.floor()) && f.bound == boundExact {
					a.add(f.start, Mention{Key: key, Value: int64(f.val.floor()), Text: a.text(fs), End: f.end})
				}
				continue
			}
			if cue != nil && !(cue.key == "" && prev != nil && prev.key != "") {
				// 前年主营收入10.3亿,那年领过10万的奖,去年9.8亿: an award's
				// figure between leaves the series the next figure is of.
				prev, prevAt = cue, a.sentenceStart(f.start)
				if cspan != noSpan {
					cueEnd = max(cueEnd, cspan.end)
				}
			}
			if c.question && f.approx() && !a.firstPerson && a.ctx.Pending == "" {
				continue // 首次突破5亿是指哪一年: a threshold asked about
			}
			text := a.text(join(join(cspan, pspan), fs))
			m := moneyMention(f.figure, "", text)

			corrected := ""
			if cue == nil {
				corrected = a.correctedMoney(m.Value.(int64), figs[:i])
			}
			if cf, ok := a.r.cat.Lookup(corrected); ok && cf.Series == nil {
				// 不对,我看的是去年的,今年是两千五百万: the year names which
				// figure of the fact corrected, not another series.
				m.Key = corrected
				a.add(f.start, m)
				continue
			}
			if (cue == nil || cue.weak) && a.updates(c, f.start) {
				// 又多卖了些,现在是2300万了: no cue but a verb, and the figure
				// brings one said before up to date, the one it is nearest.
				if key := a.nearestRecentMoney(m.Value.(int64)); key != "" {
					m.Key = key
					a.add(f.start, m)
					continue
				}
			}
			switch {
			case cue == nil && per != periodNone && a.r.firstSeries != "" && a.speakersSeries(a.r.firstSeries):
				// 去年是9.5亿: a year named, no cue: the first series'.
				series = append(series, seriesFigure{pos: f.start, end: f.end, series: a.routed(a.r.firstSeries), period: per, year: year,
					value: m.Value, rng: m.Range, cue: a.text(pspan), text: text})
				continue
			case cue == nil:
				if key := a.correctedMoney(m.Value.(int64), figs[:i]); key != "" {
					m.Key = key
					a.add(f.start, m)
					continue
				}
				if a.supposition(f.start) {
					// 要是过了10个亿能拿多少, after the revenue was told: the
					// figure supposed is of the fact it is nearest.
					if key := a.nearestRecentMoney(m.Value.(int64)); key != "" {
						m.Key = key
						a.add(f.start, m)
						continue
					}
				}
				if key := a.bareKey(kindIs(matcher.KindMoney)); key != "" {
					m.Key = key
					a.add(f.start, m)
					continue
				}
				if c.question && per == periodNone || !a.sizeFigure(f.figure) {
					// 3亿以上和1亿以上有什么区别 asks about thresholds; 应收账款
					// 4000万 is no fact. Only a figure alone or one that sizes
					// the speaker (我们是12亿的企业) is taken as its revenue.
					continue
				}
				if name := a.r.firstSeries; name != "" {
					series = append(series, seriesFigure{pos: f.start, end: f.end, series: a.routed(name), period: per, year: year,
						value: m.Value, rng: m.Range, cue: a.text(pspan), text: text, guess: per == periodNone})
				}
				continue
			case cue.key == "":
				continue // a figure of no fact, or a sum asked about
			case cue.sign != 0:
				if cue.sign < 0 && f.val.m == 0 {
					continue // 亏损0元 states nothing
				}
				a.add(f.start, Mention{Key: cue.key, Value: cue.sign > 0 && f.val.m > 0, Text: text, End: f.end})
				continue
			case cue.series != "":
				if per == periodNone {
					per = a.pendingPeriod()
				}
				if per == periodNone {
					per = periodCurrent
				}
				series = append(series, seriesFigure{pos: f.start, end: f.end, series: a.routed(cue.series), period: per, year: year,
					value: m.Value, rng: m.Range, cue: a.text(pspan), text: text})
				continue
			}
			m.Key = cue.key
			a.add(f.start, m)
			for _, key := range a.sameQuantity(cue, cspan) {
				// 年度应纳税工资薪金30万: one quantity two documents read under
				// their own facts.
				o := m
				o.Key = key
				a.add(f.start, o)
			}
		case figTonnes, figYears:
			// 节能量超过600吨标准煤, 承诺纳税10年: the number fact of the unit
			// whose cue stands by it, else the one asked about; 吨标准煤 is
			// the unit of one fact whatever the words.
			unit := "年"
			if f.kind == figTonnes {
				unit = "吨标煤"
			}
			m := quantityMention(f.figure, a.text(fs))
			if key, _ := a.cueFact(left, f.start, f.end, right, unitIs(unit)); key != "" {
				m.Key = key
			} else if key, _ := a.cueFact(topic, f.start, f.end, right, unitIs(unit)); key != "" {
				m.Key = key
			} else if key := a.bareKey(unitIs(unit)); key != "" {
				m.Key = key
			} else if f.coal {
				m.Key = a.onlyFactOf(unitIs(unit))
			} else if key := a.roughOfUnit(unitIs(unit)); key != "" {
				m.Key = key // 到上个月已经满4年了, after 将近4年
			}
			if m.Key != "" {
				a.add(f.start, m)
			}
		case figPlain:
			if key, ok := a.exactOfRough(f.figure); ok {
				// 查了下准确是53600, asked the exact figure of 大概5万多: yuan.
				v := int64(f.val.floor())
				a.add(f.start, Mention{Key: key, Value: v, Text: a.text(fs), End: f.end})
				continue
			}
			if key := a.bareKey(kindIs(matcher.KindNumber)); key != "" {
				a.add(f.start, Mention{Key: key, Value: f.val.float(), Text: a.text(fs), End: f.end})
			}
		}
	}
	a.placeSeries(series)
	a.countsUnsaid()
	// 发了一笔公司债,能奖多少: financing done, amount unsaid — worth asking.
	for _, k := range a.issuedUnsaid() {
		a.unclear = appendUnique(a.unclear, k)
	}
	for _, k := range a.spokenUnsaid(figs) {
		a.unclear = appendUnique(a.unclear, k)
	}
}

// previousUnit returns the power of ten of the unit of the last money
// figure of text (8 for 亿, 4 for 万), or 0.
func previousUnit(text string) int {
	yi, wan := strings.LastIndex(text, "亿"), strings.LastIndex(text, "万")
	switch {
	case yi < 0 && wan < 0:
		return 0
	case yi > wan:
		return 8
	}
	return 4
}

// sizeFigure reports whether a money figure with no cue may be taken as the
// speaker's revenue: it is all the message says (12亿, 大概5个亿吧), or it
// sizes the speaker (我们是12亿的企业, 一家3个亿的公司).
func (a *analysis) sizeFigure(f figure) bool {
	rest := strings.TrimLeft(a.s[f.end:], " ")
	if strings.Trim(a.s[:f.start], fillers+"大概约估计差不多应该") == "" && strings.Trim(rest, fillers+"左右吧元") == "" {
		return true
	}
	rest = strings.TrimPrefix(rest, "的")
	return hasAnyPrefix(rest, "企业", "公司", "工厂", "厂", "集团", "规模")
}

// firstCue returns the first cue of a fact in clause c, the longest where
// several start at one place.
func (a *analysis) firstCue(c clause) (*moneyCue, span) {
	var best *moneyCue
	at := -1
	for _, k := range a.moneyHere {
		m := &a.r.moneyCues[k]
		if m.key == "" || m.weak || m.sign != 0 || !a.may(m.word) {
			continue
		}
		if i := a.index(c.start, c.end, m.word); i >= 0 && (at < 0 || i < at || i == at && len(m.word) > len(best.word)) {
			best, at = m, i
		}
	}
	if best == nil {
		return nil, noSpan
	}
	return best, span{at, at + len(best.word)}
}

// sentenceEnd returns where the sentence holding pos ends.
func (a *analysis) sentenceEnd(pos int) int {
	end := len(a.s)
	for _, stop := range []string{"。", "!", "?", "\n"} {
		if i := strings.Index(a.s[pos:], stop); i >= 0 {
			end = min(end, pos+i)
		}
	}
	return end
}

// periodBefore gives a figure that stands alone in its clause the period of
// the clause before it in the sentence, when that clause names a period and
// holds no figure (前年是以前最高的一年,8亿9). Otherwise it returns the span,
// period and year it was given.
func (a *analysis) periodBefore(figs []placed, c clause, f placed, sp span, per period, year int) (span, period, int) {
	if strings.Trim(a.s[c.start:f.start], " 是为有约") != "" {
		return sp, per, year
	}
	var before clause
	for _, x := range a.clauses {
		if x.end <= c.start {
			before = x
		}
	}
	if before.end == 0 || before.start < a.sentenceStart(f.start) {
		return sp, per, year
	}
	for _, g := range figs {
		// 去年申请发明专利500件;1千2百万的债: a count is a figure of its
		// clause, which keeps its period to itself.
		counted := g.kind == figOther && hasAnyPrefix(a.s[g.end:], "件", "个", "家", "人", "名", "位", "亩", "平", "项", "笔", "台")
		if (g.kind != figCalendar && g.kind != figOther || counted) && g.start >= before.start && g.end <= before.end {
			return sp, per, year
		}
	}
	if bsp, bper, by := a.periodOf(figs, before.start, before.end, before.end, before.end); bper != periodNone {
		return bsp, bper, by
	}
	return sp, per, year
}

// nextClause returns the clause after c.
func (a *analysis) nextClause(c clause) (clause, bool) {
	for i, x := range a.clauses {
		if x.start == c.start && i+1 < len(a.clauses) {
			return a.clauses[i+1], true
		}
	}
	return clause{}, false
}

// onlyFactOf returns the one fact that fits, or "" when none or several do.
func (a *analysis) onlyFactOf(fits func(*matcher.Fact) bool) string {
	key := ""
	for _, i := range a.r.numberFacts {
		if f := &a.r.cat.Facts()[i]; fits(f) {
			if key != "" {
				return ""
			}
			key = f.Key
		}
	}
	return key
}

// quantityMention returns the mention of a quantity (tonnes, years).
func quantityMention(f figure, text string) Mention {
	m := Mention{Text: text, Value: f.val.float(), End: f.end}
	if f.approx() {
		r := f.limits(false)
		m.Approx, m.Range = true, &r
	}
	return m
}

// issuedUnsaid returns the money facts whose deed is told without its sum
// (发了一笔公司债, 今年发了企业债): a verb of the fact before one of its
// cues in a clause, and no figure read for it.
func (a *analysis) issuedUnsaid() []string {
	var out []string
	for _, i := range a.moneyHere {
		v := a.r.moneyCues[i]
		if !v.weak || v.key == "" || a.has(v.key) {
			continue
		}
		for _, j := range a.moneyHere {
			c := a.r.moneyCues[j]
			if c.key != v.key || c.weak || !a.may(c.word) {
				continue
			}
			for _, cl := range a.clauses {
				if i := a.index(cl.start, cl.end, v.word); i >= 0 && a.index(i, cl.end, c.word) >= 0 {
					out = appendUnique(out, v.key)
				}
			}
		}
	}
	return out
}

// spokenUnsaid returns the money facts of the speaker's own that a
// statement names without a figure (今年营收涨的猛): worth asking. A figure
// in the clause, a question or a denial says something else.
func (a *analysis) spokenUnsaid(figs []placed) []string {
	if !a.firstPerson && len(a.ctx.Recent) == 0 {
		return nil
	}
	var out []string
	for _, i := range a.moneyHere {
		c := a.r.moneyCues[i]
		if c.key == "" || c.weak || c.sign != 0 || a.has(c.key) || !a.inScope(c.key) {
			continue
		}
		if f, ok := a.r.cat.Lookup(c.key); !ok || f.Series != nil && f.Series.Period != kb.PeriodCurrent {
			continue
		}
		at := a.index(0, len(a.s), c.word)
		if at < 0 {
			continue
		}
		cl := a.clauseAt(at)
		if cl.question || a.negatedAt(at, at+len(c.word)) || slices.ContainsFunc(figs, func(f placed) bool { return f.start >= cl.start && f.start < cl.end }) {
			continue
		}
		out = appendUnique(out, c.key)
	}
	return out
}

// sentenceStart returns where the sentence holding pos starts: after the
// last 。, ! or ? before it.
func (a *analysis) sentenceStart(pos int) int {
	start := 0
	for _, stop := range []string{"。", "!", "?", "\n"} {
		if i := strings.LastIndex(a.s[:pos], stop); i >= 0 {
			start = max(start, i+len(stop))
		}
	}
	return start
}

// moneyCueOf finds the cue of the money figure at [start, end), looking left
// to 'left' and right to 'right': a noun nearest on the left, then a noun
// attached on the right, then a verb the same way. onlyFacts keeps to the
// nouns of facts (for the topic of the sentence). Of cues of several facts
// in one place, the one asked about, then one whose label the sentence
// echoes, then one a document in scope reads, then a shared one stands; and
// a cue right before the nearest one may name the thing better (票据融资 is
// the notes', 集群主营业务收入 the cluster's).
func (a *analysis) moneyCueOf(left, start, end, right int, onlyFacts bool) (*moneyCue, span) {
	var best *moneyCue
	at, isLeft, score := -1, false, 0
	reach := a.attached(end)
	consider := func(c *moneyCue, i int, l bool) {
		sc := a.cueScore(c, span{i, i + len(c.word)})
		better := best == nil
		switch {
		case better:
		case c.weak != best.weak:
			better = !c.weak
		case l != isLeft:
			better = l
		case l && i+len(c.word) != at+len(best.word):
			better = i+len(c.word) > at+len(best.word)
		case !l && i != at:
			better = i < at
		case a.inScope(c.key) != a.inScope(best.key):
			// 于都的企业今年销售额6亿: 年销售额 is another place's fact.
			better = a.inScope(c.key)
		case a.correction && contains(a.ctx.Recent, c.key) != contains(a.ctx.Recent, best.key):
			// 哦不对,销售是大几千万: a correction is of a fact already said.
			better = contains(a.ctx.Recent, c.key)
		case len(c.word) != len(best.word):
			better = len(c.word) > len(best.word)
		default:
			better = sc > score
		}
		if better {
			best, at, isLeft, score = c, i, l, sc
		}
	}
	usable := func(c *moneyCue) bool {
		return a.may(c.word) && !(onlyFacts && (c.key == "" || c.weak || c.sign != 0))
	}
	// 个人经济贡献(个税地方留成部分)是5万元: a gloss in brackets between a
	// cue and its figure explains the cue; a cue in it names no figure
	// unless no cue is outside it.
	gloss := glossBefore(a.s, left, start)
	for pass := 0; pass < 2 && (pass == 0 || best == nil && gloss.start >= 0); pass++ {
		for _, k := range a.moneyHere {
			c := &a.r.moneyCues[k]
			if !usable(c) || left >= start {
				continue
			}
			i := a.lastIndex(left, start, c.word)
			inGloss := i >= 0 && i >= gloss.start && i < gloss.end
			switch {
			case pass == 1 && !inGloss:
				continue // weighed in the first pass
			case pass == 0 && inGloss:
				i = a.lastIndex(left, gloss.start, c.word) // its place before the gloss
			}
			if i >= 0 && !inTimeWord(a.s, i, c.word) && !(c.key == "" && a.inApplicantNoun(i, i+len(c.word))) && !topsUp(a.s, c, i) {
				consider(c, i, true)
			}
		}
	}
	for _, k := range a.moneyHere {
		c := &a.r.moneyCues[k]
		if !usable(c) {
			continue
		}
		if !onlyFacts && reach < right && strings.HasPrefix(a.s[reach:right], c.word) && !a.asksSum(c, reach+len(c.word)) {
			consider(c, reach, false)
		} else if !onlyFacts && c.key == "" && strings.Contains(a.s[end:reach], "的") {
			// 一笔5000万的银行贷款: a word of no fact ends the noun the
			// figure is of.
			if j := a.index(reach, min(right, reach+nounRunes*3+len(c.word)), c.word); j > reach && !a.asksSum(c, j+len(c.word)) {
				consider(c, j, false)
			}
		}
	}
	if best == nil {
		return nil, noSpan
	}
	if isLeft && best.key == "" && slices.Contains(moneyNouns, best.word) {
		// 国拨资金600万: a word that says only "money" takes its kind from
		// the cue of a fact right before it.
		for _, k := range a.moneyHere {
			c := &a.r.moneyCues[k]
			if usable(c) && c.key != "" && !c.weak && c.sign == 0 && at-len(c.word) >= left && strings.HasSuffix(a.s[:at], c.word) {
				return c, span{at - len(c.word), at + len(best.word)}
			}
		}
	}
	if isLeft && !best.weak && best.key != "" {
		// A word of no fact before the cue makes the figure no fact (研发
		// 投入 is R&D spending); a cue of another fact takes it when the
		// message speaks more of that fact. A cue of no fact is never
		// overridden: 固定资产折旧 is depreciation.
		var mod *moneyCue
		modAt, modScore := -1, score
		for _, k := range a.moneyHere {
			c := &a.r.moneyCues[k]
			if !usable(c) || c.weak || c.sign != 0 || c.key == best.key || at-len(c.word) < left || !strings.HasSuffix(a.s[:at], c.word) {
				continue
			}
			if c.key == "" {
				if mod == nil || mod.key != "" || len(c.word) > len(mod.word) {
					mod, modAt, modScore = c, at-len(c.word), math.MaxInt
				}
				continue
			}
			if sc := a.cueScore(c, span{at - len(c.word), at}); sc > modScore || sc == modScore && mod != nil && len(c.word) > len(mod.word) {
				mod, modAt, modScore = c, at-len(c.word), sc
			}
		}
		if mod != nil {
			return mod, span{modAt, at + len(best.word)}
		}
	}
	return best, span{at, at + len(best.word)}
}

// topsUp reports whether the award word c at i is the verb 补 of topping a
// figure up (把实缴补到1个亿, 补足, 补齐): no award.
func topsUp(s string, c *moneyCue, i int) bool {
	return c.key == "" && c.word == "补" && hasAnyPrefix(s[i+len(c.word):], "到", "足", "齐", "缴", "上")
}

// siblingCue returns the cue of another fact that the words [from, to)
// before a figure name by ellipsis, as the qualifier of the cue prev with
// its head left out (国家级科技计划项目…、省级200万: 省级科技计划项目), and
// where those words are; nil when they name none.
func (a *analysis) siblingCue(prev *moneyCue, from, to int) (*moneyCue, span) {
	q := strings.Trim(a.s[from:to], " 、,;和及与还有的")
	start := to - len(q)
	if q == "" || utf8.RuneCountInString(q) > 4 || prev.key == "" {
		return nil, noSpan
	}
	for i := range prev.word {
		if i == 0 {
			continue
		}
		for _, k := range a.r.factCueAt[q+prev.word[i:]] {
			if c := &a.r.moneyCues[k]; c.key != prev.key {
				return c, span{start, to}
			}
		}
	}
	return nil, noSpan
}

// moneyNouns say only that a figure is money, not what money it is.
var moneyNouns = []string{"资金", "经费", "款项", "金额"}

// asksSum reports whether the award word c, ending at end after a figure,
// asks the sum that figure brings (5.2亿能拿多少): the figure is then the
// applicant's, not the award.
func (a *analysis) asksSum(c *moneyCue, end int) bool {
	return c.key == "" && a.r.awards[c.word] && hasAnyPrefix(a.s[end:], "多少", "几", "什么", "啥", "哪些")
}

// cueScore ranks the facts one cue word at sp names.
func (a *analysis) cueScore(c *moneyCue, sp span) int {
	score := 0
	if c.key == "" {
		return 0
	}
	if f, ok := a.r.cat.Lookup(a.ctx.Pending); ok && (f.Key == c.key || f.Series != nil && f.Series.Name == c.series) {
		score += 8
	}
	if contains(a.ctx.Recent, c.key) {
		score += 8 // 说错了,销售收入是2300万: the figure given before
	}
	if f, ok := a.r.cat.Lookup(c.key); ok && a.echoes(f.Label, c.word, sp) {
		score += 4
	}
	if f, ok := a.r.cat.Lookup(c.key); ok && f.Doc != "" && slices.Contains(a.scope, f.Doc) && strings.Contains(f.Label, "上一年度") && a.containsAny(lastYearWords) {
		// 在南沙,去年营收五个亿: the place's document counts that year's
		// 营业收入 under its own fact.
		score += 2
	}
	if a.inScope(c.key) {
		score += 2
	}
	if c.doc == "" {
		score++
	}
	return score
}

// sameQuantity returns the other facts that the cue's word names as well,
// when it names them equally and their labels share four characters in a
// row: the same quantity in the words of several documents (骨干人才年度应纳
// 税工资薪金 and 年度应纳税工资薪金), not two things sold (引进品种的年销售额
// and 发明专利成果转化后的销售收入).
func (a *analysis) sameQuantity(cue *moneyCue, sp span) []string {
	f, ok := a.r.cat.Lookup(cue.key)
	if !ok || sp.start < 0 || cue.series != "" || cue.weak {
		return nil
	}
	score := a.cueScore(cue, sp)
	var out []string
	for _, k := range a.moneyHere {
		c := &a.r.moneyCues[k]
		if c.word != cue.word || c.key == "" || c.key == cue.key || c.series != "" || c.weak || c.sign != 0 {
			continue
		}
		// A label inside the other (年度应纳税工资薪金 of 骨干人才年度应纳税工资
		// 薪金) names the same quantity however the sentence echoes either.
		if g, ok := a.r.cat.Lookup(c.key); ok && commonRun(f.Label, g.Label) >= 4 &&
			(a.cueScore(c, sp) == score || strings.Contains(f.Label, g.Label) || strings.Contains(g.Label, f.Label)) && !slices.Contains(out, c.key) {
			out = append(out, c.key)
		}
	}
	return out
}

// commonRun returns the length in runes of the longest run of characters x
// and y share.
func commonRun(x, y string) int {
	return len([]rune(LongestCommon(x, y)))
}

// LongestCommon returns the longest run of characters x and y share, the
// first in x of those as long.
func LongestCommon(x, y string) string {
	a, b := []rune(x), []rune(y)
	at, best := 0, 0
	for i := range a {
		for j := range b {
			k := 0
			for i+k < len(a) && j+k < len(b) && a[i+k] == b[j+k] {
				k++
			}
			if k > best {
				at, best = i, k
			}
		}
	}
	return string(a[at : at+best])
}

// inScope reports whether a document of the place named reads the fact, or
// no place is known.
func (a *analysis) inScope(key string) bool {
	if a.scope == nil || a.r.readBy == nil {
		return true
	}
	for _, d := range a.r.readBy[key] {
		if contains(a.scope, d) {
			return true
		}
	}
	return false
}

// echoes reports whether the message holds, outside the cue at sp, two
// pairs of characters of label that the cue word lacks: 发明专利成果转化后的
// 销售收入 echoes 专利 and 成果.
// lastYearWords are the chat's words for the year a label calls 上一年度.
var lastYearWords = []string{"去年", "上年", "上一年"}

func (a *analysis) echoes(label, word string, sp span) bool {
	rest := strings.ReplaceAll(label, word, " ")
	outside := a.s[:sp.start] + " " + a.s[sp.end:]
	var prev rune
	var found []string
	for _, r := range rest {
		if prev != 0 && prev != ' ' && r != ' ' {
			pair := string(prev) + string(r)
			if strings.Contains(outside, pair) && !strings.Contains(word, pair) && !contains(commonPairs, pair) {
				found = appendUnique(found, pair)
			}
		}
		prev = r
	}
	return len(found) >= 2
}

// commonPairs are pairs of characters too common in labels to echo one.
var commonPairs = []string{"企业", "当年", "年度", "以前", "项目", "收入", "主营", "业务", "营业", "最高", "本市", "引进"}

// roughCue returns the cue of a money fact told roughly whose rough value v
// is within a fifth of, or nil.
func (a *analysis) roughCue(v float64) *moneyCue {
	for _, k := range a.ctx.Approx {
		f, ok := a.r.cat.Lookup(k)
		told, known := toFloat(a.ctx.Values[k])
		if !ok || !known || f.Kind != matcher.KindMoney || told <= 0 || math.Abs(v-told) > told/5 {
			continue
		}
		c := &moneyCue{key: f.Key}
		if f.Series != nil {
			c.series = f.Series.Name
		}
		return c
	}
	return nil
}

// pendingCue returns the cue of the pending money question, so that a bare
// figure answers it.
func (a *analysis) pendingCue() *moneyCue {
	f, ok := a.r.cat.Lookup(a.ctx.Pending)
	if !ok || f.Kind != matcher.KindMoney {
		return nil
	}
	for _, k := range a.moneyHere {
		c := &a.r.moneyCues[k]
		if c.key == f.Key || f.Series != nil && c.series == f.Series.Name {
			return c
		}
	}
	c := &moneyCue{key: f.Key}
	if f.Series != nil {
		c.series = f.Series.Name
	}
	return c
}

// correctedTopic returns the cue that opens the sentence of the figure at
// pos as its topic (纳税那个数…, 营收这个数字…) when it is the cue of a fact
// said before: the sentence goes back to that figure, a correction whatever
// its words; nil otherwise.
func (a *analysis) correctedTopic(pos int) (*moneyCue, span) {
	from := a.sentenceStart(pos)
	opening := strings.TrimLeft(a.s[from:pos], " ")
	at := pos - len(opening)
	for _, k := range a.moneyHere {
		c := &a.r.moneyCues[k]
		if c.key == "" || !contains(a.ctx.Recent, c.key) || !strings.HasPrefix(opening, c.word) {
			continue
		}
		if hasAnyPrefix(opening[len(c.word):], "那个数", "这个数", "那个数字", "这个数字", "的数", "那块", "那一项", "那项") {
			return c, span{at, at + len(c.word)}
		}
	}
	return nil, noSpan
}

// pendingPeriod returns the period of a pending question of a series.
func (a *analysis) pendingPeriod() period {
	if f, ok := a.r.cat.Lookup(a.ctx.Pending); ok && f.Series != nil {
		return seriesPeriod(f)
	}
	return periodNone
}

// seriesPeriod returns the period of a fact of a series.
func seriesPeriod(f *matcher.Fact) period {
	switch f.Series.Period {
	case kb.PeriodPriorMax:
		return periodPriorMax
	case kb.PeriodPriorYear:
		return periodLastYear
	}
	return periodCurrent
}

// correctedPeriod returns, in a correction, the period of the most recent
// fact of series name: 说错了,是五十九件 after 去年申请了六十五件 corrects last
// year's filings. periodNone otherwise.
func (a *analysis) correctedPeriod(name string) period {
	if !a.correction {
		return periodNone
	}
	return a.recentPeriod(name)
}

// recentPeriod returns the period of the fact of series name said most
// recently, or periodNone.
func (a *analysis) recentPeriod(name string) period {
	for _, k := range a.ctx.Recent {
		if f, ok := a.r.cat.Lookup(k); ok && f.Series != nil && f.Series.Name == name {
			return seriesPeriod(f)
		}
	}
	return periodNone
}

// routed returns the series a figure of series name belongs to for the
// applicant: a park's 营收 is its cluster's.
func (a *analysis) routed(name string) string {
	if r, ok := a.r.routes[name+"\x00"+a.applicant]; ok {
		return r
	}
	return name
}

// cueFact returns the fact of the catalogue, of those fits accepts, whose cue
// stands nearest the figure at [start, end): before it from left on, or
// attached after it up to right; and the cue's span. Of several facts with
// that cue, it returns the first.
func (a *analysis) cueFact(left, start, end, right int, fits func(*matcher.Fact) bool) (string, span) {
	keys, at := a.cueFacts(left, start, end, right, fits)
	if len(keys) == 0 {
		return "", at
	}
	return keys[0], at
}

// cueFacts returns, in catalogue order, the facts cueFact chooses from:
// those of the nearest cue (发明专利 names grants and filings).
func (a *analysis) cueFacts(left, start, end, right int, fits func(*matcher.Fact) bool) ([]string, span) {
	var best []string
	at := noSpan
	dist := func(sp span) int {
		if sp.end <= start {
			return start - sp.end
		}
		return sp.start - end
	}
	reach := a.attached(end)
	facts := a.r.cat.Facts()
	for _, i := range here(a.r.lex.factsOf, a.found) {
		f := facts[i]
		if !fits(&f) {
			continue
		}
		for _, w := range f.Cues {
			if !a.found[w] {
				continue
			}
			var sp span
			if i := a.lastIndex(left, start, w); i >= 0 && !a.inLongerWord(i, w) {
				sp = span{i, i + len(w)}
			} else if reach < right && strings.HasPrefix(a.s[reach:right], w) && !a.inLongerWord(reach, w) {
				sp = span{reach, reach + len(w)}
			} else {
				continue
			}
			switch {
			case at.start < 0 || dist(sp) < dist(at) || dist(sp) == dist(at) && sp.end-sp.start > at.end-at.start:
				best, at = []string{f.Key}, sp
			case sp == at:
				best = appendUnique(best, f.Key)
			}
		}
	}
	return best, at
}

func (a *analysis) text(sp span) string {
	if sp.start < 0 {
		return ""
	}
	return a.s[sp.start:sp.end]
}

func (a *analysis) windowHas(from, to int, words []string) bool {
	for _, w := range words {
		if a.index(from, to, w) >= 0 {
			return true
		}
	}
	return false
}

// inTimeWord reports whether the cue word at i begins inside a word of
// time: the 年销售 of 今年销售 is this year's 销售, not a 年销售额.
func inTimeWord(s string, i int, word string) bool {
	if !strings.HasPrefix(word, "年") && !strings.HasPrefix(word, "月") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return strings.ContainsRune("今去明当本每", r)
}

func kindIs(k matcher.Kind) func(*matcher.Fact) bool {
	return func(f *matcher.Fact) bool { return f.Kind == k }
}

func unitIs(unit string) func(*matcher.Fact) bool {
	return func(f *matcher.Fact) bool { return f.Kind == matcher.KindNumber && f.Unit == unit && !f.Ordinal }
}

// correctedMoney returns, in a correction, the earlier money fact that a
// bare figure corrects: the one that held a figure taken back before it
// (往年最高不是188亿,是203亿 corrects the 188亿), else the one whose value
// is nearest to it by ratio (说错了,是10.3亿 corrects 9.8亿 rather than
// 9.5亿 or 5000万), the most recent on a tie; "" when there is none or no
// values are known.
func (a *analysis) correctedMoney(y int64, before []placed) string {
	if !a.correction {
		return ""
	}
	for _, g := range slices.Backward(before) {
		if g.kind != figMoney || !a.negatedFigure(g.figure) {
			continue
		}
		was, _ := toFloat(moneyMention(g.figure, "", "").Value)
		for _, k := range a.ctx.Recent {
			// Values come back from the store as any number type.
			if f, ok := a.r.cat.Lookup(k); ok && f.Kind == matcher.KindMoney {
				if v, ok := toFloat(a.ctx.Values[k]); ok && v == was {
					return k
				}
			}
		}
	}
	return a.nearestRecentMoney(y)
}

// updateWords say a figure replaces one said before: 现在是2300万了.
var updateWords = []string{"现在是", "现在已经", "现在", "变成了", "变成", "改成", "更新为", "涨到了", "涨到", "增加到", "达到了"}

// updates reports whether the words of clause c before pos say the figure
// at pos brings an earlier one up to date.
func (a *analysis) updates(c clause, pos int) bool {
	return len(a.ctx.Recent) > 0 && hasAnySuffix(strings.TrimRight(a.s[c.start:pos], " 约大概"), updateWords...)
}

// nearestRecentMoney returns the money fact of the earlier turns whose
// value is nearest y in magnitude, or "".
// supposesTold reports whether the bare money figure f is supposed of a
// figure told before, as near to it as a tenth: 那要是10.1个亿呢, after
// 正好10个亿 was ruled out and another question asked, supposes the
// revenue, not an answer to the question.
func (a *analysis) supposesTold(f placed) bool {
	if f.kind != figMoney || !a.supposition(f.start) {
		return false
	}
	y := f.val.float()
	k := a.nearestRecentMoney(int64(y))
	old, ok := toFloat(a.ctx.Values[k])
	return k != "" && ok && k != a.ctx.Pending && math.Abs(y-old) <= old/10
}

func (a *analysis) nearestRecentMoney(y int64) string {
	if y <= 0 {
		return ""
	}
	best, bestGap := "", math.Inf(1)
	for _, k := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(k)
		if !ok || f.Kind != matcher.KindMoney {
			continue
		}
		old, ok := toFloat(a.ctx.Values[k])
		if !ok || old <= 0 {
			continue
		}
		if gap := math.Abs(math.Log(float64(y) / old)); gap < bestGap {
			best, bestGap = k, gap
		}
	}
	return best
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// bareKey returns the fact a value with no cue answers: in a correction the
// most recent fact of its kind, otherwise the pending question, or "".
func (a *analysis) bareKey(fits func(*matcher.Fact) bool) string {
	// 准确数是5860万, with no question pending that the figure answers,
	// gives the exact figure of one said before, approximately if one was,
	// as a correction does.
	pending, _ := a.r.cat.Lookup(a.ctx.Pending)
	refines := (pending == nil || !fits(pending)) && a.containsAny(refineWords)
	if refines {
		for _, k := range a.ctx.Approx {
			if f, ok := a.r.cat.Lookup(k); ok && fits(f) {
				return k
			}
		}
	}
	if a.correction || refines {
		for _, k := range a.ctx.Recent {
			if f, ok := a.r.cat.Lookup(k); ok && fits(f) {
				return k
			}
		}
	}
	if f, ok := a.r.cat.Lookup(a.ctx.Pending); ok && fits(f) {
		return f.Key
	}
	return ""
}

// refineWords say that a figure is the exact one of a figure said before.
var refineWords = []string{"准确", "准数", "确切", "精确", "具体是", "具体数", "实际是", "实际数", "重新核", "核了", "核实", "核对", "查了", "查到", "算了下", "算下来", "正好", "刚好", "整整", "统计", "签到", "实际到位", "到位的是", "实际投了", "实际投资", "实际拿到", "批下来", "定下来", "刚问了", "问了下", "问清楚了", "确认了", "确认是", "确定是", "最终是", "最后定", "重新丈量", "重新量", "丈量", "测量", "量了", "重新算", "重新统计", "其实是", "实际上是"}

// placeSeries decides, series by series, which figure is the current one
// and which the highest earlier year's.
func (a *analysis) placeSeries(figs []seriesFigure) {
	var names []string
	for _, f := range figs {
		names = appendUnique(names, f.series)
	}
	for _, name := range names {
		var own []seriesFigure
		for _, f := range figs {
			if f.series == name {
				own = append(own, f)
			}
		}
		a.placeOne(name, own)
	}
}

// placeOne decides which figure of one series is this year's and which the
// highest earlier year's. Calendar years name the assessment year: the one
// the conversation set, else the latest named, unless 今年 is named too or it
// is older than last year. A 去年 figure is the prior year when the year
// assessed is known (named here, set in an earlier turn or asked for as
// prior); otherwise it is the year being assessed, the last complete year.
// Either way a note says what was assumed. A series with a fact of the
// prior year takes a 去年 figure, or one of the year before the year
// assessed, for it. Of several earlier figures the highest is the prior
// maximum. A series takes no figure of a period it has no fact for.
func (a *analysis) placeOne(name string, figs []seriesFigure) {
	curKey := a.r.cat.SeriesFact(name, kb.PeriodCurrent)
	priorKey := a.r.cat.SeriesFact(name, kb.PeriodPriorMax)
	lastKey := a.r.cat.SeriesFact(name, kb.PeriodPriorYear)
	current, explicitPrior, earlier := -1, -1, []int(nil)
	var parts []int // several figures of this year: parts of one sum, or a correction
	latestYear := 0
	for i, f := range figs {
		switch f.period {
		case periodCurrent:
			current = i
			parts = append(parts, i)
		case periodPriorMax:
			if j := explicitPrior; j >= 0 && figs[j].rng != nil && f.rng != nil {
				// 往年都未达到100亿,50亿那个台阶前几年就上过了: two bounds
				// of one year, together.
				if lo, hi := max(figs[j].rng.Lo, f.rng.Lo), min(figs[j].rng.Hi, f.rng.Hi); lo <= hi {
					figs[i].rng = &Range{lo, hi}
					figs[i].text = figs[j].text + "," + f.text
				}
			} else if j >= 0 && figs[j].rng == nil && f.rng != nil && f.rng.Lo <= figs[j].number() && figs[j].number() <= f.rng.Hi {
				// 以前最高的一年8亿9,之前从没上过10个亿: the bound agrees
				// with the exact figure, which stands.
				continue
			}
			explicitPrior = i
		case periodCalendar:
			latestYear = max(latestYear, f.year)
		}
	}
	assessed := a.ctx.AssessmentYear
	// 2018年全年申请了65件, said in 2019 of a series with a fact of the
	// year before (上一年度申请量): that year is the year before, not the
	// year assessed.
	lastYearOfSeries := lastKey != "" && a.ctx.Year > 0 && latestYear == a.ctx.Year-1
	if assessed == 0 && latestYear > 0 && current < 0 && (a.ctx.Year == 0 || latestYear >= a.ctx.Year-1) && !lastYearOfSeries {
		assessed = latestYear
	}
	thisYear := assessed // the year 当年 means, when known
	if thisYear == 0 && (current >= 0 || lastYearOfSeries) {
		thisYear = a.ctx.Year
	}
	yearOfCurrent := 0
	for i, f := range figs {
		if f.period != periodCalendar {
			continue
		}
		if f.year == assessed && current < 0 || assessed == 0 && f.year == latestYear && current < 0 && a.ctx.Year == 0 {
			figs[i].period = periodCurrent
			current, yearOfCurrent = i, f.year
			parts = append(parts, i)
			a.note(&figs[i], curKey)
			if a.ctx.AssessmentYear == 0 {
				a.setAssessmentYear(f)
			}
		} else if yearOfCurrent > 0 && f.year == yearOfCurrent {
			// 2025年公司债券…,2025年中期票据…: another figure of the year,
			// a part of its sum or a correction, as the result decides.
			figs[i].period = periodCurrent
			parts = append(parts, i)
			a.note(&figs[i], curKey)
		} else if lastKey != "" && thisYear > 0 && f.year == thisYear-1 {
			figs[i].period = periodLastYear
		} else {
			figs[i].period = periodEarlier
		}
	}
	known := current >= 0 || a.ctx.Pending == priorKey || contains(a.ctx.Recent, curKey) || a.ctx.AssessmentYear > 0
	lastYear := -1
	for i, f := range figs {
		switch f.period {
		case periodLastYear:
			if lastKey == "" && !known && (lastYear < 0 || f.pos > figs[lastYear].pos) {
				lastYear = i
			}
			earlier = append(earlier, i)
		case periodEarlier:
			earlier = append(earlier, i)
		}
	}
	if current < 0 && lastYear >= 0 {
		current = lastYear
		a.note(&figs[current], curKey)
		kept := earlier[:0]
		for _, i := range earlier {
			if i != current {
				kept = append(kept, i)
			}
		}
		earlier = kept
	}
	if current < 0 {
		for i, f := range figs {
			if f.guess || f.period == periodNone {
				current = i
				figs[i].cue = ""
				if f.guess {
					a.note(&figs[i], curKey)
				}
			}
		}
	}
	if len(parts) > 1 {
		// result adds them up when joined as parts (3000万企业债,另外还有
		// 1000万票据) and keeps the last one otherwise.
		for _, i := range parts {
			a.addSeries(figs[i], curKey)
		}
	} else if current >= 0 {
		a.addSeries(figs[current], curKey)
	}
	if lastKey != "" {
		last := -1
		for i, f := range figs {
			if f.period == periodLastYear && (last < 0 || f.pos > figs[last].pos) {
				last = i
			}
		}
		if last >= 0 {
			a.addSeries(figs[last], lastKey)
		}
	}
	if priorKey == "" {
		return
	}
	prior := explicitPrior
	if prior >= 0 && figs[prior].rng != nil {
		// 以前从没上过100亿,去年是96亿: the highest earlier year is at
		// least every earlier figure said.
		for _, i := range earlier {
			x := figs[i].number()
			if figs[i].rng != nil {
				x = figs[i].rng.Lo // 去年八十几亿: at least 80亿
			}
			if r := *figs[prior].rng; x > r.Lo && x <= r.Hi {
				r.Lo = x
				figs[prior].rng = &r
			}
		}
	}
	if prior < 0 {
		for _, i := range earlier {
			if prior < 0 || figs[i].number() > figs[prior].number() {
				prior = i
			}
		}
		if prior >= 0 {
			a.note(&figs[prior], priorKey)
		}
	}
	if prior >= 0 {
		a.addSeries(figs[prior], priorKey)
	}
}

// number returns the figure's value as a float64.
func (f seriesFigure) number() float64 {
	x, _ := toFloat(f.value)
	return x
}

func (a *analysis) addSeries(f seriesFigure, key string) {
	if r := f.rng; r != nil && r.Lo == r.Hi {
		// 去年92亿,之前没有哪一年超过92亿: bounds that meet give the figure.
		switch f.value.(type) {
		case int64:
			f.value, f.rng = int64(r.Lo), nil
		case float64:
			f.value, f.rng = r.Lo, nil
		}
	}
	a.add(f.pos, Mention{Key: key, Value: f.value, Approx: f.rng != nil, Range: f.rng, Note: f.noteText, Text: f.text, End: f.end})
}

// setAssessmentYear records the year a calendar figure names as the year
// assessed, when the catalogue has that fact.
func (a *analysis) setAssessmentYear(f seriesFigure) {
	key := a.r.assessedYear
	if key == "" || a.has(key) {
		return
	}
	a.add(f.pos, Mention{Key: key, Value: int64(f.year), Text: strconv.Itoa(f.year) + "年",
		Note: "按" + strconv.Itoa(f.year) + "年度的数据评价(“当年”指" + strconv.Itoa(f.year) + "年)"})
}

// note records that f was taken as key by assumption:
// 按“去年9亿元”作为以前年度最高主营业务收入.
func (a *analysis) note(f *seriesFigure, key string) {
	fact, ok := a.r.cat.Lookup(key)
	if !ok || f.noteText != "" || f.rng != nil {
		return
	}
	f.noteText = "按“" + f.cue + matcher.FormatFact(fact, f.value) + "”作为" + fact.Label
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scanFigures returns the numbers of the text in order.
// receivedWords say that a sum was received (获得…资助800万元): beside an
// award's word, the figure is a fact, not a hope.
var receivedWords = []string{"获得", "获批", "得到", "拿到了", "收到", "下达", "争取到", "已获", "获得了", "立了", "立项", "批了", "拿了", "拿到", "批下来", "申请到", "争取了"}

// topicCue returns the cue, said between topic and left, of a fact whose
// label holds the word of cue, the figure's own cue: 年销售收入 after 军工技术
// 成果…转成民品 is that conversion's 年销售收入, not the enterprise's. The
// longest such cue wins; nil when none is said.
func (a *analysis) topicCue(cue *moneyCue, topic, left int) *moneyCue {
	var best *moneyCue
	for _, i := range a.moneyHere {
		mc := &a.r.moneyCues[i]
		if mc.key == "" || mc.key == cue.key || mc.weak || best != nil && len(mc.word) <= len(best.word) ||
			strings.Contains(mc.word, cue.word) || strings.Contains(cue.word, mc.word) {
			continue // the same word again names nothing more
		}
		f, ok := a.r.cat.Lookup(mc.key)
		if !ok || !strings.Contains(f.Label, cue.word) || a.index(topic, left, mc.word) < 0 || !a.inScope(mc.key) || !a.speakers(mc.key) {
			continue // 创投基金…投资额: no enterprise's 创投基金投资额
		}
		shared := false // 收入 names many things; a topic must name one
		for _, j := range a.moneyHere {
			if o := &a.r.moneyCues[j]; o.word == mc.word && o.key != mc.key {
				shared = true
			}
		}
		if !shared {
			best = mc
		}
	}
	return best
}

// placeAt returns the end of the full name of a place (with 区, 县, 市 or
// 旗) that starts at i, or 0.
func (a *analysis) placeAt(i int) int {
	for _, m := range a.placeNames() {
		if m.Start == i && hasAnySuffix(a.s[m.Start:m.End], "区", "县", "市", "旗") {
			return m.End
		}
	}
	return 0
}

// roughOfUnit returns the fact of the unit told most recently, when it
// was told roughly or the message corrects: a bare figure in its unit
// refines or corrects it (到上个月已经满4年了, after 将近4年). "" otherwise.
func (a *analysis) roughOfUnit(fits func(*matcher.Fact) bool) string {
	for _, k := range a.ctx.Recent {
		if f, ok := a.r.cat.Lookup(k); ok && fits(f) {
			if contains(a.ctx.Approx, k) || a.correction {
				return k
			}
			return ""
		}
	}
	return ""
}

func (a *analysis) scanFigures() []placed {
	var figs []placed
	s := a.s
	from := 0
	lastUnit := 0 // the power of ten of the last money figure's unit
	// 以前最高也就四十出头吧, to the question after 今年达到了五十二个亿: the
	// answer counts in the unit of the figure the question followed.
	inherited := false // lastUnit is the question's, and a bare number answers in it
	if f, ok := a.r.cat.Lookup(a.ctx.Pending); ok && f.Kind == matcher.KindMoney {
		lastUnit = previousUnit(a.ctx.Previous)
		inherited = lastUnit > 0
	}
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		if !startsNumeralAt(s[i:]) {
			i += size
			continue
		}
		if end := a.placeAt(i); end > i {
			i = end // 三元区, 万州区: a place's name, not a figure
			continue
		}
		if strings.HasPrefix(s[i:], "一点") && strings.HasSuffix(s[:i], "差") && !strings.HasPrefix(s[i+len("一点"):], "零") {
			i += len("一点") // 差一点六个亿: 一点 is a word, not 1.6
			continue
		}
		if strings.HasPrefix(s[i:], "一") && hasAnySuffix(s[:i], "哪", "没有", "没") && !startsNumeralAt(s[i+len("一"):]) && !hasAnyPrefix(s[i+len("一"):], "个亿", "个万", "亿", "万", "千万", "百万") {
			i += len("一") // 没有哪一年超过92亿, 没有一年: a word of no figure
			continue
		}
		f, ok := scanFigure(s, from, i)
		if !ok || f.kind == figPlain {
			if u, said := a.declaredUnit(i); said {
				if g, good := a.inUnit(i, u); good {
					f, ok = g, true
				}
			}
		}
		if (!ok || f.kind == figPlain) && lastUnit > 0 {
			if g, good := a.unitless(i, lastUnit, inherited); good {
				f, ok = g, true
			}
		}
		if !ok || f.end <= i {
			i += size
			continue
		}
		if f.kind == figMoney {
			switch t := s[f.start:f.end]; {
			case strings.Contains(t, "亿") || strings.ContainsAny(t, "eE"):
				lastUnit, inherited = 8, false
			case strings.Contains(t, "万") || strings.ContainsAny(t, "wW"):
				lastUnit, inherited = 4, false
			}
		}
		p := placed{figure: f}
		if f.kind == figCalendar {
			p.year = int(f.val.floor())
		}
		if n := len(figs); n > 0 && f.kind == figMoney && figs[n-1].kind == figMoney && f.bound == boundExact && a.inParens(figs[n-1].end, f.start, f.end) {
			// 不到两百亿(196亿): the figure in brackets is the one before,
			// said exactly; it stands in its place.
			exact := f
			exact.start = figs[n-1].start
			figs[n-1].figure = exact
			i, from = f.end, f.end
			continue
		}
		figs = append(figs, p)
		i, from = f.end, f.end
	}
	return figs
}

// saidExact reports whether the figure at pos is said with a word that
// makes it exact (准数是101.6亿, 正好30万): what the speaker was unsure of
// before, they now know.
func (a *analysis) saidExact(pos int) bool {
	before := strings.TrimRight(a.s[a.clauseAt(pos).start:pos], " ")
	for _, b := range boundPrefixes {
		if b.bound == boundExact && (strings.HasSuffix(before, b.word) || strings.HasPrefix(a.s[pos:], b.word)) {
			return true
		}
	}
	return false
}

// unsureOf reports whether the sentence holding pos says the speaker does
// not remember or know, or offers a figure as one of two (两年还是三年).
func (a *analysis) unsureOf(pos int) bool {
	from, to := a.sentenceStart(pos), a.sentenceEnd(pos)
	return a.windowHas(from, to, unknowingWords) || a.windowHas(from, to, []string{"还是", "或者是"}) && a.windowHas(from, to, []string{"好像", "可能", "大概", "应该"})
}

// speakersSeries reports whether a benefit of the speaker's applicant type
// reads the current fact of series name: 去年是十五万 from a talent is no
// enterprise's revenue. An enterprise, or a speaker of no known type, may
// have any series.
func (a *analysis) speakersSeries(name string) bool {
	if a.r.applicants == nil || a.applicant == "" || a.applicant == "enterprise" {
		return true
	}
	key := a.r.cat.SeriesFact(a.routed(name), kb.PeriodCurrent)
	return key == "" || a.speakers(key)
}

// speakers reports whether a benefit of the speaker's applicant type reads
// the fact; for an enterprise, or a speaker of no known type, any fact.
func (a *analysis) speakers(key string) bool {
	if a.r.applicants == nil || a.applicant == "" || a.applicant == "enterprise" {
		return true
	}
	return slices.Contains(a.r.applicants[key], a.applicant)
}

// glossBefore returns the span of the last bracketed words of s[left:start]
// when they close before start, noSpan when there are none.
func glossBefore(s string, left, start int) span {
	closeAt := max(strings.LastIndex(s[left:start], ")"), strings.LastIndex(s[left:start], "）"))
	if closeAt < 0 {
		return noSpan
	}
	openAt := max(strings.LastIndex(s[left:left+closeAt], "("), strings.LastIndex(s[left:left+closeAt], "（"))
	if openAt < 0 {
		return noSpan
	}
	return span{left + openAt, left + closeAt}
}

// withoutGloss returns s without its bracketed words: 个人经济贡献(个税地方
// 留成部分)是5万元 has the cue right before its figure.
func withoutGloss(s string) string {
	if g := glossBefore(s, 0, len(s)); g.start >= 0 {
		_, n := utf8.DecodeRuneInString(s[g.end:])
		return s[:g.start] + s[g.end+n:]
	}
	return s
}

// inParens reports whether the figure at [start, end) is in brackets right
// after a figure ending at prevEnd: 不到两百亿(196亿).
func (a *analysis) inParens(prevEnd, start, end int) bool {
	between := strings.TrimSpace(a.s[prevEnd:start])
	return (between == "(" || between == "（") && hasAnyPrefix(strings.TrimLeft(a.s[end:], " "), ")", "）")
}

// areaUnits are the units a price per area is said in (每平米80块,
// 60元/平方米).
var areaUnits = append(unitWords("平方米"), "亩")

// pricedPerUnit reports whether the money figure f is said per unit of area
// (每平米每月租金80块, 80元/平米): a price, not a total.
func (a *analysis) pricedPerUnit(left int, f figure) bool {
	before := a.s[runesBefore(a.s, left, f.start, 8):f.start]
	for _, u := range areaUnits {
		if strings.Contains(before, "每"+u) || strings.HasPrefix(a.s[f.end:], "/"+u) || strings.HasPrefix(a.s[f.end:], "每"+u) {
			return true
		}
	}
	return false
}

// rentWords name the rent a price per area is of; notPaidWords, after
// them, say the figure is something else.
var (
	rentWords    = []string{"租金", "场租", "房租", "月租", "租", "付"}
	notPaidWords = []string{"补贴", "补助", "资助", "奖励", "最高", "标准", "物业", "管理费", "水电"}
)

// monthWords say a price is of a month (每平米每月45元, 45元/平方米/月).
var monthWords = []string{"每月", "每个月", "/月", "月租", "一个月", "一月"}

// priceFact returns the fact of a price per unit and period the money
// figure f is said as (每平米每月45元), or "": said per the fact's unit,
// and per month when the fact's period is a month.
func (a *analysis) priceFact(left int, f figure) string {
	before := a.s[runesBefore(a.s, left, f.start, 10):f.start]
	after := a.s[f.end:min(len(a.s), f.end+24)]
	// The price is what is paid (租金每平方米每月45元), not a subsidy's
	// standard or another charge (每平方米每月补贴40元, 物业费5元).
	k := -1
	for _, w := range rentWords {
		k = max(k, strings.LastIndex(before, w))
	}
	paid := k >= 0 && !containsAny(before[k:], notPaidWords)
	for _, i := range a.r.priceFacts {
		pf := &a.r.cat.Facts()[i]
		if !paid && a.ctx.Pending != pf.Key {
			continue // the answer to the price asked needs no rent word
		}
		per := false
		for _, u := range unitWords(pf.Price.Per) {
			per = per || strings.Contains(before, "每"+u) || strings.HasPrefix(after, "/"+u) || strings.HasPrefix(after, "每"+u)
		}
		if !per {
			continue
		}
		if pf.Price.Period == "month" && !containsAny(before, monthWords) && !containsAny(after, monthWords) {
			continue
		}
		return pf.Key
	}
	return ""
}

// moneyUnits are the units of money a form or a message declares for its
// figures, longest first, with their powers of ten.
var moneyUnits = []struct {
	word string
	exp  int
}{{"亿元", 8}, {"万元", 4}, {"千元", 3}, {"亿", 8}, {"万", 4}, {"元", 0}}

// declaredUnit returns the unit of money said for a figure without one at
// i: a field's own (营业收入(万元):6300), or the message's (单位:万元,
// 两千五,单位万元), as forms and tables state it once for all figures.
func (a *analysis) declaredUnit(i int) (int, bool) {
	before := strings.TrimRight(a.s[:i], " :是为")
	if strings.HasSuffix(before, ")") {
		if k := strings.LastIndex(before, "("); k >= 0 {
			inner := strings.TrimLeft(strings.TrimPrefix(before[k+1:len(before)-1], "单位"), " :")
			if u, n, ok := unitWordAt(inner); ok && n == len(inner) {
				return u, true
			}
		}
	}
	for k := strings.Index(a.s, "单位"); k >= 0; {
		// 单位:万元, 单位万元, 单位是亿元: the unit, then the figures go on;
		// 我们单位万一 names no unit.
		after := strings.TrimLeft(a.s[k+len("单位"):], " :是为")
		if u, n, ok := unitWordAt(after); ok && endsUnit(after[n:]) {
			return u, true
		}
		next := strings.Index(a.s[k+len("单位"):], "单位")
		if next < 0 {
			break
		}
		k += len("单位") + next
	}
	return 0, false
}

// unitWordAt reads a unit of money at the start of t: its power of ten and
// its length.
func unitWordAt(t string) (int, int, bool) {
	for _, u := range moneyUnits {
		if strings.HasPrefix(t, u.word) {
			return u.exp, len(u.word), true
		}
	}
	return 0, 0, false
}

// endsUnit reports whether what follows a unit word ends it: the message's
// end, a stop, a space or a bracket.
func endsUnit(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || isPunct(r)
}

// inUnit reads the numeral at i, said without a unit, as money in the unit
// of power exp that the message declares.
func (a *analysis) inUnit(i, exp int) (figure, bool) {
	n, ok := scanNumeral(a.s, i)
	if !ok || n.magnitude || n.end <= i || hasAnyPrefix(a.s[n.end:], otherUnits...) || hasAnyPrefix(a.s[n.end:], "年") {
		return figure{}, false
	}
	v, good := n.val.scale(exp)
	if !good {
		return figure{}, false
	}
	f := figure{kind: figMoney, val: v, start: i, end: n.end}
	if n.approx {
		f.bound = boundInner
	}
	return f, true
}

// exactOfRough returns the money fact a plain number without a unit
// gives exactly, when that fact was told roughly and the number, as yuan,
// is of its size (53600 after 大概5万多): the pending one, or with words of exactness
// (查了下准确是) any told roughly.
func (a *analysis) exactOfRough(f figure) (string, bool) {
	keys := []string{a.ctx.Pending}
	if a.containsAny(refineWords) {
		// 查了下准确是53600, while another question is pending: the figure
		// said roughly before.
		keys = append(keys, a.ctx.Approx...)
	}
	for _, key := range keys {
		told, ok := toFloat(a.ctx.Values[key])
		if fact, known := a.r.cat.Lookup(key); key == "" || !known || fact.Kind != matcher.KindMoney || !ok || told <= 0 || !contains(a.ctx.Approx, key) || f.val.p != 0 {
			continue
		}
		v := f.val.float()
		if v*2 >= told && v <= told*2 {
			return key, true
		}
	}
	return "", false
}

// unitless reads a numeral without a unit that a bound word follows, after
// a money figure: 以前最高的年份九十出头 is 90亿 and more when 100亿左右 came
// before. The unit is the last figure's.
func (a *analysis) unitless(i, unit int, bare bool) (figure, bool) {
	n, ok := scanNumeral(a.s, i)
	if !ok || n.magnitude || n.end <= i {
		return figure{}, false
	}
	rest := a.s[n.end:]
	var b *boundWord
	for k := range boundSuffixes {
		if strings.HasPrefix(rest, boundSuffixes[k].word) && boundSuffixes[k].bound != boundExact && boundSuffixOK(rest, len(boundSuffixes[k].word)) {
			b = &boundSuffixes[k]
			break
		}
	}
	// 没上过50, 最高45, in answer: a number short of the unit's ten
	// thousand (53600 is yuan, not 万), written in two characters or more
	// (一时找不到 is no figure), with a bound before it or none.
	if b == nil && bare && n.val.float() < 10000 && utf8.RuneCountInString(a.s[i:n.end]) >= 2 &&
		!hasAnyPrefix(rest, "元", "块", "年", "月", "件", "人", "个", "家", "亩", "吨", "%", "％", "平", "万", "亿", "千", "百", "号", "日", ".", "点", "多", "来", "几") {
		b = &boundWord{bound: boundExact}
		for k := range boundPrefixes {
			if strings.HasSuffix(a.s[:i], boundPrefixes[k].word) {
				b = &boundPrefixes[k]
				break
			}
		}
		v, good := n.val.scale(unit)
		if !good {
			return figure{}, false
		}
		f := figure{kind: figMoney, val: v, bound: b.bound, start: i, end: n.end}
		if n.approx {
			f.bound = boundInner
		}
		return f, true
	}
	if b == nil {
		return figure{}, false
	}
	v, good := n.val.scale(unit)
	if !good {
		return figure{}, false
	}
	f := figure{kind: figMoney, val: v, bound: b.bound, start: i, end: n.end + len(b.word)}
	if n.approx {
		f.bound = boundInner
	}
	return f, true
}

// negatedFigure reports a figure the user takes back: 不是5亿,是6亿.
func (a *analysis) negatedFigure(f figure) bool {
	before := a.s[:f.start]
	return strings.HasSuffix(before, "不是") || strings.HasSuffix(before, "并非")
}

// superlatives make a period cue name the highest year.
var superlatives = []string{"最高", "最多", "最好", "峰"}

// everWords put a figure in the past with the experiential 过: 没上过150亿
// and 从未达到过 speak of the years before, not of this one.
var everWords = []string{"上过", "到过", "破过", "达到过", "突破过"}

// saysEver reports whether the words of the figure ending at end, in its
// clause from left, hold one of everWords: the figure's own bound words
// (没上过) or the verb before them.
func (a *analysis) saysEver(left, end int) bool {
	return containsAny(a.s[left:end], everWords)
}

// pastOfSentence reports whether a figure said with the experiential 过 at
// start, of value v, speaks of earlier years by what its sentence said
// before it: a figure of an earlier year (以前最高138亿,没上过150亿), or one
// of this year said exactly or above it (今年8亿,没上过10亿 bounds no figure
// already known). Said alone (主导产业没上过2万5), it is the figure asked
// about.
func (a *analysis) pastOfSentence(series []seriesFigure, start int, v float64) bool {
	from := a.sentenceStart(start)
	for i := len(series) - 1; i >= 0; i-- {
		if g := series[i]; g.pos >= from && g.pos < start {
			x, _ := toFloat(g.value)
			return g.period == periodPriorMax || g.period == periodLastYear || g.period == periodEarlier || g.period == periodCurrent && (x > v || g.rng == nil)
		}
	}
	return false
}

// periodOf finds the period cue of a figure the same way, with calendar years
// (2024年) counting as cues.
func (a *analysis) periodOf(figs []placed, left, start, end, right int) (span, period, int) {
	best, per, year := noSpan, periodNone, 0
	closer := func(i, n int) bool {
		return best.start < 0 || i+n > best.end || i+n == best.end && n > best.end-best.start
	}
	if left < start {
		for _, c := range periodCues {
			if i := a.lastIndex(left, start, c.word); i >= 0 && closer(i, len(c.word)) {
				best, per = span{i, i + len(c.word)}, c.period
			}
		}
		for _, f := range figs {
			if f.kind == figCalendar && f.start >= left && f.end <= start && closer(f.start, f.end-f.start) {
				best, per, year = span{f.start, f.end}, periodCalendar, f.year
			}
		}
	}
	if per == periodLastYear || per == periodEarlier || per == periodCalendar {
		// 以前最高是去年的8亿: the year says which earlier year was the
		// highest; the figure is the highest.
		for _, c := range periodCues {
			if c.period == periodPriorMax && containsAny(c.word, superlatives) {
				if i := a.lastIndex(left, best.start, c.word); i >= 0 {
					return span{i, best.end}, periodPriorMax, 0
				}
			}
		}
	}
	if best.start >= 0 || end >= right {
		return best, per, year
	}
	reach := a.attached(end)
	for _, c := range periodCues {
		if reach < right && strings.HasPrefix(a.s[reach:right], c.word) && len(c.word) > best.end-best.start {
			best, per = span{reach, reach + len(c.word)}, c.period
		}
	}
	return best, per, 0
}
