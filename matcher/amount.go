package matcher

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Amount says how much a benefit is worth: a fixed sum, a sum chosen by a
// fact, a rate of a base, a step rule, or no figure at all.
type Amount struct {
	cat   *Catalogue
	fixed *Param

	tableBy int // fact index
	table   map[string]*Param

	rateBase int // fact index
	rate     *Param

	steps *Steps

	// Unstated is the clause's own words for a sum it does not state (一定补助);
	// DecidedBy is who decides it. Support describes a benefit that is not money.
	Unstated  string
	DecidedBy string
	Support   string
}

// Value is a computed amount in whole yuan with how it was computed.
type Value struct {
	CNY   int64  `json:"cny"`
	Basis string `json:"basis"`
}

func compileAmount(cat *Catalogue, s *amountSpec, params map[string]*Param, used map[string]bool, render func(string) (string, error)) (*Amount, error) {
	a := &Amount{cat: cat, Unstated: s.Unstated, DecidedBy: s.DecidedBy, Support: s.Support}
	kinds := 0
	money := func(name, field string) (*Param, error) {
		p, ok := params[name]
		if !ok {
			return nil, fmt.Errorf("%s: unknown parameter %q", field, name)
		}
		if p.Unit != UnitCNY {
			return nil, fmt.Errorf("%s: parameter %s is not in cny", field, name)
		}
		used[name] = true
		return p, nil
	}
	if s.Fixed != "" {
		kinds++
		p, err := money(s.Fixed, "fixed")
		if err != nil {
			return nil, err
		}
		a.fixed = p
	}
	if s.Table != nil {
		kinds++
		i, ok := cat.index[s.Table.By]
		if !ok || cat.facts[i].Kind != KindEnum {
			return nil, fmt.Errorf("table.by: %q is not an enum fact", s.Table.By)
		}
		a.tableBy, a.table = i, map[string]*Param{}
		for v, name := range s.Table.Values {
			if !slices.ContainsFunc(cat.facts[i].Options, func(o Option) bool { return o.Value == v }) {
				return nil, fmt.Errorf("table.values: %q is not a value of %s", v, s.Table.By)
			}
			p, err := money(name, "table.values."+v)
			if err != nil {
				return nil, err
			}
			a.table[v] = p
		}
		if len(a.table) == 0 {
			return nil, errors.New("table.values: empty")
		}
	}
	if s.Rate != nil {
		kinds++
		i, ok := cat.index[s.Rate.Base]
		if !ok || cat.facts[i].Kind != KindMoney {
			return nil, fmt.Errorf("rate.base: %q is not a money fact", s.Rate.Base)
		}
		p, ok := params[s.Rate.PerMille]
		if !ok || p.Unit != UnitPerMille {
			return nil, fmt.Errorf("rate.per_mille: %q is not a per_mille parameter", s.Rate.PerMille)
		}
		used[p.Name] = true
		a.rateBase, a.rate = i, p
	}
	if s.Steps != nil {
		kinds++
		st, err := compileSteps(cat, s.Steps, money, render)
		if err != nil {
			return nil, fmt.Errorf("steps: %w", err)
		}
		a.steps = st
	}
	if s.Unstated != "" {
		kinds++
		if strings.TrimSpace(s.DecidedBy) == "" {
			return nil, errors.New("decided_by: required with unstated (say who decides the sum)")
		}
	} else if s.DecidedBy != "" {
		return nil, errors.New("decided_by: only with unstated")
	}
	if s.Support != "" {
		kinds++
	}
	if kinds != 1 {
		return nil, errors.New("give exactly one of fixed, table, rate, steps, unstated, support")
	}
	return a, nil
}

// Known reports whether the clause states a figure at all.
func (a *Amount) Known() bool { return a.Unstated == "" && a.Support == "" }

// Compute returns the amount for a profile, or false when the clause states
// no figure or a fact it needs is unknown.
func (a *Amount) Compute(p *Profile) (Value, bool) {
	switch {
	case a.fixed != nil:
		return Value{a.fixed.Int, "一次性奖励" + FormatYuan(a.fixed.Int)}, true
	case a.table != nil:
		v := p.vals[a.tableBy]
		if v == nil {
			return Value{}, false
		}
		key := v.Value().(string)
		prm, ok := a.table[key]
		if !ok {
			return Value{}, false
		}
		f := &a.cat.facts[a.tableBy]
		return Value{prm.Int, fmt.Sprintf("%s为%s,奖励%s", f.Label, f.OptionLabel(key), FormatYuan(prm.Int))}, true
	case a.rate != nil:
		v := p.vals[a.rateBase]
		if v == nil {
			return Value{}, false
		}
		base := v.Value().(int64)
		// base is at most maxMoney (1e15), so base*per_mille cannot overflow.
		cny := base * a.rate.Int / 1000
		basis := fmt.Sprintf("%s%s × %d‰ = %s", a.cat.facts[a.rateBase].Label, FormatYuan(base), a.rate.Int, FormatYuan(cny))
		if base*a.rate.Int%1000 != 0 {
			basis += "(不足1元部分舍去)"
		}
		return Value{cny, basis}, true
	case a.steps != nil:
		cur, prior := p.vals[a.steps.current], p.vals[a.steps.prior]
		if cur == nil || prior == nil {
			return Value{}, false
		}
		return a.steps.value(cur.Value().(int64), prior.Value().(int64))
	}
	return Value{}, false
}

// potential is the most the benefit could be worth given what is known,
// used only to weigh which question to ask; 0 when nothing can be said.
func (a *Amount) potential(p *Profile) int64 {
	if v, ok := a.Compute(p); ok {
		return v.CNY
	}
	switch {
	case a.table != nil:
		var most int64
		for _, prm := range a.table {
			most = max(most, prm.Int)
		}
		return most
	case a.steps != nil:
		if cur := p.vals[a.steps.current]; cur != nil {
			v, _ := a.steps.value(cur.Value().(int64), 0)
			return v.CNY
		}
	}
	return 0
}

// Steps is a step rule: awards for crossing thresholds for the first time
// (首次突破 5亿 / 10亿), then for every further step (每上一个10亿元台阶).
// The prior highest figure decides what is first.
type Steps struct {
	cat            *Catalogue
	current, prior int // fact indices
	first          []tier
	every          *tier // step size in at
	text           string
}

type tier struct {
	at, award *Param
	// exceed is true for 突破 / 超过 (the figure must be above the threshold)
	// and false for 上…台阶 / 达到 (reaching it is enough).
	exceed bool
}

// crossed reports whether moving from prior to cur crosses t for the first
// time under the tier's reading.
func (t tier) crossed(threshold, cur, prior int64) bool {
	if t.exceed {
		return cur > threshold && prior <= threshold
	}
	return cur >= threshold && prior < threshold
}

func (t tier) meets(threshold, cur int64) bool {
	if t.exceed {
		return cur > threshold
	}
	return cur >= threshold
}

func compileSteps(cat *Catalogue, s *stepsSpec, money func(name, field string) (*Param, error), render func(string) (string, error)) (*Steps, error) {
	st := &Steps{cat: cat}
	var ok bool
	if st.current, ok = cat.index[s.Current]; !ok || cat.facts[st.current].Kind != KindMoney {
		return nil, fmt.Errorf("current: %q is not a money fact", s.Current)
	}
	if st.prior, ok = cat.index[s.Prior]; !ok || cat.facts[st.prior].Kind != KindMoney {
		return nil, fmt.Errorf("prior: %q is not a money fact", s.Prior)
	}
	compileTier := func(ts tierSpec, field, atName string) (tier, error) {
		at, err := money(atName, field)
		if err != nil {
			return tier{}, err
		}
		award, err := money(ts.Award, field+".award")
		if err != nil {
			return tier{}, err
		}
		var exceed bool
		switch ts.Crossing {
		case "exceed":
			exceed = true
		case "reach":
		default:
			return tier{}, fmt.Errorf("%s.crossing: %q must be exceed (突破/超过) or reach (上台阶/达到)", field, ts.Crossing)
		}
		if at.Int <= 0 {
			return tier{}, fmt.Errorf("%s: threshold must be positive", field)
		}
		return tier{at: at, award: award, exceed: exceed}, nil
	}
	if len(s.First) == 0 {
		return nil, errors.New("first: none")
	}
	for i, ts := range s.First {
		if ts.Step != "" {
			return nil, fmt.Errorf("first[%d]: use at, not step", i)
		}
		t, err := compileTier(ts, fmt.Sprintf("first[%d]", i), ts.At)
		if err != nil {
			return nil, err
		}
		if i > 0 && t.at.Int <= st.first[i-1].at.Int {
			return nil, fmt.Errorf("first[%d]: thresholds must rise", i)
		}
		st.first = append(st.first, t)
	}
	if s.Every != nil {
		if s.Every.At != "" {
			return nil, errors.New("every: use step, not at")
		}
		t, err := compileTier(*s.Every, "every", s.Every.Step)
		if err != nil {
			return nil, err
		}
		st.every = &t
	}
	text, err := render(s.Text)
	if err != nil {
		return nil, err
	}
	st.text = text
	return st, nil
}

// crossing is one threshold crossed for the first time.
type crossing struct {
	threshold, award int64
	exceed           bool
}

// String names the crossing the way the clause does: 突破5亿元 or 上20亿元台阶.
func (c crossing) String() string {
	if c.exceed {
		return "突破" + FormatYuan(c.threshold)
	}
	return "上" + FormatYuan(c.threshold) + "台阶"
}

// maxListed bounds how many crossings a basis names one by one.
const maxListed = 5

// crossings returns the thresholds crossed for the first time between prior
// and cur, the first tiers and then every further step, and their number
// (which may exceed the list when a figure jumps many steps).
func (s *Steps) crossings(cur, prior int64) (list []crossing, n int64, total int64) {
	for _, t := range s.first {
		if t.crossed(t.at.Int, cur, prior) {
			list = append(list, crossing{t.at.Int, t.award.Int, t.exceed})
			n++
			total += t.award.Int
		}
	}
	if s.every == nil {
		return list, n, total
	}
	last := s.first[len(s.first)-1].at.Int
	step := s.every.at.Int
	// Thresholds last+k*step for k >= 1 in (prior, cur] (reach) or
	// [prior, cur) (exceed): those up to cur less those up to prior, counted
	// arithmetically so that a huge jump costs nothing; the first few listed.
	inclusive := !s.every.exceed
	hi := stepsBelow(cur-last, step, inclusive)
	lo := stepsBelow(prior-last, step, inclusive)
	if hi <= lo {
		return list, n, total
	}
	for k := lo + 1; k <= hi && k-lo <= maxListed; k++ {
		list = append(list, crossing{last + k*step, s.every.award.Int, s.every.exceed})
	}
	n += hi - lo
	total += (hi - lo) * s.every.award.Int
	return list, n, total
}

// stepsBelow counts the steps k >= 1 with k*step <= d (inclusive) or
// k*step < d; it is 0 for d <= 0.
func stepsBelow(d, step int64, inclusive bool) int64 {
	if d <= 0 {
		return 0
	}
	if inclusive {
		return d / step
	}
	return (d - 1) / step
}

// lowest is the first threshold, which a figure must meet to cross anything.
func (s *Steps) lowest() tier { return s.first[0] }

func (s *Steps) value(cur, prior int64) (Value, bool) {
	list, n, total := s.crossings(cur, prior)
	curLabel, priorLabel := s.cat.facts[s.current].Label, s.cat.facts[s.prior].Label
	if n == 0 {
		return Value{0, fmt.Sprintf("%s%s,%s%s:未首次跨越新的台阶", curLabel, FormatYuan(cur), priorLabel, FormatYuan(prior))}, true
	}
	parts := make([]string, 0, len(list))
	for _, c := range list {
		parts = append(parts, fmt.Sprintf("%s(%s)", c, FormatYuan(c.award)))
	}
	if n > int64(len(list)) {
		parts = append(parts, fmt.Sprintf("等共%d个台阶", n))
	}
	basis := fmt.Sprintf("%s%s,%s%s:首次%s", curLabel, FormatYuan(cur), priorLabel, FormatYuan(prior), strings.Join(parts, "、"))
	if n > 1 {
		basis += fmt.Sprintf(",合计%s。一年内跨越多个台阶时,本答复按每个台阶分别奖励计算;条文未明确,以兑现部门核定为准", FormatYuan(total))
	} else {
		basis += fmt.Sprintf(",奖励%s", FormatYuan(total))
	}
	return Value{total, basis}, true
}

// conditions returns the two halves of a step rule as conditions: the figure
// reaches the lowest threshold (known from the current figure alone), and a
// threshold is crossed for the first time (which needs the prior figure too).
func (s *Steps) conditions() []*Condition {
	low := s.lowest()
	word := "达到"
	if low.exceed {
		word = "超过"
	}
	return []*Condition{
		{Text: fmt.Sprintf("%s%s%s", s.cat.facts[s.current].Label, word, low.at.Display()), facts: []int{s.current}, steps: s},
		{Text: s.text, facts: sortedPair(s.current, s.prior), steps: s, stepFirst: true},
	}
}

func sortedPair(a, b int) []int {
	s := []int{a, b}
	sort.Ints(s)
	return s
}
