package dialogue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// topical reports whether a message with no facts still names a subject the
// clauses can answer, beyond asking what one can get.
func topical(u Understanding) bool { return names(u.Text) }

// names reports whether text names a subject beyond asking what one can get.
func names(text string) bool {
	words := kb.CleanQuery(text)
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

// namesSubject reports whether q names a subject beyond the words of a
// follow-up: 要啥材料 alone asks for the materials of nothing named, and
// searched alone its 材料 finds 新材料.
func (r *Reader) namesSubject(q string) bool {
	for _, words := range r.followWords {
		for _, w := range words {
			q = strings.ReplaceAll(q, w, " ")
		}
	}
	// 什么 before its 么, which alone would leave 什 to count (流程是什么).
	q = strings.ReplaceAll(q, "什么", " ")
	for _, w := range questionWords {
		q = strings.ReplaceAll(q, w, " ")
	}
	return names(q)
}

// genericAsk are the words of a question that name no subject.
var genericAsk = []string{"能拿", "可以拿", "能领", "能享受", "可以享受", "能申请", "享受", "奖励", "补贴", "补助", "政策",
	"钱", "企业", "公司", "多少", "哪些", "什么", "能", "可以", "有", "拿", "我们", "我",
	"县里", "市里", "区里", "省里", "政府", "这边", "吗", "呢", "请问",
	// 政府给不给补贴, 今年有啥补贴没: the asking itself.
	"给不给", "补不补", "奖不奖", "有没有", "有啥", "啥", "今年", "给", "没", "不"}

// citedClause returns the first clause of cited that the search also found
// relevant; failing that, the search's first clause when it stands out (这
// 笔奖励要交企业所得税吗 asks of the clause on tax, which shares no word
// with the award but 奖励); or else the first cited clause found, or the
// first cited.
func (s *Service) citedClause(cited []Citation, hits []kb.Hit) *kb.Clause {
	var found *kb.Clause
	for _, c := range cited {
		for _, h := range hits {
			if h.Clause.DocID == c.DocID && h.Clause.Article == c.Article {
				if h.Relevant() {
					return h.Clause
				}
				if found == nil {
					found = h.Clause
				}
			}
		}
	}
	if standsOut(hits) {
		return hits[0].Clause
	}
	if found != nil {
		return found
	}
	c, err := s.library.Clause(cited[0].DocID, cited[0].Article)
	if err != nil {
		return hits[0].Clause
	}
	return c
}

// standsOut reports whether the first hit answers the question clearly
// above the rest: relevant and scored twice the next, or scored ten times
// it though short of the floor (its words are few, as 企业所得税 of 不征税
// 收入).
func standsOut(hits []kb.Hit) bool {
	if len(hits) == 0 {
		return false
	}
	next := 0.0
	if len(hits) > 1 {
		next = hits[1].Score
	}
	return hits[0].Relevant() && hits[0].Score >= 2*next || hits[0].Score >= 10*next
}

// supposingOpeners open a supposition about what was just discussed.
var supposingOpeners = []string{"要是", "如果", "假如", "假设", "那如果", "那要是", "那假如", "万一"}

// backWords refer to what was just discussed.
var backWords = []string{"这笔", "这个", "这项", "这些", "这种", "该项", "该奖励", "上面", "刚才", "前面", "它"}

// elsewhereNote says, of facts only documents of another area read, which
// documents read them and where they apply; "" when none.
func (s *Service) elsewhereNote(st *State, keys []string) string {
	var docs []string
	var said []string
	for _, k := range keys {
		for _, b := range s.engine.Benefits() {
			if b.Reads(k) && !slices.Contains(docs, b.DocID) {
				docs = append(docs, b.DocID)
			}
		}
		if f, ok := s.engine.Catalogue().Lookup(k); ok {
			said = append(said, f.Label)
		}
	}
	var b strings.Builder
	for _, d := range docs {
		for _, doc := range s.library.Documents() {
			if doc.DocID == d && doc.Jurisdiction != "" {
				fmt.Fprintf(&b, "%s适用于注册地在%s的申请人;", kb.CiteDocument(doc.DocNo, doc.Title), doc.Jurisdiction)
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	where := "贵单位所在地"
	if f, ok := st.fact("region"); ok {
		if name, ok := f.Value.(string); ok {
			where = name
		}
	}
	return "您提到的" + strings.Join(said, "、") + ",库中只有" + strings.TrimSuffix(b.String(), ";") + "," + where + "不在其适用范围,因此不能按其测算。"
}

// farBackWords point back less surely than backWords: 那个 is as often a
// filler.
var farBackWords = []string{"那个", "那笔", "那项", "那条"}

func refersBack(msg string) bool {
	for _, w := range backWords {
		for i := strings.Index(msg, w); i >= 0; {
			if !hasAnyPrefix(msg[i+len(w):], docNouns...) {
				return true
			}
			j := strings.Index(msg[i+len(w):], w)
			if j < 0 {
				break
			}
			i += len(w) + j
		}
	}
	return false
}

// docNouns after 这个 or 该 name the document just discussed rather than a
// clause of it: 金融企业能按这个办法申请吗 asks of the whole 办法.
var docNouns = []string{"办法", "政策文件", "文件", "细则"}

// documentReferred returns the document of the clauses just cited when msg
// refers to it as a whole (这个办法, 该文件, 本办法), or "".
func documentReferred(msg string, st *State) string {
	if len(st.Cited) == 0 || withoutDocReference(msg) == msg {
		return ""
	}
	return st.Cited[0].DocID
}

var docDeictics = []string{"这个", "这份", "该", "本", "此"}

// withoutDocReference drops the words that refer to the document as a
// whole, which every clause of it would match (本办法所指…).
func withoutDocReference(msg string) string {
	for _, d := range docDeictics {
		for _, n := range docNouns {
			msg = strings.ReplaceAll(msg, d+n, " ")
		}
	}
	return msg
}

// reask repeats a question left open by a side question, so that the
// conversation can pick up where it was.
func (s *Service) reask(st *State, r *Reply) string {
	if st.Pending == "" {
		return ""
	}
	f, ok := s.engine.Catalogue().Lookup(st.Pending)
	if !ok {
		return ""
	}
	r.Question = matcher.QuestionFor(f, nil)
	return "另外," + f.Question
}

// policyAnswer answers a question about the policy with the sentences of
// the best clause that answer it.
func (s *Service) policyAnswer(ctx context.Context, st *State, u Understanding, r *Reply) string {
	msg := u.Text
	docs := s.docsFor(st)
	named, rest := s.documentNamed(msg)
	if named != "" && u.FollowUp == FollowValidity {
		// 柳河县这个加快重点产业实施意见有效期到什么时候: the document's
		// dates answer, not a clause that shares its words.
		if t := s.validityOfNamed(ctx, st, u, r); t != "" {
			return t
		}
	}
	if named != "" {
		// 《…扶持办法》由哪个部门负责解释: the title says which document,
		// and its words would only dilute the question.
		docs, msg = []string{named}, rest
	} else if doc := documentReferred(msg, st); doc != "" {
		docs, msg = []string{doc}, withoutDocReference(msg) // 金融企业能按这个办法申请总部奖励吗
	}
	hits, err := s.search.SearchIn(ctx, msg, 10, docs)
	hits = s.ofConversation(forApplicant(hits, st), st)
	relevant := err == nil && len(hits) > 0 && hits[0].Relevant()
	// 文件里说的“一事一议”是什么意思: the words quoted are what is asked; a
	// phrase of the text quoted back outranks any clause that shares words.
	quoted := false
	if term := quotedTerm(msg); term != "" && (!relevant || utf8.RuneCountInString(term) >= 6) {
		if more, err2 := s.search.SearchIn(ctx, term, 10, docs); err2 == nil {
			more = slices.DeleteFunc(more, func(h kb.Hit) bool { return !strings.Contains(h.Clause.Text, term) })
			// Of the clauses that say it, the one the conversation is about.
			slices.SortStableFunc(more, func(x, y kb.Hit) int { return cmpBool(cited(st, y.Clause), cited(st, x.Clause)) })
			if len(more) > 0 {
				hits, err, relevant, quoted = more, nil, true, true
			}
		}
	}
	if !relevant && docs != nil {
		// 期满以后怎么办, of a document now expired: its text still answers.
		if more, err2 := s.search.SearchIn(ctx, msg, 10, s.docsInArea(st)); err2 == nil && len(more) > 0 && more[0].Relevant() {
			hits, err, relevant = forApplicant(more, st), nil, true
		}
	}
	for _, q := range []string{u.Asked, u.Questions} {
		// 顺便问下,发债有奖吗; 企业贷款难,县里有没有融资担保的政策: the words
		// around the question may dilute it.
		if relevant || q == "" || q == msg || !s.reader.namesSubject(q) {
			continue
		}
		if more, err2 := s.search.SearchIn(ctx, q, 10, docs); err2 == nil && len(more) > 0 && more[0].Relevant() {
			hits, err, relevant = more, nil, true
		}
	}
	back := refersBack(msg) && len(st.Cited) > 0 && !quoted // 这个台阶, quoted: the quote says which
	// 要是我是普通合伙人呢: a supposition in a conversation under way that
	// the search cannot place asks of what was just discussed.
	// 第6件也有那个额外的2000块吗: 那个 points back too, when the search
	// finds nothing of its own.
	if !relevant && (hasAnyPrefix(msg, supposingOpeners...) || containsAny(msg, farBackWords)) && len(st.Cited) > 0 {
		back = true
	}
	var titled *kb.Clause
	if !relevant && !back {
		// 那在站期间的生活补助是多少: the question names a benefit of the
		// documents in scope by its title, though its words are few.
		titled = s.clauseTitled(msg, docs)
	}
	if titled == nil && (err != nil || len(hits) == 0 || !relevant && !back) {
		if said, c := s.toldClauseSays(st, msg); said != "" && containsAny(msg, inclusionAsks) {
			// 配套的食堂宿舍面积能算进去吗, after 第六条 was told: the
			// sentence of that clause the question's words are in.
			r.Citations = append(r.Citations, citation(c))
			return docSaysLead + kb.Cite(c.Article) + ":" + said
		}
		// Below the relevance floor a clause shares words with the question
		// but does not answer it: say so, and offer a person; facts only
		// another area's documents read are theirs, which is said first.
		return s.elsewhereNote(st, u.Elsewhere) + s.notCovered(st)
	}
	var best *kb.Clause
	if titled != nil {
		best = titled
	} else {
		best = hits[0].Clause
	}
	if back {
		// 这笔奖励…: the clause just discussed, most relevant first (the
		// last answer cited what was eligible first).
		best = s.citedClause(st.Cited, hits)
	}
	r.Citations = append(r.Citations, citation(best))
	answer := s.elsewhereNote(st, u.Elsewhere) + fmt.Sprintf("根据%s%s(%s):%s", kb.CiteDocument(best.DocNo, best.DocTitle), kb.Cite(best.Article), best.Title, s.search.Answer(best, msg))
	for _, b := range s.engine.Benefits() {
		// Asked once the results are told, the clause explains them; the
		// chat already knows the applicant.
		if b.DocID == best.DocID && b.Article == best.Article && len(st.Told) == 0 {
			answer += "如需判断能否享受,请告诉我申请主体的相关情况。"
			break
		}
	}
	return answer
}

// asideAnswer answers the question a message asks beside its facts when
// the search finds a clause for it above the floor that no result told is
// of; "" otherwise.
func (s *Service) asideAnswer(ctx context.Context, st *State, u Understanding, r *Reply) string {
	if !names(u.Questions) {
		// 今年是赚钱的,有什么奖励: the results are the answer.
		return ""
	}
	for _, res := range r.Results {
		if res.Status == matcher.Eligible && titleRun(res.Title, u.Questions) > 0 {
			// 安家补贴有多少, beside a 博士后…安家补贴 told eligible: the
			// question names the benefit, and the result answers it.
			return ""
		}
	}
	q := u.Questions
	hits, err := s.search.SearchIn(ctx, q, 3, s.docsFor(st))
	if err == nil && (len(hits) == 0 || !hits[0].Relevant()) && u.Asked != "" && u.Asked != q {
		// 县里四项指标都没完成任务,会有什么后果: the question asks of what
		// its sentence says.
		q = u.Asked
		hits, err = s.search.SearchIn(ctx, q, 3, s.docsFor(st))
	}
	if err != nil || len(hits) == 0 || !hits[0].Relevant() {
		return ""
	}
	hits = s.ofConversation(hits, st) // 在南沙干满10年以后怎么样, of the flat just told
	c := hits[0].Clause
	if slices.ContainsFunc(r.Results, func(res matcher.Result) bool {
		return res.DocID == c.DocID && res.Article == c.Article && res.Status == matcher.Eligible
	}) {
		return "" // told with its sum; one still open is only named
	}
	r.Citations = appendCitation(r.Citations, citation(c))
	said := strings.TrimRight(s.search.Answer(c, q), ";;,,")
	if !strings.HasSuffix(said, "。") {
		said += "。"
	}
	return fmt.Sprintf("关于您问的,%s%s(%s):%s", kb.CiteDocument(c.DocNo, c.DocTitle), kb.Cite(c.Article), c.Title, said)
}

// docsInArea returns the documents whose area holds the speaker's region,
// in force or not; nil (every document) while the region is unknown.
func (s *Service) docsInArea(st *State) []string {
	region := s.region(st)
	if region == nil {
		return nil
	}
	out := []string{}
	for _, d := range s.library.Documents() {
		if d.Area == nil || region.Within(d.Area) != gazetteer.No {
			out = append(out, d.DocID)
		}
	}
	return out
}

// docsFor returns the documents in force on the session's date whose area
// holds the speaker's region, so that a question is answered from the
// policies that apply to the speaker; nil (every document) while the region
// is unknown.
func (s *Service) docsFor(st *State) []string {
	region := s.region(st)
	if region == nil {
		return nil
	}
	return s.library.DocumentsIn(region, st.asOf(s.now()))
}

// region returns the division the session places the speaker in, or nil.
func (s *Service) region(st *State) *gazetteer.Division {
	f, ok := st.fact("region")
	if !ok {
		return nil
	}
	name, _ := f.Value.(string)
	region, _, err := s.engine.Catalogue().Gazetteer().Resolve(name)
	if err != nil {
		return nil
	}
	return region
}

// clauseAnswer shows a clause asked for by number. An article several
// documents have is the one of the document in discussion, or asked about.
func (s *Service) clauseAnswer(st *State, article string, r *Reply) string {
	c, err := s.library.Clause("", article)
	if errors.Is(err, kb.ErrAmbiguous) {
		for _, cited := range st.Cited {
			if cc, cerr := s.library.Clause(cited.DocID, article); cerr == nil {
				c, err = cc, nil
				break
			}
		}
	}
	if errors.Is(err, kb.ErrAmbiguous) {
		var docs []string
		for _, d := range s.library.Documents() {
			if _, err := s.library.Clause(d.DocID, article); err == nil {
				docs = append(docs, d.Cite())
			}
		}
		return fmt.Sprintf("有%d份文件都有%s:%s。请问您指的是哪一份文件?", len(docs), kb.Cite(article), strings.Join(docs, "、"))
	}
	if err != nil {
		return fmt.Sprintf("没有找到第%s条款。可以用“十七.1”或“第十七条第一款”的形式查询。", article)
	}
	r.Citations = append(r.Citations, citation(c))
	return fmt.Sprintf("%s%s(%s):%s", kb.CiteDocument(c.DocNo, c.DocTitle), kb.Cite(c.Article), c.Title, excerpt(c.Text, 200))
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
	return Citation{DocID: c.DocID, DocNo: c.DocNo, DocTitle: c.DocTitle, Article: c.Article, Title: c.Title}
}

func appendCitation(cs []Citation, c Citation) []Citation {
	for _, x := range cs {
		if x.DocID == c.DocID && x.Article == c.Article {
			return cs
		}
	}
	return append(cs, c)
}

// forApplicant puts first the relevant hits whose clauses concern the
// session's applicant type (a talent asking 我能直接落户广州吗 is asking of
// 入户, not of an enterprise settling); a clause that concerns it but not
// the question stays behind one that answers it (中介有没有奖励, from an
// enterprise, asks of the agency's award).
func forApplicant(hits []kb.Hit, st *State) []kb.Hit {
	f, ok := st.fact("applicant_type")
	who, _ := f.Value.(string)
	if !ok || who == "" {
		return hits
	}
	concerns := func(h kb.Hit) bool {
		return h.Relevant() && (len(h.Clause.Applicants) == 0 || slices.Contains(h.Clause.Applicants, who))
	}
	out := slices.Clone(hits)
	slices.SortStableFunc(out, func(x, y kb.Hit) int { return cmpBool(concerns(y), concerns(x)) })
	return out
}

// ofConversation puts first, of the relevant hits, those of the document
// the conversation is about: that of the first benefit told (租的办公室有补贴
// 吗, after a headquarters' awards, asks of the headquarters' rent subsidy,
// not a research institute's).
func (s *Service) ofConversation(hits []kb.Hit, st *State) []kb.Hit {
	if len(st.Told) == 0 || len(hits) < 2 || !hits[0].Relevant() {
		return hits
	}
	b, ok := s.engine.Benefit(st.Told[0])
	if !ok || hits[0].Clause.DocID == b.DocID {
		return hits
	}
	first := func(h kb.Hit) bool { return h.Relevant() && h.Clause.DocID == b.DocID }
	out := slices.Clone(hits)
	slices.SortStableFunc(out, func(x, y kb.Hit) int { return cmpBool(first(y), first(x)) })
	return out
}

// cited reports whether the session's last answer cited clause c.
func cited(st *State, c *kb.Clause) bool {
	return slices.ContainsFunc(st.Cited, func(x Citation) bool { return x.DocID == c.DocID && x.Article == c.Article })
}

// cmpBool orders false before true.
func cmpBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return 1
	}
	return -1
}

// quotedTerm returns the words a message quotes (“一事一议”, "台阶"), two to
// forty characters (a phrase of the text quoted back), or "".
func quotedTerm(msg string) string {
	for _, q := range [][2]string{{"“", "”"}, {"\"", "\""}, {"「", "」"}, {"‘", "’"}} {
		i := strings.Index(msg, q[0])
		if i < 0 {
			continue
		}
		rest := msg[i+len(q[0]):]
		j := strings.Index(rest, q[1])
		if j < 0 {
			continue
		}
		if n := utf8.RuneCountInString(rest[:j]); n >= 2 && n <= 40 {
			return rest[:j]
		}
	}
	return ""
}

// documentNamed returns the document a message names by its title in 《》,
// by its issuing number, or by a run of six characters of its title, and
// the message without those words; "" when it names none or several alike.
func (s *Service) documentNamed(msg string) (string, string) {
	best, bestLen, words := "", 0, ""
	tie := false
	for _, d := range s.library.Documents() {
		title := strings.Trim(d.Title, "《》")
		run := LongestCommon(title, msg)
		n := len([]rune(run))
		if d.DocNo != "" && strings.Contains(msg, d.DocNo) {
			run, n = d.DocNo, 100
		}
		least := 6
		if namesArea(msg, d.Area) {
			least = 4 // 柳河这个重点产业政策: the place and a word of the title
		}
		switch {
		case n < least:
		case n > bestLen:
			best, bestLen, words, tie = d.DocID, n, run, false
		case n == bestLen:
			tie = true
		}
	}
	if best == "" || tie {
		return "", msg
	}
	rest := strings.Replace(msg, words, "", 1)
	rest = strings.NewReplacer("《》", "", "《", "", "》", "").Replace(rest)
	return best, rest
}

// clauseTitled returns the clause of the benefit, of docs (nil for all),
// whose name msg names by the longest titleRun; nil when none does, or two
// of different clauses do alike.
func (s *Service) clauseTitled(msg string, docs []string) *kb.Clause {
	var best *matcher.Benefit
	n, cover, tie := 0, 0, false
	for _, b := range s.engine.Benefits() {
		if docs != nil && !slices.Contains(docs, b.DocID) {
			continue
		}
		k := titleRun(b.Title, msg)
		name, _, _ := strings.Cut(b.Title, "(")
		// 博士后安家补贴: of the measures ending in 安家补贴, the one whose
		// name the rest of the words say too.
		c := coverage(name, msg)
		switch {
		case k == 0:
		case k > n || k == n && c > cover:
			best, n, cover, tie = b, k, c, false
		case k == n && c == cover && (best.DocID != b.DocID || best.Article != b.Article):
			tie = true
		}
	}
	if best == nil || tie {
		return nil
	}
	c, err := s.library.Clause(best.DocID, best.Article)
	if err != nil {
		return nil
	}
	return c
}

// titleRun returns the length in characters of the longest run text
// shares with the end of a benefit's name (its title before any bracket),
// when it is four characters or more and two of them are beyond the words
// every award shares; 0 otherwise. 生活补助 of 博士后生活补助(每年) names it.
func titleRun(title, text string) int {
	name, _, _ := strings.Cut(title, "(")
	lc := LongestCommon(name, text)
	if k := utf8.RuneCountInString(lc); k >= 4 && strings.HasSuffix(name, lc) && distinctive(lc) >= 2 {
		return k
	}
	return 0
}

// benefitsNamed returns the benefits whose name the questions of u say by a
// run of at least three characters beyond the words every award shares
// (过渡期 of 医药企业“两票制”过渡期资金支持 in 柳河那个过渡期补助能享受吗),
// or of two and an award's word that make most of the name (落户奖),
// outside the words a fact was read from (我是骨干人才 names no benefit of
// 骨干人才); nil when none does.
func (s *Service) benefitsNamed(u Understanding) []string {
	text := u.Questions
	if text == "" && containsAny(u.Text, requestWords) {
		text = u.Text // 想问问高学历人才住房补贴 asks without a question's words
	}
	for _, m := range u.Mentions {
		if m.Text != "" {
			text = strings.ReplaceAll(text, m.Text, " ")
		}
	}
	if text == "" {
		return nil
	}
	var ids, names []string
	var quals, covers []int
	for _, b := range s.engine.Benefits() {
		name, qual, _ := strings.Cut(b.Title, "(")
		cover := coverage(name, text)
		if run := LongestCommon(name, text); distinctive(run) >= 3 || distinctive(run) == 2 && endsAward(run) && 5*utf8.RuneCountInString(run) >= 3*utf8.RuneCountInString(name) ||
			// 博士后安家补贴 names 博士后出站留南沙安家补贴 by two of its words.
			cover >= 5 && 2*cover >= distinctive(name) {
			ids, names = append(ids, b.ID), append(names, name)
			quals = append(quals, distinctive(LongestCommon(strings.TrimSuffix(qual, ")"), text)))
			covers = append(covers, cover)
		}
	}
	// Of the measures named, those whose name the words cover most: 博士后
	// 安家补贴 is the postdoc's settling allowance, not every 博士后 measure.
	if most := slices.Max(append([]int{0}, covers...)); most >= 5 {
		for i := len(ids) - 1; i >= 0; i-- {
			if covers[i] < most {
				ids, names, quals, covers = slices.Delete(ids, i, i+1), slices.Delete(names, i, i+1), slices.Delete(quals, i, i+1), slices.Delete(covers, i, i+1)
			}
		}
	}
	// 按纳税总额那档的落户奖 names, of the measures called 总部落户奖, the
	// one its qualifier says.
	best := map[string]int{}
	for i, n := range names {
		best[n] = max(best[n], quals[i])
	}
	kept := ids[:0]
	for i, id := range ids {
		if b := best[names[i]]; b < 2 || quals[i] == b {
			kept = append(kept, id)
		}
	}
	return kept
}

// coverage counts the distinctive characters of name that text says in
// runs of two or more, each run taken once, longest first.
func coverage(name, text string) int {
	n := 0
	for {
		run := LongestCommon(name, text)
		if utf8.RuneCountInString(run) < 2 {
			return n
		}
		n += distinctive(run)
		name, text = strings.Replace(name, run, "|", 1), strings.Replace(text, run, "|", 1)
	}
}

// endsAward reports whether a run of a title ends with a word every award
// shares: 落户奖 names 总部落户奖 by two characters and the award, where
// 落户 alone is a word of many texts. The run must be most of the name:
// 安家补贴 names none of the five measures whose names end with it.
func endsAward(run string) bool {
	return slices.ContainsFunc(awardWords, func(w string) bool { return w != "企业" && strings.HasSuffix(run, w) })
}

// distinctive counts the characters of a run of a benefit's title that
// are not words every award shares (奖励, 补贴, 一次性…): 企业奖励 names no
// benefit, 生活补助 does.
func distinctive(run string) int {
	for _, g := range awardWords {
		run = strings.ReplaceAll(run, g, "")
	}
	return utf8.RuneCountInString(run)
}

var awardWords = []string{"奖励", "补贴", "补助", "资助", "资金", "支持", "扶持", "一次性", "企业", "奖", "补"}

// namesArea reports whether msg names area by its name or one of its
// other current names.
func namesArea(msg string, area *gazetteer.Division) bool {
	if area == nil {
		return false
	}
	for _, n := range append([]string{area.Name}, area.Aliases...) {
		if utf8.RuneCountInString(n) >= 2 && strings.Contains(msg, n) {
			return true
		}
	}
	return false
}

// notCovered says that the library does not cover the question of the
// turn, what it does cover, and where a person can help.
func (s *Service) notCovered(st *State) string {
	st.Uncovered = st.Turn
	return "抱歉,政策库中没有找到与这个问题相关的条款(目前收录的是" + s.libraryScope() + ")。" + s.texts.Human
}

// libraryScope names the documents of the library, at most three.
func (s *Service) libraryScope() string {
	var names []string
	docs := s.library.Documents()
	for _, d := range docs[:min(len(docs), 3)] {
		names = append(names, d.Cite())
	}
	more := ""
	if len(docs) > 3 {
		more = "等"
	}
	return strings.Join(names, "、") + more + "的惠企政策"
}

// toldClauseSays returns the sentence of the clause of a result just told
// that shares most of the question's own words (two characters or more of
// no general word: 配套 of 不包括附属和配套用房), with the clause; "" when
// none does.
func (s *Service) toldClauseSays(st *State, msg string) (string, *kb.Clause) {
	best, bestRun := "", 1
	var bestClause *kb.Clause
	for _, id := range st.Told {
		b, ok := s.engine.Benefit(id)
		if !ok {
			continue
		}
		c := b.Clause()
		for _, sentence := range splitSentences(c.Text) {
			run := LongestCommon(sentence, msg)
			if n := distinctive(run); n > bestRun && !strings.ContainsAny(run, "0123456789") {
				best, bestRun, bestClause = sentence, n, c
			}
		}
	}
	return best, bestClause
}

// inclusionAsks ask whether something counts in a clause's figure (配套的
// 食堂宿舍面积能算进去吗), which the clause's own words answer.
var inclusionAsks = []string{"算进去", "算进", "算不算", "算在内", "包不包括", "包括吗", "包含吗", "含不含", "计入", "能算吗", "也算吗", "算吗", "能不能算"}

// splitSentences cuts a clause's text at its full stops and semicolons.
func splitSentences(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == ';' || r == '；' })
}
