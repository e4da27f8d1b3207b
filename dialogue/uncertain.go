package dialogue

import (
	"encoding/json"
	"math"
	"slices"
	"strings"

	"policybot/matcher"
)

// maxUncertain bounds how many approximate facts are matched at the ends of
// their ranges (2^n matches): the most recent ones; older ones are taken at
// the figure said.
const maxUncertain = 3

// matchRanges matches the profile with every fact said approximately at the
// ends of its range. A benefit whose outcome is the same at every end is
// settled by the words, and its reasons quote them (当年主营业务收入约5亿元);
// one whose outcome differs is not: it is matched as if the fact were
// unknown, so it stays 待确认, says why, and the question asks for the exact
// figure. Outcomes are monotone in each figure for thresholds, steps and
// rates, so the ends decide.
func (s *Service) matchRanges(st *State, p *matcher.Profile, opts matcher.Options) *matcher.Outcome {
	cat := s.engine.Catalogue()
	var loose []FactRecord
	for i := len(st.Facts) - 1; i >= 0 && len(loose) < maxUncertain; i-- {
		if f := st.Facts[i]; f.Range != nil && s.engine.Reads(f.Key) {
			loose = append(loose, f)
		}
	}
	if len(loose) == 0 {
		return s.engine.Match(p, opts)
	}
	// The results of each combination of ends, by benefit: a match orders
	// its results by status, so positions differ between them.
	outs := make([]map[string]matcher.Result, 1<<len(loose))
	var first *matcher.Outcome
	for mask := range outs {
		q := p.Clone()
		for i, f := range loose {
			end := f.Range.Lo
			if mask&(1<<i) != 0 {
				end = f.Range.Hi
			}
			fact, _ := cat.Lookup(f.Key)
			end = min(max(end, fact.Min), fact.Max) // +Inf is the fact's bound
			var v any = end
			if fact.Kind == matcher.KindMoney {
				v = int64(end)
			}
			if q.Set(f.Key, v) != nil {
				q.Delete(f.Key) // an end the fact refuses is no value of it
			}
		}
		o := s.engine.Match(q, opts)
		if mask == 0 {
			first = o
		}
		outs[mask] = make(map[string]matcher.Result, len(o.Results))
		for _, r := range o.Results {
			outs[mask][r.BenefitID] = r
		}
	}
	// A benefit is unsettled when two ends give it different outcomes; a
	// loose fact matters when flipping its end alone changes one.
	unsettled := map[string]bool{}
	matters := make([]bool, len(loose))
	for mask, o := range outs {
		for i := range loose {
			other := outs[mask^(1<<i)]
			for id, r := range o {
				if x, ok := other[id]; !ok || !sameOutcome(r, x) {
					unsettled[id] = true
					matters[i] = true
				}
			}
		}
	}
	out := *first
	out.Results = slices.Clone(out.Results)
	for i := range out.Results {
		out.Results[i] = quoteRanges(cat, out.Results[i], loose)
	}
	// A benefit the ends agree on but whose sum the figure moves (50% of
	// 八十来万) keeps its outcome: its sum is told as the span the ends
	// give, never as one end's, and the exact figure is asked when nothing
	// else is. A tier or band inside the span is no span: one sum or
	// another, the benefit stays unsettled.
	var spanned []FactRecord
	for i := range out.Results {
		r := &out.Results[i]
		if top, ok := outs[len(outs)-1][r.BenefitID]; ok && boundMoves(outs, r.BenefitID) && top.AmountBound != nil && top.AmountBound.MaxCNY != nil &&
			r.AmountBound.MinRate == "" && r.AmountBound.MaxRate == "" {
			// 两千平左右 at 每月每平方米最高50元: the ceiling the span's top
			// gives bounds every figure in it.
			delete(unsettled, r.BenefitID)
			r.AmountBound, r.AmountNote = top.AmountBound, "按所说约数可能的最大值计:"+top.AmountNote
			continue
		}
		if boundMoves(outs, r.BenefitID) {
			// 五千万出头 of 5%-20%: the outcome stands, but no end's sums
			// are the clause's bound; its rates are.
			delete(unsettled, r.BenefitID)
			bd := *r.AmountBound
			bd.MinCNY, bd.MaxCNY = nil, nil
			r.AmountBound = &bd
			r.AmountNote = "条文规定" + bd.String() + ",按所说约数算不出金额的上下限,以准确数字为准"
			continue
		}
		lo, hi, years, ok := sumSpan(outs, r.BenefitID)
		b, known := s.engine.Benefit(r.BenefitID)
		if !ok || !known || lo == hi {
			continue
		}
		var moves []FactRecord
		for _, f := range loose {
			if b.Amount.ProportionalOver(f.Key, f.Range.Lo, f.Range.Hi) {
				moves = append(moves, f)
			}
		}
		if len(moves) == 0 {
			continue
		}
		delete(unsettled, r.BenefitID)
		est := &matcher.Estimate{MinCNY: lo, MaxCNY: &hi, Years: years}
		for _, f := range moves {
			if math.IsInf(f.Range.Hi, 1) && !b.Amount.Capped() {
				est.MaxCNY = nil // 超过80万 with no ceiling has no top
			}
		}
		basis := r.Amount.Basis
		r.Reasons = slices.DeleteFunc(slices.Clone(r.Reasons), func(x string) bool { return x == basis })
		r.Reasons = append(r.Reasons, "金额按所说约数估算为"+est.String()+",以准确数字计算为准")
		r.Amount, r.AmountEstimate = nil, est
		if r.Status == matcher.Eligible {
			spanned = append(spanned, moves...)
		}
	}
	if len(unsettled) == 0 {
		if out.Question == nil {
			s.askExact(st, &out, spanned, "是约数,金额按准确数字计算")
		}
		return &out
	}
	// Match again without the loose facts the unsettled benefits read.
	q := p.Clone()
	var dropped []FactRecord
	for i, f := range loose {
		if !matters[i] {
			continue // 8个多亿 settles its part whatever the other figure is
		}
		for id := range unsettled {
			if b, ok := s.engine.Benefit(id); ok && b.Reads(f.Key) {
				q.Delete(f.Key)
				dropped = append(dropped, f)
				break
			}
		}
	}
	// Untouched too: a benefit only the dropped figure touched (上一年度申请
	// 30件左右) is otherwise left out, and its end's outcome would stand.
	reopts := opts
	reopts.IncludeUntouched = true
	open := s.engine.Match(q, reopts)
	at := make(map[string]int, len(out.Results))
	for i, r := range out.Results {
		at[r.BenefitID] = i
	}
	for _, r := range open.Results {
		i, ok := at[r.BenefitID]
		if !unsettled[r.BenefitID] || !ok {
			continue
		}
		for _, f := range dropped {
			if b, ok := s.engine.Benefit(r.BenefitID); ok && b.Reads(f.Key) {
				fact, _ := cat.Lookup(f.Key)
				r.Reasons = append(r.Reasons, "待确认:"+fact.Label+boundsWords(fact, f.Value, *f.Range, f.Bounds)+",可能在条件的界限两侧,需要准确数字")
			}
		}
		r.InPlay = r.Status == matcher.Undetermined // the figure said is at its threshold
		out.Results[i] = r
	}
	// Ask for the exact figure the words left open: the user has just
	// spoken of it.
	if s.askExact(st, &out, dropped, "在政策条件的界限附近") {
		return &out
	}
	if open.Question != nil && slices.ContainsFunc(dropped, func(f FactRecord) bool { return f.Key == open.Question.Fact }) || out.Question == nil {
		out.Question = open.Question
	}
	return &out
}

// askExact asks for the exact figure of the first of facts the user may
// still tell, saying why, and reports whether it did.
func (s *Service) askExact(st *State, out *matcher.Outcome, facts []FactRecord, why string) bool {
	for _, f := range facts {
		if fact, ok := s.engine.Catalogue().Lookup(f.Key); ok && fact.Question != "" && !slices.Contains(st.Declined, f.Key) {
			q := matcher.QuestionFor(fact, nil)
			q.Text = "“" + f.Source + "”" + why + ",请告诉我准确数字:" + q.Text
			out.Question = q
			return true
		}
	}
	return false
}

// agreed returns the results of benefit id at every end outs were matched
// at, when each end gives it the same status, not ineligible, and the same
// wants: the outcome stands, and only what it brings may move.
func agreed(outs []map[string]matcher.Result, id string) ([]matcher.Result, bool) {
	rs := make([]matcher.Result, 0, len(outs))
	for _, o := range outs {
		r, found := o[id]
		if !found || r.Status == matcher.Ineligible || len(rs) > 0 && (r.Status != rs[0].Status || !slices.Equal(r.MissingFacts, rs[0].MissingFacts)) {
			return nil, false
		}
		rs = append(rs, r)
	}
	return rs, true
}

// sumSpan returns the least and the most sum benefit id brings over the
// ends outs were matched at, when the ends agree on its outcome and each
// gives it a sum.
func sumSpan(outs []map[string]matcher.Result, id string) (lo, hi int64, years int, ok bool) {
	rs, ok := agreed(outs, id)
	if !ok {
		return 0, 0, 0, false
	}
	for k, r := range rs {
		if r.Amount == nil {
			return 0, 0, 0, false
		}
		years = r.Amount.Years
		if k == 0 || r.Amount.CNY < lo {
			lo = r.Amount.CNY
		}
		hi = max(hi, r.Amount.CNY)
	}
	return lo, hi, years, true
}

// sameOutcome reports whether two results of one benefit agree on what the
// applicant gets and on what they still need to know.
func sameOutcome(x, y matcher.Result) bool {
	if x.Status != y.Status || (x.Amount == nil) != (y.Amount == nil) {
		return false
	}
	// Undetermined at both ends, for different wants (30万左右: below, the
	// research institution decides; above, the contribution), the figure
	// decides which: not the same.
	if x.Status == matcher.Undetermined {
		// What it would bring is said only once the rest is known; a sum
		// that the figure moves does not make its outcome unsettled.
		return slices.Equal(x.MissingFacts, y.MissingFacts)
	}
	if !sameBound(x.AmountBound, y.AmountBound) {
		return false // 最高为个人经济贡献的100% of 八十来万: see boundMoves
	}
	return x.Amount == nil || x.Amount.CNY == y.Amount.CNY
}

// boundMoves reports whether the ends agree on the outcome of benefit id
// and each gives it a bound, whose sums differ between them.
func boundMoves(outs []map[string]matcher.Result, id string) bool {
	rs, ok := agreed(outs, id)
	if !ok {
		return false
	}
	moved := false
	for _, r := range rs {
		if r.AmountBound == nil {
			return false
		}
		moved = moved || !sameBound(r.AmountBound, rs[0].AmountBound)
	}
	return moved
}

// sameBound reports whether two bounds state the same sums.
func sameBound(x, y *matcher.Bound) bool {
	if x == nil || y == nil {
		return x == y
	}
	eq := func(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	return eq(x.MinCNY, y.MinCNY) && eq(x.MaxCNY, y.MaxCNY)
}

// quoteRanges replaces, in the explanations of r, the value a loose fact was
// matched at by the words it was said in: the reply never shows a figure
// the user did not say.
func quoteRanges(cat *matcher.Catalogue, r matcher.Result, loose []FactRecord) matcher.Result {
	var pairs []string
	for _, f := range loose {
		fact, _ := cat.Lookup(f.Key)
		said := fact.Label + boundsWords(fact, f.Value, *f.Range, f.Bounds)
		for _, end := range []float64{f.Range.Lo, min(f.Range.Hi, fact.Max)} {
			var v any = end
			if fact.Kind == matcher.KindMoney {
				v = int64(end)
			}
			pairs = append(pairs, fact.Label+matcher.FormatFact(fact, v), said)
		}
	}
	rep := strings.NewReplacer(pairs...)
	r.Reasons = slices.Clone(r.Reasons)
	for i := range r.Reasons {
		r.Reasons[i] = rep.Replace(r.Reasons[i])
	}
	r.Conditions = slices.Clone(r.Conditions)
	for i := range r.Conditions {
		r.Conditions[i].Actual = rep.Replace(r.Conditions[i].Actual)
	}
	if r.Amount != nil {
		a := *r.Amount
		a.Basis = rep.Replace(a.Basis)
		r.Amount = &a
	}
	r.AmountNote = rep.Replace(r.AmountNote)
	return r
}

// boundsWords says a loose figure in the user's words: the two bounds said,
// or the range of the one figure.
func boundsWords(f *matcher.Fact, said any, r Range, bounds string) string {
	if bounds != "" {
		return bounds
	}
	return rangeWords(f, said, r)
}

// rangeWords says a loose figure the way it was meant: 约5亿元, 超过10亿元,
// 不到5亿元, 3亿元多, 5亿元至6亿元.
func rangeWords(f *matcher.Fact, said any, r Range) string {
	v, _ := toFloat(said)
	format := func(x float64) string {
		if f.Kind == matcher.KindMoney {
			return matcher.FormatFact(f, int64(x))
		}
		return matcher.FormatFact(f, x)
	}
	switch {
	case math.IsInf(r.Hi, 1) && r.Lo > v:
		return "超过" + format(v)
	case math.IsInf(r.Hi, 1):
		return format(v) + "以上"
	case r.Lo == 0 && r.Hi < v:
		return "不到" + format(v)
	case r.Lo == 0 && r.Hi == v:
		return "不超过" + format(v)
	case r.Lo == v && r.Hi > v && f.Kind == matcher.KindMoney && math.Mod(r.Hi+1, 10000) == 0:
		// A strict ceiling is the yuan below a round sum: 不到100亿元, never
		// 99.99999999亿元.
		return format(v) + "以上、不到" + format(r.Hi+1)
	case r.Lo == v && r.Hi > v:
		return format(v) + "至" + format(r.Hi)
	case r.Lo > v:
		return format(v) + "多"
	case r.Lo > 0 && r.Lo < v && r.Hi < v:
		// 去年八十几亿,从未达到过一百亿: both ends were said.
		return format(r.Lo) + "以上、不到" + format(v)
	case r.Hi < v:
		return "接近" + format(v)
	}
	return "约" + format(v)
}

// MarshalJSON writes a range with no ceiling as {"lo": x, "hi": null}: JSON
// has no infinity.
func (r Range) MarshalJSON() ([]byte, error) {
	var hi *float64
	if !math.IsInf(r.Hi, 1) {
		hi = &r.Hi
	}
	return json.Marshal(struct {
		Lo float64  `json:"lo"`
		Hi *float64 `json:"hi"`
	}{r.Lo, hi})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Range) UnmarshalJSON(data []byte) error {
	var w struct {
		Lo float64  `json:"lo"`
		Hi *float64 `json:"hi"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	r.Lo, r.Hi = w.Lo, math.Inf(1)
	if w.Hi != nil {
		r.Hi = *w.Hi
	}
	return nil
}
