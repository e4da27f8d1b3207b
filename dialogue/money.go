package dialogue

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxYuan is the largest amount ParseAmount accepts, matcher's bound for money.
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
	approx    bool // 多, 余, 几 or 来 made it approximate
	about     bool // 来 (十来万): roughly, not a lower bound
	vague     bool // 几 stood for a digit: 几百万, 六千几百万
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
	return r >= '0' && r <= '9' || chineseDigit(r) > 0 || r == '十' || r == '拾' || r == '零' || r == '〇' || r == '半' || r == '几'
}

// startsNumeralAt reports whether s starts with a numeral, or with an order
// of magnitude said without a digit (千万级).
func startsNumeralAt(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return startsNumeral(r) || bareOrder(s)
}

// orderWords name an order of magnitude without a digit: 千万级 is of the
// order of 1千万, as 1千万级 is. Without the 级, 千万 is also "by all means".
var orderWords = []string{"千万级", "百万级", "千亿级", "百亿级", "亿级", "万级"}

func bareOrder(s string) bool { return hasAnyPrefix(s, orderWords...) }

// any2 reports whether any of the sums holds a value.
func any2(ds ...decimal) bool {
	for _, d := range ds {
		if d.m != 0 {
			return true
		}
	}
	return false
}

// unitAfterSpace reports whether s starts with a unit of money, after which
// a space before it still belongs to the figure (6 亿, 1200 万元).
func unitAfterSpace(s string) bool {
	return hasAnyPrefix(s, "亿", "万", "元", "个亿", "块", "千万", "百万")
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
		spaced                       bool // a space stood before a unit: 2 亿
		n                            = numeral{plain: true}
	)
	ok := true
	addTo := func(acc *decimal, v decimal) {
		var good bool
		*acc, good = acc.add(v)
		ok = ok && good
	}
	// closeYi ends the digits of the 亿 (亿, 5e, 一个小目标): what was said
	// so far is of 亿, and a 万 may follow.
	closeYi := func() {
		if hasPend {
			addTo(&small, pend)
		}
		addTo(&section, small)
		addTo(&total, mustScale(section, 8, &ok))
		small, section, hasPend, sinceYi, sinceWan, zero, lastExp = decimal{}, decimal{}, false, false, false, false, 8
		n.magnitude, n.plain = true, false
	}
	if bareOrder(s[i:]) {
		// 千万级 is read as 1千万级: the one its unit stands on is unsaid.
		pend, hasPend, pendSingle, any, sinceWan, sinceYi, n.plain = decimal{m: 1}, true, true, true, true, true, false
	}
	j := i
loop:
	for j < len(s) && ok {
		r, size := utf8.DecodeRuneInString(s[j:])
		if (r == 'w' || r == 'W') && any && !(j+1 < len(s) && isLetter(s[j+1])) {
			r = '万' // 3000多w, 五个w: chat's w for 万 after a number's words
		}
		switch {
		case r >= '0' && r <= '9':
			if hasPend {
				break loop
			}
			d, k, intDigits, good := scanArabic(s, j)
			if !good {
				return n, false
			}
			if c := strings.IndexByte(s[j:k], ','); c >= 0 && (section.m != 0 || total.m != 0) {
				// 1万5,500位: digits after 万 group no thousands; the comma
				// parts two figures.
				if d, k, intDigits, good = scanArabic(s[:j+c], j); !good {
					return n, false
				}
			}
			pend, hasPend = d, true
			pendSingle = intDigits == 1 && d.p == 0 && k == j+1
			any, sinceWan, sinceYi = true, true, true
			j = k
			if w := kwShorthand(s, k); w > 0 {
				// 3kw and 8KW are chat shorthand for 3千万 and 8千万 (k for
				// 千, w for 万).
				addTo(&section, mustScale(pend, 7, &ok))
				hasPend, lastExp, n.magnitude = false, 7, true
				j = k + w
			} else if w := wShorthand(s, k); w > 0 {
				// 500w and 5个w are chat shorthand for 500万 and 5万.
				addTo(&section, mustScale(pend, 4, &ok))
				hasPend, lastExp, n.magnitude = false, 4, true
				j = k + w
			} else if e := eShorthand(s, k); e > 0 && total.m == 0 && sinceYi {
				// 5e and 5个e are chat shorthand for 5亿 (e for 亿, yi).
				closeYi()
				j = k + e
			}
			continue
		case chineseDigit(r) > 0:
			if hasPend {
				break loop
			}
			if lastExp >= 4 && hasAnyPrefix(s[j+size:], unitAfterDigit...) {
				break loop // 一百一十万一亩 is 110万 for one 亩, not 110.1万
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
			// 一千零五, 1亿零500万: a digit after 零 is read as written, not
			// as 一千五.
			if j < len(s) {
				if r2, _ := utf8.DecodeRuneInString(s[j:]); chineseDigit(r2) > 0 || r2 >= '0' && r2 <= '9' || r2 == '几' {
					hasPend = false
				}
			}
			if !any2(total, section, small) && strings.HasPrefix(s[j:], "点") {
				// 零点五亿.
				if d, k := scanChineseFraction(s, j+len("点"), decimal{}); k > 0 {
					pend, hasPend, pendSingle, sinceWan, sinceYi, j = d, true, false, true, true, k
				}
			}
			continue
		case r == '半' && !hasPend && (hasAnyPrefix(s[j+size:], "个亿", "个万", "亿", "万")):
			// 半个亿; 一个半亿 comes through 个 below.
			if any {
				break loop
			}
			n.plain = false
			pend, hasPend, pendSingle, any, sinceWan, sinceYi = decimal{m: 5, p: 1}, true, false, true, true, true
			j += size
			continue
		case r == ' ' && any && hasPend && unitAfterSpace(s[j+size:]):
			// 6 亿, 1200 万: a space between a number and its unit.
			spaced = true
			j += size
			continue
		case r == ' ' && spaced && !hasPend && lastExp == 8 && j+size < len(s) && s[j+size] >= '0' && s[j+size] <= '9':
			// 2 亿 5000 万: who spaces the units spaces the groups too.
			j += size
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
			if e == 1 && strings.HasPrefix(s[j:], "点") {
				// 十点五, 二十点五: the fraction follows the tens.
				if d, k := scanChineseFraction(s, j+len("点"), small); k > 0 {
					small, pend, hasPend, pendSingle, lastExp, j = decimal{}, d, true, false, 0, k
				}
			}
			continue
		case r == '万' || r == '萬' || r == '亿' || r == '億':
			wan := r == '万' || r == '萬'
			// 5万3万 and 5亿3亿 are two amounts, not one.
			if wan && (!sinceWan || section.m != 0) || !wan && (!sinceYi || total.m != 0) {
				break loop
			}
			if !wan {
				closeYi()
				j += size
				continue
			}
			n.plain = false
			if hasPend {
				addTo(&small, pend)
			}
			addTo(&section, mustScale(small, 4, &ok))
			small, hasPend, sinceWan, zero, lastExp, n.magnitude = decimal{}, false, false, false, 4, true
			j += size
			continue
		case r == '个':
			// 12个亿, 3个多亿, 五个w.
			rest := s[j+size:]
			if any && (startsBig(rest) || strings.HasPrefix(rest, "多") && startsBig(rest[len("多"):]) || wShorthand(rest, 0) > 0) {
				j += size
				continue
			}
			if any && strings.HasPrefix(rest, "小目标") && sinceYi && total.m == 0 {
				closeYi() // 一个小目标 is chat for 1亿
				j += size + len("小目标")
				continue
			}
			if any && hasPend && strings.HasPrefix(rest, "半") && startsBig(rest[len("半"):]) {
				// 一个半亿, 两个半亿.
				var good bool
				pend, good = pend.add(decimal{m: 5, p: 1})
				ok = ok && good
				pendSingle = false
				j += size + len("半")
				continue
			}
		case r == '几' && !hasPend && !(any && lastExp == 1) && hasAnyPrefix(s[j+size:], "十", "百", "千", "万", "亿", "个") ||
			r == '几' && !hasPend && any && lastExp >= 2 && !strings.HasPrefix(s[j+size:], "十"):
			// 几百万, 几个亿, 六千几百万, 三亿几: some digit; vagueSpan reads
			// the range.
			n.vague, n.plain = true, false
			pend, hasPend, pendSingle, any, sinceWan, sinceYi = decimal{m: 1}, true, true, true, true, true
			j += size
			continue
		case r == '几' && zero && hasPend && pend.m == 0:
			// 一百零几亿: some digit after 零; vagueSpan reads 101 to 109.
			n.vague, n.plain = true, false
			pend, pendSingle = decimal{m: 1}, true
			j += size
			continue
		case r == '几' && any && lastExp == 1 && !hasPend:
			// 十几万, 二十几个亿: some units above the tens said.
			n.approx, n.plain = true, false
			j += size
			continue
		case r == '多' || r == '余' || r == '来':
			if any && approxInside(r, s[j+size:]) {
				n.approx = true
				n.about = n.about || r == '来'
				n.plain = false
				if hasPend {
					if pendSingle && lastExp >= 1 && !zero {
						pend = mustScale(pend, lastExp-1, &ok) // 三亿五多 is 3.5亿 and more
					}
					addTo(&small, pend)
					hasPend = false
				}
				lastExp = 0
				j += size
				if next, _ := utf8.DecodeRuneInString(s[j:]); !strings.ContainsRune("万萬亿億个wW", next) {
					break loop // 19亿多一点: what follows the 多 is no digit of the figure
				}
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

// unitAfterDigit are measure words that, right after a digit that follows
// 万 or 亿, make the digit a count of its own (万一亩, 万一个人).
var unitAfterDigit = []string{"亩", "个", "平", "件", "人", "家", "名", "位", "台", "套", "项", "年", "月"}

// mustScale scales d by 10^e and clears *ok on overflow.
func mustScale(d decimal, e int, ok *bool) decimal {
	v, good := d.scale(e)
	if !good {
		*ok = false
	}
	return v
}

// eShorthand returns the length of the e or 个e at s[k:] that stands for 亿
// (5e, 3.5e, 5个e), or 0: the e must end the word, so 5eur and 3em are not.
func eShorthand(s string, k int) int {
	n := 0
	if strings.HasPrefix(s[k:], "个") {
		n = len("个")
	}
	if k+n >= len(s) || s[k+n] != 'e' && s[k+n] != 'E' {
		return 0
	}
	if after := k + n + 1; after < len(s) && (isLetter(s[after]) || s[after] >= '0' && s[after] <= '9') {
		return 0
	}
	return n + 1
}

// kwShorthand returns how long the chat's kw for 千万 is at s[k:] (kw, KW),
// or 0: a kw that starts a word (5kwh) is no 千万.
func kwShorthand(s string, k int) int {
	if k+1 >= len(s) || s[k] != 'k' && s[k] != 'K' || s[k+1] != 'w' && s[k+1] != 'W' || k+2 < len(s) && isLetter(s[k+2]) {
		return 0
	}
	return 2
}

// wShorthand returns how long the chat's w for 万 is at s[k:] (w, 个w), or
// 0: a w that starts a word (5wifi) is no 万.
func wShorthand(s string, k int) int {
	n := 0
	if strings.HasPrefix(s[k:], "个") {
		n = len("个")
	}
	if k+n >= len(s) || s[k+n] != 'w' && s[k+n] != 'W' || k+n+1 < len(s) && isLetter(s[k+n+1]) {
		return 0
	}
	return n + 1
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
	return strings.ContainsRune("万亿千百十元块吨年个人件家名位亩项台次天岁户", next)
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

// boundKind says how the words around a figure bound the value meant.
type boundKind uint8

const (
	boundExact   boundKind = iota
	boundAbove             // 超过5亿: more than the figure
	boundAtLeast           // 5亿以上, 至少5亿: the figure or more
	boundBelow             // 不到5亿, 没上过5亿: less than the figure
	boundAtMost            // 不超过5亿, 5亿以内: the figure or less
	boundAbout             // 5亿左右, 大概5亿: roughly, either side
	boundNear              // 接近5亿, 将近5亿: a little less
	boundOver              // 5亿出头: a little more
	boundInner             // 3亿多, 五千多万: more, but less than the next unit
	boundSpan              // 5到6个亿, 两三个亿: between two figures
)

// roughly is how far either side of a figure an approximate one may be:
// 5亿左右 is taken as 4.75亿 to 5.25亿, so a threshold nearer than that is
// not settled by it.
const roughly = 0.05

// figure is a number with its unit and the words that bound it.
type figure struct {
	kind       figureKind
	val        decimal
	bound      boundKind
	upto       decimal // the upper figure of a span
	start, end int     // the words read, bound words included
	coal       bool    // the unit was 吨标煤 or 吨标准煤
}

func (f figure) approx() bool { return f.bound != boundExact }

// boundWord is a word that bounds the figure next to it.
type boundWord struct {
	word  string
	bound boundKind
}

// boundPrefixes bound the figure after them. Longer words come first so
// that 将近 is not read as 近 and 没有超过 not as 超过.
var boundPrefixes = sortedBounds([]boundWord{
	{"还不到", boundBelow}, {"都不到", boundBelow}, {"不到", boundBelow}, {"不足", boundBelow}, {"低于", boundBelow},
	{"少于", boundBelow}, {"不满", boundBelow}, {"未达到", boundBelow}, {"没达到", boundBelow}, {"没有达到", boundBelow},
	{"没到", boundBelow}, {"没有到", boundBelow}, {"没到过", boundBelow}, {"没有到过", boundBelow}, {"没上过", boundBelow},
	{"没有上过", boundBelow}, {"没破过", boundBelow}, {"没突破", boundBelow}, {"没有突破", boundBelow}, {"未突破", boundBelow},
	{"没过", boundBelow}, {"没有过", boundBelow}, {"没上", boundBelow}, {"差一点到", boundNear}, {"差点到", boundNear},
	// 没超过50亿 told of one's own past means it never reached 50亿: a
	// figure of exactly 50亿 would have been said as 刚好50亿. The formal
	// 不超过 keeps the legal reading and includes the figure.
	{"没超过", boundBelow}, {"没有超过", boundBelow}, {"未超过", boundBelow}, {"不超过", boundAtMost}, {"不高于", boundAtMost},
	// 去年92亿,之前没有哪一年超过92亿: no year above it, the year said may be it.
	{"没有哪一年超过", boundAtMost}, {"没有哪年超过", boundAtMost}, {"没有一年超过", boundAtMost}, {"哪一年都没超过", boundAtMost}, {"哪年都没超过", boundAtMost},
	{"没高于", boundAtMost}, {"顶多", boundAtMost}, {"至多", boundAtMost}, {"最多也就", boundAtMost},
	{"超过", boundAbove}, {"超过了", boundAbove}, {"已经超过", boundAbove}, {"已超过", boundAbove}, {"突破", boundAbove},
	{"突破了", boundAbove}, {"刚过", boundOver}, {"刚刚过", boundOver}, {"刚超过", boundOver}, {"刚突破", boundOver}, {"过了", boundAbove}, {"高于", boundAbove}, {"多于", boundAbove},
	{"大于", boundAbove}, {"超", boundAbove}, {"逾", boundAbove}, {"破了", boundAbove},
	{"不低于", boundAtLeast}, {"不少于", boundAtLeast}, {"至少", boundAtLeast}, {"起码", boundAtLeast},
	{"差不多有", boundAbout}, {"大概有", boundAbout}, {"大约有", boundAbout}, {"差不多", boundAbout}, {"大约", boundAbout},
	{"大概", boundAbout}, {"估计", boundAbout}, {"预计", boundAbout}, {"约为", boundAbout}, {"大致", boundAbout},
	{"约", boundAbout}, {"估摸", boundAbout}, {"预估", boundAbout}, {"大体", boundAbout}, {"应该有", boundAbout},
	{"可能有", boundAbout}, {"可能", boundAbout}, {"也就", boundAbout}, {"差不多是", boundAbout}, {"大概是", boundAbout},
	{"将近", boundNear}, {"接近", boundNear}, {"有近", boundNear}, {"近", boundNear}, {"快", boundNear}, {"快到", boundNear},
	{"差一点", boundNear}, {"差点", boundNear}, {"小", boundNear},
	{"刚好", boundExact}, {"正好", boundExact}, {"恰好", boundExact}, {"整整", boundExact}, {"实际", boundExact},
	{"刚刚好", boundExact}, {"实际是", boundExact}, {"就是", boundExact}, {"一共", boundExact}, {"总共", boundExact},
	{"合计", boundExact}, {"不多不少", boundExact}, {"准确数字是", boundExact}, {"准确的是", boundExact}, {"准数是", boundExact}, {"准确数是", boundExact}, {"确切数是", boundExact}, {"确切的是", boundExact}, {"准数", boundExact},
	{"还没到", boundBelow}, {"还没有到", boundBelow}, {"从来没到过", boundBelow}, {"以前没到过", boundBelow}, {"从没到过", boundBelow},
	{"从未达到过", boundBelow}, {"从未达到", boundBelow}, {"从没达到过", boundBelow}, {"从来没达到过", boundBelow}, {"未曾达到", boundBelow},
	{"从未到过", boundBelow}, {"从未上过", boundBelow},
	{"小于", boundBelow}, {"未满", boundBelow}, {"不够", boundBelow}, {"逼近", boundNear}, {"离", boundNear},
	{"撑死", boundAtMost}, {"撑死了也就", boundAtMost}, {"撑死也就", boundAtMost}, {"最多", boundAtMost},
	{"不会超过", boundAtMost}, {"不会超", boundAtMost},
	{"过", boundAbove}, {"已经过", boundAbove}, {"早就过", boundAbove}, {"破", boundAbove}, {"不止", boundAbove}, {"远超", boundAbove}, {"远远超过", boundAbove},
	{"比", boundAbove}, {"不小于", boundAtLeast}, {"最少", boundAtLeast}, {"少说也有", boundAtLeast},
	{"怎么也有", boundAtLeast}, {"保底", boundAtLeast}, {"已经上", boundAtLeast}, {"已经到", boundAtLeast},
	{"够", boundAtLeast}, {"刚到", boundAtLeast}, {"上了", boundAtLeast},
	{"估计有", boundAbout}, {"差不多在", boundAbout}, {"大概在", boundAbout}, {"估摸着", boundAbout},
	{"大约在", boundAbout}, {"预计能", boundAbout},
})

// boundVerbs may stand between a bound word and its figure: 估计能到5.2亿,
// 大概在5亿, 预计能达到.
var boundVerbs = []string{"能达到", "能做到", "能到", "会到", "达到", "做到", "能有", "会有", "在", "是", "有", "到", "人民币"}

// boundSuffixes bound the figure before them.
var boundSuffixes = sortedBounds([]boundWord{
	{"左右", boundAbout}, {"上下", boundAbout}, {"出头", boundOver}, {"刚出头", boundOver}, {"以上", boundAtLeast}, {"以下", boundAtMost},
	{"以内", boundAtMost}, {"之内", boundAtMost}, {"多一点", boundInner}, {"多点", boundInner}, {"多", boundInner},
	{"余", boundInner}, {"不到", boundBelow}, {"不足", boundBelow}, {"还多", boundAbove}, {"都不到", boundBelow},
	{"整", boundExact}, {"一点", boundInner}, {"一些", boundInner},
	{"及以上", boundAtLeast}, {"往上", boundAtLeast}, {"打底", boundAtLeast}, {"起步", boundAtLeast},
	{"及以下", boundAtMost}, {"封顶", boundAtMost}, {"有余", boundInner},
	{"还差一点", boundBelow}, {"还差点", boundBelow},
	{"的样子", boundAbout}, {"这样", boundAbout}, {"附近", boundAbout}, {"吧", boundAbout}, {"这个样子", boundAbout},
})

func sortedBounds(ws []boundWord) []boundWord {
	slices.SortStableFunc(ws, func(x, y boundWord) int { return len(y.word) - len(x.word) })
	return ws
}

// notBound are words that end in a bound word but bound nothing: 节约八百吨
// is a saving, 最近3年 recent, 很快 soon.
var notBound = []string{
	"节约", "制约", "预约", "签约", "合约", "相约", "履约", "最近", "附近", "高超", "赶超", "很快", "加快", "尽快", "实际上",
	"不可能", "存在", "现在", "正在", "还在", "实在", "还是", "但是", "都是", "只是", "是不是", "有没有",
	// 之前最多三千万 names the peak of earlier years; it bounds nothing.
	"之前最多", "以前最多", "过去最多", "往年最多", "历史最多", "历年最多", "最多的时候", "经过", "通过", "超过过",
	"到过", "做到过", "达到过", "去过",
}

// boundAgain end in a word of notBound yet bound the figure: 最高超9千万 is
// a peak above 9千万, not 高超 (superb).
var boundAgain = []string{"最高超"}

// notBoundAt reports whether the text before a figure ends in a word of
// notBound that holds the bound word b: 到过 is no 过, but 没到过 is 没到过.
func notBoundAt(before, b string) bool {
	if hasAnySuffix(before, boundAgain...) {
		return false
	}
	for _, w := range notBound {
		if len(w) > len(b) && strings.HasSuffix(w, b) && strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// foreignCurrencies are amounts that are not yuan and so are no money fact.
var foreignCurrencies = []string{"美元", "美金", "欧元", "港币", "港元", "日元", "英镑", "韩元", "卢布"}

// otherUnits are measure words that make a number something other than money,
// so that 10万平方米 and 年产5万吨 are never read as yuan.
var otherUnits = []string{
	"平方米", "平米", "平方", "平", "㎡", "亩", "人", "名", "个", "家", "户", "台", "套", "件", "辆", "次", "千瓦",
	"度", "立方", "米", "公里", "公斤", "斤", "箱", "只", "条", "款", "项", "份", "张", "股", "倍",
	"天", "月", "小时", "%", "岁", "号", "栋", "间", "位", "批", "种", "kw", "KW", "mw", "MW",
}

// reachWords say a figure was reached (上了10亿): a lower bound of a level.
var reachWords = []string{"上了"}

// significantDigits counts the digits of d without its trailing zeros:
// 103亿 has three, 10亿 one.
func significantDigits(d decimal) int {
	m := d.m
	for m > 0 && m%10 == 0 {
		m /= 10
	}
	n := 0
	for ; m > 0; m /= 10 {
		n++
	}
	return n
}

// prefixBound reads the bound word ending at i, not before from, with a verb
// between allowed (估计能到); it returns the bound and where its words start.
func prefixBound(s string, from, i int) (boundKind, int, bool) {
	try := func(at int) (boundKind, int, bool) {
		for _, b := range boundPrefixes {
			if at-len(b.word) >= from && strings.HasSuffix(s[:at], b.word) && !notBoundAt(s[:at], b.word) {
				return b.bound, at - len(b.word), true
			}
		}
		return 0, 0, false
	}
	if b, at, ok := try(i); ok {
		return b, at, true
	}
	for _, v := range boundVerbs {
		if i-len(v) >= from && strings.HasSuffix(s[:i], v) && !hasAnySuffix(s[:i], notBound...) {
			if b, at, ok := try(i - len(v)); ok {
				return b, at, true
			}
		}
	}
	return 0, 0, false
}

// scanFigure reads the number at s[i] with its unit and the words that bound
// it. The number itself must start at i; bound words before it are looked
// for from 'from' on.
func scanFigure(s string, from, i int) (figure, bool) {
	n, ok := scanNumeral(s, i)
	if !ok {
		return figure{}, false
	}
	f := figure{val: n.val, start: i, end: n.end}
	prefixed := false // an upper bound word before the figure set f.bound
	switch {
	case n.about:
		f.bound = boundAbout
	case n.approx:
		f.bound = boundInner
	}
	if b, at, found := prefixBound(s, from, i); found && n.vague && hasAnySuffix(s[:i], "大", "小") {
		// 小几千万: 小 and 大 say which digits 几 stands for (vagueSpan).
	} else if found && f.bound == boundExact && b == boundAtLeast && hasAnyPrefix(s[at:i], reachWords...) && significantDigits(n.val) >= 3 {
		// 今年首次上了103亿: a level reached is a round figure; one of three
		// digits or more is the figure itself.
		f.start = at
	} else if found && f.bound == boundExact {
		f.bound, f.start = b, at
		prefixed = b == boundAtMost || b == boundBelow
	} else if found && (b == boundAbout || b == boundExact) {
		f.start = at // 大概3个多亿: the inner bound says more
	}
	j := n.end
	// 估计十四五个亿, 大概5到6个亿: the span already says how unsure the
	// figure is, so a word of estimate before it leaves the span as said.
	if lo, hi, magnitude, k, ok := spanOf(s, n, i); ok && (f.bound == boundExact || f.bound == boundAbout) {
		f.val, f.upto, f.bound = lo, hi, boundSpan
		n.magnitude, n.plain = n.magnitude || magnitude, false
		j = k + prefixLen(s[k:], "之间")
	} else if n.vague && f.bound == boundExact {
		// 几百万, 六千几百万: 几 is some digit from one to nine; 大几 the
		// upper half, 小几 the lower.
		lo, hi, ok := vagueSpan(s, i, n.end)
		if ok {
			f.val, f.upto, f.bound = lo, hi, boundSpan
		}
	}
	if strings.HasPrefix(s[j:], "级") && n.magnitude && f.bound == boundExact {
		// 千万级, 亿级: of that order, up to ten times it.
		if hi, ok := f.val.scale(1); ok {
			f.upto, f.bound = hi, boundSpan
			j += len("级")
		}
	}
	rest := s[j:]
	switch {
	case hasAnyPrefix(rest, foreignCurrencies...):
		f.kind = figOther
	case strings.HasPrefix(rest, "元"):
		f.kind = figMoney
		j += len("元")
		j += prefixLen(s[j:], "钱", "人民币")
	case strings.HasPrefix(rest, "人民币") && n.magnitude:
		f.kind = figMoney
		j += len("人民币")
	case strings.HasPrefix(rest, "块钱"):
		f.kind = figMoney
		j += len("块钱")
	case strings.HasPrefix(rest, "块") && (n.magnitude || endsWord(rest[len("块"):]) || boundSuffixAt(rest[len("块"):]) ||
		strings.HasPrefix(rest[len("块"):], "了") && endsWord(rest[len("块了"):])):
		// 已经上三千块了: a 了 that ends the clause leaves 块 the yuan.
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
	case strings.HasPrefix(rest, "年") && n.val.p == 0 && n.val.m == 1 && (!n.plain || hasAnySuffix(s[:i], "的", "那", "这", "哪", "某", "每", "最高", "最多", "最好") || startsNumeralAt(rest[len("年"):])):
		f.kind = figOther // 最高的一年 names a year, 一年300万 is a year's: neither counts years
	case strings.HasPrefix(rest, "年"):
		f.kind = figYears
		j += len("年")
		if strings.HasPrefix(s[j:], "半") {
			// 三年半 is 3.5 years.
			if v, ok := f.val.add(decimal{m: 5, p: 1}); ok {
				f.val = v
				j += len("半")
			}
		}
	case hasAnyPrefix(rest, otherUnits...):
		f.kind = figOther
	case n.magnitude:
		f.kind = figMoney
	case n.plain:
		f.kind = figPlain
	default:
		return figure{}, false
	}
	if strings.HasSuffix(s[:j], "多") && !strings.HasPrefix(s[j:], "点钟") {
		j += prefixLen(s[j:], "一点", "点") // 2000万多点: the 多 read with the numeral
	}
	if f.kind == figMoney || f.kind == figTonnes || f.kind == figYears {
		// Up to two: 3000万元整及以下.
		for range 2 {
			found := false
			for _, b := range boundSuffixes {
				if strings.HasPrefix(s[j:], b.word) && boundSuffixOK(s[j:], len(b.word)) {
					switch {
					case f.bound == boundExact, f.bound == boundAbout && b.bound == boundAbout:
						f.bound = b.bound
					case prefixed && (b.bound == boundOver || b.bound == boundInner):
						// 最多也就9亿出头: the figure is a little over 9亿,
						// and the prefix only says it is no more than that.
						f.bound = b.bound
					}
					j += len(b.word)
					found = true
					break
				}
			}
			if !found {
				break
			}
		}
	}
	f.end = j
	return f, true
}

// spanOf reads a span that starts with the numeral n at s[i:] and returns
// its ends, whether the second carried a unit of money, and where it ends:
// 5到6个亿, 4亿到4.5亿, 三千万到五千万, 两三个亿, 八九十万, 十一二亿,
// 三千五六百万, 4、5个亿, 一亿五六.
func spanOf(s string, n numeral, i int) (lo, hi decimal, magnitude bool, end int, ok bool) {
	if n.approx || n.vague {
		return
	}
	j := n.end
	if n.magnitude {
		if k := prefixLen(s[j:], "到", "至", "-", "~", "～", "—", "－"); k > 0 {
			// 4亿到4.5亿, 1亿到1亿2.
			b, good := scanNumeral(s, j+k)
			if good && b.magnitude && !b.approx && b.val.float() > n.val.float() {
				return n.val, b.val, true, b.end, true
			}
			return
		}
		// 一亿五六: the digit after an abbreviated one is the span's top.
		last, size := utf8.DecodeLastRuneInString(s[:j])
		next, nsize := utf8.DecodeRuneInString(s[j:])
		if d1, d2 := chineseDigit(last), chineseDigit(next); d1 > 0 && d2 == d1+1 && size > 0 && j-size > i {
			if before, _ := utf8.DecodeLastRuneInString(s[:j-size]); strings.ContainsRune("亿万千百十", before) {
				after, _ := utf8.DecodeRuneInString(s[j+nsize:])
				if !strings.ContainsRune("亿万千百十个", after) {
					return n.val, decimalOf(n.val.float() + nextUnit(n.val)), false, j + nsize, true
				}
			}
		}
		return
	}
	joiner := prefixLen(s[j:], "到", "至", "-", "~", "～", "—", "－")
	comma := joiner == 0 && strings.HasPrefix(s[j:], "、")
	if comma {
		joiner = len("、")
	}
	r, _ := utf8.DecodeRuneInString(s[j+joiner:])
	if !startsNumeral(r) {
		return
	}
	b, good := scanNumeral(s, j+joiner)
	if !good || b.approx || b.vague {
		return
	}
	if joiner > 0 && !comma {
		// 5到6个亿: the unit of the second figure is the first's too.
		lead, good := scanLead(s, j+joiner)
		if !good || lead.m == 0 {
			return
		}
		mult := b.val.float() / lead.float()
		if e := math.Round(math.Log10(mult)); math.Abs(mult-math.Pow10(int(e))) > 1e-9*mult || e < 0 {
			return
		}
		l := n.val.float() * mult
		if l >= b.val.float() {
			return
		}
		return decimalOf(l), b.val, b.magnitude, b.end, true
	}
	// 两三个亿, 八九十万, 十一二亿, 4、5个亿: the second is the next digit up,
	// in the place of the first's last digit.
	d := chineseDigit(r)
	if r >= '0' && r <= '9' {
		d = int(r - '0')
	}
	if d < 1 {
		return
	}
	m := 1.0
	switch {
	case strings.Contains(s[j+joiner:b.end], "亿"):
		m = 1e8
	case strings.Contains(s[j+joiner:b.end], "万") || strings.ContainsAny(s[j+joiner:b.end], "wW"):
		m = 1e4
	}
	small := b.val.float() / m
	place := small / float64(d)
	if e := math.Round(math.Log10(place)); e < 0 || math.Abs(place-math.Pow10(int(e))) > 1e-9*place {
		return
	}
	a := n.val.float()
	scale := place / nextUnit(n.val)
	if e := math.Round(math.Log10(scale)); e < 0 || math.Abs(scale-math.Pow10(int(e))) > 1e-9*scale {
		return
	}
	a *= scale
	last := int(math.Round(a/place)) % 10
	if last+1 != d && !(last == 3 && d == 5) { // 三五百万 is three to five hundred 万
		return
	}
	return decimalOf(a * m), decimalOf((a + float64(d-last)*place) * m), b.magnitude, b.end, true
}

// vagueSpan reads the numeral at s[i:end] that holds 几 twice, with 几 as
// one and as nine (大几: five to nine; 小几: one to four), and returns both.
func vagueSpan(s string, i, end int) (decimal, decimal, bool) {
	low, high := "一", "九"
	switch {
	case strings.HasSuffix(s[:i], "大"):
		low = "五"
	case strings.HasSuffix(s[:i], "小"):
		high = "四"
	}
	lo, ok1 := scanNumeral(strings.ReplaceAll(s[i:end], "几", low), 0)
	hi, ok2 := scanNumeral(strings.ReplaceAll(s[i:end], "几", high), 0)
	if !ok1 || !ok2 || lo.val.float() >= hi.val.float() {
		return decimal{}, decimal{}, false
	}
	return lo.val, hi.val, true
}

// decimalOf returns x, a sum of money or a quantity, as a decimal of at
// most four places.
func decimalOf(x float64) decimal {
	// Beyond any amount a fact takes (八九千万亿): kept above maxYuan, which
	// the callers refuse, rather than wrapped round.
	x = min(x, 2*maxYuan)
	return normalizeDecimal(decimal{m: uint64(math.Round(x * 1e4)), p: 4})
}

// scanLead reads the leading number of a numeral, up to its first unit of
// a hundred or more: 15 of 15亿, 六 of 六千万, 十五 of 十五亿.
func scanLead(s string, i int) (decimal, bool) {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r >= '0' && r <= '9' || r == '.' || chineseDigit(r) > 0 || r == '十' || r == '点' {
			j += size
			continue
		}
		break
	}
	if j == i {
		return decimal{}, false
	}
	n, ok := scanNumeral(s[:j], i)
	if !ok || n.end != j {
		return decimal{}, false
	}
	return normalizeDecimal(n.val), true
}

// normalizeDecimal drops trailing zeros of the fraction, so that values
// compare equal however they were written.
func normalizeDecimal(d decimal) decimal {
	for d.p > 0 && d.m%10 == 0 {
		d.m /= 10
		d.p--
	}
	return d
}

// boundSuffixAt reports whether s starts with a bound word.
func boundSuffixAt(s string) bool {
	for _, b := range boundSuffixes {
		if strings.HasPrefix(s, b.word) {
			return true
		}
	}
	return false
}

// boundSuffixOK guards the one-character suffixes against starting a word:
// 3亿多少 asks a question, 5亿余额 is a balance.
func boundSuffixOK(rest string, k int) bool {
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

// Range is what the words of an approximate figure allow: the least and the
// greatest value (money in whole yuan); Hi is +Inf when they set no ceiling.
type Range struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// limits returns the range of values the figure's words allow: for money
// whole yuan, the strict bounds a yuan inside the figure (超过5亿 is from
// 500000001, 不到1.5元 up to 1); for quantities the next float. A range the
// words cannot fill (0多万) is the figure said, and money never leaves
// [0, maxYuan].
func (f figure) limits(money bool) Range {
	x := f.val.float()
	above := func(y float64) float64 { // the least value more than y
		if money {
			return math.Floor(y) + 1
		}
		return math.Nextafter(y, math.Inf(1))
	}
	below := func(y float64) float64 { // the greatest value less than y
		if money {
			return math.Ceil(y) - 1
		}
		return math.Nextafter(y, math.Inf(-1))
	}
	atLeast, atMost := func(y float64) float64 { return y }, func(y float64) float64 { return y }
	if money {
		atLeast, atMost = math.Ceil, math.Floor
	}
	var r Range
	switch f.bound {
	case boundAbove:
		r = Range{above(x), math.Inf(1)}
	case boundAtLeast:
		r = Range{atLeast(x), math.Inf(1)}
	case boundBelow:
		r = Range{0, below(x)}
	case boundAtMost:
		r = Range{0, atMost(x)}
	case boundAbout:
		r = Range{atLeast(x * (1 - roughly)), atMost(x * (1 + roughly))}
	case boundNear:
		r = Range{atLeast(x * (1 - roughly)), below(x)}
	case boundOver:
		r = Range{above(x), atMost(x * (1 + roughly))}
	case boundInner:
		r = Range{above(x), below(x + nextUnit(f.val))}
	case boundSpan:
		r = Range{atLeast(x), atMost(f.upto.float())}
	default:
		r = Range{atMost(x), atMost(x)}
	}
	r.Lo = max(r.Lo, 0)
	if money {
		r.Lo = min(r.Lo, maxYuan)
		if !math.IsInf(r.Hi, 1) {
			r.Hi = min(r.Hi, maxYuan)
		}
	}
	if r.Lo > r.Hi {
		v := atMost(x)
		r = Range{v, v}
	}
	return r
}

// nextUnit is the place of the last non-zero digit of d: 19亿多 lies below
// 20亿, 五千多万 below 6000万, 十多万 below 20万.
func nextUnit(d decimal) float64 {
	d = normalizeDecimal(d)
	if d.m == 0 {
		return 1
	}
	if d.p > 0 {
		return math.Pow10(-d.p)
	}
	u := 1.0
	for m := d.m; m%10 == 0; m /= 10 {
		u *= 10
	}
	return u
}

// Amount is a money expression read by ParseAmount.
type Amount struct {
	Yuan  int64 // the figure said, in whole yuan (5亿 of 不到5亿)
	Range Range // the values its words allow
	Exact bool  // no bound word: Range is [Yuan, Yuan]
}

// ParseAmount reads one Chinese money expression. It accepts Arabic,
// Chinese and mixed numerals (12亿, 1.2亿元, 一亿两千万, 5千万, 1,200万,
// 12000000元, 5e), full-width digits and 12个亿, with the words that bound
// them: lower bounds (超过, 出头, 3个多亿), upper bounds (不到, 没上过, 接近),
// approximations (左右, 大概) and spans (5到6个亿). A number must carry 万,
// 亿 or a currency word to be money: a bare 5000 is not. Fractions of a yuan
// are cut off; amounts above 1e15 yuan, negative or foreign ones refused.
func ParseAmount(s string) (Amount, bool) {
	s = strings.TrimFunc(normalize(s), func(r rune) bool { return r == ' ' || isPunct(r) })
	start := 0
	for {
		k := 0
		for _, b := range boundPrefixes {
			if strings.HasPrefix(s[start:], b.word) {
				k = len(b.word)
				break
			}
		}
		if k == 0 {
			k = prefixLen(s[start:], boundVerbs...)
		}
		if k == 0 {
			k = prefixLen(s[start:], "人民币")
		}
		if k == 0 {
			break
		}
		start += k
	}
	f, found := scanFigure(s, 0, start)
	if !found || f.kind != figMoney || f.end != len(s) {
		return Amount{}, false
	}
	if y := f.val.floor(); y > maxYuan || f.bound == boundSpan && f.upto.floor() > maxYuan {
		return Amount{}, false
	}
	r := f.limits(true)
	return Amount{Yuan: int64(f.val.floor()), Range: r, Exact: f.bound == boundExact}, true
}
