package dialogue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"policybot/kb"
	"policybot/matcher"
)

// turn applies one message to the state and composes the reply.
func (s *Service) turn(ctx context.Context, st *State, msg string) (*Reply, error) {
	st.Turn++
	u := Understand(msg, Context{Pending: st.Pending, ApplicantType: st.applicantType(), Recent: st.recent(), Values: st.values(),
		Year: matcher.Today(s.now()).Year()})
	r := &Reply{SessionID: st.ID, Results: []matcher.Result{}, Citations: []Citation{}, Intent: u.Intent.String()}
	var text string
	switch u.Intent {
	case IntentReset:
		*st = State{ID: st.ID, Owner: st.Owner, Turn: st.Turn, History: st.History}
		text = "好的,已清空之前的信息,我们重新开始。"
		// 重新开始,换一家企业问:全南一家电子厂…: the new case comes with it.
		if fresh := Understand(msg, Context{Year: matcher.Today(s.now()).Year()}); len(fresh.Mentions) > 0 {
			more, err := s.eligibility(ctx, st, fresh, r)
			if err != nil {
				return nil, err
			}
			text += more
		} else {
			text += helpText
		}
	case IntentGreeting:
		text = "您好!" + helpText + s.reask(st, r)
	case IntentHelp:
		text = helpText + s.reask(st, r)
	case IntentThanks:
		text = "不客气。还有其他问题,随时问我。" + s.reask(st, r)
	case IntentHuman:
		st.Pending, st.FollowUps = "", 0
		text = humanText
		if c, err := s.library.Clause("", "二十三"); err == nil && strings.Contains(c.Text, "投诉") {
			r.Citations = append(r.Citations, citation(c))
		}
	case IntentOutOfScope:
		st.Pending, st.FollowUps = "", 0
		text = "抱歉,这个问题超出了我的服务范围。" + helpText
	case IntentClause:
		text = s.clauseAnswer(u.Article, r) + s.reask(st, r)
	case IntentPolicyQuestion:
		text = s.policyAnswer(ctx, st, msg, r) + s.reask(st, r)
	default: // eligibility, or an answer to the question asked
		var err error
		if text, err = s.eligibility(ctx, st, u, r); err != nil {
			return nil, err
		}
	}
	p, err := st.profile()
	if err != nil {
		return nil, err
	}
	r.Profile = p
	r.Facts = append([]FactRecord{}, st.Facts...)
	if len(r.Citations) > 0 {
		st.Cited = append([]Citation{}, r.Citations...)
	}
	r.Reply = text
	st.History = append(st.History, Line{Turn: st.Turn, User: msg, Intent: r.Intent})
	if n := len(st.History) - s.history; n > 0 {
		st.History = slices.Delete(st.History, 0, n)
	}
	return r, nil
}

const helpText = "我可以:①根据贵企业的情况(如所在县区、行业、营收、融资、项目投资等)测算可享受的政策奖励和金额;②解答政策条款问题,例如“企业发债有奖励吗”;③查看具体条款,例如“第十七条第一款”。请直接告诉我贵企业的情况或问题。"

// moreFacts says what to tell when nothing is settled or in play yet.
const moreFacts = "可以再告诉我:当年主营业务收入和以前年度最高收入、是否盈利、当年发债或票据融资额、新建项目的生产性固定资产、年节能量、两化融合示范认定等,我来测算。"

const humanText = "如需人工帮助,可到政务服务大厅的惠企政策窗口咨询,或拨打12345政务服务便民热线;对涉企服务有投诉,可通过企业投诉服务平台提出。"

// eligibility applies the facts of the message, matches, and tells what is
// settled and what single question would settle the most.
func (s *Service) eligibility(ctx context.Context, st *State, u Understanding, r *Reply) (string, error) {
	if len(u.Mentions) == 0 && len(u.Declined) == 0 && len(st.Facts) == 0 && topical(u) {
		// 参加展销会能拿奖励吗: nothing known of the speaker yet, but a
		// subject to answer from the clauses, then ask for the facts.
		return s.policyAnswer(ctx, st, u.Text, r), nil
	}
	u.Mentions = s.inferApplicant(st, u.Mentions)
	var noted []string
	answered := false
	for _, m := range u.Mentions {
		// An unchanged fact is not repeated; an approximate one with a note
		// (不到5亿) is told by its note.
		if old, ok := st.fact(m.Key); (!ok || !sameValue(old.Value, m.Value) || old.Approx != m.Approx) && !(m.Approx && m.Note != "") {
			noted = append(noted, describe(m))
		}
		st.set(FactRecord{Key: m.Key, Value: m.Value, Approx: m.Approx, Turn: st.Turn, Source: m.Text, Note: m.Note})
		if m.Key == st.Pending {
			answered = true
		}
	}
	for _, k := range u.Declined {
		if !slices.Contains(st.Declined, k) {
			st.Declined = append(st.Declined, k)
		}
		if k == st.Pending {
			answered = true
		}
	}
	if !answered && len(u.Mentions) > 0 {
		// New information the user volunteered starts a fresh run of questions.
		st.FollowUps = 0
	}

	p, err := st.profile()
	if err != nil {
		return "", err
	}
	out := s.engine.Match(p, matcher.Options{AsOf: matcher.Today(s.now()), Skip: st.Declined, IncludeIneligible: true})
	var b strings.Builder
	if len(noted) > 0 {
		verb := "已记录"
		if u.Correction {
			verb = "已更正"
		}
		b.WriteString(verb + ":" + strings.Join(noted, ";") + "。")
	}
	for _, m := range u.Mentions {
		if m.Note != "" {
			b.WriteString(m.Note + "。")
		}
	}

	var eligible, open, ruledOut []matcher.Result
	for _, res := range out.Results {
		switch {
		case res.Status == matcher.Eligible:
			eligible = append(eligible, res)
		case res.Status == matcher.Undetermined && res.InPlay:
			open = append(open, res)
		case res.Status == matcher.Ineligible && res.Selection == "" && len(ruledOut) < maxRuledOut && failsOn(res, u.Mentions):
			// Measures granted by selection are not worth a "no" the user
			// did not ask for; awards and subsidies are.
			ruledOut = append(ruledOut, res)
		}
	}
	r.Results = append(r.Results, slices.Concat(eligible, open, ruledOut)...)
	for _, res := range r.Results {
		r.Citations = appendCitation(r.Citations, Citation{DocNo: res.DocNo, Article: res.Article, Title: res.Title})
	}

	switch {
	case len(eligible) > 0:
		b.WriteString("根据目前的信息,符合以下政策:")
		for i, res := range eligible {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(summary(i+1, res))
		}
		b.WriteString("。")
	case len(u.Mentions) == 0 && len(st.Facts) == 0:
		b.WriteString("请先告诉我贵企业的基本情况,例如所在县(市、区)、行业、当年主营业务收入、以前年度最高主营业务收入、是否盈利、债券融资额、项目投资等。")
	case len(open) == 0 && len(ruledOut) == 0, len(u.Mentions) == 0:
		b.WriteString("根据目前的信息,暂未找到可以确定享受的政策。")
		if out.Question == nil && len(open) == 0 {
			b.WriteString(moreFacts)
		}
	}
	for _, res := range ruledOut {
		fmt.Fprintf(&b, "%s(%s)暂不符合:%s。", res.Title, kb.Cite(res.Article), failedConditions(res))
	}

	r.Question = nil
	st.Pending = ""
	if out.Question == nil {
		out.Question = s.unclearQuestion(st, u, p, r)
	}
	switch {
	case out.Question == nil:
		st.FollowUps = 0
	case st.FollowUps >= maxFollowUps:
		// Enough questions in a row: summarise what is still open instead.
		st.FollowUps = 0
		b.WriteString(openSummary(open))
	default:
		q := out.Question
		r.Question = q
		st.Pending = q.Fact
		st.FollowUps++
		if len(open) > 0 && len(eligible) == 0 {
			b.WriteString("可能涉及:" + titles(open[:min(len(open), 3)]) + "。")
		}
		b.WriteString("请问:" + q.Text)
	}
	if len(eligible) > 0 && !st.CaveatShown {
		st.CaveatShown = true
		b.WriteString("(提示:" + shortCaveat(eligible[0]) + ")")
	}
	return b.String(), nil
}

// unclearQuestion asks for a fact the message spoke of without a value the
// reading could take (被认定为两化融合示范企业, level unsaid; 发了一笔公司债),
// when the matcher has nothing in play to ask about: the user raised it.
// The clauses that read the fact are cited.
func (s *Service) unclearQuestion(st *State, u Understanding, p *matcher.Profile, r *Reply) *matcher.Question {
	for _, k := range u.Unclear {
		f, ok := matcher.Lookup(k)
		if !ok || f.Question == "" || p.Has(k) || slices.Contains(st.Declined, k) {
			continue
		}
		applicant := p.ApplicantType()
		for _, b := range s.engine.Benefits() {
			if b.Reads(k) && slices.Contains(b.Applicants, applicant) {
				r.Citations = appendCitation(r.Citations, Citation{DocNo: b.DocNo, Article: b.Article, Title: b.Title})
			}
		}
		return matcher.QuestionFor(f, nil)
	}
	return nil
}

// inferApplicant adds the applicant type when the speaker has not said it
// but a fact only one kind of applicant has does (园区评上省级清洁化园区).
func (s *Service) inferApplicant(st *State, mentions []Mention) []Mention {
	if _, ok := st.fact("applicant_type"); ok {
		return mentions
	}
	for _, m := range mentions {
		if m.Key == "applicant_type" {
			return mentions
		}
	}
	for _, m := range mentions {
		if who := s.engine.ApplicantsFor(m.Key); len(who) == 1 && who[0] != "enterprise" {
			f, _ := matcher.Lookup("applicant_type")
			return append(mentions, Mention{Key: "applicant_type", Value: who[0], Text: m.Text,
				Note: "按“" + m.Text + "”理解为" + f.OptionLabel(who[0]) + "申请"})
		}
	}
	return mentions
}

// topical reports whether a message with no facts still names a subject the
// clauses can answer, beyond asking what one can get.
func topical(u Understanding) bool {
	words := kb.CleanQuery(u.Text)
	for _, g := range genericAsk {
		words = strings.ReplaceAll(words, g, " ")
	}
	n := 0
	for _, r := range words {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n >= 2
}

// genericAsk are the words of a question that name no subject.
var genericAsk = []string{"能拿", "可以拿", "能领", "能享受", "可以享受", "能申请", "享受", "奖励", "补贴", "补助", "政策",
	"钱", "企业", "公司", "多少", "哪些", "什么", "能", "可以", "有", "拿", "我们", "我"}

// maxRuledOut bounds how many ruled-out benefits one reply tells.
const maxRuledOut = 3

// failsOn reports whether a condition of an ineligible result fails on a
// fact the message gave that the measure is about (a figure, a deed; not the
// industry or size, which rule out many measures nobody asked about): the
// user told us something that rules it out, and deserves to hear so.
func failsOn(r matcher.Result, mentions []Mention) bool {
	for _, c := range r.Conditions {
		if c.Status != "不满足" {
			continue
		}
		for _, m := range mentions {
			if f, ok := matcher.Lookup(m.Key); ok && !f.General && slices.Contains(c.Facts, m.Key) {
				return true
			}
		}
	}
	return false
}

// failedConditions says which conditions a result fails and by how much.
func failedConditions(r matcher.Result) string {
	var parts []string
	for _, c := range r.Conditions {
		if c.Status != "不满足" {
			continue
		}
		p := "要求" + c.Text
		if c.Actual != "" {
			p += ",实际" + c.Actual
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ";")
}

// summary is one eligible benefit in a sentence: its title, clause and sum.
func summary(n int, r matcher.Result) string {
	s := fmt.Sprintf("%s%s(%s)", circled(n), r.Title, kb.Cite(r.Article))
	if r.Selection != "" {
		s += "(符合条件,须经主管部门遴选或认定)"
	}
	switch {
	case r.Amount != nil:
		s += "," + matcher.FormatYuan(r.Amount.CNY)
		if r.Payer != "" {
			s += ",由" + r.Payer + "兑现"
		}
		if r.Recipient != "" {
			s += ",奖给" + r.Recipient
		}
	case strings.HasPrefix(r.AmountNote, "非资金支持:"):
		s += "," + strings.TrimPrefix(r.AmountNote, "非资金支持:")
	case r.AmountNote != "":
		s += ",金额条文未规定"
		if r.Payer != "" {
			s += ",由" + r.Payer + "确定"
		}
	}
	return s
}

func openSummary(open []matcher.Result) string {
	if len(open) == 0 {
		return ""
	}
	var parts []string
	for _, r := range open {
		var need []string
		for _, k := range r.MissingFacts {
			if f, ok := matcher.Lookup(k); ok {
				need = append(need, f.Label)
			}
		}
		parts = append(parts, fmt.Sprintf("%s(还需确认:%s)", r.Title, strings.Join(need, "、")))
	}
	return "以下政策还需更多信息才能确定:" + strings.Join(parts, ";") + "。如方便,可直接补充这些信息。"
}

func titles(rs []matcher.Result) string {
	var t []string
	for _, r := range rs {
		t = append(t, r.Title)
	}
	return strings.Join(t, "、")
}

// shortCaveat is the validity caveat of a result, if any.
func shortCaveat(r matcher.Result) string {
	if len(r.Caveats) == 0 {
		return "申报前请向主管部门确认政策现行有效"
	}
	return strings.TrimSuffix(r.Caveats[len(r.Caveats)-1], "。")
}

// sameValue compares a stored value, which JSON may have turned into a
// float64, with a new one.
func sameValue(stored, v any) bool {
	switch x := v.(type) {
	case int64:
		f, ok := stored.(float64)
		return ok && f == float64(x) || stored == v
	}
	return stored == v
}

// describe says what was understood of one mention: 当年主营业务收入6亿元,
// 所在地为南康区.
func describe(m Mention) string {
	f, ok := matcher.Lookup(m.Key)
	if !ok {
		return m.Text
	}
	v := matcher.FormatFact(f, m.Value)
	if f.Kind == matcher.KindBool {
		if m.Value == true {
			return f.Label
		}
		return "非" + f.Label
	}
	if m.Approx {
		// 3个多亿, 大约5亿: reckoned at the figure said, and said so.
		v = "约" + v + "(按" + v + "计算,如有准确数字请告诉我)"
	}
	if f.Kind == matcher.KindEnum || f.Kind == matcher.KindRegion || f.Kind == matcher.KindText {
		return f.Label + "为" + v
	}
	return f.Label + v
}

// citedClause returns the first clause of cited that the search also found,
// or the first cited clause.
func (s *Service) citedClause(cited []Citation, hits []kb.Hit) *kb.Clause {
	for _, c := range cited {
		for _, h := range hits {
			if h.Clause.DocNo == c.DocNo && h.Clause.Article == c.Article {
				return h.Clause
			}
		}
	}
	c, err := s.library.Clause(cited[0].DocNo, cited[0].Article)
	if err != nil {
		return hits[0].Clause
	}
	return c
}

// backWords refer to what was just discussed.
var backWords = []string{"这笔", "这个", "这项", "这些", "这种", "该项", "该奖励", "上面", "刚才", "前面", "它"}

func refersBack(msg string) bool {
	for _, w := range backWords {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// reask repeats a question left open by a side question, so that the
// conversation can pick up where it was.
func (s *Service) reask(st *State, r *Reply) string {
	if st.Pending == "" {
		return ""
	}
	f, ok := matcher.Lookup(st.Pending)
	if !ok {
		return ""
	}
	r.Question = matcher.QuestionFor(f, nil)
	return "另外," + f.Question
}

// policyAnswer answers a question about the policy with the sentences of
// the best clause that answer it.
func (s *Service) policyAnswer(ctx context.Context, st *State, msg string, r *Reply) string {
	hits, err := s.search.Search(ctx, msg, 10)
	if err != nil || len(hits) == 0 {
		return "抱歉,政策文件中没有找到相关内容。" + helpText
	}
	best := hits[0].Clause
	if refersBack(msg) && len(st.Cited) > 0 {
		// 这笔奖励…: the clause just discussed, most relevant first (the
		// last answer cited what was eligible first).
		best = s.citedClause(st.Cited, hits)
	}
	r.Citations = append(r.Citations, citation(best))
	answer := fmt.Sprintf("根据%s%s(%s):%s", best.DocNo, kb.Cite(best.Article), best.Title, s.search.Answer(best, msg))
	for _, b := range s.engine.Benefits() {
		if b.DocNo == best.DocNo && b.Article == best.Article {
			answer += "如需判断贵企业能否享受,请告诉我贵企业的相关情况。"
			break
		}
	}
	return answer
}

// clauseAnswer shows a clause asked for by number.
func (s *Service) clauseAnswer(article string, r *Reply) string {
	c, err := s.library.Clause("", article)
	if err != nil {
		return fmt.Sprintf("没有找到第%s条款。可以用“十七.1”或“第十七条第一款”的形式查询。", article)
	}
	r.Citations = append(r.Citations, citation(c))
	return fmt.Sprintf("%s%s(%s):%s", c.DocNo, kb.Cite(c.Article), c.Title, excerpt(c.Text, 200))
}

// excerpt cuts text to about n characters at a sentence end.
func excerpt(text string, n int) string {
	text = strings.ReplaceAll(text, "\n", "")
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	cut := string(runes[:n])
	if i := strings.LastIndex(cut, "。"); i > len(cut)/3 {
		return cut[:i+len("。")]
	}
	return cut + "……"
}

func citation(c *kb.Clause) Citation {
	return Citation{DocNo: c.DocNo, Article: c.Article, Title: c.Title}
}

func appendCitation(cs []Citation, c Citation) []Citation {
	for _, x := range cs {
		if x.DocNo == c.DocNo && x.Article == c.Article {
			return cs
		}
	}
	return append(cs, c)
}

func circled(n int) string {
	const marks = "①②③④⑤⑥⑦⑧⑨⑩"
	r := []rune(marks)
	if n >= 1 && n <= len(r) {
		return string(r[n-1])
	}
	return fmt.Sprintf("%d.", n)
}
