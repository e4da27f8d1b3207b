package dialogue

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// agentPrefixes before a word of an applicant type say the speaker asks
// for one: 帮园区查一下, 窗口这边有个企业.
var agentPrefixes = []string{"帮", "替", "代", "有个", "有一家", "帮一个", "帮一家", "替一个", "替一家", "帮个", "帮这家", "代一家"}

// proxyWords say the speaker asks for someone else.
var proxyWords = []string{"帮客户", "替客户", "代客户", "客户是", "我们客户", "我的客户", "客户那边", "给客户"}

// endsLater reports whether the noun at x is said after the one at y, or
// with it and longer: 猎头公司 over the 公司 it ends with.
func endsLater(x, y span) bool {
	return x.end > y.end || x.end == y.end && x.start < y.start
}

// readApplicant reads who is speaking. A kind other than enterprise wins over
// enterprise in the same message (我们园区有家公司), and the type counts
// only as said of oneself or in answer to the question. Revenue figures are
// then routed by it, or by the context's type.
func (a *analysis) readApplicant() {
	value := ""
	at := noSpan
	take := func(v string, sp span) {
		if value == "" || value == "enterprise" && v != "enterprise" {
			value, at = v, sp
		}
	}
	for _, w := range a.r.applicantSelf {
		if i := a.index(0, len(a.s), w.word); i >= 0 && a.selfWord(i, i+len(w.word)) {
			take(w.value, span{i, i + len(w.word)})
		}
	}
	// 该企业属于软件业: counter staff name an enterprise applicant.
	for _, w := range enterpriseRefWords {
		if i := a.index(0, len(a.s), w); i >= 0 {
			take("enterprise", span{i, i + len(w)})
		}
	}
	// 我们研究院被认定为新型研发机构: we and the noun of what we are.
	for _, n := range a.r.applicantNouns {
		for _, we := range []string{"我们", "咱们", "我们这个", "我们这家", "咱们这个"} {
			if i := a.index(0, len(a.s), we+n.word); i >= 0 && a.selfWord(i, i+len(we)+len(n.word)) {
				take(n.value, span{i + len(we), i + len(we) + len(n.word)})
			}
		}
	}
	// 我博士毕业: a person, in the singular, says what they are without 是;
	// 我在南沙一家制造企业上班 works for an enterprise and applies as a
	// person.
	if i := a.index(0, len(a.s), "我"); i >= 0 && !strings.HasPrefix(a.s[i:], "我们") {
		c := a.clauseAt(i)
		if a.r.person != "" && strings.HasPrefix(a.s[i+len("我"):], "在") && (a.windowHas(i, c.end, employedWords) || a.endsWithEmployer(c)) {
			take(a.r.person, span{i, c.end})
		}
		// 我是南沙一家制造企业的技术工人: one who works for an enterprise.
		if a.r.person != "" && strings.HasPrefix(a.s[i+len("我"):], "是") && a.windowHas(i, c.end, staffWords) {
			take(a.r.person, span{i, c.end})
		}
		for _, n := range a.r.applicantNouns {
			if n.value == "enterprise" || len(n.word) < 6 {
				continue
			}
			if j := a.index(i, c.end, n.word); j >= 0 && j-i <= 4*3 {
				take(n.value, span{j, j + len(n.word)})
			}
		}
	}
	// 机构:广州南沙智能制造研究院, 申报单位:柳河县长白药业有限公司: a
	// form's field naming the applicant names what it is by its last noun.
	for _, l := range a.r.nameLabels {
		for from := 0; ; {
			i := a.index(from, len(a.s), l+":")
			if i < 0 {
				break
			}
			from = i + len(l) + 1
			if i > 0 && !strings.ContainsRune("\n ,;", rune(a.s[i-1])) && a.sentenceStart(i) != i && !slices.Contains(forwardLabels, l) {
				continue // 项目单位 inside 该项目单位:… is no field of its own
			}
			// The field ends at its line or its first comma; the name ends
			// with its noun, before any words in brackets after it.
			end := a.sentenceEnd(from)
			if j := strings.IndexAny(a.s[from:end], ",;"); j >= 0 {
				end = from + j
			}
			name := end
			if j := strings.Index(a.s[from:end], "("); j >= 0 {
				name = from + j
			}
			v, sp := a.lastApplicantNoun(from, name)
			if v == "" {
				v, sp = a.lastApplicantNoun(from, end)
			}
			if t, ok := labelApplicants[l]; ok && v == "" && a.ctx.Values["applicant_type"] == nil {
				v, sp = t, span{i, i + len(l)} // 园区:瑞金经济技术开发区, named as a place
			}
			if v != "" && !a.negatedAt(sp.start, sp.end) {
				take(v, sp)
			}
		}
	}
	// 类型:知识产权服务机构: a form's field of what the applicant is.
	typed, typedAt := "", noSpan
	for _, c := range a.clauses {
		rest := strings.TrimLeft(a.s[c.start:c.end], " ")
		for _, l := range typeLabels {
			if !strings.HasPrefix(rest, l+":") {
				continue
			}
			last, lastAt := a.lastApplicantNoun(c.end-len(rest)+len(l)+1, c.end)
			if last != "" {
				take(last, lastAt)
				typed, typedAt = last, lastAt
			}
			break
		}
	}
	for _, c := range a.clauses {
		cl := a.s[c.start:c.end]
		is := strings.Index(cl, "是")
		// 该申请单位为南沙区的新型研发机构: counter staff name the
		// applicant in the third person, and 为 says what it is.
		if at := strings.Index(cl, "为"); at >= 0 && (is < 0 || at < is) && containsAny(cl[:at], unitRefWords) {
			is = at
		} else if is >= 0 && !(a.firstPerson && containsAny(cl[:is+len("是")], firstPersonWords) || a.ctx.Pending == "applicant_type" || containsAny(cl[:is], applicantRefWords)) {
			continue
		}
		if is < 0 {
			continue
		}
		// 我们单位是中科院的研究所, from a talent: the employer, not what
		// the speaker applies as.
		if a.r.person != "" && a.ctx.ApplicantType == a.r.person && containsAny(cl[:is], employerWords) {
			continue
		}
		// 我们是南沙区的科技型中小企业今年从商业银行贷了一笔款, run on
		// without a stop: a time word after what the speaker is starts the
		// next thought (我们是今年新落户南沙的研发机构 says it before).
		upto := c.end
		for _, w := range thoughtStarts {
			if j := a.index(c.start+is, upto, w); j >= 0 {
				if v, _ := a.lastApplicantNoun(c.start+is, j); v != "" {
					upto = j
				}
			}
		}
		last, lastAt := a.lastApplicantNoun(c.start+is, upto)
		if last == "" {
			// 我们是宁都县发改委的: a body's head ending what the speaker
			// is names the body.
			for _, h := range a.r.letterheads {
				if j := a.index(c.start+is, upto, h.word); j >= 0 && strings.Trim(a.s[j+len(h.word):upto], "的 ") == "" {
					last, lastAt = h.value, span{j, j + len(h.word)}
				}
			}
		}
		if last != "" && hasAnyPrefix(a.s[lastAt.end:upto], serviceVerbs...) {
			// 该机构为非关联企业提供检测服务: 为 says whom it serves.
			continue
		}
		if last != "" && a.negatedAt(lastAt.start, lastAt.end) {
			// 我们是企业不是科研机构: what it is, not what it is not; 我们
			// 不是工业企业 still speaks as an enterprise.
			if v, sp := a.lastApplicantNoun(c.start+is, lastAt.start); v != "" {
				last, lastAt = v, sp
			}
		}
		if last != "" && last != "enterprise" && a.madeBy(lastAt.end, upto) {
			// 我们公司是一家新型研发机构围绕它的核心技术孵化出来的: the
			// institution made the speaker, which is what 是 says of it.
			continue
		}
		// 我是公司副总经理: an executive of the enterprise, who applies as a
		// person; 我是公司财务 speaks for the enterprise.
		if last == "enterprise" && a.r.person != "" && hasAnyPrefix(a.s[lastAt.end:c.end], executiveWords...) {
			last = a.r.person
		}
		if last != "" {
			take(last, lastAt)
		}
	}
	// 于都县工信局:…, 赣县经济开发区管委会,…: a clause that opens with a
	// body names the speaker, as a letterhead does; one that then gives
	// (县里有奖励吧, 县政府给多少) names who pays.
	for i, c := range a.clauses {
		if c.question {
			continue // 工业园区有什么奖励 asks about parks; it names no speaker
		}
		rest := strings.TrimLeft(a.s[c.start:c.end], " ")
		// 单位:于都县工信局: a form's label before the body.
		for _, l := range formLabels {
			if strings.HasPrefix(rest, l+":") {
				rest = strings.TrimLeft(rest[len(l)+1:], " ")
				break
			}
		}
		rest = strings.TrimPrefix(a.afterPlace(rest), "的") // 南沙的新型研发机构
		if i == 0 {
			// 南沙的孵化器,…: the title alone is the clause (银行贷款3000万
			// speaks of a loan).
			trimmed := strings.TrimRight(rest, " ")
			end := c.end - (len(rest) - len(trimmed))
			for _, t := range a.r.titles {
				if strings.TrimPrefix(trimmed, "一家") == t.word {
					take(t.value, span{end - len(t.word), end})
				}
			}
			// 新落户南沙并且认定了的总部型企业,…: an opening that describes
			// one noun says what the speaker is.
			if v, sp := a.lastApplicantNoun(c.start, end); v != "" && sp.end == end && strings.Contains(a.s[c.start:sp.start], "的") && !c.question &&
				// 我们没有博士后工作站的博士后 describes no one; 4,500万元的市
				// 工信局 and 九亿九千万的市工信局 speak of a figure.
				!strings.ContainsAny(a.s[c.start:sp.start], "没不无未非0123456789万亿") && !a.namesApplicantIn(c.start, sp.start) &&
				// 我们用租金折价入股的一家在孵企业: one the speaker acted on.
				!(containsAny(a.s[c.start:sp.start], firstPersonWords) && a.countedBefore(c.start, sp.start)) {
				// 柳河的公司今年新设立了省级科研机构 describes the company, by
				// what it did.
				take(v, sp)
			}
		}
		// 柳河的厂子今年刚进规上,统计局那边已经纳进去了: a body named
		// further on is another party; only the message's opening (after a
		// greeting at most) is a letterhead.
		opening := !slices.ContainsFunc(a.clauses[:i], func(p clause) bool { return utf8.RuneCountInString(strings.TrimSpace(a.s[p.start:p.end])) > 4 })
		for _, h := range a.r.letterheads {
			if opening && strings.HasPrefix(rest, h.word) && !hasAnyPrefix(rest[len(h.word):], giverWords...) {
				at := c.end - len(rest)
				take(h.value, span{at, at + len(h.word)})
			}
		}
	}
	if value == "county" || value == "industrial_park" || (value == "" || value == "enterprise") && a.bodySpeaks() {
		// 柳河县医药产业园管委会:园区一家医药企业引进了…,县里能给多少: a
		// body that names one of its applicants and goes on with its case
		// asks for it.
		if v, sp, ok := a.caseOf(); ok {
			value, at, a.asksFor = v, sp, true
		}
	}
	if value == "" && a.ctx.Pending == "applicant_type" {
		for _, w := range a.r.pendingApplicant {
			if i := strings.Index(a.s, w.word); i >= 0 {
				value, at = w.value, span{i, i + len(w.word)}
				break
			}
		}
	}
	// 我是银行信贷部的,帮客户咨询:客户是一家工业企业 — the facts are the
	// client's, and so is the application.
	if i := a.index(0, len(a.s), "客户"); i >= 0 && a.containsAny(proxyWords) {
		value, at = a.client(i)
	}
	for _, w := range a.r.agents {
		if i := a.index(0, len(a.s), w.word); i >= 0 {
			value, at = w.value, span{i, i + len(w.word)}
		}
	}
	if typed != "" {
		// 帮企业查一下:…类型:知识产权服务机构: the form's type field says
		// what the one asked for is, over the agent's word for it.
		value, at = typed, typedAt
	}
	if v, sp, ok := a.askedFor(); ok {
		// 帮我们去年入职的一位技术骨干问, 再帮县里一家企业问: the one asked
		// for applies, whatever the speaker's body.
		value, at, a.asksFor = v, sp, true
	}
	if value == "" && a.ctx.ApplicantType == "" {
		// 九大工业主导产业规上企业主营收入215亿: whose figure it is names
		// the applicant.
		if v, sp := a.seriesOwner(); v != "" {
			value, at = v, sp
		}
	}
	a.applicant = a.ctx.ApplicantType
	if value != "" {
		a.applicant = value
		a.add(at.start, Mention{Key: "applicant_type", Value: value, Text: a.text(at)})
	}
	if a.applicant == "" {
		a.applicant = "enterprise"
	}
}

// seriesOwner is a series that stands for another's figure when its cue
// comes before a cue of that figure: the applicant it is of, its cues and
// the figure's.
type seriesOwner struct {
	applicant string
	cues, of  []string
}

// seriesOwner returns the applicant of a series said in one clause with the
// figure it stands for, after it (产业集群主营业务收入, 主导产业规上企业
// 主营收入), and where it is said; "" when none is.
func (a *analysis) seriesOwner() (string, span) {
	for _, c := range a.clauses {
		for _, o := range a.r.seriesOwners {
			for _, w := range o.cues {
				i := a.index(c.start, c.end, w)
				if i < 0 {
					continue
				}
				for _, f := range o.of {
					if a.index(i+len(w), c.end, f) >= 0 {
						return o.applicant, span{i, i + len(w)}
					}
				}
			}
		}
	}
	return "", noSpan
}

// madeByVerbs say that what comes before them made or set up the subject.
var madeByVerbs = []string{"孵化", "设立", "创办", "投资", "成立", "引进", "培育", "衍生", "控股", "组建"}

// madeBy reports whether [from, to) goes on to say the noun before it made
// the subject: …孵化出来的, …设立的.
func (a *analysis) madeBy(from, to int) bool {
	rest := strings.TrimRight(a.s[from:to], fillers)
	return strings.HasSuffix(rest, "的") && containsAny(rest, madeByVerbs)
}

// namesApplicantIn reports whether an applicant noun lies in [from, to),
// other than one that runs into the noun at to.
func (a *analysis) namesApplicantIn(from, to int) bool {
	v, sp := a.lastApplicantNoun(from, to)
	if v != "" && sp.end == to {
		// 科技企业孵化器: a noun that runs into the head noun is part of it.
		v, _ = a.lastApplicantNoun(from, sp.start)
	}
	return v != ""
}

// anotherOpeners open a message about one more applicant (还有一家园区企业).
var anotherOpeners = []string{"还有一家", "另外一家", "另一家", "还有个企业", "还有一个企业", "再问一家",
	"我们另外一家", "我们另一家", "我们还有一家", "我们旗下另一家", "我们下面另一家"}

// personMeasures count persons (一位研究员, 这名员工): what they count is
// someone, not a body, unless an owner speaks for a firm (这位老板).
var (
	personMeasures = []string{"一位", "一名", "这位", "那位", "这名"}
	ownerWords     = []string{"老板", "老总", "厂长", "负责人", "企业主", "董事长", "总经理"}
)

// personMeasureAt returns where the measure word m counts a person in s,
// or -1: 排第一名 is a rank, not one person.
func personMeasureAt(s, m string) int {
	for from := 0; ; {
		k := strings.Index(s[from:], m)
		if k < 0 {
			return -1
		}
		if at := from + k; !strings.HasSuffix(s[:at], "第") {
			return at
		}
		from += k + len(m)
	}
}

// cutAnyPrefix returns s without the first of prefixes it starts with.
func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

// subjectPointers point back to an applicant named before.
var subjectPointers = []string{"这户", "这家", "该户", "那家", "这个", "那个", "该"}

// subjectAsks follow the subject of a question of what it may have
// (孵化器能拿多少, 园区可以申请吗).
var subjectAsks = []string{"能", "可以", "可", "有没有", "有什么", "有哪些", "拿"}

// serviceVerbs say that what the speaker does for another is work, not
// asking: 帮企业做检测、咨询.
var serviceVerbs = []string{"做", "提供", "搞", "开展", "承接"}

// kinWords name the speaker's own people, who may apply in their own right.
var kinWords = []string{"女朋友", "男朋友", "老婆", "老公", "爱人", "妻子", "丈夫", "媳妇", "对象", "同事", "朋友", "同学",
	"表哥", "表姐", "表弟", "表妹", "哥哥", "姐姐", "弟弟", "妹妹", "儿子", "女儿", "亲戚", "师兄", "师姐", "师弟", "师妹", "老乡"}

// askedFor returns whom a message says it asks on behalf of, between 帮, 替
// or 代 and 问 or 咨询 in one clause: the applicant a noun there names
// (再帮县里一家企业问), else a person counted by a person's measure word
// (帮一位研究员问), whose firm applies when they are its owner (帮这位老板
// 问一下).
func (a *analysis) askedFor() (string, span, bool) {
	// 还有一家园区企业,也在南沙注册: another one, opened with the asking.
	if a.opensAnother() {
		if value, at := a.lastApplicantNoun(a.clauses[0].start, a.clauses[0].end); value != "" {
			return value, at, true
		}
	}
	for _, c := range a.clauses {
		t := a.s[c.start:c.end]
		for _, v := range []string{"帮", "替", "代"} {
			i := strings.Index(t, v)
			if i < 0 {
				continue
			}
			from := c.start + i + len(v)
			rest := a.s[from:c.end]
			j := -1
			for _, q := range []string{"问", "咨询"} {
				if k := strings.Index(rest, q); k >= 0 && (j < 0 || k < j) {
					j = k
				}
			}
			if j < 0 || utf8.RuneCountInString(rest[:j]) > 24 {
				continue
			}
			between := rest[:j]
			if containsAny(between, serviceVerbs) {
				// 帮外面的企业做研发、检测、咨询: a service done for them,
				// not a question asked for them.
				continue
			}
			if value, at := a.lastApplicantNoun(from, from+j); value != "" {
				return value, at, true
			}
			if k := strings.Index(between, "客户"); k >= 0 {
				// 替一个贷款客户问: a bank's or an agency's client.
				v, sp := a.client(from + k)
				return v, sp, true
			}
			for _, m := range personMeasures {
				if k := personMeasureAt(between, m); k >= 0 {
					sp := span{from + k, from + j}
					if containsAny(between, ownerWords) {
						return "enterprise", sp, true
					}
					if a.r.person != "" {
						return a.r.person, sp, true
					}
				}
			}
			// 帮我朋友问一下,他是外籍华人: one of the speaker's people, asked for;
			// 他们也是柳河的人参企业: their firm.
			if a.r.person != "" && containsAny(between, kinWords) {
				if a.kinsBody() {
					return "enterprise", span{from, from + j}, true
				}
				a.kinAsked = true
				return a.r.person, span{from, from + j}, true
			}
		}
	}
	// 孵化我们的那家新型研发机构,要是主办…: the body that made the speaker,
	// named to ask of it, is another applicant.
	for _, c := range a.clauses {
		rest := strings.TrimLeft(a.s[c.start:c.end], " ")
		for _, v := range madeByVerbs {
			after, ok := strings.CutPrefix(rest, v)
			if !ok {
				continue
			}
			after = strings.TrimPrefix(after, "出")
			if after, ok = cutAnyPrefix(after, "我们的", "我们公司的", "我们企业的", "我的"); !ok {
				continue
			}
			after, _ = cutAnyPrefix(after, "那家", "这家", "那个", "这个", "那所")
			at := c.end - len(after)
			for _, n := range a.r.applicantNouns {
				if n.value != cmp.Or(a.ctx.ApplicantType, "enterprise") && strings.HasPrefix(after, n.word) {
					a.makerAsked = true
					return n.value, span{at, at + len(n.word)}, true
				}
			}
		}
	}
	// …我们集团旗下的科技企业孵化器…,孵化器能拿多少: the question's subject
	// is the one asked for.
	for _, c := range a.clauses {
		rest := strings.TrimLeft(a.s[c.start:c.end], " ")
		if !c.question {
			continue
		}
		// 这户企业能拿哪些: one pointed back to is the one asked for,
		// whatever it is.
		pointed, ok := cutAnyPrefix(rest, subjectPointers...)
		for _, n := range a.r.subjectNouns {
			if ok && strings.HasPrefix(pointed, n.word) && hasAnyPrefix(pointed[len(n.word):], subjectAsks...) {
				at := c.end - len(pointed)
				return n.value, span{at, at + len(n.word)}, true
			}
			// The one asked for is named before the question (工业园区有什么
			// 奖励 asks about parks).
			if n.value != "enterprise" && n.value != cmp.Or(a.ctx.ApplicantType, "enterprise") && strings.HasPrefix(rest, n.word) && hasAnyPrefix(rest[len(n.word):], subjectAsks...) &&
				strings.Contains(a.s[:c.start], n.word) {
				at := c.end - len(rest)
				return n.value, span{at, at + len(n.word)}, true
			}
		}
	}
	forThem := a.containsAny(forThemWords)
	if a.r.person == "" || !forThem && !a.namesPersonsBenefit() {
		return "", noSpan, false
	}
	// 我女朋友是全日制本科…她能拿多少: a person of the speaker's, asked for.
	for _, k := range kinWords {
		if i := a.index(0, len(a.s), "我"+k); i >= 0 && forThem {
			a.kinAsked = true
			return a.r.person, span{i, i + len("我"+k)}, true
		}
	}
	// 我们院之前引进的一位博士后今年出站了…他能拿什么补贴, 新引进了一位博士后…
	// 问下一次性科研经费和生活补助各多少: the one counted is the one who asks.
	for _, m := range personMeasures {
		if i := personMeasureAt(a.s, m); i >= 0 && !containsAny(a.s[i:a.clauseAt(i).end], ownerWords) {
			return a.r.person, span{i, i + len(m)}, true
		}
	}
	return "", noSpan, false
}

// namesPersonsBenefit reports whether the message names a benefit only a
// person applies for, by four characters of its name with two beyond the
// words every award shares (生活补助, 一次性科研经费).
func (a *analysis) namesPersonsBenefit() bool {
	for _, t := range a.r.personTitles {
		if run := LongestCommon(t, a.s); utf8.RuneCountInString(run) >= 4 && distinctive(run) >= 2 {
			return true
		}
	}
	return false
}

// client returns the type of the client named at i (客户) and where it is
// said: the first applicant noun after it (客户是一家工业企业), a firm
// when none, and a person when the noun is where the client works (客户是
// 外籍华人…在南沙一家企业上班).
func (a *analysis) client(i int) (string, span) {
	client, at := "enterprise", span{i, i + len("客户")}
	best := -1
	for _, n := range a.r.applicantNouns {
		if j := a.index(i, len(a.s), n.word); j >= 0 && (best < 0 || j < best) {
			best, client, at = j, n.value, span{j, j + len(n.word)}
		}
	}
	if client == "enterprise" && best >= 0 && a.r.person != "" && hasAnyPrefix(a.s[at.end:], employedWords...) {
		client = a.r.person
	}
	return client, at
}

// lastApplicantNoun returns the applicant type of the noun that ends last in
// [from, to) (县里一家企业: 企业), the longer of two that end together
// (猎头公司, not 公司), and where it is; "" when none.
func (a *analysis) lastApplicantNoun(from, to int) (string, span) {
	value, at := "", noSpan
	for _, n := range a.r.applicantNouns {
		if k := a.lastIndex(from, to, n.word); k >= 0 && endsLater(span{k, k + len(n.word)}, at) {
			value, at = n.value, span{k, k + len(n.word)}
		}
	}
	return value, at
}

// applicantWord reports whether w is one of the words that name an
// applicant type (企业, 园区).
func (r *Reader) applicantWord(w string) bool {
	return slices.ContainsFunc(r.pendingApplicant, func(n wordValue) bool { return n.word == w })
}

// inApplicantNoun reports whether [from, to) lies inside the noun of an
// applicant (研发 of 新型研发机构), where it names no money.
func (a *analysis) inApplicantNoun(from, to int) bool {
	for _, n := range a.r.applicantNouns {
		lo := max(0, to-len(n.word))
		if k := a.index(lo, min(len(a.s), from+len(n.word)), n.word); k >= 0 && k <= from && k+len(n.word) >= to {
			return true
		}
	}
	return false
}

// opensAnother reports whether the message opens with one more applicant
// (还有一家园区企业, 另一家…).
func (a *analysis) opensAnother() bool {
	return hasAnyPrefix(strings.TrimLeft(a.s, " "), anotherOpeners...)
}

// thoughtStarts begin a new thought in a message run on without stops, as
// voice input writes it.
var thoughtStarts = []string{"今年", "去年", "明年", "上年", "前年", "最近", "目前"}

// bodySpeaks reports whether the message's first clause says the speaker
// is of a body (我是柳河县工信局的, 南沙区投促局:): a body's word there, after
// at most a place and 我是 or 我们是.
func (a *analysis) bodySpeaks() bool {
	if len(a.clauses) == 0 {
		return false
	}
	c := a.clauses[0]
	for _, h := range a.r.letterheads {
		i := a.index(c.start, c.end, h.word)
		if i < 0 {
			continue
		}
		lead := strings.TrimSpace(a.s[c.start:i])
		lead = strings.TrimPrefix(strings.TrimPrefix(lead, "我们是"), "我是")
		if utf8.RuneCountInString(a.afterPlace(lead)) <= 2 {
			return true
		}
	}
	return false
}

// afterPlace returns s without the place name it opens with, if any.
func (a *analysis) afterPlace(s string) string {
	if ms := a.r.cat.Gazetteer().Find(s); len(ms) > 0 && ms[0].Start == 0 {
		return s[ms[0].End:]
	}
	return s
}

// caseLeads introduce, in a body's message, the applicant it asks for:
// 园区一家医药企业, 有家企业, 园区里有家新型研发机构.
var caseLeads = []string{"有一家", "有家", "有个", "一家", "一个", "一户", "某"}

// countedBefore reports whether the words [from, to) before a noun end
// with 的 and a case lead (…的一家在孵企业): an applicant counted, not the
// speaker described.
func (a *analysis) countedBefore(from, to int) bool {
	before := a.s[from:to]
	for _, lead := range caseLeads {
		if i := strings.LastIndex(before, "的"+lead); i >= 0 && utf8.RuneCountInString(before[i:]) <= caseRunes+1 && containsAny(before[:i], actedVerbs) {
			return true
		}
	}
	return false
}

// actedVerbs say what the speaker did to the one counted after them (我们
// 用租金折价入股的一家在孵企业); 我们南沙的一个孵化器 describes the speaker.
var actedVerbs = append([]string{"入股", "参股", "服务", "帮扶", "租给", "扶持", "支持"}, madeByVerbs...)

// caseRunes bound the words between a case lead and its applicant's noun
// (一家医药企业), and the least said after the noun for it to be a case.
const caseRunes = 6

// caseOf returns the applicant type and words of the applicant a body's
// message names after a case lead and then goes on about; false when none.
func (a *analysis) caseOf() (string, span, bool) {
	for _, lead := range caseLeads {
		for from := 0; ; {
			i := a.index(from, len(a.s), lead)
			if i < 0 {
				break
			}
			from = i + len(lead)
			reach := runesAfter(a.s, from, len(a.s), caseRunes)
			best, bestAt := "", noSpan
			for _, n := range a.r.applicantNouns {
				if j := a.index(from, min(len(a.s), reach+len(n.word)), n.word); j >= 0 && (bestAt.start < 0 || j < bestAt.start || j == bestAt.start && len(n.word) > bestAt.end-bestAt.start) {
					best, bestAt = n.value, span{j, j + len(n.word)}
				}
			}
			if j := a.projectAt(from, reach); best == "" && j >= 0 {
				// 县里新上了一个选矿项目,固定资产投资1.2亿.
				best, bestAt = "enterprise", span{j, j + len("项目")}
			}
			if best == "" || best == "county" || best == "industrial_park" || best == a.r.person {
				continue
			}
			if utf8.RuneCountInString(a.s[bestAt.end:]) < caseRunes {
				continue // 我们园区有家公司: named, no case said of it
			}
			return best, bestAt, true
		}
	}
	return "", noSpan, false
}

// projectAt returns where a project is named in [from, reach] of a case
// lead (一个选矿项目), or -1: a project is an enterprise's, which applies for
// its measures, not the body that speaks of it.
func (a *analysis) projectAt(from, reach int) int {
	return a.index(from, min(len(a.s), reach+len("项目")), "项目")
}

// applicantRefWords name the applicant in the third person, as counter
// staff write of the one before them.
var applicantRefWords = []string{"该企业", "该单位", "该申请单位", "申请单位", "该申请人", "申请人", "该机构", "申报单位", "该公司"}

// unitRefWords name an organisation applying, in the third person; what
// it is (为…) is what it applies as. 申请人为 may name a person.
var unitRefWords = []string{"该单位", "该申请单位", "申请单位", "该机构", "申报单位"}

// enterpriseRefWords name an enterprise applicant in the third person.
var enterpriseRefWords = []string{"该企业", "该公司", "申请企业", "该申请企业"}

// employerWords name the body a person works for.
var employerWords = []string{"单位", "公司", "工作的地方", "东家", "用人单位", "所在单位"}

// formLabels name the applicant in a form counter staff type (单位:…).
// typeLabels are a form's labels of what kind of applicant it is.
var typeLabels = []string{"类型", "单位类型", "机构类型", "主体类型", "申请主体类型", "申请人类型", "申报主体类型"}

// labelApplicants are the labels of formLabels that say what the applicant
// is, whatever its name ends with.
var labelApplicants = map[string]string{"园区": "industrial_park", "园区名称": "industrial_park"}

var formLabels = []string{"单位", "申请单位", "申报单位", "填报单位", "咨询单位", "来文单位", "主体", "申请主体", "机构", "机构名称", "项目单位", "园区", "园区名称", "转来", "转办"}

// forwardLabels end the words of a forward (投诉平台转来:广州某某有限公司…),
// whose field names the applicant wherever it stands.
var forwardLabels = []string{"转来", "转办"}

// executiveWords name the executives a talent measure rewards as persons
// (企业高级管理人才), after the enterprise's noun: 我是公司副总经理.
var executiveWords = []string{"董事长", "副董事长", "总经理", "副总经理", "总裁", "副总裁", "监事会主席", "总经济师", "总会计师", "首席执行官", "CEO", "高管"}

// employerNouns end 我在南沙一家外贸公司: where the speaker works.
var employerNouns = []string{"公司", "企业", "厂", "工厂", "集团", "单位"}

// endsWithEmployer reports whether clause c ends with a noun of an employer
// (我在南沙一家外贸公司,): the speaker works there.
func (a *analysis) endsWithEmployer(c clause) bool {
	rest := strings.TrimRight(a.s[c.start:c.end], " ")
	for _, n := range employerNouns {
		if strings.HasSuffix(rest, n) {
			return true
		}
	}
	return false
}

// employedWords say that a person works somewhere: 我在…上班.
var employedWords = []string{"上班", "工作", "任职", "就职", "打工", "做科研", "做技术", "当"}

// staffWords name one who works for an enterprise, after its name: 我是…的
// 技术工人.
var staffWords = []string{"的员工", "的职工", "的工人", "的技术工人", "的技工", "的技师", "的工程师", "的技术员", "的研发人员", "的科研人员", "的骨干", "的高管", "的工作人员"}

// selfWord reports whether the word at [start, end) names the speaker: not
// inside a place name (天全县), not run on into a longer word (我们区域),
// and not the place an enterprise moves to (整体迁入我县).
func (a *analysis) selfWord(start, end int) bool {
	for _, m := range a.placeNames() {
		if m.Start < end && m.End > start && !(m.Start >= start && m.End <= end) {
			return false
		}
	}
	if next, _ := utf8.DecodeRuneInString(a.s[end:]); strings.ContainsRune("域别外内级", next) || hasAnyPrefix(a.s[end:], "以外", "之外", "以内") {
		return false
	}
	// 帮申请人问:该企业…纳入我区统计: counter staff speak of the
	// applicant, and 我区 is the document's own word for its area.
	if a.containsAny(applicantRefWords) {
		return false
	}
	// 还在跟管委会谈: the body talked with, asked or gone to is another.
	return !hasAnySuffix(a.s[:start], "迁入", "纳入", "迁到", "落户", "来", "到", "回", "入驻", "搬到", "搬来", "在",
		"跟", "和", "与", "同", "向", "找", "给", "问", "去", "让", "被", "对")
}

// A two-character region alias (兴国, 大余) is a word of its own only
// sometimes. regionWordOK refuses it when the character before it makes a
// word with its first character (振兴国家, 最大余额, 确定南康) unless a place
// word follows (在于都做家具); and when its last character makes a word with
// the character after (兴国家, 大余额, 宁都是) unless a place word follows
// (兴国家具, 大余的) or a place word precedes (我们宁都是, 在大余).
var (
	aliasLeftWords = []string{
		"振兴", "复兴", "新兴", "中兴", "高兴", "绍兴", "嘉兴", "宜兴", "即兴", "尽兴", "时兴",
		"最大", "很大", "更大", "较大", "扩大", "巨大", "强大", "重大", "宏大", "伟大", "放大", "加大",
		"增大", "大大", "太大", "过大", "偏大", "盛大", "庞大", "广大", "壮大", "做大", "远大", "老大", "长大",
		"确定", "决定", "一定", "规定", "认定", "稳定", "肯定", "制定", "指定", "鉴定", "约定", "否定",
		"特定", "固定", "设定", "预定", "限定", "评定", "判定", "核定", "审定", "法定", "安定", "选定",
		"待定", "锁定", "既定", "拟定", "协定", "裁定", "界定", "坚定", "必定", "注定", "商定", "测定",
		"安全", "健全", "完全", "齐全", "保全", "周全", "成全", "万全", "顾全", "大全", "双全", "俱全",
		"在于", "对于", "由于", "关于", "至于", "属于", "等于", "大于", "小于", "高于", "低于", "多于",
		"少于", "终于", "善于", "位于", "处于", "基于", "用于", "限于", "过于", "免于", "易于", "便于",
		"急于", "忙于", "乐于", "归于", "出于", "源于", "始于", "鉴于", "勇于", "敢于",
		"长安", "平安", "公安", "保安", "治安", "西安", "延安", "淮安", "泰安", "晚安", "早安", "不安",
		"湖南", "河南", "云南", "海南", "江南", "指南", "华南", "西南", "东南", "岭南", "闽南", "济南",
		"淮南", "越南", "以南", "苏南", "皖南",
		"安宁", "辽宁", "南宁", "西宁", "济宁", "丁宁",
		"诚信", "通信", "相信", "自信", "短信", "微信", "征信", "确信", "威信", "书信", "来信", "资信",
		"文章", "规章", "印章", "篇章", "盖章", "公章", "宝石", "钻石", "岩石", "矿石", "基石", "砂石",
		"推崇", "尊崇", "社会", "大会", "机会", "协会", "学会", "不会", "将会", "都会", "也会", "开会",
		"以上", "之上", "加上", "晚上", "早上", "马上", "网上", "线上",
	}
	aliasRightWords = []string{
		"国家", "国际", "国内", "国外", "国有", "国企", "国产", "国务", "国民", "国标", "国资", "国税",
		"余额", "余量", "余款", "余下", "余地", "余热", "余数", "余钱", "余货",
		"都是", "都有", "都会", "都能", "都在", "都要", "都可以", "都不", "都没", "都市", "都很", "都已",
		"南方", "南北", "南部", "康复", "康养", "丰富", "丰收", "丰厚", "丰田", "义务", "义乌", "义工",
		"远程", "远景", "远期", "远方", "远大", "远远", "犹豫", "犹如", "贡献", "昌盛", "乌鸡",
		"城市", "城区", "城镇", "城乡", "金属", "金融", "江湖",
	}
	aliasPlaceAfter = []string{
		"县", "区", "市", "家具", "工业", "企业", "园区", "经开区", "开发区", "高新区", "这边", "那边",
		"本地", "一带", "地区", "境内", "的", "做", "搞", "生产", "人",
	}
	aliasPlaceBefore = []string{"在", "是", "到", "们", "司", "州", "省", "自", "处", "户", "往", "回"}
)

// seatWords after a place's short form, or before it, say it is where the
// speaker is (梅河口的企业, 注册在梅河口): a derived short form is taken then.
var (
	seatAfter  = []string{"的企业", "的公司", "的工厂", "的厂", "企业", "公司"}
	seatBefore = []string{"注册在", "注册地在", "位于", "地处", "来自"}
)

// seatSaid reports whether the words around [start, end) say it is the
// speaker's seat.
func (a *analysis) seatSaid(start, end int) bool {
	return hasAnyPrefix(a.s[end:], seatAfter...) || hasAnySuffix(a.s[:start], seatBefore...)
}

// readRegion reads the region: every county or zone of the gazetteer named
// in the message, short forms guarded as below; the last one named wins. A
// name several divisions share (鼓楼区) is unclear: the chat asks which.
func (a *analysis) readRegion() {
	g := a.r.cat.Gazetteer()
	for from := 0; from < len(a.s); {
		ms := g.Find(a.s[from:])
		if len(ms) == 0 {
			return
		}
		m := ms[0]
		m.Start, m.End = m.Start+from, m.End+from
		countyless := len(m.Divisions) == 1 && m.Divisions[0].Level == gazetteer.Prefecture && len(g.List(m.Divisions[0], gazetteer.County)) == 0
		if m.Derived && !countyless && !a.seatSaid(m.Start, m.End) || !a.regionWordOK(m.Start, m.End) {
			// 确定南康区: a refused 定南 may hide a name that starts inside it.
			_, size := utf8.DecodeRuneInString(a.s[m.Start:])
			from = m.Start + size
			continue
		}
		from = m.End
		var places []*gazetteer.Division
		for _, d := range m.Divisions {
			// 东莞, 中山: a prefecture with no counties is a seat too.
			if d.Level == gazetteer.County || d.Level == gazetteer.Zone || d.Level == gazetteer.Prefecture && len(g.List(d, gazetteer.County)) == 0 {
				places = append(places, d)
			}
		}
		switch len(places) {
		case 0:
			// A province or city names no place of registration.
		case 1:
			if a.namesDocument(m.End) {
				continue // 广州南沙那个30万的奖励: a document's place, not the seat
			}
			if hasAnySuffix(a.s[:m.Start], notAtWords...) {
				continue // 那家企业不在南沙注册: the place it is not
			}
			if a.movedFrom(m.Start, m.End) {
				continue // 由黄埔区迁入: where it came from
			}
			if a.has("region") && a.registered && !a.registeredAt(m.Start) {
				continue // 我们公司在赤城县,在南沙工作12年: the seat stands
			}
			if a.registeredAt(m.Start) {
				a.registered = true
				a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool { return c.m.Key == "region" })
			}
			a.add(m.Start, Mention{Key: "region", Value: matcher.RegionName(g, places[0]), Text: a.s[m.Start:m.End]})
		default:
			a.unclear = appendUnique(a.unclear, "region")
		}
	}
}

// fromWords before a place and moveWords after it say the applicant came
// from there: 由黄埔区迁入, 从番禺搬过来.
var (
	fromWords = []string{"由", "从", "自"}
	moveWords = []string{"迁入", "迁来", "迁过来", "迁移过来", "搬来", "搬过来", "转入", "转过来", "整体迁入", "整体搬迁"}
)

// movedFrom reports whether the place at [start, end) is one the applicant
// moved from, with the place it moved to unsaid after it.
func (a *analysis) movedFrom(start, end int) bool {
	rest := strings.TrimLeft(a.s[end:], "区县市 ")
	return hasAnySuffix(a.s[:start], fromWords...) && hasAnyPrefix(rest, moveWords...)
}

// notAtWords before a place deny that the applicant is there.
var notAtWords = []string{"不在", "没在", "不是在", "并不在", "没有在", "不属于", "并非"}

// registeredAt reports whether the place named at pos is where the
// applicant is registered or sits: 我们公司在…, 注册在…, 位于….
func (a *analysis) registeredAt(pos int) bool {
	before := a.s[a.clauseAt(pos).start:pos]
	return hasAnySuffix(before, "注册在", "注册地在", "注册地是", "注册地:", "注册地: ", "位于", "坐落在", "地处", "公司在", "企业在", "我们在", "我司在", "厂在", "单位在", "注册于",
		"我们是", "我司是", "我们公司是", "本公司是")
}

// namesDocument reports whether the place ending at end names a document
// asked about rather than the applicant's seat: 南沙那个30万的奖励, 柳河那边的
// 政策.
func (a *analysis) namesDocument(end int) bool {
	rest := a.s[end:a.clauseAt(end).end]
	return hasAnyPrefix(rest, "那个", "那边的", "那里的", "的政策", "的文件", "那项", "出台的", "发的")
}

func (a *analysis) regionWordOK(start, end int) bool {
	word := a.s[start:end]
	last, _ := utf8.DecodeLastRuneInString(word)
	if utf8.RuneCountInString(word) > 2 {
		return true
	}
	if last == '县' || last == '区' || last == '市' {
		// A one-character name with its suffix (息县, 沛县) is a word only
		// where a word can start: 电子信息县域 names no county.
		prev, size := utf8.DecodeLastRuneInString(a.s[:start])
		return size == 0 || !unicode.Is(unicode.Han, prev) || hasAnySuffix(a.s[:start], aliasPlaceBefore...)
	}
	first, _ := utf8.DecodeRuneInString(word)
	before, after := a.s[:start], a.s[end:]
	placeAfter := endsWord(after) || hasAnyPrefix(after, aliasPlaceAfter...)
	if prev, size := utf8.DecodeLastRuneInString(before); size > 0 && contains(aliasLeftWords, string(prev)+string(first)) {
		return placeAfter
	}
	next, size := utf8.DecodeRuneInString(after)
	if size == 0 || placeAfter || !contains(aliasRightWords, string(last)+string(next)) {
		return true
	}
	for _, w := range aliasPlaceBefore {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// readMade reads the enum facts whose options are things made (the
// industry: 家具, 稀土): from the words of their options, longest first,
// skipping 不是做家具的, words inside longer ones and inside place names
// (铜鼓县); the last one named wins. Said as made (做家具的, 家具厂), the
// option also states the fact the catalogue names (工业企业).
func (a *analysis) readMade() {
	for _, fi := range a.r.madeFacts {
		f := &a.r.cat.Facts()[fi]
		type hit struct{ start, end int }
		var taken []hit
		for _, w := range a.r.madeWords[fi] {
			if !a.found[w.word] {
				continue
			}
			for from := 0; ; {
				start := a.index(from, len(a.s), w.word)
				if start < 0 {
					break
				}
				end := start + len(w.word)
				from = end
				inside := false
				for _, h := range taken {
					if start < h.end && end > h.start {
						inside = true
					}
				}
				if inside || a.inPlaceName(start, end) {
					continue
				}
				taken = append(taken, hit{start, end})
				if a.negatedAt(start, end) {
					continue
				}
				a.add(start, Mention{Key: f.Key, Value: w.value, Text: w.word})
				if phrase := a.makes(start, end, f.Making, w.value); phrase != "" && !a.has(f.Making.Fact) {
					g, _ := a.r.cat.Lookup(f.Making.Fact)
					a.add(start, Mention{Key: g.Key, Value: true, Text: phrase,
						Note: "按“" + phrase + "”理解为" + g.Label + ",如不是请告诉我"})
				}
			}
		}
	}
}

// placeNames returns the place names of the message, found once.
func (a *analysis) placeNames() []gazetteer.Mention {
	if a.places == nil {
		a.places = a.r.cat.Gazetteer().Find(a.s)
		if a.places == nil {
			a.places = []gazetteer.Mention{}
		}
	}
	return a.places
}

// inPlaceName reports whether [start, end) lies inside a place name of
// which it is not the whole: 铜 of 铜鼓县.
func (a *analysis) inPlaceName(start, end int) bool {
	for _, m := range a.placeNames() {
		if m.Start <= start && m.End >= end && (m.Start < start || m.End > end) {
			return true
		}
	}
	return false
}

// makeVerbs before a product, or makeNouns after it, say the enterprise
// makes it: 做家具的, 生产稀土永磁材料, 家具厂.
var (
	makeVerbs = []string{"做", "生产", "制造", "加工", "造"}
	makeNouns = []string{"厂", "制造", "生产", "加工"}
)

// makes returns the words that say the product at [start, end), a word of
// option, is made by the speaker (做家具, 家具厂), or "". Services are never
// made, and 做脐橙 may be farming: a farmed option needs 加工 or 厂.
func (a *analysis) makes(start, end int, making *kb.MakingSpec, option string) string {
	if contains(making.Services, option) {
		return ""
	}
	if word := a.s[start:end]; hasAnySuffix(word, "厂", "工厂") {
		return word // 电子厂, 烟厂
	}
	c := a.clauseAt(start)
	from := runesBefore(a.s, c.start, start, 3)
	for _, v := range makeVerbs {
		if contains(making.Farmed, option) {
			break
		}
		if i := strings.LastIndex(a.s[from:start], v); i >= 0 {
			return a.s[from+i : end]
		}
	}
	to := runesAfter(a.s, end, c.end, 2)
	for _, n := range makeNouns {
		if i := strings.Index(a.s[end:to], n); i >= 0 {
			return a.s[start : end+i+len(n)]
		}
	}
	return ""
}

// giverWords after a body say what it gives or says: 县里有奖励吧 names the
// payer, not the speaker.
var giverWords = []string{"有奖", "有补", "有没有", "有什么", "有政策", "有钱", "有扶持", "给钱", "给多少", "给奖励", "奖励", "补贴", "补助", "会给", "能给", "发钱", "兑现", "出钱",
	// 统计局数据出来了, 税务局那边核了: a body the figures come from.
	"数据", "的数据", "统计", "核了", "核实", "核定", "公布", "那边", "出的", "刚出", "刚公布", "刚核", "说", "反馈", "确认"}
