package kb

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// noValidity is the validity note of a document whose text states no term.
const noValidity = "文本未规定有效期"

// validityRE matches a sentence about the term of validity.
var validityRE = regexp.MustCompile(`有效期|自.*起施行|废止`)

// WriteSkeleton writes d as the YAML skeleton of a new knowledge-base document,
// for a person to complete. It proposes a title for each clause that starts
// with a short heading sentence, lets the document take effect when issued,
// copies the sentences about its term of validity into validity_note, and
// leaves tags and applicants empty. What d already holds is kept.
func WriteSkeleton(w io.Writer, d *Document) error {
	s := *d
	if s.EffectiveFrom.IsZero() {
		s.EffectiveFrom = s.Issued
	}
	if s.ValidityNote == "" {
		s.ValidityNote = validityNote(d.Clauses)
	}
	s.Clauses = make([]Clause, len(d.Clauses))
	for i, c := range d.Clauses {
		if c.Title == "" {
			c.Title = headingSentence(c.Text)
		}
		s.Clauses[i] = c
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&s); err != nil {
		return fmt.Errorf("kb: write skeleton: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("kb: write skeleton: %w", err)
	}
	return nil
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

// validityNote returns the sentences of the clauses that speak of the term of
// validity, or noValidity if none does.
func validityNote(cs []Clause) string {
	var b strings.Builder
	for _, c := range cs {
		for _, s := range sentences(c.Text) {
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
