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

// numeral is a part or section number in Chinese numerals from 一 to 九十九.
// The longest forms come first so that (二十二 is not read as (二.
const numeral = `[二三四五六七八九]十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]`

// The structure patterns run on a folded copy of each line (see fold), so
// they only need to know the ASCII forms.
var (
	partRE      = regexp.MustCompile(`^(` + numeral + `)\s*、\s*`)
	sectionRE   = regexp.MustCompile(`^(\()?\s*(` + numeral + `)\s*(\))?\s*`)
	itemRE      = regexp.MustCompile(`^([1-9][0-9]{0,2})\s*[.、]\s*`)
	docNoRE     = regexp.MustCompile(`^\S+?\s*[\[(](\d{4})[\])]\s*\d+\s*号$`)
	publishedRE = regexp.MustCompile(`(?:发布者:\s*(.*?)\s*)?发布时间:\s*(\d{4})-(\d{1,2})-(\d{1,2})`)
	dateRE      = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`)
)

// Parse reads a policy document in the style of 赣市府发〔2014〕26号: a title,
// a preamble with the document number, then part headings (一、), section
// headings ((一)) and numbered items (1.), optionally closed by a signature
// block. Where the structure is broken (no document number, a duplicate
// article, an item or text outside any section, a clause without text) it
// returns an error that names the line.
//
// Clause texts are cut from the input as printed, with each line trimmed and
// blank lines dropped (see splitLines), so paragraphs are joined by "\n".
func Parse(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("kb: parse: %w", err)
	}
	lines, text := splitLines(string(data))
	if len(lines) == 0 {
		return nil, fmt.Errorf("kb: parse: line 1: empty document")
	}
	p := &parser{text: text, seen: map[string]int{}, doc: &Document{Title: lines[0].text}}
	if i := strings.Index(p.doc.Title, "关于"); i > 0 {
		p.doc.Issuer = p.doc.Title[:i]
	}

	body := 1
	for ; body < len(lines); body++ {
		ln := lines[body]
		k, num, _ := classify(ln)
		if k == partHeading || k == sectionHeading {
			break
		}
		if k == itemLine {
			return nil, fmt.Errorf("kb: parse: line %d: item %s is outside any section", ln.no, num)
		}
		if err := p.preamble(ln); err != nil {
			return nil, err
		}
	}
	if p.doc.DocNo == "" {
		return nil, fmt.Errorf("kb: parse: line %d: no document number before the first heading", lines[min(body, len(lines)-1)].no)
	}
	if body == len(lines) {
		return nil, fmt.Errorf("kb: parse: line %d: no section heading", lines[len(lines)-1].no)
	}

	end := len(lines)
	if n := len(lines); n-2 > body {
		if issuer, date, ok := signature(lines[n-2], lines[n-1]); ok {
			p.doc.Issuer, p.doc.Issued = issuer, date
			end = n - 2
		}
	}
	for _, ln := range lines[body:end] {
		if err := p.line(ln); err != nil {
			return nil, err
		}
	}
	if err := p.closeSection(); err != nil {
		return nil, err
	}
	return p.doc, nil
}

// line is one non-blank line of the input.
type line struct {
	no    int    // 1-based line number in the input
	text  string // as printed, without surrounding white space
	norm  string // text folded; see normalize
	off   []int  // offsets in text of the bytes of norm; see normalize
	start int    // offset of text in the canonical text
}

// splitLines splits s at "\n" (so "\r\n" works too), trims every line of white
// space and of the BOMs and zero-width spaces that texts copied from web pages
// carry, and drops the blank ones. It also returns the canonical text, those
// lines joined by "\n", of which every clause text is a substring.
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

// kind is what a line of the body is.
type kind int

const (
	paragraph kind = iota
	partHeading
	sectionHeading
	itemLine
)

// classify says what ln is. For headings and items it also returns the number
// (the Chinese numeral, or the item number in ASCII digits) and the offset in
// ln.text where the text after the number starts.
func classify(ln line) (k kind, num string, rest int) {
	k, num, end := match(ln.norm)
	if k == paragraph {
		return paragraph, "", 0
	}
	// The patterns' \s knows only ASCII spaces.
	after := strings.TrimLeftFunc(ln.text[ln.off[end]:], isBlank)
	return k, num, len(ln.text) - len(after)
}

// match recognises a folded line and returns where its number ends.
func match(norm string) (k kind, num string, end int) {
	if m := partRE.FindStringSubmatchIndex(norm); m != nil {
		return partHeading, norm[m[2]:m[3]], m[1]
	}
	// A section needs at least one of its brackets: 一、 is a part, and a
	// bare numeral starts ordinary sentences (十分, 一是).
	if m := sectionRE.FindStringSubmatchIndex(norm); m != nil && (m[2] >= 0 || m[6] >= 0) {
		return sectionHeading, norm[m[4]:m[5]], m[1]
	}
	// A digit after the dot makes a decimal (1.2万亿元), not an item.
	if m := itemRE.FindStringSubmatchIndex(norm); m != nil && !startsWithDigit(norm[m[1]:]) {
		return itemLine, norm[m[2]:m[3]], m[1]
	}
	return paragraph, "", 0
}

// startsWithDigit reports whether s starts with an ASCII digit.
func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// parser turns the body of a document, from the first heading on, into
// clauses.
type parser struct {
	doc  *Document
	text string         // the canonical text; see splitLines
	seen map[string]int // article → line where it starts
	part string
	sec  *section // nil before the first section of each part
}

// section is the section being read.
type section struct {
	num, heading string
	intro        draft  // the text before the first item
	item         *draft // the item being read; nil before the first
}

// draft is a clause being read: its text is p.text[start:end].
type draft struct {
	article    string
	line       int
	start, end int
}

func (d *draft) empty() bool { return d.start == d.end }

// extend adds the paragraph ln to the draft.
func (d *draft) extend(ln line) {
	if d.empty() {
		d.start = ln.start
	}
	d.end = ln.start + len(ln.text)
}

// preamble picks the document number and the publication line out of the
// lines before the first heading; the rest (addressees, the opening
// paragraph) is not part of any clause.
func (p *parser) preamble(ln line) error {
	if p.doc.DocNo == "" {
		if m := docNoRE.FindStringSubmatchIndex(ln.norm); m != nil {
			// The year brackets are printed in many forms; 〔〕 is the standard one.
			open, yearEnd := ln.off[m[2]-1], ln.off[m[3]]
			closeEnd := ln.off[m[3]+1]
			p.doc.DocNo = ln.text[:open] + "〔" + ln.text[ln.off[m[2]]:yearEnd] + "〕" + ln.text[closeEnd:]
			year, _ := strconv.Atoi(ln.norm[m[2]:m[3]]) // four ASCII digits
			p.doc.Issued = Date{Year: year}
			return nil
		}
	}
	if m := publishedRE.FindStringSubmatch(ln.norm); m != nil && p.doc.Published.Date.IsZero() {
		d, err := ParseDate(m[2] + "-" + m[3] + "-" + m[4])
		if err != nil {
			return fmt.Errorf("kb: parse: line %d: publication %w", ln.no, err)
		}
		p.doc.Published = Publication{Date: d, Where: "网站发布"}
		if m[1] != "" {
			p.doc.Published.Where += "(发布者:" + m[1] + ")"
		}
	}
	return nil
}

// line reads one line of the body.
func (p *parser) line(ln line) error {
	k, num, rest := classify(ln)
	switch k {
	case partHeading:
		if err := p.closeSection(); err != nil {
			return err
		}
		p.part = ln.text[rest:]
	case sectionHeading:
		if err := p.closeSection(); err != nil {
			return err
		}
		end := ln.start + len(ln.text)
		s := &section{num: num, heading: ln.text[rest:], intro: draft{article: num, line: ln.no, start: end, end: end}}
		// Some documents run the text on after the heading: (一)加强领导。各地要…
		// The heading is then its first sentence, and the text keeps it, as an
		// item's text keeps its heading sentence.
		if i := strings.Index(s.heading, "。"); i >= 0 {
			if i+len("。") < len(s.heading) {
				s.intro.start = ln.start + rest
			}
			s.heading = s.heading[:i]
		}
		p.sec = s
	case itemLine:
		if p.sec == nil {
			return fmt.Errorf("kb: parse: line %d: item %s is outside any section", ln.no, num)
		}
		if err := p.finishItemOrIntro(); err != nil {
			return err
		}
		end := ln.start + len(ln.text)
		p.sec.item = &draft{article: p.sec.num + "." + num, line: ln.no, start: ln.start + rest, end: end}
	default:
		if p.sec == nil {
			return fmt.Errorf("kb: parse: line %d: text outside any section", ln.no)
		}
		// Paragraphs after an item, —— bullets or not, belong to it: item
		// numbers are the only boundaries these documents mark.
		d := &p.sec.intro
		if p.sec.item != nil {
			d = p.sec.item
		}
		d.extend(ln)
	}
	return nil
}

// finishItemOrIntro ends the current item, or before the first item the
// section's introduction if it has one.
//
// Decision: a section's introductory paragraph before its numbered items
// becomes a clause of its own, named by the bare section numeral (二十六),
// just as the whole text of a section without items is.
func (p *parser) finishItemOrIntro() error {
	if p.sec.item != nil {
		return p.finish(p.sec, *p.sec.item)
	}
	if !p.sec.intro.empty() {
		return p.finish(p.sec, p.sec.intro)
	}
	return nil
}

// closeSection ends the current section, if any.
func (p *parser) closeSection() error {
	s := p.sec
	if s == nil {
		return nil
	}
	p.sec = nil
	if s.item != nil {
		return p.finish(s, *s.item)
	}
	return p.finish(s, s.intro)
}

// finish turns a draft into a clause of section s.
func (p *parser) finish(s *section, d draft) error {
	if first, ok := p.seen[d.article]; ok {
		return fmt.Errorf("kb: parse: line %d: duplicate article %s (first at line %d)", d.line, d.article, first)
	}
	p.seen[d.article] = d.line
	text, lead, coop := splitDepartments(p.text[d.start:d.end])
	if text == "" {
		return fmt.Errorf("kb: parse: line %d: article %s has no text", d.line, d.article)
	}
	p.doc.Clauses = append(p.doc.Clauses, Clause{
		DocNo:       p.doc.DocNo,
		Article:     d.article,
		Part:        p.part,
		Section:     s.heading,
		Text:        text,
		Lead:        lead,
		Cooperating: coop,
	})
	return nil
}

// signature reads a closing signature block: an issuer line, then a date line
// such as 2014年9月26日.
func signature(issuer, date line) (string, Date, bool) {
	m := dateRE.FindStringSubmatch(date.norm)
	if m == nil || utf8.RuneCountInString(issuer.text) > 40 || strings.ContainsAny(issuer.norm, "。,;:") {
		return "", Date{}, false
	}
	if k, _, _ := classify(issuer); k != paragraph {
		return "", Date{}, false
	}
	d, err := ParseDate(m[1] + "-" + m[2] + "-" + m[3])
	if err != nil {
		return "", Date{}, false
	}
	return issuer.text, d, true
}
