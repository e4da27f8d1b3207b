package dialogue

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dated is an event said with the date it happened or will: the first and
// last day the words allow, and where the date and the event word are.
type dated struct {
	first, last time.Time
	sp          span
}

// dateBefore matches a date that ends right before an event word: a year,
// written or relative, then perhaps a month or a part of the year and a
// day, then a few words of no other year, date or denial (2024年已竣工).
var dateBefore = regexp.MustCompile(`(\d{4}年|今年|去年|前年|明年|后年)(\d{1,2}月|[一二三四五六七八九十]{1,3}月|年?底|年?末|年?初|上半年|下半年)?(\d{1,2}[日号])?([^,;。!?、0-9年没未不]{0,4})$`)

// boundingWords between a date and its event make the date a bound, not
// the event's (2025年底前投产, 2024年以后投产): nothing is settled.
var boundingWords = []string{"前", "以前", "之前", "以后", "之后", "后", "起", "至今", "以来"}

// dateAfter matches a date given as a form's field of the event (开工时间:
// 2024年3月).
var dateAfter = regexp.MustCompile(`^(?:时间|日期|年月)?: ?(\d{4}年|今年|去年|前年|明年|后年)(\d{1,2}月|[一二三四五六七八九十]{1,3}月|年?底|年?末|年?初|上半年|下半年)?(\d{1,2}[日号])?`)

// relativeYears are the years said relative to the one judged on.
var relativeYears = map[string]int{"今年": 0, "去年": -1, "前年": -2, "明年": 1, "后年": 2}

// yearParts are the months of the parts of a year (年底 is its last two).
var yearParts = map[string][2]int{"底": {11, 12}, "末": {11, 12}, "初": {1, 2}, "上半年": {1, 6}, "下半年": {7, 12}}

// readWithin gives a yes/no fact of one event following another within so
// many months from the dates the message gives them: 2023年开工、2024年竣工
// 投产 is within two years whatever the days, 2023年开工、2025年投产 may be
// either and settles nothing.
func (a *analysis) readWithin() {
	for _, i := range a.r.withinFacts {
		f := &a.r.cat.Facts()[i]
		if a.has(f.Key) {
			continue
		}
		from, ok := a.eventDated(f.Within.From, 0)
		if !ok {
			continue
		}
		to, ok := a.eventDated(f.Within.To, from.sp.end)
		if !ok {
			continue
		}
		if to.last.Before(from.first) {
			continue // 2025年开工,2023年投产: the dates are not of one project's course
		}
		var held bool
		switch {
		case !to.last.After(addMonths(from.first, f.Within.Months)):
			held = true
		case to.first.After(addMonths(from.last, f.Within.Months)):
			held = false
		default:
			continue
		}
		a.add(from.sp.start, Mention{Key: f.Key, Value: held, Text: a.s[from.sp.start:to.sp.end]})
	}
}

// eventDated finds, at or after offset from, an event said with a date
// and the days the date allows: the first of words, in their order, that
// is (竣工投产 and 投产 before 竣工, which may come first).
func (a *analysis) eventDated(words []string, from int) (dated, bool) {
	for _, w := range words {
		if w == "" {
			continue
		}
		for at := from; ; {
			i := a.index(at, len(a.s), w)
			if i < 0 {
				break
			}
			at = i + len(w)
			if m := dateAfter.FindStringSubmatchIndex(a.s[at:]); m != nil {
				if first, last, ok := a.dateDays(a.s[at+m[2]:at+m[3]], a.s[at:], m); ok {
					return dated{first, last, span{i, at + m[1]}}, true
				}
			}
			start := max(a.clauseAt(i).start, i-48)
			for start < i && !utf8.RuneStart(a.s[start]) {
				start++
			}
			m := dateBefore.FindStringSubmatchIndex(a.s[start:i])
			if m == nil || containsAny(a.s[start+m[8]:start+m[9]], boundingWords) {
				continue
			}
			if first, last, ok := a.dateDays(a.s[start+m[2]:start+m[3]], a.s[start:i], m); ok {
				return dated{first, last, span{start + m[0], i + len(w)}}, true
			}
		}
	}
	return dated{}, false
}

// dateDays returns the first and last day of the year and month or part
// the submatches m of s name.
func (a *analysis) dateDays(year, s string, m []int) (time.Time, time.Time, bool) {
	y := 0
	if d, ok := relativeYears[year]; ok {
		if a.ctx.Year == 0 {
			return time.Time{}, time.Time{}, false
		}
		y = a.ctx.Year + d
	} else {
		y, _ = strconv.Atoi(strings.TrimSuffix(year, "年"))
	}
	lo, hi := 1, 12
	if m[4] >= 0 {
		part := strings.TrimPrefix(s[m[4]:m[5]], "年")
		if r, ok := yearParts[part]; ok {
			lo, hi = r[0], r[1]
		} else if n := monthNumber(strings.TrimSuffix(part, "月")); n >= 1 && n <= 12 {
			lo, hi = n, n
		} else {
			return time.Time{}, time.Time{}, false
		}
	}
	first := time.Date(y, time.Month(lo), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(y, time.Month(hi)+1, 0, 0, 0, 0, 0, time.UTC)
	if len(m) > 6 && m[6] >= 0 && lo == hi {
		// 2023年3月15日: the day itself.
		d, _ := strconv.Atoi(strings.TrimRight(s[m[6]:m[7]], "日号"))
		if d < 1 || d > last.Day() {
			return time.Time{}, time.Time{}, false
		}
		first = time.Date(y, time.Month(lo), d, 0, 0, 0, 0, time.UTC)
		last = first
	}
	return first, last, true
}

// addMonths returns t n months on, on the same day or the month's last
// when it has no such day (2024年2月29日 and 24 months is 2026年2月28日).
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
}

// monthNumber reads a month written in digits or Chinese numerals (11, 十一).
func monthNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 2 && rs[0] == '十' && chineseDigit(rs[1]) > 0:
		return 10 + chineseDigit(rs[1])
	case len(rs) == 1:
		return max(chineseDigit(rs[0]), 0)
	}
	return 0
}
