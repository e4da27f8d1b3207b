package dialogue

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/matcher"
)

// inPlay reports whether res is eligible or still open.
func inPlay(res matcher.Result) bool {
	return res.Status == matcher.Eligible || res.Status == matcher.Undetermined && res.InPlay
}

// moreFacts says what else to tell when nothing is settled: the facts the
// benefits for the applicant's type read most, not yet told, of the
// documents of its place; before the place is known, of every document in
// force, with the place first. The library's text serves only a library
// whose benefits read nothing to ask.
func (s *Service) moreFacts(st *State, p *matcher.Profile) string {
	docs := s.docsFor(st)
	if docs != nil && len(docs) == 0 {
		return "" // no document is for the place: its areas are told instead
	}
	placeless := docs == nil
	if placeless {
		asOf := st.asOf(s.now())
		for _, d := range s.library.Documents() {
			if v := d.ValidityOn(asOf); v == kb.InForce || v == kb.NoStatedTerm {
				docs = append(docs, d.DocID)
			}
		}
	}
	at := st.applicantType()
	cat := s.engine.Catalogue()
	reads, of := map[string]int{}, map[string]map[string]bool{}
	for _, b := range s.engine.Benefits() {
		if !slices.Contains(docs, b.DocID) || !slices.Contains(b.Applicants, at) {
			continue
		}
		for _, f := range cat.Facts() {
			if f.Question != "" && f.Key != "region" && f.Key != "applicant_type" && !p.Has(f.Key) && b.Reads(f.Key) {
				reads[f.Key]++
				if of[f.Key] == nil {
					of[f.Key] = map[string]bool{}
				}
				of[f.Key][b.DocID] = true
			}
		}
	}
	var keys []string
	for _, f := range cat.Facts() {
		if reads[f.Key] > 0 {
			keys = append(keys, f.Key)
		}
	}
	if len(keys) == 0 {
		return s.texts.MoreFacts
	}
	// Read by most documents first, then most read; of facts read alike,
	// the catalogue's order.
	slices.SortStableFunc(keys, func(x, y string) int {
		return cmp.Or(cmp.Compare(len(of[y]), len(of[x])), cmp.Compare(reads[y], reads[x]))
	})
	if placeless {
		keys = slices.Insert(keys[:min(len(keys), 4)], 0, "region")
	} else {
		keys = keys[:min(len(keys), 5)]
	}
	return "可以再告诉我:" + labels(cat, keys) + "等,我来测算。"
}

// asksCount reports whether the message asks how much or how it is counted.
func asksCount(u Understanding) bool {
	return u.FollowUp == FollowHowMuch || u.FollowUp == FollowComputation
}

// howCounted says in brackets how a result's sum is counted: the basis of a
// computed sum, else the note of a bound or a standard the text gives;
// "" when there is neither.
func howCounted(res matcher.Result) string {
	switch {
	case res.Amount != nil && res.Amount.Basis != "":
		return "(" + res.Amount.Basis + ")"
	case res.Amount == nil && res.AmountNote != "":
		return "(" + res.AmountNote + ")"
	}
	return ""
}

// clarifyWords say a message goes back to what was asked before: 就是我个人的
// 房贷,不是公司的.
var clarifyWords = []string{"就是", "不是", "是说", "我说的是", "指的是", "我是说", "我问的是"}

// identityOnly reports whether every mention says who or where the speaker
// is, and none a fact of a benefit.
func (s *Service) identityOnly(ms []Mention) bool {
	return len(ms) > 0 && allIdentity(s.engine.Catalogue(), ms)
}

// acknowledges reports whether msg takes what was said and goes on (行,
// 那就按现在的报; 好的,先这样), asking nothing new.
func acknowledges(msg string) bool {
	m := strings.TrimSpace(msg)
	if utf8.RuneCountInString(m) > 24 || strings.ContainsAny(m, "?？吗谢") {
		return false
	}
	for _, w := range ackWords {
		// 行,那就按…报; not 行业有限制吗, 好像还有…
		if rest, ok := strings.CutPrefix(m, w); ok && (rest == "" || hasAnyPrefix(rest, ",", "，", "。", " ", "!", "！", "的,", "的，", "吧,", "吧，")) {
			return true
		}
	}
	return hasAnyPrefix(m, "那就按", "就按", "先按", "那先按", "那目前先按")
}

var ackWords = []string{"行", "好", "好的", "嗯", "可以", "OK", "ok", "知道了", "明白"}

// confirmsTold reports whether msg, asking nothing, says again what a
// condition of a result told requires (规划局说符合规划,用途不变, of 在符合
// 规划、不改变用途的前提下): a confirmation of what was assumed.
func (s *Service) confirmsTold(st *State, msg string) bool {
	m := normalize(msg)
	if strings.ContainsAny(m, "?？") || containsAny(m, questionWords) || containsAny(m, hypotheticals) || strings.Contains(m, "多大") {
		return false
	}
	for _, id := range st.Told {
		b, ok := s.engine.Benefit(id)
		if !ok {
			continue
		}
		for _, c := range b.Conditions {
			if run := LongestCommon(c.Text, m); utf8.RuneCountInString(run) >= 4 && !strings.ContainsAny(run, "0123456789") {
				return true
			}
		}
	}
	return false
}

// consequenceAsks ask what follows from a supposition (没到5000万怎么办).
var consequenceAsks = []string{"怎么办", "怎么处理", "会怎样", "会怎么样", "什么后果", "有什么影响", "会不会收回", "要退回"}

// shortfallWords say in a clause what follows when its terms are not met.
var shortfallWords = []string{"没有达到", "未达到", "达不到", "不足", "抵扣", "扣减", "收回", "追回", "退回"}

// shortfallSaid quotes the sentences of res's clause on what follows when
// its terms are not met, or "" when the clause says nothing of it.
func (s *Service) shortfallSaid(res matcher.Result) string {
	c, err := s.library.Clause(res.DocID, res.Article)
	if err != nil {
		return ""
	}
	said := s.search.Answer(c, strings.Join(shortfallWords, " "))
	if !containsAny(said, shortfallWords) {
		return ""
	}
	return docSaysLead + kb.Cite(c.Article) + ":" + said
}

// laterWords put a supposition in a later year: 以后做到40亿 is said of a
// year after this one.
var laterWords = []string{"明年", "后年", "以后做到", "以后能做到", "以后要是", "将来", "今后", "到时候", "过两年", "过几年", "下一年", "下个年度"}

// yearGoesBy makes this year's figure of key's series, as told, an earlier
// year's in hyp: in a later year the highest earlier year is at least this
// one. It returns what it assumed, for the reply, or "".
func (s *Service) yearGoesBy(hyp, st *State, key string) string {
	cat := s.engine.Catalogue()
	f, ok := cat.Lookup(key)
	if !ok || f.Series == nil || f.Series.Period != kb.PeriodCurrent {
		return ""
	}
	priorKey := cat.SeriesFact(f.Series.Name, kb.PeriodPriorMax)
	told, ok := st.fact(key)
	v, isNumber := toFloat(told.Value)
	if priorKey == "" || !ok || !isNumber || told.Range != nil || f.Kind != matcher.KindMoney {
		return ""
	}
	x := int64(v)
	if prior, ok := st.fact(priorKey); ok {
		if p, _ := toFloat(prior.Value); prior.Range == nil && p >= v || prior.Range != nil && prior.Range.Lo >= v {
			return ""
		}
	}
	pf, ok := cat.Lookup(priorKey)
	if !ok || cat.Accepts(priorKey, x) != nil {
		return ""
	}
	hyp.set(FactRecord{Key: priorKey, Value: x, Turn: st.Turn, Source: told.Source})
	return "届时" + pf.Label + "按今年的" + matcher.FormatFact(pf, x) + "计"
}

// turn applies one message to the state and composes the reply.
func (s *Service) turn(ctx context.Context, st *State, msg string) (*Reply, error) {
	st.Turn++
	st.forget(s.engine.Catalogue())
	u := s.reader.Understand(msg, s.context(st))
	back := u.Back
	if back {
		// 园区那边今年还通过了省级清洁化园区确认: the case set aside is taken
		// up again, and this one set aside in its turn.
		now := &Case{Facts: st.Facts, Declined: st.Declined}
		st.Facts, st.Declined = st.Earlier.Facts, st.Earlier.Declined
		st.Earlier, st.Pending, st.FollowUps, st.Told = now, "", 0, nil
		u = s.reader.Understand(msg, s.context(st))
	}
	r := &Reply{SessionID: st.ID, Results: []matcher.Result{}, Citations: []Citation{}, Intent: u.Intent.String(), LibraryVersion: s.version}
	var text string
	handled := false
	switch {
	case asksProgress(u.Text):
		t, err := s.progressAnswer(ctx, st, msg)
		if err != nil {
			return nil, err
		}
		text, handled, r.Intent = t, true, "complaint_progress"
	case st.Complaint != nil && u.Intent != IntentReset:
		// A draft under way takes the contact and the consent; a message
		// about something else leaves it for later.
		t, ok, err := s.complaintTurn(ctx, st, msg, r)
		if err != nil {
			return nil, err
		}
		if ok {
			text, handled, r.Intent = t, true, "complaint"
		}
	}
	if !handled && u.Intent != IntentHuman {
		// A公司…;B公司…,分别奖多少 asks for each of them.
		if parts := s.reader.applicantParts(msg); len(parts) > 1 {
			t, ok, err := s.several(ctx, st, parts, r)
			if err != nil {
				return nil, err
			}
			if ok {
				text, handled = t, true
			}
		}
	}
	intent := u.Intent
	if handled {
		intent = intentAnswered
	} else if len(st.Facts) > 0 && len(u.Mentions) == 0 && u.FollowUp == "" && (acknowledges(msg) || u.Questions == "" && len(u.Supposed) == 0 && s.confirmsTold(st, msg)) &&
		intent != IntentReset && intent != IntentHuman && intent != IntentClause {
		// 好的,今年就先按现在的人数报; 规划局说符合规划,用途不变: the results
		// as they stand.
		intent = IntentEligibility
	}
	switch intent {
	case intentAnswered:
	case IntentReset:
		// The keys stay: a late duplicate of a turn before the reset is
		// still that turn.
		var earlier *Case
		if u.Another && len(st.Facts) > 0 {
			earlier = &Case{Facts: st.Facts, Declined: st.Declined}
		}
		*st = State{ID: st.ID, Owner: st.Owner, Turn: st.Turn, History: st.History, AsOf: st.AsOf, Keyed: st.Keyed, Earlier: earlier}
		text = "好的,已清空之前的信息,我们重新开始。"
		if u.Another {
			text = "好的,以下另按这一申请人的情况测算;之前那一家的情况已另存,说回它即可接着问。"
		}
		// 重新开始,换一家企业问:全南一家电子厂…: the new case comes with it.
		if fresh := s.reader.Understand(msg, Context{Year: st.asOf(s.now()).Year(), NewCase: true}); len(fresh.Mentions) > 0 {
			more, err := s.eligibility(ctx, st, fresh, r)
			if err != nil {
				return nil, err
			}
			if len(fresh.Supposed) > 0 {
				// 孵化我们的那家研发机构,要是主办一个300人的学术会议呢: the
				// new case's supposition, answered before its question.
				w, err := s.whatIf(ctx, st, fresh, r)
				if err != nil {
					return nil, err
				}
				more = beforeQuestion(more, w, r.Question)
			}
			text += more
		} else {
			text += s.texts.Help
		}
	case IntentGreeting:
		text = "您好!" + s.texts.Help + s.reask(st, r)
	case IntentHelp:
		text = s.texts.Help + s.reask(st, r)
	case IntentThanks:
		text = "不客气。还有其他问题,随时问我。" + s.reask(st, r)
	case IntentHuman:
		st.Pending, st.FollowUps = "", 0
		text = s.texts.Human + s.startComplaint(st, msg)
		for _, id := range s.texts.HumanCites {
			if c, err := s.library.Clause(id.DocID, id.Article); err == nil {
				r.Citations = append(r.Citations, citation(c))
			}
		}
	case IntentOutOfScope:
		if st.Pending != "" && len(st.Facts) > 0 {
			// A reply to the question that says nothing the reading takes:
			// keep what is settled and ask again, rather than drop it.
			more, err := s.eligibility(ctx, st, u, r)
			if err != nil {
				return nil, err
			}
			text = "抱歉,没能从这句话里读出答案。" + more
			break
		}
		st.Pending, st.FollowUps = "", 0
		text = "抱歉,这个问题超出了我的服务范围。" + s.texts.Help
	case IntentClause:
		text = s.clauseAnswer(st, u.Article, r) + s.reask(st, r)
	case IntentPolicyQuestion:
		// Who and where the speaker is, said with the question, is kept.
		for _, m := range u.Mentions {
			if f, ok := s.engine.Catalogue().Lookup(m.Key); ok && f.Identity {
				st.set(FactRecord{Key: m.Key, Value: m.Value, Turn: st.Turn, Source: m.Text, Note: m.Note})
			}
		}
		text = s.policyAnswer(ctx, st, u, r) + s.reask(st, r)
	case IntentWhatIf:
		more, err := s.whatIf(ctx, st, u, r)
		if err != nil {
			return nil, err
		}
		text = more + s.reask(st, r)
		r.Results = append(s.settled(st), r.Results...)
	case IntentFollowUp:
		more, err := s.followUpAnswer(ctx, st, u, r)
		if err != nil {
			return nil, err
		}
		if u.FollowUpToo != "" {
			also := u
			also.FollowUp, also.FollowUpToo = u.FollowUpToo, ""
			rest, err := s.followUpAnswer(ctx, st, also, r)
			if err != nil {
				return nil, err
			}
			if i := strings.LastIndex(rest, docSaysLead); i >= 0 && strings.Contains(more, rest[i:]) {
				// The same clause of the document, quoted once, above.
				rest = strings.ReplaceAll(rest[:i], seeBelow, seeAbove)
			}
			more += rest
		}
		text = more + s.reask(st, r)
		r.Results = append(s.settled(st), r.Results...)
	default: // eligibility, or an answer to the question asked
		var err error
		if text, err = s.eligibility(ctx, st, u, r); err != nil {
			return nil, err
		}
		var more string
		switch {
		case len(u.Supposed) > 0:
			// 今年4.5亿,如果明年做到5.2亿呢: the supposition after the facts.
			more, err = s.whatIf(ctx, st, u, r)
		case u.FollowUp != "" && u.FollowUp != FollowHowMuch && len(st.Told) > 0:
			// 两个都还没领过钱,能一起拿吗: a question about the results said
			// with the facts is answered after them. The sum is in the
			// results already.
			more, err = s.followUpAnswer(ctx, st, u, r)
		case u.Questions != "" && (u.Questions != u.Text || !slices.ContainsFunc(r.Results, inPlay)) && u.FollowUp != FollowHowMuch:
			// 我们是已认定的总部型企业,想问问骨干人才有什么奖励: a question
			// beside the facts, about a clause the results do not cover.
			more = s.asideAnswer(ctx, st, u, r)
			if more == "" && !slices.ContainsFunc(r.Results, inPlay) && s.reader.namesSubject(u.Questions) && s.elsewhereNote(st, u.Elsewhere) == "" &&
				!slices.ContainsFunc(r.Results, func(x matcher.Result) bool { return x.OutOfForce != "" }) {
				// 我们是外贸公司,出口退税怎么申请: nothing applies, and no
				// clause answers what was asked (the library's clause of
				// another area, when there is one, was said).
				more = s.notCovered(st)
			}
		}
		if err != nil {
			return nil, err
		}
		text = beforeQuestion(text, more, r.Question)
	}
	p, err := st.profile(s.engine.Catalogue())
	if err != nil {
		return nil, err
	}
	r.Profile = p
	r.Facts = append([]FactRecord{}, st.Facts...)
	if len(r.Citations) > 0 {
		st.Cited = append([]Citation{}, r.Citations...)
	}
	if back {
		// The speaker should hear whose case the answer is of.
		who := st.applicantType()
		if f, ok := s.engine.Catalogue().Lookup("applicant_type"); ok {
			who = matcher.FormatFact(f, who)
		}
		text = "好的,回到之前的申请人(" + who + ")测算。" + text
	}
	r.Reply = text
	st.History = append(st.History, Line{Turn: st.Turn, User: msg, Intent: r.Intent})
	if n := len(st.History) - s.history; n > 0 {
		st.History = slices.Delete(st.History, 0, n)
	}
	return r, nil
}

// beforeQuestion returns text with more said before the question q that
// ends it, or after it when q is not asked there: the answer comes before
// the next question, which stays last.
func beforeQuestion(text, more string, q *matcher.Question) string {
	if q != nil {
		if i := strings.LastIndex(text, "请问:"+q.Text); i >= 0 {
			return text[:i] + more + text[i:]
		}
	}
	return text + more
}

// whatIf answers a supposition (要是去创业板上市能奖多少): the session's
// facts with the supposed ones, matched apart, without keeping them. It
// tells what they would make eligible that is not now, or that nothing
// would be.
func (s *Service) whatIf(ctx context.Context, st *State, u Understanding, r *Reply) (string, error) {
	cat := s.engine.Catalogue()
	now, err := st.profile(cat)
	if err != nil {
		return "", err
	}
	// The state as supposed: each figure supposed stands in place of the
	// one told, with its own range. A bound with no end (要是过了10个亿) is
	// taken just past it, and the reply says so: a step rule cannot be
	// settled on a figure that may be any height.
	hyp := *st
	hyp.Facts, hyp.Declined = slices.Clone(st.Facts), slices.Clone(st.Declined)
	var said []string
	for _, m := range u.Supposed {
		rec := FactRecord{Key: m.Key, Value: m.Value, Approx: m.Approx, Range: m.Range, Turn: st.Turn, Source: m.Text}
		d := describe(cat, m)
		if rg := m.Range; rg != nil && math.IsInf(rg.Hi, 1) && !math.IsInf(rg.Lo, 0) {
			if f, ok := cat.Lookup(m.Key); ok && f.Kind == matcher.KindMoney {
				rec.Value, rec.Range, rec.Approx = int64(math.Ceil(rg.Lo)), nil, false
				d += "(按刚过此数测算)"
			}
		}
		if now.Clone().Set(rec.Key, rec.Value) == nil {
			hyp.set(rec)
			said = append(said, d)
			if containsAny(u.Text, laterWords) {
				if d := s.yearGoesBy(&hyp, st, rec.Key); d != "" {
					said = append(said, d)
				}
			}
		}
	}
	then, err := hyp.profile(cat)
	if err != nil {
		return "", err
	}
	opts := matcher.Options{AsOf: st.asOf(s.now()), Skip: st.Declined, IncludeIneligible: true}
	before := s.matchRanges(st, now, opts).Results
	after := s.matchRanges(&hyp, then, opts).Results
	var gained []matcher.Result
	for _, res := range after {
		if res.Status != matcher.Eligible {
			continue
		}
		i := slices.IndexFunc(before, func(x matcher.Result) bool { return x.BenefitID == res.BenefitID })
		if i < 0 || before[i].Status != matcher.Eligible || !sameAmount(before[i], res) {
			gained = append(gained, res)
		}
	}
	var b strings.Builder
	b.WriteString("假设" + strings.Join(said, ";") + "(仅作测算,不作为已记录的信息):")
	// 要是合同只签两年呢: what the supposition would undo, and why.
	var lost []string
	var lostRes []matcher.Result
	for _, res := range before {
		open := res.Status == matcher.Undetermined && res.InPlay
		if res.Status != matcher.Eligible && !open {
			continue
		}
		i := slices.IndexFunc(after, func(x matcher.Result) bool { return x.BenefitID == res.BenefitID })
		if i < 0 || after[i].Status == matcher.Eligible || open && after[i].Status != matcher.Ineligible {
			continue
		}
		why := failedConditions(after[i])
		if why == "" {
			why = "条件待确认"
		}
		verb := "将不再符合" // 要是合同只签两年呢, of a benefit told eligible
		if open {
			verb = "将不符合" // 要是它今年其实是亏的呢, of one still open
		}
		lost = append(lost, fmt.Sprintf("%s(%s)%s:%s", res.Title, kb.Cite(res.Article), verb, why))
		lostRes = append(lostRes, res)
	}
	later := containsAny(u.Text, laterWords)
	// The supposition's results go with the reply, marked as supposed:
	// what it would undo, and below, what it would bring.
	suppose := func(res matcher.Result) {
		res.Supposed = true
		r.Results = append(r.Results, res)
	}
	if !later {
		for _, res := range lostRes {
			i := slices.IndexFunc(after, func(x matcher.Result) bool { return x.BenefitID == res.BenefitID })
			suppose(after[i])
		}
	}
	if len(lost) > 0 && !later {
		// Of a later year, this year's award is not undone by what that
		// year would bring.
		b.WriteString(strings.Join(lost, ";") + "。")
		if containsAny(u.Text, consequenceAsks) {
			// 要是验收投资额没到5000万怎么办: what the text says follows
			// when a condition is not met (在绩效支持奖励中抵扣).
			b.WriteString(s.shortfallSaid(lostRes[0]))
		}
	}
	verb := "可以享受"
	if len(gained) == 0 && later {
		// 以后做到40亿还能奖吗: of a later year, what it would bring then,
		// though the same sum is due now.
		for _, res := range after {
			if res.Status == matcher.Eligible && s.readsAny(res, u.Supposed) {
				gained = append(gained, res)
			}
		}
		verb = "届时仍可享受"
	}
	if len(gained) == 0 {
		if len(lost) == 0 || later {
			// 那要是三年内进了规上呢: what the supposition brings near, with
			// what is still to be confirmed.
			var nearly []string
			for _, res := range after {
				if res.Status != matcher.Undetermined || !res.InPlay || !s.readsAny(res, u.Supposed) || res.Amount == nil {
					continue
				}
				var open []string
				for _, c := range res.Conditions {
					if c.Status == "待确认" {
						open = append(open, c.Text)
					}
				}
				nearly = append(nearly, fmt.Sprintf("%s(%s),%s,但还需确认:%s", res.Title, kb.Cite(res.Article), res.AmountText(), strings.Join(open, "、")))
				suppose(res)
			}
			if len(nearly) > 0 {
				b.WriteString("可能享受" + strings.Join(nearly, ";") + "。")
				return b.String(), nil
			}
			b.WriteString("根据目前的信息,不会因此新增可以确定享受的政策。")
			if !later {
				// 要是我换到一家普通企业呢, of a benefit told as not met:
				// it is still not, and why.
				var still []string
				for _, res := range after {
					i := slices.IndexFunc(before, func(x matcher.Result) bool { return x.BenefitID == res.BenefitID })
					if res.Status != matcher.Ineligible || i < 0 || before[i].Status != matcher.Ineligible || !slices.Contains(st.Told, res.BenefitID) || !s.readsAny(res, u.Supposed) {
						continue
					}
					if why := failedConditions(res); why != "" {
						still = append(still, fmt.Sprintf("%s(%s)仍不符合:%s", res.Title, kb.Cite(res.Article), why))
						suppose(res)
					}
				}
				if len(still) > 0 {
					b.WriteString(strings.Join(still, ";") + "。")
				}
			}
			// 如果我们同时享受广州市的总部扶持政策呢: a clause may say what
			// the supposition brings that no benefit does (就高不重复).
			b.WriteString(s.asideAnswer(ctx, st, u, r))
		} else {
			// 要是生产性固定资产只有2.5亿呢: what the supposed figure still
			// meets, beside what it undoes.
			var kept []matcher.Result
			for _, res := range after {
				if res.Status == matcher.Eligible && s.readsAny(res, u.Supposed) && slices.ContainsFunc(before, func(x matcher.Result) bool {
					return x.BenefitID == res.BenefitID && x.Status == matcher.Eligible
				}) {
					kept = append(kept, res)
				}
			}
			if len(kept) > 0 {
				many := slices.ContainsFunc(kept, func(x matcher.Result) bool { return x.DocID != kept[0].DocID })
				b.WriteString("仍可享受")
				for i, res := range kept {
					if i > 0 {
						b.WriteString(";")
					}
					b.WriteString(summary(i+1, res, many))
					suppose(res)
				}
				b.WriteString("。")
			}
		}
		return b.String(), nil
	}
	many := slices.ContainsFunc(gained, func(x matcher.Result) bool { return x.DocID != gained[0].DocID })
	b.WriteString(verb)
	for i, res := range gained {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(summary(i+1, res, many))
		if asksCount(u) {
			b.WriteString(howCounted(res)) // 如果是租的呢,怎么补
		}
		if !later || !slices.ContainsFunc(before, func(x matcher.Result) bool {
			return x.BenefitID == res.BenefitID && x.Status == matcher.Eligible && sameAmount(x, res)
		}) {
			suppose(res) // what 届时仍可享受 as now is no result of its own
		}
		r.Citations = appendCitation(r.Citations, Citation{DocID: res.DocID, DocNo: res.DocNo, DocTitle: res.DocTitle, Article: res.Article, Title: res.Title})
	}
	b.WriteString("。")
	return b.String(), nil
}

// metCount counts the conditions of a result the facts meet.
func metCount(r matcher.Result) int {
	n := 0
	for _, c := range r.Conditions {
		if c.Status == "满足" {
			n++
		}
	}
	return n
}

// sameAmount reports whether two results of one benefit state one sum.
func sameAmount(x, y matcher.Result) bool {
	switch {
	case x.Amount == nil || y.Amount == nil:
		return x.Amount == nil && y.Amount == nil
	}
	return x.Amount.CNY == y.Amount.CNY
}

// madeOfParts returns the facts the session states in parts (新落户南沙 and
// 认定为总部型企业, told apart): unknown ones, every part of which is true.
func (s *Service) madeOfParts(st *State) []Mention {
	var out []Mention
	for _, f := range s.engine.Catalogue().Facts() {
		if len(f.AllOf) == 0 {
			continue
		}
		if whole, known := st.fact(f.Key); known {
			// 我们不是新落户的, after 新落户并认定的总部型企业: a part now
			// denied denies the whole.
			for _, k := range f.AllOf {
				if r, ok := st.fact(k); ok && r.Value == false && whole.Value == true && r.Turn > whole.Turn {
					out = append(out, Mention{Key: f.Key, Value: false, Text: r.Source})
					break
				}
			}
			continue
		}
		var said []string
		for _, k := range f.AllOf {
			if r, ok := st.fact(k); ok && r.Value == true {
				said = append(said, r.Source)
			}
		}
		if len(said) == len(f.AllOf) {
			out = append(out, Mention{Key: f.Key, Value: true, Text: strings.Join(said, "、")})
		}
	}
	return out
}

// eligibility applies the facts of the message, matches, and tells what is
// settled and what single question would settle the most.
func (s *Service) eligibility(ctx context.Context, st *State, u Understanding, r *Reply) (string, error) {
	if len(u.Mentions) == 0 && len(u.Declined) == 0 && len(unsaidLevels(s.engine.Catalogue(), u.Unclear)) == 0 && len(st.Facts) == 0 && topical(u) {
		// 参加展销会能拿奖励吗: nothing known of the speaker yet, but a
		// subject to answer from the clauses, then ask for the facts.
		return s.policyAnswer(ctx, st, u, r), nil
	}
	u.Mentions = s.inferApplicant(st, u.Mentions, u.Text)
	// What was eligible before a fact changed, to say what the change undid.
	var before []matcher.Result
	if slices.ContainsFunc(u.Mentions, func(m Mention) bool { old, ok := st.fact(m.Key); return ok && !sameValue(old.Value, m.Value) }) {
		if p, err := st.profile(s.engine.Catalogue()); err == nil {
			before = s.matchRanges(st, p, matcher.Options{AsOf: st.asOf(s.now()), Skip: st.Declined}).Results
		}
	}
	var noted []string
	answered := false
	for _, m := range u.Mentions {
		// An unchanged fact is not repeated; an approximate one with a note
		// (不到5亿) is told by its note.
		if old, ok := st.fact(m.Key); (!ok || !sameValue(old.Value, m.Value) || old.Approx != m.Approx) && !(m.Approx && m.Note != "") {
			noted = append(noted, describe(s.engine.Catalogue(), m))
		}
		st.set(FactRecord{Key: m.Key, Value: m.Value, Approx: m.Approx, Range: m.Range, Bounds: m.Bounds, Turn: st.Turn, Source: m.Text, Note: m.Note})
		if m.Key == st.Pending {
			answered = true
		}
	}
	var withdrawn []string
	for _, k := range u.Withdrawn {
		if _, ok := st.fact(k); ok {
			st.Facts = slices.DeleteFunc(st.Facts, func(f FactRecord) bool { return f.Key == k })
			withdrawn = append(withdrawn, k)
		}
		if !slices.Contains(st.Declined, k) {
			st.Declined = append(st.Declined, k)
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
	for _, m := range s.madeOfParts(st) {
		noted = append(noted, describe(s.engine.Catalogue(), m))
		st.set(FactRecord{Key: m.Key, Value: m.Value, Turn: st.Turn, Source: m.Text})
	}

	p, err := st.profile(s.engine.Catalogue())
	if err != nil {
		return "", err
	}
	if named := s.benefitsNamed(u); named != nil {
		st.Asked = named
	}
	// 刚被认定为两化融合示范企业, level unsaid: its award is judged.
	levels := unsaidLevels(s.engine.Catalogue(), u.Unclear)
	judged := st.Asked
	for _, b := range s.engine.Benefits() {
		if slices.ContainsFunc(levels, b.Reads) && !slices.Contains(judged, b.ID) {
			judged = append(slices.Clip(judged), b.ID)
		}
	}
	out := s.matchRanges(st, p, matcher.Options{AsOf: st.asOf(s.now()), Skip: st.Declined, IncludeIneligible: true, Asked: judged})
	var b strings.Builder
	if len(noted) > 0 {
		verb := "已记录"
		if u.Correction {
			verb = "已更正"
		}
		b.WriteString(verb + ":" + strings.Join(noted, ";") + "。")
	}
	if len(withdrawn) > 0 {
		b.WriteString("已撤回:" + labels(s.engine.Catalogue(), withdrawn) + ",先按未知处理。")
	}
	for _, m := range u.Mentions {
		if m.Note != "" {
			b.WriteString(m.Note + "。")
		}
	}
	// 南沙区的企业,今年发了2个亿的公司债: a fact only another area's
	// documents read is not recorded, and the reply says why.
	b.WriteString(s.elsewhereNote(st, u.Elsewhere))

	var eligible, open, ruledOut, asked, lost, still, away, expired []matcher.Result
	// 注册在番禺区的知识产权服务机构: when nothing of the applicant's own
	// area applies, the measures elsewhere its facts would meet are told,
	// ruled out by their area.
	nothingHere := !slices.ContainsFunc(out.Results, func(x matcher.Result) bool {
		return x.OutOfArea == "" && x.OutOfForce == "" && x.Status != matcher.Ineligible
	})
	// 公司注册在通化县,不在柳河, after 吉林省名牌产品的奖励 was told: what
	// the place now rules out was told before.
	toldBefore := slices.Clone(st.Told)
	told := func(res matcher.Result) bool { return slices.Contains(toldBefore, res.BenefitID) }
	for _, res := range out.Results {
		switch {
		case res.Status == matcher.Eligible:
			eligible = append(eligible, res)
		case res.Status == matcher.Undetermined && (res.InPlay || slices.Contains(judged, res.BenefitID)):
			// 想申请在华永久居留: a benefit asked about by name is open, as is
			// one whose level is asked; neither waits for a fact that meets it.
			open = append(open, res)
		case res.OutOfArea != "" && (s.docNamed(res.DocID, u.Text) && s.readsAny(res, u.Mentions) || nothingHere && (s.readCount(res, u.Mentions) >= 2 || told(res))):
			// 广州南沙那个30万的奖励我们能申请吗, from 南康: the measure
			// asked about, ruled out by its area.
			away = append(away, res)
		case res.Status == matcher.Ineligible && (res.Selection == "" && res.Support == "" || told(res)) &&
			failsOn(s.engine.Catalogue(), res, u.Mentions):
			// Recognitions and support in kind are not worth a "no" the
			// user did not ask for; awards and subsidies are, and so is a
			// recognition told open before (承诺纳税3年, of 总部经济企业认定).
			ruledOut = append(ruledOut, res)
		case res.Status == matcher.Ineligible && commonRun(res.Title, u.Text) >= 4 && res.OutOfArea == "" && (settledOn(s.engine.Catalogue(), res, u.Mentions, "不满足", true) ||
			// 发明专利那个20万能拿吗, of one told ruled out: asked again, told again.
			u.Questions != "" && commonRun(res.Title, u.Questions) >= 4 && told(res)):
			// 还能再申请人才公寓吗 asks of support in kind; 申请认定总部经济企业,
			// from a 中型 enterprise, of a recognition its size rules out.
			asked = append(asked, res)
		case res.Status == matcher.Ineligible && slices.ContainsFunc(before, func(old matcher.Result) bool {
			// 哦对了,是个铁矿的选矿项目: what was open, now ruled out, is told too.
			return old.BenefitID == res.BenefitID && (old.Status == matcher.Eligible || old.Status == matcher.Undetermined && old.InPlay)
		}):
			// 老板改口只承诺4年: what the change undid is a result of the
			// turn, told by lostByChange.
			lost = append(lost, res)
		case res.OutOfForce != "" && res.OutOfArea == "" && len(expired) < maxRuledOut && s.readsAny(res, u.Mentions):
			// 20万的一次性奖励现在还能申请吗, in 2023: the measure asked
			// about, out of force (outOfForce tells why).
			expired = append(expired, res)
		case res.Status == matcher.Ineligible && res.Selection == "" && res.Support == "" && len(still) < maxRuledOut && meetsOn(s.engine.Catalogue(), res, u.Mentions):
			// 也通过了省工业节能产品认定, after 500吨 fell short of 超过500吨:
			// what the turn met does not undo what an earlier fact failed.
			still = append(still, res)
		}
	}
	// Of another area's measures, those that read the most of what was said
	// are the ones asked about (赣州这个10万的奖励, of a firm's revenue).
	slices.SortStableFunc(away, func(x, y matcher.Result) int { return s.readCount(y, u.Mentions) - s.readCount(x, u.Mentions) })
	// Of the measures ruled out, those the facts meet most come first: 在广东
	// 股权交易中心挂牌 but not 后备 fails the regional listing award on one
	// condition, and the main-board award on its substance.
	// 落户奖我们能拿吗: those the message names by their title come first.
	named := func(res matcher.Result) bool { return commonRun(res.Title, u.Text) >= 3 }
	slices.SortStableFunc(ruledOut, func(x, y matcher.Result) int {
		if c := cmpBool(named(y), named(x)); c != 0 {
			return c
		}
		return metCount(y) - metCount(x)
	})
	ruledOut = slices.Concat(away, ruledOut[:min(len(ruledOut), maxRuledOut)])
	ruledOut = ruledOut[:min(len(ruledOut), maxRuledOut)]
	ruledOut = append(ruledOut, asked[:min(len(asked), maxRuledOut-len(ruledOut))]...)
	r.Results = append(r.Results, slices.Concat(eligible, open, ruledOut, lost, still, expired)...)
	if len(r.Results) > 0 {
		st.Told = st.Told[:0]
		for _, res := range r.Results {
			st.Told = append(st.Told, res.BenefitID)
		}
	}
	// Results of several documents name their document, since article
	// numbers repeat across documents.
	many := false
	for _, res := range r.Results {
		many = many || res.DocID != r.Results[0].DocID
	}
	for _, res := range r.Results {
		r.Citations = appendCitation(r.Citations, Citation{DocID: res.DocID, DocNo: res.DocNo, DocTitle: res.DocTitle, Article: res.Article, Title: res.Title})
	}

	var areaAsked []matcher.Result
	switch {
	case len(eligible) > 0:
		b.WriteString("根据目前的信息,符合以下政策:")
		n := 0
		var totals []matcher.Result
		for _, res := range eligible {
			if len(res.TotalOf) > 0 {
				totals = append(totals, res) // said after its parts, not as one more
				continue
			}
			if n > 0 {
				b.WriteString(";")
			}
			n++
			b.WriteString(summary(n, res, many))
			if res.NextSteps != "" && utf8.RuneCountInString(LongestCommon(u.Text, res.NextSteps)) >= 4 {
				// 听说可以按内地和香港的税负差额给奖励: the officer's note of
				// the option the speaker asks of.
				b.WriteString("(" + strings.TrimSuffix(res.NextSteps, "。") + ")")
			}
			if asksCount(u) && s.readsAny(res, u.Mentions) {
				// 12件实用新型,一件给多少: how the sum of what was just said
				// is counted.
				b.WriteString(howCounted(res))
			}
		}
		for _, res := range totals {
			fmt.Fprintf(&b, "(以上%s各项合计%s)", kb.Cite(res.Article), res.AmountText())
		}
		b.WriteString("。")
		if areas := s.areasToConfirm(eligible); len(areas) > 0 {
			// 新三板挂牌了,有啥奖励, from nowhere said: the document's area
			// decides (the contract), which the reply says, and asks.
			b.WriteString("以上政策仅适用于注册地在" + strings.Join(areas, "、") + "的申请人。")
			areaAsked = eligible
		}
	case len(u.Mentions) == 0 && len(st.Facts) == 0 && len(levels) == 0:
		b.WriteString(s.texts.FirstFacts)
	case len(u.Declined) > 0 && len(open) > 0:
		// 亩均投资多少我记不清了; 两年内能不能投产还不好说: what stays open
		// for want of it.
		if rest := slices.DeleteFunc(slices.Clone(u.Declined), func(k string) bool { return slices.Contains(withdrawn, k) }); len(rest) > 0 {
			b.WriteString("好的," + labels(s.engine.Catalogue(), rest) + "先按不清楚处理。")
		}
		if out.Question == nil {
			b.WriteString(openSummary(s.engine.Catalogue(), open))
		}
	case len(open) == 0 && len(ruledOut) == 0 && st.Uncovered > 0 && st.Uncovered == st.Turn-1 && u.Questions == "" && s.identityOnly(u.Mentions) && containsAny(u.Text, clarifyWords):
		// 就是我个人的房贷,不是公司的: who asks, said of a question the
		// library does not cover, leaves it uncovered.
		b.WriteString(s.notCovered(st))
	case len(open) == 0 && len(ruledOut) == 0, len(u.Mentions) == 0:
		b.WriteString("根据目前的信息,暂未找到可以确定享受的政策。")
		if out.Question == nil && len(open) == 0 {
			b.WriteString(s.moreFacts(st, p))
		}
	}
	for _, res := range ruledOut {
		fmt.Fprintf(&b, "%s(%s)暂不符合:%s。", res.Title, citeResult(res, many), failedConditions(res))
	}
	for _, res := range still {
		fmt.Fprintf(&b, "%s(%s)仍不符合:%s。", res.Title, citeResult(res, many), failedConditions(res))
	}
	b.WriteString(lostByChange(before, out.Results, ruledOut, u.Mentions, many))
	b.WriteString(s.outOfForce(out.Results, u.Mentions))
	if len(eligible) == 0 && len(open) == 0 || len(ruledOut) > 0 {
		// Nothing found, or a measure asked about ruled out: say which
		// documents are for another area.
		b.WriteString(s.outOfArea(out.Results, u.Mentions, u.Text))
	}

	r.Question = nil
	st.Pending = ""
	if out.Question == nil {
		out.Question = s.unclearQuestion(st, u, p, r)
	}
	if out.Question == nil {
		out.Question = s.sumQuestion(st, eligible)
	}
	if f, ok := s.engine.Catalogue().Lookup("region"); ok && out.Question == nil && len(areaAsked) > 0 && !slices.Contains(st.Declined, "region") {
		var ids []string
		for _, res := range areaAsked {
			ids = append(ids, res.BenefitID)
		}
		out.Question = matcher.QuestionFor(f, ids)
	}
	switch {
	case out.Question == nil:
		st.FollowUps = 0
	case st.FollowUps >= maxFollowUps || st.unasked:
		// Enough questions in a row, or one applicant of several: summarise
		// what is still open instead.
		st.FollowUps = 0
		b.WriteString(openSummary(s.engine.Catalogue(), open))
	default:
		q := out.Question
		r.Question = q
		st.Pending = q.Fact
		st.FollowUps++
		if len(open) > 0 && len(eligible) == 0 {
			b.WriteString("可能涉及:" + openTitles(open[:min(len(open), 3)]) + "。")
		}
		b.WriteString("请问:" + q.Text)
		if len(eligible) > 0 {
			// 证书是否仍在有效期内?(关系到…20万元): what the answer settles,
			// when its sum is already known.
			if i := slices.IndexFunc(open, func(res matcher.Result) bool {
				return slices.Contains(q.Settles, res.BenefitID) && res.Amount != nil && res.Amount.Years == 0 && !res.Amount.PerYear
			}); i >= 0 {
				b.WriteString("(关系到" + openTitles(open[i:i+1]) + ")")
			}
		}
	}
	if len(eligible) > 0 && !st.CaveatShown {
		st.CaveatShown = true
		b.WriteString("(提示:" + shortCaveat(eligible[0]) + ")")
	}
	return b.String(), nil
}

// areasToConfirm returns the areas of the documents of results whose area
// test waits for the applicant's region, unsaid, each once.
func (s *Service) areasToConfirm(results []matcher.Result) []string {
	var areas []string
	for _, res := range results {
		waits := slices.ContainsFunc(res.Conditions, func(c matcher.Check) bool {
			return slices.Equal(c.Facts, []string{"region"}) && c.Status == "待确认" && c.Actual == ""
		})
		if d := s.document(res.DocID); waits && d != nil && d.Jurisdiction != "" && !slices.Contains(areas, d.Jurisdiction) {
			areas = append(areas, d.Jurisdiction)
		}
	}
	return areas
}

// settled returns what the session's facts settle, eligible or open and in
// play: a question about the results (能奖多少, 要是…呢) leaves them as
// they are, and the answer carries them on.
func (s *Service) settled(st *State) []matcher.Result {
	if len(st.Facts) == 0 {
		return nil
	}
	p, err := st.profile(s.engine.Catalogue())
	if err != nil {
		return nil
	}
	var out []matcher.Result
	for _, res := range s.matchRanges(st, p, matcher.Options{AsOf: st.asOf(s.now()), Skip: st.Declined, Asked: st.Asked}).Results {
		if res.Status == matcher.Eligible || res.Status == matcher.Undetermined && res.InPlay {
			out = append(out, res)
		}
	}
	return out
}

// sumQuestion asks, when nothing else is open, for a fact the sum of an
// eligible result waits on (个人经济贡献 of a 40% award); nil when none.
func (s *Service) sumQuestion(st *State, eligible []matcher.Result) *matcher.Question {
	for _, res := range eligible {
		for _, k := range res.AmountAwaits {
			if f, ok := s.engine.Catalogue().Lookup(k); ok && f.Question != "" && !slices.Contains(st.Declined, k) {
				q := matcher.QuestionFor(f, []string{res.BenefitID})
				q.Text = "为计算金额," + q.Text
				return q
			}
		}
	}
	return nil
}

// docNamed reports whether text names the area of document docID (南沙 of
// 广州南沙新区, 柳河 of 柳河县).
func (s *Service) docNamed(docID, text string) bool {
	d := s.document(docID)
	if d == nil || d.Area == nil {
		return false
	}
	name := strings.TrimRight(d.Area.Name, "区县市")
	return len([]rune(name)) >= 2 && strings.Contains(text, name)
}

// document returns the library's document docID, or nil.
func (s *Service) document(docID string) *kb.Document {
	for _, d := range s.library.Documents() {
		if d.DocID == docID {
			return d
		}
	}
	return nil
}

// readsAny reports whether the benefit of res reads a fact of mentions other
// than where the applicant is.
func (s *Service) readsAny(res matcher.Result, mentions []Mention) bool {
	return s.readCount(res, mentions) > 0
}

// readCount counts the facts of mentions, the place aside, that res reads.
func (s *Service) readCount(res matcher.Result, mentions []Mention) int {
	b, ok := s.engine.Benefit(res.BenefitID)
	if !ok {
		return 0
	}
	n := 0
	for _, m := range mentions {
		if m.Key != "region" && b.Reads(m.Key) {
			n++
		}
	}
	return n
}

// names returns the values of the text facts that name an applicant
// (名称, 统一社会信用代码) among facts.
func (s *Service) names(facts []FactRecord) []string {
	var out []string
	for _, r := range facts {
		if f, ok := s.engine.Catalogue().Lookup(r.Key); ok && f.Kind == matcher.KindText && f.Identity {
			if v, ok := r.Value.(string); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// context is what the reading of a message needs of the session.
func (s *Service) context(st *State) Context {
	told := st.Told
	if len(told) == 0 {
		told = s.benefitsCited(st) // 具体怎么算, of the clause just shown
	}
	c := Context{Pending: st.Pending, ApplicantType: st.applicantType(), Recent: st.recent(), Values: st.values(), Said: st.sources(),
		Year: st.asOf(s.now()).Year(), Told: told, Docs: s.docsFor(st)}
	if st.Earlier != nil {
		c.Earlier = (&State{Facts: st.Earlier.Facts}).applicantType()
		c.EarlierNames = s.names(st.Earlier.Facts)
		c.Names = s.names(st.Facts)
	}
	if n := len(st.History); n > 0 {
		c.Previous = st.History[n-1].User
	}
	for _, f := range st.Facts {
		if f.Approx {
			c.Approx = append(c.Approx, f.Key)
		}
		if fact, ok := s.engine.Catalogue().Lookup(f.Key); ok && fact.AssessedYear {
			if y, ok := toFloat(f.Value); ok {
				c.AssessmentYear = int(y)
			}
		}
	}
	return c
}

// unclearQuestion asks for a fact the message spoke of without a value the
// reading could take (被认定为两化融合示范企业, level unsaid; 发了一笔公司债),
// when the matcher has nothing in play to ask about: the user raised it.
// The clauses that read the fact are cited.
func (s *Service) unclearQuestion(st *State, u Understanding, p *matcher.Profile, r *Reply) *matcher.Question {
	for _, k := range u.Unclear {
		f, ok := s.engine.Catalogue().Lookup(k)
		if !ok || f.Question == "" || p.Has(k) || slices.Contains(st.Declined, k) {
			continue
		}
		applicant := p.ApplicantType()
		docs := s.docsInArea(st) // nil while the place is unknown: every document
		var cites []Citation
		for _, b := range s.engine.Benefits() {
			// 南沙的高新技术企业 is asked nothing only Liuhe's benefits read;
			// a benefit for those moving in (新落户本区) is anyone's.
			if b.Reads(k) && slices.Contains(b.Applicants, applicant) && (docs == nil || slices.Contains(docs, b.DocID) || b.AreaReplacedBy != "") {
				cites = appendCitation(cites, Citation{DocID: b.DocID, DocNo: b.DocNo, DocTitle: b.DocTitle, Article: b.Article, Title: b.Title})
			}
		}
		if len(cites) == 0 {
			continue // a talent's fact, asked of an enterprise, settles nothing
		}
		for _, c := range cites {
			r.Citations = appendCitation(r.Citations, c)
		}
		return matcher.QuestionFor(f, nil)
	}
	return nil
}

// inferApplicant adds the applicant type when the speaker has not said it
// but a fact only one kind of applicant has does (园区评上省级清洁化园区).
func (s *Service) inferApplicant(st *State, mentions []Mention, text string) []Mention {
	if _, ok := st.fact("applicant_type"); ok {
		return mentions
	}
	for i, m := range mentions {
		if m.Key == "applicant_type" {
			return s.othersFacts(mentions, i, text)
		}
	}
	cat := s.engine.Catalogue()
	only := func(m Mention) string { // the one applicant type other than an enterprise that has the fact
		if m.Value == false {
			return "" // 非领军人才团队项目 says nothing of who speaks
		}
		if who := s.engine.ApplicantsFor(m.Key); len(who) == 1 && who[0] != "enterprise" {
			return who[0]
		}
		return ""
	}
	// 我是南沙区医院的名中医: one person, in the singular, with a fact only
	// a person has, speaks for themself; the enterprise words are the
	// employer's.
	singular := singularSpeaker(text)
	for _, m := range mentions {
		f, ok := cat.Lookup(m.Key)
		if !ok || m.Value == false || !f.EnterpriseOnly && !slices.Equal(s.engine.ApplicantsFor(m.Key), []string{"enterprise"}) {
			continue
		}
		if singular && slices.ContainsFunc(mentions, func(n Mention) bool { return only(n) == s.personType() }) {
			break
		}
		if f.InArea {
			continue // 新落户 is anyone's settling: an organisation's as much as a firm's
		}
		// 新落户南沙 is an enterprise's settling and a talent's: words that
		// also state another applicant's fact do not tell who speaks.
		if !slices.ContainsFunc(mentions, func(n Mention) bool { return only(n) != "" && overlap(m, n) && !wider(m, n) }) {
			// An enterprise's trait or fact: the speaker is one, and what
			// only a person has is its staff's.
			return s.othersFacts(mentions, -1, text)
		}
	}
	if containsAny(text, forThemWords) || asksForPerson(text) {
		// 我们引进了一位院士,他能享受什么: of the facts that tell who
		// applies, the person's.
		slices.SortStableFunc(mentions, func(x, y Mention) int {
			return cmpBool(only(y) == s.personType(), only(x) == s.personType())
		})
	}
	for _, m := range mentions {
		if who := only(m); who != "" {
			f, _ := cat.Lookup("applicant_type")
			// The enterprise's reading of shared words goes, and so does
			// another organisation's (成功引进院士, an agency's, of a
			// talent's employer).
			mentions = slices.DeleteFunc(mentions, func(n Mention) bool {
				g, _ := cat.Lookup(n.Key)
				other := only(n)
				return g.EnterpriseOnly || other != "" && other != who
			})
			return append(mentions, Mention{Key: "applicant_type", Value: who, Text: m.Text,
				Note: "按“" + m.Text + "”理解为" + f.OptionLabel(who) + "申请"})
		}
	}
	return mentions
}

// wider reports whether m was read from words that hold n's and more:
// 新落户南沙的总部 says more than 新落户南沙.
func wider(m, n Mention) bool {
	return m.End-len(m.Text) <= n.End-len(n.Text) && n.End <= m.End && len(m.Text) > len(n.Text)
}

// othersFacts drops, when the message says the applicant is an enterprise
// (mentions[at]), the facts no enterprise has: 我们公司新招了3个全日制博士
// speaks of its hires' degrees, whose subsidies they apply for themselves,
// and the reply says so.
func (s *Service) othersFacts(mentions []Mention, at int, text string) []Mention {
	if at >= 0 && mentions[at].Value != "enterprise" {
		return mentions
	}
	cat := s.engine.Catalogue()
	applicants, _ := cat.Lookup("applicant_type")
	if containsAny(text, forThemWords) || asksForPerson(text) || s.asksPersonsBenefit(mentions, text) || singularSpeaker(text) {
		// 我是南沙一家总部型企业的副总经理: one person speaks of their
		// employer; the person applies.
		return s.forThePerson(mentions, at)
	}
	var words []string
	kept := mentions[:0:0]
	for _, m := range mentions {
		who := s.engine.ApplicantsFor(m.Key)
		switch {
		case len(who) == 1 && slices.ContainsFunc(applicants.Options, func(o matcher.Option) bool { return o.Value == who[0] && o.Person }):
			words = appendUnique(words, m.Text)
		case len(who) > 0 && !slices.Contains(who, "enterprise"):
			// 5个硕士 of a software company's hires is no research
			// institution's staff count: no enterprise benefit reads it.
		default:
			kept = append(kept, m)
		}
	}
	if len(kept) == len(mentions) {
		return mentions
	}
	// 刚落户南沙 states the enterprise's settling as much as a talent's:
	// words a kept fact was read from are the enterprise's, and not told as
	// a person's.
	words = slices.DeleteFunc(words, func(w string) bool {
		return slices.ContainsFunc(kept, func(m Mention) bool {
			return m.Key != "applicant_type" && (strings.Contains(m.Text, w) || strings.Contains(w, m.Text))
		})
	})
	if len(words) == 0 {
		return kept
	}
	for i := range kept {
		if kept[i].Key == "applicant_type" {
			kept[i].Note = "“" + strings.Join(words, "”“") + "”说的是人才本人的情况:相关补贴由人才本人申请,不由企业领取"
		}
	}
	return kept
}

// singularSpeaker reports whether the speaker says 我 and never speaks for
// an organisation (我们, 我司).
func singularSpeaker(text string) bool {
	return strings.Contains(text, "我") && !containsAny(text, []string{"我们", "我司", "我公司", "我厂", "我单位", "我园", "我区", "我县", "我市", "我院", "我行", "我校", "我所", "我局", "我委", "我中心", "我会"})
}

// personType is the applicant type a person applies as, or "".
func (s *Service) personType() string { return s.engine.Catalogue().PersonType() }

// forThemWords say that the person the enterprise speaks of is the one who
// wants or asks (他想要安家补贴, 帮他问问): the person applies.
var forThemWords = []string{"他想", "她想", "他要", "她要", "他能", "她能", "他可以", "她可以", "他本人", "她本人", "帮他", "帮她", "替他", "替她", "给他申请", "给她申请", "能给他", "能给她", "给他多少", "给她多少", "他个人", "她个人",
	"他们每人", "她们每人", "他们能", "她们能", "他们每个人", "每人能拿", "每人能领", "每个人能拿",
	// 工人考了高级工证,一个人补多少: the sum of each person asks for them.
	"一个人补多少", "一个人给多少", "一个人能拿", "每人补多少", "每人给多少", "每个人补多少", "每个人给多少", "一人补多少", "一人给多少"}

// forPersonRE is a speaker asking for a person it names: 帮南沙一家总部企业
// 的副总经理问.
var forPersonRE = regexp.MustCompile(`^(?:帮|替|代)[^,。;]{0,30}?(?:副总经理|总经理|副董事长|董事长|高管|员工|博士后|博士|硕士|人才|骨干|工程师|专家|院士|技术人员|科研人员)(?:问|咨询|了解|查)`)

// asksForPerson reports whether the message opens by asking for a person.
func asksForPerson(text string) bool { return forPersonRE.MatchString(normalize(text)) }

// benefitNouns end the names of benefits: 安家补贴, 人才公寓.
var benefitNouns = []string{"补贴", "奖励", "资助", "补助", "公寓", "奖"}

// companyClaims say the enterprise asks for itself: 公司能领多少住房补贴.
var companyClaims = []string{"公司能", "企业能", "公司可以", "企业可以", "单位能", "单位可以", "我们能领", "公司领", "企业领", "公司申请", "企业申请"}

// asksPersonsBenefit reports whether an enterprise's message about its
// hire asks for a benefit only the person has, by four characters of its
// title in a row (引进了一位院士,安家补贴能给多少), and not for itself.
func (s *Service) asksPersonsBenefit(mentions []Mention, text string) bool {
	if containsAny(text, companyClaims) || !containsAny(text, benefitNouns) {
		return false
	}
	person := s.personType()
	for _, m := range mentions {
		if slices.ContainsFunc(mentions, func(o Mention) bool {
			who := s.engine.ApplicantsFor(o.Key)
			return o.Key != m.Key && len(o.Text) > len(m.Text) && overlap(m, o) && !(len(who) == 1 && who[0] == person)
		}) {
			continue // 新落户南沙的总部企业: the words say the enterprise's fact
		}
		for _, b := range s.engine.Benefits() {
			// A person's benefit: 场地租金补贴 is a research institution's.
			if !b.Reads(m.Key) || !slices.Equal(b.Applicants, []string{person}) {
				continue
			}
			// The words shared name the benefit (安家补贴), not the fact it reads (经济贡献).
			if run := LongestCommon(b.Title, text); len([]rune(run)) >= 4 && containsAny(run, benefitNouns) {
				return true
			}
		}
	}
	return false
}

// forThePerson turns a message of an enterprise about its hire, asked on
// the hire's behalf, into the hire's own: when it states a fact only a
// person has, the applicant is that person and the enterprise's facts go.
func (s *Service) forThePerson(mentions []Mention, at int) []Mention {
	cat := s.engine.Catalogue()
	person := cat.PersonType()
	var word string
	for _, m := range mentions {
		if who := s.engine.ApplicantsFor(m.Key); len(who) == 1 && who[0] == person && m.Value != false {
			word = m.Text
			break
		}
	}
	if word == "" {
		return mentions
	}
	kept := mentions[:0:0]
	for i, m := range mentions {
		switch f, _ := cat.Lookup(m.Key); {
		case i == at:
			kept = append(kept, Mention{Key: m.Key, Value: person, Text: m.Text, End: m.End,
				Note: "“" + word + "”所说的补贴由人才本人申请,以下按人才本人测算"})
		case f.EnterpriseOnly:
		default:
			kept = append(kept, m)
		}
	}
	if at < 0 {
		kept = append(kept, Mention{Key: "applicant_type", Value: person, Text: word,
			Note: "“" + word + "”所说的补贴由人才本人申请,以下按人才本人测算"})
	}
	return kept
}

// overlap reports whether two mentions were read from overlapping words.
func overlap(m, n Mention) bool {
	return m.End-len(m.Text) < n.End && n.End-len(n.Text) < m.End
}
