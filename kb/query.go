package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// fillers are the words of a question that say nothing about its subject.
// They are replaced by a space, not deleted, so that the words on either side
// do not form a bigram that no clause contains.
var fillers = sortedLongestFirst([]string{
	"请问", "请教", "咨询", "想问", "问一下", "问下", "了解一下", "我想知道", "想知道", "帮我查", "查一下",
	"有没有", "有无", "是不是", "能不能", "可不可以", "可以", "能否", "是否", "会不会", "要不要",
	"什么", "啥", "怎么样", "怎么", "怎样", "如何", "多少", "哪些", "哪个", "哪里", "哪儿", "几",
	"吗", "呢", "吧", "啊", "呀", "嘛", "么",
	"我们", "我司", "我公司", "咱们", "你们", "你", "贵", "一下", "的话", "的",
	"需要", "满足", "条件", "规定", "政策", "方面", "相关", "具体", "情况",
})

// sortedLongestFirst orders words so that the longest is tried first.
func sortedLongestFirst(words []string) []string {
	sort.SliceStable(words, func(i, j int) bool { return len([]rune(words[i])) > len([]rune(words[j])) })
	return words
}

// MaxQueryRunes bounds a search question; longer input is refused.
const MaxQueryRunes = 200

// CleanQuery turns a question as people type it into the words to search
// for: full-width letters and digits folded, punctuation and question words
// replaced by spaces, spaces collapsed.
func CleanQuery(q string) string {
	var b strings.Builder
	for _, r := range q {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	for _, f := range fillers {
		s = strings.ReplaceAll(s, f, " ")
	}
	return strings.Join(strings.Fields(s), " ")
}

// Synonym maps what people say to the words policy documents use.
type Synonym struct {
	Say   []string `yaml:"say"`
	Means []string `yaml:"means"`
	// Doc is the doc_id of the document whose words Means are, for an
	// entry of a document's own synonyms.yaml; empty for a shared entry.
	Doc string `yaml:"-"`
}

// Synonyms is the domain synonym table: the shared entries of the top
// synonyms.yaml, then each document's own. A document's entries raise only
// its own clauses, so that one document's words never push another's down.
type Synonyms []Synonym

// LoadSynonyms reads synonyms.yaml at the top of the library and the
// synonyms.yaml of each document folder, if any.
func LoadSynonyms(fsys fs.FS) (Synonyms, error) {
	s, err := readSynonyms(fsys, "synonyms.yaml", "")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "*/synonyms.yaml")
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	for _, file := range files {
		own, err := readSynonyms(fsys, file, path.Dir(file))
		if err != nil {
			return nil, err
		}
		s = append(s, own...)
	}
	return s, nil
}

func readSynonyms(fsys fs.FS, file, doc string) (Synonyms, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var s Synonyms
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("kb: %s: %w", file, err)
	}
	for i := range s {
		e := &s[i]
		e.Doc = doc
		if len(e.Say) == 0 || len(e.Means) == 0 {
			return nil, fmt.Errorf("kb: %s: entry %d: say and means must both be non-empty", file, i+1)
		}
		for _, w := range append(append([]string{}, e.Say...), e.Means...) {
			if strings.TrimSpace(w) == "" {
				return nil, fmt.Errorf("kb: %s: entry %d: empty word", file, i+1)
			}
		}
	}
	return s, nil
}

// Expand returns the document words of the shared entries one of whose
// spoken words occurs in the cleaned query q, without repeats, in table
// order.
func (s Synonyms) Expand(q string) []string { return s.expand(q, "") }

// ExpandDocs returns, for each document with entries of its own that q
// speaks of, their document words.
func (s Synonyms) ExpandDocs(q string) map[string][]string {
	var out map[string][]string
	for _, e := range s {
		if e.Doc == "" || out[e.Doc] != nil {
			continue
		}
		if words := s.expand(q, e.Doc); len(words) > 0 {
			if out == nil {
				out = map[string][]string{}
			}
			out[e.Doc] = words
		}
	}
	return out
}

// expand returns the document words of the entries of doc ("" for the
// shared ones) that q speaks of.
func (s Synonyms) expand(q, doc string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range s {
		if e.Doc != doc {
			continue
		}
		hit := false
		for _, w := range e.Say {
			if strings.Contains(q, w) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, m := range e.Means {
			if !seen[m] && !strings.Contains(q, m) {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}
