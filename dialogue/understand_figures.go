package dialogue

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// metric is what an amount of money measures.
type metric uint8

const (
	metricNone metric = iota
	metricRevenue
	metricBond
	metricAssets
	metricInvestment
	metricProfit
	metricLoss
	metricOther // a figure of no fact (利润总额 aside): 贷款, 注册资本, 奖励
)

// metricCue is a word that says what the figure next to it measures. Weak
// cues (verbs) yield to a noun on either side; left-only cues are the reward
// asked about (5亿能拿多少奖励), which says nothing of a figure before it.
type metricCue struct {
	word     string
	metric   metric
	weak     bool
	leftOnly bool
	route    string // "cluster" or "leading" when the word names whose revenue it is
}

var metricCues = []metricCue{
	{word: "主营业务收入", metric: metricRevenue}, {word: "主营收入", metric: metricRevenue},
	{word: "主营业务", metric: metricRevenue}, {word: "营业收入", metric: metricRevenue},
	{word: "销售收入", metric: metricRevenue}, {word: "营收", metric: metricRevenue},
	{word: "收入", metric: metricRevenue}, {word: "销售额", metric: metricRevenue},
	{word: "营业额", metric: metricRevenue}, {word: "产值", metric: metricRevenue},
	{word: "销售", metric: metricRevenue}, {word: "业绩", metric: metricRevenue},
	{word: "流水", metric: metricRevenue}, {word: "主营", metric: metricRevenue},
	{word: "产业集群", metric: metricRevenue, route: "cluster"}, {word: "集群", metric: metricRevenue, route: "cluster"},
	{word: "主导产业", metric: metricRevenue, route: "leading"},
	{word: "做到", metric: metricRevenue, weak: true}, {word: "做了", metric: metricRevenue, weak: true},
	{word: "卖了", metric: metricRevenue, weak: true}, {word: "规模", metric: metricRevenue, weak: true},

	{word: "企业债", metric: metricBond}, {word: "公司债", metric: metricBond}, {word: "债券", metric: metricBond},
	{word: "发债", metric: metricBond}, {word: "中票", metric: metricBond}, {word: "中期票据", metric: metricBond},
	{word: "短融", metric: metricBond}, {word: "短期融资券", metric: metricBond}, {word: "票据", metric: metricBond},
	{word: "可转债", metric: metricBond}, {word: "私募债", metric: metricBond}, {word: "债务融资工具", metric: metricBond},
	{word: "债", metric: metricBond}, {word: "发行", metric: metricBond, weak: true},

	{word: "生产性固定资产", metric: metricAssets}, {word: "固定资产", metric: metricAssets},
	{word: "固定资产投资", metric: metricAssets}, {word: "生产性资产", metric: metricAssets},

	{word: "总投资", metric: metricInvestment}, {word: "投资额", metric: metricInvestment},
	{word: "投资", metric: metricInvestment}, {word: "投入", metric: metricInvestment},
	{word: "投了", metric: metricInvestment},

	{word: "利润", metric: metricProfit}, {word: "净利润", metric: metricProfit}, {word: "净利", metric: metricProfit},
	{word: "盈利", metric: metricProfit}, {word: "赚了", metric: metricProfit},
	{word: "亏损", metric: metricLoss}, {word: "亏了", metric: metricLoss},

	{word: "负债", metric: metricOther}, {word: "债务", metric: metricOther}, {word: "利税", metric: metricOther},
	{word: "税收", metric: metricOther}, {word: "纳税", metric: metricOther}, {word: "缴税", metric: metricOther},
	{word: "交税", metric: metricOther}, {word: "税", metric: metricOther}, {word: "贷款", metric: metricOther},
	{word: "借款", metric: metricOther}, {word: "授信", metric: metricOther}, {word: "注册资本", metric: metricOther},
	{word: "注册资金", metric: metricOther}, {word: "实收资本", metric: metricOther}, {word: "资产", metric: metricOther},
	{word: "工资", metric: metricOther}, {word: "成本", metric: metricOther}, {word: "费用", metric: metricOther},
	{word: "利息", metric: metricOther}, {word: "贴息", metric: metricOther}, {word: "估值", metric: metricOther},
	{word: "市值", metric: metricOther}, {word: "出口", metric: metricOther}, {word: "研发", metric: metricOther},
	{word: "资金", metric: metricOther}, {word: "租金", metric: metricOther}, {word: "出让金", metric: metricOther},
	{word: "增加值", metric: metricOther}, {word: "存款", metric: metricOther}, {word: "余额", metric: metricOther},
	{word: "担保", metric: metricOther}, {word: "额度", metric: metricOther}, {word: "现金流", metric: metricOther},
	{word: "奖励", metric: metricOther, leftOnly: true}, {word: "补贴", metric: metricOther, leftOnly: true},
	{word: "补助", metric: metricOther, leftOnly: true}, {word: "奖金", metric: metricOther, leftOnly: true},
	{word: "扶持", metric: metricOther, leftOnly: true}, {word: "资助", metric: metricOther, leftOnly: true},
}

// period is the year a revenue figure belongs to.
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

var periodCues = []periodCue{
	{"今年", periodCurrent}, {"当年", periodCurrent}, {"本年度", periodCurrent}, {"本年", periodCurrent},
	{"今年度", periodCurrent}, {"这一年", periodCurrent}, {"目前", periodCurrent}, {"现在", periodCurrent},
	{"以前最高", periodPriorMax}, {"历史最高", periodPriorMax}, {"之前最高", periodPriorMax},
	{"之前最多", periodPriorMax}, {"过去最高", periodPriorMax}, {"以往最高", periodPriorMax},
	{"往年最高", periodPriorMax}, {"历年最高", periodPriorMax}, {"以前年度", periodPriorMax},
	{"最高", periodPriorMax}, {"峰值", periodPriorMax}, {"历史上", periodPriorMax}, {"以前", periodPriorMax},
	{"之前", periodPriorMax}, {"过去", periodPriorMax}, {"以往", periodPriorMax}, {"往年", periodPriorMax},
	{"历史", periodPriorMax},
	{"去年", periodLastYear}, {"上年", periodLastYear}, {"上一年", periodLastYear}, {"上年度", periodLastYear},
	{"前年", periodEarlier}, {"大前年", periodEarlier}, {"前几年", periodEarlier}, {"两年前", periodEarlier},
}

// energyWords and taxWords say that tonnes are energy saved and years are the
// tax commitment.
var (
	energyWords = []string{"节能", "节约", "节省", "省了", "能耗", "标准煤", "标煤"}
	taxWords    = []string{"纳税", "承诺", "年限", "税"}
)

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

// revenueFigure is a revenue amount waiting for the years named around it to
// decide whether it is this year's or an earlier one.
type revenueFigure struct {
	pos      int
	route    string
	period   period
	year     int
	yuan     int64
	approx   bool
	cue      string // the period words, quoted in notes
	text     string
	guess    bool // no cue at all: taken as this year's revenue
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

// readFigures finds every number and decides which fact it is.
func (a *analysis) readFigures() {
	figs := a.scanFigures()
	var revenue []revenueFigure
	prevMetric := metricNone
	for i, f := range figs {
		if f.kind == figOther && !a.negatedFigure(f.figure) {
			a.readMeasure(f.figure)
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
		// figure or the sentence's start, a catalogue's cue still counts.
		topic := a.sentenceStart(f.start)
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
			y, ok := yuanOf(f.figure)
			if !ok {
				continue
			}
			m, route, mspan := a.metricOf(left, f.start, f.end, right)
			if m == metricNone || m == metricOther {
				// A money fact of the catalogue whose cue stands by the
				// figure (实缴注册资本5000万, 纳税总额2000万) takes it.
				key, cue := a.cueFact(left, f.start, f.end, right, kindIs(matcher.KindMoney))
				if key == "" && m == metricNone {
					key, cue = a.cueFact(topic, f.start, f.end, right, kindIs(matcher.KindMoney))
				}
				if key != "" {
					text := a.text(join(cue, fs))
					a.add(f.start, Mention{Key: key, Value: y, Approx: f.approx, Text: text, Note: moneyNote(f.figure, y, text)})
					continue
				}
			}
			if m == metricNone && prevMetric != metricNone && prevMetric != metricOther {
				m, route = prevMetric, a.route()
			}
			pspan, per, year := a.periodOf(figs, left, f.start, f.end, right)
			if m == metricNone && !a.correction {
				if pm := pendingMetric(a.ctx.Pending); pm != metricNone {
					m, route = pm, a.route()
				}
			}
			if m != metricNone {
				prevMetric = m
			}
			text := a.text(join(join(mspan, pspan), fs))
			note := moneyNote(f.figure, y, text)
			switch m {
			case metricNone:
				if per != periodNone {
					m, route = metricRevenue, a.route()
					break
				}
				if key := a.correctedMoney(y); key != "" {
					a.add(f.start, Mention{Key: key, Value: y, Approx: f.approx, Text: text, Note: note})
					continue
				}
				if key := a.bareKey(kindIs(matcher.KindMoney)); key != "" {
					a.add(f.start, Mention{Key: key, Value: y, Approx: f.approx, Text: text, Note: note})
					continue
				}
				if c.question {
					continue // 3亿以上和1亿以上有什么区别: thresholds asked about, not figures given
				}
				revenue = append(revenue, revenueFigure{pos: f.start, route: a.route(), yuan: y, approx: f.approx, text: text, guess: true, noteText: note})
				continue
			case metricBond:
				if per == periodNone || per == periodCurrent {
					a.add(f.start, Mention{Key: "bond_financing_cny", Value: y, Approx: f.approx, Text: text, Note: note})
				}
				continue
			case metricAssets:
				a.add(f.start, Mention{Key: "project_productive_assets_cny", Value: y, Approx: f.approx, Text: text, Note: note})
				continue
			case metricInvestment:
				a.add(f.start, Mention{Key: "project_investment_cny", Value: y, Approx: f.approx, Text: text, Note: note})
				continue
			case metricProfit, metricLoss:
				a.add(f.start, Mention{Key: "profitable", Value: m == metricProfit && y > 0, Text: text})
				continue
			case metricOther:
				continue
			}
			if per == periodNone {
				per = pendingPeriod(a.ctx.Pending)
			}
			if per == periodNone {
				per = periodCurrent
			}
			revenue = append(revenue, revenueFigure{
				pos: f.start, route: route, period: per, year: year, yuan: y, approx: f.approx,
				cue: a.text(pspan), text: text, noteText: note,
			})
		case figTonnes:
			if f.below {
				continue // 不到500吨 bounds a number the facts need exactly
			}
			text := a.text(fs)
			note := boundNote(f.figure, text, "吨标煤")
			if f.coal || a.windowHas(left, right, energyWords) {
				a.add(f.start, Mention{Key: "energy_saving_tce", Value: quantityOf(f.figure), Approx: f.approx, Text: text, Note: note})
			} else if key := a.bareKey(unitIs("吨标煤")); key != "" {
				a.add(f.start, Mention{Key: key, Value: quantityOf(f.figure), Approx: f.approx, Text: text, Note: note})
			}
		case figYears:
			if f.below {
				continue
			}
			text := a.text(fs)
			note := boundNote(f.figure, text, "年")
			if a.windowHas(left, f.start, taxWords) {
				a.add(f.start, Mention{Key: "tax_commitment_years", Value: quantityOf(f.figure), Approx: f.approx, Text: text, Note: note})
			} else if key := a.bareKey(unitIs("年")); key != "" {
				a.add(f.start, Mention{Key: key, Value: quantityOf(f.figure), Approx: f.approx, Text: text, Note: note})
			}
		case figPlain:
			if key := a.bareKey(kindIs(matcher.KindNumber)); key != "" {
				a.add(f.start, Mention{Key: key, Value: f.val.float(), Approx: f.approx, Text: a.text(fs)})
			}
		}
	}
	a.placeRevenue(revenue)
	// 发了一笔公司债,能奖多少: financing done, amount unsaid — worth asking.
	if !a.has("bond_financing_cny") && a.containsAny(bondIssued) && a.containsAny(bondWords) {
		a.unclear = appendUnique(a.unclear, "bond_financing_cny")
	}
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

// moneyNote says how a strict bound of a sum was read.
func moneyNote(f figure, y int64, text string) string {
	switch {
	case f.below:
		return "按“" + text + "”作为低于" + matcher.FormatYuan(y+1)
	case f.above:
		return "按“" + text + "”作为高于" + matcher.FormatYuan(y-1)
	}
	return ""
}

// cueFact returns the fact of the catalogue, of those fits accepts, whose cue
// stands nearest the figure at [start, end): before it from left on, or
// attached after it up to right; and the cue's span.
func (a *analysis) cueFact(left, start, end, right int, fits func(*matcher.Fact) bool) (string, span) {
	best, at := "", noSpan
	dist := func(sp span) int {
		if sp.end <= start {
			return start - sp.end
		}
		return sp.start - end
	}
	reach := a.attached(end)
	for _, f := range a.r.cat.Facts() {
		if len(f.Cues) == 0 || !fits(&f) {
			continue
		}
		for _, w := range f.Cues {
			if !a.may(w) {
				continue
			}
			var sp span
			if i := a.lastIndex(left, start, w); i >= 0 {
				sp = span{i, i + len(w)}
			} else if reach < right && strings.HasPrefix(a.s[reach:right], w) {
				sp = span{reach, reach + len(w)}
			} else {
				continue
			}
			if at.start < 0 || dist(sp) < dist(at) || dist(sp) == dist(at) && sp.end-sp.start > at.end-at.start {
				best, at = f.Key, sp
			}
		}
	}
	return best, at
}

// readMeasure reads a number with a measure word (600亩, 12家, 3件) as the
// number fact of that unit whose cue is in the clause, or the one asked
// about. A unit alone says too little: 10万平方米 of 厂房 is no office.
func (a *analysis) readMeasure(f figure) {
	if f.below {
		return // 不到500亩 bounds a number the facts need exactly
	}
	rest := a.s[f.end:]
	if hasAnyPrefix(rest, "年", "吨") {
		return // the scanner's own kinds: a 年 it calls other is a deadline (两年内)
	}
	var units []*matcher.Fact
	for i, fact := range a.r.cat.Facts() {
		if fact.Kind == matcher.KindNumber && fact.Unit != "" && hasAnyPrefix(rest, unitWords(fact.Unit)...) {
			units = append(units, &a.r.cat.Facts()[i])
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
		if key = a.bareKey(unitIs(unit)); key == "" {
			return
		}
	}
	text := a.text(join(cue, span{f.start, end}))
	a.add(f.start, Mention{Key: key, Value: quantityOf(f), Approx: f.approx, Text: text, Note: boundNote(f, text, unit)})
}

// unitWords are the ways of writing a unit: 平方米 is also 平米 and ㎡.
func unitWords(unit string) []string {
	switch unit {
	case "平方米":
		return []string{"平方米", "平米", "㎡", "平方"}
	}
	return []string{unit}
}

// bondIssued and bondWords say that bonds or notes were issued.
var (
	bondIssued = []string{"发了", "发行了", "发过", "已发", "发的"}
	bondWords  = []string{"债", "中票", "票据", "短融", "融资券", "债务融资工具"}
)

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

func kindIs(k matcher.Kind) func(*matcher.Fact) bool {
	return func(f *matcher.Fact) bool { return f.Kind == k }
}

func unitIs(unit string) func(*matcher.Fact) bool {
	return func(f *matcher.Fact) bool { return f.Kind == matcher.KindNumber && f.Unit == unit }
}

// boundNote says how a strict lower bound of a quantity was read.
func boundNote(f figure, text, unit string) string {
	if !f.above {
		return ""
	}
	return "按“" + text + "”作为高于" + strconv.FormatFloat(f.val.float(), 'f', -1, 64) + unit
}

// correctedMoney returns, in a correction, the earlier money fact that a
// bare figure corrects: the one whose value is nearest to it by ratio
// (说错了,是10.3亿 corrects 9.8亿 rather than 9.5亿 or 5000万), the most
// recent on a tie; "" when there is none or no values are known.
func (a *analysis) correctedMoney(y int64) string {
	if !a.correction || y <= 0 {
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
	if a.correction {
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

// revenueKeys are the current and prior revenue facts of each route.
var revenueKeys = map[string][2]string{
	"":        {"main_revenue_cny", "prior_max_revenue_cny"},
	"cluster": {"cluster_revenue_cny", "cluster_prior_max_revenue_cny"},
	"leading": {"leading_industries_revenue_cny", "leading_industries_prior_max_revenue_cny"},
}

// pendingMetric returns the metric of a pending money question.
func pendingMetric(key string) metric {
	switch key {
	case "bond_financing_cny":
		return metricBond
	case "project_productive_assets_cny":
		return metricAssets
	case "project_investment_cny":
		return metricInvestment
	}
	if pendingPeriod(key) != periodNone {
		return metricRevenue
	}
	return metricNone
}

// pendingPeriod returns the period of a pending revenue question.
func pendingPeriod(key string) period {
	for _, k := range []string{"", "cluster", "leading"} {
		switch key {
		case revenueKeys[k][0]:
			return periodCurrent
		case revenueKeys[k][1]:
			return periodPriorMax
		}
	}
	return periodNone
}

// placeRevenue decides which revenue figure is this year's and which the
// highest earlier year's. A 去年 figure is the prior year when this year's
// revenue is also known (named here, set in an earlier turn or asked for as
// prior); otherwise it is the year being assessed, the last complete year.
// Either way a note says what was assumed. Of several earlier figures the
// highest is the prior maximum. Calendar years are ranked: the latest is this
// year's unless 今年 is named too.
func (a *analysis) placeRevenue(figs []revenueFigure) {
	for _, route := range []string{"", "cluster", "leading"} {
		var own []revenueFigure
		for _, f := range figs {
			if f.route == route {
				own = append(own, f)
			}
		}
		if len(own) > 0 {
			a.placeRoute(route, own)
		}
	}
}

func (a *analysis) placeRoute(route string, figs []revenueFigure) {
	keys := revenueKeys[route]
	current, explicitPrior, earlier := -1, -1, []int(nil)
	latestYear := 0
	for i, f := range figs {
		switch f.period {
		case periodCurrent:
			current = i
		case periodPriorMax:
			explicitPrior = i
		case periodCalendar:
			latestYear = max(latestYear, f.year)
		}
	}
	for i, f := range figs {
		if f.period == periodCalendar {
			if f.year == latestYear && current < 0 && (a.ctx.Year == 0 || f.year >= a.ctx.Year) {
				figs[i].period = periodCurrent
				figs[i].cue = f.cue
				current = i
				a.note(&figs[i], keys[0])
			} else {
				figs[i].period = periodEarlier
			}
		}
	}
	known := current >= 0 || a.ctx.Pending == keys[1] || contains(a.ctx.Recent, keys[0])
	lastYear := -1
	for i, f := range figs {
		switch f.period {
		case periodLastYear:
			if !known && (lastYear < 0 || f.pos > figs[lastYear].pos) {
				lastYear = i
			}
			earlier = append(earlier, i)
		case periodEarlier:
			earlier = append(earlier, i)
		}
	}
	if current < 0 && lastYear >= 0 {
		current = lastYear
		a.note(&figs[current], keys[0])
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
			if f.guess {
				current = i
				figs[i].cue = ""
				a.note(&figs[i], keys[0])
			}
		}
	}
	if current >= 0 {
		f := figs[current]
		a.add(f.pos, Mention{Key: keys[0], Value: f.yuan, Approx: f.approx, Note: f.noteText, Text: f.text})
	}
	prior := explicitPrior
	if prior < 0 {
		for _, i := range earlier {
			if prior < 0 || figs[i].yuan > figs[prior].yuan {
				prior = i
			}
		}
		if prior >= 0 {
			a.note(&figs[prior], keys[1])
		}
	}
	if prior >= 0 {
		f := figs[prior]
		a.add(f.pos, Mention{Key: keys[1], Value: f.yuan, Approx: f.approx, Note: f.noteText, Text: f.text})
	}
}

// note records that f was taken as key by assumption:
// 按“去年9亿元”作为以前年度最高主营业务收入.
func (a *analysis) note(f *revenueFigure, key string) {
	fact, _ := a.r.cat.Lookup(key)
	if f.noteText != "" {
		return // a strict upper bound keeps its own note, which quotes its words
	}
	f.noteText = "按“" + f.cue + matcher.FormatYuan(f.yuan) + "”作为" + fact.Label
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
func (a *analysis) scanFigures() []placed {
	var figs []placed
	s := a.s
	from := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !startsNumeral(r) {
			i += size
			continue
		}
		f, ok := scanFigure(s, from, i)
		if !ok || f.end <= i {
			i += size
			continue
		}
		p := placed{figure: f}
		if f.kind == figCalendar {
			p.year = int(f.val.floor())
		}
		figs = append(figs, p)
		i, from = f.end, f.end
	}
	return figs
}

// negatedFigure reports a figure the user takes back: 不是5亿,是6亿.
func (a *analysis) negatedFigure(f figure) bool {
	before := a.s[:f.start]
	return strings.HasSuffix(before, "不是") || strings.HasSuffix(before, "并非")
}

// metricOf finds the metric cue of the figure at [start, end), looking left
// to 'left' and right to 'right': a noun nearest on the left, then a noun
// nearest on the right, then a verb the same way.
func (a *analysis) metricOf(left, start, end, right int) (metric, string, span) {
	best, at, isLeft := metricCue{}, -1, false
	consider := func(c metricCue, i int, l bool) {
		better := at < 0
		switch {
		case better:
		case c.weak != best.weak:
			better = !c.weak
		case l != isLeft:
			better = l
		case l:
			e, be := i+len(c.word), at+len(best.word)
			better = e > be || e == be && len(c.word) > len(best.word)
		default:
			better = i < at || i == at && len(c.word) > len(best.word)
		}
		if better {
			best, at, isLeft = c, i, l
		}
	}
	reach := a.attached(end)
	for _, c := range metricCues {
		if left < start {
			if i := a.lastIndex(left, start, c.word); i >= 0 {
				consider(c, i, true)
			}
		}
		if !c.leftOnly && end < right {
			if reach < right && strings.HasPrefix(a.s[reach:right], c.word) {
				consider(c, reach, false)
			}
		}
	}
	if at < 0 {
		return metricNone, "", noSpan
	}
	route := best.route
	if route == "" {
		route = a.route()
	}
	return best.metric, route, span{at, at + len(best.word)}
}

// route returns whose revenue a plain revenue figure is, from the applicant.
func (a *analysis) route() string {
	switch a.applicant {
	case "industrial_park":
		return "cluster"
	case "county":
		return "leading"
	}
	return ""
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
