// Package matcher decides which benefits of the knowledge base apply to an
// applicant, how much they are worth, why, and what is still unknown.
package matcher

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"policybot/kb"
)

// Engine matches profiles against every benefit of the knowledge base. It is
// immutable after Load and safe for concurrent use.
type Engine struct {
	base        *kb.Base
	benefits    []*Benefit
	byApplicant map[string][]*Benefit
	cases       []*Case
	// byFact lists, per applicant type and fact, the benefits (positions in
	// benefits) whose conditions read the fact.
	byFact map[string][][]int
	// patterns holds one unknown-attribute pattern per fact, built once.
	patterns []*interpreter.AttributePattern
}

// touched returns the applicant's benefits that read at least one known
// fact, in rule order. Its cost grows with the postings of the known facts,
// not with the number of benefits.
func (e *Engine) touched(p *Profile, applicant string) []*Benefit {
	postings := e.byFact[applicant]
	if postings == nil {
		return nil
	}
	var ids []int
	for f, v := range p.vals {
		if v != nil {
			ids = append(ids, postings[f]...)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]*Benefit, len(ids))
	for i, id := range ids {
		out[i] = e.benefits[id]
	}
	return out
}

// Load reads every */rules.yaml and */cases.yaml of fsys, compiles and
// type-checks the rules against the facts and the documents of base, and
// checks that every benefit has its own test cases. It does not run the
// cases; see RunCases.
func Load(fsys fs.FS, base *kb.Base) (*Engine, error) {
	sets, err := loadRules(fsys, base)
	if err != nil {
		return nil, err
	}
	e := &Engine{base: base, byApplicant: map[string][]*Benefit{}}
	for _, rs := range sets {
		e.benefits = append(e.benefits, rs.benefits...)
	}
	e.index()
	if e.cases, err = loadCases(fsys, e); err != nil {
		return nil, err
	}
	return e, nil
}

// index builds the per-applicant lists, the postings from each fact to the
// benefits that read it, and the unknown-attribute patterns.
func (e *Engine) index() {
	e.byApplicant = map[string][]*Benefit{}
	e.byFact = map[string][][]int{}
	for i, b := range e.benefits {
		for _, a := range b.Applicants {
			e.byApplicant[a] = append(e.byApplicant[a], b)
			if e.byFact[a] == nil {
				e.byFact[a] = make([][]int, len(Facts))
			}
			for _, f := range b.facts {
				if !Facts[f].Identity {
					e.byFact[a][f] = append(e.byFact[a][f], i)
				}
			}
		}
	}
	e.patterns = make([]*interpreter.AttributePattern, len(Facts))
	for i, f := range Facts {
		e.patterns[i] = interpreter.NewAttributePattern(f.Key)
	}
}

// Benefits returns every benefit in rule order.
func (e *Engine) Benefits() []*Benefit { return e.benefits }

// Benefit returns the benefit with the given id.
func (e *Engine) Benefit(id string) (*Benefit, bool) {
	for _, b := range e.benefits {
		if b.ID == id {
			return b, true
		}
	}
	return nil, false
}

// Status is the outcome of one benefit for one profile.
type Status string

// The three statuses: a missing fact makes a result undetermined unless a
// known fact already rules the benefit out.
const (
	Eligible     Status = "eligible"
	Undetermined Status = "undetermined"
	Ineligible   Status = "ineligible"
)

// Check is the state of one condition for a profile.
type Check struct {
	Text   string `json:"text"`
	Status string `json:"status"` // 满足, 不满足, 待确认
	Actual string `json:"actual,omitempty"`
	// Facts are the keys the condition reads.
	Facts []string `json:"facts"`
}

// Result is one benefit's outcome, in the shape of contract.md plus the
// explanation fields this project adds.
type Result struct {
	BenefitID    string   `json:"benefit_id"`
	DocNo        string   `json:"doc_no"`
	Article      string   `json:"article"`
	Title        string   `json:"title"`
	Status       Status   `json:"status"`
	Amount       *Value   `json:"amount"`
	AmountNote   string   `json:"amount_note,omitempty"`
	MissingFacts []string `json:"missing_facts"`
	Reasons      []string `json:"reasons"`
	Conditions   []Check  `json:"conditions"`
	Department   string   `json:"department"`
	// DepartmentNote says where the department comes from.
	DepartmentNote string `json:"department_note,omitempty"`
	Payer          string `json:"payer,omitempty"`
	Recipient      string `json:"recipient,omitempty"`
	NextSteps      string `json:"next_steps,omitempty"`
	// Selection, for measures granted by selection or recognition, says who
	// chooses among those who meet the conditions.
	Selection string   `json:"selection,omitempty"`
	Caveats   []string `json:"caveats,omitempty"`
	// InPlay marks an undetermined result that a given fact (beyond who and
	// where the applicant is) already meets and no known fact rules out: the
	// ones worth asking about.
	InPlay     bool   `json:"in_play"`
	ClauseText string `json:"clause_text,omitempty"`

	weight float64 // for choosing the next question
}

// Question asks for the one fact that settles the most benefit in play.
type Question struct {
	Fact    string   `json:"fact"`
	Text    string   `json:"text"`
	Options []string `json:"options"`
	// Settles lists the benefits in play whose outcome the answer decides or
	// narrows.
	Settles []string `json:"settles"`
}

// Options tune a match.
type Options struct {
	AsOf              time.Time
	IncludeIneligible bool
	// IncludeUntouched also returns benefits none of whose facts (beyond who
	// and where the applicant is) is known: undetermined, with every fact
	// missing. Without it they are left out, so the cost of a match grows
	// with what the profile says, not with the size of the rule set.
	IncludeUntouched bool
	IncludeText      bool
	// Skip are facts not to ask about: declined, or asked already.
	Skip []string
}

// Outcome is the answer to a match.
type Outcome struct {
	AsOf     string    `json:"as_of"`
	Results  []Result  `json:"results"`
	Question *Question `json:"next_question"`
}

// tri is a three-valued truth.
type tri int8

const (
	unknown tri = iota
	yes
	no
)

// Match evaluates every benefit open to the profile's applicant type.
// Results come eligible first, then undetermined (those in play first), then,
// when asked for, ineligible; each group in rule order.
func (e *Engine) Match(p *Profile, opts Options) *Outcome {
	act := e.activation(p)
	applicant := p.ApplicantType()
	out := &Outcome{AsOf: opts.AsOf.Format(time.DateOnly)}
	// Only the applicant's own benefits are evaluated, and of those only
	// the ones a known fact touches unless all are asked for; benefits for
	// other applicants are listed, unevaluated, with the ineligible.
	own := e.byApplicant[applicant]
	if !opts.IncludeUntouched {
		own = e.touched(p, applicant)
	}
	out.Results = make([]Result, 0, len(own))
	for _, b := range own {
		if r, ok := e.evaluate(b, p, act, opts); ok {
			out.Results = append(out.Results, r)
		}
	}
	if opts.IncludeIneligible {
		for _, b := range e.benefits {
			if !slices.Contains(b.Applicants, applicant) {
				out.Results = append(out.Results, e.notForApplicant(b, applicant, opts))
			}
		}
	}
	// Eligible first, then undetermined in play (the ones worth most
	// first), then the other undetermined, then ineligible. The sort is
	// stable, so ties keep rule order.
	slices.SortStableFunc(out.Results, func(a, b Result) int {
		if c := cmp.Compare(a.rank(), b.rank()); c != 0 {
			return c
		}
		if a.InPlay {
			return cmp.Compare(b.weight, a.weight)
		}
		return 0
	})
	out.Question = nextQuestion(out.Results, opts.Skip)
	return out
}

func (r *Result) rank() int {
	switch {
	case r.Status == Eligible:
		return 0
	case r.Status == Undetermined && r.InPlay:
		return 1
	case r.Status == Undetermined:
		return 2
	}
	return 3
}

// activation resolves facts for CEL and names the unknown ones, so that a
// condition over an unknown fact evaluates to unknown, never to 0 or false.
type activation struct {
	p       *Profile
	unknown []*interpreter.AttributePattern
}

func (e *Engine) activation(p *Profile) *activation {
	a := &activation{p: p}
	for i, v := range p.vals {
		if v == nil {
			a.unknown = append(a.unknown, e.patterns[i])
		}
	}
	return a
}

func (a *activation) ResolveName(name string) (any, bool) {
	i, ok := factIndex[name]
	if !ok || a.p.vals[i] == nil {
		return nil, false
	}
	return a.p.vals[i], true
}

func (a *activation) Parent() interpreter.Activation { return nil }

func (a *activation) UnknownAttributePatterns() []*interpreter.AttributePattern {
	return a.unknown
}

// check evaluates one condition.
func (c *Condition) check(p *Profile, act *activation) tri {
	if c.steps != nil {
		return c.checkSteps(p)
	}
	complete := true
	for _, i := range c.facts {
		if p.vals[i] == nil {
			complete = false
			break
		}
	}
	var out ref.Val
	switch {
	case complete:
		out, _, _ = c.plain.Eval(act)
	case len(c.facts) == 1:
		// The one fact it reads is unknown; nothing to evaluate.
		return unknown
	default:
		// Some facts are unknown: partial evaluation still settles
		// `a || b` when a is true and `a && b` when a is false.
		out, _, _ = c.partial.Eval(act)
	}
	switch out {
	case types.True:
		return yes
	case types.False:
		return no
	}
	return unknown
}

// readsSubstance reports whether the condition reads a fact beyond who and
// where the applicant is; only such a condition, when met, puts a benefit in
// play.
func (c *Condition) readsSubstance() bool {
	for _, i := range c.facts {
		if !Facts[i].Identity {
			return true
		}
	}
	return false
}

func (c *Condition) checkSteps(p *Profile) tri {
	s := c.steps
	cur, prior := p.vals[s.current], p.vals[s.prior]
	if cur == nil {
		return unknown
	}
	curV := cur.Value().(int64)
	if !c.stepFirst {
		if s.lowest().meets(s.lowest().at.Int, curV) {
			return yes
		}
		return no
	}
	if prior == nil {
		return unknown
	}
	if _, n, _ := s.crossings(curV, prior.Value().(int64)); n > 0 {
		return yes
	}
	return no
}

// evaluate decides a benefit for a profile. The second result is false when
// the benefit is ineligible and opts does not ask for ineligible results:
// then no explanation is built.
func (e *Engine) evaluate(b *Benefit, p *Profile, act *activation, opts Options) (Result, bool) {
	if reason, ok := inForce(b.doc, opts.AsOf); !ok {
		if !opts.IncludeIneligible {
			return Result{}, false
		}
		r := newResult(b, opts)
		r.Status = Ineligible
		r.Reasons = []string{reason}
		return r, true
	}
	// Decide first, explain after: most ineligible results are never shown.
	var buf [8]tri
	states := buf[:0]
	anyNo, anyUnknown, inPlay := false, false, false
	for _, c := range b.Conditions {
		t := c.check(p, act)
		states = append(states, t)
		switch t {
		case yes:
			inPlay = inPlay || c.readsSubstance()
		case no:
			anyNo = true
		default:
			anyUnknown = true
		}
	}
	if anyNo && !opts.IncludeIneligible {
		return Result{}, false
	}
	r := newResult(b, opts)
	for i, c := range b.Conditions {
		chk := Check{Text: c.Text, Actual: actual(c, p), Facts: c.keys}
		switch states[i] {
		case yes:
			chk.Status = "满足"
			r.Reasons = append(r.Reasons, "满足:"+c.Text+paren(chk.Actual))
		case no:
			chk.Status = "不满足"
			r.Reasons = append(r.Reasons, "不满足:"+c.Text+paren(chk.Actual))
		default:
			chk.Status = "待确认"
			var missing []string
			for _, i := range c.facts {
				if p.vals[i] == nil {
					r.MissingFacts = appendUnique(r.MissingFacts, Facts[i].Key)
					missing = append(missing, Facts[i].Label)
				}
			}
			r.Reasons = append(r.Reasons, "待确认:"+c.Text+paren("未提供"+strings.Join(missing, "、")))
		}
		r.Conditions = append(r.Conditions, chk)
	}
	switch {
	case anyNo:
		r.Status = Ineligible
		r.MissingFacts = []string{}
	case anyUnknown:
		r.Status = Undetermined
		r.InPlay = inPlay
	default:
		r.Status = Eligible
	}
	if r.Status != Ineligible {
		e.amount(&r, b, p)
	}
	return r, true
}

// newResult fills the parts of a result that do not depend on the profile.
func newResult(b *Benefit, opts Options) Result {
	r := Result{
		BenefitID: b.ID, DocNo: b.DocNo, Article: b.Article, Title: b.Title,
		MissingFacts: []string{},
		Department:   b.Department, DepartmentNote: b.DepartmentNote,
		Payer: b.Payer, Recipient: b.Recipient, NextSteps: b.NextSteps, Selection: b.Selection,
		Caveats: caveats(b, opts.AsOf), Conditions: make([]Check, 0, len(b.Conditions)),
		Reasons: make([]string, 0, len(b.Conditions)+1),
	}
	if opts.IncludeText {
		r.ClauseText = b.clause.Text
	}
	return r
}

func (e *Engine) notForApplicant(b *Benefit, applicant string, opts Options) Result {
	r := newResult(b, opts)
	r.Status = Ineligible
	f, _ := Lookup("applicant_type")
	var who []string
	for _, a := range b.Applicants {
		who = append(who, f.OptionLabel(a))
	}
	r.Reasons = []string{fmt.Sprintf("不满足:适用对象为%s(申请主体为%s)", strings.Join(who, "、"), f.OptionLabel(applicant))}
	return r
}

// amount fills the amount of an eligible or undetermined result. An
// undetermined result shows the sum it would bring, marked as such, when the
// known facts already fix it.
func (e *Engine) amount(r *Result, b *Benefit, p *Profile) {
	a := b.Amount
	switch {
	case a.Support != "":
		r.AmountNote = "非资金支持:" + a.Support
	case a.Unstated != "" && strings.Contains(a.DecidedBy, "未写明"):
		r.AmountNote = fmt.Sprintf("条文未规定具体金额(%s),也未写明由谁确定", a.Unstated)
	case a.Unstated != "":
		r.AmountNote = fmt.Sprintf("条文未规定具体金额(%s),由%s确定", a.Unstated, a.DecidedBy)
	default:
		if v, ok := a.Compute(p); ok {
			if r.Status == Undetermined {
				v.Basis = "如其余条件均满足:" + v.Basis
			}
			if b.Recipient != "" {
				v.Basis += ";奖励对象为" + b.Recipient
			}
			r.Amount = &v
			if r.Status == Eligible {
				r.Reasons = append(r.Reasons, v.Basis)
			}
		} else {
			r.AmountNote = "金额取决于尚未提供的信息"
		}
	}
	r.weight = 1 + float64(a.potential(p))/10000
}

// actual describes the known figures and choices a condition reads:
// 年节能量800吨标煤. Yes/no facts are left out: the status already says them.
func actual(c *Condition, p *Profile) string {
	var parts []string
	for _, i := range c.facts {
		if v := p.vals[i]; v != nil && Facts[i].Kind != KindBool {
			parts = append(parts, Facts[i].Label+FormatFact(&Facts[i], v.Value()))
		}
	}
	return strings.Join(parts, ",")
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// inForce reports whether the document applies on asOf, and why not.
func inForce(d *kb.Document, asOf time.Time) (string, bool) {
	if asOf.Before(d.EffectiveFrom.First()) {
		return fmt.Sprintf("不满足:查询日期%s早于%s施行(%s)", asOf.Format(time.DateOnly), d.DocNo, d.EffectiveFrom.Chinese()), false
	}
	if d.EffectiveTo != nil && asOf.After(d.EffectiveTo.Last()) {
		return fmt.Sprintf("不满足:%s已于%s到期", d.DocNo, d.EffectiveTo.Chinese()), false
	}
	return "", true
}

// caveats warn about what the document's dates leave open.
func caveats(b *Benefit, asOf time.Time) []string {
	d := b.doc
	if !d.EffectiveFrom.Exact() && !asOf.After(d.EffectiveFrom.Last()) {
		early := fmt.Sprintf("%s的施行日期仅知为%s,请确认查询日期时政策已施行。", d.DocNo, d.EffectiveFrom.Chinese())
		return append([]string{early}, b.caveats...)
	}
	return b.caveats
}

// termCaveat is the caveat every result of a document without a stated term
// of validity carries; empty when the document states one.
func termCaveat(d *kb.Document) string {
	if d.EffectiveTo != nil {
		return ""
	}
	// Only the issuer can say whether its document still applies; the
	// department of a benefit may be a bank.
	return fmt.Sprintf("%s%s。请向发文机关(%s)或其工业主管部门确认该政策现行有效。", d.DocNo, strings.TrimSuffix(d.ValidityNote, "。"), d.Issuer)
}

// Today is the date in China as a UTC midnight: what "today" means to an
// applicant in Ganzhou whatever the server's zone, and the default as_of.
func Today(now time.Time) time.Time {
	t := now.In(chinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// chinaTime is UTC+8 without daylight saving, so no zone database is needed.
var chinaTime = time.FixedZone("CST", 8*3600)
