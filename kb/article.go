package kb

import (
	"strconv"
	"strings"
)

var chineseDigits = []rune("零一二三四五六七八九")

// chineseUnits are the units ChineseNumeral writes, largest first.
var chineseUnits = []struct {
	r     rune
	value int
}{{'千', 1000}, {'百', 100}, {'十', 10}}

// ChineseNumeral writes n (1..9999) the way article numbers are printed: 七,
// 十, 十七, 二十六, 一百零五, 一百一十. Other numbers are written in Arabic
// digits.
func ChineseNumeral(n int) string {
	if n <= 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	var b strings.Builder
	gap := false // a zero digit since the last one written
	for _, u := range chineseUnits {
		d := n / u.value % 10
		switch {
		case d == 0:
			gap = b.Len() > 0
			continue
		case gap:
			b.WriteRune('零')
			gap = false
		}
		// 十七 alone, but 一百一十 after a larger unit.
		if d > 1 || u.r != '十' || b.Len() > 0 {
			b.WriteRune(chineseDigits[d])
		}
		b.WriteRune(u.r)
	}
	if d := n % 10; d > 0 {
		if gap {
			b.WriteRune('零')
		}
		b.WriteRune(chineseDigits[d])
	}
	return b.String()
}

// ParseChineseNumeral reads a number written as ChineseNumeral writes it,
// also accepting 两 for 二, the less usual 一十七, and 一百十 without the 一
// of the tens. It returns false for anything else, such as the colloquial
// 一百五 (150 or 105?) or a numeral out of order.
func ParseChineseNumeral(s string) (int, bool) {
	r := []rune(s)
	if len(r) == 0 || len(r) > 8 {
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
	unit := func(c rune) int {
		for _, u := range chineseUnits {
			if u.r == c {
				return u.value
			}
		}
		return 0
	}
	total, pending, last := 0, -1, 10000 // last is the previous unit
	zero := false                        // a 零 since the last unit
	for _, c := range r {
		switch {
		case c == '零':
			if total == 0 || pending >= 0 || zero {
				return 0, false
			}
			zero = true
		case digit(c) > 0:
			if pending >= 0 {
				return 0, false
			}
			pending = digit(c)
		case unit(c) > 0:
			u := unit(c)
			if pending < 0 {
				// Only the tens may leave out their 一: 十七, 一百十.
				if u != 10 {
					return 0, false
				}
				pending = 1
			}
			if u >= last || (zero && u*10 >= last) {
				return 0, false
			}
			total += pending * u
			pending, last, zero = -1, u, false
		default:
			return 0, false
		}
	}
	if pending >= 0 {
		// A bare last digit is ones only after 十 or 零, or alone.
		if last > 10 && last != 10000 && !zero {
			return 0, false
		}
		total += pending
	} else if zero {
		return 0, false
	}
	return total, total > 0
}

// Article is a parsed article id (contract.md, "Clause identity"): the
// numbers of its levels, outermost first, and whether the last is an item,
// which ids write in Arabic digits. 十七.1 is {[17 1] true}, 二十二 is
// {[22] false}, 二.三.1 is {[2 3 1] true}, 二.三 is {[2 3] false}.
type Article struct {
	Levels []int
	Item   bool
}

// ParseArticle reads an article id as contract.md writes it (十七.1, 二十二,
// 二.三.1, 一百零五.2); it also accepts full-width dots and brackets around
// the levels ((十七).1), so clients need not normalise.
func ParseArticle(s string) (Article, bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("(", "", ")", "", "（", "", "）", "", "．", ".", "。", ".").Replace(s)
	fields := strings.Split(s, ".")
	var a Article
	for i, f := range fields {
		if n, ok := ParseChineseNumeral(f); ok {
			a.Levels = append(a.Levels, n)
			continue
		}
		// Only the last of several levels may be an item in Arabic digits.
		n, err := strconv.Atoi(f)
		if i == 0 || i < len(fields)-1 || err != nil || n <= 0 || n > 999 || strconv.Itoa(n) != f {
			return Article{}, false
		}
		a.Levels = append(a.Levels, n)
		a.Item = true
	}
	return a, true
}

// String writes the article id in contract.md's form.
func (a Article) String() string {
	parts := make([]string, len(a.Levels))
	for i, n := range a.Levels {
		if a.Item && i == len(a.Levels)-1 {
			parts[i] = strconv.Itoa(n)
		} else {
			parts[i] = ChineseNumeral(n)
		}
	}
	return strings.Join(parts, ".")
}

// citeUnits name the levels of an article when people cite it in Chinese.
var citeUnits = []string{"条", "款", "项", "目"}

// Cite writes an article id the way people cite it in Chinese: 十七.1 is
// 第十七条第一款, 二十二 is 第二十二条, 二.三.1 is 第二条第三款第一项. An id
// that does not parse, or has more levels than there are names for, is
// returned as it is.
func Cite(article string) string {
	a, ok := ParseArticle(article)
	if !ok || len(a.Levels) > len(citeUnits) {
		return article
	}
	var b strings.Builder
	for i, n := range a.Levels {
		b.WriteString("第" + ChineseNumeral(n) + citeUnits[i])
	}
	return b.String()
}
