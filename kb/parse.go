package kb

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cn is a Chinese numeral; the patterns take it greedily and
// ParseChineseNumeral decides whether it is one.
const cn = `[零一二三四五六七八九十百千两]+`

// The structure patterns run on a folded copy of each line (see fold), so
// they only need to know the ASCII forms.
var (
	divisionRE  = regexp.MustCompile(`^第\s*(` + cn + `|[0-9][0-9\s]*?)\s*([章节条])\s*`)
	partRE      = regexp.MustCompile(`^(` + cn + `)\s*、\s*`)
	sectionRE   = regexp.MustCompile(`^(\()?\s*(` + cn + `)\s*(\))?\s*`)
	itemRE      = regexp.MustCompile(`^([1-9][0-9]{0,2})\s*[.、]\s*`)
	subitemRE   = regexp.MustCompile(`^\(\s*[0-9]{1,3}\s*\)`)
	docNoRE     = regexp.MustCompile(`^\S+?\s*[\[(](\d{4})[\])]\s*\d+\s*号$`)
	publishedRE = regexp.MustCompile(`(?:发布者:\s*(.*?)\s*)?发布时间:\s*(\d{4})-(\d{1,2})-(\d{1,2})`)
	dateRE      = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`)
	// webRE matches what a web page puts around a text: navigation, page
	// counters, print buttons and the footer.
	webRE = regexp.MustCompile(`^(?:上一篇|下一篇|来源|传真|地址|电话|联系电话|邮编|邮政编码|主办|承办|网站标识码|字号|分享到)\s*:` +
		`|©|版权所有|版权归|ICP备|发布时间|浏览次数|打印本页|关闭窗口|^\[(?:打印|关闭|大|中|小)\]`)
	// titleRE matches a title line: a short line naming the kind of text.
	titleRE = regexp.MustCompile(`(?:意见|办法|措施|通知|细则|规定|方案)$`)
	// closingRE matches the final remarks of a text: when it takes effect,
	// for how long, who interprets it, what it repeals.
	closingRE = regexp.MustCompile(`有效期|施行|负责解释|解释权|废止`)
	// closingPartRE matches the heading of a document's closing provisions.
	closingPartRE = regexp.MustCompile(`附则|其他|其它|施行`)
)

// PieceKind is what a stretch of a policy text is.
type PieceKind string

// The kinds of piece. Only clause pieces make clauses; the others are what
// a skeleton lists as left out.
const (
	PieceTitle       PieceKind = "title"
	PieceDocNo       PieceKind = "doc_no"
	PiecePublication PieceKind = "publication"
	PiecePreamble    PieceKind = "preamble"
	PieceHeading     PieceKind = "heading"
	PieceClause      PieceKind = "clause"
	PieceDepartments PieceKind = "departments"
	// PieceText is unnumbered text that no rule places in an article, such as
	// a paragraph under a chapter heading before its first article.
	PieceText      PieceKind = "text"
	PieceClosing   PieceKind = "closing"
	PieceSignature PieceKind = "signature"
	PieceWeb       PieceKind = "web"
)

// Piece is one stretch of the input, as printed: its lines trimmed and
// joined by "\n".
type Piece struct {
	Kind PieceKind
	Line int // where it starts, 1-based
	Text string
	// Article is the clause a clause or departments piece belongs to. An
	// article's pieces need not be adjacent: a paragraph after the last item
	// of a list belongs to the article the list is in.
	Article string
}

// Skeleton is a parsed policy text: the document proposed from it and the
// whole input cut into pieces, so that what is not a clause can be shown.
type Skeleton struct {
	// DocID is the folder name the document will have; set by the caller,
	// WriteSkeleton names it.
	DocID    string
	Document *Document
	Pieces   []Piece
}

// Parse reads a policy text and proposes its document: clauses with the
// article ids of contract.md, the issuing number, title and issuer when the
// text shows them. It knows four layouts (see chooseLayout): sections (一)
// numbered through the text in parts 一、 (赣市府发〔2014〕26号), articles
// 第一条, parts 一、 holding the provisions, and sections restarting in each
// part. Every non-blank stretch of the input is one piece of the skeleton.
//
// It fails, naming the line, on an empty text, a text without any article, a
// duplicate article, a numbered item outside any article, an article whose
// text is nothing but its department list, and a bad publication date;
// anything else it cannot place is reported as a piece that is no clause.
//
// Clause texts are cut from the input as printed, with each line trimmed
// (see splitLines), so paragraphs are joined by "\n".
func Parse(r io.Reader) (*Skeleton, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("kb: parse: %w", err)
	}
	lines, text := splitLines(string(data))
	if len(lines) == 0 {
		return nil, fmt.Errorf("kb: parse: line 1: empty document")
	}
	p := &parser{text: text, lines: lines, seen: map[string]int{}, doc: &Document{}}
	p.toks = make([]token, len(lines))
	for i, ln := range lines {
		p.toks[i] = classify(ln)
	}
	body, err := p.preamble()
	if err != nil {
		return nil, err
	}
	if body == len(lines) {
		return nil, fmt.Errorf("kb: parse: line %d: no article", lines[len(lines)-1].no)
	}
	p.end = p.signature(body)
	p.layout = chooseLayout(p.toks[body:p.end])
	for i := body; i < len(lines); i++ {
		if err := p.line(i); err != nil {
			return nil, err
		}
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return &Skeleton{Document: p.doc, Pieces: p.pieces()}, nil
}

// line is one non-blank line of the input.
type line struct {
	no    int    // 1-based line number in the input
	text  string // as printed, without surrounding white space
	norm  string // text folded; see normalize
	off   []int  // offsets in text of the bytes of norm; see normalize
	start int    // offset of text in the canonical text
}

func (ln line) end() int { return ln.start + len(ln.text) }

// splitLines splits s at "\n" (so "\r\n" works too), trims every line of white
// space and of the BOMs and zero-width spaces that texts copied from web pages
// carry, and drops the blank ones. It also returns the canonical text, those
// lines joined by "\n", of which every piece is a substring.
func splitLines(s string) ([]line, string) {
	var (
		lines []line
		b     strings.Builder
	)
	for i, raw := range strings.Split(s, "\n") {
		t := strings.TrimFunc(raw, isBlank)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		norm, off := normalize(t)
		lines = append(lines, line{no: i + 1, text: t, norm: norm, off: off, start: b.Len()})
		b.WriteString(t)
	}
	return lines, b.String()
}

// isBlank reports whether r is trimmed off the ends of a line.
func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' }

// fold maps the full-width and variant forms that documents mix freely onto
// the ASCII forms the structure patterns expect.
func fold(r rune) rune {
	if r >= '０' && r <= '９' {
		return r - '０' + '0'
	}
	switch r {
	case '（':
		return '('
	case '）':
		return ')'
	case '〔', '【', '［':
		return '['
	case '〕', '】', '］':
		return ']'
	case '，':
		return ','
	case '．':
		return '.'
	case '：':
		return ':'
	case '；':
		return ';'
	case '\u3000':
		return ' '
	}
	return r
}

// normalize returns s folded, and for each byte of the result the offset in s
// of the character it came from, plus len(s), so that what a pattern finds in
// the folded copy can be cut from the text as printed.
func normalize(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	off := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n := b.Len()
		if f := fold(r); f != r {
			b.WriteRune(f)
		} else {
			b.WriteString(s[i : i+size])
		}
		for range b.Len() - n {
			off = append(off, i)
		}
		i += size
	}
	return b.String(), append(off, len(s))
}

// tokKind is what a line is, by how it starts.
type tokKind int

const (
	tPlain       tokKind = iota
	tChapter             // 第一章
	tSubchapter          // 第一节
	tArticle             // 第一条, 第 1 0 条
	tPart                // 一、
	tSection             // (一)
	tItem                // 1.
	tSubitem             // (1)
	tCircled             // ①
	tBullet              // ——
	tDepartments         // nothing but a department list
	tWeb                 // web-page residue
	tPublication         // 发布时间:2016-09-26
)

// token is a classified line: its kind, its number if it has one, and the
// offset in the line's text where the text after the number starts.
type token struct {
	kind tokKind
	num  int
	rest int
}

// classify says what ln is.
func classify(ln line) token {
	k, num, end := match(ln.norm)
	if k == tPlain || k == tWeb || k == tPublication || k == tDepartments {
		return token{kind: k}
	}
	// The patterns' \s knows only ASCII spaces.
	after := strings.TrimLeftFunc(ln.text[ln.off[end]:], isBlank)
	return token{kind: k, num: num, rest: len(ln.text) - len(after)}
}

// match recognises a folded line and returns its number and where it ends.
func match(norm string) (k tokKind, num, end int) {
	if publishedRE.MatchString(norm) {
		return tPublication, 0, 0
	}
	if webRE.MatchString(norm) && utf8.RuneCountInString(norm) <= 80 {
		return tWeb, 0, 0
	}
	if m := divisionRE.FindStringSubmatchIndex(norm); m != nil {
		if n, ok := number(norm[m[2]:m[3]]); ok {
			return map[string]tokKind{"章": tChapter, "节": tSubchapter, "条": tArticle}[norm[m[4]:m[5]]], n, m[1]
		}
	}
	if m := partRE.FindStringSubmatchIndex(norm); m != nil {
		if n, ok := ParseChineseNumeral(norm[m[2]:m[3]]); ok {
			return tPart, n, m[1]
		}
	}
	// A section needs at least one of its brackets: 一、 is a part, and a
	// bare numeral starts ordinary sentences (十分, 一是).
	if m := sectionRE.FindStringSubmatchIndex(norm); m != nil && (m[2] >= 0 || m[6] >= 0) {
		if n, ok := ParseChineseNumeral(norm[m[4]:m[5]]); ok {
			return tSection, n, m[1]
		}
	}
	// A digit after the dot makes a decimal (1.2万亿元), not an item.
	if m := itemRE.FindStringSubmatchIndex(norm); m != nil && !startsWithDigit(norm[m[1]:]) {
		n, _ := strconv.Atoi(norm[m[2]:m[3]]) // one to three ASCII digits
		return tItem, n, m[1]
	}
	if m := subitemRE.FindStringIndex(norm); m != nil {
		return tSubitem, 0, m[1]
	}
	if r, size := utf8.DecodeRuneInString(norm); r >= '①' && r <= '⒇' {
		return tCircled, 0, size
	}
	if strings.HasPrefix(norm, "——") {
		return tBullet, 0, 0
	}
	if rest, lead, coop := splitDepartments(norm); rest == "" && (lead != nil || coop != nil) {
		return tDepartments, 0, 0
	}
	return tPlain, 0, 0
}

// number reads the number of 第…条 in Chinese numerals or in digits, which
// some texts print spaced out (第 1 0 条).
func number(s string) (int, bool) {
	if n, ok := ParseChineseNumeral(s); ok {
		return n, true
	}
	n, err := strconv.Atoi(strings.Join(strings.Fields(s), ""))
	return n, err == nil && n > 0 && n < 10000
}

// startsWithDigit reports whether s starts with an ASCII digit.
func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// parser cuts a text into segments and builds the document from them.
type parser struct {
	doc    *Document
	text   string // the canonical text; see splitLines
	lines  []line
	toks   []token
	end    int // index of the first line of the signature block, or len(lines)
	layout layout
	seen   map[string]int // article → line where it starts
	segs   []segment
	nodes  []*node // every article opened, in order
	stack  []*node // the articles open at the line being read, outermost first
	target *node   // the article the last text went to
	ctx    struct{ part, section string }
	// chapters is whether the text has 第X章 headings, under which 一、
	// headings are sections.
	chapters bool
}

// segment is a stretch p.text[start:end] of one line; consecutive segments
// of one kind and article make a piece.
type segment struct {
	kind       PieceKind
	line       int
	start, end int
	// For clause segments: the article, and where its own text starts (after
	// the number, heading or title; end when there is none).
	node  *node
	text  int
	plain bool // an unnumbered paragraph
}

// node is an article being read.
type node struct {
	id            string
	level         int
	kind          tokKind
	line          int
	part, section string
	title         string
	itemKind      tokKind // the kind of line that numbers its items; tPlain before the first
	hasText       bool
	deep          bool // a level below its items has started inside it
}

// free stands in a layout's levels for "the first of (一) and 1. inside the
// article above".
const free = tPlain

// layout is how a text numbers its articles.
type layout struct {
	levels   []tokKind // the kinds that open articles, outermost first; the last level is the item
	headings []tokKind // the kinds that are headings
}

var (
	articleLayout = layout{levels: []tokKind{tArticle, free}, headings: []tokKind{tChapter, tSubchapter, tPart}}
	sectionLayout = layout{levels: []tokKind{tSection, tItem}, headings: []tokKind{tChapter, tSubchapter, tPart}}
	partLayout    = layout{levels: []tokKind{tPart, free}, headings: []tokKind{tChapter, tSubchapter}}
	restartLayout = layout{levels: []tokKind{tPart, tSection, tItem}, headings: []tokKind{tChapter, tSubchapter}}
)

// chooseLayout decides from the body of a text how it numbers its articles
// (contract.md, "Clause identity"):
//   - with 第X条, the 条 are the articles;
//   - where sections (一) in several parts restart their numbers, the part
//     leads: 二.三;
//   - where they number on through several parts, the sections are the
//     articles, as in the seed;
//   - where a part holds text directly under its heading, or parts hold no
//     sections at all, the parts are the articles;
//   - otherwise the sections are.
func chooseLayout(toks []token) layout {
	var (
		parts, partsWithSections int
		hasSection, restart      bool
		holdsText                bool
		maxBefore, maxHere       int // section numbers in earlier parts and in this one
		last                     tokKind
	)
	for _, t := range toks {
		switch t.kind {
		case tArticle:
			return articleLayout
		case tPart:
			parts++
			maxBefore, maxHere = max(maxBefore, maxHere), 0
		case tSection:
			hasSection = true
			if maxHere == 0 && parts > 0 {
				partsWithSections++
			}
			if t.num <= maxBefore {
				restart = true
			}
			maxHere = max(maxHere, t.num)
		case tPlain:
			holdsText = holdsText || last == tPart
		}
		if t.kind != tWeb && t.kind != tPublication {
			last = t.kind
		}
	}
	switch {
	case partsWithSections >= 2 && restart:
		return restartLayout
	case partsWithSections >= 2:
		return sectionLayout
	case parts > 0 && (holdsText || !hasSection):
		return partLayout
	}
	return sectionLayout
}

// preamble reads the lines before the first heading or article: the title,
// the issuing number, the publication line and the rest (addressees, the
// opening paragraph), none of which is part of any clause. It returns the
// index of the first line of the body.
func (p *parser) preamble() (int, error) {
	for i, ln := range p.lines {
		t := p.toks[i]
		switch t.kind {
		case tChapter, tSubchapter, tArticle, tPart, tSection:
			return i, nil
		case tItem:
			return 0, fmt.Errorf("kb: parse: line %d: item %d is outside any article", ln.no, t.num)
		case tWeb, tPublication:
			if err := p.residue(i); err != nil {
				return 0, err
			}
			continue
		}
		kind := PiecePreamble
		switch {
		case p.doc.DocNo == "" && p.docNo(ln):
			kind = PieceDocNo
		case len(p.segs) == p.residueSegs() && titleRE.MatchString(ln.text) && utf8.RuneCountInString(ln.text) <= 60:
			// Only the first line of the text, web residue aside, is a title.
			p.doc.Title = ln.text
			if i := strings.Index(ln.text, "关于"); i > 0 {
				p.doc.Issuer = ln.text[:i]
			}
			kind = PieceTitle
		}
		p.add(segment{kind: kind, line: ln.no, start: ln.start, end: ln.end()})
	}
	return len(p.lines), nil
}

// residueSegs counts the web and publication segments read so far.
func (p *parser) residueSegs() int {
	n := 0
	for _, s := range p.segs {
		if s.kind == PieceWeb || s.kind == PiecePublication {
			n++
		}
	}
	return n
}

// docNo takes the issuing number from ln if it is one.
func (p *parser) docNo(ln line) bool {
	m := docNoRE.FindStringSubmatchIndex(ln.norm)
	if m == nil {
		return false
	}
	// The year brackets are printed in many forms; 〔〕 is the standard one.
	open, yearEnd := ln.off[m[2]-1], ln.off[m[3]]
	closeEnd := ln.off[m[3]+1]
	p.doc.DocNo = ln.text[:open] + "〔" + ln.text[ln.off[m[2]]:yearEnd] + "〕" + ln.text[closeEnd:]
	year, _ := strconv.Atoi(ln.norm[m[2]:m[3]]) // four ASCII digits
	p.doc.Issued = Date{Year: year}
	return true
}

// residue records a web or publication line, and takes the first
// publication date.
func (p *parser) residue(i int) error {
	ln := p.lines[i]
	kind := PieceWeb
	if m := publishedRE.FindStringSubmatch(ln.norm); m != nil {
		kind = PiecePublication
		if p.doc.Published.Date.IsZero() {
			d, err := ParseDate(m[2] + "-" + m[3] + "-" + m[4])
			if err != nil {
				return fmt.Errorf("kb: parse: line %d: publication %w", ln.no, err)
			}
			p.doc.Published = Publication{Date: d, Where: "网站发布"}
			if m[1] != "" {
				p.doc.Published.Where += "(发布者:" + m[1] + ")"
			}
		}
	}
	p.add(segment{kind: kind, line: ln.no, start: ln.start, end: ln.end()})
	return nil
}

// signature finds a closing signature block, an issuer line and a date line
// such as 2014年9月26日 before any web residue at the end, takes the issuer
// and date from it, and returns the index of its first line (len(p.lines)
// if there is none).
func (p *parser) signature(body int) int {
	last := len(p.lines) - 1
	for last >= 0 && (p.toks[last].kind == tWeb || p.toks[last].kind == tPublication) {
		last--
	}
	if last-1 <= body {
		return len(p.lines)
	}
	issuer, date := p.lines[last-1], p.lines[last]
	m := dateRE.FindStringSubmatch(date.norm)
	if m == nil || utf8.RuneCountInString(issuer.text) > 40 || strings.ContainsAny(issuer.norm, "。,;:") || p.toks[last-1].kind != tPlain {
		return len(p.lines)
	}
	d, err := ParseDate(m[1] + "-" + m[2] + "-" + m[3])
	if err != nil {
		return len(p.lines)
	}
	p.doc.Issuer, p.doc.Issued = issuer.text, d
	return last - 1
}

// add appends a segment.
func (p *parser) add(s segment) { p.segs = append(p.segs, s) }

// line reads line i of the body.
func (p *parser) line(i int) error {
	ln, t := p.lines[i], p.toks[i]
	switch {
	case t.kind == tWeb || t.kind == tPublication:
		return p.residue(i)
	case i == p.end:
		p.add(segment{kind: PieceSignature, line: ln.no, start: ln.start, end: p.lines[i+1].end()})
		return nil
	case i == p.end+1:
		p.segs[len(p.segs)-1].end = ln.end()
		return nil
	}
	switch level := p.opens(t.kind); {
	case level == isHeading:
		p.heading(ln, t)
	case level >= 0:
		return p.open(i, level)
	case t.kind == tItem && len(p.stack) == 0:
		return fmt.Errorf("kb: parse: line %d: item %d is outside any article", ln.no, t.num)
	case len(p.stack) == 0 || (t.kind == tDepartments && p.target == nil):
		p.add(segment{kind: PieceText, line: ln.no, start: ln.start, end: ln.end()})
	case t.kind == tDepartments:
		p.addText(p.target, ln, 0, false)
	case t.kind == tPlain:
		p.paragraph(i)
	default:
		// A deeper level: (1), ①, —— and items below the item level.
		top := p.stack[len(p.stack)-1]
		top.deep = true
		p.addText(top, ln, 0, false)
	}
	return nil
}

// isHeading and isDeeper are what opens returns for a heading and for a
// line that opens no article.
const (
	isHeading = -2
	isDeeper  = -1
)

// opens returns the level of article a line of kind k opens, given the
// articles open; isHeading for a heading; isDeeper for anything else.
func (p *parser) opens(k tokKind) int {
	for _, h := range p.layout.headings {
		if k == h {
			return isHeading
		}
	}
	for level, lk := range p.layout.levels {
		if (lk == free && k != tSection && k != tItem) || (lk != free && lk != k) {
			continue
		}
		if level == 0 {
			return 0
		}
		parent := p.parent(level)
		switch {
		case parent == nil && k == tSection:
			// (一) before any article of a text in 条 is a heading.
			return isHeading
		case parent == nil:
			return isDeeper
		case lk == free && parent.itemKind != tPlain && parent.itemKind != k:
			return isDeeper
		}
		return level
	}
	return isDeeper
}

// parent returns the innermost open article above level, or nil.
func (p *parser) parent(level int) *node {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i].level < level {
			return p.stack[i]
		}
	}
	return nil
}

// heading reads a heading that opens no article: it closes the articles
// open and names the part or section of those that follow.
func (p *parser) heading(ln line, t token) {
	p.stack, p.target = nil, nil
	h := headingText(ln.text[t.rest:])
	switch {
	case t.kind == tChapter:
		p.chapters = true
		p.ctx.part, p.ctx.section = h, ""
	case t.kind == tPart && !p.chapters:
		p.ctx.part, p.ctx.section = h, ""
	default:
		p.ctx.section = h
	}
	p.add(segment{kind: PieceHeading, line: ln.no, start: ln.start, end: ln.end()})
}

// headingText is a heading as printed, without a final 。 and what follows.
func headingText(s string) string {
	if i := strings.Index(s, "。"); i >= 0 {
		return s[:i]
	}
	return s
}

// open reads line i, which opens an article at level.
func (p *parser) open(i, level int) error {
	ln, t := p.lines[i], p.toks[i]
	parent := p.parent(level)
	item := level == len(p.layout.levels)-1 && level > 0
	var id string
	switch {
	case parent == nil:
		id = ChineseNumeral(t.num)
	case item:
		id = parent.id + "." + strconv.Itoa(t.num)
	default:
		id = parent.id + "." + ChineseNumeral(t.num)
	}
	if first, ok := p.seen[id]; ok {
		return fmt.Errorf("kb: parse: line %d: duplicate article %s (first at line %d)", ln.no, id, first)
	}
	p.seen[id] = ln.no
	if parent != nil && p.layout.levels[level] == free && parent.itemKind == tPlain {
		parent.itemKind = t.kind
	}
	n := &node{id: id, level: level, kind: t.kind, line: ln.no}
	if parent != nil {
		n.part, n.section, n.title = parent.part, parent.section, parent.title
	} else {
		n.part, n.section = p.ctx.part, p.ctx.section
	}
	for len(p.stack) > 0 && p.stack[len(p.stack)-1] != parent {
		p.stack = p.stack[:len(p.stack)-1]
	}
	p.stack = append(p.stack, n)
	p.nodes = append(p.nodes, n)
	p.target = n

	rest := ln.text[t.rest:]
	switch {
	case t.kind == tArticle:
		// 第二条 【落户奖】: the title in lenticular brackets, then the text.
		if title, after, ok := bracketTitle(rest); ok {
			n.title = title
			p.addText(n, ln, len(ln.text)-len(after), false)
			return nil
		}
		p.addText(n, ln, t.rest, false)
	case rest == "":
		p.addText(n, ln, t.rest, false)
	case item && !(t.kind == tSection && p.headingLike(i, rest)):
		// An item (二) may start with its heading sentence: （二）新产品研发支持。对…
		if h, _, ok := strings.Cut(rest, "。"); ok && t.kind == tSection && shortPhrase(h) {
			n.section = h
		}
		p.addText(n, ln, t.rest, false)
	default:
		// A heading; some texts run the text on after it: (一)加强领导。各地要…
		// The heading is then its first sentence, and the text keeps it, as an
		// item's text keeps its heading sentence.
		h := headingText(rest)
		switch {
		case t.kind == tPart && level == 0:
			n.part, n.section = h, ""
		default:
			n.section = h
		}
		if len(h)+len("。") < len(rest) {
			p.addText(n, ln, t.rest, false)
			return nil
		}
		p.add(segment{kind: PieceHeading, line: ln.no, start: ln.start, end: ln.end()})
	}
	return nil
}

// headingLike reports whether rest, the text after the number of an item
// (一) on line i, is the item's heading rather than its text: a short phrase
// without commas, with the text below it.
func (p *parser) headingLike(i int, rest string) bool {
	if !shortPhrase(strings.TrimSuffix(rest, "。")) {
		return false
	}
	j := p.next(i)
	return j < p.end && (p.toks[j].kind == tPlain || p.opens(p.toks[j].kind) == isDeeper)
}

// shortPhrase reports whether s reads as a heading: short, without commas.
func shortPhrase(s string) bool {
	return utf8.RuneCountInString(s) <= 25 && !strings.ContainsAny(s, ",，;；:：、。")
}

// next returns the index of the first line after i that is not web residue.
func (p *parser) next(i int) int {
	for i++; i < len(p.lines) && (p.toks[i].kind == tWeb || p.toks[i].kind == tPublication); i++ {
	}
	return i
}

// bracketTitle splits 【落户奖】 and what follows off the start of s.
func bracketTitle(s string) (title, after string, ok bool) {
	inner, ok := strings.CutPrefix(s, "【")
	if !ok {
		return "", "", false
	}
	title, after, ok = strings.Cut(inner, "】")
	if !ok || title == "" || strings.ContainsAny(title, "【。") {
		return "", "", false
	}
	return title, strings.TrimLeftFunc(after, isBlank), true
}

// paragraph reads the unnumbered paragraph on line i.
//
// Decision: a paragraph right after the last item of a list, where the text
// goes on with no further item of that list nor a deeper level, closes the
// list and belongs to the article the list is in (八 in 第八条, after its
// (一)…(四)), not to the last item. Items in these texts are one paragraph,
// with their own lower levels marked ((1), ①, ——).
func (p *parser) paragraph(i int) {
	ln := p.lines[i]
	top := p.stack[len(p.stack)-1]
	if title, after, ok := bracketTitle(ln.text); ok && after == "" && !top.hasText && top.title == "" {
		top.title = title
		p.addText(top, ln, len(ln.text), true)
		return
	}
	if top.level == len(p.layout.levels)-1 && top.level > 0 && top.hasText && !top.deep && !p.continues(i, top) {
		p.stack = p.stack[:len(p.stack)-1]
		top = p.stack[len(p.stack)-1]
	}
	p.addText(top, ln, 0, true)
}

// continues reports whether the text after line i goes on inside item: the
// next numbered line is another item of its list or a deeper level.
func (p *parser) continues(i int, item *node) bool {
	for j := i + 1; j < p.end; j++ {
		switch k := p.toks[j].kind; k {
		case tPlain, tDepartments, tWeb, tPublication:
			continue
		default:
			return k == item.kind || p.opens(k) == isDeeper
		}
	}
	return false
}

// addText adds line ln to article n, its own text starting at offset from.
func (p *parser) addText(n *node, ln line, from int, plain bool) {
	s := segment{kind: PieceClause, line: ln.no, start: ln.start, end: ln.end(), node: n, text: ln.start + from, plain: plain}
	if from < len(ln.text) {
		n.hasText = true
	}
	p.add(s)
	p.target = n
}

// finish marks the document's closing remarks, cuts the department lists
// off the clauses and builds them.
//
// Decision: unnumbered paragraphs at the very end of the last article that
// speak of validity, 施行, interpretation or repeal (本措施自2017年1月1日起施
// 行…) are the document's closing, not part of that article, as long as the
// article keeps some text; a numbered article about them (第三十七条 本办法
// 自…) stays an article, and so do such paragraphs under a last heading
// that names the closing provisions (五、其他规定, 附则), whose text they are.
func (p *parser) finish() error {
	var last *node
	for i := len(p.segs) - 1; i >= 0 && last == nil; i-- {
		if s := p.segs[i]; s.node != nil && s.text < s.end {
			last = s.node
		}
	}
	if last == nil {
		return fmt.Errorf("kb: parse: line %d: no article", p.lines[len(p.lines)-1].no)
	}
	texts := p.textSegs(last)
	if closingPartRE.MatchString(last.part + last.section) {
		texts = nil
	}
	for k := len(texts) - 1; k > 0; k-- {
		s := &p.segs[texts[k]]
		if !s.plain || !closingRE.MatchString(p.text[s.text:s.end]) {
			break
		}
		s.kind, s.node = PieceClosing, nil
	}

	for _, n := range p.nodes {
		texts := p.textSegs(n)
		if len(texts) == 0 {
			// A heading without text of its own is no article.
			for i := range p.segs {
				if p.segs[i].node == n {
					p.segs[i].kind, p.segs[i].node = PieceHeading, nil
				}
			}
			continue
		}
		c := Clause{DocNo: p.doc.DocNo, Article: n.id, Part: n.part, Section: n.section, Title: n.title}
		if err := p.departments(n, texts[len(texts)-1], &c); err != nil {
			return err
		}
		var paras []string
		for _, i := range p.textSegs(n) {
			paras = append(paras, p.text[p.segs[i].text:p.segs[i].end])
		}
		c.Text = strings.Join(paras, "\n")
		p.doc.Clauses = append(p.doc.Clauses, c)
	}
	return nil
}

// textSegs returns the indexes of the segments holding text of article n.
func (p *parser) textSegs(n *node) []int {
	var out []int
	for i, s := range p.segs {
		if s.node == n && s.text < s.end {
			out = append(out, i)
		}
	}
	return out
}

// departments cuts a department list off the end of segment i, the last
// text of article n, into a segment of its own, and records it in c.
func (p *parser) departments(n *node, i int, c *Clause) error {
	s := p.segs[i]
	rest, lead, coop := splitDepartments(p.text[s.text:s.end])
	if lead == nil && coop == nil {
		return nil
	}
	c.Lead, c.Cooperating = lead, coop
	cut := s.text + len(rest)
	from := cut + len(p.text[cut:s.end]) - len(strings.TrimLeftFunc(p.text[cut:s.end], isBlank))
	d := segment{kind: PieceDepartments, line: s.line, start: from, end: s.end, node: n, text: s.end}
	p.segs[i].end = cut
	if rest == "" && p.segs[i].text == p.segs[i].start {
		p.segs[i] = d
	} else {
		p.segs = append(p.segs[:i+1], append([]segment{d}, p.segs[i+1:]...)...)
	}
	if len(p.textSegs(n)) == 0 {
		return fmt.Errorf("kb: parse: line %d: article %s has no text", n.line, n.id)
	}
	return nil
}

// pieces joins consecutive segments of one kind and article.
func (p *parser) pieces() []Piece {
	var (
		out   []Piece
		start int // of the last piece in p.text
	)
	for i, s := range p.segs {
		if i > 0 && s.kind == p.segs[i-1].kind && s.node == p.segs[i-1].node && s.kind != PieceHeading {
			out[len(out)-1].Text = p.text[start:s.end]
			continue
		}
		pc := Piece{Kind: s.kind, Line: s.line, Text: p.text[s.start:s.end]}
		if s.node != nil {
			pc.Article = s.node.id
		}
		out = append(out, pc)
		start = s.start
	}
	return out
}
