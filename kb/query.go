package kb

import (
	"bytes"
	"fmt"
	"io/fs"
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
}

// Synonyms is the domain synonym table.
type Synonyms []Synonym

// LoadSynonyms reads synonyms.yaml at the top of the knowledge base.
func LoadSynonyms(fsys fs.FS) (Synonyms, error) {
	raw, err := fs.ReadFile(fsys, "synonyms.yaml")
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var s Synonyms
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("kb: synonyms.yaml: %w", err)
	}
	for i, e := range s {
		if len(e.Say) == 0 || len(e.Means) == 0 {
			return nil, fmt.Errorf("kb: synonyms.yaml: entry %d: say and means must both be non-empty", i+1)
		}
		for _, w := range append(append([]string{}, e.Say...), e.Means...) {
			if strings.TrimSpace(w) == "" {
				return nil, fmt.Errorf("kb: synonyms.yaml: entry %d: empty word", i+1)
			}
		}
	}
	return s, nil
}

// Expand returns the document words for every entry one of whose spoken
// words occurs in the cleaned query q, without repeats, in table order.
func (s Synonyms) Expand(q string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range s {
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
