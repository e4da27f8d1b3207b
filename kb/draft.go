package kb

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The grammar of granting clauses, run on folded text (see normalize).
var (
	// grantRE is a verb or noun of granting money.
	grantRE = regexp.MustCompile(`给予|奖励|资助|补贴|补助|配套|扶持|支持|奖`)
	// awardNounRE follows a sum that is granted: 50万元落户奖励, 15万元资金支持.
	awardNounRE = regexp.MustCompile(`^的?[^,、;:()]{0,8}?(奖励|资助|补贴|补助|扶持|支持|配套|经费|费用)`)
	// ceilingRE ends the words before a ceiling: 最高, 不超过, 每年最高不超过.
	ceilingRE = regexp.MustCompile(`(最高|不超过|不高于|最多|上限为?|封顶)[^,、;:]{0,8}$`)
	// exceedRE and reachRE end the words before a lower bound that excludes
	// or includes its figure (contract.md: 超过 excludes, 以上 includes).
	exceedRE = regexp.MustCompile(`(超过|超|突破|高于|大于)$`)
	reachRE  = regexp.MustCompile(`(达到|不低于|不少于|满)$`)
	// belowRE ends the words before an upper bound that excludes its figure.
	belowRE = regexp.MustCompile(`(不满|低于|少于|不足|未满)$`)
	// floorRE ends the words before a floor of a rate: 不低于10%.
	floorRE = regexp.MustCompile(`(不低于|不少于|至少)[^,、;:]{0,8}$`)
	// perRE ends the words before a sum per unit counted: 每人8万元,
	// 每平方米800元; 每家 and 每个机构 name the applicant, so give a fixed sum.
	perRE = regexp.MustCompile(`每(人|名|平方米|亩|件)[^,、;:]{0,8}$`)
	// slashRE follows a sum per unit counted: 20万元/家, 100元/亩.
	slashRE = regexp.MustCompile(`^/(家|亩|件|人|平方米|个)`)
	// yearsRE ends the words before a number of years a sum is granted for.
	yearsRE = regexp.MustCompile(`(连续|期限为|累计|给予)$`)
	// unstatedRE is a grant without a figure.
	unstatedRE = regexp.MustCompile(`给予一定[^,;]*|一定额度的[^,;]*|实行“?一事一议”?|一企一策|研究确定|给予更大扶持力度|给予配套奖励|给予一次性奖励|给予资金支持|给予奖励`)
	// baseRE is the base of a rate: 按其…实际获得收入的5%.
	baseRE = regexp.MustCompile(`按(?:照)?(?:其)?([^,;]{1,40}?)的?$`)
	// levelRE names the level of a recognition, the options of a table.
	levelRE = regexp.MustCompile(`国家级|省级|市级|区级|县级|国家|省|市`)
)

// levelOption is the proposed enum value of a level word.
var levelOption = map[string]string{
	"国家级": "national", "国家": "national", "省级": "provincial", "省": "provincial",
	"市级": "municipal", "市": "municipal", "区级": "district", "县级": "county",
}

// applicantWords map the words naming who applies to applicant types,
// longest first, so that 新型研发机构 is read before 机构 words and
// 知识产权服务机构 before 服务.
var applicantWords = []struct{ word, kind string }{
	{"知识产权服务机构", "service_institution"}, {"检验检测", "service_institution"},
	{"新型研发机构", "research_institution"}, {"研发机构", "research_institution"}, {"科研机构", "research_institution"},
	{"创业投资基金", "investment_fund"}, {"创投基金", "investment_fund"},
	{"孵化器", "incubator"}, {"众创空间", "incubator"},
	{"中介组织", "talent_agency"},
	{"协会", "social_organization"}, {"联盟", "social_organization"}, {"促进会", "social_organization"},
	{"人才", "talent"}, {"个人", "talent"}, {"专家", "talent"}, {"人员", "talent"},
	{"企业", "enterprise"}, {"公司", "enterprise"},
}

// role is what a figure does in its sentence.
type role int

const (
	roleContext   role = iota // a figure whose part the grammar does not know
	roleAward                 // a sum granted: 给予50万元
	roleRate                  // a rate of a base: 按…的5%
	rolePerUnit               // a sum per unit counted: 20万元/家
	roleCeiling               // 最高500万元
	roleFloor                 // 不低于10%
	roleThreshold             // a condition: 5000万元以上, 超过500吨标煤
	roleYears                 // 连续3年
	roleRangeLo               // 10万元— of 10万元—100万元
	roleRangeHi
)

// reading is one figure of a clause with what it does.
type reading struct {
	fig  Figure
	role role
	// cmp is how a threshold compares: >=, >, <=, <; "" when the words do
	// not say. For a range's ends it is set only by (含) or (不含).
	cmp   string
	param string // the parameter's name, once written
}

// draft writes the draft rules of one document.
type draft struct {
	params   strings.Builder
	benefits strings.Builder
	names    map[string]bool
	docID    string
	gaps     int
}

// WriteDraft writes a draft rules.yaml for the document of s: for each
// clause that grants money, a benefit with the amount kind its wording
// reads as, every figure a parameter quoting its clause, thresholds read
// per contract.md, and what the grammar cannot express left as marked gaps
// (when: "TODO", # 待补:, TODO_fact_ keys) for the officer to fill. Nothing
// is guessed: a gap is safer than a wrong rule, which is also why the draft
// does not load until its gaps are filled.
func WriteDraft(w io.Writer, s *Skeleton) error {
	d := &draft{names: map[string]bool{}, docID: s.DocID}
	for i := range s.Document.Clauses {
		d.clause(i+1, &s.Document.Clauses[i])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Draft rules of %s, read from its text by policybot kb ingest --draft.\n", orUnnamed(s.DocID))
	b.WriteString("# It does not load until every TODO is filled: each when: \"TODO\" needs an\n")
	b.WriteString("# expression, each TODO_fact_ key a fact declared in facts.yaml, and each\n")
	b.WriteString("# # 待补: comment a decision. Check every figure against its quote.\n")
	fmt.Fprintf(&b, "# Gaps: %d.\n", d.gaps)
	fmt.Fprintf(&b, "doc_no: %s\n\nparameters:\n", yamlQuote(s.Document.DocNo))
	b.WriteString(d.params.String())
	b.WriteString("\nbenefits:\n")
	b.WriteString(d.benefits.String())
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("kb: write draft: %w", err)
	}
	return nil
}

func orUnnamed(id string) string {
	if id == "" {
		return "an unnamed document"
	}
	return id
}

// sentence is a sentence of a clause, cut at 。, ; and line breaks, where the
// grammar reads one grant or one band.
type sentence struct {
	start, end int // in the folded text
	readings   []*reading
}

// clause drafts the benefits of clause number k.
func (d *draft) clause(k int, c *Clause) {
	norm, off := normalize(c.Text)
	quote := func(a, b int) string { return c.Text[off[a]:off[b]] }
	var sents []*sentence
	start := 0
	for i := 0; i <= len(norm); {
		r, size := utf8.DecodeRuneInString(norm[i:])
		if i == len(norm) || r == '。' || r == ';' || r == '\n' {
			if i > start {
				sents = append(sents, &sentence{start: start, end: i})
			}
			start = i + max(size, 1)
		}
		i += max(size, 1)
	}
	for _, st := range sents {
		st.readings = readSentence(norm, st.start, st.end)
	}
	cd := &clauseDraft{d: d, k: k, c: c, norm: norm, quote: quote}
	cd.draft(sents)
}

// readSentence reads the figures of norm[start:end] and what each does.
func readSentence(norm string, start, end int) []*reading {
	var rs []*reading
	s := norm[start:end]
	figs := FindFigures(s)
	for i, f := range figs {
		f.Start += start
		f.End += start
		pre, post := norm[start:f.Start], norm[f.End:end]
		r := &reading{fig: f}
		switch {
		case strings.HasPrefix(post, "(含"):
			r.cmp = "in"
		case strings.HasPrefix(post, "(不含"):
			r.cmp = "out"
		}
		lo := i+1 < len(figs) && isRangeDash(norm[f.End:figs[i+1].Start+start])
		hi := i > 0 && isRangeDash(norm[figs[i-1].End+start:f.Start])
		grants := grantRE.MatchString(pre) || awardNounRE.MatchString(post)
		switch {
		case lo:
			r.role = roleRangeLo
		case hi:
			r.role = roleRangeHi
		case f.Unit == FigureYuan && (slashRE.MatchString(post) || perRE.MatchString(pre)):
			r.role = rolePerUnit
		case f.Unit != FigureNumber && floorRE.MatchString(pre) && f.Unit != FigureYuan:
			r.role = roleFloor
		case f.Unit != FigureNumber && ceilingRE.MatchString(pre) && grantsBefore(pre, post):
			r.role = roleCeiling
		case f.Measure == "年" && yearsRE.MatchString(pre):
			r.role = roleYears
		case lowerBound(pre, post, r) || upperBound(pre, post, r):
			r.role = roleThreshold
		case f.Unit == FigurePercent || f.Unit == FigurePerMille:
			r.role = roleRate
		case f.Unit == FigureYuan && grants:
			r.role = roleAward
		}
		rs = append(rs, r)
	}
	return rs
}

// grantsBefore reports whether a ceiling bounds a grant: the sentence grants
// before it or right after it (给予最高200万元的一次性资助), rather than bounding
// a condition (建设期一般不超过5年).
func grantsBefore(pre, post string) bool {
	return grantRE.MatchString(pre) || awardNounRE.MatchString(post)
}

// lowerBound reads a lower bound (以上, 超过, 达到, 不低于) into r.cmp, (含) or
// (不含) winning.
func lowerBound(pre, post string, r *reading) bool {
	op := ""
	switch {
	case strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(post, "(含)"), "及"), "以上"):
		op = ">="
	case exceedRE.MatchString(pre) && !strings.HasSuffix(pre, "不超过"):
		op = ">"
	case reachRE.MatchString(pre) && !strings.HasSuffix(pre, "不满"):
		op = ">="
	default:
		return false
	}
	r.cmp = withMarker(op, r.cmp)
	return true
}

// upperBound reads an upper bound (以下, 以内, 不满, 低于) into r.cmp.
func upperBound(pre, post string, r *reading) bool {
	op := ""
	switch {
	case strings.HasPrefix(post, "以下"), strings.HasPrefix(post, "以内"):
		op = "<="
	case belowRE.MatchString(pre):
		op = "<"
	case strings.HasSuffix(pre, "不超过"):
		op = "<="
	default:
		return false
	}
	r.cmp = withMarker(op, r.cmp)
	return true
}

// withMarker applies (含) ("in") or (不含) ("out") to a comparison.
func withMarker(op, marker string) string {
	switch marker {
	case "in":
		return op[:1] + "="
	case "out":
		return op[:1]
	}
	return op
}

func isRangeDash(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "(含)"), "(不含)")
	for _, d := range rangeDash {
		if s == d {
			return true
		}
	}
	return false
}

// clauseDraft drafts the benefits of one clause.
type clauseDraft struct {
	d     *draft
	k     int
	c     *Clause
	norm  string
	quote func(a, b int) string
	n     int // benefits written
	// pending are thresholds of sentences that grant nothing, for the next
	// benefit of the clause.
	pending []*reading
}

// benefit is a draft benefit being written.
type benefit struct {
	sent     *sentence
	amount   []string // YAML lines under amount:, indented by six spaces
	conds    []*reading
	comments []string
}

func (cd *clauseDraft) draft(sents []*sentence) {
	for i := 0; i < len(sents); i++ {
		if n := cd.bands(sents[i:]); n > 0 {
			i += n - 1
			continue
		}
		cd.sentence(sents[i])
	}
}

// bandish returns the bound readings and the value of a sentence that is one
// band: a threshold or range, then one sum granted or rate per unit.
func bandish(st *sentence) (bounds []*reading, value *reading) {
	for _, r := range st.readings {
		switch r.role {
		case roleThreshold, roleRangeLo, roleRangeHi:
			if value != nil || r.role == roleThreshold && r.cmp[0] != '>' {
				return nil, nil
			}
			bounds = append(bounds, r)
		case roleAward, rolePerUnit:
			if value != nil {
				return nil, nil
			}
			value = r
		case roleContext:
		default:
			return nil, nil
		}
	}
	if len(bounds) == 0 || value == nil {
		return nil, nil
	}
	return bounds, value
}

// bands drafts a run of two or more sentences that are bands of one figure
// (500万(含)至5000万元的，奖励300万元；5000万元(含)至1亿元的…) and returns how
// many it took; 0 if sents does not start with one.
func (cd *clauseDraft) bands(sents []*sentence) int {
	type band struct {
		lo, hi, value *reading
	}
	var bs []band
	for _, st := range sents {
		bounds, value := bandish(st)
		if value == nil || len(bs) > 0 && (!sameKind(bounds[0].fig, bs[0].lo.fig) || value.role != bs[0].value.role) {
			break
		}
		b := band{lo: bounds[0], value: value}
		if len(bounds) > 1 {
			b.hi = bounds[1]
		}
		bs = append(bs, b)
	}
	if len(bs) < 2 {
		return 0
	}
	first := &benefit{sent: sents[0]}
	for _, b := range bs {
		cd.param(b.lo, "from", sents[0])
		cd.param(b.value, "award", sents[0])
	}
	var lines []string
	for i, b := range bs {
		line := fmt.Sprintf("{from: %s", b.lo.param)
		if inc, ok := included(b.lo); ok {
			line += fmt.Sprintf(", from_included: %t", inc)
		} else {
			first.comments = append(first.comments, fmt.Sprintf("待补: %s 是否含本数,条文未写明(from_included)", cd.figText(b.lo)))
		}
		if b.hi != nil {
			to := b.hi
			if i+1 < len(bs) && bs[i+1].lo.fig.Value == b.hi.fig.Value {
				to = bs[i+1].lo
			} else {
				cd.param(b.hi, "to", sents[0])
			}
			line += ", to: " + to.param
			inc, ok := included(b.hi)
			if !ok && to != b.hi {
				// The next band's (含) claims the figure, so this band leaves it.
				if next, known := included(to); known {
					inc, ok = !next, true
				}
			}
			if ok {
				line += fmt.Sprintf(", to_included: %t", inc)
			} else {
				first.comments = append(first.comments, fmt.Sprintf("待补: %s 是否含本数,条文未写明(to_included)", cd.figText(b.hi)))
			}
		}
		key := "award"
		if b.value.role == rolePerUnit {
			key = "rate"
		}
		lines = append(lines, line+fmt.Sprintf(", %s: %s}", key, b.value.param))
	}
	fact := cd.fact("figure")
	first.comments = append(first.comments, fmt.Sprintf("待补: 声明分档所依的事实 %s(%s)", fact, kindOf(bs[0].lo.fig)))
	if bs[0].value.role == rolePerUnit {
		first.amount = append(first.amount, "per_unit:", "  count: "+fact, "  bands:")
	} else {
		first.amount = append(first.amount, "bands:", "  by: "+fact, "  values:")
	}
	for _, l := range lines {
		first.amount = append(first.amount, "    - "+l)
	}
	cd.write(first)
	return len(bs)
}

// included says whether a band's bound includes its figure, and whether the
// words say so.
func included(r *reading) (bool, bool) {
	switch r.cmp {
	case "in", ">=", "<=":
		return true, true
	case "out", ">", "<":
		return false, true
	}
	return false, false
}

func sameKind(a, b Figure) bool { return a.Unit == b.Unit && a.Measure == b.Measure }

// sentence drafts the benefits of one sentence that is not part of bands.
func (cd *clauseDraft) sentence(st *sentence) {
	var bens []*benefit
	var thresholds, contexts []*reading
	var years *reading
	var last *benefit // the benefit a ceiling bounds
	text := cd.norm[st.start:st.end]
	rs := st.readings
	if awards := ofRole(rs, roleAward); len(awards) >= 2 && strings.Contains(text, "分别") {
		bens = append(bens, cd.table(st, awards))
		rs = without(rs, awards)
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r.role {
		case roleAward:
			cd.param(r, "award", st)
			last = &benefit{sent: st, amount: []string{"fixed: " + r.param}}
			bens = append(bens, last)
		case roleRate:
			cd.param(r, "rate", st)
			base := cd.fact("base")
			key := string(r.fig.Unit)
			last = &benefit{sent: st, amount: []string{fmt.Sprintf("rate: {base: %s, %s: %s}", base, key, r.param)}}
			last.comments = append(last.comments, fmt.Sprintf("待补: 声明比例的基数 %s(money)%s", base, cd.baseWords(r)))
			bens = append(bens, last)
		case rolePerUnit:
			cd.param(r, "per_unit", st)
			count := cd.fact("count")
			last = &benefit{sent: st, amount: []string{fmt.Sprintf("per_unit: {count: %s, rate: %s}", count, r.param)}}
			last.comments = append(last.comments, fmt.Sprintf("待补: 声明计数的事实 %s(number),即“%s”所计的单位", count, cd.figText(r)))
			bens = append(bens, last)
		case roleCeiling:
			cd.param(r, "max", st)
			if last != nil && !strings.Contains(strings.Join(last.amount, ""), "max:") && !strings.HasPrefix(last.amount[0], "fixed") && !strings.HasPrefix(last.amount[0], "table") {
				last.amount[0] = strings.TrimSuffix(last.amount[0], "}") + ", max: " + r.param + "}"
				continue
			}
			if last != nil {
				last.comments = append(last.comments, fmt.Sprintf("待补: 另一上限 %s 限制的是什么(每年、每项、合计)", r.param))
				continue
			}
			last = &benefit{sent: st, amount: []string{fmt.Sprintf("bound: {max: %s}", r.param), "decided_by: TODO"}}
			last.comments = append(last.comments, "待补: 条文只写上限,由谁确定金额(decided_by)")
			bens = append(bens, last)
		case roleFloor:
			cd.param(r, "min", st)
			base := cd.fact("base")
			last = &benefit{sent: st, amount: []string{fmt.Sprintf("bound: {base: %s, min_rate: %s}", base, r.param), "decided_by: TODO"}}
			last.comments = append(last.comments, fmt.Sprintf("待补: 声明比例的基数 %s(money)%s;由谁确定金额(decided_by)", base, cd.baseWords(r)))
			bens = append(bens, last)
		case roleRangeLo:
			if i+1 >= len(rs) || rs[i+1].role != roleRangeHi {
				contexts = append(contexts, r)
				continue
			}
			hi := rs[i+1]
			i++
			cd.param(r, "min", st)
			cd.param(hi, "max", st)
			if r.fig.Unit == FigureYuan {
				last = &benefit{sent: st, amount: []string{fmt.Sprintf("bound: {min: %s, max: %s}", r.param, hi.param), "decided_by: TODO"}}
				last.comments = append(last.comments, "待补: 条文只写范围,由谁确定金额(decided_by)")
			} else if r.fig.Unit != FigureNumber {
				base := cd.fact("base")
				last = &benefit{sent: st, amount: []string{fmt.Sprintf("bound: {base: %s, min_rate: %s, max_rate: %s}", base, r.param, hi.param), "decided_by: TODO"}}
				last.comments = append(last.comments, fmt.Sprintf("待补: 声明比例的基数 %s(money)%s;由谁确定金额(decided_by)", base, cd.baseWords(r)))
			} else {
				contexts = append(contexts, r, hi)
				continue
			}
			bens = append(bens, last)
		case roleYears:
			years = r
		case roleThreshold:
			thresholds = append(thresholds, r)
		default:
			contexts = append(contexts, r)
		}
	}
	if len(bens) == 0 {
		if m := unstatedRE.FindStringIndex(text); m != nil {
			b := &benefit{sent: st, amount: []string{"unstated: " + yamlQuote(cd.quote(st.start+m[0], st.start+m[1])), "decided_by: TODO"}}
			b.comments = append(b.comments, "待补: 条文未写金额,由谁确定(decided_by)")
			bens = append(bens, b)
		}
	}
	if len(bens) == 0 {
		// A sentence that grants nothing states conditions of what follows.
		cd.pending = append(cd.pending, thresholds...)
		if years != nil {
			cd.pending = append(cd.pending, years)
		}
		return
	}
	for _, b := range bens {
		b.conds = append(append(append([]*reading{}, cd.pending...), thresholds...), contexts...)
		if years != nil {
			cd.param(years, "years", st)
			b.amount = append(b.amount, "years: "+years.param)
		}
		cd.write(b)
	}
	cd.pending = nil
}

// table drafts 国家级、省级、市级分别给予300万元、200万元、50万元 as a table by a
// proposed enum fact, its options named by the levels the sentence lists.
func (cd *clauseDraft) table(st *sentence, awards []*reading) *benefit {
	text := cd.norm[st.start:awards[0].fig.Start]
	if i := strings.LastIndex(text, "分别"); i >= 0 {
		text = text[:i]
	}
	levels := levelRE.FindAllString(text, -1)
	fact := cd.fact("level")
	b := &benefit{sent: st, amount: []string{"table:", "  by: " + fact, "  values:"}}
	var opts []string
	for i, r := range awards {
		cd.param(r, "award", st)
		opt := fmt.Sprintf("option_%d", i+1)
		if len(levels) == len(awards) {
			opt = levelOption[levels[i]]
		}
		opts = append(opts, opt)
		b.amount = append(b.amount, fmt.Sprintf("    %s: %s", opt, r.param))
	}
	words := strings.TrimLeft(text[strings.LastIndexAny(text, ",;")+1:], "对")
	b.comments = append(b.comments, fmt.Sprintf("待补: 声明 %s(enum),选项 %s,依次对应“%s”", fact, strings.Join(opts, ", "), words))
	return b
}

func ofRole(rs []*reading, ro role) []*reading {
	var out []*reading
	for _, r := range rs {
		if r.role == ro {
			out = append(out, r)
		}
	}
	return out
}

func without(rs, drop []*reading) []*reading {
	var out []*reading
	for _, r := range rs {
		keep := true
		for _, d := range drop {
			keep = keep && r != d
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}

// baseWords quotes the words naming the base of a rate, if the sentence has
// them (按其获得的创投基金投资额的50%).
func (cd *clauseDraft) baseWords(r *reading) string {
	st := afterLast(cd.norm[:r.fig.Start], ",;。\n")
	if m := baseRE.FindStringSubmatchIndex(cd.norm[st:r.fig.Start]); m != nil {
		return ",即“" + cd.quote(st+m[2], st+m[3]) + "”"
	}
	return ""
}

// fact proposes a fact key for the officer to declare.
func (cd *clauseDraft) fact(what string) string {
	return fmt.Sprintf("TODO_fact_c%d_%s_%d", cd.k, what, cd.n+1)
}

// param names and writes the parameter of r, quoting the phrase of the
// clause around it.
func (cd *clauseDraft) param(r *reading, what string, st *sentence) {
	if r.param != "" {
		return
	}
	base := fmt.Sprintf("c%d_%s_%s", cd.k, what, figName(r.fig))
	name := base
	for i := 2; cd.d.names[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	cd.d.names[name] = true
	r.param = name
	fmt.Fprintf(&cd.d.params, "  %s: {%s, article: %s, quote: %s}\n", name, figValue(r.fig), cd.c.Article, yamlQuote(cd.phrase(r, st)))
}

// phrase is the short words of the clause around a figure: the stretch
// between the commas around it, cut to a few characters either side.
func (cd *clauseDraft) phrase(r *reading, st *sentence) string {
	a := afterLast(cd.norm[:r.fig.Start], ",;:。\n")
	b := r.fig.End
	if i := strings.IndexAny(cd.norm[r.fig.End:], ",;:。\n"); i >= 0 {
		b += i
	} else {
		b = len(cd.norm)
	}
	a = max(a, runeBack(cd.norm, r.fig.Start, 16))
	b = min(b, runeForward(cd.norm, r.fig.End, 10))
	return cd.quote(a, b)
}

// afterLast returns the offset in s after the last of chars, or 0.
func afterLast(s, chars string) int {
	i := strings.LastIndexAny(s, chars)
	if i < 0 {
		return 0
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

func runeBack(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func runeForward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func (cd *clauseDraft) figText(r *reading) string { return cd.quote(r.fig.Start, r.fig.End) }

// figName writes a figure for a parameter name: 50w, 1yi, 5pct, 500mu.
func figName(f Figure) string {
	num := func(v float64) string { return strings.ReplaceAll(strconv.FormatFloat(v, 'f', -1, 64), ".", "p") }
	switch f.Unit {
	case FigureYuan:
		switch {
		case f.CNY >= 1e8 && f.CNY%1e7 == 0:
			return num(float64(f.CNY)/1e8) + "yi"
		case f.CNY >= 1e4 && f.CNY%1e3 == 0:
			return num(float64(f.CNY)/1e4) + "w"
		}
		return num(f.Value) + "yuan"
	case FigurePercent:
		return num(f.Value) + "pct"
	case FigurePerMille:
		return num(f.Value) + "pm"
	}
	return num(f.Value) + map[string]string{"亩": "mu", "件": "items", "人": "persons", "平方米": "sqm", "家": "firms",
		"个": "units", "年": "years", "个月": "months", "美元": "usd", "项": "items", "名": "persons", "户": "households",
		"倍": "times", "吨": "t", "吨标煤": "tce", "吨标准煤": "tce"}[f.Measure]
}

// figValue writes a figure as a parameter value of rules.yaml.
func figValue(f Figure) string {
	num := strconv.FormatFloat(f.Value, 'f', -1, 64)
	switch {
	case f.Unit == FigureYuan:
		return fmt.Sprintf("cny: %d", f.CNY)
	case f.Unit == FigurePercent && f.Value == math.Trunc(f.Value):
		return "percent: " + num
	case f.Unit == FigurePercent:
		// rules.yaml has whole percents; 1.5% is 15‰.
		return "per_mille: " + strconv.FormatFloat(f.Value*10, 'f', -1, 64)
	case f.Unit == FigurePerMille:
		return "per_mille: " + num
	case f.Measure == "年":
		return "years: " + num
	case f.Measure == "吨标煤" || f.Measure == "吨标准煤":
		return "tce: " + num
	}
	return fmt.Sprintf("number: %s, unit: %s", num, f.Measure)
}

// kindOf is the kind of fact a figure is compared with.
func kindOf(f Figure) string {
	if f.Unit == FigureYuan {
		return "money"
	}
	return "number"
}

// write writes benefit b of the clause, with its applicant phrase and
// conditions.
func (cd *clauseDraft) write(b *benefit) {
	cd.n++
	w := &cd.d.benefits
	phrase := cd.applicantPhrase(b.sent)
	fmt.Fprintf(w, "  # %s: %s\n", cd.c.Article, phrase)
	fmt.Fprintf(w, "  - id: %s-c%d-%d\n", strings.Trim(cd.d.docID+"-draft", "-"), cd.k, cd.n)
	fmt.Fprintf(w, "    article: %s\n", cd.c.Article)
	title := cd.c.Title
	if title == "" {
		title = "TODO"
		cd.d.gaps++
	}
	fmt.Fprintf(w, "    title: %s\n", yamlQuote(title))
	apps := applicants(phrase)
	if len(apps) == 0 {
		fmt.Fprintf(w, "    # 待补: 条文未写明申请对象的类别\n")
		cd.d.gaps++
		apps = []string{"TODO"}
	}
	fmt.Fprintf(w, "    applicants: [%s]\n", strings.Join(apps, ", "))
	w.WriteString("    conditions:\n")
	if who := strings.TrimPrefix(strings.TrimPrefix(phrase, "对于"), "对"); who != "" {
		cd.d.gaps++
		fmt.Fprintf(w, "      # 待补: 用哪个事实表示申请对象(如 %s, bool)\n", cd.factAt("who"))
		fmt.Fprintf(w, "      - when: \"TODO\"\n        text: %s\n", yamlQuote(who))
	}
	for _, r := range b.conds {
		what := "figure"
		if r.role == roleThreshold {
			what = "threshold"
		}
		cd.param(r, what, b.sent)
		text := cd.phrase(r, b.sent)
		fact := cd.factAt(fmt.Sprintf("%s", figName(r.fig)))
		switch {
		case r.role == roleThreshold && len(r.cmp) <= 2 && r.cmp[0] != 'i' && r.cmp[0] != 'o':
			fmt.Fprintf(w, "      # 待补: 声明 %s(%s)\n", fact, kindOf(r.fig))
			fmt.Fprintf(w, "      - when: %s %s %s\n        text: %s\n", fact, r.cmp, r.param, yamlQuote(text))
		default:
			fmt.Fprintf(w, "      # 待补: %s 在此是什么条件(参数 %s)\n", cd.figText(r), r.param)
			fmt.Fprintf(w, "      - when: \"TODO\"\n        text: %s\n", yamlQuote(text))
		}
		cd.d.gaps++
	}
	w.WriteString("    amount:\n")
	for _, c := range b.comments {
		fmt.Fprintf(w, "      # %s\n", c)
		cd.d.gaps++
	}
	for _, l := range b.amount {
		fmt.Fprintf(w, "      %s\n", l)
	}
	w.WriteString("    # 待补: 受理部门,或条文未写明的说明\n    department: TODO\n    department_note: TODO\n\n")
	cd.d.gaps++
}

func (cd *clauseDraft) factAt(what string) string {
	return fmt.Sprintf("TODO_fact_c%d_%s_%d", cd.k, what, cd.n)
}

// applicantPhrase is the words of a sentence naming who is granted: from
// the last 对 before its first figure to the next comma, or the sentence's
// first phrase if it has no 对.
func (cd *clauseDraft) applicantPhrase(st *sentence) string {
	s := cd.norm[st.start:st.end]
	upto := len(s)
	if len(st.readings) > 0 {
		upto = st.readings[0].fig.Start - st.start
	}
	i := strings.LastIndex(s[:upto], "对")
	if i < 0 {
		// Without 对 the clause opens with who it is for: 被…认定的新型研发机构，
		s, st, i = cd.norm, &sentence{}, 0
	}
	end := strings.IndexAny(s[i:], ",;:。\n")
	if end < 0 {
		end = len(s) - i
	}
	return cd.quote(st.start+i, st.start+i+end)
}

// applicants proposes applicant types from the words of a phrase.
func applicants(phrase string) []string {
	var out []string
	for _, a := range applicantWords {
		if !strings.Contains(phrase, a.word) {
			continue
		}
		phrase = strings.ReplaceAll(phrase, a.word, "")
		dup := false
		for _, o := range out {
			dup = dup || o == a.kind
		}
		if !dup {
			out = append(out, a.kind)
		}
	}
	return out
}

// yamlQuote writes s as a double-quoted YAML string, whose escapes are those
// of Go for the characters policy texts hold.
func yamlQuote(s string) string { return strconv.Quote(s) }
