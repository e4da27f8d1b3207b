package dialogue

import (
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// sounds finds the library's words by their sound, to mend the slips of
// pinyin input (盈力 for 盈利, 利闰为正 for 利润为正): a stretch of the
// message that sounds like a word of the catalogue, shares a character with
// it in the same place and is not a word of its own (营利) is read as that
// word.
type sounds struct {
	words    map[string][]string // toneless syllables joined by spaces → words
	alikes   map[string]bool     // words that sound like one of words but mean another
	maxRunes int
}

var pinyinArgs = pinyin.NewArgs()

// syllable returns the toneless pinyin of a Han character, or "".
func syllable(r rune) string {
	if !unicode.Is(unicode.Han, r) {
		return ""
	}
	if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
		return p[0]
	}
	return ""
}

func newSounds(words, alikes []string) *sounds {
	s := &sounds{words: map[string][]string{}, alikes: map[string]bool{}}
	for _, w := range alikes {
		s.alikes[w] = true
	}
	for _, w := range words {
		rs := []rune(w)
		if len(rs) < 2 {
			continue
		}
		key, ok := soundOf(rs)
		if !ok || contains(s.words[key], w) {
			continue
		}
		s.words[key] = append(s.words[key], w)
		s.maxRunes = max(s.maxRunes, len(rs))
	}
	return s
}

// soundOf returns the syllables of rs joined by spaces; false when one is
// not a Han character.
func soundOf(rs []rune) (string, bool) {
	var b strings.Builder
	for i, r := range rs {
		p := syllable(r)
		if p == "" {
			return "", false
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String(), true
}

// mend returns text with the slips it finds replaced by the words meant.
// Words keep their length in runes, and Han characters their length in
// bytes, so offsets into the mended text are offsets into the original.
//
// placed reports a place name overlapping runes [i, j) (在福州 is no slip of
// 在孵); nil for none.
func (s *sounds) mend(text string, placed func(i, j int) bool) string {
	if s == nil || len(s.words) == 0 {
		return text
	}
	rs := []rune(text)
	syl := make([]string, len(rs))
	for i, r := range rs {
		syl[i] = syllable(r)
	}
	// Words written right stand: a slip is never mended across one (上省级
	// is not 上升级).
	exact := make([]bool, len(rs))
	for i := range rs {
		for n := min(s.maxRunes, len(rs)-i); n >= 2; n-- {
			if key, ok := soundOf(rs[i : i+n]); ok && contains(s.words[key], string(rs[i:i+n])) {
				for k := i; k < i+n; k++ {
					exact[k] = true
				}
			}
		}
	}
	changed := false
	for i := 0; i < len(rs); i++ {
		for n := min(s.maxRunes, len(rs)-i); n >= 2; n-- {
			window := rs[i : i+n]
			if placed != nil && placed(i, i+n) || slices.Contains(exact[i:i+n], true) {
				continue
			}
			if w, ok := s.meant(window, syl[i:i+n]); ok {
				if w != string(window) {
					copy(rs[i:i+n], []rune(w))
					changed = true
				}
				i += n - 1
				break
			}
		}
	}
	if !changed {
		return text
	}
	return string(rs)
}

// meant returns the word a window of runes sounds like, or false.
func (s *sounds) meant(window []rune, syl []string) (string, bool) {
	for k, p := range syl {
		if p == "" || strings.ContainsRune(numeralChars, window[k]) {
			return "", false // a numeral is never a slip: 上十亿 is not 上市亿
		}
	}
	cands := s.words[strings.Join(syl, " ")]
	if len(cands) == 0 {
		return "", false
	}
	text := string(window)
	if contains(cands, text) {
		return text, true
	}
	if s.alikes[text] {
		return "", false
	}
	for _, w := range cands {
		wr := []rune(w)
		shared, slipOK := 0, true
		for k := range wr {
			switch {
			case wr[k] == window[k] && !strings.ContainsRune(functionChars, wr[k]):
				shared++
			case wr[k] == window[k]:
				// 转了 is no 赚了: a shared 了 says nothing of the word.
			case strings.ContainsRune(functionChars, window[k]) || strings.ContainsRune(functionChars, wr[k]):
				// 以 and 已, 在 and 再 are grammar: a swap of them is no
				// slip of a word (可以享受 is not 可已享受).
				slipOK = false
			}
		}
		if slipOK && shared > 0 && 2*shared >= len(wr) {
			return w, true
		}
	}
	return "", false
}

// numeralChars are the characters of Chinese numerals.
const numeralChars = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億半几元块钱"

// functionChars are characters of grammar whose homophones are grammar too.
const functionChars = "以已在再的地得做作和合是事有又于与为未位么吗嘛了啦吧把被给对"
