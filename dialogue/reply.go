package dialogue

import (
	"fmt"
	"slices"
	"strings"

	"policybot/kb"
	"policybot/matcher"
)

// maxRuledOut bounds how many ruled-out benefits one reply tells.
const maxRuledOut = 3

// failsOn reports whether a condition of an ineligible result fails on a
// fact the message gave that the measure is about (a figure, a deed; not the
// industry or size, which rule out many measures nobody asked about): the
// user told us something that rules it out, and deserves to hear so.
func failsOn(cat *matcher.Catalogue, r matcher.Result, mentions []Mention) bool {
	if r.OutOfArea != "" {
		return false // another area's measure is none of the speaker's business
	}
	// 在广东股权交易中心挂牌了,但还没纳入后备上市企业: a general fact
	// told rules out the measure whose substance the turn told.
	if settledOn(cat, r, mentions, "不满足", false) {
		return true
	}
	// 哦对了,是个铁矿的选矿项目: a general fact told alone is what the
	// user came to say, and what it rules out is worth hearing.
	alone := !slices.ContainsFunc(mentions, func(m Mention) bool {
		f, ok := cat.Lookup(m.Key)
		return ok && !f.General
	}) && slices.ContainsFunc(mentions, func(m Mention) bool {
		f, ok := cat.Lookup(m.Key)
		return ok && !f.Identity
	})
	return settledOn(cat, r, mentions, "不满足", true) && (alone || settledOn(cat, r, mentions, "满足", false))
}

// meetsOn reports whether a condition of r that a non-general fact of the
// mentions settles is met, though r fails another: the turn brought it
// nearer, not to it.
func meetsOn(cat *matcher.Catalogue, r matcher.Result, mentions []Mention) bool {
	if r.OutOfArea != "" || r.OutOfForce != "" {
		return false
	}
	return settledOn(cat, r, mentions, "满足", false)
}

// settledOn reports whether a condition of r of the given status reads a
// fact of the mentions, a general one (size, industry) only when general.
func settledOn(cat *matcher.Catalogue, r matcher.Result, mentions []Mention, status string, general bool) bool {
	for _, c := range r.Conditions {
		if c.Status != status {
			continue
		}
		for _, m := range mentions {
			if f, ok := cat.Lookup(m.Key); ok && (general || !f.General) && slices.Contains(c.Facts, m.Key) {
				return true
			}
		}
	}
	return false
}

// failedConditions says which conditions a result fails and by how much.
func failedConditions(r matcher.Result) string {
	var parts []string
	for _, c := range r.Conditions {
		if c.Status != "不满足" {
			continue
		}
		p := "要求" + c.Text
		if c.Actual != "" {
			p += ",实际" + c.Actual
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 && r.OutOfForce != "" {
		// No condition is judged of a measure no longer in force; its area,
		// if another's, is told of its document.
		parts = append(parts, strings.TrimPrefix(r.OutOfForce, "不满足:"))
	}
	if len(parts) == 0 && r.Status == matcher.Ineligible {
		// 贡献未超过基数: every condition met, and the sum they give is 0.
		for _, why := range r.Reasons {
			if rest, ok := strings.CutPrefix(why, "不满足:"); ok {
				parts = append(parts, rest)
			}
		}
	}
	return strings.Join(parts, ";")
}

// lostByChange says which benefits eligible before a fact changed are no
// longer, and which of their conditions the new value leaves unmet or open:
// 应纳税工资薪金是29.8万元 after 30万 undoes 30万元以上. Those ruled out
// already are told by ruledOut.
func lostByChange(before, now, ruledOut []matcher.Result, mentions []Mention, many bool) string {
	var b strings.Builder
	for _, old := range before {
		if old.Status != matcher.Eligible || slices.ContainsFunc(ruledOut, func(r matcher.Result) bool { return r.BenefitID == old.BenefitID }) {
			continue
		}
		i := slices.IndexFunc(now, func(r matcher.Result) bool { return r.BenefitID == old.BenefitID })
		if i >= 0 && now[i].Status == matcher.Eligible {
			continue
		}
		var parts []string
		if i >= 0 {
			for _, c := range now[i].Conditions {
				if c.Status == "满足" || !slices.ContainsFunc(mentions, func(m Mention) bool { return slices.Contains(c.Facts, m.Key) }) {
					continue
				}
				p := "要求" + c.Text
				if c.Actual != "" {
					p += ",现为" + c.Actual
				}
				parts = append(parts, p)
			}
		}
		verdict := "按现在的信息不再确定符合"
		if i >= 0 && now[i].Status == matcher.Ineligible {
			verdict = "按现在的信息不再符合"
		}
		fmt.Fprintf(&b, "%s(%s)%s", old.Title, citeResult(old, many), verdict)
		if len(parts) > 0 {
			b.WriteString(":" + strings.Join(parts, ";"))
		}
		b.WriteString("。")
	}
	return b.String()
}

// summary is one eligible benefit in a sentence: its title, clause and sum.
func summary(n int, r matcher.Result, many bool) string {
	s := fmt.Sprintf("%s%s(%s)", circled(n), r.Title, citeResult(r, many))
	if r.Selection != "" {
		s += "(符合条件,须经主管部门遴选或认定)"
	}
	if a := r.AmountText(); a != "" {
		s += "," + a
	}
	return s
}

// citeResult names a result's clause: 第十六条第四款, or with its document
// when the answer draws on several documents.
func citeResult(r matcher.Result, many bool) string {
	if !many {
		return kb.Cite(r.Article)
	}
	return kb.CiteDocument(r.DocNo, r.DocTitle) + kb.Cite(r.Article)
}

func openSummary(cat *matcher.Catalogue, open []matcher.Result) string {
	if len(open) == 0 {
		return ""
	}
	var parts []string
	for _, r := range open {
		var need []string
		for _, k := range r.MissingFacts {
			if f, ok := cat.Lookup(k); ok {
				need = append(need, f.Label)
			}
		}
		parts = append(parts, fmt.Sprintf("%s(还需确认:%s)", r.Title, strings.Join(need, "、")))
	}
	return "以下政策还需更多信息才能确定:" + strings.Join(parts, ";") + "。如方便,可直接补充这些信息。"
}

func titles(rs []matcher.Result) string {
	var t []string
	for _, r := range rs {
		t = append(t, r.Title)
	}
	return strings.Join(t, "、")
}

// openTitles names results still open, each with the sum it would bring
// when the known facts already fix it (新落户高企三年内入规再奖励(如其余条件均
// 满足,20万元)).
func openTitles(rs []matcher.Result) string {
	var t []string
	for _, r := range rs {
		if r.Amount != nil && r.Amount.Years == 0 && !r.Amount.PerYear {
			t = append(t, r.Title+"(如其余条件均满足,"+matcher.FormatYuan(r.Amount.CNY)+")")
			continue
		}
		t = append(t, r.Title)
	}
	return strings.Join(t, "、")
}

// shortCaveat is the validity caveat of a result, or else its own last one.
func shortCaveat(r matcher.Result) string {
	switch {
	case len(r.Validity) > 0:
		return strings.TrimSuffix(r.Validity[len(r.Validity)-1], "。")
	case len(r.Caveats) > 0:
		return strings.TrimSuffix(r.Caveats[len(r.Caveats)-1], "。")
	}
	return "申报前请向主管部门确认政策现行有效"
}

// sameValue compares a stored value, which JSON may have turned into a
// float64, with a new one.
func sameValue(stored, v any) bool {
	switch x := v.(type) {
	case int64:
		f, ok := stored.(float64)
		return ok && f == float64(x) || stored == v
	}
	return stored == v
}

// describe says what was understood of one mention: 当年主营业务收入6亿元,
// 所在地为南康区.
func describe(cat *matcher.Catalogue, m Mention) string {
	f, ok := cat.Lookup(m.Key)
	if !ok {
		return m.Text
	}
	v := matcher.FormatFact(f, m.Value)
	if f.Kind == matcher.KindBool {
		if m.Value == true {
			return f.Label
		}
		return "非" + f.Label
	}
	if m.Range != nil {
		// 3个多亿, 大约5亿: told as meant; a threshold inside the range is
		// left open and asked.
		v = boundsWords(f, m.Value, *m.Range, m.Bounds)
	}
	if f.Kind == matcher.KindEnum || f.Kind == matcher.KindRegion || f.Kind == matcher.KindText {
		return f.Label + "为" + v
	}
	return f.Label + v
}

func circled(n int) string {
	const marks = "①②③④⑤⑥⑦⑧⑨⑩"
	r := []rune(marks)
	if n >= 1 && n <= len(r) {
		return string(r[n-1])
	}
	return fmt.Sprintf("%d.", n)
}

// outOfArea tells, once per document, that a document whose benefits the
// message's facts touch, or the message names, applies to another area:
// the chat never lists them as ruled out, but says why they are not told.
func (s *Service) outOfArea(results []matcher.Result, mentions []Mention, text string) string {
	var b strings.Builder
	told := map[string]bool{}
	for _, res := range results {
		if res.OutOfArea == "" || told[res.DocID] {
			continue
		}
		if !s.docNamed(res.DocID, text) && !s.readsAny(res, mentions) {
			continue
		}
		told[res.DocID] = true
		b.WriteString(kb.CiteDocument(res.DocNo, res.DocTitle) + ":" + res.OutOfArea + "。")
	}
	return b.String()
}

// outOfForce tells, once per document, that a document whose benefits the
// message's facts touch does not apply on the session's date.
func (s *Service) outOfForce(results []matcher.Result, mentions []Mention) string {
	var b strings.Builder
	told := map[string]bool{}
	for _, res := range results {
		if res.OutOfForce == "" || res.OutOfArea != "" || told[res.DocID] {
			continue
		}
		bf, ok := s.engine.Benefit(res.BenefitID)
		if !ok || !slices.ContainsFunc(mentions, func(m Mention) bool { return bf.Reads(m.Key) && m.Key != "region" }) {
			continue
		}
		told[res.DocID] = true
		b.WriteString(strings.TrimPrefix(res.OutOfForce, "不满足:") + ",其中的政策不再适用。")
	}
	return b.String()
}

// labels names the facts of keys by their labels, joined by 、.
func labels(cat *matcher.Catalogue, keys []string) string {
	var out []string
	for _, k := range keys {
		if f, ok := cat.Lookup(k); ok {
			out = append(out, f.Label)
		}
	}
	return strings.Join(out, "、")
}
