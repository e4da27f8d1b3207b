package kb

import (
	"math"
	"strings"
	"unicode/utf8"
)

// FigureUnit is what a figure of a policy text counts.
type FigureUnit string

// The units of figures. A number carries its measure word (亩, 件, 年).
const (
	FigureYuan     FigureUnit = "cny"
	FigurePercent  FigureUnit = "percent"
	FigurePerMille FigureUnit = "per_mille"
	FigureNumber   FigureUnit = "number"
)

// Figure is an amount as a policy text prints it: 5000万元, 1.5亿元, 二十万元,
// 100元, 5%, 1‰, 500亩, 30件.
type Figure struct {
	Unit FigureUnit
	// CNY is the sum in whole yuan for money, rounded down.
	CNY int64
	// Value is the figure in its own unit: yuan, percent, per mille or the
	// measure word's count.
	Value float64
	// Measure is the measure word of a number (亩, 平方米, 美元).
	Measure string
	// Start and End are the byte offsets of the figure in the text read.
	Start, End int
	// scaled is the power of ten its 万, 亿 or 千 gave.
	scaled int
}

// measures are the measure words a count may carry, longest first so that
// 平方米 wins over 米 and 吨标准煤 over 吨.
var measures = []string{"吨标准煤", "吨标煤", "平方米", "个月", "美元", "亩", "件", "人", "家", "个", "年", "项", "名", "户", "倍", "吨"}

// multipliers are the words that scale a number: 1千万, 5000万, 1.5亿.
var multipliers = map[rune]int{'十': 1, '百': 2, '千': 3, '万': 4, '亿': 8}

// ReadFigure reads the figure s starts with and returns it with the number
// of bytes it takes. A figure needs a unit: 元, %, ‰, a measure word, or 万
// or 亿 alone, which texts use for money (500万(含)至5000万元). A bare number
// such as the 100 of 100—500亩 is no figure by itself; FindFigures gives it
// the unit of the figure its range ends with.
func ReadFigure(s string) (Figure, int, bool) {
	f, n, bare, ok := readFigure(s)
	return f, n, ok && !bare
}

// readFigure is ReadFigure that also accepts a bare number, reported as bare.
func readFigure(s string) (f Figure, n int, bare, ok bool) {
	var frac FigureUnit
	switch {
	case strings.HasPrefix(s, "百分之"):
		frac, n = FigurePercent, len("百分之")
	case strings.HasPrefix(s, "千分之"):
		frac, n = FigurePerMille, len("千分之")
	}
	m, exp, k, ok := readNumber(s[n:])
	if !ok {
		return Figure{}, 0, false, false
	}
	n += k
	if frac != "" {
		return figure(frac, m, exp, ""), n, false, true
	}
	scaled := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		e, ok := multipliers[r]
		// A scale past 10^18 is no amount a text states.
		if !ok || exp+e > 18 {
			break
		}
		exp += e
		n += size
		scaled += e
	}
	rest := s[n:]
	defer func() { f.scaled = scaled }()
	switch {
	case strings.HasPrefix(rest, "美元"):
		return figure(FigureNumber, m, exp, "美元"), n + len("美元"), false, true
	case strings.HasPrefix(rest, "元"):
		return figure(FigureYuan, m, exp, ""), n + len("元"), false, true
	case strings.HasPrefix(rest, "%"), strings.HasPrefix(rest, "％"):
		_, size := utf8.DecodeRuneInString(rest)
		return figure(FigurePercent, m, exp, ""), n + size, false, true
	case strings.HasPrefix(rest, "‰"):
		return figure(FigurePerMille, m, exp, ""), n + len("‰"), false, true
	}
	for _, w := range measures {
		if strings.HasPrefix(rest, w) {
			return figure(FigureNumber, m, exp, w), n + len(w), false, true
		}
	}
	if scaled >= 4 {
		return figure(FigureYuan, m, exp, ""), n, false, true
	}
	return figure(FigureNumber, m, exp, ""), n, true, true
}

// figure builds a figure of mantissa m times 10^exp.
func figure(u FigureUnit, m int64, exp int, measure string) Figure {
	f := Figure{Unit: u, Value: float64(m) * math.Pow10(exp), Measure: measure}
	if u == FigureYuan {
		f.CNY = scale(m, exp)
	}
	return f
}

// scale returns m times 10^exp in integers, rounded down, or the largest
// int64 when it overflows.
func scale(m int64, exp int) int64 {
	for ; exp < 0; exp++ {
		m /= 10
	}
	for ; exp > 0; exp-- {
		if m > math.MaxInt64/10 {
			return math.MaxInt64
		}
		m *= 10
	}
	return m
}

// readNumber reads a number in Arabic digits (1.5, ５０００) or in Chinese
// numerals (二十, 一千) as mantissa times 10^exp, and the bytes it takes.
func readNumber(s string) (m int64, exp, n int, ok bool) {
	digits, point := 0, false
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			d := r - '0'
			if r >= '０' {
				d = r - '０'
			}
			// Digits beyond what an int64 holds only lose precision.
			if m <= (math.MaxInt64-9)/10 {
				m = m*10 + int64(d)
				if point {
					exp--
				}
			} else if !point {
				exp++
			}
			digits++
		case r == '.' && !point && digits > 0 && n+size < len(s) && isDigit(s[n+size]):
			point = true
		default:
			if digits > 0 {
				return m, exp, n, true
			}
			return readNumeral(s)
		}
		n += size
	}
	return m, exp, n, digits > 0
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// readNumeral reads the longest Chinese numeral s starts with.
func readNumeral(s string) (m int64, exp, n int, ok bool) {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !strings.ContainsRune("零一二三四五六七八九十百千两", r) {
			break
		}
		end += size
	}
	// The longest prefix that is a numeral: 一千万 reads 一千, then 万.
	for ; end > 0; end = strings.LastIndexFunc(s[:end], func(rune) bool { return true }) {
		if v, ok := ParseChineseNumeral(s[:end]); ok {
			return int64(v), 0, end, true
		}
	}
	return 0, 0, 0, false
}

// rangeDash are the words between the two figures of a range: 10万元—100万元,
// 5%-20%, 500万(含)至5000万元.
var rangeDash = []string{"—", "－", "-", "~", "～", "至", "到"}

// FindFigures returns every figure of s, in order. A bare number followed by
// a range dash takes the unit of the figure after it: 100—500亩 is 100亩, and
// 10—100万元 is 10万元.
func FindFigures(s string) []Figure {
	var out []Figure
	for i := 0; i < len(s); {
		f, n, bare, ok := readFigure(s[i:])
		if !ok {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		f.Start, f.End = i, i+n
		if !countable(s, f) {
			i += n
			continue
		}
		if bare {
			next, ok := rangeEnd(s[i+n:])
			if !ok {
				i += n
				continue
			}
			f = inherit(f, next)
		}
		out = append(out, f)
		i += n
	}
	return out
}

// countable reports whether f, found in s, is a figure and not an ordinal
// (第1款, 上一年度), a date (2017年1月1日) or the article 一 of 一项, 一家.
func countable(s string, f Figure) bool {
	if strings.HasSuffix(s[:f.Start], "第") || strings.HasSuffix(s[:f.Start], "上") {
		return false
	}
	if f.Measure == "年" && f.Value >= 1900 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[f.Start:])
	return r != '一' || f.Value != 1
}

// rangeEnd reads the figure after a range dash at the start of s.
func rangeEnd(s string) (Figure, bool) {
	for _, d := range rangeDash {
		if rest, ok := strings.CutPrefix(s, d); ok {
			f, _, ok := ReadFigure(rest)
			return f, ok
		}
	}
	return Figure{}, false
}

// inherit gives the bare number f the unit and scale of the figure that ends
// its range: 10—100万元 is 10万 to 100万.
func inherit(f, end Figure) Figure {
	g := end
	g.Start, g.End = f.Start, f.End
	g.Value = f.Value * math.Pow10(end.scaled)
	if g.Unit == FigureYuan {
		g.CNY = int64(g.Value)
	}
	return g
}
