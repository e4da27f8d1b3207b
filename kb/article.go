package kb

import (
	"strconv"
	"strings"
)

var chineseDigits = []rune("零一二三四五六七八九")

// ChineseNumeral writes n (1..99) the way section numbers are printed: 七, 十,
// 十七, 二十, 二十六.
func ChineseNumeral(n int) string {
	if n <= 0 || n >= 100 {
		return strconv.Itoa(n)
	}
	tens, ones := n/10, n%10
	var b strings.Builder
	if tens > 1 {
		b.WriteRune(chineseDigits[tens])
	}
	if tens > 0 {
		b.WriteRune('十')
	}
	if ones > 0 {
		b.WriteRune(chineseDigits[ones])
	}
	return b.String()
}

// ParseChineseNumeral reads a section number written as ChineseNumeral writes
// it, also accepting 两 for 二 and the less usual 一十七. It returns false
// for anything else.
func ParseChineseNumeral(s string) (int, bool) {
	r := []rune(s)
	if len(r) == 0 || len(r) > 3 {
		return 0, false
	}
	digit := func(c rune) int {
		if c == '两' {
			return 2
		}
		for i, d := range chineseDigits {
			if d == c && i > 0 {
				return i
			}
		}
		return -1
	}
	ten := -1
	for i, c := range r {
		if c == '十' {
			if ten >= 0 {
				return 0, false
			}
			ten = i
		}
	}
	if ten < 0 {
		if len(r) != 1 {
			return 0, false
		}
		d := digit(r[0])
		return d, d > 0
	}
	tens, ones := 1, 0
	switch ten {
	case 0:
	case 1:
		if tens = digit(r[0]); tens < 1 {
			return 0, false
		}
	default:
		return 0, false
	}
	switch len(r) - ten - 1 {
	case 0:
	case 1:
		if ones = digit(r[ten+1]); ones < 1 {
			return 0, false
		}
	default:
		return 0, false
	}
	return tens*10 + ones, true
}

// Article is a parsed article id: section (十七 → 17) and item (0 when the
// section has no numbered items).
type Article struct {
	Section, Item int
}

// ParseArticle reads an article id as contract.md writes it (十七.1, 二十二);
// it also accepts the full-width dot and brackets around the section
// ((十七).1), so clients need not normalise.
func ParseArticle(s string) (Article, bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("(", "", ")", "", "（", "", "）", "", "．", ".", "。", ".").Replace(s)
	sec, item, hasItem := strings.Cut(s, ".")
	n, ok := ParseChineseNumeral(sec)
	if !ok {
		return Article{}, false
	}
	a := Article{Section: n}
	if hasItem {
		i, err := strconv.Atoi(item)
		if err != nil || i <= 0 || i > 999 || strconv.Itoa(i) != item {
			return Article{}, false
		}
		a.Item = i
	}
	return a, true
}

// String writes the article id in contract.md's form.
func (a Article) String() string {
	if a.Item == 0 {
		return ChineseNumeral(a.Section)
	}
	return ChineseNumeral(a.Section) + "." + strconv.Itoa(a.Item)
}

// Cite writes an article id the way people cite it in Chinese: 十七.1 is
// 第十七条第一款, 二十二 is 第二十二条. An id that does not parse is returned
// as it is.
func Cite(article string) string {
	a, ok := ParseArticle(article)
	if !ok {
		return article
	}
	if a.Item == 0 {
		return "第" + ChineseNumeral(a.Section) + "条"
	}
	return "第" + ChineseNumeral(a.Section) + "条第" + ChineseNumeral(a.Item) + "款"
}
