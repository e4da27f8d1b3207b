package kb

import (
	"maps"
	"math"
	mathbits "math/bits"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Coverage returns the share of the question that the hit's clause holds,
// from 0 to 1: the question's characters, less stop words, each weighed by
// how rare it is among the clauses (its IDF), and each held when the
// clause's text, title or section heading holds a word pair of the question
// it is part of, or a document word of a synonym the question says. A place
// the question names that is the clause's own (its document's area or title)
// counts neither way. Unlike Score, it does not grow with the corpus or the
// length of the question. It is measured on the first call, in some
// microseconds, so that a search that does not ask pays nothing; a Hit not
// made by Search has Coverage 0.
func (h Hit) Coverage() float64 {
	if h.asked == nil {
		return 0
	}
	q := h.asked.question()
	return h.asked.ix.coverageOf(q, h.at, make([]int8, len(q.terms)))
}

// Relevant reports whether the hit's Coverage reaches RelevanceFloor:
// whether the clause is about what was asked rather than sharing a word or
// two with it. When no hit of a question is relevant, the library does not
// cover it.
func (h Hit) Relevant() bool { return h.Coverage() >= RelevanceFloor }

// asked is a question as Search asked it, prepared for Coverage on first
// use; once guards q.
type asked struct {
	ix   *Index
	said said
	once sync.Once
	q    *question
	// searched is the words as searched (words, or the question itself
	// without clean-up), extra and own the synonyms searched besides, and
	// terms the word pairs of all of them, which Highlight marks.
	searched  string
	extra     []string
	own       map[string][]string
	termsOnce sync.Once
	terms     []string
}

// matched returns the word pairs the search matched, worked out once for
// all its hits and only if one is highlighted.
func (a *asked) matched() []string {
	a.termsOnce.Do(func() {
		a.terms = bigrams(a.searched)
		for _, w := range a.extra {
			a.terms = append(a.terms, bigrams(w)...)
		}
		for _, ws := range a.own {
			for _, w := range ws {
				a.terms = append(a.terms, bigrams(w)...)
			}
		}
	})
	return a.terms
}

func (a *asked) question() *question {
	a.once.Do(func() { a.q = a.ix.prepare(a.said) })
	return a.q
}

// RelevanceFloor is the least Coverage of a hit that answers its question.
// Below it the clause shares a word or two with the question but is about
// something else, and the library does not cover what was asked: the chat
// should say so and offer a person rather than quote the clause. It was
// calibrated on the question sets of kb/testdata (BENCHMARKS.md, "A
// relevance floor").
const RelevanceFloor = 0.51

// coverage holds the choices of how Coverage is measured, each off in the
// default; BENCHMARKS.md compares them.
type coverage struct {
	// pairs weighs each word pair of the question, as BM25 does, instead of
	// each character: a pair that straddles two words ("金有" of 公积金有)
	// is in no clause, so every question loses weight to such pairs.
	pairs bool
	// noStop keeps the question's stop words (我, 能, 给, 公司, 申请…).
	noStop bool
	// noDocWords leaves out the words of the clause's document title and
	// area, so that a place the question names (柳河, 南沙) counts against
	// the clauses of that place's own documents.
	noDocWords bool
}

// stopWords say nothing about what a question is about, beyond the fillers
// CleanQuery removes: pronouns, modal and light verbs, degree and time
// words, measure words, and the generic 公司, 政府, 申请 that every
// question may use. A one-character stop word counts where it stands alone:
// 个 is a stop word in 上了个新项目 but not in 个人, a word pair the library
// holds.
var stopWords = sortedLongestFirst([]string{
	"我", "你", "他", "她", "它", "咱", "自己", "人家", "大家",
	"咋", "啥", "谁", "哪", "几", "多久", "多长", "多大", "怎",
	"不", "没", "没有", "有", "是", "要", "想", "能", "会", "可", "该", "应该",
	"给", "拿", "领", "搞", "弄", "办", "做", "去", "来", "到", "用", "把", "被", "让", "找", "送", "帮", "帮忙", "请",
	"太", "很", "最", "更", "还", "也", "都", "就", "又", "再", "才", "刚", "已经",
	"现在", "今年", "去年", "每年", "一般", "时候", "以后", "之后", "然后", "怎么办",
	"听说", "打算", "到底", "大概", "主要", "一下", "或者", "属于",
	"这种", "这边", "那边", "过来",
	"个", "点", "些", "一个", "一些", "多", "少", "块", "钱", "多少钱",
	"这", "那", "这个", "那个", "这里", "那里", "里", "上", "下",
	"了", "着", "过", "和", "与", "或", "及", "对", "从", "在",
	"公司", "企业", "单位", "政府", "厂里", "市里", "区里", "县里", "省里", "申请", "办理", "需要", "要求",
	// The same in the English that enterprises mix in (can I apply
	// permanent residence), each a stop word only as a whole word.
	"i", "we", "you", "he", "she", "they", "my", "our", "your", "me", "us",
	"can", "could", "will", "would", "should", "may", "do", "does", "did", "is", "are", "am", "be",
	"have", "has", "get", "got", "apply", "want", "need",
	"a", "an", "the", "this", "that", "there", "any", "some",
	"to", "for", "of", "in", "on", "at", "from", "with", "and", "or", "if",
	"how", "what", "which", "who", "when", "where", "much", "many",
	"company", "companies", "please",
})

// stopIndex holds the stop words by their first character, longest first.
var stopIndex = byFirstRune(stopWords)

// byFirstRune returns words by their first character, in the order given.
func byFirstRune(words []string) map[rune][]string {
	m := map[rune][]string{}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], w)
	}
	return m
}

// sayWord is a spoken word of the synonym table and the index of its entry.
type sayWord struct {
	word  string
	entry int
}

// indexSynonyms files the spoken words of the synonym table by their first
// character, so that a question is read once for them.
func (ix *Index) indexSynonyms() {
	ix.says = map[rune][]sayWord{}
	for i, e := range ix.synonyms {
		for _, w := range e.Say {
			r, _ := utf8.DecodeRuneInString(w)
			ix.says[r] = append(ix.says[r], sayWord{w, i})
		}
	}
}

// spokenEntries returns which entries of the synonym table the folded
// question text says one of the spoken words of, by index in the table.
func (ix *Index) spokenEntries(text string) []bool {
	said := make([]bool, len(ix.synonyms))
	for a, r := range text {
		for _, say := range ix.says[r] {
			if !said[say.entry] && spokenAt(text, a, say.word) != nil {
				said[say.entry] = true
			}
		}
	}
	return said
}

// question is a cleaned question prepared for measuring the coverage of
// clauses: its informative units and the strings a clause must hold to
// cover each.
type question struct {
	units []unit
	// terms are what a clause is looked up for: the question's word pairs,
	// lone characters and letter or digit tokens, and the document words of
	// the synonyms it speaks of.
	terms []term
	total float64 // the weight of all units
}

// unit is one character of the question, or one token of letters or digits.
type unit struct {
	// w is the unit's weight, and miss what it weighs in a clause that
	// does not hold it: less for a figure, the same for all else.
	w, miss float64
	// terms index question.terms: the unit is covered when the clause holds
	// one of them.
	terms []int
	// synonyms lists the synonym entries whose spoken word the unit is part
	// of, each with the indices of its document words in question.terms.
	synonyms []synonymTerms
}

// term0 is a term's identity.
type term0 struct {
	s    string
	word bool
}

type synonymTerms struct {
	doc   string // "" for a shared entry
	terms []int
}

type term struct {
	s string
	// word is set for a token of letters or digits, which must not be part
	// of a longer one in the clause (5 is not in 500).
	word bool
	// grams are the hashes a clause's grams must all have for it to hold
	// the term; none where they cannot tell.
	grams []uint64
}

// prepare measures the units of the cleaned question against the
// library: the weight of each and the terms that cover it.
func (ix *Index) prepare(sd said) *question {
	words := sd.words
	q := &question{}
	index := map[term0]int{}
	termOf := func(t term) int {
		k := term0{t.s, t.word}
		if i, ok := index[k]; ok {
			return i
		}
		index[k] = len(q.terms)
		t.grams = gramsOf(t)
		q.terms = append(q.terms, t)
		return len(q.terms) - 1
	}
	toks := ix.analyzer.Analyze([]byte(words))
	stop := ix.stopMask(words, toks)
	n := len(ix.clauses)
	// The units, in the order of the question: chars maps the byte offset
	// of each CJK character to its unit.
	chars := make([]int, len(words))
	for i := range chars {
		chars[i] = -1
	}
	for _, tok := range toks {
		t := string(tok.Term)
		if !isCJK(tok.Type) {
			if !stop[tok.Start] {
				w := idf(min(ix.df[t], n), n)
				miss := w
				if isFigure(t) {
					// A figure the question states is of the asker's
					// case (交了3000万的税), which the clause measures
					// against figures of its own: held, it is the
					// clause's word; not held, it weighs no more than
					// any figure does.
					miss = min(w, idf(ix.figures, n))
				}
				// A synonym said at the token's start covers it (ipo).
				chars[tok.Start] = len(q.units)
				q.units = append(q.units, unit{w: w, miss: miss, terms: []int{termOf(term{s: t, word: true})}})
			}
			continue
		}
		ti := termOf(term{s: t})
		if ix.tuning.coverage.pairs {
			if !stop[tok.Start] && !stop[tok.End-1] {
				w := idf(min(ix.df[t], n), n)
				q.units = append(q.units, unit{w: w, miss: w, terms: []int{ti}})
			}
			continue
		}
		for off := tok.Start; off < tok.End; {
			r, size := utf8.DecodeRuneInString(words[off:])
			if chars[off] < 0 && !stop[off] {
				chars[off] = len(q.units)
				w := idf(ix.chars[r], n)
				q.units = append(q.units, unit{w: w, miss: w})
			}
			if u := chars[off]; u >= 0 {
				q.units[u].terms = append(q.units[u].terms, ti)
			}
			off += size
		}
	}
	// A unit within a spoken word of the synonym table, as the question
	// says it, is covered by a clause that holds one of that entry's
	// document words.
	var lacks []int
	for a, r := range sd.text {
		for _, say := range ix.says[r] {
			spans := spokenAt(sd.text, a, say.word)
			if spans == nil {
				continue
			}
			e := &ix.synonyms[say.entry]
			if e.Lacks {
				for _, sp := range spans {
					for off := sp[0]; off < sp[1]; off++ {
						if w := sd.at[off]; w >= 0 && chars[w] >= 0 {
							lacks = append(lacks, chars[w])
						}
					}
				}
				continue
			}
			st := synonymTerms{doc: e.Doc}
			for _, m := range e.Means {
				st.terms = append(st.terms, termOf(term{s: foldCase(m)}))
			}
			for _, sp := range spans {
				for off := sp[0]; off < sp[1]; off++ {
					if w := sd.at[off]; w >= 0 {
						if u := chars[w]; u >= 0 {
							q.units[u].synonyms = append(q.units[u].synonyms, st)
						}
					}
				}
			}
		}
	}
	// What the library lacks weighs as a character no clause holds, and no
	// clause covers it.
	for _, u := range lacks {
		w := idf(0, n)
		q.units[u] = unit{w: w, miss: w}
	}
	for _, u := range q.units {
		q.total += u.w
	}
	return q
}

// stopMask marks the bytes of words that belong to a stop word.
func (ix *Index) stopMask(words string, toks analysis.TokenStream) []bool {
	if ix.tuning.coverage.noStop {
		return make([]bool, len(words)+1)
	}
	stop := make([]bool, len(words)+1)
	// The longer stop words first, then the one-character ones, which
	// count where a word pair the library holds joins them to a neighbour
	// that is no stop word: 个人 and 上市 are words, but 府给 of 政府给 is
	// only two words side by side, however many clauses say 政府给予.
	single := make([]bool, len(words)+1)
	for a, r := range words {
		if stop[a] {
			continue
		}
		for _, w := range stopIndex[r] {
			if !strings.HasPrefix(words[a:], w) || !wordEdges(words, a, a+len(w)) {
				continue
			}
			if utf8.RuneCountInString(w) == 1 {
				single[a] = true
				break
			}
			for i := a; i < a+len(w); i++ {
				stop[i] = true
			}
			break
		}
	}
	// A place name is a word of its own: a pair that runs into it from
	// outside (在南 of 在南沙) joins two words, however many clauses say
	// 在南沙.
	var edge []bool
	if ix.gaz != nil {
		for _, m := range ix.gaz.Find(words) {
			if m.Derived {
				continue
			}
			if edge == nil {
				edge = make([]bool, len(words)+1)
			}
			edge[m.Start], edge[m.End] = true, true
		}
	}
	// inPair reports whether a word pair the library holds joins the
	// character at [a, b) to a neighbour that is no stop word.
	inPair := func(a, b int) bool {
		for _, tok := range toks {
			if tok.Type != analysis.Double || tok.Start >= b || tok.End <= a || ix.df[string(tok.Term)] == 0 {
				continue
			}
			other, between := tok.Start, a
			if other == a {
				other, between = b, b
			}
			if !stop[other] && !single[other] && (edge == nil || !edge[between]) {
				return true
			}
		}
		return false
	}
	for a := range words {
		if single[a] && !stop[a] {
			_, size := utf8.DecodeRuneInString(words[a:])
			if !inPair(a, a+size) {
				for i := a; i < a+size; i++ {
					stop[i] = true
				}
			}
		}
	}
	return stop
}

// coverageOf returns the share of the question's weight that clause i
// holds. held is scratch space of len(q.terms): per term, 0 not yet looked
// up, 1 in the clause, 2 only in its document's title or area, -1 nowhere.
func (ix *Index) coverageOf(q *question, i int, held []int8) float64 {
	if q.total == 0 {
		return 0
	}
	clear(held)
	fields := ix.fieldsOf(i)
	g := ix.grams[i]
	has := func(t int) bool {
		if held[t] == 0 {
			held[t] = -1
			if !g.mayHold(q.terms[t]) {
				return false
			}
			if holds(fields[:3], q.terms[t]) {
				held[t] = 1
			} else if holds(fields[3:], q.terms[t]) {
				held[t] = 2
			}
		}
		return held[t] == 1
	}
	doc := ix.clauses[i].DocID
	var got float64
	total := q.total
units:
	for _, u := range q.units {
		for _, t := range u.terms {
			if has(t) {
				got += u.w
				continue units
			}
		}
		for _, s := range u.synonyms {
			if s.doc != "" && s.doc != doc {
				continue
			}
			for _, t := range s.terms {
				if has(t) {
					got += u.w
					continue units
				}
			}
		}
		// A place the question names that is the clause's own, its
		// document's area or title, says neither that the clause is about
		// the question nor that it is not.
		for _, t := range u.terms {
			if held[t] == 2 {
				total -= u.w
				continue units
			}
		}
		total -= u.w - u.miss
	}
	if total <= 0 {
		return 0
	}
	return got / total
}

// holds reports whether one of fields contains t.
func holds(fields []string, t term) bool {
	for _, f := range fields {
		if t.word && containsWord(f, t.s) || !t.word && strings.Contains(f, t.s) {
			return true
		}
	}
	return false
}

// fieldsOf returns what coverage looks in for clause i, folded as
// CleanQuery folds a question: its text, title and section heading, and
// its document's title and area.
func (ix *Index) fieldsOf(i int) [5]string {
	if f, ok := ix.folded[i]; ok {
		return f
	}
	return ix.rawFieldsOf(i)
}

// rawFieldsOf returns the fields of fieldsOf before folding.
func (ix *Index) rawFieldsOf(i int) [5]string {
	c := ix.clauses[i]
	f := [5]string{c.Text, c.Title, c.Section}
	if !ix.tuning.coverage.noDocWords {
		f[3], f[4] = c.DocTitle, ix.areas[c.DocID]
	}
	return f
}

// prepareClauses folds the fields of every clause as CleanQuery folds a
// question, keeps a copy of those that folding changes (capitals,
// full-width brackets), and only of those, files what each clause holds in
// its grams, and counts the clauses that hold each character in their
// text, title or heading. The clauses are shared out among the cores: at
// 100,000 clauses this is a second's work for one.
func (ix *Index) prepareClauses() {
	n := len(ix.clauses)
	ix.grams = make([]grams, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/1000))
	parts := make([]clauseCounts, workers)
	var wg sync.WaitGroup
	for w := range parts {
		wg.Go(func() { parts[w] = ix.prepareRange(w*n/workers, (w+1)*n/workers) })
	}
	wg.Wait()
	for _, p := range parts {
		for r, k := range p.bmp {
			if k > 0 {
				ix.chars[rune(r)] += int(k)
			}
		}
		for r, k := range p.other {
			ix.chars[r] += k
		}
		maps.Copy(ix.folded, p.folded)
		ix.figures += p.figures
	}
}

// clauseCounts is what prepareRange found in its clauses: how many hold
// each character, in an array for the Basic Multilingual Plane (where
// nearly all are) and a map beyond it, and the folded fields that folding
// changed.
type clauseCounts struct {
	bmp     []int32
	other   map[rune]int
	folded  map[int][5]string
	figures int // clauses that hold a digit
}

// prepareRange prepares the clauses from i to end for prepareClauses,
// writing their grams; it returns their counts.
func (ix *Index) prepareRange(i, end int) clauseCounts {
	p := clauseCounts{bmp: make([]int32, 1<<16), other: map[rune]int{}, folded: map[int][5]string{}}
	// last holds, for each character of the plane, the clause that counted
	// it last, plus one: a clause counts a character once.
	last := make([]int32, 1<<16)
	lastOther := map[rune]int{}
	for ; i < end; i++ {
		f := ix.rawFieldsOf(i)
		changed := false
		for k := range f {
			if g := foldCase(f[k]); g != f[k] {
				f[k], changed = g, true
			}
		}
		if changed {
			p.folded[i] = f
		}
		ix.grams[i] = newGrams(f[:])
		figure := false
		for _, field := range f[:3] {
			for _, r := range field {
				if '0' <= r && r <= '9' && !figure {
					figure = true
					p.figures++
				}
				switch {
				case r < 1<<16 && last[r] != int32(i+1):
					last[r] = int32(i + 1)
					p.bmp[r]++
				case r >= 1<<16 && lastOther[r] != i+1:
					lastOther[r] = i + 1
					p.other[r]++
				}
			}
		}
	}
	return p
}

// grams is a Bloom filter of the characters, pairs of adjacent characters
// and words of letters or digits of a clause: a question's term that it does
// not hold is not in the clause, and most are not, so holds (which reads
// the clause) runs only for the few it may hold.
type grams []uint64

// newGrams files what fields hold, at about four bits an entry.
func newGrams(fields []string) grams {
	n := 0
	for _, f := range fields {
		n += 2 * utf8.RuneCountInString(f)
	}
	g := make(grams, (4*n+63)/64+1)
	for _, f := range fields {
		eachGram(f, g.add)
	}
	return g
}

// eachGram calls add with the hash of each CJK character of s, each pair of
// adjacent CJK characters, and each run of ASCII letters and digits.
func eachGram(s string, add func(uint64)) {
	prev := rune(-1)
	word := -1
	for i, r := range s {
		if isWordRune(r) {
			if word < 0 {
				word = i
			}
		} else if word >= 0 {
			add(wordHash(s[word:i]))
			word = -1
		}
		if !isCJKRune(r) {
			prev = -1
			continue
		}
		add(gramHash(r, -1))
		if prev >= 0 {
			add(gramHash(prev, r))
		}
		prev = r
	}
	if word >= 0 {
		add(wordHash(s[word:]))
	}
}

// gramsOf returns the hashes of what a clause must hold to hold t.
func gramsOf(t term) []uint64 {
	if t.word {
		for _, r := range t.s {
			if !isWordRune(r) {
				return nil
			}
		}
		return []uint64{wordHash(t.s)}
	}
	var hs []uint64
	prev := rune(-1)
	for _, r := range t.s {
		if !isCJKRune(r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			hs = append(hs, gramHash(prev, r))
		}
		prev = r
	}
	if r, size := utf8.DecodeRuneInString(t.s); size == len(t.s) && isCJKRune(r) {
		hs = append(hs, gramHash(r, -1))
	}
	return hs
}

// mayHold reports whether the clause may hold t: false means it does not.
func (g grams) mayHold(t term) bool {
	for _, h := range t.grams {
		if !g.has(h) {
			return false
		}
	}
	return true
}

func (g grams) add(h uint64) {
	a, b := g.bits(h)
	g[a/64] |= 1 << (a % 64)
	g[b/64] |= 1 << (b % 64)
}

func (g grams) has(h uint64) bool {
	a, b := g.bits(h)
	return g[a/64]&(1<<(a%64)) != 0 && g[b/64]&(1<<(b%64)) != 0
}

// bits returns the two bits of h.
func (g grams) bits(h uint64) (uint64, uint64) {
	n := uint64(len(g)) * 64
	a, _ := mathbits.Mul64(h, n)
	h2 := h * 0x9E3779B97F4A7C15
	b, _ := mathbits.Mul64(h2^h2>>29, n)
	return a, b
}

func gramHash(a, b rune) uint64 {
	h := uint64(uint32(a))<<32 | uint64(uint32(b))
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

func wordHash(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return gramHash(rune(h), rune(h>>32)) ^ 0x5bd1e995
}

// isFigure reports whether the token t is a number written in digits.
func isFigure(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return t != ""
}

// isCJKRune reports whether the cjk analyzer pairs r with its neighbours.
func isCJKRune(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	case r < 0x2E80:
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// containsWord reports whether s holds w with no letter or digit just
// before or after it.
func containsWord(s, w string) bool {
	for from := 0; ; {
		k := strings.Index(s[from:], w)
		if k < 0 {
			return false
		}
		a, b := from+k, from+k+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:a])
		after, _ := utf8.DecodeRuneInString(s[b:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = a + 1
	}
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// isCJK reports whether the cjk analyzer made a token of CJK characters.
func isCJK(t analysis.TokenType) bool {
	return t == analysis.Double || t == analysis.Single || t == analysis.Ideographic
}

// idf is the inverse document frequency BM25 uses, of a word in df of n
// clauses.
func idf(df, n int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// foldCase folds full-width letters and digits and lowers case, as
// CleanQuery and the cjk analyzer do.
func foldCase(s string) string { return strings.Map(foldRune, s) }

func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r >= 0x3400 && r <= 0x9FFF:
		// CJK ideographs, most of any clause, have no case: this spares
		// them the search of Unicode's case tables.
		return r
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}
