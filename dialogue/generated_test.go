package dialogue

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// The generator renders every fact of the catalogue through the surface
// tables a helper wrote without reading the parser (testdata/surface), and
// reads each message back: numerals × bounds × frames (where the figure and
// its fact stand, in which period) for money; the catalogue's phrases,
// plainly and negated, for yes/no and enum facts; hedged answers to the
// pending question; units for numbers; the gazetteer for regions; several
// facts in one message. TestGenerated fails on any message misread, and
// logs the count of each dimension, which BENCHMARKS.md quotes.

// want is one fact a generated message must give. kind is "" for a plain
// value, or the bound of bounds.tsv for money and quantities.
type want struct {
	key    string
	value  any
	kind   string
	strict bool
}

// genCase is one generated message.
type genCase struct {
	dim      string
	text     string
	ctx      Context
	wants    []want
	declined string   // the fact the message says is unknown
	absent   []string // facts the message must not give
}

// generator holds the tables and the catalogue the messages come from.
type generator struct {
	r       *Reader
	cat     *matcher.Catalogue
	nums    []surfaceNumber
	bounds  []boundForm
	frames  [][]string
	hedges  [][]string
	rng     *rand.Rand
	owners  map[string][]string // cue word → facts it names (money, number)
	reserve map[string]bool     // words of no fact and of awards
}

func newGenerator(tb testing.TB) *generator {
	r := testReader(tb)
	base, err := kb.Load(kb.Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	g := &generator{r: r, cat: r.cat, nums: surfaceNumbers(tb), bounds: boundForms(tb), frames: readTSV(tb, "frames.tsv"),
		hedges: readTSV(tb, "hedges.tsv"), rng: rand.New(rand.NewPCG(1, 2)), owners: map[string][]string{}, reserve: map[string]bool{}}
	for _, w := range append(append([]string{}, base.ChatTexts().NotFacts...), base.ChatTexts().Awards...) {
		g.reserve[w] = true
	}
	for _, f := range g.cat.Facts() {
		for _, w := range append(append([]string{}, f.Cues...), f.Verbs...) {
			g.owners[w] = appendUnique(g.owners[w], seriesName(&f))
		}
	}
	return g
}

// seriesName names what a cue points at: a fact, or the series of a fact.
func seriesName(f *matcher.Fact) string {
	if f.Series != nil {
		return "series:" + f.Series.Name
	}
	return f.Key
}

// ownCues returns the cue words of f that name it alone: shared with no
// other fact or series, no word of no fact, and not inside another fact's
// cue or phrase word the message would then hold.
func (g *generator) ownCues(f *matcher.Fact) []string {
	var out []string
	for _, w := range f.Cues {
		if len(g.owners[w]) != 1 || g.reserve[w] || g.holdsOther(w, f) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// holdsOther reports whether word w holds a cue of another fact or a word
// of no fact: 投资额 holds 投资.
func (g *generator) holdsOther(w string, f *matcher.Fact) bool {
	for other, owners := range g.owners {
		if other != w && strings.Contains(w, other) && !slices.Contains(owners, seriesName(f)) {
			return true
		}
	}
	for r := range g.reserve {
		if strings.Contains(w, r) {
			return true
		}
	}
	return false
}

// amount renders a figure: usually a plain amount, at times one with bound
// words; it returns the text and what must be read.
func (g *generator) amount(i int, bounded bool) (string, surfaceNumber, boundForm) {
	n := g.nums[i%len(g.nums)]
	b := boundForm{template: "{n}", kind: "exact"}
	if bounded {
		b = g.bounds[g.rng.IntN(len(g.bounds))]
		if o, ok := boundReadings[b.template]; ok {
			b.kind, b.strict = o.kind, o.strict
		}
		// bounds.tsv: {n}多 is natural only after a unit (5亿多); after a
		// sum to the yuan (六千七百八十九元多) it says less than a yuan more,
		// which a figure in whole yuan cannot hold.
		if strings.HasPrefix(b.template, "{n}多") && strings.HasSuffix(n.text, "元") && !hasAnySuffix(n.text, "万元", "亿元", "千元", "百元", "十元") {
			b = boundForm{template: "{n}", kind: "exact"}
		}
	}
	return strings.ReplaceAll(b.template, "{n}", n.text), n, b
}

// fitsFrame reports whether a bound form reads naturally in a frame: after
// a verb of the frame (有, 是, 达到) only a form that starts with the figure,
// and before words of the frame (的营收) only one that ends with it or a
// bound word, not a particle (了, 吧).
func fitsFrame(frame, form string) bool {
	i := strings.Index(frame, "{v}")
	before, after := frame[:i], frame[i+len("{v}"):]
	if hasAnySuffix(before, "有", "是", "到", "了", "过", "在", "能", "：", ":") && !strings.HasPrefix(form, "{n}") {
		return false
	}
	if after != "" && hasAnySuffix(form, "了", "吧", "的样子", "这样", "附近") {
		return false
	}
	return true
}

// periodWords name a time, which a bound form must not bring into a frame
// that names its own.
var periodWords = []string{"以前", "之前", "从来", "从没", "今年", "去年", "历史", "往年", "一直"}

// frameFits reports whether a frame of frames.tsv suits a fact, by its note.
func frameFits(note string, f *matcher.Fact) bool {
	revenue := f.Series != nil && f.Series.Name == "revenue"
	bond := f.Series != nil && f.Series.Name == "bond"
	project := strings.HasPrefix(f.Key, "project_")
	switch {
	case strings.HasPrefix(note, "revenue or bonds"):
		return revenue || bond
	case strings.HasPrefix(note, "revenue"):
		return revenue
	case strings.HasPrefix(note, "bonds"):
		return bond
	case strings.HasPrefix(note, "project investment"):
		return f.Key == "project_investment_cny"
	case strings.HasPrefix(note, "project productive"):
		return f.Key == "project_productive_assets_cny"
	case strings.HasPrefix(note, "project"):
		return project
	case strings.HasPrefix(note, "any money fact with a year"):
		return true
	}
	return !bond || !strings.Contains(note, "only")
}

// moneyCases renders every money fact with a cue of its own through the
// frames; the frames without a cue answer the pending question.
func (g *generator) moneyCases() []genCase {
	var out []genCase
	i := 0
	for k := range g.cat.Facts() {
		f := &g.cat.Facts()[k]
		if f.Kind != matcher.KindMoney || f.Price != nil {
			continue // a price is said by its unit and period (priceCases)
		}
		// A prior fact of a series is reached by the cues of its current
		// fact and period words.
		owner := f
		if f.Series != nil && f.Series.Period == kb.PeriodPriorMax {
			cur, _ := g.cat.Lookup(g.cat.SeriesFact(f.Series.Name, kb.PeriodCurrent))
			owner = cur
		}
		cues := g.ownCues(owner)
		ctx := Context{Year: 2026}
		if owner.Series != nil && owner.Series.Applicant != "" {
			ctx.ApplicantType = owner.Series.Applicant
		}
		for _, fr := range g.frames {
			tmpl, per, note := fr[0], fr[1], fr[2]
			if !strings.Contains(tmpl, "{fact}") || strings.Contains(tmpl, "25年") && !strings.Contains(tmpl, "2025年") || !frameFits(note, owner) {
				continue
			}
			key, extra, c := g.expectKey(f, per, tmpl, ctx)
			if key == "-" {
				continue // this frame does not reach this fact of the series
			}
			for _, cue := range cues {
				i++
				text, n, b := g.amount(i, i%3 == 0)
				if b.kind != "exact" && (containsAny(b.template, periodWords) || !fitsFrame(tmpl, b.template)) {
					text, n, b = g.amount(i, false)
				}
				if containsAny(tmpl, []string{"大概", "也就", "预计"}) {
					// The frame itself makes the figure approximate; a bound
					// form of its own would say two things at once.
					text, n, b = g.amount(i, false)
					b.kind = "approx"
				}
				msg := strings.NewReplacer("{fact}", cue, "{v}", text).Replace(tmpl)
				gc := genCase{dim: "money: frames × cues × amounts", text: msg, ctx: c}
				if key == "" {
					gc.absent = []string{f.Key}
				} else {
					gc.wants = append([]want{{key: key, value: n.yuan, kind: b.kind, strict: b.strict}}, extra...)
				}
				out = append(out, gc)
			}
		}
		// Any money fact answers its own question with a bare figure.
		for j := 0; j < 12; j++ {
			i++
			text, n, b := g.amount(i, j%2 == 1)
			if f.Series != nil && containsAny(b.template, periodWords) {
				text, n, b = g.amount(i, false)
			}
			out = append(out, genCase{dim: "money: answers to the pending question", text: text, ctx: Context{Pending: f.Key, ApplicantType: applicantOf(f)},
				wants: []want{{key: f.Key, value: n.yuan, kind: b.kind, strict: b.strict}}})
		}
	}
	return out
}

func applicantOf(f *matcher.Fact) string {
	if f.Series != nil {
		return f.Series.Applicant
	}
	return ""
}

// expectKey returns the fact a frame of period per reaches for fact f ("-"
// when it reaches another fact of the series, "" when none), the facts it
// also sets, and the context to read it in.
func (g *generator) expectKey(f *matcher.Fact, per, tmpl string, ctx Context) (string, []want, Context) {
	if f.Series == nil {
		return f.Key, nil, ctx
	}
	cur := g.cat.SeriesFact(f.Series.Name, kb.PeriodCurrent)
	prior := g.cat.SeriesFact(f.Series.Name, kb.PeriodPriorMax)
	isPrior := f.Key == prior
	switch {
	case strings.Contains(tmpl, "2025年"):
		if isPrior {
			return "-", nil, ctx
		}
		return f.Key, []want{{key: "assessment_year", value: int64(2025)}}, ctx
	case per == "current" || per == "none" && !strings.HasPrefix(tmpl, "前年"):
		if isPrior {
			return "-", nil, ctx
		}
		return f.Key, nil, ctx
	case per == "last_year":
		if prior == "" {
			if isPrior {
				return "-", nil, ctx
			}
			return "", nil, ctx // a bond of last year is no fact of this year's
		}
		if !isPrior {
			return "-", nil, ctx
		}
		ctx.Recent = []string{cur}
		return f.Key, nil, ctx
	default: // prior_max, 前年
		if prior == "" {
			if isPrior {
				return "-", nil, ctx
			}
			return "", nil, ctx
		}
		if !isPrior {
			return "-", nil, ctx
		}
		return f.Key, nil, ctx
	}
}

// render joins the parts of a phrase, one word of each.
func render(parts [][]string, pick func(int, []string) string) string {
	var b strings.Builder
	for i, p := range parts {
		b.WriteString(pick(i, p))
	}
	return b.String()
}

// phraseCases states every phrase of the catalogue, and denies it.
func (g *generator) phraseCases() []genCase {
	var out []genCase
	for k := range g.cat.Facts() {
		f := &g.cat.Facts()[k]
		if f.Kind != matcher.KindBool && f.Kind != matcher.KindEnum {
			continue
		}
		ctx := Context{}
		for _, p := range f.Phrases {
			var value any = true
			if p.Value != nil {
				value = p.Value
			}
			if f.Kind == matcher.KindEnum && p.Value == nil {
				continue // the level is read around the phrase; asked when unsaid
			}
			// Each word of each part once, the other parts at their first word.
			for part := range p.Say {
				for _, w := range p.Say[part] {
					said := render(p.Say, func(i int, alts []string) string {
						if i == part {
							return w
						}
						return alts[0]
					})
					lead, tail := "我们", ""
					if p.Deed {
						lead, tail = "我们已经", "了"
					}
					out = append(out, genCase{dim: "phrases: stated", text: lead + said + tail, ctx: ctx, wants: []want{{key: f.Key, value: value}}})
					if denies(strings.Join(p.Say[0], " ")) || value == false && p.Negated == nil {
						continue
					}
					neg := genCase{dim: "phrases: denied", text: "我们没有" + said, ctx: ctx}
					if p.Deed {
						neg.text = "我们还没有" + said
					}
					if p.Negated != nil {
						neg.wants = []want{{key: f.Key, value: p.Negated}}
					} else {
						neg.absent = []string{f.Key}
					}
					out = append(out, neg)
				}
			}
		}
	}
	return out
}

// answerCases answers every yes/no and enum question: with the replies of
// hedges.tsv, and with the words of the options.
func (g *generator) answerCases() []genCase {
	var out []genCase
	for k := range g.cat.Facts() {
		f := &g.cat.Facts()[k]
		switch f.Kind {
		case matcher.KindBool:
			for j, h := range g.hedges {
				if j%4 != k%4 {
					continue // a quarter of the replies for each fact
				}
				if _, odd := hedgeReadings[h[0]]; odd {
					continue
				}
				gc := genCase{dim: "answers: hedged yes/no", text: h[0], ctx: Context{Pending: f.Key}}
				switch h[1] {
				case "yes":
					gc.wants = []want{{key: f.Key, value: true}}
				case "no":
					gc.wants = []want{{key: f.Key, value: false}}
				default:
					gc.declined = f.Key
				}
				out = append(out, gc)
			}
		case matcher.KindEnum:
			for _, o := range f.Options {
				for _, w := range append([]string{o.Label}, o.Say...) {
					if f.Identity || ambiguousOption(f, w) {
						continue
					}
					out = append(out, genCase{dim: "answers: enum options", text: w, ctx: Context{Pending: f.Key}, wants: []want{{key: f.Key, value: o.Value}}})
				}
			}
		}
	}
	return out
}

// ambiguousOption reports a word of an option that holds, or is held by, a
// word of another option: 中型 and 大中型.
func ambiguousOption(f *matcher.Fact, w string) bool {
	n := 0
	for _, o := range f.Options {
		for _, x := range append([]string{o.Label}, o.Say...) {
			if x != w && (strings.Contains(x, w) || strings.Contains(w, x)) {
				n++
			}
		}
	}
	return n > 0
}

// numberPeriods are the words that name the period of a number fact of a
// series: this year's is also said with no year.
var numberPeriods = map[string][]string{kb.PeriodCurrent: {"", "今年"}, kb.PeriodPriorYear: {"去年"}, kb.PeriodPriorMax: {"以前最高"}}

// numberCases states every number fact by its cues and unit, in the year
// of its period when it is of a series; people also in 名, 位 and 个; by
// its verbs with a cue of its own or one it shares (申请了3件发明专利); and
// answers its question.
func (g *generator) numberCases() []genCase {
	var out []genCase
	counts := []string{"3", "12", "500", "1200", "2.5", "八", "十五", "两千"}
	values := []float64{3, 12, 500, 1200, 2.5, 8, 15, 2000}
	for k := range g.cat.Facts() {
		f := &g.cat.Facts()[k]
		if f.Kind != matcher.KindNumber {
			continue
		}
		periods := []string{""}
		if f.Series != nil {
			periods = numberPeriods[f.Series.Period]
		}
		if f.Ordinal {
			// 认定后第三年, 认定当年: which one of its unit, never a count.
			for i, c := range counts {
				if values[i] < f.Min || values[i] > f.Max || values[i] != math.Trunc(values[i]) {
					continue
				}
				out = append(out, genCase{dim: "numbers: ordinals", text: "今年是第" + c + f.Unit, ctx: Context{Pending: f.Key},
					wants: []want{{key: f.Key, value: values[i]}}})
				for _, cue := range g.quantityCues(f, true) {
					out = append(out, genCase{dim: "numbers: ordinals", text: cue + "第" + c + f.Unit, ctx: Context{},
						wants: []want{{key: f.Key, value: values[i]}}})
				}
			}
			for _, cue := range g.quantityCues(f, true) {
				out = append(out, genCase{dim: "numbers: ordinals", text: "今年是" + cue + "当" + f.Unit, ctx: Context{},
					wants: []want{{key: f.Key, value: 1.0}}})
			}
			continue
		}
		for i, c := range counts {
			if values[i] < f.Min || values[i] > f.Max {
				continue
			}
			out = append(out, genCase{dim: "numbers: answers with the unit", text: c + f.Unit, ctx: Context{Pending: f.Key},
				wants: []want{{key: f.Key, value: values[i]}}})
			for _, cue := range g.quantityCues(f, true) {
				for _, p := range periods {
					out = append(out, genCase{dim: "numbers: cue and unit", text: p + cue + c + f.Unit, ctx: Context{},
						wants: []want{{key: f.Key, value: values[i]}}})
				}
			}
			if f.Unit == "人" && values[i] == float64(int(values[i])) {
				// People are counted in 名, 位 and 个 too, after their noun or
				// before it.
				for _, cue := range g.quantityCues(f, true) {
					for _, m := range []string{"名", "位", "个"} {
						for _, text := range []string{cue + c + m, c + m + cue} {
							out = append(out, genCase{dim: "numbers: people in 名, 位, 个", text: text, ctx: Context{},
								wants: []want{{key: f.Key, value: values[i]}}})
						}
					}
				}
			}
			for _, v := range g.quantityVerbs(f) {
				for _, cue := range g.quantityCues(f, false) {
					if strings.Contains(cue, v) {
						continue
					}
					for _, p := range periods {
						for _, text := range []string{"我们" + p + v + "了" + c + f.Unit + cue, cue + p + v + "了" + c + f.Unit} {
							out = append(out, genCase{dim: "numbers: verb, count and cue", text: text, ctx: Context{},
								wants: []want{{key: f.Key, value: values[i]}}})
						}
					}
				}
			}
		}
	}
	return out
}

// quantity returns the facts that measure what f does: f, or its series.
func (g *generator) quantity(f *matcher.Fact) []*matcher.Fact {
	if f.Series == nil {
		return []*matcher.Fact{f}
	}
	var out []*matcher.Fact
	for i := range g.cat.Facts() {
		if o := &g.cat.Facts()[i]; o.Series != nil && o.Series.Name == f.Series.Name {
			out = append(out, o)
		}
	}
	return out
}

// quantityCues returns the cues of f or of its series: those that name it
// alone when own, else every one that names it among others (发明专利).
func (g *generator) quantityCues(f *matcher.Fact, own bool) []string {
	var out []string
	for _, o := range g.quantity(f) {
		if own {
			out = appendUnique(out, g.ownCues(o)...)
			continue
		}
		for _, w := range o.Cues {
			if !g.reserve[w] {
				out = appendUnique(out, w)
			}
		}
	}
	return out
}

// quantityVerbs returns the verbs of f or of its series that name it alone.
func (g *generator) quantityVerbs(f *matcher.Fact) []string {
	var out []string
	for _, o := range g.quantity(f) {
		for _, v := range o.Verbs {
			if len(g.owners[v]) == 1 && !g.reserve[v] {
				out = appendUnique(out, v)
			}
		}
	}
	return out
}

// regionCases names every tenth county of the country whose name is its own.
func (g *generator) regionCases() []genCase {
	var out []genCase
	gz := g.cat.Gazetteer()
	for i, d := range gz.List(gz.Country(), gazetteer.County) {
		if i%10 != 0 {
			continue
		}
		name := matcher.RegionName(gz, d)
		if len(gz.Find(name)) != 1 || len(gz.Find(name)[0].Divisions) != 1 {
			continue
		}
		out = append(out, genCase{dim: "regions: the gazetteer", text: "我们公司在" + name, ctx: Context{},
			wants: []want{{key: "region", value: name}, {key: "applicant_type", value: "enterprise"}}})
	}
	return out
}

// textCases names the applicant and gives its credit code.
func (g *generator) textCases() []genCase {
	var out []genCase
	for i, n := range []string{"赣州市宏达家具有限公司", "南康区恒信电子科技有限公司", "广州南沙某某智能装备股份有限公司", "六合区金源生物医药有限公司"} {
		out = append(out, genCase{dim: "text: names and codes", text: "公司名称是" + n, wants: []want{{key: "name", value: n}}})
		code := creditCode(fmt.Sprintf("91360%03d", 700+i) + "MA35B7X2C")
		out = append(out, genCase{dim: "text: names and codes", text: "统一社会信用代码:" + code, wants: []want{{key: "credit_code", value: code}}})
	}
	out = append(out, genCase{dim: "text: names and codes", text: "2024年", ctx: Context{Pending: "assessment_year"}, wants: []want{{key: "assessment_year", value: int64(2024)}}})
	return out
}

// priceCases state a price per unit and month (每平方米每月45元) in the
// ways rents are said, and a price without its period, which gives none.
func (g *generator) priceCases() []genCase {
	var out []genCase
	frames := []string{"实际租金每平方米每月{n}元", "租金{n}元/平方米/月", "每平米每月付{n}块", "每月每平方米租金{n}元", "场租是每个月每平方{n}元", "月租金每平米{n}元"}
	for _, f := range g.cat.Facts() {
		if f.Price == nil || f.Price.Per != "平方米" || f.Price.Period != "month" {
			continue
		}
		for i, fr := range frames {
			for _, n := range []int64{18, 45, 60, 120} {
				text := strings.ReplaceAll(fr, "{n}", strconv.FormatInt(n+int64(i), 10))
				out = append(out, genCase{dim: "money: prices per unit and month", text: text, wants: []want{{key: f.Key, value: n + int64(i)}}})
			}
		}
		for _, a := range []string{"45元", "45块", "每平米每月45元"} {
			out = append(out, genCase{dim: "money: prices per unit and month", text: a, ctx: Context{Pending: f.Key}, wants: []want{{key: f.Key, value: int64(45)}}})
		}
		out = append(out, genCase{dim: "money: prices per unit and month", text: "租金每平米60块", absent: []string{f.Key}},
			genCase{dim: "money: prices per unit and month", text: "实际支付了60万租金", absent: []string{f.Key}})
	}
	return out
}

// creditCode completes the first 17 characters of a 统一社会信用代码 with its
// check character (GB 32100-2015).
func creditCode(head string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(chars, head[i]) * weights[i]
	}
	return head + string(chars[(31-sum%31)%31])
}

// severalCases joins two or three stated facts of different kinds in one
// message, in any order.
func (g *generator) severalCases(pool []genCase) []genCase {
	var out []genCase
	seps := []string{",", "，", " ", ";", "。"}
	var usable []genCase
	for _, c := range pool {
		if len(c.wants) > 0 && c.declined == "" && len(c.absent) == 0 && c.ctx.Pending == "" && len(c.ctx.Recent) == 0 &&
			c.ctx.ApplicantType == "" && !strings.HasSuffix(c.text, "吧") {
			usable = append(usable, c)
		}
	}
	for i := 0; i < 2500; i++ {
		n := 2 + g.rng.IntN(2)
		var parts []string
		var wants []want
		seen := map[string]bool{}
		for len(parts) < n {
			c := usable[g.rng.IntN(len(usable))]
			clash := false
			// Facts one part states must not be named by another: 高企 in one
			// and 国高企认定 in the other would make two readings of a fact.
			for _, w := range wants {
				if g.named(w.key, c.text) {
					clash = true
				}
			}
			for _, w := range c.wants {
				for _, p := range parts {
					if g.named(w.key, p) {
						clash = true
					}
				}
			}
			for _, w := range c.wants {
				f, _ := g.cat.Lookup(w.key)
				if seen[w.key] || seen[seriesName(f)] {
					clash = true
				}
			}
			// One speaker is one applicant: 我们新型研发机构 has no trait
			// only an enterprise has.
			if g.speaksAsOther(c.text) && slices.ContainsFunc(wants, g.enterpriseOnly) ||
				slices.ContainsFunc(parts, g.speaksAsOther) && slices.ContainsFunc(c.wants, g.enterpriseOnly) {
				clash = true
			}
			if clash {
				continue
			}
			for _, w := range c.wants {
				f, _ := g.cat.Lookup(w.key)
				seen[w.key], seen[seriesName(f)] = true, true
			}
			parts = append(parts, c.text)
			wants = append(wants, c.wants...)
		}
		sep := seps[g.rng.IntN(len(seps))]
		for _, p := range parts[1:] {
			if r, _ := utf8.DecodeRuneInString(normalize(p)); sep == " " && startsNumeral(r) {
				sep = "," // a space before a figure would join it to the words before
			}
		}
		out = append(out, genCase{dim: "several facts in one message", text: strings.Join(parts, sep),
			ctx: Context{Year: 2026}, wants: wants})
	}
	return out
}

// speaksAsOther reports whether text names its speaker as an applicant
// other than an enterprise (我们国际组织代表机构), or, speaking of its own,
// a person (我们招进来的博士后), by a plain search.
func (g *generator) speaksAsOther(text string) bool {
	f, _ := g.cat.Lookup("applicant_type")
	for _, o := range f.Options {
		if o.Value == "enterprise" {
			continue
		}
		for _, w := range o.Say {
			if strings.Contains(text, "我们"+w) || strings.Contains(text, "咱们"+w) || o.Person && strings.HasPrefix(text, "我") && strings.Contains(text, w) {
				return true
			}
		}
	}
	return false
}

// enterpriseOnly reports whether w is of a trait only an enterprise has.
func (g *generator) enterpriseOnly(w want) bool {
	f, ok := g.cat.Lookup(w.key)
	return ok && f.EnterpriseOnly
}

// named reports whether text holds the words of fact key, by a plain search
// independent of the parser: every part of one of its phrases, a word of
// one of its options, one of its cues, a place name for the region, an
// industry's word.
func (g *generator) named(key, text string) bool {
	f, ok := g.cat.Lookup(key)
	if !ok {
		return false
	}
	switch f.Kind {
	case matcher.KindRegion:
		return len(g.cat.Gazetteer().Find(text)) > 0
	case matcher.KindText, matcher.KindYear:
		return false
	}
	for _, m := range g.cat.Facts() {
		// An option said as made states the fact of making (家具厂: 工业企业).
		if m.Making != nil && (m.Key == key || m.Making.Fact == key) {
			for _, o := range m.Options {
				if containsAny(text, o.Say) {
					return true
				}
			}
		}
	}
	for _, p := range f.Phrases {
		all := true
		for _, part := range p.Say {
			all = all && containsAny(text, part)
		}
		if all {
			return true
		}
	}
	for _, o := range f.Options {
		for _, w := range o.Say {
			if len([]rune(w)) > 1 && strings.Contains(text, w) {
				return true
			}
		}
	}
	return containsAny(text, f.Cues)
}

// check returns what is wrong with the reading of c, or "".
func (g *generator) check(c genCase) string {
	u := g.r.Understand(c.text, c.ctx)
	got := map[string]Mention{}
	for _, m := range u.Mentions {
		got[m.Key] = m
	}
	var problems []string
	for _, w := range c.wants {
		m, ok := got[w.key]
		switch {
		case !ok:
			problems = append(problems, "no "+w.key)
		case w.kind != "":
			y, _ := w.value.(int64)
			if !rangeFits(m, y, w.kind, w.strict) {
				problems = append(problems, fmt.Sprintf("%s: want %d %s strict=%v", w.key, y, w.kind, w.strict))
			}
		case !sameValue(m.Value, w.value):
			problems = append(problems, fmt.Sprintf("%s = %v, want %v", w.key, m.Value, w.value))
		}
		delete(got, w.key)
	}
	for _, k := range c.absent {
		if _, ok := got[k]; ok {
			problems = append(problems, "unwanted "+k)
		}
	}
	for k := range got {
		if k == "applicant_type" && got[k].Value == "enterprise" {
			continue // 我们 speaks as an enterprise, which it may say
		}
		if g.named(k, c.text) {
			continue // the message holds words of that fact too: 高企 is two documents' fact
		}
		if !slices.Contains(c.absent, k) {
			problems = append(problems, "extra "+k+"="+fmtValue(got[k].Value))
		}
	}
	if c.declined != "" && !contains(u.Declined, c.declined) {
		problems = append(problems, "not declined "+c.declined)
	}
	if len(problems) == 0 {
		return ""
	}
	return strings.Join(problems, "; ") + " " + mentionsString(u.Mentions)
}

func (g *generator) all() []genCase {
	var cases []genCase
	cases = append(cases, g.moneyCases()...)
	cases = append(cases, g.phraseCases()...)
	cases = append(cases, g.answerCases()...)
	cases = append(cases, g.numberCases()...)
	cases = append(cases, g.regionCases()...)
	cases = append(cases, g.textCases()...)
	cases = append(cases, g.priceCases()...)
	cases = append(cases, g.severalCases(cases)...)
	return cases
}

// TestGenerated reads back every generated message, and checks that every
// fact of the catalogue was rendered.
func TestGenerated(t *testing.T) {
	g := newGenerator(t)
	cases := g.all()
	counts := map[string]int{}
	covered := map[string]bool{}
	failures := map[string]int{}
	for _, c := range cases {
		counts[c.dim]++
		for _, w := range c.wants {
			covered[w.key] = true
		}
		if c.declined != "" {
			covered[c.declined] = true
		}
		if p := g.check(c); p != "" {
			failures[c.dim]++
			if failures[c.dim] <= 15 {
				t.Errorf("%s: %q (%+v): %s", c.dim, c.text, c.ctx, p)
			}
		}
	}
	for _, f := range g.cat.Facts() {
		if !covered[f.Key] {
			t.Errorf("fact %s: no generated message gives it", f.Key)
		}
	}
	dims := make([]string, 0, len(counts))
	for d := range counts {
		dims = append(dims, d)
	}
	sort.Strings(dims)
	for _, d := range dims {
		t.Logf("%-45s %6d messages, %d misread", d, counts[d], failures[d])
	}
	t.Logf("%-45s %6d messages over %d facts", "total", len(cases), len(covered))
	if len(cases) < 10000 {
		t.Errorf("generated %d messages; want at least 10,000", len(cases))
	}
}
