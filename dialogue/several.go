package dialogue

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/matcher"
)

// applicantPart is one of several applicants a message asks for at once
// (A公司今年在创业板上市;B公司在新三板挂牌了…分别奖多少): its label as the
// message writes it, and the words to read for it, which are its own with
// those said of all of them.
type applicantPart struct {
	Label string
	Text  string
}

var (
	// partMarks letter the applicants of a list (A公司, 乙企业), and
	// partNouns are what they letter.
	partMarks = []string{"A", "B", "C", "D", "E", "F", "甲", "乙", "丙", "丁", "戊"}
	partNouns = []string{"公司", "企业", "厂", "单位", "机构", "园区", "家"}
	// partOrdinals count them (第二家, 第三个).
	partOrdinals = ordinals([]string{"一", "二", "三", "四", "五", "六"}, []string{"家", "个", "户"})
	// partOthers name the other of two (一家在南沙…,另一家在番禺); the first
	// is 一家 only when one of these follows it.
	partOthers = []string{"另一家", "另外一家", "另一个", "另外一个"}
	// partLeads may come before a label at the head of its clause (今年甲企业…).
	partLeads = slices.Concat([]string{"其中", "而", "另外", "还有", "然后"}, thoughtStarts)
	// togetherWords open what is said of all the applicants listed (两家都
	// 注册在南沙, 分别奖多少), which each of them takes.
	togetherWords = []string{"两家", "三家", "四家", "几家", "这两家", "这三家", "这几家", "以上", "上述", "都", "均", "各", "分别", "它们", "他们"}
)

// ordinals returns 第 with each numeral and measure word.
func ordinals(numerals, measures []string) []string {
	var out []string
	for _, n := range numerals {
		for _, m := range measures {
			out = append(out, "第"+n+m)
		}
	}
	return out
}

// clauseSpan is a clause of a message: where it starts and ends, its
// separator after it.
type clauseSpan struct{ start, end int }

// splitClauses returns the clauses of s, cut at its punctuation and spaces.
func splitClauses(s string) []clauseSpan {
	var out []clauseSpan
	start := 0
	for i, r := range s {
		if strings.ContainsRune(",。;!?:、\n ", r) {
			if i > start {
				out = append(out, clauseSpan{start, i})
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(s) {
		out = append(out, clauseSpan{start, len(s)})
	}
	return out
}

// partLabel returns the label a clause opens with, if it names one
// applicant of a list, and whether it is the 一家 that needs another.
func partLabel(clause string) (label string, first bool) {
	rest := clause
	for _, l := range partLeads {
		if after, ok := strings.CutPrefix(rest, l); ok {
			rest = after
			break
		}
	}
	for _, m := range partMarks {
		after, ok := strings.CutPrefix(rest, m)
		if !ok {
			continue
		}
		for _, n := range partNouns {
			if strings.HasPrefix(after, n) {
				return m + n, false
			}
		}
	}
	for _, w := range slices.Concat(partOrdinals, partOthers) {
		if strings.HasPrefix(rest, w) {
			return w, false
		}
	}
	if strings.HasPrefix(rest, "一家") {
		return "一家", true
	}
	return "", false
}

// applicantParts returns the applicants of a message that asks for several
// at once, labelled at the heads of their clauses, each with the words
// before the list and those said of all of them after it; nil when the
// message asks for one.
func (r *Reader) applicantParts(msg string) []applicantPart {
	s := normalize(msg)
	clauses := splitClauses(s)
	type head struct {
		label string
		at    int // the clause it heads
	}
	var heads []head
	firstAt := -1
	for i, c := range clauses {
		label, first := partLabel(s[c.start:c.end])
		switch {
		case label == "":
			continue
		case first:
			if firstAt < 0 && len(heads) == 0 {
				firstAt = i
			}
			continue
		case slices.Contains(partOthers, label):
			if firstAt < 0 && len(heads) == 0 {
				continue // 另一家 with no first is another case, not a list
			}
			if firstAt >= 0 {
				heads = append(heads, head{"一家", firstAt})
				firstAt = -1
			}
			label = "另一家"
		}
		if slices.ContainsFunc(heads, func(h head) bool { return h.label == label }) {
			return nil // 甲公司…甲公司 again speaks of one
		}
		heads = append(heads, head{label, i})
	}
	if len(heads) < 2 {
		return nil
	}
	// What follows the last one's own words and is said of them all.
	tail := len(s)
	for _, c := range clauses[heads[len(heads)-1].at+1:] {
		if hasAnyPrefix(s[c.start:c.end], togetherWords...) {
			tail = c.start
			break
		}
	}
	pre := s[:clauses[heads[0].at].start]
	out := make([]applicantPart, 0, len(heads))
	for i, h := range heads {
		end := tail
		if i+1 < len(heads) {
			end = clauses[heads[i+1].at].start
		}
		own := strings.TrimRight(s[clauses[h.at].start:end], ",;、 ")
		text := pre + own
		if tail < len(s) {
			text += "," + s[tail:]
		}
		out = append(out, applicantPart{Label: h.label, Text: text})
	}
	return out
}

// several answers a message that asks for several applicants at once: each
// is matched as a case of its own, its results labelled with it, and no
// question is asked, since an answer could not say whose it is. The last
// becomes the case under way and the one before it is set aside, so that a
// message about either goes on with it.
// It reports false, doing nothing, when the words of one of them say no
// fact of theirs: the list is then not one of applicants.
func (s *Service) several(ctx context.Context, st *State, parts []applicantPart, r *Reply) (string, bool, error) {
	labels := make([]string, len(parts))
	read := make([]Understanding, len(parts))
	for i, p := range parts {
		labels[i] = p.Label
		c := s.context(&State{AsOf: st.AsOf})
		c.NewCase = true
		read[i] = s.reader.Understand(p.Text, c)
		if s.identityOnly(read[i].Mentions) {
			return "", false, nil
		}
	}
	var cases []*State
	var told []string
	own := make([][]matcher.Result, len(parts))
	for i, p := range parts {
		one := &State{ID: st.ID, Turn: st.Turn, AsOf: st.AsOf, CaveatShown: true, unasked: true}
		pr := &Reply{Results: []matcher.Result{}, Citations: []Citation{}}
		if _, err := s.eligibility(ctx, one, read[i], pr); err != nil {
			return "", false, err
		}
		for _, res := range pr.Results {
			res.Applicant = p.Label
			own[i] = append(own[i], res)
		}
		for _, c := range pr.Citations {
			r.Citations = appendCitation(r.Citations, c)
		}
		for _, id := range one.Told {
			if !slices.Contains(told, id) {
				told = append(told, id)
			}
		}
		cases = append(cases, one)
	}
	// Each is told in a sentence: what it gets, and what is still open;
	// what another's facts rule out is no news about it.
	var shown []matcher.Result
	for _, rs := range own {
		for _, res := range rs {
			if res.Status == matcher.Eligible || res.InPlay {
				shown = append(shown, res)
			}
		}
	}
	many := slices.ContainsFunc(shown, func(x matcher.Result) bool { return x.DocID != shown[0].DocID })
	var b strings.Builder
	b.WriteString("以下按" + strings.Join(labels, "、") + "分别测算。")
	var first *matcher.Result
	for i, rs := range own {
		b.WriteString(labels[i] + ":")
		var open []matcher.Result
		n := 0
		for _, res := range rs {
			switch {
			case res.Status == matcher.Eligible && len(res.TotalOf) == 0:
				if n > 0 {
					b.WriteString(";")
				}
				n++
				b.WriteString(summary(n, res, many))
				if first == nil {
					first = &res
				}
			case res.Status == matcher.Undetermined && res.InPlay:
				open = append(open, res)
			}
		}
		if n == 0 {
			b.WriteString("暂未找到可以确定享受的政策")
		}
		if len(open) > 0 {
			b.WriteString(";还需更多信息才能确定:" + openTitles(open))
		}
		b.WriteString("。")
		r.Results = append(r.Results, rs...)
	}
	b.WriteString("接着问的话,默认按" + labels[len(labels)-1] + "的情况继续。")
	if first != nil && !st.CaveatShown {
		st.CaveatShown = true
		b.WriteString("(提示:" + shortCaveat(*first) + ")")
	}
	last, prev := cases[len(cases)-1], cases[len(cases)-2]
	st.Facts, st.Declined = last.Facts, last.Declined
	st.Earlier = &Case{Facts: prev.Facts, Declined: prev.Declined}
	st.Told, st.Pending, st.FollowUps = told, "", 0
	return b.String(), true, nil
}
