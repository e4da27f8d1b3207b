package dialogue

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// sounds finds the library's words by their sound, to mend the slips of
// pinyin input (盈力 for 盈利, 利闰为正 for 利润为正): a stretch of the
// message that sounds like a word of the catalogue, shares a character with
// it in the same place and is not a word of its own (营利) is read as that
// word.
type sounds struct {
	// byFirst holds the words by the syllables of their first two
	// characters: a key of one syllable would gather thousands of words.
	byFirst map[[2]string][]soundWord
	alikes  map[string]bool // words that sound like one of words but mean another
}

// soundWord is a word with the syllables of its characters.
type soundWord struct {
	word []rune
	syl  []string
	text string
	// guard is set for a word that only stands where written right (另外再拿
	// is not 能领…): no slip is ever mended into it.
	guard bool
}

var pinyinArgs = pinyin.NewArgs()

// syllables caches the toneless pinyin of the characters seen: go-pinyin
// spends microseconds a character on its style rules.
var syllables sync.Map // rune → string

// syllable returns the toneless pinyin of a Han character, or "".
func syllable(r rune) string {
	if !unicode.Is(unicode.Han, r) {
		return ""
	}
	if p, ok := syllables.Load(r); ok {
		return p.(string)
	}
	p := ""
	if ps := pinyin.SinglePinyin(r, pinyinArgs); len(ps) > 0 {
		p = ps[0]
	}
	syllables.Store(r, p)
	return p
}

// newSounds files words, which slips are mended into, and guards, words
// that only keep what is written right from being mended.
func newSounds(words, guards, alikes []string) *sounds {
	s := &sounds{byFirst: map[[2]string][]soundWord{}, alikes: map[string]bool{}}
	for _, w := range alikes {
		s.alikes[w] = true
	}
	seen := map[string]bool{}
	for i, w := range slices.Concat(words, guards) {
		rs := []rune(w)
		if len(rs) < 2 || seen[w] {
			continue
		}
		seen[w] = true
		guard := i >= len(words)
		syl := make([]string, len(rs))
		ok := true
		for i, r := range rs {
			if syl[i] = syllable(r); syl[i] == "" {
				ok = false
			}
		}
		if ok {
			key := [2]string{syl[0], syl[1]}
			s.byFirst[key] = append(s.byFirst[key], soundWord{word: rs, syl: syl, text: w, guard: guard})
		}
	}
	for _, ws := range s.byFirst {
		slices.SortStableFunc(ws, func(x, y soundWord) int { return len(y.word) - len(x.word) })
	}
	return s
}

// alikeIn returns the runs of text that sound like a word and are not it,
// each with a character either side, on one side or on neither: the windows
// a message may share with text, which then stand as written.
func (s *sounds) alikeIn(text string) map[string]bool {
	out := map[string]bool{}
	rs := []rune(text)
	syl := make([]string, len(rs))
	for i, r := range rs {
		syl[i] = syllable(r)
	}
	for i := range rs {
		if syl[i] == "" {
			continue
		}
		s.matches(syl, i, func(w *soundWord) bool {
			n := len(w.word)
			if slices.Equal(w.word, rs[i:i+n]) {
				return true
			}
			for _, lo := range []int{max(0, i-1), i} {
				for _, hi := range []int{min(len(rs), i+n+1), i + n} {
					out[string(rs[lo:hi])] = true
				}
			}
			return true
		})
	}
	return out
}

// matches calls f with each word that sounds like the text from syl[i] on,
// longest first, until f returns false.
func (s *sounds) matches(syl []string, i int, f func(w *soundWord) bool) {
	if i+1 >= len(syl) || syl[i+1] == "" {
		return
	}
	ws := s.byFirst[[2]string{syl[i], syl[i+1]}]
	for k := range ws {
		w := &ws[k]
		if i+len(w.syl) > len(syl) || !slices.Equal(w.syl, syl[i:i+len(w.syl)]) {
			continue
		}
		if !f(w) {
			return
		}
	}
}

// mend returns text with the slips it finds replaced by the words meant,
// rune for rune.
//
// keep reports runes [i, j) that stand as written though they sound like a
// word (a place name: 在福州 is no slip of 在孵); nil for none. It is asked
// last, of a window that is otherwise a slip.
func (s *sounds) mend(text string, keep func(i, j int) bool) string {
	if s == nil || len(s.byFirst) == 0 {
		return text
	}
	rs := []rune(text)
	syl := make([]string, len(rs))
	for i, r := range rs {
		syl[i] = syllable(r)
	}
	// Words written right stand: a slip is never mended into one (上省级
	// is not 上升级), though it may be mended beside one inside a longer
	// word (后背上市企业 is 后备上市企业: 上市 stays as written).
	exact := make([]bool, len(rs))
	for i := range rs {
		if syl[i] == "" {
			continue
		}
		s.matches(syl, i, func(w *soundWord) bool {
			if slices.Equal(w.word, rs[i:i+len(w.word)]) {
				for k := i; k < i+len(w.word); k++ {
					exact[k] = true
				}
			}
			return true
		})
	}
	changed := false
	for i := 0; i < len(rs); i++ {
		if syl[i] == "" {
			continue
		}
		var meant *soundWord
		s.matches(syl, i, func(w *soundWord) bool {
			n := len(w.word)
			if w.guard || changesExact(rs[i:i+n], w.word, exact[i:i+n]) || !s.slip(rs[i:i+n], w) || keep != nil && keep(i, i+n) {
				return true
			}
			meant = w
			return false
		})
		if meant != nil {
			copy(rs[i:i+len(meant.word)], meant.word)
			changed = true
			i += len(meant.word) - 1
		}
	}
	if !changed {
		return text
	}
	return string(rs)
}

// slip reports whether window, which sounds like w, is a slip for it: not a
// word of its own, no numeral in it, and sharing with w characters that are
// not grammar, at least half of them.
func (s *sounds) slip(window []rune, w *soundWord) bool {
	if s.alikes[string(window)] {
		return false
	}
	shared, swapsGrammar := 0, false
	for k, r := range w.word {
		switch {
		case r != window[k] && strings.ContainsRune(numeralChars, window[k]):
			// A numeral is never a slip (上十亿 is not 上市亿), but one the
			// word has too stands in it: 新三版 is 新三板.
			return false
		case r == window[k] && !strings.ContainsRune(functionChars, r):
			shared++
		case r == window[k]:
			// 转了 is no 赚了: a shared 了 says nothing of the word.
		case strings.ContainsRune("未不没非无", window[k]):
			return false // 发改未达到 denies; it is no slip of 发改委
		case strings.ContainsRune(functionChars, window[k]) || strings.ContainsRune(functionChars, r):
			// 以 and 已, 在 and 再 are grammar: a swap of them is no slip of
			// a short word (可以享受 is not 可已享受), only of one whose other
			// characters are three or more alike (两化融和 is 两化融合).
			swapsGrammar = true
		}
	}
	if swapsGrammar && shared < 3 {
		return false
	}
	return shared > 0 && 2*shared >= len(w.word)
}

// numeralChars are the characters of Chinese numerals.
const numeralChars = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億半几元块钱"

// functionChars are characters of grammar whose homophones are grammar too.
const functionChars = "以已在再的地得做作和合是事有又于与为未位么吗嘛了啦吧把被给对我你他她它们咱这那其之及并"

// changesExact reports whether writing word over text would change a rune
// of a word written right.
func changesExact(text, word []rune, exact []bool) bool {
	for k := range text {
		if exact[k] && text[k] != word[k] {
			return true
		}
	}
	return false
}
