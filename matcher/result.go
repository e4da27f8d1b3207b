package matcher

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/kb"
)

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
	BenefitID  string `json:"benefit_id"`
	DocID      string `json:"doc_id"`
	DocNo      string `json:"doc_no"`
	DocTitle   string `json:"doc_title"`
	Article    string `json:"article"`
	Title      string `json:"title"`
	Status     Status `json:"status"`
	Amount     *Value `json:"amount"`
	AmountNote string `json:"amount_note,omitempty"`
	// AmountBound is what a clause that states only a ceiling or a range
	// says of the sum; Amount is then null.
	AmountBound *Bound `json:"amount_bound,omitempty"`
	// AmountEstimate is the span of the sum when a figure it is computed
	// from was said only roughly (八十来万): Amount is then null, and the
	// exact figure settles it. The matcher never sets it; the chat does.
	AmountEstimate *Estimate `json:"amount_estimate,omitempty"`
	// AmountAwaits are the facts an eligible result's sum, or the bound of
	// its sum, is computed from that the profile lacks (个人经济贡献 of a 40% award): its conditions are
	// met, and only the sum waits on them.
	AmountAwaits []string `json:"amount_awaits,omitempty"`
	// sumAwaits are the facts the sum waits on whatever the status: the
	// next question weighs them with the conditions' facts.
	sumAwaits []string
	// ExclusiveGroup names the benefits of which only the highest is
	// granted (就高不重复); the matcher never adds their amounts up.
	ExclusiveGroup string `json:"exclusive_group,omitempty"`
	// Support describes a benefit that is not money (优先用地, 市领导挂点推进).
	Support      string   `json:"support,omitempty"`
	MissingFacts []string `json:"missing_facts"`
	Reasons      []string `json:"reasons"`
	// Conditions say what Reasons say, one check per condition with the
	// fact keys it reads; an API answer leaves them out unless asked.
	Conditions []Check `json:"conditions,omitempty"`
	Department string  `json:"department"`
	// DepartmentNote says where the department comes from.
	DepartmentNote string `json:"department_note,omitempty"`
	Payer          string `json:"payer,omitempty"`
	Recipient      string `json:"recipient,omitempty"`
	NextSteps      string `json:"next_steps,omitempty"`
	// Selection, for measures granted by selection or recognition, says who
	// chooses among those who meet the conditions.
	Selection string `json:"selection,omitempty"`
	// Caveats are the result's own warnings (the area, when the region is
	// unknown).
	Caveats []string `json:"caveats,omitempty"`
	// Validity warns about what the document's dates leave open; it is the
	// same for every result of the document, so an answer sends it once, in
	// its validity list, and a client shows it beside each of the
	// document's benefits. Shared: do not modify.
	Validity []string `json:"-"`
	// InPlay marks an undetermined result that a given fact (beyond those
	// describing the applicant in general) already meets and no known fact
	// rules out: the ones worth asking about.
	InPlay bool `json:"in_play"`
	// Guide is the officer's application guide, marked as not from the clause.
	Guide *Guide `json:"guide,omitempty"`
	// OutOfArea says that the applicant is registered outside the area of
	// the benefit's document; empty otherwise.
	OutOfArea string `json:"out_of_area,omitempty"`
	// OutOfForce says why the benefit's document does not apply on as_of
	// (expired, not yet in force, repealed); empty when it does.
	OutOfForce string `json:"out_of_force,omitempty"`
	ClauseText string `json:"clause_text,omitempty"`
	// TotalOf, on a total (专利资助年度合计), names the benefits whose sums
	// it adds up: a client adding results up leaves it out or them.
	TotalOf []string `json:"total_of,omitempty"`
	// Supposed marks the result of a supposition asked about in the chat
	// (要是明年上了创业板呢): what the profile would give with the facts
	// supposed, never what it gives now. The matcher never sets it.
	Supposed bool `json:"supposed,omitempty"`
	// Applicant labels the result of one of several applicants a chat
	// message asked for at once (A公司, 乙企业), as the message wrote it.
	// The matcher never sets it.
	Applicant string `json:"applicant,omitempty"`

	weight  float64 // of a result in play, for its order and the next question
	benefit *Benefit
	// unstated is how the clause says the sum is set when it gives none,
	// and decidedBy who sets it.
	unstated, decidedBy string
	// boundBase is the label of the fact a bound's rates are of.
	boundBase string
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

// Estimate is the span of a sum computed from a rough figure: from MinCNY
// to MaxCNY, or at least MinCNY when the figure has no ceiling (超过80万).
type Estimate struct {
	MinCNY int64  `json:"min_cny"`
	MaxCNY *int64 `json:"max_cny"`
	Years  int    `json:"years,omitempty"` // of a sum paid each year
}

func (e Estimate) String() string {
	s := FormatYuan(e.MinCNY) + "以上"
	switch {
	case e.MaxCNY == nil:
	case *e.MaxCNY == e.MinCNY:
		s = "约" + FormatYuan(e.MinCNY)
	default:
		s = "约" + FormatYuan(e.MinCNY) + "至" + FormatYuan(*e.MaxCNY)
	}
	if e.Years > 0 {
		return fmt.Sprintf("每年%s,连续%d年", s, e.Years)
	}
	return s
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
	// Asked are benefits the user asked about by name: undetermined, they
	// are in play though no fact of substance meets them yet, so that their
	// missing facts are asked.
	Asked []string
}

// Outcome is the answer to a match.
type Outcome struct {
	AsOf     string    `json:"as_of"`
	Results  []Result  `json:"results"`
	Question *Question `json:"next_question"`
	// Validity is the validity of each document of the results, once.
	Validity []Validity `json:"validity"`
}

// Validity is what a document's dates leave open, told once per answer for
// all of its results.
type Validity struct {
	DocID   string   `json:"doc_id"`
	Caveats []string `json:"caveats"`
}

// ValidityOf returns the validity of each document of results that has
// caveats, in the order the documents first come; never nil.
func ValidityOf(results []Result) []Validity {
	out := []Validity{}
	for _, r := range results {
		if len(r.Validity) > 0 && !slices.ContainsFunc(out, func(v Validity) bool { return v.DocID == r.DocID }) {
			out = append(out, Validity{DocID: r.DocID, Caveats: r.Validity})
		}
	}
	return out
}

// newResult fills the parts of a result that do not depend on the profile.
func newResult(b *Benefit, opts Options) Result {
	r := Result{
		benefit: b, BenefitID: b.ID, DocID: b.DocID, DocNo: b.DocNo, DocTitle: b.DocTitle, Article: b.Article, Title: b.Title,
		MissingFacts: []string{},
		Department:   b.Department, DepartmentNote: b.DepartmentNote,
		Payer: b.Payer, Recipient: b.Recipient, NextSteps: b.NextSteps, Selection: b.Selection, Support: b.Amount.Support,
		Guide:          b.Guide,
		ExclusiveGroup: b.Exclusive,
		// Room for the area test beside the conditions, and for the
		// amount's basis among the reasons.
		Validity: b.validityOn(opts.AsOf), Conditions: make([]Check, 0, len(b.Conditions)+1),
		Reasons: make([]string, 0, len(b.Conditions)+2),
	}
	if opts.IncludeText {
		r.ClauseText = b.clause.Text
	}
	return r
}

func (e *Engine) notForApplicant(b *Benefit, applicant string, opts Options) Result {
	r := newResult(b, opts)
	r.Status = Ineligible
	f, _ := e.cat.Lookup("applicant_type")
	var who []string
	for _, a := range b.Applicants {
		who = append(who, f.OptionLabel(a))
	}
	r.Reasons = []string{fmt.Sprintf("不满足:适用对象为%s(申请主体为%s)", strings.Join(who, "、"), f.OptionLabel(applicant))}
	return r
}

// setAmount gives the result the sum v, its basis saying what else holds
// of it: that other conditions are open, to whom it is paid, with which
// benefits it does not stack.
func (r *Result) setAmount(b *Benefit, v Value) {
	if r.Status == Undetermined {
		v.Basis = "如其余条件均满足:" + v.Basis
	}
	if b.Recipient != "" {
		v.Basis += ";奖励对象为" + b.Recipient
	}
	if b.Exclusive != "" {
		v.Basis += ";" + b.exclusiveNote
	}
	r.Amount = &v
	if r.Status == Eligible {
		r.Reasons = append(r.Reasons, v.Basis)
	}
}

// amount fills the amount of an eligible or undetermined result. An
// undetermined result shows the sum it would bring, marked as such, when the
// known facts already fix it.
func (e *Engine) amount(r *Result, b *Benefit, p *Profile) {
	a := b.Amount
	exact := a.boundExact(p)
	switch {
	case a.Support != "":
		r.AmountNote = b.amountNote
	case a.Unstated != "":
		r.unstated, r.decidedBy = a.Unstated, a.DecidedBy
		r.AmountNote = b.amountNote
	case exact != nil:
		r.setAmount(b, *exact)
	case a.bound != nil:
		r.AmountBound = a.Bound(p)
		r.AmountNote = a.boundNote(r.AmountBound)
		if f, ok := e.cat.Lookup(r.AmountBound.Base); ok {
			r.boundBase = f.Label
		}
		r.sumAwaits = a.awaits(p)
		if r.Status == Eligible {
			r.AmountAwaits = r.sumAwaits // 最高为个人经济贡献的60%: the base waits
		}
	default:
		if v, ok := a.Compute(p); ok {
			r.setAmount(b, v)
		} else if keys := a.awaits(p); len(keys) > 0 {
			r.AmountNote = a.awaitsNote(keys)
			r.sumAwaits = keys
			if r.Status == Eligible {
				r.AmountAwaits = keys
			}
		} else {
			r.AmountNote = "金额取决于尚未提供的信息"
		}
	}
	if b.Exclusive != "" && r.Amount == nil {
		r.AmountNote += ";" + b.exclusiveNote
	}
	if r.InPlay {
		// Only results in play are weighed, for their order and the next
		// question.
		r.weight = 1 + float64(a.potential(p))/10000
	}
}

// actual describes the known figures and choices a condition reads:
// 年节能量800吨标煤. Yes/no facts are left out: the status already says them.
func (a *activation) actual(c *Condition) string {
	var s string
	for _, i := range c.facts {
		switch said := a.said(i); {
		case said == "":
		case s == "":
			s = said
		default:
			s += "," + said
		}
	}
	return s
}

// said is fact i as a condition shows it (年节能量800吨标煤), or "" for an
// unknown or yes/no fact; written once per match, since many results show
// the same facts.
func (a *activation) said(i int) string {
	f := &a.p.cat.facts[i]
	if a.p.vals[i] == nil || f.Kind == KindBool {
		return ""
	}
	for _, s := range a.sayings {
		if s.fact == i {
			return s.text
		}
	}
	text := f.Label + FormatFact(f, a.p.vals[i].Value())
	a.sayings = append(a.sayings, saying{i, text})
	return text
}

// saying is a fact as said, in an activation.
type saying struct {
	fact int
	text string
}

// because is the reason of a condition: its state and text (prefix), with
// the figures it read in brackets.
func because(prefix, actual string) string {
	if actual == "" {
		return prefix
	}
	return prefix + "(" + actual + ")"
}

// inForce reports whether the document applies on asOf, and why not.
func inForce(d *kb.Document, asOf time.Time) (string, bool) {
	switch d.ValidityOn(asOf) {
	case kb.NotYetInForce:
		return fmt.Sprintf("不满足:查询日期%s早于%s施行(%s)", asOf.Format(time.DateOnly), d.Cite(), d.EffectiveFrom.Chinese()), false
	case kb.Expired:
		return fmt.Sprintf("不满足:%s已于%s到期失效(有效期届满)", d.Cite(), d.EffectiveTo.Chinese()), false
	case kb.Repealed:
		return fmt.Sprintf("不满足:%s已被废止(自%s起)", d.Cite(), d.RepealedFrom.Chinese()), false
	}
	return "", true
}

// validityOn returns the caveats of b's document on asOf.
func (b *Benefit) validityOn(asOf time.Time) []string {
	if b.validityEarly != nil && !asOf.After(b.doc.EffectiveFrom.Last()) {
		return b.validityEarly
	}
	return b.validity
}

// setValidity writes the caveats of what the dates of b's document leave
// open, once, since every result of b carries them.
func (b *Benefit) setValidity() {
	d := b.doc
	var term []string
	if c := termCaveat(d); c != "" {
		term = []string{c}
	}
	switch {
	case d.EffectiveFrom.IsZero():
		// The text does not say when it took effect (自发布之日起施行, with
		// no date of publication recorded): in force, and said to be unsure.
		unknown := fmt.Sprintf("%s未写明施行日期,请向发文机关(%s)确认查询日期时政策已施行。", d.Cite(), d.Issuer)
		b.validity = append([]string{unknown}, term...)
	case !d.EffectiveFrom.Exact():
		early := fmt.Sprintf("%s的施行日期仅知为%s,请确认查询日期时政策已施行。", d.Cite(), d.EffectiveFrom.Chinese())
		b.validityEarly, b.validity = append([]string{early}, term...), term
	default:
		b.validity = term
	}
}

// termCaveat is the caveat every result of a document without a stated term
// of validity carries; empty when the document states one.
func termCaveat(d *kb.Document) string {
	if d.EffectiveTo != nil {
		return ""
	}
	// Only the issuer can say whether its document still applies; the
	// department of a benefit may be a bank.
	return fmt.Sprintf("%s%s。请向发文机关(%s)或其工业主管部门确认该政策现行有效。", d.Cite(), strings.TrimSuffix(d.ValidityNote, "。"), d.Issuer)
}

// basisWords say what an unstated sum rests on (根据…成效, 视…带动作用,
// 一事一议): the clause's words worth repeating with it.
var basisWords = []string{"根据", "视", "按", "参照", "依据", "一事一议", "研究确定"}

// containsAnyOf reports whether s holds one of words.
func containsAnyOf(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// maxUnstatedRunes bounds the standard an amount text repeats: a longer
// one is in the amount note.
const maxUnstatedRunes = 120

// AmountText says a result's sum in a phrase (20万元,由受益财政兑现;
// 金额未定(条文规定最高2000万元)), or support in kind; "" when the clause
// says nothing of it. The chat and the console tell amounts with it.
func (r *Result) AmountText() string {
	var s string
	switch {
	case r.Amount != nil:
		if r.Amount.Years > 0 {
			s = fmt.Sprintf("每年%s,连续%d年", FormatYuan(r.Amount.CNY), r.Amount.Years)
		} else if r.Amount.PerYear {
			s = "每年" + FormatYuan(r.Amount.CNY) + "(年限条文未写明)"
		} else {
			s = FormatYuan(r.Amount.CNY)
		}
		if r.Payer != "" {
			s += ",由" + r.Payer + "兑现"
		}
		if r.Recipient != "" {
			s += ",奖给" + r.Recipient
		}
	case r.Support != "":
		s = r.Support
	case r.AmountEstimate != nil:
		s = r.AmountEstimate.String() + "(按所说约数估算,以准确数字计算为准)"
		if r.Payer != "" {
			s += ",由" + r.Payer + "兑现"
		}
	case r.AmountBound != nil:
		// A ceiling or a range is no sum: say it as a bound, with the
		// rates that make its yuan (最高8万元,即个人经济贡献的100%).
		b := r.AmountBound
		s = "金额未定(条文规定" + b.String()
		if rates := b.rates(); r.boundBase != "" && rates != "" && (b.MinCNY != nil || b.MaxCNY != nil) {
			s += ",即" + r.boundBase + "的" + rates
		}
		if b.PerUnit != "" {
			s += ",按" + b.PerUnit + "计"
		}
		s += ")"
	case len(r.AmountAwaits) > 0 && r.AmountBound == nil:
		s = strings.SplitN(r.AmountNote, ";", 2)[0]
	case r.AmountNote != "":
		s = "金额条文未规定"
		short := utf8.RuneCountInString(r.unstated) <= maxUnstatedRunes
		switch {
		case strings.ContainsAny(r.unstated, "0123456789") && short:
			// 每平方米每月最高20元,补贴面积不超过500平方米: the standard the
			// department sets the sum by is worth saying with it.
			s = "金额按标准核定(" + r.unstated + ")"
		case short && containsAnyOf(r.unstated, basisWords):
			// 根据创业大赛的投入、规模…给予一定额度的补助: what the sum
			// rests on, in the clause's words; 给予一次性奖励 says nothing
			// more than that there is one.
			s += "(条文为“" + r.unstated + "”)"
		}
		switch {
		case strings.HasPrefix(r.decidedBy, "条文未写明"):
			s += ",决定主体:" + r.decidedBy
		case strings.Contains(r.decidedBy, "定"):
			s += ",由" + r.decidedBy // 由区科技行政主管部门审定
		case r.decidedBy != "":
			s += ",由" + r.decidedBy + "确定"
		case r.Payer != "":
			s += ",由" + r.Payer + "确定"
		}
	}
	return s
}
