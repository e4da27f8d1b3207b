// Package dialogue holds the chat: Understand turns an enterprise's free
// Chinese text into profile facts and an intent, deterministically and in
// process, with word lists drawn from the policy text rather than a model.
package dialogue

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// Context is what the understanding needs to know of the conversation.
type Context struct {
	Pending       string   // fact key of the question just asked, or ""
	ApplicantType string   // "enterprise" (default), "industrial_park", "county", ...
	Recent        []string // fact keys set in earlier turns, most recent first (for corrections)
	// Values are the values of the facts in Recent, so that a bare
	// corrected figure can go to the figure it corrects.
	Values map[string]any
	// Said are the words each fact of Values was read from (两千五百万的中期
	// 票据+1.5个亿的公司债), for a part of a sum corrected later.
	Said map[string]string
	// Approx are the facts of Recent said approximately, which a figure
	// given as exact (准确数是5860万) refines first.
	Approx []string
	// Year is the year of the day judged on; a figure of a calendar year
	// before last year (2012年就做到过10.3亿) is an earlier year's. 0 when
	// unknown.
	Year int
	// AssessmentYear is the year assessed, once the conversation has named
	// it (2025年营收…); 0 when it has not.
	AssessmentYear int
	// Told are the benefits the last answer told of, for follow-ups.
	Told []string
	// Docs are the documents in scope (the applicant's area); nil for all.
	// Of the facts one word names, those their rules read come first.
	Docs []string
	// NewCase is set for a message that opens another applicant's case
	// (换一个人问:我表哥也是外籍华人…): whoever it describes is the applicant.
	NewCase bool
	// Earlier is the applicant type of the case a new one set aside, or
	// "": a message that opens with it (园区那边…) goes back to that case.
	Earlier string
	// EarlierNames are the names of the case set aside (企业名称…), and
	// Names those of the case at hand: a message that goes back by a name
	// (再回到恒泰电子那家) takes the set-aside case up again.
	EarlierNames, Names []string
	// Previous is the user's message before this one, whose words an
	// elliptical message leaves out (如果是租的呢, after 买了2000平方的
	// 办公楼).
	Previous string
}

// Mention is one fact read from the text.
type Mention struct {
	Key    string // a matcher fact key
	Value  any    // bool, int64 (money, yuan), float64 (quantity), string (enum value or region name)
	Approx bool   // the words bound the value rather than state it: 3个多亿, 5亿左右
	// Range is what the words allow when Approx: 5亿左右 is 4.75亿 to 5.25亿.
	// Value is then the figure said, or the nearest end of the range.
	Range *Range
	// Bounds says the range in the user's figures when two bounds make it
	// (超过8000万元、不到1亿元); empty when one figure does.
	Bounds string
	Note   string // a Chinese note the reply should show when the reading assumed something, e.g. 按“去年9亿元”作为以前年度最高主营业务收入
	Text   string // the words it was read from
	End    int    // the byte offset after those words, for joining parts of one sum
}

// Understanding is what one message says.
type Understanding struct {
	Intent Intent
	// Another is set when the message opens another applicant's case than
	// the one under way (再帮县里一家企业问, 我女朋友…她能拿多少).
	Another bool
	// Back is set when the message goes back to the case set aside
	// (园区那边今年还通过了…), which is then read in its place.
	Back     bool
	Mentions []Mention // in order of appearance; at most one per key (the last one wins)
	Declined []string  // fact keys the user says they do not know (不清楚 to the pending question, 利润不清楚)
	// Withdrawn are facts told before that the message takes back (11.3亿
	// 那个数先别算): unknown again.
	Withdrawn  []string
	Correction bool   // 说错了 / 更正 / 不对,是…: mentions replace earlier values
	Article    string // a clause asked by number, normalised to contract.md's article form (十七.1, 二十二), or ""
	// Unclear are facts the message speaks of without a value the reading
	// can take (被认定为两化融合示范企业, level unsaid): worth asking.
	Unclear []string
	// Asked is the clauses that ask something (发债有奖吗 of 顺便问下,发债
	// 有奖吗), what a search should look for; the whole text when none does.
	Asked string
	// Questions are the clauses that ask, whatever else the message says;
	// "" when none does.
	Questions string
	// Supposed are facts said as a supposition (要是明年进了创新层): not the
	// speaker's, but what a question asks about.
	Supposed []Mention
	// Elsewhere are the facts the message states that only documents of
	// another area read (吉林柳河县的企业…发了1个亿的企业债): not kept, but
	// worth saying whose measures they are.
	Elsewhere []string
	// FollowUp is the kind of question about results already told (one of
	// FollowUps), or "".
	FollowUp string
	// FollowUpToo is a second kind asked in another clause (去哪申报,钱啥时候
	// 兑付), answered after the first; or "".
	FollowUpToo string
	// Text is the message as read: trimmed, full-width forms folded.
	Text string
}

// Reader reads chat messages with the words of a library: the phrases of its
// catalogue of facts. It is immutable and safe for concurrent use.
type Reader struct {
	cat  *matcher.Catalogue
	cues []factCue
	// moneyCues say what a money figure measures; firstSeries is the
	// money series a figure with no cue is taken for.
	moneyCues []moneyCue
	// factCueAt indexes moneyCues by word, of the nouns of facts only.
	factCueAt   map[string][]int
	firstSeries string
	declineCues []declineCue
	sounds      *sounds
	followWords map[string][]string
	// awards are the chat's words for a sum asked about (奖励, 资助).
	awards     map[string]bool
	notPhrases []string
	// routes map a series and an applicant type to the series that takes
	// its figures for that applicant.
	routes map[string]string
	areas  map[string]*gazetteer.Division
	readBy map[string][]string
	// applicants are the applicant types whose benefits read each fact;
	// nil when unknown (a reader of the catalogue alone).
	applicants map[string][]string
	// personTitles are the names of the benefits only a person applies for.
	personTitles []string
	lex          *lexicon
	// madeFacts are the enum facts whose options are things made, and
	// madeWords their options' words, longest first.
	madeFacts []int
	madeWords map[int][]wordValue
	// textFacts, numberFacts and assessedYear are the facts of those kinds.
	textFacts, numberFacts, ordinalFacts []int
	// perFacts are the money facts per unit of something (亩均投资).
	perFacts []int
	// deniedNames are the catalogue's words that open with a negator and
	// name something (非企业经济组织): no denial.
	deniedNames []string
	// nameLabels are a form's labels of the field naming the applicant:
	// the cues of the text facts that name one, and formLabels.
	nameLabels []string
	// priceFacts are the money facts of a price per unit (每平方米每月).
	priceFacts []int
	// withinFacts are the yes/no facts two events' dates settle.
	withinFacts  []int
	units        []string // the units of the number facts, once each
	assessedYear string
	// applicantNouns and pendingApplicant are the words that name an
	// applicant type: the catalogue's, then the grammar's own.
	applicantNouns, pendingApplicant []wordValue
	// seriesOwners are the figures that stand for another applicant's
	// (主导产业…主营收入 is a county's revenue).
	seriesOwners []seriesOwner
	// subjectNouns name the subject of a question of what it may have:
	// the nouns, and the short answers of two characters or more (园区能拿
	// 多少).
	subjectNouns []wordValue
	// applicantSelf, letterheads and agents are the catalogue's words by
	// which a speaker names itself, opens a message as a body, or asks for
	// one (帮园区查一下); person is the type a person applies as.
	applicantSelf, letterheads, agents []wordValue
	// titles are the nouns of organisations that head a message only in
	// its first clause.
	titles []wordValue
	person string
	// written are the runs of the documents' text that sound like a word
	// of the catalogue and are not it (身核 of 自身核心), with their
	// neighbours: never mended.
	written map[string]bool
}

// wordValue is a word and the value it names.
type wordValue struct{ word, value string }

// Vocabulary is what a reader knows besides the catalogue: the chat's words
// for figures that are no fact (贷款, 注册资本) and for sums asked about
// (奖励, 能拿).
type Vocabulary struct {
	NotFacts, Awards []string
	// SoundAlikes sound like a word of the catalogue but are words of their
	// own (营利 of 非营利): never mended into it.
	SoundAlikes []string
	// FollowUps are the words of follow-up questions, by kind.
	FollowUps map[string][]string
	// NotPhrases hold a phrase's word but mean something else (多亏了).
	NotPhrases []string
	// Areas are the documents' areas (nil for nationwide) and ReadBy the
	// documents whose rules read each fact: of the facts one word names,
	// those read by the documents of the place named come first.
	Areas  map[string]*gazetteer.Division
	ReadBy map[string][]string
	// Applicants are the applicant types whose benefits read each fact: a
	// figure is not guessed to be a fact no benefit of the speaker's reads.
	Applicants map[string][]string
	// PersonTitles are the names of the benefits only a person applies for
	// (博士后生活补助): a body that counts one person (一位博士后) and asks of
	// them asks for that person.
	PersonTitles []string
	// Written is the documents' text: words as the library writes them
	// (围绕自身核心技术) are no slip to mend (身核 is not 审核).
	Written string
}

// VocabularyFor returns the vocabulary of a loaded library: its chat's
// words and which documents read which facts where.
func VocabularyFor(base *kb.Base, eng *matcher.Engine) Vocabulary {
	v := VocabularyOf(base.ChatTexts())
	v.Areas = map[string]*gazetteer.Division{}
	var written strings.Builder
	for _, d := range base.Documents() {
		v.Areas[d.DocID] = d.Area
		for _, c := range d.Clauses {
			written.WriteString(c.Text)
			written.WriteString("\n")
		}
	}
	v.Written = written.String()
	v.ReadBy = map[string][]string{}
	v.Applicants = map[string][]string{}
	for _, f := range eng.Catalogue().Facts() {
		if docs := eng.ReadBy(f.Key); len(docs) > 0 {
			v.ReadBy[f.Key] = docs
		}
		v.Applicants[f.Key] = eng.ApplicantsFor(f.Key)
	}
	person := eng.Catalogue().PersonType()
	for _, b := range eng.Benefits() {
		if name, _, _ := strings.Cut(b.Title, "("); person != "" && slices.Equal(b.Applicants, []string{person}) && !slices.Contains(v.PersonTitles, name) {
			v.PersonTitles = append(v.PersonTitles, name)
		}
	}
	return v
}

// VocabularyOf returns the vocabulary of a library's chat texts.
func VocabularyOf(t kb.ChatTexts) Vocabulary {
	return Vocabulary{NotFacts: t.NotFacts, Awards: t.Awards, SoundAlikes: t.SoundAlikes, FollowUps: t.FollowUps, NotPhrases: t.NotPhrases}
}

// NewReader returns a reader of the facts of cat.
func NewReader(cat *matcher.Catalogue, v Vocabulary) *Reader {
	r := &Reader{cat: cat, routes: map[string]string{}}
	for _, f := range cat.Facts() {
		if s := f.Series; s != nil && s.Replaces != "" {
			r.routes[s.Replaces+"\x00"+s.Applicant] = s.Name
			if of, ok := cat.Lookup(cat.SeriesFact(s.Replaces, kb.PeriodCurrent)); ok && s.Applicant != "" && len(f.Cues) > 0 {
				r.seriesOwners = append(r.seriesOwners, seriesOwner{applicant: s.Applicant, cues: f.Cues, of: of.Cues})
			}
		}
	}
	for _, f := range cat.Facts() {
		series := ""
		if f.Series != nil {
			series = f.Series.Name
			if r.firstSeries == "" && f.Series.Replaces == "" && f.Kind == matcher.KindMoney {
				r.firstSeries = series
			}
		}
		switch f.Kind {
		case matcher.KindMoney:
			for _, w := range f.Cues {
				r.moneyCues = append(r.moneyCues, moneyCue{word: w, key: f.Key, series: series, doc: f.Doc})
			}
			for _, w := range f.Verbs {
				r.moneyCues = append(r.moneyCues, moneyCue{word: w, key: f.Key, series: series, weak: true, doc: f.Doc})
			}
		case matcher.KindBool:
			if f.Figures != nil {
				for _, w := range f.Figures.Yes {
					r.moneyCues = append(r.moneyCues, moneyCue{word: w, key: f.Key, sign: 1, doc: f.Doc})
				}
				for _, w := range f.Figures.No {
					r.moneyCues = append(r.moneyCues, moneyCue{word: w, key: f.Key, sign: -1, doc: f.Doc})
				}
			}
		}
	}
	for _, w := range append(append([]string{}, v.NotFacts...), v.Awards...) {
		r.moneyCues = append(r.moneyCues, moneyCue{word: w})
	}
	r.factCueAt = map[string][]int{}
	for k, c := range r.moneyCues {
		if c.key != "" && !c.weak && c.sign == 0 {
			r.factCueAt[c.word] = append(r.factCueAt[c.word], k)
		}
	}
	r.awards = map[string]bool{}
	for _, w := range v.Awards {
		r.awards[w] = true
	}
	r.declineCues = declineCuesOf(cat, r.moneyCues)
	var words []string
	for _, c := range r.moneyCues {
		words = append(words, c.word)
	}
	for _, f := range cat.Facts() {
		words = append(words, f.Cues...)
		if f.Kind == matcher.KindNumber {
			words = append(words, f.Verbs...) // a money fact's are among moneyCues
		}
		for _, p := range f.Phrases {
			for _, part := range p.Say {
				words = append(words, part...)
			}
		}
		for _, o := range f.Options {
			words = append(words, o.Say...)
		}
	}
	// The words of follow-ups guard what is written right: 能不能另外再拿
	// is no slip of 能领. They are short and common, so nothing is mended
	// into them (以前出台 is not 以迁出台).
	var guards []string
	for _, kind := range slices.Sorted(maps.Keys(v.FollowUps)) {
		guards = append(guards, v.FollowUps[kind]...)
	}
	r.sounds = newSounds(words, guards, v.SoundAlikes)
	r.written = r.sounds.alikeIn(v.Written)
	r.followWords = v.FollowUps
	for i, f := range cat.Facts() {
		if f.Per != nil {
			r.perFacts = append(r.perFacts, i)
		}
		if f.Within != nil {
			r.withinFacts = append(r.withinFacts, i)
		}
		if f.Price != nil {
			r.priceFacts = append(r.priceFacts, i)
		}
		if f.Kind == matcher.KindText && f.Identity {
			r.nameLabels = append(r.nameLabels, f.Cues...)
		}
		switch {
		case f.Kind == matcher.KindText:
			r.textFacts = append(r.textFacts, i)
		case f.Kind == matcher.KindNumber && f.Ordinal:
			// 认定后第四年 is read as an ordinal, never as a count of years.
			r.ordinalFacts = append(r.ordinalFacts, i)
		case f.Kind == matcher.KindNumber:
			r.numberFacts = append(r.numberFacts, i)
			r.units = appendUnique(r.units, f.Unit)
		case f.AssessedYear:
			r.assessedYear = f.Key
		case f.Making != nil:
			r.madeFacts = append(r.madeFacts, i)
			if r.madeWords == nil {
				r.madeWords = map[int][]wordValue{}
			}
			for _, o := range f.Options {
				for _, w := range o.Say {
					r.madeWords[i] = append(r.madeWords[i], wordValue{w, o.Value})
				}
			}
			slices.SortStableFunc(r.madeWords[i], func(x, y wordValue) int { return len(y.word) - len(x.word) })
		}
	}
	r.notPhrases = v.NotPhrases
	r.areas, r.readBy, r.applicants, r.personTitles = v.Areas, v.ReadBy, v.Applicants, v.PersonTitles
	if f, ok := cat.Lookup("applicant_type"); ok {
		for _, o := range f.Options {
			for _, w := range o.Say {
				r.applicantNouns = append(r.applicantNouns, wordValue{w, o.Value})
			}
			for _, w := range o.Self {
				r.applicantSelf = append(r.applicantSelf, wordValue{w, o.Value})
			}
			for _, w := range o.Heads {
				r.letterheads = append(r.letterheads, wordValue{w, o.Value})
			}
			if o.Value != "enterprise" && !o.Person && len(o.Heads) == 0 {
				// 南沙的新型研发机构,注册在南沙区…: an organisation's own
				// noun opening a message heads it as a body's title does.
				// An enterprise is the default, and a person's nouns
				// (博士12个) count staff.
				for _, w := range o.Say {
					r.titles = append(r.titles, wordValue{w, o.Value})
				}
			}
			for _, w := range slices.Concat(o.Say, o.Answers) {
				r.pendingApplicant = append(r.pendingApplicant, wordValue{w, o.Value})
				if utf8.RuneCountInString(w) >= 2 {
					r.subjectNouns = append(r.subjectNouns, wordValue{w, o.Value})
				}
			}
			for _, w := range slices.Concat(o.Say, o.Heads, o.Answers) {
				if utf8.RuneCountInString(w) < 2 {
					continue // 帮区里一家企业引进: a one-word answer (区) names no one asked for
				}
				for _, p := range agentPrefixes {
					r.agents = append(r.agents, wordValue{p + w, o.Value})
				}
			}
		}
	}
	r.person = cat.PersonType()
	// An answer names the longest type it holds: 工业园区 before 园区.
	slices.SortStableFunc(r.pendingApplicant, func(x, y wordValue) int { return len(y.word) - len(x.word) })
	slices.SortStableFunc(r.subjectNouns, func(x, y wordValue) int { return len(y.word) - len(x.word) })
	for _, f := range cat.Facts() {
		for _, p := range f.Phrases {
			r.cues = append(r.cues, factCue{key: f.Key, parts: p.Say, value: p.Value, negated: p.Negated, deed: p.Deed, implied: p.Implied})
			if p.Value == nil || p.Value == true {
				for _, group := range p.Say {
					r.deniedNames = appendNames(r.deniedNames, group)
				}
			}
		}
		for _, o := range f.Options {
			r.deniedNames = appendNames(r.deniedNames, o.Say)
		}
	}
	r.nameLabels = append(r.nameLabels, formLabels...)
	slices.SortStableFunc(r.nameLabels, func(x, y string) int { return len(y) - len(x) })
	r.lex = newLexicon(r)
	return r
}

// appendNames adds the words of ws that open with a negator and are names
// of three characters or more (非企业经济组织, not 非 or 不是).
func appendNames(names, ws []string) []string {
	for _, w := range ws {
		if utf8.RuneCountInString(w) >= 3 && hasAnyPrefix(w, negators...) && !hasAnyPrefix(w, "不是", "没有", "并非") {
			names = appendUnique(names, w)
		}
	}
	return names
}

// Understand reads one chat message. The same text and context always give
// the same result, and every mention's value is one matcher.Profile.Set
// accepts.
func (r *Reader) Understand(text string, ctx Context) Understanding {
	a := &analysis{r: r, s: r.prepare(text), ctx: ctx, cands: make([]candidate, 0, 16), leftAt: -1}
	a.runes.add(a.s)
	a.found = r.lex.present(a.s)
	a.moneyHere = here(r.lex.moneyOf, a.found)
	a.run()
	return a.result()
}

// prepare returns text as the reader reads it: normalised, Cantonese and
// English words of persons and currencies folded, slips mended.
func (r *Reader) prepare(text string) string {
	return r.mend(foldCurrency(foldEnglishPersons(foldCantonese(countWords.Replace(normalize(text))))))
}

// countWords write the numerals that hold their measure word (仨 is 三个,
// 俩 is 两个) as the two words, which the grammar of counts reads.
var countWords = strings.NewReplacer("仨", "三个", "俩", "两个")

// cantonese writes the function words of written Cantonese as Mandarin
// (我哋係南沙嘅孵化器,上年度培育同引入咗7家): they are grammar, and no
// catalogue word holds them.
var cantonese = strings.NewReplacer(
	"我哋", "我们", "你哋", "你们", "佢哋", "他们", "佢", "他", "嘅", "的", "咗", "了",
	"有冇", "有没有", "冇", "没有", "喺", "在", "啲", "些", "唔係", "不是", "唔", "不",
	"乜嘢", "什么", "點樣", "怎样", "点样", "怎样", "幾多", "多少", "同埋", "和",
)

// englishPerson is an English pronoun of the speaker.
var englishPerson = regexp.MustCompile(`(?i)\b(we are|we're|i am|i'm|we|our|us|my|i)\b`)

// ourBeforeEnglish is our before an English word.
var ourBeforeEnglish = regexp.MustCompile(`(?i)\bour\s+([a-z])`)

// foldEnglishPersons writes the speaker's English pronouns in Chinese (we
// are a foreign-invested company → 我们是…), so that a message mixing the
// two speaks in the first person as a Chinese one does.
func foldEnglishPersons(s string) string {
	if !strings.ContainsAny(s, "wWiImMuU") {
		return s
	}
	// our HQ: before an English noun, 我们的 would cut a phrase in two
	// (newly set up our HQ); the we said before it already speaks.
	s = ourBeforeEnglish.ReplaceAllString(s, "$1")
	return englishPerson.ReplaceAllStringFunc(s, func(m string) string {
		if m == "US" {
			return m // US patent: the country, in capitals, is no pronoun
		}
		switch strings.ToLower(m) {
		case "we are", "we're":
			return "我们是"
		case "i am", "i'm":
			return "我是"
		case "we", "us":
			return "我们"
		case "our":
			return "我们的"
		case "my":
			return "我的"
		}
		return "我"
	})
}

// foldCantonese writes s in Mandarin's function words. 係 is 是 except in
// 关係 and 联係, where it is the traditional 系.
func foldCantonese(s string) string {
	if !strings.ContainsAny(s, "哋佢嘅咗冇喺啲唔乜點点幾同係") {
		return s
	}
	s = cantonese.Replace(s)
	if !strings.Contains(s, "係") {
		return s
	}
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if r == '係' && !strings.ContainsRune("关關联聯", prev) {
			r = '是'
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// currencyFirst is a currency's code written before its figure (USD 2,500万,
// US$300万), as Chinese writes it after.
var currencyFirst = regexp.MustCompile(`(?i)(USD|US\$|HKD|HK\$)\s*([0-9][0-9,.]*\s*[千百万亿]*)`)

// magnitudeWord is a figure with an English word of its magnitude: 9.95
// million, 1.2 bn.
var magnitudeWord = regexp.MustCompile(`(?i)([0-9][0-9,]*(?:\.[0-9]+)?)\s*(million|mn|billion|bn|thousand)\b`)

// foldMagnitudes writes an English magnitude the Chinese way, exactly:
// 9.95 million is 995万, 1.2 billion is 12亿, 500 thousand is 500000.
func foldMagnitudes(s string) string {
	if !strings.ContainsAny(s, "mMbBtT") {
		return s
	}
	return magnitudeWord.ReplaceAllStringFunc(s, func(m string) string {
		g := magnitudeWord.FindStringSubmatch(m)
		digits := strings.ReplaceAll(g[1], ",", "")
		shift, unit := 2, "万" // a million is 100万
		switch strings.ToLower(g[2]) {
		case "billion", "bn":
			shift, unit = 1, "亿"
		case "thousand":
			shift, unit = 3, ""
		}
		whole, frac, _ := strings.Cut(digits, ".")
		frac += strings.Repeat("0", max(0, shift-len(frac)))
		whole, frac = whole+frac[:shift], frac[shift:]
		whole = strings.TrimLeft(whole, "0")
		if whole == "" {
			whole = "0"
		}
		if frac != "" {
			whole += "." + frac
		}
		return whole + unit
	})
}

// foldCurrency writes a currency's code before a figure as its unit after
// it: USD 2,500万 is 2,500万美元.
func foldCurrency(s string) string {
	s = foldMagnitudes(s)
	if !strings.ContainsAny(s, "$DdSs") {
		return s
	}
	return currencyFirst.ReplaceAllStringFunc(s, func(m string) string {
		g := currencyFirst.FindStringSubmatch(m)
		unit := "美元"
		if strings.HasPrefix(strings.ToUpper(g[1]), "HK") {
			unit = "港元"
		}
		return strings.TrimSpace(g[2]) + unit
	})
}

// mend replaces slips of pinyin input by the catalogue's words they sound
// like, except inside the names of places and where the library writes the
// words so.
func (r *Reader) mend(s string) string {
	var names [][2]int // rune spans of place names
	var rs []rune
	keep := func(i, j int) bool {
		if names == nil {
			names = [][2]int{}
			for _, m := range r.cat.Gazetteer().Find(s) {
				names = append(names, [2]int{utf8.RuneCountInString(s[:m.Start]), utf8.RuneCountInString(s[:m.End])})
			}
		}
		for _, n := range names {
			if i < n[1] && j > n[0] {
				return true
			}
		}
		// 围绕自身核心技术: the window with a character either side is
		// written so in the library.
		if rs == nil {
			rs = []rune(s)
		}
		return r.written[string(rs[max(0, i-1):min(len(rs), j+1)])]
	}
	return r.sounds.mend(s, keep)
}

// analysis holds the work on one message. Offsets are bytes of s.
type analysis struct {
	r           *Reader
	s           string
	runes       runeSet
	ctx         Context
	clauses     []clause
	correction  bool
	firstPerson bool
	// asksFor is set when a body asks for an applicant it names (柳河县工信局
	// 的,有家企业…): what follows is that applicant's, not another party's.
	asksFor bool
	// matches are the phrases of facts the message holds, as read.
	matches []cueMatch
	// kinAsked: the message asks for a person of the speaker's (我女朋友…
	// 她能拿多少), another applicant than the speaker.
	kinAsked bool
	// makerAsked: the message asks of the body that made the speaker (孵化
	// 我们的那家研发机构), another applicant.
	makerAsked bool
	// another: the message opens another applicant's case (anotherAsked),
	// as intent found.
	another   bool
	applicant string // applicant type the revenue figures belong to
	cands     []candidate
	// questionWords are those of the package list that may be in s.
	questionWords []string
	declined      []string
	withdrawn     []string
	// leftAt is where a part excluded from a figure told was said, whose
	// candidate is what is left of it (see partExcluded); -1 for none.
	leftAt int
	// confirmed is set when the message states again a fact told, with
	// the same value (问清楚了,是省商务厅主办的).
	confirmed  bool
	article    string
	unclear    []string            // facts spoken of without a value
	registered bool                // a region was named as the applicant's seat
	places     []gazetteer.Mention // the message's place names, once found
	// seat is the speaker's region when a document is for it, once
	// seatFound (servedSeat).
	seat      *gazetteer.Division
	seatFound bool
	// found are the lexicon's words the message holds; moneyHere the money
	// cues among them.
	found     map[string]bool
	moneyHere []int
	// scope are the documents of the place the message or the session
	// names; nil when none is known.
	scope []string
	// counts are the counts of a per fact's unit, for readPer.
	counts []count
	// countedNouns are the cues of the number facts counts were read for
	// (博士 of 博士12个): they name what is counted, no trait of the speaker.
	countedNouns []span
}

// clause is a stretch of text between punctuation; negation, cues and
// questions do not reach across it.
type clause struct {
	start, end int
	question   bool
}

// candidate is a mention with the offset that orders it.
type candidate struct {
	pos int
	m   Mention
	// implied marks a value read from words that say another fact and
	// imply this one (see impliedYield).
	implied bool
	// denied is the value a denial denies, for a value read from it (还没
	// 上市 denies listed and gives none; see deniedYield).
	denied any
}

// run reads the message in an order where each step may use the last: the
// applicant routes revenue figures, and bare answers go only to facts no
// cue has given.
func (a *analysis) run() {
	a.clauses = a.splitClauses()
	a.correction = hasCorrection(a.s)
	// 能拿多少, 可以享受哪些: asking what one can get speaks of oneself.
	a.firstPerson = a.containsAny(firstPersonWords) || a.containsAny(selfAskWords)
	a.readApplicant()
	a.readRegion()
	a.scope = a.docsHere()
	a.readFigures()
	a.readPer()
	a.readMade()
	a.readFactCues()
	a.readWithin()
	a.readOrdinals()
	a.readOptionWords()
	a.readRecentOption()
	a.readRaisedOption()
	a.readCorrectedOption()
	a.readBareAnswers()
	a.readText()
	a.readDeclined()
	a.article = findArticle(a.s)
}

// docsHere returns the documents whose area holds the region the message
// names, or those of the session.
func (a *analysis) docsHere() []string {
	for _, c := range a.cands {
		if c.m.Key != "region" || a.r.areas == nil {
			continue
		}
		region, _, err := a.r.cat.Gazetteer().Resolve(c.m.Value.(string))
		if err != nil {
			break
		}
		docs := []string{}
		for id, area := range a.r.areas {
			if area == nil || region.Within(area) != gazetteer.No {
				docs = append(docs, id)
			}
		}
		slices.Sort(docs)
		return docs
	}
	return a.ctx.Docs
}

// elsewhere reports whether only documents of areas other than the
// speaker's read key (纳税 of a 南沙 measure, from 会昌县), when some
// document is for the speaker's area and the message names no place of
// theirs. A speaker no document is for keeps every fact, to be told why
// none applies; so does one who names the other place (广州南沙那个30万).
func (a *analysis) elsewhere(key string) bool {
	if a.r.areas == nil || len(a.r.readBy[key]) == 0 {
		return false
	}
	region := a.servedSeat()
	if region == nil {
		return false
	}
	for _, d := range a.r.readBy[key] {
		if holds(a.r.areas[d], region) {
			return false
		}
		for _, m := range a.placeNames() {
			for _, place := range m.Divisions {
				if holds(a.r.areas[d], place) {
					return false
				}
			}
		}
	}
	return true
}

// holds reports whether area (nil: anywhere) holds place, or may.
func holds(area, place *gazetteer.Division) bool {
	return area == nil || place.Within(area) != gazetteer.No
}

// servedSeat returns the speaker's region, the message's or the session's,
// when some document's area holds it; nil otherwise. It is found once per
// message: the candidates it is asked for all have the same seat.
func (a *analysis) servedSeat() *gazetteer.Division {
	if a.seatFound {
		return a.seat
	}
	a.seatFound = true
	name, _ := a.ctx.Values["region"].(string)
	for _, c := range a.cands {
		if c.m.Key == "region" {
			name, _ = c.m.Value.(string)
		}
	}
	region, _, err := a.r.cat.Gazetteer().Resolve(name)
	if name == "" || err != nil {
		return nil
	}
	for _, area := range a.r.areas {
		if holds(area, region) {
			a.seat = region
			break
		}
	}
	return a.seat
}

// add records a mention read at offset pos.
func (a *analysis) add(pos int, m Mention) {
	if m.End == 0 && pos >= 0 && pos <= len(a.s) && strings.HasPrefix(a.s[pos:], m.Text) {
		// Where its words end, so that readings of the same words are
		// known to overlap (知识产权代理, an industry and an institution).
		m.End = pos + len(m.Text)
	}
	a.cands = append(a.cands, candidate{pos: pos, m: m})
}

// has reports whether a candidate for key was read.
func (a *analysis) has(key string) bool {
	for _, c := range a.cands {
		if c.m.Key == key {
			return true
		}
	}
	return false
}

// result orders the mentions, keeps the last one of each key and drops any
// value the profile would refuse, then decides the intent.
func (a *analysis) result() Understanding {
	u := Understanding{Correction: a.correction, Article: a.article, Declined: a.declined, Withdrawn: a.withdrawn, Text: a.s}
	for _, k := range a.unclear {
		if !a.has(k) {
			u.Unclear = append(u.Unclear, k)
		}
	}
	a.partExcluded()
	a.formYesNo()
	slices.SortStableFunc(a.cands, func(x, y candidate) int { return x.pos - y.pos })
	a.impliedYield()
	a.deniedYield()
	a.oldFigureNamed()
	a.dropReported()
	a.partCorrected()
	a.restated()
	a.correctRepeated()
	a.levelMoved()
	u.Withdrawn = a.withdrawn // 不是国家级,是省级: the one denied
	// joinsNext reports whether the candidate is a part of a sum with the
	// next figure of its fact: 要是市级一百五十万、区级一百万呢.
	joinsNext := func(c candidate) bool {
		for _, d := range a.cands {
			if d.pos > c.pos && d.m.Key == c.m.Key {
				_, ok := a.sum(c.m, d)
				return ok
			}
		}
		return false
	}
	a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
		if a.leftAt >= 0 && c.pos == a.leftAt {
			return false // 其中300万美元还没到位: what is left of the figure told
		}
		if a.leftOutOf(c) {
			return true // 还有一笔500万是给我们母公司做的: no part of the fact
		}
		if f, ok := a.r.cat.Lookup(c.m.Key); ok && f.Received && givenBy(f, a.figureClause(c)) {
			// 另一家创投又投了80万, 母公司又实缴了8个亿: the other party
			// named gives it to the speaker.
			if !a.notSpeakersBut(c.pos, false) {
				return false
			}
		} else if !a.notSpeakers(c.pos) && !a.parentsFigure(c) {
			return false
		}
		// 明年目标是320亿 states a target; 要是明年做到5.2亿能拿多少 asks.
		// 以后能搬出南沙吗, from 南沙: what is so already is supposed of
		// nothing. A figure's bounds (没到5000万) may differ though its
		// value does not; a change (多住6个月) is of the sum.
		m := a.addedToEarlier(c.m)
		if old, ok := a.ctx.Values[m.Key]; ok && sameValue(old, m.Value) && !m.Approx && m.Range == nil && !contains(a.ctx.Approx, m.Key) && !joinsNext(c) {
			a.confirmed = a.confirmed || !a.supposition(c.pos)
			return true
		}
		if a.supposition(c.pos) && a.asksAnything() && a.r.cat.Accepts(m.Key, m.Value) == nil {
			if i := slices.IndexFunc(u.Supposed, func(x Mention) bool { return x.Key == m.Key }); i >= 0 {
				// 要是市级一百五十万、区级一百万呢: parts of one sum supposed.
				if sum, ok := a.sum(u.Supposed[i], candidate{pos: c.pos, m: m}); ok {
					m = sum
				}
				u.Supposed = slices.Delete(u.Supposed, i, i+1)
			}
			u.Supposed = append(u.Supposed, m)
		}
		return true
	})
	if m, ok := a.pendingSupposed(); ok && !slices.ContainsFunc(u.Supposed, func(x Mention) bool { return x.Key == m.Key }) && a.r.cat.Accepts(m.Key, m.Value) == nil {
		u.Supposed = append(u.Supposed, m)
	}
	if m, ok := a.siblingSupposed(); ok && len(u.Supposed) == 0 {
		u.Supposed = append(u.Supposed, m)
	}
	elsewhereText := map[string]string{}
	for _, c := range a.cands {
		if a.r.cat.Accepts(c.m.Key, c.m.Value) != nil {
			continue
		}
		if f, _ := a.r.cat.Lookup(c.m.Key); !f.Identity && len(a.r.applicants[c.m.Key]) > 0 && !a.speakers(c.m.Key) {
			// 南沙的新型研发机构: the institution is not a talent working at one.
			continue
		}
		if f, _ := a.r.cat.Lookup(c.m.Key); !f.Identity && a.elsewhere(c.m.Key) {
			// 会昌县的工业企业…纳税2100万: only another area's documents
			// read the fact, and the message names no place of theirs.
			if !c.implied {
				u.Elsewhere = appendUnique(u.Elsewhere, c.m.Key)
				elsewhereText[c.m.Key] = c.m.Text
			}
			continue
		}
		kept := false
		for i := range u.Mentions {
			if u.Mentions[i].Key != c.m.Key {
				continue
			}
			if f, _ := a.r.cat.Lookup(c.m.Key); !a.correction && f.NoOption != "" && c.m.Value == f.NoOption && u.Mentions[i].Value != f.NoOption {
				kept = true // 新三板挂牌,不算listed: the option said stands over the denial
				break
			}
			if f, _ := a.r.cat.Lookup(c.m.Key); !a.correction && f.Highest && optionRank(f, c.m.Value) < optionRank(f, u.Mentions[i].Value) {
				kept = true // 国家级和市级的认定: the highest level reached stands
				break
			}
			if old, ok := a.ctx.Values[c.m.Key]; a.correction && ok && sameValue(old, c.m.Value) && !sameValue(old, u.Mentions[i].Value) {
				kept = true // 说错了,是五十九件,65是加上实用新型的: the old figure, said again, is what is corrected
				break
			}
			if prev := u.Mentions[i]; !a.correction && c.m.Range != nil && prev.Range == nil && !prev.Approx {
				// 主营收入10.3亿,第一次过10亿: the bound said after the exact
				// figure it holds says nothing more.
				if v, ok := toFloat(prev.Value); ok && v >= c.m.Range.Lo && v <= c.m.Range.Hi {
					kept = true
					break
				}
			}
			if sum, ok := a.sum(u.Mentions[i], c); ok {
				c.m = sum
			} else if both, ok := a.bothBounds(u.Mentions[i], c.m); ok {
				c.m = both
			}
			u.Mentions = append(u.Mentions[:i], u.Mentions[i+1:]...)
			break
		}
		if !kept {
			u.Mentions = append(u.Mentions, c.m)
		}
	}
	// 纳入规上了: words that give a fact here as well (规模以上) say nothing
	// of the other area's fact they also name (工业企业).
	u.Elsewhere = slices.DeleteFunc(u.Elsewhere, func(k string) bool {
		return slices.ContainsFunc(u.Mentions, func(m Mention) bool { return m.Text == elsewhereText[k] })
	})
	u.Mentions = slices.DeleteFunc(u.Mentions, func(m Mention) bool {
		// 另外还有一笔贷款,利息30万: a fact of one item (当笔贷款的利息)
		// takes no second item, which the clause's limits speak of.
		f, ok := a.r.cat.Lookup(m.Key)
		return ok && f.Single && a.laterPart(m)
	})
	for i, m := range u.Mentions {
		u.Mentions[i] = a.addedToEarlier(m)
	}
	// A fact both given and declined was given.
	kept := u.Declined[:0]
	for _, k := range u.Declined {
		if !a.has(k) {
			kept = append(kept, k)
		}
	}
	u.Declined = kept
	if len(u.Declined) == 0 {
		u.Declined = nil
	}
	u.FollowUp, u.FollowUpToo = a.followUpOf()
	// The clauses around the question are left out only when they are
	// chatter (顺便问下): a clause that says more (离婚手续在哪办) stays.
	chatter := true
	// 今年招了几个退役军人,有没有税收减免: a clause right before the question
	// that states no fact says what the question is of.
	topic := ""
	for _, c := range a.clauses {
		if c.question {
			u.Questions += topic + a.s[c.start:c.end] + " "
			u.Asked += a.s[c.start:c.end] + " "
			topic = ""
			continue
		}
		if utf8.RuneCountInString(strings.TrimSpace(a.s[c.start:c.end])) > 6 {
			chatter = false
		}
		topic = ""
		if !slices.ContainsFunc(a.cands, func(x candidate) bool { return x.pos >= c.start && x.pos < c.end }) {
			topic = a.s[c.start:c.end] + " "
		}
	}
	u.Questions = strings.TrimSpace(u.Questions)
	if u.Asked = strings.TrimSpace(u.Asked); u.Asked == "" || !chatter {
		u.Asked = a.s
	}
	u.Intent = a.intent(u)
	u.Another = u.Intent == IntentReset && a.another
	u.Back = !u.Another && u.Intent != IntentReset && a.backToEarlier()
	return u
}

// backOpeners and backMarks frame a return to the case set aside:
// 回到刚才那个园区, 园区那边.
var (
	backOpeners = []string{"回到", "再回到", "说回", "再说回", "刚才", "之前", "前面", "那个", "那家", "还是"}
	backMarks   = []string{"那边", "这边", "那头", "那个", "那家", "的话", "呢"}
)

// partCorrected gives a fact told as a sum the corrected value of one of its
// parts (不对,公司债是1.2个亿不是1.5, after 两千五百万的中期票据,还有1.5个
// 亿的公司债): the sum less the part said wrong, plus the part now. The part
// said wrong is one the message before or the sum's own words said; without
// its unit (不是1.5) it has the unit of the part now.
func (a *analysis) partCorrected() {
	if !a.correction && len(a.ctx.Said) > 0 {
		a.partRenamed(true) // 公司债那笔是1.2个亿没错: said again, the sum stands
		return
	}
	if !a.correction || a.ctx.Previous == "" && len(a.ctx.Said) == 0 {
		return
	}
	i := a.index(0, len(a.s), "不是")
	if i < 0 {
		a.partRenamed(false)
		return
	}
	m := partFigure.FindStringSubmatch(a.s[i+len("不是"):])
	if m == nil {
		return
	}
	for k := range a.cands {
		c := &a.cands[k]
		y, ok := c.m.Value.(int64)
		stored, told := toFloat(a.ctx.Values[c.m.Key])
		if !ok || !told || c.m.Range != nil || c.m.Approx || contains(a.ctx.Approx, c.m.Key) {
			continue
		}
		said := m[1] + m[2]
		if m[2] == "" {
			// 不是1.5: in the unit of the part now (1.2个亿).
			u := partFigure.FindAllStringSubmatch(c.m.Text, -1)
			if len(u) == 0 || u[len(u)-1][2] == "" {
				continue
			}
			said += u[len(u)-1][2]
		}
		old, ok := ParseAmount(said)
		if !ok || !old.Exact || old.Yuan <= 0 || float64(old.Yuan) >= stored || !strings.Contains(normalize(a.ctx.Previous), m[1]) && !strings.Contains(a.ctx.Said[c.m.Key], m[1]) {
			continue
		}
		f, _ := a.r.cat.Lookup(c.m.Key)
		c.m.Value = int64(stored) - old.Yuan + y
		c.m.Note = fmt.Sprintf("此前合计%s中的%s更正为%s,合计%s", matcher.FormatYuan(int64(stored)), matcher.FormatYuan(old.Yuan), matcher.FormatYuan(y), matcher.FormatFact(f, c.m.Value))
		return
	}
}

// partRenamed gives a fact told as a sum the corrected value of the part
// the correction names by its words (不对,公司债是1.5个亿, after 一笔中期票据
// 8000万,一笔公司债1.2个亿): the sum less that part as told, plus the part
// now. The words must name one part only. restated, outside a correction,
// keeps the sum when the part is said again as it was told.
func (a *analysis) partRenamed(restated bool) {
	for k := range a.cands {
		c := &a.cands[k]
		y, ok := c.m.Value.(int64)
		stored, told := toFloat(a.ctx.Values[c.m.Key])
		said := a.ctx.Said[c.m.Key]
		if !ok || !told || c.m.Range != nil || c.m.Approx || contains(a.ctx.Approx, c.m.Key) || !strings.Contains(said, "+") {
			continue
		}
		j := strings.IndexFunc(c.m.Text, startsNumeral)
		if j < 0 {
			continue
		}
		label := strings.TrimRight(strings.TrimLeft(c.m.Text[:j], " ,"), "是为:约 ")
		for _, w := range []string{"那笔", "这笔", "那个", "这个", "那块", "这块", "那部分", "的"} {
			label = strings.TrimSuffix(label, w) // 公司债那笔是1.2个亿
		}
		if utf8.RuneCountInString(label) < 2 {
			continue
		}
		var old int64
		n := 0
		for _, part := range strings.Split(said, "+") {
			if !strings.Contains(part, label) {
				continue
			}
			n++
			figs := partFigure.FindAllStringSubmatch(part, -1)
			for _, f := range figs {
				if v, ok := ParseAmount(f[0]); ok && v.Exact && f[2] != "" {
					old = v.Yuan
				}
			}
		}
		if n != 1 || old <= 0 || float64(old) >= stored || restated && old != y {
			continue
		}
		f, _ := a.r.cat.Lookup(c.m.Key)
		if restated {
			c.m.Value = int64(stored) // the part as told, and the sum with it
			c.m.Note = fmt.Sprintf("%s(%s)为此前合计%s的一部分", label, matcher.FormatYuan(old), matcher.FormatYuan(int64(stored)))
			return
		}
		c.m.Value = int64(stored) - old + y
		c.m.Note = fmt.Sprintf("此前合计%s中的%s(%s)更正为%s,合计%s", matcher.FormatYuan(int64(stored)), label, matcher.FormatYuan(old), matcher.FormatYuan(y), matcher.FormatFact(f, c.m.Value))
		return
	}
}

// partFigure is a figure and its unit of money, if said: 1.5, 1.2个亿.
var partFigure = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?|[零一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)(个亿|亿元|万元|个亿元|亿|万|元)?`)

// reportWords open what another party answered or what the speaker thinks
// of the rules (部门口头答复称投资额没超过5000万, 认为科研机构20万元即可):
// the rest of the sentence reports words, not the applicant's facts.
var reportWords = []string{"答复称", "回复称", "答复说", "回复说", "被告知", "告知", "认为", "声称"}

// impliedYield drops a value read from words that say another fact (重点
// 产业新上项目, which the document defines to exclude mining) when the
// message says the fact with words of its own (铁矿选矿项目,也算重点产业新上
// 项目吧): what is said outright stands over what is implied.
func (a *analysis) impliedYield() {
	a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
		return c.implied && slices.ContainsFunc(a.cands, func(d candidate) bool {
			return d.m.Key == c.m.Key && !sameValue(d.m.Value, c.m.Value) && !d.implied
		})
	})
}

// oldFigureNamed drops, in a correction, a figure that is the value told
// of a fact the message corrects, read as another fact's: 是58件,65件是连实
// 用新型一起算的 says what the 65 was, not a count of utility models.
func (a *analysis) oldFigureNamed() {
	if !a.correction {
		return
	}
	a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
		v, ok := toFloat(c.m.Value)
		if !ok || !isFigureValue(c.m.Value) {
			return false
		}
		for _, k := range a.ctx.Recent {
			old, told := toFloat(a.ctx.Values[k])
			if told && k != c.m.Key && old == v && slices.ContainsFunc(a.cands, func(d candidate) bool {
				w, ok := toFloat(d.m.Value)
				return d.m.Key == k && ok && w != old
			}) {
				return true
			}
		}
		return false
	})
}

// namesPriorMax reports whether text names the highest earlier year in
// words of four characters or more (以前最高, 历史最高), which no other
// reading of the words shares.
func namesPriorMax(text string) bool {
	for _, pc := range periodCues {
		if pc.period == periodPriorMax && utf8.RuneCountInString(pc.word) >= 4 && strings.Contains(text, pc.word) {
			return true
		}
	}
	return false
}

// deniedYield drops the values read from denials where the message states
// another value of the fact than the one denied: 不是创业板上市,是在新三板
// 挂的牌,还没上市呢 denies a listing and states the 新三板, which the
// denial does not contradict. A value restated after its own denial (已经
// 上市了,不对,还没上市) is not another, so the denial stands.
func (a *analysis) deniedYield() {
	a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
		return c.denied != nil && slices.ContainsFunc(a.cands, func(d candidate) bool {
			return d.m.Key == c.m.Key && d.denied == nil && !sameValue(d.m.Value, c.denied) && !sameValue(d.m.Value, c.m.Value)
		})
	})
}

// dropReported drops the facts read inside reported words that the
// message also states outside them: what it states itself stands (投资
// 5000万元整 over the 没超过5000万 a department is said to have answered).
func (a *analysis) dropReported() {
	var spans []span
	for _, w := range reportWords {
		for from := 0; ; {
			i := a.index(from, len(a.s), w)
			if i < 0 {
				break
			}
			from = i + len(w)
			if w == "认为" && slices.ContainsFunc([]string{"确", "公", "默", "被"}, func(p string) bool { return strings.HasSuffix(a.s[:i], p) }) {
				continue // 经审计确认为3.2亿 confirms; it reports no one
			}
			end := a.sentenceEnd(from)
			if j := a.index(from, end, "另外"); j >= 0 {
				end = j // …回复说可以申报,另外营收准确数是3.2亿: the speaker again
			}
			spans = append(spans, span{i, end})
		}
	}
	if len(spans) == 0 {
		return
	}
	reported := func(c candidate) bool {
		return slices.ContainsFunc(spans, func(sp span) bool { return sp.start <= c.pos && c.pos < sp.end })
	}
	a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool {
		return reported(c) && slices.ContainsFunc(a.cands, func(d candidate) bool { return d.m.Key == c.m.Key && !reported(d) })
	})
}

// backToEarlier reports whether the message opens with the type of the
// case set aside, framed as one spoken of before (园区那边今年还通过了…,
// 回到刚才那个园区): the speaker goes back to it.
func (a *analysis) backToEarlier() bool {
	if len(a.clauses) == 0 {
		return false
	}
	rest := strings.TrimLeft(a.s[a.clauses[0].start:a.clauses[0].end], " ")
	framed := false
	for again := true; again; {
		again = false
		for _, w := range backOpeners {
			if strings.HasPrefix(rest, w) {
				rest, framed, again = strings.TrimPrefix(rest[len(w):], "的"), true, true
			}
		}
	}
	if framed && a.namesEarlier(a.s[a.clauses[0].start:a.clauses[0].end]) {
		return true
	}
	if a.ctx.Earlier == "" || a.ctx.Earlier == a.ctx.ApplicantType {
		return false
	}
	for _, w := range a.r.pendingApplicant {
		if w.value != a.ctx.Earlier || !strings.HasPrefix(rest, w.word) {
			continue
		}
		after := rest[len(w.word):]
		return framed || after == "" || hasAnyPrefix(after, backMarks...)
	}
	return false
}

// namesEarlier reports whether words name the case set aside better than
// the one at hand, by the longest run of two or more characters they share
// with one of its names (恒泰电子 of 赣州恒泰电子科技有限公司).
func (a *analysis) namesEarlier(words string) bool {
	best := func(names []string) int {
		n := 0
		for _, name := range names {
			n = max(n, utf8.RuneCountInString(LongestCommon(a.ownName(name), words)))
		}
		return n
	}
	earlier := best(a.ctx.EarlierNames)
	return earlier >= 2 && earlier > best(a.ctx.Names)
}

// genericNameWords are the parts of a name that many names share (有限公司,
// 科技): what is left names the one (恒泰电子 of 赣州恒泰电子科技有限公司).
var genericNameWords = strings.NewReplacer("股份有限公司", "", "有限责任公司", "", "有限公司", "", "股份", "", "集团", "", "控股", "", "科技", "", "公司", "", "企业", "", "有限", "", "责任", "")

// ownName returns a name without its places and generic parts.
func (a *analysis) ownName(name string) string {
	for _, m := range slices.Backward(a.r.cat.Gazetteer().Find(name)) {
		name = name[:m.Start] + name[m.End:]
	}
	return genericNameWords.Replace(name)
}

// correctedBefore reports whether the message's correction words all come
// before pos: 说错了,中票是1.8亿,另外还发了一笔6000万的公司债 corrects the
// whole, whose parts still add up.
func (a *analysis) correctedBefore(pos int) bool {
	for _, w := range correctionWords {
		if i := strings.LastIndex(a.s, w); i >= 0 && i+len(w) > pos {
			return false
		}
	}
	return true
}

// partWords join the parts of one sum: 3000万企业债,另外还有1000万票据;
// 股息红利那块三十万 股权转让所得那块二十万 (a part named, then its figure).
var partWords = []string{"和", "与", "及", "以及", "加上", "加", "另外", "还有", "另", "外加", "再加", "、", "+", "跟", "同时", "其余", "其他", "剩下", "此外", "二期", "三期", "四期", "后期", "又发了", "又发", "又", "那块", "这块", "那部分", "这部分", "另一个", "另一项", "另一笔", "另一家"}

// totalWords after the figures of a message ask for their sum (公司债1.5个
// 亿,短融5000万,加起来能奖多少); before a figure they state it (一共1.5亿).
var totalWords = []string{"加起来", "加一起", "加在一起", "合起来", "一共", "总共", "合计", "共计", "总计"}

// totalAsked reports whether a total word comes after pos with no numeral
// after it: the figures before it are parts of the sum asked about.
func (a *analysis) totalAsked(pos int) bool {
	for _, w := range totalWords {
		i := strings.LastIndex(a.s, w)
		if i < pos {
			continue
		}
		if !strings.ContainsFunc(a.s[i+len(w):], startsNumeral) {
			return true
		}
	}
	return false
}

// sum returns the sum of two exact money figures of one fact in one
// message when the words between them join parts of a total (8000万短融和
// 2000万中票); otherwise the later figure stands (八个多亿,八点三亿 refines,
// 说错了 corrects).
func (a *analysis) sum(prev Mention, c candidate) (Mention, bool) {
	if prev.Range != nil || c.m.Range != nil || prev.End <= 0 || prev.End > c.pos {
		return Mention{}, false
	}
	if a.correction && !a.correctedBefore(prev.End-len(prev.Text)) {
		return Mention{}, false
	}
	if old, ok := a.ctx.Values[prev.Key]; a.correction && ok && sameValue(old, prev.Value) {
		return Mention{}, false // 600万是两年加起来的,一年是300万: the old figure is what is corrected
	}
	between := a.s[prev.End:c.pos]
	joined := containsAny(between, partWords) || a.totalAsked(c.pos) || a.inOneList(prev.End, c.pos) || a.eachCounted(prev, between) || moreDone(between) || a.kindsApart(prev, c.m)
	if !joined || containsAny(between, correctionWords) || strings.Contains(between, "不是") || a.sumSaid(c.pos) {
		// 又谈下来一块200亩,加起来正好500亩: the total is no part.
		return Mention{}, false
	}
	m := c.m
	switch x := prev.Value.(type) {
	case int64: // money: 8000万短融和2000万中票
		y, ok := c.m.Value.(int64)
		if !ok {
			return Mention{}, false
		}
		m.Value = x + y
	case float64: // a count: 培育了7家,另外还引进了4家
		y, ok := c.m.Value.(float64)
		if !ok {
			return Mention{}, false
		}
		m.Value = x + y
	default:
		return Mention{}, false
	}
	f, ok := a.r.cat.Lookup(m.Key)
	if !ok {
		return Mention{}, false
	}
	m.Text = prev.Text + "+" + c.m.Text
	next := c.m.Text
	if rest, ok := strings.CutPrefix(next, prev.Text); ok && strings.Trim(rest, " ,;、") != "" {
		next = strings.Trim(rest, " ,;、") // 一块300亩,一块200亩: the words of the cue are said once
	}
	m.Note = "“" + prev.Text + "”与“" + next + "”合计" + matcher.FormatFact(f, m.Value)
	return m, a.r.cat.Accepts(m.Key, m.Value) == nil
}

// kindsApart reports whether two figures of a fact made of kinds name two
// of its kinds (8000万中期票据,1.2亿公司债; 公司债券融资额:…,中期票据融资额:…):
// parts of its total.
func (a *analysis) kindsApart(prev, next Mention) bool {
	f, ok := a.r.cat.Lookup(next.Key)
	if !ok || len(f.Parts) == 0 {
		return false
	}
	kind := func(text string) int {
		at, of := -1, -1
		for k, words := range f.Parts {
			for _, w := range words {
				if i := strings.Index(text, w); i >= 0 && (of < 0 || i < at) {
					at, of = i, k
				}
			}
		}
		return of
	}
	x, y := kind(prev.Text), kind(next.Text)
	return x >= 0 && y >= 0 && x != y
}

// moreDone reports whether the words between two figures open a clause
// with 还 and a deed done (培育了5家,还引进了2家): more of the same, where
// 还没, 还是 and 还差 are no addition.
func moreDone(between string) bool {
	rest := between
	if i := strings.LastIndexAny(between, "，,、 "); i >= 0 {
		_, n := utf8.DecodeRuneInString(between[i:])
		rest = between[i+n:]
	}
	after, ok := strings.CutPrefix(rest, "还")
	return ok && strings.Contains(after, "了") && hasAnyPrefix(after, addingVerbs...)
}

// addingVerbs bring more of what was counted (还引进了2家, 还发了5000万);
// 还迁走了, 还兑付了 and 还了 (repaid) take away.
var addingVerbs = []string{"引进", "引入", "培育", "孵化", "新增", "新引进", "发", "发行", "申请", "拿", "获得", "招", "聘", "签", "投", "建", "新建", "流转", "租", "买", "购"}

// inOneList reports whether the figures ending at end and starting at pos
// are items of one list after a colon in their sentence (纳税:增值税2500万,
// 企业所得税1800万), with no year between them that would make them two
// years' figures: parts of what the head names.
func (a *analysis) inOneList(end, pos int) bool {
	start := a.sentenceStart(pos)
	if start > end || a.sentenceStart(end) != start {
		return false
	}
	colon := strings.LastIndex(a.s[start:end], ":")
	first, next := a.clauseAt(max(start, end-1)), a.clauseAt(pos)
	if colon < 0 || first.start == next.start || containsAny(a.s[start+colon+1:next.end], listTimeWords) {
		return false // the head may name the time (去年纳税:…); the items may not
	}
	// Each item is labelled by its own words (增值税2500万,企业所得税1800万),
	// not the same cue again (营收3亿,营收3亿).
	label := func(c clause) string {
		from := max(c.start, start+colon+1)
		t := a.s[from:c.end]
		if j := strings.IndexFunc(t, startsNumeral); j >= 0 {
			t = t[:j]
		}
		return strings.Trim(t, " ,;、")
	}
	one, two := label(first), label(next)
	return one != two || one == ""
}

// listTimeWords set items apart by their time, not as parts of one whole
// (本期2500万,上期1800万; 原来2亿,现在3亿).
var listTimeWords = []string{"年", "本期", "上期", "当期", "同期", "季度", "原来", "现在", "预计", "实际", "之前", "以前", "以后", "目前"}

// countMeasures count the items of a list one by one: 一个200万,一个150万;
// 两块地,一块300亩,一块200亩.
var countMeasures = []string{"一个", "一笔", "一项", "一件", "一期", "一块", "一层", "一处", "一栋", "一宗", "一片", "一套", "一间", "一幢"}

// ordinalMeasures are the measure words of a list counted by ordinals: 第一笔
// 1200万美元,第二笔800万美元.
var ordinalMeasures = []string{"笔", "期", "块", "层", "批", "次", "项"}

// eachCounted reports whether the figure before and the next are each
// counted by one measure said right before them (资助一个200万,一个150万):
// items, to be added.
func (a *analysis) eachCounted(prev Mention, between string) bool {
	start := prev.End - len(prev.Text)
	if start < 0 {
		return false
	}
	// The words that lead the first item: its own, or its clause's up to it.
	lead := a.s[a.clauseAt(start).start:start]
	for _, m := range countMeasures {
		if !strings.HasSuffix(between, m) {
			continue
		}
		if i := strings.LastIndex(prev.Text, m); i >= 0 && startsNumeralAt(prev.Text[i+len(m):]) || strings.HasSuffix(lead, m) {
			return true
		}
	}
	// 第一笔1200万美元,第二笔800万美元: counted by ordinals.
	for _, m := range ordinalMeasures {
		first := "第一" + m
		if !strings.Contains(prev.Text, first) && !strings.HasSuffix(lead, first) {
			continue
		}
		for _, n := range []string{"二", "三", "四", "五"} {
			if strings.HasSuffix(between, "第"+n+m) {
				return true
			}
		}
	}
	return false
}

// restated gives a figure that repeats the value of a fact told before
// (现在还是按一年300万算, after 一年是300万 of the contribution) to that
// fact, when its own words do not name the fact they would give it.
func (a *analysis) restated() {
	for i, c := range a.cands {
		v, ok := toFloat(c.m.Value)
		if !ok || slices.Contains(a.ctx.Recent, c.m.Key) {
			continue
		}
		f, ok := a.r.cat.Lookup(c.m.Key)
		if !ok || f.Kind != matcher.KindMoney && f.Kind != matcher.KindNumber || sharesPair(f.Label, c.m.Text) {
			continue
		}
		for _, k := range a.ctx.Recent {
			g, ok := a.r.cat.Lookup(k)
			if old, told := toFloat(a.ctx.Values[k]); ok && told && old == v && g.Kind == f.Kind && g.Unit == f.Unit && !a.has(k) {
				a.cands[i].m.Key = k
				break
			}
		}
	}
}

// correctRepeated settles a correction that says a figure told before
// again (50万里有20万是工资薪金那块的,投资收益和股权转让只有30万): a figure
// said inside it (里有20万) is a part of it, no value of its fact, and
// another figure of its kind is its fact's new value, whatever fact the
// figure's own words would give it. A lone figure corrects the fact told
// before that the message names (市级那个是300万, of the city's and the
// province's funding).
func (a *analysis) correctRepeated() {
	if !a.correction || a.leftAt >= 0 {
		return // 这1万平里面有2000平是配套用房,不是办公: what is left was read
	}
	isFigure := func(c candidate) bool { return isFigureValue(c.m.Value) }
	figures := 0
	for _, c := range a.cands {
		if isFigure(c) {
			figures++
		}
	}
	if figures == 1 {
		if k := a.recentDenied(); k != "" && a.recentNamed() == "" {
			// 不是国家级,是省级的项目,省里给了300万: the figure is of the fact
			// its words name, and the one denied was never so. 8000万那笔其实
			// 是银行贷款,不是票据: the figure given the fact denied is none of it.
			g, _ := a.r.cat.Lookup(k)
			if slices.ContainsFunc(a.cands, func(c candidate) bool { return isFigure(c) && c.m.Key == k }) {
				a.cands = slices.DeleteFunc(a.cands, func(c candidate) bool { return isFigure(c) && c.m.Key == k })
				a.withdrawn = appendUnique(a.withdrawn, k)
				return
			}
			for _, c := range a.cands {
				if f, ok := a.r.cat.Lookup(c.m.Key); ok && isFigure(c) && c.m.Key != k && f.Kind == g.Kind && f.Unit == g.Unit {
					a.withdrawn = appendUnique(a.withdrawn, k)
				}
			}
			return
		}
		if k := a.recentNamed(); k != "" {
			for i, c := range a.cands {
				if !isFigure(c) || c.m.Key == k || a.has(k) {
					continue
				}
				f, _ := a.r.cat.Lookup(c.m.Key)
				if sharesPair(f.Label, c.m.Text) {
					continue // 博士是17个: the figure's own words name its fact
				}
				if g, ok := a.r.cat.Lookup(k); ok && g.Kind == f.Kind && g.Unit == f.Unit && a.r.cat.Accepts(k, c.m.Value) == nil {
					a.cands[i].m.Key = k
				}
			}
		}
		return
	}
	for _, o := range a.cands {
		old, told := a.ctx.Values[o.m.Key]
		if !isFigure(o) || !told || !sameValue(old, o.m.Value) || o.m.End <= 0 {
			continue
		}
		key, end := o.m.Key, o.m.End
		a.cands = slices.DeleteFunc(a.cands, func(d candidate) bool {
			return d.pos >= end && isFigure(d) && containsAny(a.s[end:d.pos], insideWords) && utf8.RuneCountInString(a.s[end:d.pos]) <= 4
		})
		for i, d := range a.cands {
			if d.pos <= o.pos || !isFigure(d) || d.m.Key == key {
				continue
			}
			if f, ok := a.r.cat.Lookup(d.m.Key); slices.Contains(a.ctx.Recent, d.m.Key) && (!ok || sharesPair(f.Label, d.m.Text)) {
				continue // 以前最高是9亿: a fact told, named by its own words
			}
			if f, ok := a.r.cat.Lookup(d.m.Key); ok && f.Series != nil && f.Series.Period == kb.PeriodPriorMax && namesPriorMax(d.m.Text) {
				if g, ok := a.r.cat.Lookup(key); ok && g.Series != nil && g.Series.Name == f.Series.Name {
					continue // 103亿是全县的,…只有61亿,以前最高48亿: the period's words place it
				}
			}
			if a.r.cat.Accepts(key, d.m.Value) == nil {
				a.cands[i].m.Key = key
			}
		}
		return
	}
}

// wholeWords before a figure say it is the whole, not a part to add.
var wholeWords = []string{"一共", "总共", "共计", "合计", "总计", "加起来", "加在一起", "全部加", "总数"}

// laterPartWords before a figure in its clause say it adds to the one of
// the same fact said in an earlier turn (还有一笔5000万), as 又 and a verb
// done do (后来又发了5000万的公司债, 又拿了3件).
var laterPartWords = []string{"又有一笔", "又一笔", "还有一笔", "另外还有", "另有", "漏了一笔", "漏了"}

// addsLater reports whether the words of clause c before pos say the figure
// at pos is another part of one said before.
func (a *analysis) addsLater(c clause, pos int) bool {
	before := a.s[c.start:pos]
	if containsAny(before, laterPartWords) {
		return true
	}
	// 另外还有一笔贷款,利息30万: the clause before, in the sentence and
	// with no figure of its own, says what the figure is.
	if prev, ok := a.clauseBefore(c); ok && prev.start >= a.sentenceStart(pos) && a.windowHas(prev.start, prev.end, laterPartWords) &&
		!strings.ContainsFunc(a.s[prev.start:prev.end], func(r rune) bool { return r >= '0' && r <= '9' }) {
		return true
	}
	// 另外年终奖那块,个人经济贡献还有2万: 还有 right before the figure, in a
	// sentence that opens with 另外.
	if strings.HasSuffix(strings.TrimRight(before, " "), "还有") && a.windowHas(a.sentenceStart(pos), pos, []string{"另外", "此外", "漏了", "忘了说"}) {
		return true
	}
	// 又 or 还 and a verb of one or two characters with 了 or 过: 又发了,
	// 又申请了, 另外上个月还发了, 上半年还发过.
	for _, w := range []string{"又", "还"} {
		if i := strings.LastIndex(before, w); i >= 0 {
			rest := before[i+len(w):]
			for _, done := range []string{"了", "过"} {
				if j := strings.Index(rest, done); j > 0 && utf8.RuneCountInString(rest[:j]) <= 2 && isHan(rest[:j]) {
					return true
				}
			}
		}
	}
	return false
}

// increments reports whether the figure at pos is said as a change by
// which one said before grows: 多 and a verb of one or two characters
// right before it (每年多住一个月, 多交1块钱, 再多引进十家), or 再多/再加/再增加.
func (a *analysis) increments(c clause, pos int) bool {
	before := strings.TrimRight(a.s[c.start:pos], " ")
	if hasAnySuffix(before, "再多", "再加", "再增加", "再多加") {
		return true
	}
	// 再招30个, 再引进两家: 再 and a verb of one or two characters; 再过3年
	// is a time, not a change.
	if i := strings.LastIndex(before, "再"); i >= 0 {
		verb := before[i+len("再"):]
		// 再扩到501亩 names the sum reached, not the change.
		if n := utf8.RuneCountInString(verb); n >= 1 && n <= 2 && isHan(verb) && !strings.HasPrefix(verb, "过") && !strings.HasPrefix(verb, "有") && !hasAnySuffix(verb, "到", "至", "成", "为") {
			return true
		}
	}
	// 多 and a verb of one or two characters: 多住, 再多引进.
	i := strings.LastIndex(before, "多")
	if i < 0 {
		return false
	}
	if i+len("多") == len(before) {
		// 贡献多30万: 多 right before the figure, after what grows; 最多 and
		// 差不多 bound it.
		return i > 0 && !hasAnySuffix(before[:i], "最", "至", "很", "许", "好", "更", "太", "不", "差")
	}
	verb := before[i+len("多"):]
	if n := utf8.RuneCountInString(verb); n == 0 || n > 2 || !isHan(verb) {
		return false
	}
	// 很多, 许多, 好多 count; 多 alone before a verb changes.
	return !hasAnySuffix(before[:i], "很", "许", "好", "更", "最", "太", "不")
}

// clauseBefore returns the clause before c.
func (a *analysis) clauseBefore(c clause) (clause, bool) {
	for i, x := range a.clauses {
		if x.start == c.start && i > 0 {
			return a.clauses[i-1], true
		}
	}
	return clause{}, false
}

// laterPart reports whether m, of a fact told before, is said as another
// part of it or a change to it (另外还有一笔, 又发了, 多住一个月).
func (a *analysis) laterPart(m Mention) bool {
	if _, told := a.ctx.Values[m.Key]; !told || a.correction || m.Range != nil || slices.Contains(a.ctx.Approx, m.Key) {
		return false
	}
	pos := strings.Index(a.s, m.Text)
	if pos < 0 {
		return false
	}
	// The figure itself may start inside the words read with it (每年多住
	// 一个月): the first numeral of them.
	fig := pos
	if j := strings.IndexFunc(m.Text, startsNumeral); j >= 0 {
		fig = pos + j
	}
	c := a.clauseAt(pos)
	if containsAny(a.s[c.start:pos+len(m.Text)], wholeWords) {
		return false // 统计漏了一部分,一共是61件: the whole, the part left out in it
	}
	return a.addsLater(c, fig) || a.increments(c, fig) || a.newKind(m)
}

// newKind reports whether m names a kind of its fact's total that none of
// the words the told value came from names (中期票据 after 公司债1.5亿):
// another part. A kind told already is restated or corrected, not added.
func (a *analysis) newKind(m Mention) bool {
	f, ok := a.r.cat.Lookup(m.Key)
	said := a.ctx.Said[m.Key]
	if !ok || len(f.Parts) == 0 || said == "" {
		return false
	}
	mine := -1
	for k, words := range f.Parts {
		if containsAny(m.Text, words) {
			mine = k
			break
		}
	}
	return mine >= 0 && !containsAny(said, f.Parts[mine]) && slices.ContainsFunc(f.Parts, func(words []string) bool { return containsAny(said, words) })
}

// addedToEarlier returns m added to the value of its fact said in an earlier
// turn when the words before it say it is another part (后来又发了5000万的
// 公司债, after 中期票据1.5亿), with a note of the sum; m otherwise.
func (a *analysis) addedToEarlier(m Mention) Mention {
	old, ok := toFloat(a.ctx.Values[m.Key])
	if !ok || !a.laterPart(m) {
		return m
	}
	f, ok := a.r.cat.Lookup(m.Key)
	if !ok {
		return m
	}
	sum := m
	switch x := m.Value.(type) {
	case int64:
		sum.Value = x + int64(old)
	case float64:
		sum.Value = x + old
	default:
		return m
	}
	if a.r.cat.Accepts(m.Key, sum.Value) != nil {
		return m
	}
	sum.Note = "与此前所说的" + matcher.FormatFact(f, toValue(f, old)) + "合计" + matcher.FormatFact(f, sum.Value)
	return sum
}

// toValue is a stored number as the value kind of f.
func toValue(f *matcher.Fact, v float64) any {
	if f.Kind == matcher.KindMoney {
		return int64(v)
	}
	return v
}

// otherParties open a clause about someone other than the applicant
// (隔壁公司营收10亿); hypotheticals one about what is not so (如果营收过了
// 10亿). Facts read there are not the applicant's.
var (
	otherParties = []string{
		"隔壁", "朋友", "同行", "别人", "别的企业", "别家", "人家", "竞争对手", "对手", "供应商", "另一家", "有家",
		"有的企业", "有企业", "有些企业", "听说", "表哥", "表姐", "亲戚", "老乡", "客户的", "我们的客户", "其他企业", "其他公司",
		"对面", "对门", "旁边那家", "附近那家", "邻居", "友商", "楼上那家", "楼下那家", "兄弟单位", "听人说", "据说",
	}
	// parentWords name the group a subsidiary belongs to; subsidiaryWords
	// say the speaker is one: 集团去年营收三百多亿 is then the group's.
	parentWords     = []string{"集团", "母公司", "总公司", "控股股东", "上级公司", "集团公司", "集团总部"}
	parentOnlyWords = []string{"母公司", "总公司", "控股股东", "上级公司", "母集团", "集团母公司"}
	subsidiaryWords = []string{"子公司", "分公司", "下属公司", "下属企业", "控股子公司", "分支机构", "区域总部"}
	// supposedEnds close a clause said as a supposition (在创业板上市的话)
	// or of what is not so yet (200万下个月才进来).
	supposedEnds = []string{"的话", "下个月才", "下月才", "明年才", "年底才"}
	// missingEnds close a clause about a sum that is not there (还有两百万
	// 没到位): no part of a total, and no supposition either.
	missingEnds   = []string{"没到位", "未到位", "没有到位", "没到账", "未到账", "没有到账"}
	missingLeads  = []string{"还有", "另有", "其中", "剩下", "剩", "有"}
	hypotheticals = []string{"如果", "假如", "要是", "假设", "万一", "倘若", "若是", "目标是", "争取", "希望", "打算做到", "想做到", "明年能", "明年要", "明年做到",
		"以后做到", "以后能做到", "以后要是", "将来做到", "到时候做到"}
	// laterAdverbs put what their own clause says in a later time (我们打算
	// 过两年冲创业板); unlike hypotheticals they do not reach the clauses
	// after them (将来打算上市,今年营收3个亿 states this year's revenue).
	laterAdverbs = []string{"将来", "今后", "到时候", "过两年", "过几年"}
)

// notSpeakers reports whether the candidate at pos lies in a sentence, up
// to it, that speaks of another party or of a supposition.
func (a *analysis) notSpeakers(pos int) bool {
	return a.notSpeakersBut(pos, true)
}

// levelMoved moves the value of a fact told before to the sibling a
// correction names instead, by the word its label differs in (说错了,是省级
// 的不是国家级: the 400万 of the national project is the provincial one's).
func (a *analysis) levelMoved() {
	if !a.correction || len(a.cands) > 0 {
		return
	}
	k := a.recentDenied()
	f, ok := a.r.cat.Lookup(k)
	old, told := toFloat(a.ctx.Values[k])
	if !ok || !told || f.Kind != matcher.KindMoney && f.Kind != matcher.KindNumber {
		return
	}
	word := LongestCommon(f.Label, strings.Join(deniedWords.FindAllString(a.s, -1), " "))
	rest := deniedWords.ReplaceAllString(a.s, " ")
	i := strings.LastIndex(rest, "是")
	if utf8.RuneCountInString(word) < 2 || i < 0 {
		return
	}
	said := []rune(strings.TrimSpace(rest[i+len("是"):]))
	for n := min(len(said), 6); n >= 1; n-- {
		g, ok := a.r.cat.LookupLabel(strings.Replace(f.Label, word, string(said[:n]), 1))
		if !ok || g.Key == k || g.Kind != f.Kind || g.Unit != f.Unit {
			continue
		}
		v := toValue(g, old)
		a.add(0, Mention{Key: g.Key, Value: v, Text: a.s, Note: f.Label + "更正为" + g.Label + ":" + matcher.FormatFact(g, v)})
		a.withdrawn = appendUnique(a.withdrawn, k)
		return
	}
}

// siblingSupposed returns, for a supposition that names only another level
// of a money fact told (要是市级的呢, after 省级科技计划项目400万), the
// figure told as that level's.
func (a *analysis) siblingSupposed() (Mention, bool) {
	if len(a.cands) > 0 || !a.containsAny(hypotheticals) || !strings.HasSuffix(strings.TrimRight(a.s, "?？。 "), "呢") {
		return Mention{}, false
	}
	for _, k := range a.ctx.Recent {
		f, ok := a.r.cat.Lookup(k)
		old, told := toFloat(a.ctx.Values[k])
		if !ok || !told || f.Kind != matcher.KindMoney {
			continue
		}
		for _, w := range levelWords {
			if !strings.Contains(f.Label, w) {
				continue
			}
			for _, other := range levelWords {
				if other == w || !strings.Contains(a.s, other) {
					continue
				}
				if g, ok := a.r.cat.LookupLabel(strings.Replace(f.Label, w, other, 1)); ok && g.Key != k {
					return Mention{Key: g.Key, Value: toValue(g, old), Text: a.s}, true
				}
			}
		}
	}
	return Mention{}, false
}

// levelWords are the levels of government a fact's label may name.
var levelWords = []string{"国家级", "省级", "市级", "区级", "县级"}

// formYesNo gives a yes/no fact read in a form's label the field's answer:
// 是否采矿、选矿或矿产初级加工项目:否 says it is not one, whatever the label's
// words would say alone.
func (a *analysis) formYesNo() {
	for k := range a.cands {
		c := &a.cands[k]
		if _, ok := c.m.Value.(bool); !ok || c.m.End <= 0 || c.m.End > len(a.s) {
			continue
		}
		lineEnd := strings.IndexByte(a.s[c.m.End:], '\n')
		if lineEnd < 0 {
			lineEnd = len(a.s)
		} else {
			lineEnd += c.m.End
		}
		rest := a.s[c.m.End:lineEnd]
		colon := strings.IndexByte(rest, ':')
		start := max(0, c.m.End-len(c.m.Text))
		label := a.s[strings.LastIndexByte(a.s[:start], '\n')+1:c.m.End] + rest[:max(colon, 0)]
		if colon < 0 || strings.ContainsAny(rest[:colon], ",;。") || strings.ContainsAny(label, " \t|/") || strings.Count(label, "是否") > 1 || strings.Count(label, ":") > 0 {
			continue // 所属产业:医药 是否采矿…:否 is two fields on a line
		}
		switch strings.TrimRight(strings.TrimSpace(rest[colon+1:]), "。.") {
		case "否", "不是", "无", "没有", "非", "不", "未":
			c.m.Value = false
		case "是", "有", "是的":
			c.m.Value = true
		}
	}
}

// leftOutOf reports whether the clause of a money figure names a part its
// fact leaves out (为非关联企业提供…的收入, of 500万是给母公司做的), where 非
// or 不是 before the word says it is not that part.
func (a *analysis) leftOutOf(c candidate) bool {
	f, ok := a.r.cat.Lookup(c.m.Key)
	if !ok || f.Kind != matcher.KindMoney || len(f.Excludes) == 0 {
		return false
	}
	cl := a.clauseAt(c.pos)
	text := a.s[cl.start:cl.end]
	for _, w := range f.Excludes {
		for from := 0; ; {
			i := strings.Index(text[from:], w)
			if i < 0 {
				break
			}
			at := from + i
			if before := text[:at]; !hasAnySuffix(before, "非", "无", "没", "不是", "没有") && !hasAnyPrefix(strings.TrimLeft(text, " "), "作为", "我们是", "我们作为") {
				return true // not 无关联企业, nor 作为集团子公司的研发平台
			}
			from = at + len(w)
		}
	}
	return false
}

// figureClause returns the words of a candidate's clause up to its end:
// those that say how its figure came about.
func (a *analysis) figureClause(c candidate) string {
	if c.m.End <= 0 || c.m.End > len(a.s) {
		return c.m.Text
	}
	return a.s[a.clauseAt(c.m.End-1).start:c.m.End]
}

// givenBy reports whether the words of a received figure say the giving
// (实缴了8个亿, 创投又投了80万) by a cue of the fact beyond a currency: 母
// 公司全球营收80亿美元 is the parent's own figure.
func givenBy(f *matcher.Fact, text string) bool {
	for _, w := range f.Cues {
		if utf8.RuneCountInString(w) >= 2 && w != "美元" && w != "美金" && strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// notSpeakersBut is notSpeakers, with another party's words counted only
// when parties is set.
func (a *analysis) notSpeakersBut(pos int, parties bool) bool {
	if a.ctx.Pending != "" && a.containsAny(proxyWords) {
		return false
	}
	start := a.sentenceStart(pos)
	for _, c := range a.clauses {
		if c.start <= pos && pos < c.end {
			break
		}
		if c.start >= start && a.clauseOpens(c, hypotheticals) {
			return true // 如果营收过了10亿,能拿多少: the supposition reaches on
		}
	}
	c := a.clauseAt(pos)
	if a.containsAny(proxyWords) {
		return false
	}
	return parties && a.windowHas(c.start, pos, otherParties) && !a.ctx.NewCase && !a.asksFor || a.windowHas(c.start, pos, hypotheticals) || a.windowHas(c.start, pos, laterAdverbs) ||
		a.laterOpens(c, pos) || a.supposedAfter(pos, c.end) || a.asksIncrement(c, pos) || a.missing(pos) || a.bodysMeasure(c) || a.askedOnceDone(c, pos) || a.inPlan(pos)
}

// expiryWords end what lasts: 证书明年才到期 says it lasts until then.
var expiryWords = []string{"到期", "过期", "失效", "届满"}

// supposedAfter reports whether one of supposedEnds follows pos in its
// clause, other than as the end of what lasts until then (高企证书2021年底
// 才到期 holds now).
func (a *analysis) supposedAfter(pos, end int) bool {
	for _, w := range supposedEnds {
		for from := pos; ; {
			i := a.index(from, end, w)
			if i < 0 {
				break
			}
			if !hasAnyPrefix(a.s[i+len(w):end], expiryWords...) {
				return true
			}
			from = i + len(w)
		}
	}
	return false
}

// askedOnceDone reports a question of what a deed not done yet would bring
// (上市了能奖多少): …了 then 能 or 可以 in a clause that asks, with no 已
// saying it is done.
func (a *analysis) askedOnceDone(c clause, pos int) bool {
	return c.question && a.windowHas(pos, c.end, []string{"了能", "了可以", "了还能", "了会"}) && !a.windowHas(c.start, c.end, []string{"已"})
}

// planWords open a plan: 筹备创业板上市 says what the speaker prepares.
var planWords = []string{"准备", "筹备", "计划", "打算", "拟"}

// inPlan reports whether the candidate at pos lies inside the words of
// another candidate that open with a plan (the board of 筹备创业板上市):
// what is planned is no fact of the speaker's yet.
func (a *analysis) inPlan(pos int) bool {
	for _, d := range a.cands {
		if d.pos < pos && pos < d.m.End && hasAnyPrefix(d.m.Text, planWords...) {
			return true
		}
	}
	return false
}

// asksIncrement reports whether clause c asks of a change to the figure at
// pos (那他每年多住一个月呢, 要是再多交1块钱税呢).
func (a *analysis) asksIncrement(c clause, pos int) bool {
	t := strings.TrimRight(a.s[c.start:c.end], " ?？")
	return a.increments(c, pos) && (c.question || strings.HasSuffix(t, "呢"))
}

// laterOpens reports whether clause c opens, before pos, with a later time
// (以后进了规上还能再拿吗); after a verb (落户以后) 以后 is only "after".
func (a *analysis) laterOpens(c clause, pos int) bool {
	return hasAnyPrefix(strings.TrimLeft(a.s[c.start:pos], " 那"), "以后", "等以后", "后面要是", "明年")
}

// pendingSupposed returns the deed the chat asked of, supposed by a
// question about what follows it (投产以后还有奖励吗, after 该项目是否已经投
// 产?): the deed's words without the marks of its aspect (已, 已经, 了),
// right before 以后 or 之后. Unasked, 出站以后留在南沙 may name a category
// or a deed done.
func (a *analysis) pendingSupposed() (Mention, bool) {
	if a.ctx.Pending == "" || !a.asksAnything() {
		return Mention{}, false
	}
	for _, i := range a.r.lex.keyOf[a.ctx.Pending] {
		c := &a.r.cues[i]
		if !c.deed || c.value == nil {
			continue
		}
		for _, w := range c.parts[len(c.parts)-1] {
			stem := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(w, "已经"), "已"), "了")
			if utf8.RuneCountInString(stem) < 2 {
				continue
			}
			for _, after := range []string{"以后", "之后"} {
				if j := strings.Index(a.s, stem+after); j >= 0 && !a.negatedAt(j, j+len(stem)) {
					return Mention{Key: c.key, Value: c.value, Text: stem + after, End: j + len(stem+after)}, true
				}
			}
		}
	}
	return Mention{}, false
}

// missing reports whether the figure at pos is a sum said to be not there
// (还有两百万没到位, 其中3000万还没到账): one of missingLeads just before it and
// one of missingEnds within a few characters after.
func (a *analysis) missing(pos int) bool {
	c := a.clauseAt(pos)
	return hasAnySuffix(a.s[runesBefore(a.s, c.start, pos, 3):pos], missingLeads...) &&
		a.windowHas(pos, runesAfter(a.s, pos, c.end, 10), missingEnds)
}

// bodysMeasure reports whether clause c speaks of another body's measure
// (省里对高新技术企业也有奖励): a body, 对 and what it has, and no first
// person after 对.
func (a *analysis) bodysMeasure(c clause) bool {
	t := a.s[c.start:c.end]
	for _, b := range []string{"省里对", "市里对", "区里对", "县里对", "国家对", "上级对"} {
		i := strings.Index(t, b)
		if i < 0 {
			continue
		}
		rest := t[i+len(b):]
		if !hasAnyPrefix(rest, "我", "咱") && containsAny(rest, []string{"有奖励", "有补贴", "有补助", "有政策", "有扶持"}) {
			return true
		}
	}
	return false
}

// parentsFigure reports whether a figure is the group's of a speaker who
// says it is a subsidiary, not the speaker's (我们这个子公司…集团去年营收三
// 百多亿). The group's rank is not (集团在500强榜上 counts for 直接控股子公司).
func (a *analysis) parentsFigure(cd candidate) bool {
	if f, ok := a.r.cat.Lookup(cd.m.Key); !ok || f.Kind != matcher.KindMoney && f.Kind != matcher.KindNumber {
		return false
	}
	c := a.clauseAt(cd.pos)
	if a.windowHas(c.start, cd.pos, firstPersonWords) || a.windowHas(c.start, cd.pos, subsidiaryWords) {
		return false
	}
	// 母公司全球营收80亿美元: the word says whose; 集团 only when the speaker
	// says it is a subsidiary (我们集团 is the speaker).
	return a.windowHas(c.start, cd.pos, parentOnlyWords) || a.containsAny(subsidiaryWords) && a.windowHas(c.start, cd.pos, parentWords)
}

// asksAnything reports whether a clause of the message asks.
func (a *analysis) asksAnything() bool {
	return slices.ContainsFunc(a.clauses, func(c clause) bool { return c.question })
}

// supposition reports whether the candidate at pos is said as a supposition
// of the speaker's (要是明年进了创新层), not of another party.
func (a *analysis) supposition(pos int) bool {
	c := a.clauseAt(pos)
	if a.windowHas(c.start, pos, otherParties) {
		return false
	}
	if a.windowHas(c.start, pos, hypotheticals) || a.windowHas(c.start, pos, laterAdverbs) || a.windowHas(pos, c.end, supposedEnds) {
		return true
	}
	if a.asksIncrement(c, pos) || a.askedOnceDone(c, pos) || a.inPlan(pos) {
		return true // 那他每年多住一个月呢 supposes a change
	}
	if a.laterOpens(c, pos) {
		return true
	}
	start := a.sentenceStart(pos)
	for _, x := range a.clauses {
		if x.start <= pos && pos < x.end {
			break
		}
		if x.start >= start && a.clauseOpens(x, hypotheticals) {
			return true
		}
	}
	return false
}

// clauseOpens reports whether clause c holds one of words.
func (a *analysis) clauseOpens(c clause, words []string) bool {
	return a.windowHas(c.start, c.end, words)
}

// bothBounds returns one mention for two bounds of one figure said
// together (超过了八千万,但从来没到过一个亿): the range both allow, when
// they overlap and no correction is made.
func (a *analysis) bothBounds(prev, next Mention) (Mention, bool) {
	if prev.Range == nil || next.Range == nil || a.correction {
		return Mention{}, false
	}
	lo, hi := max(prev.Range.Lo, next.Range.Lo), min(prev.Range.Hi, next.Range.Hi)
	if lo > hi || lo == prev.Range.Lo && hi == prev.Range.Hi || lo == next.Range.Lo && hi == next.Range.Hi {
		return Mention{}, false // no overlap, or one says all the other does
	}
	m := next
	m.Range = &Range{lo, hi}
	m.Value = prev.Value
	if x, ok := toFloat(prev.Value); ok && (x < lo || x > hi) {
		m.Value = next.Value
	}
	m.Text = prev.Text + "," + next.Text
	f, _ := a.r.cat.Lookup(m.Key)
	m.Bounds = rangeWords(f, prev.Value, *prev.Range) + "、" + rangeWords(f, next.Value, *next.Range)
	return m, true
}

// normalize folds full-width ASCII (１２亿, ，) to ASCII, so that one set of
// patterns reads both, and invalid UTF-8 to U+FFFD.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(0)
	for _, r := range s {
		if r == '，' && prev >= '0' && prev <= '9' {
			// 1亿2，150万 is two figures: a full-width comma never groups
			// thousands, so it is kept apart from the digits.
			b.WriteString(", ")
			prev = ' '
			continue
		}
		if r == '几' && (prev >= '0' && prev <= '9' || prev >= '０' && prev <= '９') {
			// 150几个亿, 30几万: 几 after digits is the 多 of 150多个亿, the
			// next digit unsaid.
			r = '多'
		}
		prev = r
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000 || r == '\t':
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// isPunct reports whether r separates words. The minus sign is not one, so
// that -5亿 is never read as 5亿.
func isPunct(r rune) bool {
	return strings.ContainsRune(",.。;!?:、…~()“”\"'《》【】\n\r ", r)
}

// formFieldNext reports whether s opens a form's next field (类型:…), as
// after the slash of 企业名称:…/类型:…; the slash of 100元/亩 opens none.
func formFieldNext(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r == ':':
			return n > 0
		case r < utf8.RuneSelf || isPunct(r) || n >= 8:
			return false
		}
		n++
	}
	return false
}

// splitClauses cuts s at sentence punctuation, but not inside numbers: the
// comma of 1,200万 and the point of 1.05亿 or 十七.1 do not cut.
func (a *analysis) splitClauses() []clause {
	s := a.s
	for _, w := range questionWords {
		if a.may(w) {
			a.questionWords = append(a.questionWords, w)
		}
	}
	out := make([]clause, 0, 8)
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		cut := strings.ContainsRune(",。;!?\n\r…~|", r) || r == '.' || r == '/' && formFieldNext(s[i+size:])
		if r == ',' && i > 0 && s[i-1] >= '0' && s[i-1] <= '9' && isGroup(s, i+1) {
			cut = false
		}
		if r == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			cut = false
		}
		// People who type no punctuation separate phrases with spaces:
		// 生产性固定资产只有6000万 符合产业政策 两年内能投产.
		if r == ' ' && i > 0 && i+size < len(s) && spaceCuts(s[:i], s[i+size:]) {
			cut = true
		}
		if cut {
			if i > start {
				out = append(out, a.newClause(start, i, r == '?'))
			}
			start = i + size
		}
		i += size
	}
	if start < len(s) {
		out = append(out, a.newClause(start, len(s), false))
	}
	return out
}

// spaceCuts reports whether a space between before and after separates
// phrases: between Chinese words, and between a Chinese word and a Latin
// one or a number (发债 5000万, 3500w 前年, 8亿 profit), but not between a
// number and its unit (6 亿) or within a figure (2 亿 5000 万).
func spaceCuts(before, after string) bool {
	p, _ := utf8.DecodeLastRuneInString(before)
	n, _ := utf8.DecodeRuneInString(after)
	han := func(r rune) bool { return r >= utf8.RuneSelf }
	latin := func(r rune) bool { return r < utf8.RuneSelf && (isLetter(byte(r)) || r >= '0' && r <= '9') }
	switch {
	case han(p) && han(n):
		return !(strings.ContainsRune("亿万", p) && unitAfterSpace(after))
	case han(p) && latin(n):
		// 2 亿 5000 万 is one figure; 以前最高8亿 profit是正的 is two
		// phrases.
		return isLetter(byte(n)) || !strings.ContainsRune("亿万元块个千百十", p)
	case latin(p) && han(n):
		return !unitAfterSpace(after)
	}
	return false
}

func (a *analysis) newClause(start, end int, mark bool) clause {
	cl := a.s[start:end]
	// 节能量多少不清楚 says what is not known; it asks nothing.
	// 怎么也有6个亿 says at least; it asks nothing.
	// 好几年前, 前几年, 十几个 and 派了几个 count, they do not ask.
	// 区里给钱不: a 不 closing a clause asks, as 吗 does.
	asks := (containsAny(notAsking.Replace(cl), a.questionWords) || aNotA(cl) || strings.HasSuffix(strings.TrimRight(cl, " ?"), "不")) && !hasDecline(cl)
	return clause{start: start, end: end, question: mark || asks}
}

// clauseAt returns the clause holding offset i.
func (a *analysis) clauseAt(i int) clause {
	for _, c := range a.clauses {
		if i >= c.start && i < c.end {
			return c
		}
	}
	return clause{start: i, end: i}
}

// questionWords mark a clause as asking rather than stating.
var questionWords = []string{
	"吗", "么", "呢", "多少", "哪些", "哪个", "哪里", "哪儿", "在哪", "去哪", "到哪", "哪办", "怎么", "如何", "是否", "有没有", "能不能",
	"可不可以", "是不是", "会不会", "行不行", "够不够", "啥", "咋", "几",
	// 是哪六个, 找哪家, 哪级财政: 哪 with what it picks.
	"哪一", "哪两", "哪三", "哪四", "哪五", "哪六", "哪七", "哪八", "哪九", "哪十", "哪家", "哪级", "哪类", "哪种", "哪条", "哪项",
	"哪天", "哪年", "哪月", "哪位", "哪部门", "哪块",
}

// notAsking removes the words that hold a question word but ask nothing.
var notAsking = strings.NewReplacer("怎么也", "", "了几", "", "怎么都", "", "好几", "", "这几", "", "那几", "", "十几", "", "几十", "", "几百", "", "几千", "", "几万", "", "前几年", "", "近几年", "", "这些年", "", "前些年", "", "过去几年", "")

// aNotA reports the question form X不X or X没X (给不给, 补不补, 有没有).
func aNotA(s string) bool {
	var p3, p2, p1 rune
	for _, r := range s {
		// 不对不对 denies twice: the X of X不X has no 不 before it.
		if (p1 == '不' || p1 == '没') && p2 == r && r != '不' && r != '没' && p3 != '不' && p3 != '没' {
			return true
		}
		p3, p2, p1 = p2, p1, r
	}
	return false
}

// firstPersonWords make a statement about the user.
var firstPersonWords = []string{
	"我们", "我这边", "我方", "我司", "本公司", "咱们", "咱", "我公司", "我厂", "本企业", "我单位", "本单位", "我园", "本园区",
	"我县", "本县", "我区", "我行", "本行", "本人", "我是", "我在", "我的", "我有", "我已", "我家",
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// runesBefore returns the offset n runes before i, not before from.
func runesBefore(s string, from, i, n int) int {
	for ; n > 0 && i > from; n-- {
		_, size := utf8.DecodeLastRuneInString(s[from:i])
		i -= size
	}
	return i
}

// runesAfter returns the offset n runes after i, not after to.
func runesAfter(s string, i, to, n int) int {
	for ; n > 0 && i < to; n-- {
		_, size := utf8.DecodeRuneInString(s[i:to])
		i += size
	}
	return i
}

// correctionWords say that the message replaces what was said before.
var correctionWords = []string{
	"说错了", "说错", "更正", "纠正", "改一下", "改成", "改为", "搞错", "弄错", "口误", "写错", "打错",
	"刚才说的不对", "错了", "修改一下", "重新说", "刚才那个数", "刚才的数", "刚才那个数字", "那个数不对",
	"搞混", "弄混", "记混", "记错", "看错", "看成", "说反", "搞反",
	// 不好意思,是58件: an apology that goes on with what is so.
	"不好意思,是", "不好意思,应该是", "抱歉,是", "抱歉,应该是", "不好意思,其实是", "抱歉,其实是",
	// 103亿含了两家还没入规的企业,去掉以后是99亿: what is left once a part
	// comes off replaces the figure.
	"去掉以后", "去掉后", "扣掉以后", "扣掉后", "扣除以后", "扣除后", "剔除以后", "剔除后", "刨去",
	"说多了", "说少了", "多说了", "算多了", "算少了", "多算了", "少算了", "报多了", "报少了",
}

// hasCorrection reports a correction. 不对 counts only at the start of a
// clause with more said after it (不对,去年是9.5亿), and 不是 only as 不是…,是…
// or 不是…而是…: alone they answer a yes/no question.
func hasCorrection(s string) bool {
	if containsAny(s, correctionWords) {
		return true
	}
	// 应该是8年 corrects a figure; 应该是吧 answers with doubt, and so does
	// 应该是盈利的,利润有一千二百万左右: the figure must follow at once.
	if i := strings.Index(s, "应该是"); i >= 0 {
		rest := strings.TrimLeft(s[i+len("应该是"):], " ")
		rest = rest[prefixLen(rest, "有", "在", "大概", "差不多", "约"):]
		if startsNumeralAt(rest) {
			return true
		}
	}
	if i := strings.Index(s, "不对"); i >= 0 && (atClauseStart(s, i) || hasAnySuffix(s[:i], "哦", "啊", "嗯", "呃", "额")) {
		rest := strings.TrimLeftFunc(s[i+len("不对"):], isPunct)
		if rest != "" {
			return true
		}
	}
	if i := strings.Index(s, "不是"); i >= 0 && atClauseStart(s, i) || i > 0 && strings.HasSuffix(s[:i], "们") {
		rest := s[i+len("不是"):]
		if j := strings.Index(rest, "是"); j > 0 && strings.IndexFunc(rest[:j], func(r rune) bool { return startsNumeral(r) }) >= 0 {
			return true // 不是9亿是10.5亿
		}
		return strings.Contains(rest, "而是") || strings.Contains(rest, ",是")
	}
	return false
}

// atClauseStart reports whether s[i:] starts a clause.
func atClauseStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isPunct(r)
}

// runeSet records which characters a message holds, so that a word with a
// character the message lacks is rejected by a bit test instead of a
// substring search: most of the word lists are absent from any one message.
type runeSet struct {
	ascii [2]uint64
	cjk   [(0xA000 - 0x4E00) / 64]uint64 // CJK Unified Ideographs
}

func (rs *runeSet) add(s string) {
	for _, r := range s {
		switch {
		case r < 0x80:
			rs.ascii[r/64] |= 1 << (r % 64)
		case r >= 0x4E00 && r < 0xA000:
			r -= 0x4E00
			rs.cjk[r/64] |= 1 << (r % 64)
		}
	}
}

// has reports whether r may be in the message; runes outside the two
// tracked ranges always may.
func (rs *runeSet) has(r rune) bool {
	switch {
	case r < 0x80:
		return rs.ascii[r/64]&(1<<(r%64)) != 0
	case r >= 0x4E00 && r < 0xA000:
		r -= 0x4E00
		return rs.cjk[r/64]&(1<<(r%64)) != 0
	}
	return true
}

// may reports whether w may occur in the message: false when one of its
// characters is missing.
func (a *analysis) may(w string) bool {
	for _, r := range w {
		if !a.runes.has(r) {
			return false
		}
	}
	return true
}

// contains reports whether the message holds w.
func (a *analysis) contains(w string) bool { return a.may(w) && strings.Contains(a.s, w) }

// containsAny reports whether the message holds any of words.
func (a *analysis) containsAny(words []string) bool {
	for _, w := range words {
		if a.contains(w) {
			return true
		}
	}
	return false
}

// index returns the first offset of w in s[from:to] as an offset of s, or -1.
func (a *analysis) index(from, to int, w string) int {
	if from >= to || !a.may(w) {
		return -1
	}
	if i := strings.Index(a.s[from:to], w); i >= 0 {
		return from + i
	}
	return -1
}

// lastIndex returns the last offset of w in s[from:to] as an offset of s, or -1.
func (a *analysis) lastIndex(from, to int, w string) int {
	if from >= to || !a.may(w) {
		return -1
	}
	if i := strings.LastIndex(a.s[from:to], w); i >= 0 {
		return from + i
	}
	return -1
}

func appendUnique[T comparable](s []T, vals ...T) []T {
	for _, v := range vals {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}

// optionRank is the place of an enum's value among its options, lowest first.
func optionRank(f *matcher.Fact, v any) int {
	return slices.IndexFunc(f.Options, func(o matcher.Option) bool { return o.Value == v })
}
