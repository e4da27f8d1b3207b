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
	"policybot/kb/gazetteer"
)

// Engine matches profiles against every benefit of the knowledge base. It is
// immutable after Load and safe for concurrent use.
type Engine struct {
	cat         *Catalogue
	base        *kb.Base
	benefits    []*Benefit
	byApplicant map[string][]*Benefit
	cases       []*Case
	// byFact holds, per applicant type, the postings of each document in
	// load order, so that a match skips the documents outside its region
	// whole.
	byFact map[string][]*docPostings
	// patterns holds one unknown-attribute pattern per fact, built once.
	patterns []*interpreter.AttributePattern
	// readBy lists, per fact key, the documents whose benefits read it.
	readBy map[string][]string
}

// touched returns the applicant's benefits that read at least one known
// fact, in rule order, leaving out those of documents whose area does not
// hold region (nil: none left out) unless open to applicants from outside.
// Its cost grows with the postings of the known facts in the documents
// kept, not with the number of benefits or documents.
func (e *Engine) touched(p *Profile, applicant string, region *gazetteer.Division) []*Benefit {
	var ids []int
	for _, dp := range e.byFact[applicant] {
		if !dp.open && areaOf(dp.doc, region) == no {
			continue
		}
		for f, v := range p.vals {
			if v != nil {
				ids = append(ids, dp.facts[f]...)
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]*Benefit, 0, len(ids))
	for _, id := range ids {
		if b := e.benefits[id]; b.AreaReplacedBy != "" || areaOf(b.doc, region) != no {
			out = append(out, b)
		}
	}
	return out
}

// docPostings lists, for one applicant type and one document, the benefits
// (positions in benefits) whose conditions read each fact.
type docPostings struct {
	doc   *kb.Document
	facts [][]int
	// open is true when a benefit of the document is open to applicants
	// from outside its area, so that the document is never skipped whole.
	open bool
}

// Load reads every */rules.yaml and */cases.yaml of fsys, compiles and
// type-checks the rules against the catalogue of facts and the documents of
// base, and checks that every benefit has its own test cases. It does not
// run the cases; see RunCases.
func Load(fsys fs.FS, base *kb.Base) (*Engine, error) {
	cat, err := NewCatalogue(base.Facts(), base.Gazetteer())
	if err != nil {
		return nil, err
	}
	sets, err := loadRules(fsys, base, cat)
	if err != nil {
		return nil, err
	}
	e := &Engine{cat: cat, base: base, byApplicant: map[string][]*Benefit{}}
	for _, rs := range sets {
		e.benefits = append(e.benefits, rs.benefits...)
	}
	if err := e.resolveTotals(); err != nil {
		return nil, err
	}
	e.index()
	e.noteExclusive()
	e.readBy = map[string][]string{}
	for _, b := range e.benefits {
		for _, i := range b.facts {
			key := cat.facts[i].Key
			if !slices.Contains(e.readBy[key], b.DocID) {
				e.readBy[key] = append(e.readBy[key], b.DocID)
			}
		}
	}
	if e.cases, err = loadCases(fsys, e); err != nil {
		return nil, err
	}
	return e, nil
}

// resolveTotals finds the parts of each total among the benefits of its
// document. A total reads the facts its parts read, so that it is judged
// whenever one of them is.
func (e *Engine) resolveTotals() error {
	for _, b := range e.benefits {
		for _, id := range b.Amount.totalOf {
			i := slices.IndexFunc(e.benefits, func(o *Benefit) bool { return o.ID == id })
			if i < 0 || e.benefits[i].DocID != b.DocID {
				return fmt.Errorf("matcher: benefit %s: total.of: %q is no benefit of its document", b.ID, id)
			}
			part := e.benefits[i]
			if part.Amount.totalOf != nil {
				return fmt.Errorf("matcher: benefit %s: total.of: %s is a total itself", b.ID, id)
			}
			b.Amount.parts = append(b.Amount.parts, part)
			b.facts = appendUnique(b.facts, part.facts...)
		}
		for _, a := range b.Applicants {
			if b.Amount.parts != nil && !slices.ContainsFunc(b.Amount.parts, func(part *Benefit) bool { return slices.Contains(part.Applicants, a) }) {
				return fmt.Errorf("matcher: benefit %s: total.of: no part is open to %s", b.ID, a)
			}
		}
	}
	return nil
}

// noteExclusive writes, for each benefit of an exclusive group, which
// others it does not add up with, named as a reader knows them: by title
// and clause, never by the group's name in the rules.
func (e *Engine) noteExclusive() {
	groups := map[string][]*Benefit{}
	for _, b := range e.benefits {
		if b.Exclusive != "" {
			groups[b.Exclusive] = append(groups[b.Exclusive], b)
		}
	}
	for _, b := range e.benefits {
		var others []string
		for _, o := range groups[b.Exclusive] {
			if o != b {
				others = append(others, fmt.Sprintf("“%s”(%s)", o.Title, kb.Cite(o.Article)))
			}
		}
		switch {
		case b.Exclusive == "":
		case len(others) == 0:
			// A group of one is a clause whose levels or kinds do not add up
			// (国家级、省级、市级 按就高不重复).
			b.exclusiveNote = "按就高不重复的原则,同一事项只享受其中最高一项"
		default:
			b.exclusiveNote = "与" + strings.Join(others, "、") + "就高不重复,只享受其中最高一项"
		}
	}
}

// index builds the per-applicant lists, the postings from each fact to the
// benefits that read it, and the unknown-attribute patterns.
func (e *Engine) index() {
	e.byApplicant = map[string][]*Benefit{}
	e.byFact = map[string][]*docPostings{}
	for i, b := range e.benefits {
		for _, a := range b.Applicants {
			e.byApplicant[a] = append(e.byApplicant[a], b)
			list := e.byFact[a]
			if len(list) == 0 || list[len(list)-1].doc != b.doc {
				list = append(list, &docPostings{doc: b.doc, facts: make([][]int, len(e.cat.facts))})
				e.byFact[a] = list
			}
			dp := list[len(list)-1]
			dp.open = dp.open || b.AreaReplacedBy != ""
			for _, f := range b.facts {
				if !e.cat.facts[f].Identity {
					dp.facts[f] = append(dp.facts[f], i)
				}
			}
		}
	}
	e.patterns = make([]*interpreter.AttributePattern, len(e.cat.facts))
	for i, f := range e.cat.facts {
		e.patterns[i] = interpreter.NewAttributePattern(f.Key)
	}
}

// ApplicantsFor returns the applicant types of the benefits that read the
// fact key, in ApplicantTypes order: a fact only parks have (省级清洁化园区)
// tells who is speaking.
func (e *Engine) ApplicantsFor(key string) []string {
	i, ok := e.cat.index[key]
	if !ok {
		return nil
	}
	var out []string
	for _, t := range e.base.ApplicantTypes() {
		if slices.ContainsFunc(e.byFact[t], func(dp *docPostings) bool { return len(dp.facts[i]) > 0 }) {
			out = append(out, t)
		}
	}
	return out
}

// Catalogue returns the facts the engine's profiles hold.
func (e *Engine) Catalogue() *Catalogue { return e.cat }

// NewProfile returns a profile of the engine's catalogue, every fact unknown.
func (e *Engine) NewProfile() *Profile { return e.cat.NewProfile() }

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
		var region *gazetteer.Division
		if !opts.IncludeIneligible {
			region = act.region
		}
		own = e.touched(p, applicant, region)
		if len(opts.Asked) > 0 {
			// 想问问高学历人才住房补贴: a benefit asked about by name is
			// judged though no known fact touches it yet; rule order stays.
			var asked []*Benefit
			for _, b := range e.byApplicant[applicant] {
				if slices.Contains(own, b) || slices.Contains(opts.Asked, b.ID) {
					asked = append(asked, b)
				}
			}
			own = asked
		}
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
	// stable, so ties keep rule order. It sorts places, then moves each
	// result once, following each cycle of the order with one result held
	// aside, since a Result is large.
	order := make([]int, len(out.Results))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &out.Results[i], &out.Results[j]
		if c := cmp.Compare(a.rank(), b.rank()); c != 0 {
			return c
		}
		if a.InPlay {
			return cmp.Compare(b.weight, a.weight)
		}
		return 0
	})
	for i := range order {
		if order[i] < 0 {
			continue
		}
		held, j := out.Results[i], i
		for order[j] != i {
			next := order[j]
			out.Results[j], order[j] = out.Results[next], -1
			j = next
		}
		out.Results[j], order[j] = held, -1
	}
	out.Question = nextQuestion(e.cat, out.Results, opts.Skip)
	out.Validity = ValidityOf(out.Results)
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
	p *Profile
	// patterns are the engine's, one per fact; unknown those of the facts
	// the profile lacks, listed when partial evaluation first asks, since
	// most conditions never need it.
	patterns, unknown []*interpreter.AttributePattern
	// region is the division of the profile's region, nil when unknown;
	// regionName is the profile's name of it and regionSaid how an area
	// test shows it (注册地南康区).
	region                 *gazetteer.Division
	regionName, regionSaid string

	// sayings and areaMet hold what the results of one match share, written
	// on first use: the facts as conditions show them, and the reason of a
	// met area test by document.
	sayings []saying
	areaMet []areaReason
}

// areaReason is the reason of a document's area test met.
type areaReason struct {
	doc    *kb.Document
	reason string
}

func (e *Engine) activation(p *Profile) *activation {
	a := &activation{p: p, patterns: e.patterns, region: p.region()}
	if v, ok := p.Get("region"); ok {
		a.regionName = v.(string)
		a.regionSaid = "注册地" + a.regionName
	}
	return a
}

func (a *activation) ResolveName(name string) (any, bool) {
	i, ok := a.p.cat.index[name]
	if !ok || a.p.vals[i] == nil {
		return nil, false
	}
	return a.p.vals[i], true
}

func (a *activation) Parent() interpreter.Activation { return nil }

func (a *activation) UnknownAttributePatterns() []*interpreter.AttributePattern {
	if a.unknown == nil {
		a.unknown = make([]*interpreter.AttributePattern, 0, len(a.p.vals)-a.p.Len())
		for i, v := range a.p.vals {
			if v == nil {
				a.unknown = append(a.unknown, a.patterns[i])
			}
		}
	}
	return a.unknown
}

// check evaluates one condition.
func (c *Condition) check(p *Profile, act *activation) tri {
	if c.steps != nil {
		return c.checkSteps(p)
	}
	if c.bands != nil {
		return c.bands.check(p)
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

// metBySubstance reports whether a met condition rests on a known fact
// beyond those describing the applicant in general; only such a condition
// puts a benefit in play (industry || county_cluster_member met by the
// industry alone does not).
func (c *Condition) metBySubstance(p *Profile) bool {
	for _, i := range c.facts {
		if !p.cat.facts[i].General && p.vals[i] != nil {
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
	if b.Amount.parts != nil {
		return e.evaluateTotal(b, p, act, opts)
	}
	if reason, ok := inForce(b.doc, opts.AsOf); !ok {
		if !opts.IncludeIneligible {
			return Result{}, false
		}
		r := newResult(b, opts)
		r.Status = Ineligible
		r.Reasons = []string{reason}
		r.OutOfForce = reason
		if b.AreaReplacedBy == "" && areaOf(b.doc, act.region) == no {
			// Of another area as well: a client need not tell the applicant
			// that a measure it never had has lapsed.
			r.OutOfArea = act.outOfArea(b.doc)
		}
		return r, true
	}
	// The document's area comes first, unless the clause is for those
	// moving in or operating there and says so in its own conditions.
	areaState := yes
	if b.AreaReplacedBy == "" {
		areaState = areaOf(b.doc, act.region)
	}
	if areaState == no && !opts.IncludeIneligible {
		return Result{}, false
	}
	// Decide first, explain after: most ineligible results are never shown.
	var buf [8]tri
	states := buf[:0]
	anyNo, anyUnknown, inPlay := areaState == no, areaState == unknown && act.region != nil, slices.Contains(opts.Asked, b.ID)
	met := 0 // conditions met by known facts
	for _, c := range b.Conditions {
		t := c.check(p, act)
		states = append(states, t)
		if t == unknown && c.ifKnown {
			continue // 第几年 unsaid: each part of the schedule is told
		}
		switch t {
		case yes:
			met++
			inPlay = inPlay || c.metBySubstance(p)
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
	if b.AreaReplacedBy == "" {
		r.addAreaCheck(b, areaState, act)
	}
	for i, c := range b.Conditions {
		if states[i] == unknown && c.ifKnown {
			continue
		}
		chk := Check{Text: c.Text, Actual: act.actual(c), Facts: c.keys}
		switch states[i] {
		case yes:
			chk.Status = "满足"
			r.Reasons = append(r.Reasons, because(c.met, chk.Actual))
		case no:
			chk.Status = "不满足"
			r.Reasons = append(r.Reasons, because(c.unmet, chk.Actual))
		default:
			chk.Status = "待确认"
			var buf [4]string
			missing := buf[:0]
			for _, i := range c.facts {
				if p.vals[i] == nil {
					r.MissingFacts = appendUnique(r.MissingFacts, p.cat.facts[i].Key)
					missing = append(missing, p.cat.facts[i].Label)
				}
			}
			r.Reasons = append(r.Reasons, because(c.open, "未提供"+strings.Join(missing, "、")))
		}
		r.Conditions = append(r.Conditions, chk)
	}
	switch {
	case anyNo:
		r.Status = Ineligible
		r.MissingFacts = []string{}
	case anyUnknown:
		r.Status = Undetermined
		// 新落户南沙的高企奖励, for an enterprise registered in 柳河县: a
		// measure for those moving in is worth asking about only where the
		// applicant is, or may be, in its area.
		r.InPlay = inPlay && (b.AreaReplacedBy == "" || act.region == nil || areaOf(b.doc, act.region) != no || slices.Contains(opts.Asked, b.ID))
	default:
		r.Status = Eligible
	}
	if r.Status != Ineligible {
		e.amount(&r, b, p)
	}
	if r.InPlay && slices.Contains(opts.Asked, b.ID) {
		// 想申请在华永久居留: what the speaker asks about by name is asked
		// for first, whatever other benefits may be worth; of its kinds,
		// the one the known facts meet most (外籍华人 with a doctorate).
		r.weight += askedWeight + float64(met)
	}
	if r.Status != Ineligible && (r.Amount != nil && r.Amount.CNY == 0 || r.AmountBound != nil && r.AmountBound.MaxCNY != nil && *r.AmountBound.MaxCNY == 0) {
		// 个人经济贡献为0: 40% of nothing, or at most nothing, is no
		// benefit, whatever the conditions, met or still open.
		r.Status, r.Amount, r.AmountBound, r.AmountNote, r.MissingFacts, r.InPlay = Ineligible, nil, nil, "", []string{}, false
		r.Reasons = append(r.Reasons, "不满足:按所给信息计算,金额为0元")
		if !opts.IncludeIneligible {
			return Result{}, false
		}
	}
	return r, true
}

// evaluateTotal adds up the sums of a total's eligible parts, held to its
// ceiling. It is shown only when two parts or more come to a sum of one
// payment; parts still open are named, never counted, and parts of which
// nothing is known are kinds the applicant did not mention.
func (e *Engine) evaluateTotal(b *Benefit, p *Profile, act *activation, opts Options) (Result, bool) {
	r := newResult(b, opts)
	r.TotalOf = b.Amount.totalOf
	var terms, open []string
	var sum int64
	var out *Result // a part ruled out
	for _, part := range b.Amount.parts {
		if !slices.Contains(part.Applicants, p.ApplicantType()) {
			continue
		}
		pr, ok := e.evaluate(part, p, act, opts)
		switch {
		case !ok:
			continue
		case pr.Status == Ineligible:
			out = &pr
			continue
		case pr.Status == Eligible && pr.Amount != nil && pr.Amount.Years == 0 && !pr.Amount.PerYear:
			sum += pr.Amount.CNY
			terms = append(terms, part.Title+FormatYuan(pr.Amount.CNY))
			continue
		case pr.Status == Undetermined && pr.InPlay:
			open = append(open, part.Title)
		}
		r.MissingFacts = appendUnique(r.MissingFacts, pr.MissingFacts...)
		r.MissingFacts = appendUnique(r.MissingFacts, pr.AmountAwaits...)
	}
	switch {
	case len(terms) >= 2:
	case len(terms) == 0 && len(r.MissingFacts) == 0 && out != nil:
		// Every part judged is ruled out: the total is, for the first reason.
		r.Status, r.OutOfArea, r.OutOfForce = Ineligible, out.OutOfArea, out.OutOfForce
		r.Reasons = append(r.Reasons, out.Reasons...)
		return r, opts.IncludeIneligible
	default:
		// Fewer than two sums: nothing to add up, listed only when every
		// benefit is.
		r.Status = Undetermined
		r.Reasons = append(r.Reasons, "待确认:合计需要其中至少两项已算出金额")
		return r, opts.IncludeUntouched
	}
	r.Status, r.MissingFacts = Eligible, []string{}
	basis, reason := strings.Join(terms, " + ")+" = "+FormatYuan(sum), "满足:"+kb.Cite(b.Article)+"所列各项中"
	sum, basis = b.Amount.capped(sum, basis)
	if len(open) > 0 {
		basis += ";未计入尚待确认的" + strings.Join(open, "、")
	}
	r.Reasons = append(r.Reasons, fmt.Sprintf("%s%d项已算出金额", reason, len(terms)))
	r.setAmount(b, Value{CNY: sum, Basis: basis})
	return r, true
}

// Today is the date in China as a UTC midnight: what "today" means to an
// applicant in Ganzhou whatever the server's zone, and the default as_of.
func Today(now time.Time) time.Time {
	t := now.In(chinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// chinaTime is UTC+8 without daylight saving, so no zone database is needed.
var chinaTime = time.FixedZone("CST", 8*3600)

// Reads reports whether any benefit's rules read the fact key.
func (e *Engine) Reads(key string) bool { return len(e.readBy[key]) > 0 }

// ReadBy returns the documents whose benefits read the fact key, in load
// order. The slice is shared: do not modify it.
func (e *Engine) ReadBy(key string) []string { return e.readBy[key] }
