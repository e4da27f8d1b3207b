package dialogue

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// The follow-up questions the chat answers from the results it has told,
// not from a search (kb.FollowUpKinds); their words are in chat.yaml.
const (
	FollowValidity    = kb.FollowValidity
	FollowDepartment  = kb.FollowDepartment
	FollowMaterials   = kb.FollowMaterials
	FollowComputation = kb.FollowComputation
	FollowHowMuch     = kb.FollowHowMuch
	FollowPayment     = kb.FollowPayment
	FollowSource      = kb.FollowSource
	FollowStacking    = kb.FollowStacking
	FollowRecipient   = kb.FollowRecipient
	FollowObligations = kb.FollowObligations
	FollowLimits      = kb.FollowLimits
	FollowNextStep    = kb.FollowNextStep
	FollowReason      = kb.FollowReason
)

// FollowUps lists the follow-up kinds in the order a message is tested for
// them: the more particular first.
var FollowUps = []string{FollowNextStep, FollowLimits, FollowObligations, FollowRecipient, FollowStacking, FollowPayment, FollowComputation, FollowHowMuch, FollowMaterials, FollowValidity, FollowDepartment, FollowSource, FollowReason}

// docSaysLead opens the sentences of the document a follow-up answer quotes.
const docSaysLead = "文件中的相关规定:"

// seeBelow and seeAbove point to the document's sentences quoted after or
// before.
const seeBelow, seeAbove = "(见下)", "(见上)"

// maxFollowResults bounds how many results a follow-up answer speaks of.
const maxFollowResults = 3

// followUpOf returns the follow-up a message asks, or "": the first kind
// of FollowUps whose words it holds. also is a second kind asked in another
// clause (去哪申报,钱啥时候兑付), or "".
func (a *analysis) followUpOf() (kind, also string) {
	for _, k := range FollowUps {
		if a.asksAny(a.r.followWords[k]) {
			kind = k
			break
		}
	}
	if kind == "" {
		return "", ""
	}
	at := slices.IndexFunc(a.clauses, func(c clause) bool { return a.windowHas(c.start, c.end, a.r.followWords[kind]) })
	for _, k := range FollowUps {
		if k != kind && at >= 0 && slices.ContainsFunc(a.clauses, func(c clause) bool {
			return c != a.clauses[at] && a.windowHas(c.start, c.end, a.r.followWords[k])
		}) {
			return kind, k
		}
	}
	return kind, ""
}

// afterWords close a clause of time (到账以后, 拿到之后): the words before
// them say when, and the question is what follows.
var afterWords = []string{"以后", "之后", "后", "了以后", "了之后", "了后"}

// asksAny reports whether the message holds one of words other than as the
// time of another question (这笔奖励到账以后要不要交税 asks of tax, not of
// when the money comes).
func (a *analysis) asksAny(words []string) bool {
	for _, w := range words {
		for from := 0; ; {
			i := a.index(from, len(a.s), w)
			if i < 0 {
				break
			}
			rest := a.s[i+len(w):]
			if !hasAnyPrefix(rest, afterWords...) || strings.Trim(rest, "?？。!！ ") == "" {
				return true
			}
			from = i + len(w)
		}
	}
	return false
}

// namedInArea returns the benefits the message names of the documents of
// the speaker's area (all while it is unknown) for the applicant's type.
func (s *Service) namedInArea(st *State, u Understanding) []string {
	docs, at := s.docsInArea(st), st.applicantType()
	var out []string
	for _, id := range s.benefitsNamed(u) {
		b, ok := s.engine.Benefit(id)
		if !ok || docs != nil && !slices.Contains(docs, b.DocID) || !slices.Contains(b.Applicants, at) {
			continue
		}
		// A name, not a figure or a word of many titles: 经营贡献奖, not
		// 500亩 or 奖励资金.
		name, _, _ := strings.Cut(b.Title, "(")
		if run := LongestCommon(name, u.Text); distinctive(run) >= 4 && !strings.ContainsAny(run, "0123456789") {
			out = append(out, id)
		}
	}
	return out
}

// benefitsCited returns the benefits of the clauses the last answer cited
// that the applicant's type may have, or all of theirs when it may have
// none; nil when no benefit is of those clauses.
func (s *Service) benefitsCited(st *State) []string {
	var mine, all []string
	at := st.applicantType()
	for _, c := range st.Cited {
		for _, b := range s.engine.Benefits() {
			if b.DocID != c.DocID || b.Article != c.Article {
				continue
			}
			all = append(all, b.ID)
			if slices.Contains(b.Applicants, at) {
				mine = append(mine, b.ID)
			}
		}
	}
	if len(mine) > 0 {
		return mine
	}
	return all
}

// followUpAnswer answers a follow-up about the results told last, matched
// again on what the session knows now; of them, about those that read a
// fact of the message when the message gives facts. With no results told
// it answers of the benefits of the clauses cited last, and with none of
// those from the clauses the search finds.
func (s *Service) followUpAnswer(ctx context.Context, st *State, u Understanding, r *Reply) (string, error) {
	ids, shown := st.Told, false
	if len(ids) == 0 {
		// 具体怎么算, after a clause was shown: about its benefits, which
		// the facts may not touch yet.
		ids, shown = s.benefitsCited(st), true
	}
	if named := s.namedInArea(st, u); len(ids) > 0 && len(named) > 0 && s.longestRun(named, u.Text) > s.longestRun(s.named(ids, u.Text), u.Text) && !slices.ContainsFunc(named, func(id string) bool { return slices.Contains(ids, id) }) {
		// 那经营贡献奖是怎么算的, after the settling award was told: the
		// benefit it names, told or not; 金牌工匠奖给多少, after the 工匠奖
		// told, names the gold one, by more of its words.
		ids, shown = named, true
	}
	if len(ids) == 0 && u.FollowUp == FollowReason {
		// 为什么不行, after nothing came out eligible: of what the facts
		// told were judged on.
		ids = s.judged(st)
	}
	if len(ids) == 0 {
		if t := s.validityOfNamed(ctx, st, u, r); t != "" {
			return t, nil // 这个总部政策现在还有效吗, with nothing told
		}
		return s.policyAnswer(ctx, st, u, r), nil
	}
	p, err := st.profile(s.engine.Catalogue())
	if err != nil {
		return "", err
	}
	out := s.matchRanges(st, p, matcher.Options{AsOf: st.asOf(s.now()), Skip: st.Declined, IncludeIneligible: true, IncludeUntouched: shown})
	if of := s.ofSum(st.Told, out.Results, u.Text); len(of) > 0 {
		ids = of // 这600万是按什么算的: the one of that sum
	} else if about := s.reading(ids, u.Mentions); len(about) > 0 {
		ids = about // 另外还租了800平的办公室,租金补贴怎么算: the rent's
	} else if named := s.named(ids, u.Text); len(named) > 0 {
		ids = named // 那个技能提升补贴给多少: the one it names
	}
	var told []matcher.Result
	for _, id := range ids {
		for _, res := range out.Results {
			if res.BenefitID == id && len(told) < maxFollowResults {
				told = append(told, res)
			}
		}
	}
	if len(told) == 0 {
		return s.policyAnswer(ctx, st, u, r), nil
	}
	if eligible := slices.DeleteFunc(slices.Clone(told), func(x matcher.Result) bool { return x.Status != matcher.Eligible }); len(u.Mentions) > 0 && len(eligible) > 0 {
		told = eligible // said with facts: about what they made eligible
	}
	many := slices.ContainsFunc(told, func(x matcher.Result) bool { return x.DocID != told[0].DocID })
	var b strings.Builder
	switch u.FollowUp {
	case FollowObligations, FollowLimits:
		// What binds the applicant (10年内不迁出) or bounds how often it
		// may apply (每年限一笔) is said once, from the text.
		if said, c := s.documentSays(ctx, u, told); said != "" {
			b.WriteString(docSaysLead + kb.Cite(c.Article) + ":" + said)
			r.Citations = appendCitation(r.Citations, citation(c))
		} else {
			what := "领取后的限制或义务"
			if u.FollowUp == FollowLimits {
				what = "申请次数或笔数的限制"
			}
			b.WriteString("条文未写明" + what + ";具体以申报通知为准,请向" + deptOf(told[0]) + "确认。")
		}
	case FollowValidity:
		seen := map[string]bool{}
		for _, res := range told {
			if seen[res.DocID] {
				continue
			}
			seen[res.DocID] = true
			b.WriteString(s.validityOf(res.DocID, st) + "。")
			for _, d := range s.library.Documents() {
				if d.DocID == res.DocID {
					b.WriteString(s.citeValidity(ctx, d, r))
				}
			}
		}
	default:
		said, c := "", (*kb.Clause)(nil)
		if !hasGuide(told, u.FollowUp) {
			said, c = s.documentSays(ctx, u, told)
		}
		if said != "" && textOnly[u.FollowUp] && slices.ContainsFunc(told, func(res matcher.Result) bool { return res.DocID == c.DocID && res.Article == c.Article }) {
			// 给予一次性2000万元的资金奖励, in the result's own clause: the
			// text answers, where the results would say it is not written.
			b.WriteString(docSaysLead + kb.Cite(c.Article) + ":" + said)
			r.Citations = appendCitation(r.Citations, citation(c))
			break
		}
		for i, res := range told {
			if i > 0 {
				b.WriteString(";")
			}
			text := s.followUpText(u.FollowUp, res, p)
			if said != "" && u.FollowUp == FollowPayment && payoutUnwritten(res) && c.DocID == res.DocID && c.Article != res.Article &&
				containsAny(said, payoutWords) {
				// 次年一次性兑付 in 第三条: the benefit's clause is silent, and
				// its document is not.
				text = "本条未写明,按文件" + kb.Cite(c.Article) + "的规定" + seeBelow
			}
			fmt.Fprintf(&b, "%s(%s):%s", res.Title, citeResult(res, many), text)
		}
		b.WriteString("。")
		if hasGuide(told, u.FollowUp) {
			b.WriteString("(" + told[0].Guide.Note + ")")
		} else if said != "" {
			// The document may say it elsewhere: 奖励申报与次年一次性兑付.
			b.WriteString(docSaysLead + kb.Cite(c.Article) + ":" + said)
			r.Citations = appendCitation(r.Citations, citation(c))
		}
	}
	if containsAny(u.Text, totalWords) {
		b.WriteString(sumOfTold(st.Told, out.Results))
	}
	for _, res := range told {
		r.Citations = appendCitation(r.Citations, Citation{DocID: res.DocID, DocNo: res.DocNo, DocTitle: res.DocTitle, Article: res.Article, Title: res.Title})
	}
	return b.String(), nil
}

// sumOfTold adds up the one-off sums of the eligible results told (一共能拿
// 多少): of a group granted only at its highest (就高不重复), the highest; a
// total of a clause's kinds instead of its parts; and it names those whose
// sum is open or yearly rather than count them.
func sumOfTold(ids []string, results []matcher.Result) string {
	var eligible []matcher.Result
	for _, res := range results {
		if res.Status == matcher.Eligible && slices.Contains(ids, res.BenefitID) {
			eligible = append(eligible, res)
		}
	}
	inTotal := map[string]bool{}
	for _, res := range eligible {
		for _, id := range res.TotalOf {
			inTotal[id] = true
		}
	}
	best := map[string]int{} // exclusive group → index in eligible of its highest
	var terms, open []string
	var sum int64
	for i, res := range eligible {
		switch {
		case inTotal[res.BenefitID]:
			continue
		case res.Amount == nil || res.Amount.Years > 0 || res.Amount.PerYear:
			open = append(open, res.Title)
			continue
		case res.ExclusiveGroup != "":
			if j, ok := best[res.ExclusiveGroup]; ok && eligible[j].Amount.CNY >= res.Amount.CNY {
				continue
			}
			best[res.ExclusiveGroup] = i
			continue
		}
		terms = append(terms, res.Title+matcher.FormatYuan(res.Amount.CNY))
		sum += res.Amount.CNY
	}
	for _, i := range best {
		terms = append(terms, eligible[i].Title+matcher.FormatYuan(eligible[i].Amount.CNY)+"(就高不重复)")
		sum += eligible[i].Amount.CNY
	}
	if len(terms) < 2 && len(open) == 0 {
		return ""
	}
	t := "合计:" + strings.Join(terms, " + ") + " = " + matcher.FormatYuan(sum)
	if len(terms) == 0 {
		t = ""
	}
	if len(open) > 0 {
		t += ";未计入金额未定或按年计算的" + strings.Join(open, "、")
	}
	return t + "。"
}

// judged returns the benefits the facts told bear on, ruled out first:
// what a "why not" is asked of when nothing was told eligible.
func (s *Service) judged(st *State) []string {
	p, err := st.profile(s.engine.Catalogue())
	if err != nil || len(st.Facts) == 0 {
		return nil
	}
	out := s.engine.Match(p, matcher.Options{AsOf: st.asOf(s.now()), Skip: st.Declined, IncludeIneligible: true})
	var ids []string
	for _, want := range []matcher.Status{matcher.Ineligible, matcher.Undetermined} {
		for _, res := range out.Results {
			if res.Status == want && (want == matcher.Undetermined && res.InPlay || want == matcher.Ineligible && s.touchedBySaid(res, st)) {
				ids = append(ids, res.BenefitID)
			}
		}
	}
	return ids
}

// touchedBySaid reports whether a result ruled out reads a fact the speaker
// told beyond who and where it is.
func (s *Service) touchedBySaid(res matcher.Result, st *State) bool {
	for _, c := range res.Conditions {
		for _, k := range c.Facts {
			if f, ok := s.engine.Catalogue().Lookup(k); ok && !f.General && k != "region" && k != "applicant_type" {
				if _, known := st.fact(k); known {
					return true
				}
			}
		}
	}
	return res.OutOfForce != "" && res.OutOfArea == ""
}

// named returns the benefits of ids whose titles the question echoes
// most, by three characters or more in a row; none when it echoes none.
func (s *Service) named(ids []string, text string) []string {
	var out []string
	best := 2
	// 这个奖励是按什么算的?贷款那1200万不算吗: pointed back to, the award
	// is the one told; two characters of another's title (贷款) name none.
	least := 2
	if slices.ContainsFunc([]string{"奖励", "补助", "补贴", "资助", "钱"}, func(w string) bool { return pointsBack(text, w) }) {
		least = 3
	}
	for _, id := range ids {
		b, ok := s.engine.Benefit(id)
		if !ok {
			continue
		}
		run := LongestCommon(b.Title, text)
		switch n := utf8.RuneCountInString(run); {
		case n < least, n == 2 && (pointsBack(text, run) || s.reader.applicantWord(run)):
			// 这个奖励是一次性的吗 points back to what was just told, and 发给
			// 企业还是个人 asks whom: neither names a title that holds the
			// word.
		case n > best:
			best, out = n, []string{id}
		case n == best:
			out = append(out, id)
		}
	}
	return out
}

// longestRun returns the most characters the title of one of ids shares
// with text in a row; 0 for none.
func (s *Service) longestRun(ids []string, text string) int {
	n := 0
	for _, id := range ids {
		if b, ok := s.engine.Benefit(id); ok {
			n = max(n, utf8.RuneCountInString(LongestCommon(b.Title, text)))
		}
	}
	return n
}

// pointsBack reports whether a demonstrative says the word w of text
// (这个奖励, 那笔补贴): it refers back rather than names.
func pointsBack(text, w string) bool {
	i := strings.Index(text, w)
	return i >= 0 && hasAnySuffix(text[:i], "这个", "那个", "这笔", "那笔", "这项", "那项", "这", "那", "该")
}

// sumRE finds the sums a follow-up names: 600万, 六百万元, 1.2亿.
var sumRE = regexp.MustCompile(`[0-9０-９.]+\s*[万亿]元?|[零一二两三四五六七八九十百千]+[万亿]元?`)

// ofSum returns the benefits of ids whose sum, in results, is one the text
// names (这600万是按什么算的); nil when it names none of them.
func (s *Service) ofSum(ids []string, results []matcher.Result, text string) []string {
	var sums []int64
	for _, m := range sumRE.FindAllString(text, -1) {
		if a, ok := ParseAmount(m); ok && a.Exact {
			sums = append(sums, a.Yuan)
		}
	}
	if len(sums) == 0 {
		return nil
	}
	var out []string
	for _, r := range results {
		if slices.Contains(ids, r.BenefitID) && r.Amount != nil && slices.Contains(sums, r.Amount.CNY) && !slices.Contains(out, r.BenefitID) {
			out = append(out, r.BenefitID)
		}
	}
	return out
}

// reading returns the benefits of ids that read a fact of mentions other
// than who and where the applicant is.
func (s *Service) reading(ids []string, mentions []Mention) []string {
	var out []string
	for _, id := range ids {
		b, ok := s.engine.Benefit(id)
		if ok && slices.ContainsFunc(mentions, func(m Mention) bool {
			f, _ := s.engine.Catalogue().Lookup(m.Key)
			return f != nil && !f.Identity && b.Reads(m.Key)
		}) {
			out = append(out, id)
		}
	}
	return out
}

// choiceWords say in a benefit's title that it is one of two to choose.
var choiceWords = []string{"二选一", "择一", "选其一", "任选"}

// whenWords ask when: 一次性的什么时候能到账 asks when, not how.
var whenWords = []string{"什么时候", "啥时候", "多久", "何时", "多长时间", "哪天", "几月"}

// paymentModeWords ask, and tell, whether a sum is paid at once or in parts.
var paymentModeWords = []string{"一次性", "一次给", "一次发", "给一次", "每年都给", "每年都有", "每年都发", "每年", "分期", "分几年", "分年", "分几次", "分批", "逐年"}

// textOnly are the follow-ups a result answers only from its guide (兑付时间):
// without one, the sentence of its own clause that speaks of it is the
// answer. Materials are not among them: a clause's 原材料 is no list of
// what to hand in.
var textOnly = map[string]bool{FollowPayment: true}

// kindWords are words a sentence of a document uses when it speaks of one
// kind of follow-up.
var kindWords = map[string][]string{
	FollowMaterials:   {"材料", "资料", "申报", "提供", "提交", "财务数据", "验收", "证明", "审核"},
	FollowPayment:     {"兑付", "兑现", "拨付", "发放", "次年", "年末", "分期"},
	FollowDepartment:  {"负责", "受理", "审核", "牵头", "解释"},
	FollowStacking:    {"就高不重复", "不重复", "不得重复", "同一项目", "同一事项", "叠加", "累加"},
	FollowLimits:      {"一笔", "每年", "限", "最多", "不超过", "累计", "每家", "每个", "一次性", "同一"},
	FollowObligations: {"不迁出", "迁出", "退回", "追回", "退还", "收回", "不得", "承诺", "不改变", "违反", "取消", "抵扣", "扣减"},
}

// payoutUnwritten reports whether nothing of res says how it is paid: no
// guide's payout, and no sum of each year.
func payoutUnwritten(res matcher.Result) bool {
	a := res.Amount
	return (res.Guide == nil || res.Guide.Payout == "") && !(a != nil && (a.Years > 0 || a.PerYear))
}

// payoutWords say when or how a benefit is paid out (次年一次性兑付), as a
// loan's 发放 does not.
var payoutWords = []string{"兑付", "兑现", "拨付"}

// documentSays returns the sentences that answer a follow-up of a kind the
// results hold no guide for (申报材料, 兑付时间), and their clause: the
// results' own clauses first, in the order told (每个研发机构每年可申请一项
// is in the clause of the second result), then the first result's
// document's others that the search finds relevant.
func (s *Service) documentSays(ctx context.Context, u Understanding, told []matcher.Result) (string, *kb.Clause) {
	words := kindWords[u.FollowUp]
	if len(words) == 0 {
		return "", nil
	}
	mode := u.FollowUp == FollowPayment && containsAny(u.Text, paymentModeWords) && !containsAny(u.Text, whenWords)
	if mode {
		// 一次性给还是分几年给 asks how, which 给予一次性2000万元 answers;
		// 什么时候能发 asks when, which it does not.
		words = append(slices.Clone(words), paymentModeWords...)
	}
	q := u.Text + " " + strings.Join(words, " ")
	var clauses []*kb.Clause
	// A sentence of a clause that several benefits share (柳河 二.1's four
	// items) answers for the results told only if it quotes none of the
	// others, or one of theirs: 按项目投资进度分期拨付 is item 1's, not
	// item 3's; 以企业财务数据为准 is every item's.
	mine, others := map[*kb.Clause][]string{}, map[*kb.Clause][]string{}
	for _, res := range told {
		c, err := s.library.Clause(res.DocID, res.Article)
		if err != nil || slices.Contains(clauses, c) {
			continue
		}
		clauses = append(clauses, c)
		for _, b := range s.engine.Benefits() {
			if b.DocID != res.DocID || b.Article != res.Article {
				continue
			}
			if slices.ContainsFunc(told, func(x matcher.Result) bool { return x.BenefitID == b.ID }) {
				mine[c] = append(mine[c], b.Quotes()...)
			} else {
				others[c] = append(others[c], b.Quotes()...)
			}
		}
	}
	// 会议这个每年能申请几次: a told clause's own sentence of the kind
	// (每个研发机构每年可申请一项) answers before any other clause, though
	// its sentence of the award shares more words with the question.
	for _, c := range clauses {
		if said := s.search.Answer(c, q); containsAny(said, words) && (containsAny(said, mine[c]) || !containsAny(said, others[c])) {
			return said, c
		}
		if u.FollowUp != FollowLimits && u.FollowUp != FollowObligations {
			continue // 发放住房补贴 says no way of paying
		}
		for _, sentence := range strings.FieldsFunc(c.Text, func(r rune) bool { return r == '。' || r == ';' || r == '；' }) {
			if containsAny(sentence, words) && !containsAny(sentence, others[c]) {
				return strings.TrimSpace(sentence) + "。", c
			}
		}
	}
	own := len(clauses)
	if hits, err := s.search.SearchIn(ctx, q, 5, []string{told[0].DocID}); err == nil && !mode {
		// How a benefit is paid is its own clause's to say: 每年 of another
		// clause (每年居住超过6个月) is no mode of payment.
		for _, h := range hits {
			clauses = append(clauses, h.Clause)
		}
	}
	for i, c := range clauses {
		said := s.search.Answer(c, q)
		if i >= own && u.FollowUp == FollowPayment && !containsAny(said, awardNouns) {
			continue // 提高贷款审批发放效率 pays out a loan, not a benefit
		}
		if containsAny(said, words) && (containsAny(said, mine[c]) || !containsAny(said, others[c])) {
			return said, c
		}
	}
	return "", nil
}

// hasGuide reports whether the answer drew on an officer's guide.
func hasGuide(told []matcher.Result, kind string) bool {
	if told[0].Guide == nil {
		return false
	}
	g := told[0].Guide
	switch kind {
	case FollowDepartment:
		return g.Where != "" || g.Contact != ""
	case FollowMaterials:
		return len(g.Materials) > 0
	case FollowPayment:
		return g.Payout != ""
	}
	return false
}

// deptOf names who handles res, or the issuer when the clause names no one.
func deptOf(res matcher.Result) string {
	if res.Department == "" || res.Department == "条文未写明" {
		return "发文机关"
	}
	return res.Department
}

// followUpText answers one kind of follow-up for one result.
func (s *Service) followUpText(kind string, res matcher.Result, p *matcher.Profile) string {
	who := deptOf(res)
	g := res.Guide
	if g == nil {
		g = &matcher.Guide{}
	}
	switch kind {
	case FollowDepartment:
		t := "由" + who + "兑现"
		if res.Payer != "" && res.Payer != who {
			t = "由" + res.Payer + "出资," + who + "兑现"
		}
		if res.DepartmentNote != "" {
			t += "(" + res.DepartmentNote + ")"
		}
		if g.Where != "" {
			t += ",申请地点:" + g.Where
		}
		if g.Contact != "" {
			t += ",咨询:" + g.Contact
		}
		return t
	case FollowMaterials:
		if len(g.Materials) > 0 {
			return "需准备" + strings.Join(g.Materials, "、")
		}
		return "条文未列明申报材料,请向" + who + "或政务服务大厅惠企政策窗口咨询当年的申报通知"
	case FollowComputation, FollowHowMuch:
		switch {
		case kind == FollowHowMuch && res.Status == matcher.Ineligible && res.Amount == nil:
			// Not that the clause names no sum: nothing is due on what was
			// told. A sum the clause fixes is said, as what it would be.
			t := "按目前的信息暂不符合条件"
			if why := failedConditions(res); why != "" {
				t += "(" + why + ")"
			}
			if b, ok := s.engine.Benefit(res.BenefitID); ok {
				if v, ok := b.Amount.Fixed(); ok {
					return "条文规定" + v.Basis + ";" + t
				}
				if p != nil {
					if bd := b.Amount.Bound(p); bd != nil {
						return "条文规定" + bd.String() + ";" + t
					}
				}
			}
			return t + ",暂无金额"
		case res.Amount != nil && res.Amount.Basis != "":
			if b, ok := s.engine.Benefit(res.BenefitID); ok && kind == FollowComputation && b.StepRule() != "" {
				// 这50万是按什么标准算出来的: the rule of the steps, then the sum.
				return "条文规定" + b.StepRule() + ";" + res.Amount.Basis
			}
			return res.Amount.Basis
		case res.AmountNote != "":
			return res.AmountNote
		case res.Support != "":
			return "不是资金奖励,而是" + res.Support
		}
		return "条文未规定具体金额,由" + who + "核定"
	case FollowPayment:
		t := "条文未写明兑现时间,由" + who + "按当年申报通知办理"
		switch {
		case g.Payout != "":
			t = g.Payout
		case !payoutUnwritten(res):
			// 生活补助是每年都有吗: the sum is of each year, as the text says.
			t = res.AmountText() + ";兑现时间条文未写明,由" + who + "按当年申报通知办理"
		}
		if res.Recipient != "" {
			t = "发给" + res.Recipient + "(条文规定);" + t // 奖金怎么发: to whom is part of how
		}
		return t
	case FollowNextStep:
		if b, ok := s.engine.Benefit(res.BenefitID); ok {
			if t, ok := b.NextStep(p); ok {
				if why := failedConditions(res); res.Status == matcher.Ineligible && why != "" {
					t = "按目前的信息暂不符合(" + why + ");" + t // an expired or refused benefit's bands
				}
				return t
			}
		}
		if why := failedConditions(res); res.Status == matcher.Ineligible && why != "" {
			// 那要做到多少才能拿那20万, after 刚好2000万 fell short of 超过:
			// the bar itself.
			return "条文未按台阶分档;按目前的信息暂不符合(" + why + ")"
		}
		return "条文未按台阶分档,不涉及下一个台阶"
	case FollowReason:
		switch {
		case res.OutOfForce != "":
			return strings.TrimPrefix(res.OutOfForce, "不满足:")
		case res.OutOfArea != "":
			return res.OutOfArea
		case res.Status == matcher.Ineligible:
			if why := failedConditions(res); why != "" {
				return "不符合条件:" + why
			}
			return "不符合条件:" + strings.Join(res.Reasons, ";")
		case res.Status == matcher.Undetermined:
			return "尚待确认:" + strings.Join(slices.DeleteFunc(slices.Clone(res.Reasons), func(x string) bool { return !strings.HasPrefix(x, "待确认") }), ";")
		}
		if res.Amount != nil && res.Amount.Basis != "" {
			return "符合条件,金额按" + res.Amount.Basis // 怎么只有300万: how the sum comes
		}
		return "符合条件:" + strings.Join(res.Reasons, ";")
	case FollowRecipient:
		if res.Recipient != "" {
			return "奖励对象为" + res.Recipient + "(条文规定)"
		}
		return "条文未另行规定领取人,由申请单位申报领取"
	case FollowStacking:
		if b, ok := s.engine.Benefit(res.BenefitID); ok && b.ExclusiveNote() != "" {
			return b.ExclusiveNote()
		}
		if _, note, ok := strings.Cut(res.Title, "("); ok && containsAny(note, choiceWords) {
			// 高端领军人才人才公寓(与安家补贴二选一): the title says the text's
			// either-or (给予…安家补贴或…人才公寓).
			return "条文规定" + strings.TrimSuffix(note, ")") + ",不能同时享受"
		}
		if c, err := s.library.Clause(res.DocID, res.Article); err == nil {
			if said := stackingSaid(c.Text); said != "" {
				// 在享受市有关政策的基础上,每家给予50万元: the clause says how
				// it stands to other measures.
				return "条文规定:“" + said + "”"
			}
		}
		// Silence in the text is no permission: other documents or the
		// year's notice may forbid taking two awards for one thing.
		return "条文未规定不得与其他扶持同时享受;能否叠加,请向" + who + "确认"
	}
	// FollowSource
	t := fmt.Sprintf("出自%s《%s》%s", res.DocNo, strings.Trim(res.DocTitle, "《》"), kb.Cite(res.Article))
	if res.DocNo == "" {
		t = "出自《" + strings.Trim(res.DocTitle, "《》") + "》" + kb.Cite(res.Article)
	}
	if c, err := s.library.Clause(res.DocID, res.Article); err == nil && res.Amount == nil {
		if refs := documentsCited(c.Text, res.Title); len(refs) > 0 {
			// 按照《关于大力引进高层次人才的若干意见》(赣市才发〔2013〕2号)给予…:
			// the standard is that document's.
			t += ";条文所依据的文件为" + strings.Join(refs, "、") + ",具体标准以该文件为准"
		}
	}
	return t
}

// stackingWords say in a clause how its measure stands to others.
var stackingWords = []string{"基础上", "叠加", "不重复", "重复享受", "同时享受", "就高", "每年可申请一", "只能申请一", "限申请一"}

// stackingSaid returns the sentence of a clause's text that says how its
// measure stands to others (在享受市有关政策的基础上…), or "".
func stackingSaid(text string) string {
	for _, sentence := range strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == ';' || r == '；' }) {
		if containsAny(sentence, stackingWords) {
			return strings.TrimSpace(sentence)
		}
	}
	return ""
}

// citedDocRE finds the documents a clause cites as its standard: after a
// word of citing (按照, 依据), a title in 《》 with its number in brackets,
// a title alone, or a number alone (赣市才发〔2013〕2号).
var citedDocRE = regexp.MustCompile(`(?:按照|依照|依据|根据|参照|按)(《[^》]{2,40}》(?:[(（][^()（）]{0,12}[〔\[]\d{4}[〕\]]\d+号[)）])?|\p{Han}{2,8}[〔\[]\d{4}[〕\]]\d+号)`)

// documentsCited returns the documents text cites as the standard of the
// benefit title names: in a sentence that also names the benefit (按照《关于
// 大力引进高层次人才的若干意见》…给予 of 高层次人才优惠政策), each once.
func documentsCited(text, title string) []string {
	name, _, _ := strings.Cut(title, "(")
	var out []string
	for _, sentence := range strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == ';' || r == '；' }) {
		if distinctive(LongestCommon(name, sentence)) < 2 {
			continue
		}
		for _, m := range citedDocRE.FindAllStringSubmatch(sentence, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// citeValidity cites the clause of d that states its term or when it took
// effect (本办法自2017年1月1日起施行,有效期5年), if it has one, and returns
// what it says of them, quoted, so that the answer rests on the text.
func (s *Service) citeValidity(ctx context.Context, d *kb.Document, r *Reply) string {
	hits, err := s.search.SearchIn(ctx, "施行 有效期", 5, []string{d.DocID})
	if err != nil {
		return ""
	}
	for _, h := range hits {
		if !strings.Contains(h.Clause.Text, "有效期") && !strings.Contains(h.Clause.Text, "起施行") {
			continue
		}
		r.Citations = appendCitation(r.Citations, citation(h.Clause))
		var said []string
		for sent := range strings.SplitAfterSeq(strings.ReplaceAll(h.Clause.Text, "\n", ""), "。") {
			if validityWords.MatchString(sent) {
				said = append(said, sent)
			}
		}
		if len(said) == 0 {
			return ""
		}
		return "文件" + kb.Cite(h.Clause.Article) + "规定:" + strings.Join(said, "")
	}
	return ""
}

// validityWords are the words of a sentence about a document's term.
var validityWords = regexp.MustCompile(`有效期|施行|废止|失效`)

// validityOfNamed answers a question about validity with no results told:
// of the documents of the session's place (any, when none is known), those
// whose titles share the most with the question (总部 of 这个总部政策), or
// all of the place's when none shares two characters and few are there.
func (s *Service) validityOfNamed(ctx context.Context, st *State, u Understanding, r *Reply) string {
	if u.FollowUp != FollowValidity {
		return ""
	}
	region := s.region(st)
	var here, named []*kb.Document
	best := 1
	for _, d := range s.library.Documents() {
		if region != nil && d.Area != nil && region.Within(d.Area) == gazetteer.No {
			continue
		}
		here = append(here, d)
		switch n := commonRun(strings.Trim(d.Title, "《》"), u.Text); {
		case n > best:
			best, named = n, []*kb.Document{d}
		case n == best && n > 1:
			named = append(named, d)
		}
	}
	if len(named) == 0 && region != nil && len(here) <= maxFollowResults {
		named = here
	}
	// 这个办法什么时候施行: of the documents the words fit, the one the
	// conversation just cited.
	if cited := slices.DeleteFunc(slices.Clone(named), func(d *kb.Document) bool {
		return !slices.ContainsFunc(st.Cited, func(c Citation) bool { return c.DocID == d.DocID })
	}); len(named) > 1 && len(cited) > 0 {
		named = cited
	}
	var b strings.Builder
	for _, d := range named {
		b.WriteString(s.validityOf(d.DocID, st) + "。")
		b.WriteString(s.citeValidity(ctx, d, r))
	}
	return b.String()
}

// validityOf says whether a document applies on the session's date, from
// its recorded dates.
func (s *Service) validityOf(docID string, st *State) string {
	d := s.document(docID)
	if d == nil {
		return ""
	}
	on := st.asOf(s.now())
	name := d.Cite()
	switch d.ValidityOn(on) {
	case kb.NotYetInForce:
		return fmt.Sprintf("%s自%s起施行,查询日期%s尚未施行", name, d.EffectiveFrom.Chinese(), on.Format("2006-01-02"))
	case kb.Expired:
		return fmt.Sprintf("%s的有效期至%s,已到期失效,其中的政策不再适用", name, d.EffectiveTo.Chinese())
	case kb.Repealed:
		return fmt.Sprintf("%s已被废止(自%s起)", name, d.RepealedFrom.Chinese())
	case kb.NoStatedTerm:
		if d.ValidityNote != "" {
			// The officer's note says what the text does say (本政策自发布之日起施行).
			return name + strings.TrimSuffix(d.ValidityNote, "。") + ";请向发文机关确认现行有效"
		}
		t := name + "文本未规定有效期"
		if d.EffectiveFrom.IsZero() {
			t += ",也未写明施行或废止日期"
		} else {
			t += ",自" + d.EffectiveFrom.Chinese() + "起施行"
		}
		return t + ";该政策可能已被修订、替代或废止,请向发文机关确认现行有效"
	}
	if d.EffectiveFrom.IsZero() {
		return fmt.Sprintf("%s现行有效,有效期至%s", name, d.EffectiveTo.Chinese())
	}
	return fmt.Sprintf("%s自%s起施行,现行有效,有效期至%s", name, d.EffectiveFrom.Chinese(), d.EffectiveTo.Chinese())
}
