package complaints

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"policybot/dialogue"
	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
)

// AdviceRequest is a complaint the platform forwards to ask policybot which
// policy it concerns: its ticket, the complainant's words, and the facts the
// platform holds, named as /v1/match names them.
type AdviceRequest struct {
	TicketID string                     `json:"ticket_id"`
	Text     string                     `json:"text"`
	Facts    map[string]json.RawMessage `json:"facts"`
	// AsOf is the day the policies are judged on, YYYY-MM-DD; empty for
	// today.
	AsOf string `json:"as_of"`
}

// Advice is policybot's answer to a forwarded complaint: the clauses it
// concerns, the benefits the facts match with what is missing, who each
// clause makes responsible (for 转办), and a reply to suggest that cites
// them. It is advisory: the departments decide.
type Advice struct {
	TicketID string `json:"ticket_id"`
	// Clauses are the clauses concerned, those of matched benefits first.
	Clauses []ClauseRef `json:"clauses"`
	// Results are the benefits the facts bear on.
	Results []matcher.Result `json:"results"`
	// Validity is the validity of each document of the results, once.
	Validity []matcher.Validity `json:"validity"`
	// Facts are the facts the advice was matched on, with where each came
	// from: the platform, or the complainant's words.
	Facts       []UsedFact   `json:"facts"`
	Departments []Department `json:"departments"`
	Reply       string       `json:"suggested_reply"`
	AsOf        string       `json:"as_of"`
	Library     string       `json:"library_version"`
}

// ClauseRef names a clause and says why it concerns the complaint.
type ClauseRef struct {
	DocID    string `json:"doc_id"`
	DocNo    string `json:"doc_no"`
	DocTitle string `json:"doc_title"`
	Article  string `json:"article"`
	Title    string `json:"title"`
	// Why is "benefit" for the clause of a matched benefit, "text" for one
	// the complaint's words find.
	Why string `json:"why"`
}

// UsedFact is a fact the advice was matched on.
type UsedFact struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Source string `json:"source"` // "platform", or the words it was read from
}

// Department is one department the clauses make responsible, with the
// clauses and the part it plays in them.
type Department struct {
	Name string `json:"name"`
	// Role is 兑现 (pays or decides the benefit), 牵头 (leads) or 配合
	// (cooperates), as the clause says.
	Role     string   `json:"role"`
	Articles []string `json:"articles"`
}

// maxAdviceClauses bounds the clauses an advice cites: a complaint is about
// one matter, and a long list would hide it.
const maxAdviceClauses = 5

// Advise answers a complaint from a library. A fact the platform gives
// that the catalogue refuses is a *matcher.FieldError naming facts.KEY.
func Advise(ctx context.Context, lib *library.Library, req AdviceRequest, now time.Time) (*Advice, error) {
	asOf := now
	if req.AsOf != "" {
		t, err := time.Parse(time.DateOnly, req.AsOf)
		if err != nil {
			return nil, &matcher.FieldError{Field: "as_of", Message: "应为 YYYY-MM-DD 格式的日期"}
		}
		asOf = t
	}
	p := lib.NewProfile()
	var used []UsedFact
	keys := make([]string, 0, len(req.Facts))
	for k := range req.Facts {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first bad fact named is the same every time
	for _, k := range keys {
		var v any
		if err := json.Unmarshal(req.Facts[k], &v); err != nil {
			return nil, &matcher.FieldError{Field: "facts." + k, Message: "不是有效的 JSON 值"}
		}
		if v == nil {
			continue // null is unknown, as in /v1/match
		}
		if err := p.Set(k, v); err != nil {
			if fe, ok := err.(*matcher.FieldError); ok {
				return nil, &matcher.FieldError{Field: "facts." + strings.TrimPrefix(fe.Field, "facts."), Message: fe.Message}
			}
			return nil, &matcher.FieldError{Field: "facts." + k, Message: err.Error()}
		}
		used = append(used, UsedFact{Key: k, Value: v, Source: "platform"})
	}
	// The complainant's words say more (营收首次突破10亿,奖励一直没兑现):
	// facts the platform did not give are read from them. An approximate
	// figure settles nothing here; the department asks for the exact one.
	u := lib.Chat().Reader.Understand(req.Text, dialogue.Context{Year: asOf.Year()})
	var read []string
	for _, m := range u.Mentions {
		if p.Has(m.Key) || m.Approx {
			continue
		}
		if p.Set(m.Key, m.Value) == nil {
			used = append(used, UsedFact{Key: m.Key, Value: m.Value, Source: m.Text})
			read = append(read, m.Key)
		}
	}
	out := lib.Match(p, matcher.Options{AsOf: asOf, IncludeIneligible: true})
	a := &Advice{TicketID: req.TicketID, Facts: used, AsOf: asOf.Format(time.DateOnly), Library: lib.Version,
		Results: []matcher.Result{}, Clauses: []ClauseRef{}, Departments: []Department{}}
	if a.Facts == nil {
		a.Facts = []UsedFact{}
	}
	for _, r := range out.Results {
		if concerns(lib, r, used, req.Text) {
			a.Results = append(a.Results, r)
		}
	}
	a.Validity = matcher.ValidityOf(a.Results)
	seen := map[string]bool{}
	addClause := func(c *kb.Clause, why string) {
		if k := c.DocID + "/" + c.Article; !seen[k] && len(a.Clauses) < maxAdviceClauses {
			seen[k] = true
			a.Clauses = append(a.Clauses, ClauseRef{DocID: c.DocID, DocNo: c.DocNo, DocTitle: c.DocTitle, Article: c.Article, Title: c.Title, Why: why})
		}
	}
	for _, r := range a.Results {
		if c, err := lib.Clause(r.DocID, r.Article); err == nil {
			addClause(c, "benefit")
		}
	}
	if hits, err := lib.Search(ctx, u.Asked, maxAdviceClauses, nil); err == nil {
		for _, h := range hits {
			if h.Relevant() {
				addClause(h.Clause, "text")
			}
		}
	}
	a.Departments = departments(lib, a)
	a.Reply = reply(lib, a)
	return a, nil
}

// concerns reports whether a result bears on the complaint: the complaint
// names it by four characters of its title in a row, or it is eligible on a
// fact given or read (other than who and where the applicant is). A benefit
// merely possible, or ruled out, that the complaint does not name is not
// what it is about.
func concerns(lib *library.Library, r matcher.Result, used []UsedFact, text string) bool {
	if len([]rune(dialogue.LongestCommon(r.Title, text))) >= 4 {
		return true
	}
	b, ok := lib.Engine.Benefit(r.BenefitID)
	if !ok || r.Status != matcher.Eligible {
		return false
	}
	cat := lib.Engine.Catalogue()
	return slices.ContainsFunc(used, func(f UsedFact) bool {
		fact, ok := cat.Lookup(f.Key)
		return ok && !fact.Identity && !fact.General && b.Reads(f.Key)
	})
}

// departments lists who the clauses make responsible: the department that
// pays or decides each benefit, then the clauses' leading and cooperating
// departments, each once with its clauses.
func departments(lib *library.Library, a *Advice) []Department {
	var out []Department
	add := func(name, role, article string) {
		name = strings.TrimSpace(name)
		if name == "" || strings.Contains(name, "未写明") {
			return
		}
		for i := range out {
			if out[i].Name == name && out[i].Role == role {
				if !slices.Contains(out[i].Articles, article) {
					out[i].Articles = append(out[i].Articles, article)
				}
				return
			}
		}
		out = append(out, Department{Name: name, Role: role, Articles: []string{article}})
	}
	for _, r := range a.Results {
		if r.Status == matcher.Ineligible {
			continue
		}
		add(r.Department, "兑现", r.Article)
	}
	for _, c := range a.Clauses {
		cl, err := lib.Clause(c.DocID, c.Article)
		if err != nil {
			continue
		}
		for _, d := range cl.Lead {
			add(d, "牵头", c.Article)
		}
		for _, d := range cl.Cooperating {
			add(d, "配合", c.Article)
		}
	}
	if out == nil {
		out = []Department{}
	}
	return out
}

// reply writes the answer the platform may send the complainant: what the
// clauses say of the case, who is asked to act, and that the department
// decides.
func reply(lib *library.Library, a *Advice) string {
	var b strings.Builder
	b.WriteString("您好,您反映的问题已收悉。")
	if len(a.Clauses) == 0 {
		b.WriteString("经查,现行收录的惠企政策中未找到与该诉求直接相关的条款,已按一般诉求转相关部门核实办理。")
	} else {
		var cites []string
		for _, c := range a.Clauses {
			cites = append(cites, fmt.Sprintf("%s%s(%s)", kb.CiteDocument(c.DocNo, c.DocTitle), kb.Cite(c.Article), c.Title))
		}
		b.WriteString("该诉求涉及" + strings.Join(cites, "、") + "。")
	}
	for _, r := range a.Results {
		switch r.Status {
		case matcher.Eligible:
			fmt.Fprintf(&b, "按您提供的情况,符合“%s”(%s)的条件", r.Title, kb.Cite(r.Article))
			t := r.AmountText()
			if t != "" {
				b.WriteString("," + t)
			}
			if r.Department != "" && !strings.Contains(r.Department, "未写明") && !strings.Contains(t, "兑现") {
				b.WriteString(",由" + r.Department + "兑现")
			}
			b.WriteString("。")
		case matcher.Undetermined:
			var missing []string
			for _, k := range r.MissingFacts {
				if f, ok := lib.Engine.Catalogue().Lookup(k); ok {
					missing = append(missing, f.Label)
				}
			}
			fmt.Fprintf(&b, "“%s”(%s)还需核实:%s。", r.Title, kb.Cite(r.Article), strings.Join(missing, "、"))
		}
	}
	var names []string
	for _, d := range a.Departments {
		if !slices.Contains(names, d.Name) {
			names = append(names, d.Name)
		}
	}
	if len(names) > 0 {
		b.WriteString("已转" + strings.Join(names, "、") + "核实办理。")
	}
	b.WriteString("以上为政策条款的匹配参考,是否兑现及金额以主管部门审核为准。")
	return b.String()
}
