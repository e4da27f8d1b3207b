package kb

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// noValidity is the validity note of a document whose text states no term.
const noValidity = "文本未规定有效期"

var (
	// validityRE matches a sentence about the term of validity or a repeal;
	// 有效期 alone may be that of a certificate (在高新技术企业有效期内).
	validityRE = regexp.MustCompile(`本(?:办法|措施|意见|政策|规定|细则|方案|通知)[^。]*有效期|有效期\s*(?:为|至)?\s*[0-9一二三四五六七八九十两]|自.*起施行|废止`)
	// fromRE and termRE read a stated start and term: 自2017年1月1日起施行,
	// 有效期5年.
	fromRE = regexp.MustCompile(`自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起\s*(?:施行|实施|执行|生效)`)
	termRE = regexp.MustCompile(`有效期\s*(?:为)?\s*(\d{1,2}|[一二三四五六七八九十两]+)\s*年`)
)

// WriteSkeleton writes s as the YAML skeleton of a new knowledge-base
// document, for a person to complete. It proposes a title for each clause
// that starts with a short heading sentence, copies the sentences about the
// term of validity and repeals into validity_note, proposes the dates the
// text states (自2017年1月1日起施行，有效期5年), else lets the document take
// effect when issued, and leaves tags and applicants empty. What the document
// already holds is kept. After the YAML it lists, as comments, every piece of
// the text that is not a clause, so that the person sees what was left out.
func WriteSkeleton(w io.Writer, s *Skeleton) error {
	d := *s.Document
	var texts []string // what the document says: clauses and closing remarks
	for _, c := range d.Clauses {
		texts = append(texts, c.Text)
	}
	for _, p := range s.Pieces {
		if p.Kind == PieceClosing {
			texts = append(texts, p.Text)
		}
	}
	from, to := statedTerm(texts)
	switch {
	case !d.EffectiveFrom.IsZero():
	case !from.IsZero():
		d.EffectiveFrom = from
	default:
		d.EffectiveFrom = d.Issued
	}
	if d.EffectiveTo == nil {
		d.EffectiveTo = to
	}
	if d.ValidityNote == "" {
		d.ValidityNote = validityNote(texts)
	}
	d.Clauses = make([]Clause, len(s.Document.Clauses))
	for i, c := range s.Document.Clauses {
		if c.Title == "" {
			c.Title = headingSentence(c.Text)
		}
		d.Clauses[i] = c
	}
	var b bytes.Buffer
	if s.DocID != "" {
		fmt.Fprintf(&b, "# doc_id: %s (the folder %s/ holds this file as document.yaml and the text as source.txt)\n", s.DocID, s.DocID)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&d); err != nil {
		return fmt.Errorf("kb: write skeleton: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("kb: write skeleton: %w", err)
	}
	for _, p := range s.Pieces {
		if p.Kind == PieceClause {
			continue
		}
		kind := string(p.Kind)
		if p.Article != "" {
			kind += " of " + p.Article
		}
		paras := strings.Split(p.Text, "\n")
		fmt.Fprintf(&b, "# not a clause, line %d (%s): %s\n", p.Line, kind, paras[0])
		for _, para := range paras[1:] {
			fmt.Fprintf(&b, "#   %s\n", para)
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("kb: write skeleton: %w", err)
	}
	return nil
}

// statedTerm reads the first start date the texts state and, if a term in
// years follows it, the last day of that term.
func statedTerm(texts []string) (from Date, to *Date) {
	for _, t := range texts {
		norm, _ := normalize(t)
		m := fromRE.FindStringSubmatchIndex(norm)
		if m == nil {
			continue
		}
		d, err := ParseDate(norm[m[2]:m[3]] + "-" + norm[m[4]:m[5]] + "-" + norm[m[6]:m[7]])
		if err != nil {
			continue
		}
		tm := termRE.FindStringSubmatch(norm[m[1]:])
		if tm == nil {
			return d, nil
		}
		years, err := strconv.Atoi(tm[1])
		if err != nil {
			years, _ = ParseChineseNumeral(tm[1]) // 0 when it is no numeral
		}
		if years == 0 {
			return d, nil
		}
		last := d.First().AddDate(years, 0, -1)
		return d, &Date{Year: last.Year(), Month: int(last.Month()), Day: last.Day()}
	}
	return Date{}, nil
}

// headingSentence returns the short heading sentence a text starts with
// (双轮驱动,优化结构), or "" if the first sentence is longer than 16
// characters or is all the text there is.
func headingSentence(text string) string {
	i := strings.Index(text, "。")
	if i <= 0 || i+len("。") == len(text) {
		return ""
	}
	h := text[:i]
	if utf8.RuneCountInString(h) > 16 || strings.Contains(h, "\n") {
		return ""
	}
	return h
}

// validityNote returns the sentences of texts that speak of the term of
// validity or of repeals, or noValidity if none does.
func validityNote(texts []string) string {
	var b strings.Builder
	for _, t := range texts {
		for _, s := range sentences(t) {
			if validityRE.MatchString(s) {
				b.WriteString(s)
			}
		}
	}
	if b.Len() == 0 {
		return noValidity
	}
	return b.String()
}

// sentences splits a text after each 。 and at line breaks.
func sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		for para != "" {
			i := strings.Index(para, "。")
			if i < 0 {
				out = append(out, para)
				break
			}
			out = append(out, para[:i+len("。")])
			para = para[i+len("。"):]
		}
	}
	return out
}
