package dialogue

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// Intent is what a message asks of the bot. The zero value is
// IntentOutOfScope: nothing about the policy or the enterprise was said.
type Intent int

// The intents, in no particular order.
const (
	IntentOutOfScope     Intent = iota // 天气, 讲个笑话
	IntentEligibility                  // facts about oneself, or 能拿什么奖励
	IntentAnswer                       // a reply to the pending question
	IntentPolicyQuestion               // a question about the policy with no facts about oneself
	IntentClause                       // a clause asked by number: 第十七条第一款
	IntentHelp                         // 你能做什么, 怎么用
	IntentReset                        // 重新开始, 清空
	IntentHuman                        // a person or a complaint: 转人工, 投诉, 举报
	IntentGreeting                     // 你好 alone
	IntentThanks                       // 谢谢, 好的, 明白了 alone
	IntentFollowUp                     // a question about results told: 还有效吗, 找哪个部门
	IntentWhatIf                       // a supposition asked about: 要是去创业板上市能奖多少

	// intentAnswered marks a turn the complaint desk answered before the
	// intent was looked at (a draft's contact, a question of progress).
	intentAnswered Intent = -1
)

var intentNames = [...]string{
	IntentOutOfScope:     "out_of_scope",
	IntentEligibility:    "eligibility",
	IntentAnswer:         "answer",
	IntentPolicyQuestion: "policy_question",
	IntentClause:         "clause",
	IntentHelp:           "help",
	IntentReset:          "reset",
	IntentHuman:          "human",
	IntentGreeting:       "greeting",
	IntentThanks:         "thanks",
	IntentFollowUp:       "follow_up",
	IntentWhatIf:         "what_if",
}

// String returns the intent's snake_case name, as logs and tests show it.
func (i Intent) String() string {
	if i < 0 || int(i) >= len(intentNames) {
		return "intent(" + strconv.Itoa(int(i)) + ")"
	}
	return intentNames[i]
}

var (
	// switchWords set the case aside for another applicant's (下一家), which
	// a message may go back to.
	switchWords = []string{"换一家企业", "换一家", "换个企业", "换一个企业", "换家企业", "问另一家", "下一家", "下一户", "下一个企业", "下一个单位", "再来一家", "下一位", "下一个申请人", "再查一家", "查下一家", "下一个客户"}
	resetWords  = []string{
		"重新开始", "从头开始", "重新来", "重来", "清空", "重置", "从新开始", "再来一遍", "清除", "重新咨询",
		// 换一个人问:我表哥也是外籍华人…: another person's case, said with
		// the asking (换个人才公寓 and 换一个单位工作 are no new case).
		"换一个人问", "换个人问", "换一位问", "再问一个人", "问另一个人", "换一个单位问", "换个单位问", "换一个机构问",
		"换一个人咨询", "换个人咨询",
	}
	humanWords = []string{
		"转人工", "人工客服", "人工服务", "找人工", "要人工", "接人工", "真人", "投诉", "举报", "找领导", "办不成",
		"办不了事", "没人管", "推诿", "不作为", "吃拿卡要", "扯皮", "刁难", "客服电话",
	}
	helpWords = []string{
		"你能做什么", "你能干什么", "你会什么", "你可以做什么", "你能帮我", "能帮我什么", "怎么用", "如何使用",
		"怎么使用", "帮助", "使用说明", "help", "Help", "你是谁", "有什么功能", "怎么操作", "介绍一下你", "你能干嘛",
	}
	greetWords = []string{
		"你好", "您好", "嗨", "hi", "Hi", "hello", "Hello", "哈喽", "在吗", "在不在", "早上好", "下午好", "晚上好",
		"早安", "喂", "你们好", "大家好",
	}
	thankWords = []string{
		"谢谢", "感谢", "多谢", "谢啦", "好的", "好滴", "明白了", "知道了", "了解了", "收到", "辛苦了", "ok", "OK", "再见", "拜拜",
	}
	// selfAskWords ask what the speaker can get.
	selfAskWords = []string{
		"能拿", "可以拿", "能领", "可以领", "能享受", "可以享受", "能申请哪", "可以申请哪", "符合哪", "符合什么",
		"够不够", "能得到", "可以得到", "能获得", "可以获得", "能不能拿", "能否享受", "能不能享受", "能否获得", "能否拿到", "能否得到", "能否申请", "可否享受", "可否申请",
		"有资格", "够条件", "符合条件吗", "符合条件么", "能申报", "可以申报",
		// A fact said with 有影响吗 asks what it does to the results.
		"有影响吗", "有没有影响", "影响吗", "会不会影响", "受影响吗", "还符合吗", "还能享受吗",
		// 进创新层了,这个还有钱吗: money asked of what was just said.
		"还有钱吗", "有钱吗", "有没有钱", "给钱吗", "给不给钱", "能给钱",
		// 又进了创新层,这个另外还有吗: more for what was just said.
		"另外还有吗", "另外还有没有", "也有吗", "还能再拿", "还有奖励吗", "还有奖吗",
		// 除了落户奖,后面几年还有没有别的: the other results of the case.
		"还有没有别的", "还有别的吗", "还有其他的吗", "还有没有其他", "别的还有吗", "其他还有吗",
	}
	// askWords ask about benefits in general; with facts about oneself they
	// ask what the speaker can get.
	askWords = []string{
		"有什么奖励", "有哪些奖励", "有什么政策", "有哪些政策", "有什么补贴", "有什么优惠", "有什么支持",
		"有什么扶持", "奖励多少", "补贴多少", "有哪些扶持", "有哪些优惠",
	}
	// policyWords ask about policy in general; a word of the library's
	// catalogue (博览会, 发债) makes a question topical too (see intent).
	policyWords = []string{
		"奖励", "补助", "补贴", "政策", "条件", "申请", "扶持", "优惠", "资金", "材料", "部门", "办理", "流程",
		"标准", "门槛", "认定", "享受", "支持", "规定", "条款", "文件", "兑现", "拨付", "税", "项目", "企业",
		"公司", "工厂", "产业", "补多少", "能补", "奖多少", "给多少", "拿多少", "多少钱",
	}
	// requestWords ask for information without a question word: 想了解一下
	// 出口退税.
	requestWords = []string{"了解", "想问", "问一下", "问问", "请问", "咨询", "介绍", "说说", "讲讲", "说一下", "讲一下", "想申请", "打算申请", "准备申请",
		"查一下", "查查", "看看", "告诉我", "解释"}
	fillers = " ,.。!?~啊呀呢吧哈嘛哦"
)

// intent decides what the message asks, given what was read from it.
func (a *analysis) intent(u Understanding) Intent {
	a.another = a.anotherAsked() || a.containsAny(switchWords)
	switch {
	case a.containsAny(resetWords) || a.another:
		return IntentReset
	case a.wantsHuman() && !(a.forwarded() && len(u.Mentions) > 0 && !a.containsAny(ownHumanWords)):
		// 企业投诉平台转来一条…企业反映: a complaint forwarded with the
		// enterprise's facts asks what the policy gives them.
		return IntentHuman
	}
	selfAsk := a.containsAny(selfAskWords) || a.asksFigure()
	ask := a.containsAny(askWords)
	if len(u.Declined) == 0 && len(u.Unclear) == 0 && len(u.Mentions) > 0 && (a.onlyIdentity(u) || a.onlyGeneral(u) && !a.firstPerson) && a.asks() && !selfAsk && !ask && a.ctx.Pending == "" &&
		!(u.FollowUp != "" && len(a.ctx.Told) > 0 && a.onlyKnownIdentity(u)) {
		// 南沙这边车辆年审去哪办: a place said by the way (开个餐馆,办食品
		// 经营许可证要准备哪些材料: a trade, not the speaker's); the question
		// is for the search (and its floor) to answer.
		return IntentPolicyQuestion
	}
	// 今年被认定为两化融合示范企业,有奖励吗: a recognition stated, its level
	// not, is a fact to ask about as much as one said whole.
	// 问清楚了,是省商务厅主办的: a fact confirmed is an answer too, and the
	// results stand.
	// So is news of what was checked (问清楚了…) once results are told.
	confirms := (a.confirmed || len(a.ctx.Told) > 0 && a.containsAny(refineWords)) && len(u.Mentions) == 0 && a.ctx.Pending == "" && !a.asks()
	if (len(u.Mentions) > 0 && !a.onlyKnownIdentity(u)) || len(u.Declined) > 0 || len(u.Withdrawn) > 0 || len(unsaidLevels(a.r.cat, u.Unclear)) > 0 || confirms {
		asks := selfAsk || ask || a.asksBeyondFacts()
		switch {
		case !asks && (a.ctx.Pending != "" || a.correction):
			return IntentAnswer
		case !asks, selfAsk, ask:
			return IntentEligibility
		case a.onlyAnswers(u) && !(u.FollowUp != "" && len(a.ctx.Told) > 0):
			// 那他选安家补贴,最多给多少 answers and asks of the results told:
			// the answer applied, the results say it.
			return IntentPolicyQuestion
		}
		return IntentEligibility
	}
	switch {
	case u.Article != "":
		return IntentClause
	case u.FollowUp == FollowObligations && len(a.ctx.Told) > 0 && a.movesAway(u.Supposed):
		// 拿了这笔钱以后,过两年想搬去番禺可以吗: what the award binds the
		// applicant to, not what a move would bring.
		return IntentFollowUp
	case len(u.Supposed) > 0:
		return IntentWhatIf
	case u.FollowUp != "" && len(a.ctx.Told) > 0, u.FollowUp == FollowValidity:
		// 这个总部政策还有效吗 asks of a document even with nothing told.
		return IntentFollowUp
	case a.containsAny(helpWords):
		return IntentHelp
	case a.only(greetWords):
		return IntentGreeting
	case a.only(thankWords):
		return IntentThanks
	case selfAsk, ask && a.firstPerson:
		return IntentEligibility
	case len(a.ctx.Told) > 0 && !ask && !a.asks() && !a.containsAny(requestWords) && a.reportsDeed():
		// 区里已经认定了, after the results, is news the reading takes no
		// fact from, not a question for the search: the results stand.
		return IntentEligibility
	case ask, a.containsAny(policyWords), a.asks(), len(a.found) > 0:
		// A question the library may answer goes to the search, whose
		// relevance floor says when it does not.
		return IntentPolicyQuestion
	}
	return IntentOutOfScope
}

// unsaidLevels returns the enum facts of keys: recognitions a message states
// without their level (今年被认定为两化融合示范企业), which the chat asks.
func unsaidLevels(cat *matcher.Catalogue, keys []string) []string {
	var out []string
	for _, k := range keys {
		if f, ok := cat.Lookup(k); ok && f.Kind == matcher.KindEnum {
			out = append(out, k)
		}
	}
	return out
}

// asksFigure reports a sum asked for: 能给500万吗 asks what the speaker can
// get; 能给我介绍一下 does not.
func (a *analysis) asksFigure() bool {
	for _, w := range []string{"能给", "能不能给", "会给", "给不给"} {
		if i := a.index(0, len(a.s), w); i >= 0 && startsNumeralAt(a.s[i+len(w):]) {
			return true
		}
	}
	return false
}

// reportsDeed reports a short message that says something was done: 已经
// 认定了, 批下来了; a topic alone (人才补贴政策) reports nothing.
func (a *analysis) reportsDeed() bool {
	return utf8.RuneCountInString(a.s) <= 16 && (a.contains("已") || strings.HasSuffix(strings.TrimRight(a.s, fillers), "了") || a.containsAny(doneAspects[1:]))
}

// onlyKnownIdentity reports whether the message says nothing but who or
// where the speaker is, as the conversation already knows it (南沙对人才买车
// 有没有补贴, from a 南沙 talent): it answers no question and states no fact.
func (a *analysis) onlyKnownIdentity(u Understanding) bool {
	for _, m := range u.Mentions {
		f, ok := a.r.cat.Lookup(m.Key)
		if !ok || !f.Identity || a.ctx.Values == nil || a.ctx.Values[m.Key] != m.Value {
			return false
		}
	}
	return true
}

// againWords open the asking for another applicant, in a case under way
// (再帮县里一家企业问); newOneWords say the one asked for is another
// (一家, 另一家), not the one the case is of (这家, 我们公司).
var (
	againWords = []string{"再帮", "再替", "另外帮", "另外替", "还要帮", "另外问", "再问下", "再问一下", "顺便问"}
	// hostWords name the body the speaker's case lies in (我们所在的园区),
	// which applies as another applicant.
	hostWords   = []string{"我们所在的", "我们所在地的", "我们所属的", "我们入驻的", "我们所在园区", "我们企业所在的", "我们公司所在的", "企业所在的", "公司所在的"}
	newOneWords = []string{"一家", "另一家", "一个", "另一个", "一位", "另一位", "别的"}
)

// anotherAsked reports whether the message asks for another applicant than
// the case under way's: 再帮 and a new one, said with the asking, or one of
// the speaker's own people with facts of theirs.
func (a *analysis) anotherAsked() bool {
	if len(a.ctx.Values) == 0 {
		return false
	}
	if a.kinsBody() && (a.asksFor || len(a.scanFigures()) > 0 || slices.ContainsFunc(a.cands, func(c candidate) bool {
		f, ok := a.r.cat.Lookup(c.m.Key)
		return ok && !f.Identity
	})) {
		// 帮我朋友的公司问一下, 我朋友在柳河的公司也新发展了80亩: another's
		// firm, with facts of its own.
		return true
	}
	if a.affiliateAsked() {
		return true
	}
	if !a.asksFor {
		return false
	}
	if a.makerAsked {
		return true
	}
	if a.kinAsked {
		// 我女朋友…她能拿多少, after the speaker's own case, with facts of hers.
		return slices.ContainsFunc(a.cands, func(c candidate) bool { return c.m.Key != "applicant_type" })
	}
	if a.opensAnother() {
		// 另一家是南沙本地的老企业: another one, said so.
		return true
	}
	if !a.containsAny(againWords) && !a.containsAny(hostWords) {
		return false
	}
	current := cmp.Or(a.ctx.ApplicantType, "enterprise")
	for _, c := range a.cands {
		if c.m.Key == "applicant_type" && (c.m.Value != current || a.windowHas(runesBefore(a.s, 0, c.pos, 4), c.pos, newOneWords)) {
			return true
		}
	}
	return false
}

// affiliateWords name a body of the speaker's that applies on its own, and
// affiliateLeads say the speaker has one (我们在章贡区有个工业子公司).
var (
	affiliateWords = []string{"子公司", "分公司", "控股公司", "孙公司"}
	affiliateLeads = []string{"有个", "有一个", "有一家", "有家", "旗下", "下属", "下面"}
)

// affiliateAsked reports whether the message speaks of an affiliate of the
// speaker's, said to be had and given figures of its own: another
// applicant, a legal person of its own.
func (a *analysis) affiliateAsked() bool {
	for _, w := range affiliateWords {
		i := a.index(0, len(a.s), w)
		if i < 0 || !a.firstPerson {
			continue
		}
		before := a.s[a.clauseAt(i).start:i]
		if !containsAny(before, affiliateLeads) || containsAny(before, []string{"给", "为", "帮"}) {
			continue // 给我们自己控股的子公司做的: a client, not the applicant
		}
		for _, f := range a.scanFigures() {
			if f.start > i && f.kind == figMoney {
				return true
			}
		}
	}
	return false
}

// partnerWords name another party the speaker deals with.
var (
	partnerWords    = []string{"合作伙伴", "合作方", "合作单位", "兄弟单位"}
	kinsAndPartners = slices.Concat(kinWords, partnerWords)
)

// kinsBody reports whether the message names a body of one of the
// speaker's people or partners (我朋友的公司, 我同学开的厂, 合作伙伴的企业):
// the applicant asked for is theirs.
func (a *analysis) kinsBody() bool {
	for _, w := range kinsAndPartners {
		i := a.index(0, len(a.s), w)
		if i < 0 {
			continue
		}
		end := i + len(w)
		// 帮我朋友问问,他们也是柳河的人参企业: the friend's people are a body.
		if k := a.index(end, a.sentenceEnd(end), "他们"); k >= 0 {
			if v, _ := a.lastApplicantNoun(k, a.clauseAt(k).end); v != "" && v != a.r.person {
				return true
			}
		}
		// 朋友的公司, 朋友在柳河的公司, 朋友开的厂: the body right after 的.
		for _, n := range a.r.applicantNouns {
			k := a.index(end, min(len(a.s), end+8*3+len(n.word)), n.word)
			if k < 0 {
				continue
			}
			between := a.s[end:k]
			if (between == "" || strings.HasSuffix(between, "的")) && utf8.RuneCountInString(between) <= 6 && !strings.ContainsAny(between, ",。") &&
				!hasAnyPrefix(a.s[k+len(n.word):], employedWords...) { // 朋友在南沙的科研机构上班 is a person
				return true
			}
		}
	}
	return false
}

// forwardWords open a message that passes on another's words (平台转来一条,
// 企业反映); ownHumanWords ask for a person in the speaker's own name, which
// no forwarding overrides.
var (
	forwardWords  = []string{"转来", "转过来", "转办", "企业反映", "企业反馈"}
	ownHumanWords = []string{"转人工", "我要投诉", "我投诉", "我想投诉", "我要举报", "人工客服"}
)

// forwarded reports whether the message opens by passing on another's
// complaint: in its first clause (投诉平台转来一条,…), not 材料被转来转去.
func (a *analysis) forwarded() bool {
	if len(a.clauses) == 0 || a.contains("转来转去") {
		return false
	}
	c := a.clauses[0]
	if a.windowHas(c.start, c.end, forwardWords) {
		return true
	}
	// 企业投诉:我公司… heads a complaint passed on with its subject, the
	// way the platform's forms and counter notes label what follows.
	head, _, ok := strings.Cut(a.s, ":")
	return ok && utf8.RuneCountInString(head) <= 6 && containsAny(head, []string{"投诉", "反映", "诉求"})
}

// wantsHuman reports a request for a person or a complaint. 人工 alone counts,
// but not inside 人工智能 or 人工成本; so does 找你们领导.
func (a *analysis) wantsHuman() bool {
	if a.containsAny(humanWords) {
		return true
	}
	if i := a.index(0, len(a.s), "领导"); i >= 0 && containsAny(a.s[runesBefore(a.s, 0, i, 4):i], []string{"找", "叫", "要"}) {
		return true
	}
	for from := 0; ; {
		i := strings.Index(a.s[from:], "人工")
		if i < 0 {
			return false
		}
		from += i + len("人工")
		if !hasAnyPrefix(a.s[from:], "智能", "成本", "费", "工资", "合成", "降雨", "养殖", "种植", "湖", "林", "草") {
			return true
		}
	}
}

// asksBeyondFacts reports a question clause that holds no mention: 盈利的,
// 另外发债有奖励吗 answers and asks.
func (a *analysis) asksBeyondFacts() bool {
	for _, c := range a.clauses {
		if !c.question {
			continue
		}
		held := false
		for _, m := range a.cands {
			if m.pos >= c.start && m.pos < c.end {
				held = true
			}
		}
		if !held {
			return true
		}
	}
	return false
}

// movesAway reports whether supposed moves the applicant from the region
// told to another.
func (a *analysis) movesAway(supposed []Mention) bool {
	if _, ok := a.ctx.Values["region"]; !ok || len(a.ctx.Docs) == 0 || !slices.ContainsFunc(supposed, func(m Mention) bool { return m.Key == "region" }) {
		return false
	}
	// 过两年想搬去番禺, from 南沙: out of the area of the documents here,
	// not into it (那要是整体迁到南沙去呢, from 黄埔).
	for _, m := range a.placeNames() {
		for _, place := range m.Divisions {
			if !slices.ContainsFunc(a.ctx.Docs, func(d string) bool { return holds(a.r.areas[d], place) }) {
				return true
			}
		}
	}
	return false
}

// onlyAnswers reports that every mention answers the pending question, so a
// question beside it is about the policy, not about the speaker's own case.
func (a *analysis) onlyAnswers(u Understanding) bool {
	if a.ctx.Pending == "" {
		return false
	}
	for _, m := range u.Mentions {
		if m.Key != a.ctx.Pending {
			return false
		}
	}
	return true
}

// only reports that the message says some of words and nothing else.
func (a *analysis) only(words []string) bool {
	rest := a.s
	found := false
	for _, g := range words {
		if strings.Contains(rest, g) {
			rest = strings.ReplaceAll(rest, g, "")
			found = true
		}
	}
	return found && strings.Trim(rest, fillers) == ""
}

// asks reports whether some clause of the message asks something.
func (a *analysis) asks() bool {
	return slices.ContainsFunc(a.clauses, func(c clause) bool { return c.question })
}

// onlyIdentity reports whether every mention says who or where the speaker
// is, nothing a measure rewards.
func (a *analysis) onlyIdentity(u Understanding) bool { return allIdentity(a.r.cat, u.Mentions) }

// allIdentity reports whether every mention says who or where the speaker
// is (true of none).
func allIdentity(cat *matcher.Catalogue, ms []Mention) bool {
	for _, m := range ms {
		if f, ok := cat.Lookup(m.Key); !ok || !f.Identity {
			return false
		}
	}
	return true
}

// onlyGeneral reports whether the message says only who and what the
// speaker is in general (a place, an industry), nothing a measure rewards.
func (a *analysis) onlyGeneral(u Understanding) bool {
	for _, m := range u.Mentions {
		if f, ok := a.r.cat.Lookup(m.Key); !ok || !f.General {
			return false
		}
	}
	return true
}
