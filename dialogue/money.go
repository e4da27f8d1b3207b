package dialogue

import (
	"math"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// maxYuan is the largest amount ParseMoney accepts, matcher's bound for money.
const maxYuan = 1e15

// decimal is the exact value m/10^p. Amounts are computed on it so that
// 1.05亿 is exactly 105000000 yuan rather than a float rounded either way.
type decimal struct {
	m uint64
	p int
}

var pow10 = [...]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// scale multiplies d by 10^e; it reports false on overflow.
func (d decimal) scale(e int) (decimal, bool) {
	if e <= d.p {
		d.p -= e
		return d, true
	}
	k := e - d.p
	if d.m == 0 {
		return decimal{}, true
	}
	if k >= len(pow10) {
		return d, false
	}
	hi, lo := bits.Mul64(d.m, pow10[k])
	return decimal{m: lo}, hi == 0
}

// add returns d+o; it reports false on overflow.
func (d decimal) add(o decimal) (decimal, bool) {
	if o.m == 0 {
		return d, true
	}
	if d.m == 0 {
		return o, true
	}
	for d.p < o.p {
		hi, lo := bits.Mul64(d.m, 10)
		if hi != 0 {
			return d, false
		}
		d.m, d.p = lo, d.p+1
	}
	for o.p < d.p {
		hi, lo := bits.Mul64(o.m, 10)
		if hi != 0 {
			return d, false
		}
		o.m, o.p = lo, o.p+1
	}
	sum, carry := bits.Add64(d.m, o.m, 0)
	return decimal{m: sum, p: d.p}, carry == 0
}

// floor returns the whole part of d.
func (d decimal) floor() uint64 { return d.m / pow10[d.p] }

func (d decimal) float() float64 { return float64(d.m) / math.Pow10(d.p) }

// numeral is a number read from text: Arabic (1.05, 1,200), Chinese (一亿两千万,
// 三点五) or mixed (5千万, 3个多亿).
type numeral struct {
	val       decimal
	end       int  // byte offset after the numeral
	magnitude bool // 万 or 亿 was seen: a bare 3亿 is an amount of money
	approx    bool // 多, 余 or 来 made it a lower bound
	plain     bool // only Arabic digits: a candidate calendar year or bare answer
}

func chineseDigit(r rune) int {
	switch r {
	case '一', '壹':
		return 1
	case '二', '两', '贰':
		return 2
	case '三', '叁':
		return 3
	case '四', '肆':
		return 4
	case '五', '伍':
		return 5
	case '六', '陆':
		return 6
	case '七', '柒':
		return 7
	case '八', '捌':
		return 8
	case '九', '玖':
		return 9
	}
	return -1
}

func smallUnit(r rune) int {
	switch r {
	case '十', '拾':
		return 1
	case '百', '佰':
		return 2
	case '千', '仟':
		return 3
	}
	return 0
}

// startsNumeral reports whether a numeral may begin with r. 千, 百, 万 and 亿
// may not: 千万不要 and 万一 are words, not amounts.
func startsNumeral(r rune) bool {
	return r >= '0' && r <= '9' || chineseDigit(r) > 0 || r == '十' || r == '拾' || r == '零' || r == '〇'
}

// scanArabic reads digits with optional thousands commas (1,200) and a decimal
// part. It returns the value, the end offset and the number of digits before
// the point.
func scanArabic(s string, i int) (decimal, int, int, bool) {
	var d decimal
	j, intDigits := i, 0
	digit := func(c byte) bool {
		hi, lo := bits.Mul64(d.m, 10)
		sum, carry := bits.Add64(lo, uint64(c-'0'), 0)
		if hi != 0 || carry != 0 {
			return false
		}
		d.m = sum
		return true
	}
	for j < len(s) {
		c := s[j]
		switch {
		case c >= '0' && c <= '9':
			if !digit(c) {
				return d, j, 0, false
			}
			intDigits++
			j++
			continue
		case c == ',' && intDigits > 0 && isGroup(s, j+1):
			j++
			continue
		}
		break
	}
	if j+1 < len(s) && s[j] == '.' && s[j+1] >= '0' && s[j+1] <= '9' {
		j++
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			if d.p >= 18 || !digit(s[j]) {
				return d, j, 0, false
			}
			d.p++
			j++
		}
	}
	return d, j, intDigits, true
}

// isGroup reports whether s[i:] starts with exactly three digits, as after the
// comma of 1,200万.
func isGroup(s string, i int) bool {
	if i+3 > len(s) {
		return false
	}
	for k := i; k < i+3; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return i+3 == len(s) || s[i+3] < '0' || s[i+3] > '9'
}

// scanNumeral reads the numeral starting at s[i]. Units follow the usual
// grouping: 十百千 multiply the digit before them, 万 the group below it and
// 亿 everything since the last 亿, so 一亿两千万 and 1.5万亿 both work. A
// single trailing digit right after a unit is the spoken abbreviation:
// 三亿五 is 3.5亿, 两千五 is 2500.
func scanNumeral(s string, i int) (numeral, bool) {
	var (
		total, section, small, pend  decimal
		hasPend, pendSingle          bool
		zero, any, sinceWan, sinceYi bool
		lastExp                      int
		n                            = numeral{plain: true}
	)
	ok := true
	addTo := func(acc *decimal, v decimal) {
		var good bool
		*acc, good = acc.add(v)
		ok = ok && good
	}
	j := i
loop:
	for j < len(s) && ok {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case r >= '0' && r <= '9':
			if hasPend {
				break loop
			}
			d, k, intDigits, good := scanArabic(s, j)
			if !good {
				return n, false
			}
			pend, hasPend = d, true
			pendSingle = intDigits == 1 && d.p == 0 && k == j+1
			any, sinceWan, sinceYi = true, true, true
			j = k
			if k < len(s) && (s[k] == 'w' || s[k] == 'W') && !(k+1 < len(s) && isLetter(s[k+1])) {
				// 500w is chat shorthand for 500万.
				addTo(&section, mustScale(pend, 4, &ok))
				hasPend, lastExp, n.magnitude = false, 4, true
				j = k + 1
			}
			continue
		case chineseDigit(r) > 0:
			if hasPend {
				break loop
			}
			n.plain = false
			pend, hasPend, pendSingle = decimal{m: uint64(chineseDigit(r))}, true, true
			any, sinceWan, sinceYi = true, true, true
			j += size
			if strings.HasPrefix(s[j:], "点") {
				if d, k := scanChineseFraction(s, j+len("点"), pend); k > 0 {
					pend, pendSingle, j = d, false, k
				}
			}
			continue
		case r == '零' || r == '〇':
			n.plain = false
			zero, any = true, true
			if !hasPend {
				pend, hasPend, pendSingle = decimal{}, true, false
			}
			j += size
			// 一千零五: a digit after 零 is read as written, not as 一千五.
			if j < len(s) {
				if r2, _ := utf8.DecodeRuneInString(s[j:]); chineseDigit(r2) > 0 {
					hasPend = false
				}
			}
			continue
		case smallUnit(r) > 0:
			e := smallUnit(r)
			if !hasPend {
				if e != 1 || small.m != 0 {
					break loop
				}
				pend = decimal{m: 1} // 十二 is 一十二
			}
			n.plain = false
			addTo(&small, mustScale(pend, e, &ok))
			hasPend, lastExp, any, sinceWan, sinceYi = false, e, true, true, true
			j += size
			continue
		case r == '万' || r == '萬' || r == '亿' || r == '億':
			wan := r == '万' || r == '萬'
			// 5万3万 and 5亿3亿 are two amounts, not one.
			if wan && (!sinceWan || section.m != 0) || !wan && (!sinceYi || total.m != 0) {
				break loop
			}
			n.plain = false
			if hasPend {
				addTo(&small, pend)
			}
			if wan {
				addTo(&section, mustScale(small, 4, &ok))
				lastExp = 4
			} else {
				addTo(&section, small)
				addTo(&total, mustScale(section, 8, &ok))
				section, sinceYi = decimal{}, false
				lastExp = 8
			}
			small, hasPend, sinceWan, zero, n.magnitude = decimal{}, false, false, false, true
			j += size
			continue
		case r == '个':
			// 12个亿, 3个多亿.
			rest := s[j+size:]
			if any && (startsBig(rest) || strings.HasPrefix(rest, "多") && startsBig(rest[len("多"):])) {
				j += size
				continue
			}
		case r == '多' || r == '余' || r == '来':
			if any && approxInside(r, s[j+size:]) {
				n.approx = true
				n.plain = false
				if hasPend {
					addTo(&small, pend)
					hasPend = false
				}
				lastExp = 0
				j += size
				continue
			}
		}
		break
	}
	if !any || !ok {
		return n, false
	}
	if hasPend {
		if pendSingle && lastExp >= 1 && !zero {
			pend = mustScale(pend, lastExp-1, &ok)
		}
		addTo(&small, pend)
	}
	addTo(&section, small)
	addTo(&total, section)
	n.val, n.end = total, j
	return n, ok
}

// mustScale scales d by 10^e and clears *ok on overflow.
func mustScale(d decimal, e int, ok *bool) decimal {
	v, good := d.scale(e)
	if !good {
		*ok = false
	}
	return v
}

func startsBig(s string) bool {
	return strings.HasPrefix(s, "亿") || strings.HasPrefix(s, "万")
}

// approxInside reports whether 多, 余 or 来 right after a number makes it a
// lower bound: 五千多万, 3亿多, 十来万, 3亿余元. It does not when it starts
// another word: 3亿多少, 大余额, 5亿来自.
func approxInside(r rune, rest string) bool {
	switch r {
	case '多':
		return !strings.HasPrefix(rest, "少")
	case '余':
		return !hasAnyPrefix(rest, "额", "量", "下", "款", "地")
	}
	next, _ := utf8.DecodeRuneInString(rest)
	return strings.ContainsRune("万亿千百十元块吨年个", next)
}

// scanChineseFraction reads the digits after 点 in 三点五 and returns the whole
// value and the end offset, or 0 when no digit follows.
func scanChineseFraction(s string, i int, whole decimal) (decimal, int) {
	d := whole
	j := i
	for j < len(s) && d.p < 18 {
		r, size := utf8.DecodeRuneInString(s[j:])
		v := chineseDigit(r)
		if r == '零' || r == '〇' {
			v = 0
		}
		if v < 0 {
			break
		}
		hi, lo := bits.Mul64(d.m, 10)
		if hi != 0 {
			return whole, 0
		}
		d = decimal{m: lo + uint64(v), p: d.p + 1}
		j += size
	}
	if j == i {
		return whole, 0
	}
	return d, j
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// figureKind says what a number in the text measures.
type figureKind uint8

const (
	figMoney    figureKind = iota + 1 // yuan
	figTonnes                         // 吨, 吨标煤
	figYears                          // a span of years: 8年
	figCalendar                       // a calendar year: 2024年
	figPlain                          // Arabic digits with no unit
	figOther                          // a number with some other unit (亩, 人, %)
)

// figure is a number with its unit and its approximation words.
type figure struct {
	kind       figureKind
	val        decimal
	approx     bool
	start, end int  // the words read, approximation words included
	coal       bool // the unit was 吨标煤 or 吨标准煤
	below      bool // a strict upper bound: 不到5亿
	above      bool // a strict lower bound: 超过10亿, 突破5亿
}

// approxPrefixes make the figure after them approximate. Longer words come
// first so that 将近 is not read as 近.
var approxPrefixes = []string{
	"差不多有", "大概有", "大约有", "将近", "接近", "差不多", "大约", "大概", "估计", "预计",
	"约为", "有近", "大致", "近", "约", "快",
}

// abovePrefixes make the figure after them a strict lower bound: 超过10亿 is
// more than 10亿, so taking 10亿 would fail a threshold it meets.
var abovePrefixes = []string{"已经超过", "已超过", "超过了", "超过", "突破了", "突破", "刚过", "高于", "多于", "大于", "超", "逾"}

// belowPrefixes make the figure after them a strict upper bound: 不到5亿 is
// less than 5亿, so taking 5亿 would pass a threshold of 5亿.
var belowPrefixes = []string{
	"还不到", "都没超过", "没有超过", "没有达到", "没超过", "未超过", "没达到", "未达到", "没到", "不到",
	"不足", "低于", "少于", "不满",
}

// notApprox are words that end in an approximation word but do not
// approximate: 节约八百吨 is a saving, 最近3年 recent.
var notApprox = []string{
	"节约", "制约", "预约", "签约", "合约", "相约", "履约", "最近", "附近", "高超", "赶超", "很快", "加快", "尽快",
}

var approxSuffixes = []string{"左右", "上下", "出头", "以上", "以下", "以内", "多点", "多", "余"}

// foreignCurrencies are amounts that are not yuan and so are no money fact.
var foreignCurrencies = []string{"美元", "美金", "欧元", "港币", "港元", "日元", "英镑", "韩元", "卢布"}

// otherUnits are measure words that make a number something other than money,
// so that 10万平方米 and 年产5万吨 are never read as yuan.
var otherUnits = []string{
	"平方米", "平米", "平方", "亩", "人", "名", "个", "家", "户", "台", "套", "件", "辆", "次", "千瓦",
	"度", "立方", "米", "公里", "公斤", "斤", "箱", "只", "条", "款", "项", "份", "张", "股", "倍",
	"天", "月", "小时", "%", "岁", "号", "栋", "间", "位", "批", "种", "kw", "KW", "mw", "MW",
}

// scanFigure reads the number at s[i] with its unit. The number itself must
// start at i; approximation words before it are looked for from 'from' on.
func scanFigure(s string, from, i int) (figure, bool) {
	n, ok := scanNumeral(s, i)
	if !ok {
		return figure{}, false
	}
	f := figure{val: n.val, approx: n.approx, start: i, end: n.end}
	for _, p := range belowPrefixes {
		if i-len(p) >= from && strings.HasSuffix(s[:i], p) {
			f.approx, f.below, f.start = true, true, i-len(p)
			break
		}
	}
	for _, p := range abovePrefixes {
		if !f.below && i-len(p) >= from && strings.HasSuffix(s[:i], p) && !hasAnySuffix(s[:i], notApprox...) {
			f.approx, f.above, f.start = true, true, i-len(p)
			break
		}
	}
	for _, p := range approxPrefixes {
		if !f.below && !f.above && i-len(p) >= from && strings.HasSuffix(s[:i], p) && !hasAnySuffix(s[:i], notApprox...) {
			f.approx, f.start = true, i-len(p)
			break
		}
	}
	j := n.end
	rest := s[j:]
	switch {
	case hasAnyPrefix(rest, foreignCurrencies...):
		f.kind = figOther
	case strings.HasPrefix(rest, "元"):
		f.kind = figMoney
		j += len("元")
		j += prefixLen(s[j:], "钱", "人民币")
	case strings.HasPrefix(rest, "块钱"):
		f.kind = figMoney
		j += len("块钱")
	case strings.HasPrefix(rest, "块") && (n.magnitude || endsWord(rest[len("块"):])):
		f.kind = figMoney
		j += len("块")
	case strings.HasPrefix(rest, "吨"):
		f.kind = figTonnes
		j += len("吨")
		if k := prefixLen(s[j:], "标准煤", "标煤"); k > 0 {
			f.coal = true
			j += k
		}
	case strings.HasPrefix(rest, "年") && n.plain && n.val.p == 0 && n.val.m >= 1900 && n.val.m <= 2100:
		f.kind = figCalendar
		j += len("年")
		j += prefixLen(s[j:], "度")
	case strings.HasPrefix(rest, "年") && hasAnyPrefix(rest[len("年"):], "内", "以内", "之内", "后", "前", "来", "多前"):
		f.kind = figOther // 两年内 is a deadline, not a number of years
	case strings.HasPrefix(rest, "年") && hasAnySuffix(s[:i], "的", "那", "这", "哪", "某", "每", "最高", "最多", "最好") && n.val.p == 0 && n.val.m == 1:
		f.kind = figOther // 最高的一年 names a year, it counts none
	case strings.HasPrefix(rest, "年"):
		f.kind = figYears
		j += len("年")
	case hasAnyPrefix(rest, otherUnits...):
		f.kind = figOther
	case n.magnitude:
		f.kind = figMoney
	case n.plain:
		f.kind = figPlain
	default:
		return figure{}, false
	}
	if f.kind == figMoney || f.kind == figTonnes || f.kind == figYears {
		if k := prefixLen(s[j:], "不到", "不足"); k > 0 {
			f.approx, f.below = true, true
			j += k
		} else if k := prefixLen(s[j:], approxSuffixes...); k > 0 && approxSuffixOK(s[j:], k) {
			f.approx = true
			j += k
		}
	}
	f.end = j
	return f, true
}

// approxSuffixOK guards the one-character suffixes against starting a word:
// 3亿多少 asks a question, 5亿余额 is a balance.
func approxSuffixOK(rest string, k int) bool {
	after := rest[k:]
	switch rest[:k] {
	case "多":
		return !strings.HasPrefix(after, "少")
	case "余":
		return !hasAnyPrefix(after, "额", "量", "下", "款")
	}
	return true
}

func endsWord(s string) bool {
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r < 0x80 || isPunct(r) || r == '的'
}

// prefixLen returns the length of the first of words that s starts with, or 0.
func prefixLen(s string, words ...string) int {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return len(w)
		}
	}
	return 0
}

// yuanOf returns the whole yuan of a money figure, fractions of a yuan cut
// off, one yuan less for a strict upper bound (不到5亿 is 499999999), one
// more for a strict lower bound (超过10亿 is 1000000001), and false for an
// amount beyond maxYuan.
func yuanOf(f figure) (int64, bool) {
	y := f.val.floor()
	if y > maxYuan {
		return 0, false
	}
	if f.below && y > 0 {
		y--
	}
	if f.above && y < maxYuan {
		y++
	}
	return int64(y), true
}

// quantityOf returns a quantity, just above the figure for a strict lower
// bound (超过500吨), so that it passes the threshold it exceeds and no more.
func quantityOf(f figure) float64 {
	x := f.val.float()
	if f.above {
		return math.Nextafter(x, math.Inf(1))
	}
	return x
}

// ParseMoney reads one Chinese money expression and returns whole yuan.
// It accepts Arabic, Chinese and mixed numerals (12亿, 1.2亿元, 一亿两千万,
// 5千万, 1,200万, 12000000元), full-width digits and 12个亿. A number must
// carry 万, 亿 or a currency word to be money: a bare 5000 is not. Approx
// is true for a lower bound (3个多亿, 五千多万, 3亿多, 5亿以上) and for a
// rounded figure (近3亿, 将近, 差不多, 大约, 3亿左右), whose value is the
// figure itself; a strict upper bound (不到5亿, 没超过5亿) is one yuan less,
// so that it never passes a threshold it denies. Fractions of a yuan are cut
// off; amounts above 1e15 yuan, negative or foreign amounts are refused.
func ParseMoney(s string) (yuan int64, approx bool, ok bool) {
	s = strings.TrimFunc(normalize(s), func(r rune) bool { return r == ' ' || isPunct(r) })
	start := 0
	for {
		k := prefixLen(s[start:], belowPrefixes...)
		if k == 0 {
			k = prefixLen(s[start:], abovePrefixes...)
		}
		if k == 0 {
			k = prefixLen(s[start:], approxPrefixes...)
		}
		if k == 0 {
			break
		}
		start += k
	}
	f, found := scanFigure(s, 0, start)
	if !found || f.kind != figMoney || f.end != len(s) {
		return 0, false, false
	}
	y, inRange := yuanOf(f)
	if !inRange {
		return 0, false, false
	}
	return y, f.approx || start > 0, true
}
