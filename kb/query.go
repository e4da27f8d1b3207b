package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

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

// honoured are the words that 贵 honours as the listener's (贵公司, 贵司):
// only there is it a filler, for 贵 is also dear (租金太贵, 融资贵) and a
// place (贵州).
var honoured = []string{"公司", "司", "单位", "企业", "方", "局", "部门", "处", "行", "校", "院", "会"}

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
func CleanQuery(q string) string { return cleanQuery(q).words }

// said is a question as clean-up reads it: text is the question folded,
// its punctuation spaces, and its question words kept, which is where the
// spoken words of the synonyms are looked for (交的税, 奖多少); words is
// what CleanQuery returns; at gives, for each byte of text, its offset in
// words, or -1 where clean-up removed it.
type said struct {
	text, words string
	at          []int
}

func cleanQuery(q string) said {
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
	text := b.String()
	// A filler is removed where it stands in what is left once the longer
	// ones are: each becomes a gap, so the words on either side do not
	// form a bigram that no clause contains.
	gone := make([]bool, len(text))
	for i := range len(text) {
		gone[i] = text[i] == ' '
	}
	for _, f := range fillers {
		for from := 0; ; {
			k := strings.Index(text[from:], f)
			if k < 0 {
				break
			}
			a, e := from+k, from+k+len(f)
			if slices.Contains(gone[a:e], true) || f == "贵" && !slices.ContainsFunc(honoured, func(h string) bool { return strings.HasPrefix(text[e:], h) }) {
				from = a + 1
				continue
			}
			for i := a; i < e; i++ {
				gone[i] = true
			}
			from = e
		}
	}
	var w strings.Builder
	at := make([]int, len(text))
	gap := false
	for i := range len(text) {
		if gone[i] {
			at[i], gap = -1, true
			continue
		}
		if gap && w.Len() > 0 {
			w.WriteByte(' ')
		}
		gap = false
		at[i] = w.Len()
		w.WriteByte(text[i])
	}
	return said{text: text, words: w.String(), at: at}
}

// Gap joins the parts of a spoken word that may stand apart: 税…返 is said
// in 交的税区里返多少 and 个税有返还. At most maxGap characters may come
// between two parts.
const (
	Gap    = "…"
	maxGap = 4
)

// spokenAt returns the byte offsets of the parts of the spoken word w
// where its first part begins at a in text, or nil where w is not said
// there. A part that begins or ends with a letter or digit is said only
// where no letter or digit goes on beyond it: tax is not in taxi.
func spokenAt(text string, a int, w string) [][2]int {
	first, rest, gapped := strings.Cut(w, Gap)
	if !strings.HasPrefix(text[a:], first) || !wordEdges(text, a, a+len(first)) {
		return nil
	}
	spans := [][2]int{{a, a + len(first)}}
	for end := a + len(first); gapped; {
		var part string
		part, rest, gapped = strings.Cut(rest, Gap)
		k := strings.Index(text[end:], part)
		if k < 0 || utf8.RuneCountInString(text[end:end+k]) > maxGap || !wordEdges(text, end+k, end+k+len(part)) {
			return nil
		}
		spans = append(spans, [2]int{end + k, end + k + len(part)})
		end += k + len(part)
	}
	return spans
}

// wordEdges reports whether text[a:e] neither continues a run of letters
// or digits before it nor is continued by one after it.
func wordEdges(text string, a, e int) bool {
	first, _ := utf8.DecodeRuneInString(text[a:])
	before, _ := utf8.DecodeLastRuneInString(text[:a])
	last, _ := utf8.DecodeLastRuneInString(text[:e])
	after, _ := utf8.DecodeRuneInString(text[e:])
	return !(isWordRune(first) && isWordRune(before)) && !(isWordRune(last) && isWordRune(after))
}

// Synonym maps what people say to the words policy documents use.
type Synonym struct {
	Say   []string `yaml:"say"`
	Means []string `yaml:"means"`
	// Lacks marks an entry of the shared table that has no document word:
	// what it says (个人买 of 个人买新能源汽车) is something no document of the
	// library serves, and its characters weigh in Coverage as content no
	// clause holds, whatever of them a clause says (个人 of 个人经济贡献).
	Lacks bool `yaml:"lacks,omitempty"`
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
		switch {
		case e.Lacks && doc != "":
			return nil, fmt.Errorf("kb: %s: entry %d: lacks: what the library lacks goes in the shared table", file, i+1)
		case e.Lacks && (len(e.Say) == 0 || len(e.Means) > 0):
			return nil, fmt.Errorf("kb: %s: entry %d: lacks: say must be non-empty and means empty", file, i+1)
		case !e.Lacks && (len(e.Say) == 0 || len(e.Means) == 0):
			return nil, fmt.Errorf("kb: %s: entry %d: say and means must both be non-empty", file, i+1)
		}
		for _, w := range append(append([]string{}, e.Say...), e.Means...) {
			if strings.TrimSpace(w) == "" {
				return nil, fmt.Errorf("kb: %s: entry %d: empty word", file, i+1)
			}
		}
		for j, w := range e.Say {
			if slices.ContainsFunc(strings.Split(w, Gap), func(p string) bool { return strings.TrimSpace(p) == "" }) {
				return nil, fmt.Errorf("kb: %s: entry %d: say %q: %s stands only between two words", file, i+1, w, Gap)
			}
			// Spoken words are looked for in the question folded as
			// clean-up folds it.
			e.Say[j] = foldCase(w)
		}
		for _, w := range e.Means {
			if strings.Contains(w, Gap) {
				return nil, fmt.Errorf("kb: %s: entry %d: means %q: %s is for spoken words only", file, i+1, w, Gap)
			}
		}
	}
	return s, nil
}

// expand returns the document words of the entries said (by index in
// the table) of the folded question text: those of the shared entries, and
// those of each document's own, without repeats, in table order, leaving
// out the words the question says itself.
func (s Synonyms) expand(text string, said []bool) ([]string, map[string][]string) {
	var shared []string
	var own map[string][]string
	type key struct{ doc, word string }
	seen := map[key]bool{}
	for i, e := range s {
		if !said[i] {
			continue
		}
		for _, m := range e.Means {
			if seen[key{e.Doc, m}] || strings.Contains(text, m) {
				continue
			}
			seen[key{e.Doc, m}] = true
			if e.Doc == "" {
				shared = append(shared, m)
				continue
			}
			if own == nil {
				own = map[string][]string{}
			}
			own[e.Doc] = append(own[e.Doc], m)
		}
	}
	return shared, own
}
