package kb

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

//go:embed data
var embedded embed.FS

// Embedded returns the knowledge base built into the binary: one directory per
// document, each with document.yaml and source.txt (and, for the matcher,
// rules.yaml and cases.yaml).
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // "data" is a literal directory of this package.
	}
	return sub
}

// ErrNotFound is returned when a document or clause does not exist.
var ErrNotFound = errors.New("kb: not found")

// Base is a loaded, validated knowledge base.
type Base struct {
	docs    []*Document
	byDocNo map[string]*Document
	byKey   map[clauseKey]*Clause
}

type clauseKey struct{ docNo, article string }

// Load reads every directory of fsys that holds a document.yaml, validates it
// against its source.txt, and fails naming the file, clause and field of the
// first problem.
func Load(fsys fs.FS) (*Base, error) {
	dirs, err := fs.Glob(fsys, "*/document.yaml")
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	if len(dirs) == 0 {
		return nil, errors.New("kb: no */document.yaml found")
	}
	b := &Base{byDocNo: map[string]*Document{}, byKey: map[clauseKey]*Clause{}}
	for _, file := range dirs {
		d, err := loadDocument(fsys, file)
		if err != nil {
			return nil, err
		}
		if _, dup := b.byDocNo[d.DocNo]; dup {
			return nil, fmt.Errorf("kb: %s: doc_no: %s is also in another document", file, d.DocNo)
		}
		b.byDocNo[d.DocNo] = d
		b.docs = append(b.docs, d)
		for i := range d.Clauses {
			c := &d.Clauses[i]
			b.byKey[clauseKey{d.DocNo, c.Article}] = c
		}
	}
	return b, nil
}

// Documents returns the documents in load order.
func (b *Base) Documents() []*Document { return b.docs }

// Document returns the document numbered docNo.
func (b *Base) Document(docNo string) (*Document, error) {
	d, ok := b.byDocNo[docNo]
	if !ok {
		return nil, fmt.Errorf("document %s: %w", docNo, ErrNotFound)
	}
	return d, nil
}

// Clause returns an article of a document. With docNo empty it looks in every
// document and fails unless exactly one has the article.
func (b *Base) Clause(docNo, article string) (*Clause, error) {
	if a, ok := ParseArticle(article); ok {
		article = a.String()
	}
	if docNo != "" {
		c, ok := b.byKey[clauseKey{docNo, article}]
		if !ok {
			return nil, fmt.Errorf("clause %s %s: %w", docNo, article, ErrNotFound)
		}
		return c, nil
	}
	var found *Clause
	for _, d := range b.docs {
		if c, ok := b.byKey[clauseKey{d.DocNo, article}]; ok {
			if found != nil {
				return nil, fmt.Errorf("clause %s is in several documents: %w", article, ErrAmbiguous)
			}
			found = c
		}
	}
	if found == nil {
		return nil, fmt.Errorf("clause %s: %w", article, ErrNotFound)
	}
	return found, nil
}

// ErrAmbiguous is returned when an article is asked for without a doc_no and
// several documents have it.
var ErrAmbiguous = errors.New("kb: ambiguous")

// docNoPattern is an issuing number such as 赣市府发〔2014〕26号.
var docNoPattern = regexp.MustCompile(`^\p{Han}+〔\d{4}〕\d+号$`)

func loadDocument(fsys fs.FS, file string) (*Document, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var d Document
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("kb: %s: %w", file, err)
	}
	srcFile := path.Join(path.Dir(file), "source.txt")
	src, err := fs.ReadFile(fsys, srcFile)
	if err != nil {
		return nil, fmt.Errorf("kb: %s: every document needs its source text: %w", file, err)
	}
	if err := d.validate(squeeze(string(src))); err != nil {
		return nil, fmt.Errorf("kb: %s: %w", file, err)
	}
	return &d, nil
}

func (d *Document) validate(source string) error {
	switch {
	case !docNoPattern.MatchString(d.DocNo):
		return fmt.Errorf("doc_no: %q is not an issuing number like 赣市府发〔2014〕26号", d.DocNo)
	case strings.TrimSpace(d.Title) == "":
		return errors.New("title: empty")
	case strings.TrimSpace(d.Issuer) == "":
		return errors.New("issuer: empty")
	case d.Issued.IsZero():
		return errors.New("issued: missing")
	case d.EffectiveFrom.IsZero():
		return errors.New("effective_from: missing")
	case d.EffectiveTo != nil && d.EffectiveTo.Last().Before(d.EffectiveFrom.First()):
		return errors.New("effective_to: before effective_from")
	case d.EffectiveTo == nil && strings.TrimSpace(d.ValidityNote) == "":
		return errors.New("validity_note: required when effective_to is null (say that the text states no term)")
	case len(d.Clauses) == 0:
		return errors.New("clauses: none")
	}
	if !strings.Contains(source, squeeze(d.DocNo)) {
		return fmt.Errorf("doc_no: %s does not appear in source.txt", d.DocNo)
	}
	seen := map[string]bool{}
	for i := range d.Clauses {
		c := &d.Clauses[i]
		c.DocNo = d.DocNo
		if err := c.validate(source); err != nil {
			return fmt.Errorf("clause %d (%s): %w", i+1, c.Article, err)
		}
		if seen[c.Article] {
			return fmt.Errorf("clause %d (%s): article: duplicate", i+1, c.Article)
		}
		seen[c.Article] = true
	}
	return nil
}

func (c *Clause) validate(source string) error {
	a, ok := ParseArticle(c.Article)
	if !ok || a.String() != c.Article {
		return fmt.Errorf("article: %q is not of the form 十七.1 or 二十二", c.Article)
	}
	switch {
	case strings.TrimSpace(c.Part) == "":
		return errors.New("part: empty")
	case strings.TrimSpace(c.Section) == "":
		return errors.New("section: empty")
	case strings.TrimSpace(c.Title) == "":
		return errors.New("title: empty")
	case utf8.RuneCountInString(c.Title) > 30:
		return errors.New("title: longer than 30 characters")
	case strings.TrimSpace(c.Text) == "":
		return errors.New("text: empty")
	case !strings.Contains(source, squeeze(c.Text)):
		return errors.New("text: not found in source.txt (clause texts must be copied from the source)")
	case len(c.Tags) == 0:
		return errors.New("tags: none")
	}
	for _, t := range c.Tags {
		if !slices.Contains(Tags, t) {
			return fmt.Errorf("tags: unknown tag %q (known: %s)", t, strings.Join(Tags, " "))
		}
	}
	for _, t := range c.Applicants {
		if !slices.Contains(ApplicantTypes, t) {
			return fmt.Errorf("applicants: unknown applicant type %q", t)
		}
	}
	for _, list := range [][]string{c.Lead, c.Cooperating} {
		for _, name := range list {
			if strings.TrimSpace(name) == "" {
				return errors.New("lead/cooperating: empty department name")
			}
		}
	}
	return nil
}

// squeeze drops all white space, so that a clause text joined from several
// source lines still matches the source.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Open loads the knowledge base of fsys and builds its search index: what a
// server needs of package kb.
func Open(fsys fs.FS) (*Base, *Index, error) {
	b, err := Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	syn, err := LoadSynonyms(fsys)
	if err != nil {
		return nil, nil, err
	}
	ix, err := NewIndex(b, syn)
	if err != nil {
		return nil, nil, err
	}
	return b, ix, nil
}
