package dialogue

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// articleContext words make 17.1 a clause number rather than a figure.
var articleContext = []string{"条", "款", "项", "章", "article"}

// articleAsk is what may follow a bare 17.1 that asks for the clause.
var articleAsk = []string{"是什么", "讲什么", "讲的什么", "说的什么", "什么内容", "的内容", "内容", "说了什么", "讲了什么"}

// findArticle returns the first clause asked by number, written as contract.md
// writes articles: 第十七条第一款, 第十七条第1项, (十七)1, 十七.1 and, where
// the text speaks of clauses or asks nothing else, 17.1 are all 十七.1;
// 第二十二条 is 二十二.
func findArticle(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if startsNumeral(r) {
			if art, ok := articleAt(s, i); ok {
				return art
			}
		}
		i += size
	}
	return ""
}

func articleAt(s string, i int) (string, bool) {
	sec, j, chinese, ok := smallNumber(s, i)
	if !ok {
		return "", false
	}
	before, rest := s[:i], s[j:]
	switch {
	case strings.HasSuffix(before, "(") && strings.HasPrefix(rest, ")"):
		return article(sec, itemAfter(s, j+1, false)), true
	case strings.HasPrefix(rest, "条") && (strings.HasSuffix(before, "第") || chinese && !hasAnySuffix(before, "哪", "那", "这", "每", "几")):
		// 第十七条, 十七条; not 哪一条 or 这一条, which ask or point.
		return article(sec, itemAfter(s, j+len("条"), true)), true
	case strings.HasPrefix(rest, ".") && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9':
		item, k, itemChinese, ok := smallNumber(s, j+1)
		if !ok || itemChinese || figureFollows(s[k:]) {
			return "", false
		}
		if !chinese && !(asksArticleOnly(before, s[k:]) || containsAny(s, articleContext)) {
			return "", false
		}
		if !chinese && before != "" {
			if r, _ := utf8.DecodeLastRuneInString(before); r < 0x80 && r != ' ' && r != '(' {
				return "", false
			}
		}
		return article(sec, item), true
	}
	return "", false
}

// itemAfter reads the item number after a section: 第一款, 第1项, 1款, or
// with the parenthesised form a bare 1. It returns 0 when none follows.
func itemAfter(s string, i int, needWord bool) int {
	i += prefixLen(s[i:], "第")
	if i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	if !startsNumeral(r) {
		return 0
	}
	item, j, _, ok := smallNumber(s, i)
	if !ok {
		return 0
	}
	if k := prefixLen(s[j:], "款", "项", "点", "小项", "."); k > 0 || !needWord {
		return item
	}
	return 0
}

// smallNumber reads a whole number 1..99 in Arabic or Chinese numerals.
func smallNumber(s string, i int) (n, end int, chinese, ok bool) {
	if c := s[i]; c >= '0' && c <= '9' {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(s[i:j])
		return n, j, false, err == nil && n >= 1 && n <= 99
	}
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if chineseDigit(r) < 0 && r != '十' {
			break
		}
		j += size
	}
	if j == i || j-i > 3*len("十") {
		return 0, j, true, false
	}
	num, good := scanNumeral(s[:j], i)
	if !good || num.end != j || num.magnitude || num.approx || num.val.p != 0 || num.val.m < 1 || num.val.m > 99 {
		return 0, j, true, false
	}
	return int(num.val.m), j, true, true
}

// figureFollows reports a unit after a number: 17.1亿 is money, not a clause.
func figureFollows(rest string) bool {
	if rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r >= '0' && r <= '9' || strings.ContainsRune("万亿元块吨年%倍个米", r) || hasAnyPrefix(rest, otherUnits...)
}

// asksArticleOnly reports a message that is a bare clause number, perhaps
// with 是什么 after it.
func asksArticleOnly(before, after string) bool {
	before = strings.TrimRight(before, " ")
	if before != "" && !strings.HasSuffix(before, "看") && !strings.HasSuffix(before, "问") && !strings.HasSuffix(before, "查") && !strings.HasSuffix(before, "关于") {
		return false
	}
	after = strings.Trim(after, fillers)
	return after == "" || hasAnyPrefix(after, articleAsk...)
}

// article writes section and item as contract.md does: 十七.1, 二十二.
func article(sec, item int) string {
	if item > 0 {
		return chineseNumeral(sec) + "." + strconv.Itoa(item)
	}
	return chineseNumeral(sec)
}

// chineseNumeral writes 1..99 as section numbers are printed: 七, 十七, 二十二.
func chineseNumeral(n int) string {
	const digits = "零一二三四五六七八九"
	digit := func(d int) string { return string([]rune(digits)[d]) }
	tens, ones := n/10, n%10
	var b strings.Builder
	if tens > 1 {
		b.WriteString(digit(tens))
	}
	if tens > 0 {
		b.WriteString("十")
	}
	if ones > 0 {
		b.WriteString(digit(ones))
	}
	return b.String()
}
