package kb

import (
	"strings"
	"unicode/utf8"
)

// splitDepartments cuts the department list off the end of a clause text and
// returns the rest with the leading and cooperating departments. The list is
// either in square brackets of any kind (〔A牵头,B、C等配合〕) or, with the
// brackets missing, the final sentence, if that is nothing but such a list
// (A牵头,B配合; 由A负责) or starts with 责任单位：.
func splitDepartments(text string) (rest string, lead, coop []string) {
	norm, off := normalize(text)
	if strings.HasSuffix(norm, "]") {
		i := strings.LastIndexByte(norm, '[')
		if i < 0 {
			return text, nil, nil
		}
		inner := norm[i+1 : len(norm)-1]
		lead, coop, ok := parseDepartments(inner)
		if !ok || strings.ContainsRune(inner, ']') {
			return text, nil, nil
		}
		return strings.TrimRightFunc(text[:off[i]], isBlank), lead, coop
	}
	body := strings.TrimSuffix(norm, "。")
	start := strings.LastIndexByte(body, '\n') + 1
	if i := strings.LastIndex(body, "。"); i >= start {
		start = i + len("。")
	}
	final := strings.TrimSpace(body[start:])
	// 责任单位：A、B names the offices by its label, whatever they are called.
	if list, found := strings.CutPrefix(final, "责任单位:"); found {
		if lead = names(list, ",、"); lead == nil {
			return text, nil, nil
		}
		return strings.TrimRightFunc(text[:off[start]], isBlank), lead, nil
	}
	lead, coop, ok := parseDepartments(final)
	if !ok || !allDepartments(lead) || !allDepartments(coop) {
		return text, nil, nil
	}
	return strings.TrimRightFunc(text[:off[start]], isBlank), lead, coop
}

// parseDepartments reads a folded department list: "A牵头", "A牵头,B、C等配合",
// "B、C配合", "A,B负责" or "由A负责". Leading and cooperating lists split at 、 and
// commas; a 负责 list only at commas, as its names may hold 、 (赣州、龙南、瑞金
// 经济技术开发区管委会).
func parseDepartments(s string) (lead, coop []string, ok bool) {
	if l, rest, found := strings.Cut(s, "牵头"); found {
		lead = names(l, ",、")
		if rest != "" {
			r, size := utf8.DecodeRuneInString(rest)
			c, found := strings.CutSuffix(rest[size:], "配合")
			if !strings.ContainsRune(",、;", r) || !found {
				return nil, nil, false
			}
			if coop = names(c, ",、"); coop == nil {
				return nil, nil, false
			}
		}
		return lead, coop, lead != nil
	}
	if c, found := strings.CutSuffix(s, "配合"); found {
		coop = names(c, ",、")
		return nil, coop, coop != nil
	}
	if l, found := strings.CutSuffix(s, "负责"); found {
		lead = names(strings.TrimPrefix(l, "由"), ",")
		return lead, nil, lead != nil
	}
	return nil, nil, false
}

// names splits a department list at the separators outside parentheses, so
// that 各县(市、区)政府 stays whole, and drops a 等 after the last name. It
// returns nil if a name is empty or holds what no department name does.
func names(s string, seps string) []string {
	var (
		out   []string
		depth int
		from  int
	)
	for i, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth = max(depth-1, 0)
		case depth == 0 && strings.ContainsRune(seps, r):
			out = append(out, strings.TrimSpace(s[from:i]))
			from = i + utf8.RuneLen(r)
		}
	}
	out = append(out, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[from:]), "等")))
	// A list that runs over a paragraph break is not one list.
	for _, n := range out {
		if n == "" || strings.ContainsAny(n, "。[]\n") {
			return nil
		}
	}
	return out
}

// allDepartments reports whether every name looks like an office (市财政局,
// 各县(市、区)政府), which a sentence that merely ends in 负责 or 配合, such
// as 具体办法由市财政局负责, does not.
func allDepartments(names []string) bool {
	for _, n := range names {
		base := n
		if i := strings.LastIndexByte(n, '('); i > 0 && strings.HasSuffix(n, ")") {
			base = n[:i]
		}
		r, _ := utf8.DecodeLastRuneInString(base)
		if utf8.RuneCountInString(n) > 30 || !strings.ContainsRune("局委办府会室厅部院心行司组所处站队社团区县校馆", r) ||
			strings.ContainsAny(n, "由的将对按在为要把被从向是") {
			return false
		}
	}
	return true
}
