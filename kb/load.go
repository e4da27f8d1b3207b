package kb

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"policybot/kb/gazetteer"
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
	docs  []*Document
	byID  map[string]*Document
	byKey map[clauseKey]*Clause
	facts []FactSpec
	tags  []string
	chat  ChatTexts
	gaz   *gazetteer.Gazetteer
}

type clauseKey struct{ docID, article string }

// docIDPattern is a document's folder name as contract.md allows it.
var docIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads every directory of fsys that holds a document.yaml, validates it
// against its source.txt, reads the catalogue of facts and the tags, and
// fails naming the file, clause and field of the first problem.
func Load(fsys fs.FS) (*Base, error) {
	files, err := fs.Glob(fsys, "*/document.yaml")
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("kb: no */document.yaml found")
	}
	b := &Base{byID: map[string]*Document{}, byKey: map[clauseKey]*Clause{}}
	if b.tags, err = loadTags(fsys); err != nil {
		return nil, err
	}
	if b.chat, err = loadChatTexts(fsys); err != nil {
		return nil, err
	}
	if b.gaz, err = loadGazetteer(fsys); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(files))
	for _, file := range files {
		ids = append(ids, path.Dir(file))
	}
	if b.facts, err = loadCatalogue(fsys, ids); err != nil {
		return nil, err
	}
	applicants := b.ApplicantTypes()
	docs, err := loadDocuments(fsys, files, b.tags, applicants)
	if err != nil {
		return nil, err
	}
	for i, file := range files {
		d := docs[i]
		area, cands, err := b.gaz.Resolve(d.Jurisdiction)
		switch {
		case len(cands) > 0:
			return nil, fmt.Errorf("kb: %s: jurisdiction: %q names several divisions; write one of %s", file, d.Jurisdiction, fullNames(cands))
		case err != nil:
			return nil, fmt.Errorf("kb: %s: jurisdiction: %q is no division of the gazetteer (GB/T 2260 or regions.yaml)", file, d.Jurisdiction)
		}
		d.Area = area
		b.byID[d.DocID] = d
		b.docs = append(b.docs, d)
		for i := range d.Clauses {
			c := &d.Clauses[i]
			b.byKey[clauseKey{d.DocID, c.Article}] = c
		}
	}
	if err := b.linkRepeals(); err != nil {
		return nil, err
	}
	for i, c := range b.chat.HumanCites {
		if _, err := b.Clause(c.DocID, c.Article); err != nil {
			return nil, fmt.Errorf("kb: chat.yaml: human_cites[%d]: %s %s is not a clause of the library", i, c.DocID, c.Article)
		}
	}
	return b, nil
}

// Gazetteer returns the national division list with the library's zones,
// former names and short forms.
func (b *Base) Gazetteer() *gazetteer.Gazetteer { return b.gaz }

// loadGazetteer adds regions.yaml, if the library has one, to the national
// division list.
func loadGazetteer(fsys fs.FS) (*gazetteer.Gazetteer, error) {
	raw, err := fs.ReadFile(fsys, "regions.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return gazetteer.National(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	x, err := gazetteer.ParseExtras(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("kb: regions.yaml: %w", err)
	}
	g, err := gazetteer.National().With(x)
	if err != nil {
		return nil, fmt.Errorf("kb: regions.yaml: %w", err)
	}
	return g, nil
}

func fullNames(ds []*gazetteer.Division) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.FullName
	}
	return strings.Join(names, "、")
}

// DocumentsIn returns the doc_ids of the documents in force on day t whose
// area holds an applicant registered in region, or may hold it (a zone that
// spans counties).
func (b *Base) DocumentsIn(region *gazetteer.Division, t time.Time) []string {
	ids := []string{}
	for _, d := range b.docs {
		switch d.ValidityOn(t) {
		case InForce, NoStatedTerm:
		default:
			continue
		}
		if d.Holds(region) {
			ids = append(ids, d.DocID)
		}
	}
	return ids
}

// Holds reports whether the document's area holds an applicant registered
// in region, or may hold it (a zone that spans counties). A document
// without an area holds every region.
func (d *Document) Holds(region *gazetteer.Division) bool {
	return d.Area == nil || region.Within(d.Area) != gazetteer.No
}

// ChatTexts returns the chat's texts of chat.yaml.
func (b *Base) ChatTexts() ChatTexts { return b.chat }

// linkRepeals marks each repealed document with the one that repeals it.
func (b *Base) linkRepeals() error {
	for _, d := range b.docs {
		for _, id := range d.Repeals {
			old, ok := b.byID[id]
			switch {
			case !ok:
				return fmt.Errorf("kb: %s/document.yaml: repeals: %q is not a document of the library", d.DocID, id)
			case old == d:
				return fmt.Errorf("kb: %s/document.yaml: repeals: a document cannot repeal itself", d.DocID)
			case d.EffectiveFrom.IsZero():
				return fmt.Errorf("kb: %s/document.yaml: repeals: needs effective_from, the day the repeal takes effect", d.DocID)
			case old.RepealedBy != "":
				return fmt.Errorf("kb: %s/document.yaml: repeals: %s is already repealed by %s", d.DocID, id, old.RepealedBy)
			}
			from := d.EffectiveFrom
			old.RepealedBy, old.RepealedFrom = d.DocID, &from
		}
	}
	return nil
}

// Documents returns the documents in load order.
func (b *Base) Documents() []*Document { return b.docs }

// Facts returns the catalogue of facts: the shared ones, then each
// document's own, in load order.
func (b *Base) Facts() []FactSpec { return b.facts }

// Tags returns the topic vocabulary of clauses.
func (b *Base) Tags() []string { return b.tags }

// ApplicantTypes returns who can apply for something: the options of the
// catalogue's applicant_type fact.
func (b *Base) ApplicantTypes() []string {
	var out []string
	for _, f := range b.facts {
		if f.Key == "applicant_type" {
			for _, o := range f.Options {
				out = append(out, o.Value)
			}
		}
	}
	return out
}

// Document returns the document with the doc_id id.
func (b *Base) Document(id string) (*Document, error) {
	d, ok := b.byID[id]
	if !ok {
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	return d, nil
}

// DocumentByNo returns the document with the issuing number no; several
// documents may share one, and then it fails with ErrAmbiguous.
func (b *Base) DocumentByNo(no string) (*Document, error) {
	var found *Document
	for _, d := range b.docs {
		if d.DocNo == no && no != "" {
			if found != nil {
				return nil, fmt.Errorf("document %s: %w", no, ErrAmbiguous)
			}
			found = d
		}
	}
	if found == nil {
		return nil, fmt.Errorf("document %s: %w", no, ErrNotFound)
	}
	return found, nil
}

// Clause returns an article of a document. With docID empty it looks in
// every document and fails with ErrAmbiguous unless exactly one has it.
func (b *Base) Clause(docID, article string) (*Clause, error) {
	if a, ok := ParseArticle(article); ok {
		article = a.String()
	}
	if docID != "" {
		c, ok := b.byKey[clauseKey{docID, article}]
		if !ok {
			return nil, fmt.Errorf("clause %s %s: %w", docID, article, ErrNotFound)
		}
		return c, nil
	}
	var found *Clause
	for _, d := range b.docs {
		if c, ok := b.byKey[clauseKey{d.DocID, article}]; ok {
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

// ErrAmbiguous is returned when an article is asked for without a document
// and several documents have it.
var ErrAmbiguous = errors.New("kb: ambiguous")

// docNoPattern is an issuing number such as 赣市府发〔2014〕26号.
var docNoPattern = regexp.MustCompile(`^\p{Han}+〔\d{4}〕\d+号$`)

// loadDocuments loads the documents of files, shared out among the cores
// (a library of a thousand documents has a hundred thousand clauses to
// decode and check), and fails with the error of the first file in order
// that has one, as loading them one by one would.
func loadDocuments(fsys fs.FS, files, tags, applicants []string) ([]*Document, error) {
	docs := make([]*Document, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				docs[i], errs[i] = loadDocument(fsys, files[i], tags, applicants)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}

func loadDocument(fsys fs.FS, file string, tags, applicants []string) (*Document, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	var d Document
	if err := decodeStrict(raw, &d); err != nil {
		return nil, fmt.Errorf("kb: %s: %w", file, err)
	}
	d.DocID = path.Dir(file)
	if !docIDPattern.MatchString(d.DocID) {
		return nil, fmt.Errorf("kb: %s: the folder name %q is the doc_id: use lower-case letters, digits and hyphens", file, d.DocID)
	}
	srcFile := path.Join(d.DocID, "source.txt")
	src, err := fs.ReadFile(fsys, srcFile)
	if err != nil {
		return nil, fmt.Errorf("kb: %s: every document needs its source text: %w", file, err)
	}
	if err := d.validate(squeeze(string(src)), tags, applicants); err != nil {
		return nil, fmt.Errorf("kb: %s: %w", file, err)
	}
	return &d, nil
}

func (d *Document) validate(source string, tags, applicants []string) error {
	switch {
	case d.DocNo != "" && !docNoPattern.MatchString(d.DocNo):
		return fmt.Errorf("doc_no: %q is not an issuing number like 赣市府发〔2014〕26号 (leave it empty where the text has none)", d.DocNo)
	case strings.TrimSpace(d.Title) == "":
		return errors.New("title: empty")
	case strings.TrimSpace(d.Issuer) == "":
		return errors.New("issuer: empty")
	case strings.TrimSpace(d.Jurisdiction) == "":
		return errors.New("jurisdiction: empty (the area the document applies to, e.g. 赣州市 or 广州市南沙区)")
	case d.EffectiveTo != nil && d.EffectiveFrom.IsZero():
		return errors.New("effective_from: required with effective_to")
	case d.EffectiveTo != nil && d.EffectiveTo.Last().Before(d.EffectiveFrom.First()):
		return errors.New("effective_to: before effective_from")
	case d.EffectiveTo == nil && strings.TrimSpace(d.ValidityNote) == "":
		return errors.New("validity_note: required when effective_to is null (say what the text states of its term)")
	case len(d.Clauses) == 0:
		return errors.New("clauses: none")
	}
	if d.DocNo != "" && !strings.Contains(source, squeeze(d.DocNo)) {
		return fmt.Errorf("doc_no: %s does not appear in source.txt", d.DocNo)
	}
	seen := map[string]bool{}
	// at is where the clause before ended in the source: clauses are
	// usually in the source's order, so each is looked for from there
	// first, which keeps a document of many clauses from reading its
	// source once per clause.
	at := 0
	for i := range d.Clauses {
		c := &d.Clauses[i]
		c.DocID, c.DocNo, c.DocTitle = d.DocID, d.DocNo, d.Title
		if err := c.validate(source, &at, tags, applicants); err != nil {
			return fmt.Errorf("clause %d (%s): %w", i+1, c.Article, err)
		}
		if seen[c.Article] {
			return fmt.Errorf("clause %d (%s): article: duplicate", i+1, c.Article)
		}
		seen[c.Article] = true
	}
	return nil
}

// validate checks the clause; at is where the clause before ended in the
// source, and becomes where this one ends.
func (c *Clause) validate(source string, at *int, tags, applicants []string) error {
	a, ok := ParseArticle(c.Article)
	if !ok || a.String() != c.Article {
		return fmt.Errorf("article: %q is not an article id of contract.md (十七.1, 二十二, 二.三)", c.Article)
	}
	switch {
	case strings.TrimSpace(c.Title) == "":
		return errors.New("title: empty")
	case utf8.RuneCountInString(c.Title) > 30:
		return errors.New("title: longer than 30 characters")
	case strings.TrimSpace(c.Text) == "":
		return errors.New("text: empty")
	case !inSourceFrom(source, c.Text, at):
		return errors.New("text: not found in source.txt (clause texts must be copied from the source, paragraph by paragraph in its order)")
	case len(c.Tags) == 0:
		return errors.New("tags: none")
	}
	for _, t := range c.Tags {
		if !slices.Contains(tags, t) {
			return fmt.Errorf("tags: unknown tag %q (tags.yaml has: %s)", t, strings.Join(tags, " "))
		}
	}
	for _, t := range c.Applicants {
		if !slices.Contains(applicants, t) {
			return fmt.Errorf("applicants: unknown applicant type %q (the options of applicant_type in facts.yaml: %s)", t, strings.Join(applicants, " "))
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

// inSourceFrom reports whether every paragraph of text is in the squeezed
// source, each after the one before: an article may be its lead paragraph
// and a closing one, with its items between them as clauses of their own.
// It looks from *at first and then from the start, so the answer does not
// depend on *at, which becomes where the text ends.
func inSourceFrom(source, text string, at *int) bool {
	if end, ok := inSourceAt(source, text, *at); ok {
		*at = end
		return true
	}
	end, ok := inSourceAt(source, text, 0)
	*at = end
	return ok
}

// inSourceAt looks for the paragraphs of text from byte at of the source;
// it returns where the last one ends.
func inSourceAt(source, text string, at int) (int, bool) {
	for _, para := range strings.Split(text, "\n") {
		p := squeeze(para)
		if p == "" {
			continue
		}
		i := strings.Index(source[at:], p)
		if i < 0 {
			return 0, false
		}
		at += i + len(p)
	}
	return at, true
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
