package matcher

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Amount says how much a benefit is worth: a fixed sum, a sum chosen by a
// fact, a rate of a base, a step rule, a rate per unit counted, a sum chosen
// by the band a figure falls in, a bound without a figure, or no figure at
// all. Any of them may be yearly.
type Amount struct {
	cat   *Catalogue
	fixed *Param

	tableBy int // fact index
	table   map[string]*Param

	rateBase int // fact index
	rateOver int // fact index of what the rate is of the base above; -1 for none
	rate     *Param
	ceiling  *Param // of a rate or a per-unit amount; nil when none

	steps *Steps

	perUnit *Bands // per-unit rates by band of the count
	// perGroup, when set, is the size of the group of units the rate pays
	// for; a part group is paid nothing.
	perGroup *Param
	// perTerms are more counts, each at its rate, added to the per-unit
	// sum before its ceiling; termBands require each to be known.
	perTerms  []perTerm
	termBands []*Bands
	banded    *Bands // awards by band of a figure

	bound *bound

	// totalOf names the benefits whose sums a total adds up, and parts are
	// they, resolved once every rule is loaded.
	totalOf []string
	parts   []*Benefit

	years *Param
	// yearly: a fixed sum of each year, for a time the text does not fix.
	yearly bool

	// Unstated is the clause's own words for a sum it does not state (一定补助);
	// DecidedBy is who decides it, or the sum within a bound. Support
	// describes a benefit that is not money.
	Unstated  string
	DecidedBy string
	Support   string
}

// Value is a computed amount in whole yuan with how it was computed. Years,
// when set, makes CNY the sum of each of that many years.
type Value struct {
	CNY   int64  `json:"cny"`
	Basis string `json:"basis"`
	Years int    `json:"years,omitempty"`
	// PerYear makes CNY the sum of each year, for a time the text does not
	// fix (每年8万元).
	PerYear bool `json:"per_year,omitempty"`
}

// Bound is what a clause that states only a ceiling, a floor or a range lets
// one say about a sum: never the sum itself. Rates are those of the base
// fact; the yuan they give appear when the base is known.
type Bound struct {
	MinCNY  *int64 `json:"min_cny,omitempty"`
	MaxCNY  *int64 `json:"max_cny,omitempty"`
	Base    string `json:"base,omitempty"`
	MinRate string `json:"min_rate,omitempty"`
	MaxRate string `json:"max_rate,omitempty"`
	// Years, when set, makes the bound one of each of that many years;
	// PerYear, of each year for a time the text does not fix (每月每平方米
	// 最高40元,时间最长不超过5年).
	Years   int  `json:"years,omitempty"`
	PerYear bool `json:"per_year,omitempty"`
	// PerUnit is the clause's most per unit of the base (每月每平方米最高50元).
	PerUnit string `json:"per_unit,omitempty"`
	Quote   string `json:"quote"`
}

// bound is a compiled boundSpec.
type bound struct {
	min, max         *Param // cny
	base             int    // fact index; -1 without rates or a rate per unit
	minRate, maxRate *Param // percent or per_mille
	// perUnit is the most per unit of a number base, monthly when monthly;
	// maxCount the most units it pays for, or nil.
	perUnit, maxCount *Param
	monthly           bool
	// actual is the fact of the price actually paid per unit, or -1.
	actual int
}

func compileAmount(cat *Catalogue, s *amountSpec, params map[string]*Param, used map[string]bool, render func(string) (string, error)) (*Amount, error) {
	a := &Amount{cat: cat, Unstated: s.Unstated, DecidedBy: s.DecidedBy, Support: s.Support}
	kinds := 0
	param := func(name, field string, units ...string) (*Param, error) {
		p, ok := params[name]
		if !ok {
			return nil, fmt.Errorf("%s: unknown parameter %q", field, name)
		}
		if !slices.Contains(units, p.Unit) {
			return nil, fmt.Errorf("%s: parameter %s is in %s, not %s", field, name, p.Unit, strings.Join(units, " or "))
		}
		used[name] = true
		return p, nil
	}
	money := func(name, field string) (*Param, error) { return param(name, field, UnitCNY) }
	optionalMoney := func(name, field string) (*Param, error) {
		if name == "" {
			return nil, nil
		}
		return money(name, field)
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
		var p *Param
		var err error
		switch {
		case s.Rate.PerMille != "" && s.Rate.Percent != "":
			return nil, errors.New("rate: give per_mille or percent, not both")
		case s.Rate.PerMille != "":
			p, err = param(s.Rate.PerMille, "rate.per_mille", UnitPerMille)
		case s.Rate.Percent != "":
			p, err = param(s.Rate.Percent, "rate.percent", UnitPercent)
		default:
			return nil, errors.New("rate: give per_mille or percent")
		}
		if err != nil {
			return nil, err
		}
		if a.ceiling, err = optionalMoney(s.Rate.Max, "rate.max"); err != nil {
			return nil, err
		}
		a.rateBase, a.rate, a.rateOver = i, p, -1
		if s.Rate.Over != "" {
			j, ok := cat.index[s.Rate.Over]
			if !ok || cat.facts[j].Kind != KindMoney || j == i {
				return nil, fmt.Errorf("rate.over: %q is not a money fact other than the base", s.Rate.Over)
			}
			a.rateOver = j
		}
	}
	if s.Steps != nil {
		kinds++
		st, err := compileSteps(cat, s.Steps, money, render)
		if err != nil {
			return nil, fmt.Errorf("steps: %w", err)
		}
		a.steps = st
	}
	if s.PerUnit != nil {
		kinds++
		if err := a.compilePerUnit(cat, s.PerUnit, param, money); err != nil {
			return nil, fmt.Errorf("per_unit.%w", err)
		}
		var err error
		if a.ceiling, err = optionalMoney(s.PerUnit.Max, "per_unit.max"); err != nil {
			return nil, err
		}
	}
	if s.Bands != nil {
		kinds++
		i, ok := cat.index[s.Bands.By]
		if !ok || cat.facts[i].Kind != KindMoney && cat.facts[i].Kind != KindNumber {
			return nil, fmt.Errorf("bands.by: %q is not a money or number fact", s.Bands.By)
		}
		bs, err := compileBands(cat, i, s.Bands.Values, boundParam(cat, i, param), func(b bandSpec, field string) (*Param, error) {
			if b.Rate != "" {
				return nil, fmt.Errorf("%s.rate: bands give an award; per_unit gives rates", field)
			}
			return money(b.Award, field+".award")
		})
		if err != nil {
			return nil, fmt.Errorf("bands.values%w", err)
		}
		a.banded = bs
	}
	if s.Bound != nil {
		kinds++
		bd, err := compileBound(cat, s.Bound, param)
		if err != nil {
			return nil, fmt.Errorf("bound.%w", err)
		}
		a.bound = bd
	}
	if s.Unstated != "" {
		kinds++
	}
	if s.Unstated != "" || s.Bound != nil {
		if strings.TrimSpace(s.DecidedBy) == "" {
			return nil, errors.New("decided_by: required with unstated and bound (say who decides the sum)")
		}
	} else if s.DecidedBy != "" {
		return nil, errors.New("decided_by: only with unstated or bound")
	}
	if s.Support != "" {
		kinds++
	}
	if t := s.Total; t != nil {
		kinds++
		if len(t.Of) < 2 || len(slices.Compact(slices.Sorted(slices.Values(t.Of)))) != len(t.Of) {
			return nil, errors.New("total.of: name two benefits or more, each once")
		}
		if s.Years != "" || s.Yearly {
			return nil, errors.New("total: the parts say their own years")
		}
		a.totalOf = t.Of
		p, err := optionalMoney(t.Max, "total.max")
		if err != nil {
			return nil, err
		}
		a.ceiling = p
	}
	if kinds != 1 {
		return nil, errors.New("give exactly one of fixed, table, rate, steps, per_unit, bands, bound, unstated, support, total")
	}
	if s.Years != "" {
		p, err := param(s.Years, "years", UnitYears)
		if err != nil {
			return nil, err
		}
		if p.Float < 1 || p.Float != float64(int(p.Float)) {
			return nil, fmt.Errorf("years: %s is not a whole number of years", p.Display())
		}
		a.years = p
	}
	if s.Yearly {
		if a.fixed == nil || a.years != nil {
			return nil, errors.New("yearly: only of a fixed sum, and not with years")
		}
		a.yearly = true
	}
	return a, nil
}

func (a *Amount) compilePerUnit(cat *Catalogue, s *perUnitSpec, param func(name, field string, units ...string) (*Param, error), money func(name, field string) (*Param, error)) error {
	i, ok := cat.index[s.Count]
	if !ok || cat.facts[i].Kind != KindNumber {
		return fmt.Errorf("count: %q is not a number fact", s.Count)
	}
	for k, t := range s.And {
		j, ok := cat.index[t.Count]
		if !ok || cat.facts[j].Kind != KindNumber || j == i {
			return fmt.Errorf("and[%d].count: %q is not another number fact", k, t.Count)
		}
		rate, err := money(t.Rate, fmt.Sprintf("and[%d].rate", k))
		if err != nil {
			return err
		}
		a.perTerms = append(a.perTerms, perTerm{fact: j, rate: rate})
		zero := &Param{Unit: UnitNumber, Measure: cat.facts[j].Unit}
		a.termBands = append(a.termBands, &Bands{cat: cat, fact: j, bands: []band{{from: zero, fromIn: true, value: rate}}, implicit: true, summed: true})
	}
	if len(s.And) > 0 && (s.Per != "" || len(s.Bands) > 0) {
		return errors.New("and: counts add up at plain rates, without per or bands")
	}
	if s.Per != "" {
		p, err := boundParam(cat, i, param)(s.Per, "per")
		if err != nil {
			return err
		}
		if p.Float <= 0 {
			return fmt.Errorf("per: parameter %s must be more than 0", s.Per)
		}
		if len(s.Bands) > 0 {
			return errors.New("per: a rate per group of units takes one rate, not bands")
		}
		a.perGroup = p
	}
	switch {
	case s.Rate != "" && len(s.Bands) > 0:
		return errors.New("rate: give rate or bands, not both")
	case s.Rate != "":
		rate, err := money(s.Rate, "rate")
		if err != nil {
			return err
		}
		// One band from nothing up: any count is paid at the rate. A count
		// added to others may be none (博士0人, 硕士30人).
		zero := &Param{Unit: UnitNumber, Measure: cat.facts[i].Unit}
		a.perUnit = &Bands{cat: cat, fact: i, bands: []band{{from: zero, fromIn: len(a.perTerms) > 0, value: rate}}, implicit: true, summed: len(a.perTerms) > 0}
	case len(s.Bands) > 0:
		bs, err := compileBands(cat, i, s.Bands, boundParam(cat, i, param), func(b bandSpec, field string) (*Param, error) {
			if b.Award != "" {
				return nil, fmt.Errorf("%s.award: per_unit bands give a rate; bands give awards", field)
			}
			return money(b.Rate, field+".rate")
		})
		if err != nil {
			return fmt.Errorf("bands%w", err)
		}
		a.perUnit = bs
	default:
		return errors.New("rate: give rate or bands")
	}
	return nil
}

// boundParam checks that a band's bound is in the fact's own unit: yuan for
// money, the fact's unit (亩) for a number.
func boundParam(cat *Catalogue, fact int, param func(name, field string, units ...string) (*Param, error)) func(name, field string) (*Param, error) {
	f := &cat.facts[fact]
	return func(name, field string) (*Param, error) {
		if f.Kind == KindMoney {
			return param(name, field, UnitCNY)
		}
		p, err := param(name, field, UnitNumber)
		if err == nil && p.Measure != f.Unit {
			err = fmt.Errorf("%s: parameter %s is in %s, but %s is in %s", field, name, p.Measure, f.Key, f.Unit)
		}
		return p, err
	}
}

func compileBound(cat *Catalogue, s *boundSpec, param func(name, field string, units ...string) (*Param, error)) (*bound, error) {
	b := &bound{base: -1, actual: -1}
	opt := func(name, field string, units ...string) (*Param, error) {
		if name == "" {
			return nil, nil
		}
		return param(name, field, units...)
	}
	var err error
	if b.min, err = opt(s.Min, "min", UnitCNY); err != nil {
		return nil, err
	}
	if b.max, err = opt(s.Max, "max", UnitCNY); err != nil {
		return nil, err
	}
	if b.minRate, err = opt(s.MinRate, "min_rate", UnitPercent, UnitPerMille); err != nil {
		return nil, err
	}
	if b.maxRate, err = opt(s.MaxRate, "max_rate", UnitPercent, UnitPerMille); err != nil {
		return nil, err
	}
	if s.MaxPerUnit != "" {
		return compileUnitBound(cat, s, b, param)
	}
	for _, f := range [][2]string{{"per", s.Per}, {"max_count", s.MaxCount}, {"actual", s.Actual}} {
		if f[1] != "" {
			return nil, fmt.Errorf("%s: only with max_per_unit", f[0])
		}
	}
	rates := b.minRate != nil || b.maxRate != nil
	switch {
	case rates && (b.min != nil || b.max != nil):
		return nil, errors.New("min: give min and max in yuan, or base with min_rate and max_rate, not both")
	case rates:
		i, ok := cat.index[s.Base]
		if !ok || cat.facts[i].Kind != KindMoney {
			return nil, fmt.Errorf("base: %q is not a money fact", s.Base)
		}
		b.base = i
		if b.minRate != nil && b.maxRate != nil && perMille(b.minRate) > perMille(b.maxRate) {
			return nil, errors.New("min_rate: above max_rate")
		}
	case s.Base != "":
		return nil, errors.New("base: only with min_rate or max_rate")
	case b.min == nil && b.max == nil:
		return nil, errors.New("max: give max, min, or both (or base with rates)")
	case b.min != nil && b.max != nil && b.min.Int > b.max.Int:
		return nil, errors.New("min: above max")
	}
	return b, nil
}

// compileUnitBound compiles a bound of yuan per unit of a number fact
// (按每月每平方米最高50元,每年最高不超过300万元).
func compileUnitBound(cat *Catalogue, s *boundSpec, b *bound, param func(name, field string, units ...string) (*Param, error)) (*bound, error) {
	i, ok := cat.index[s.Base]
	if !ok || cat.facts[i].Kind != KindNumber {
		return nil, fmt.Errorf("base: %q is not a number fact", s.Base)
	}
	if b.minRate != nil || b.maxRate != nil || b.min != nil {
		return nil, errors.New("max_per_unit: a rate per unit takes max, not min or rates")
	}
	if b.max == nil {
		return nil, errors.New("max: a rate per unit needs the ceiling the clause sets (每年最高…)")
	}
	b.base = i
	var err error
	if b.perUnit, err = param(s.MaxPerUnit, "max_per_unit", UnitCNY); err != nil {
		return nil, err
	}
	if s.MaxCount != "" {
		if b.maxCount, err = boundParam(cat, i, param)(s.MaxCount, "max_count"); err != nil {
			return nil, err
		}
	}
	switch s.Per {
	case "month":
		b.monthly = true
	case "", "year":
	default:
		return nil, fmt.Errorf("per: %q is neither month nor year", s.Per)
	}
	if s.Actual != "" {
		j, ok := cat.index[s.Actual]
		if !ok || cat.facts[j].Kind != KindMoney || cat.facts[j].Price == nil {
			return nil, fmt.Errorf("actual: %q is no money fact of a price", s.Actual)
		}
		if pr := cat.facts[j].Price; (pr.Period == "month") != b.monthly {
			return nil, fmt.Errorf("actual: %q is a price of another period than per", s.Actual)
		}
		b.actual = j
	}
	return b, nil
}

// exact returns the sum of a bound per unit once the profile gives the
// units and the price actually paid per unit: that price up to the most per
// unit, for the units up to the most, under the ceiling. False otherwise.
func (b *bound) exact(cat *Catalogue, p *Profile) (Value, bool) {
	if b.perUnit == nil || b.actual < 0 || p.vals[b.base] == nil || p.vals[b.actual] == nil {
		return Value{}, false
	}
	units := p.vals[b.base].Value().(float64)
	paid := p.vals[b.actual].Value().(int64)
	rate := min(paid, b.perUnit.Int)
	counted := units
	if b.maxCount != nil {
		counted = min(units, b.maxCount.Float)
	}
	months := 1.0
	if b.monthly {
		months = 12
	}
	// In millionths of a yuan first: 100.33平方米 at 35元 a month is
	// 42,138.6元, of which the part under a yuan is dropped, and said.
	micro := int64(math.Round(float64(rate) * counted * months * 1e6))
	raw := micro / 1e6
	cny := min(raw, b.max.Int)
	f := &cat.facts[b.base]
	per := "每" + f.Unit
	basis := fmt.Sprintf("%s × %s%s", FormatFact(f, counted), per, FormatYuan(rate))
	if b.monthly {
		basis = fmt.Sprintf("%s × 每月%s%s × 12个月", FormatFact(f, counted), per, FormatYuan(rate))
	}
	if paid > b.perUnit.Int {
		basis += fmt.Sprintf("(实际%s,按标准最高%s计)", FormatYuan(paid), FormatYuan(b.perUnit.Int))
	}
	if counted < units {
		basis += fmt.Sprintf("(%s,按最多%s计)", FormatFact(f, units), FormatFact(f, counted))
	}
	basis += " = " + FormatYuan(raw)
	if micro%1e6 != 0 {
		basis += "(不足1元部分舍去)"
	}
	if raw > cny {
		basis += ",超过每年最高" + FormatYuan(b.max.Int) + ",按最高" + FormatYuan(cny)
	}
	return Value{CNY: cny, Basis: basis, PerYear: b.monthly}, true
}

// perUnitWords says the most per unit of a unit bound: 每月每平方米最高50元.
func (b *bound) perUnitWords(unit string) string {
	per := "每" + unit
	if b.monthly {
		per = "每月" + per
	}
	return per + "最高" + FormatYuan(b.perUnit.Int)
}

// unitMost is the most a bound per unit allows for units of its base: the
// rate for each unit up to maxCount, twelve times for a monthly rate, under
// the ceiling.
func (b *bound) unitMost(units float64) int64 {
	if b.maxCount != nil {
		units = min(units, b.maxCount.Float)
	}
	months := 1.0
	if b.monthly {
		months = 12
	}
	// Rounded to a millionth first: 128.2平方米 at 50元 a month is 76,920元,
	// which float arithmetic puts a hair below.
	cny := int64(math.Floor(math.Round(float64(b.perUnit.Int)*units*months*1e6) / 1e6))
	return min(cny, b.max.Int) // compileUnitBound requires the ceiling
}

// perMille is a rate in thousandths, to compare percents with per_mille.
func perMille(p *Param) int64 {
	if p.Unit == UnitPercent {
		return p.Int * 10
	}
	return p.Int
}

// of applies a rate to a base in whole yuan, rounded down.
func of(base int64, rate *Param) (int64, bool) {
	if rate.Unit == UnitPercent {
		return mulDiv(base, rate.Int, 100)
	}
	return mulDiv(base, rate.Int, 1000)
}

// bands returns the bands whose condition the benefit states, if any.
func (a *Amount) bands() *Bands {
	if a.perUnit != nil {
		return a.perUnit
	}
	return a.banded
}

// Years is the number of years a yearly amount is granted for, or 0.
func (a *Amount) Years() int {
	if a.years == nil {
		return 0
	}
	return int(a.years.Float)
}

// Capped reports whether a ceiling holds the sum (最高500万元).
func (a *Amount) Capped() bool { return a.ceiling != nil }

// Proportional reports whether the sum grows with fact key without a step:
// a rate of it, or a rate per unit of it with no bands or groups (a ceiling
// may hold it). A span of the fact then gives a span of the sum; a tier,
// band or step inside the span gives one sum or another, which only the
// exact figure settles.
func (a *Amount) Proportional(key string) bool {
	switch {
	case a.rate != nil:
		// A rate of the part above a base is no proportion of the whole.
		return a.rateOver < 0 && a.cat.facts[a.rateBase].Key == key
	case a.perUnit != nil:
		if a.perUnit.implicit && a.perGroup == nil && a.cat.facts[a.perUnit.fact].Key == key {
			return true
		}
		return slices.ContainsFunc(a.perTerms, func(t perTerm) bool { return a.cat.facts[t.fact].Key == key })
	}
	return false
}

// ProportionalOver reports whether the sum grows in proportion to the fact
// key over the values from lo to hi: Proportional, or a rate per unit
// whose band is the same at both ends (三四百亩 within 100至500亩 at
// 100元/亩).
func (a *Amount) ProportionalOver(key string, lo, hi float64) bool {
	if a.Proportional(key) {
		return true
	}
	if a.perUnit == nil || a.perGroup != nil || len(a.perTerms) > 0 || a.cat.facts[a.perUnit.fact].Key != key {
		return false
	}
	bl, okL := a.perUnit.find(lo)
	bh, okH := a.perUnit.find(hi)
	return okL && okH && bl == bh
}

// awaits returns the keys of the facts the sum is computed from that p
// lacks, in schema order; nil for a sum that needs none.
func (a *Amount) awaits(p *Profile) []string {
	var keys []string
	for _, i := range a.inputs() {
		if p.vals[i] == nil && !slices.Contains(keys, a.cat.facts[i].Key) {
			keys = append(keys, a.cat.facts[i].Key)
		}
	}
	return keys
}

// inputs returns the indices of the facts the sum is computed from, in
// schema order.
func (a *Amount) inputs() []int {
	var in []int
	switch {
	case a.table != nil:
		in = []int{a.tableBy}
	case a.rate != nil:
		in = []int{a.rateBase}
		if a.rateOver >= 0 {
			in = append(in, a.rateOver)
		}
	case a.steps != nil:
		in = []int{a.steps.current, a.steps.prior}
	case a.perUnit != nil:
		in = []int{a.perUnit.fact}
		for _, t := range a.perTerms {
			in = append(in, t.fact)
		}
	case a.banded != nil:
		in = []int{a.banded.fact}
	case a.bound != nil && a.bound.base >= 0:
		in = []int{a.bound.base}
		if a.bound.actual >= 0 {
			in = append(in, a.bound.actual)
		}
	}
	slices.Sort(in)
	return slices.Compact(in)
}

// awaitsNote says what a sum waits on: the rate and its base (金额为个人经济
// 贡献的40%,待提供个人经济贡献后计算), or the facts it is computed from.
func (a *Amount) awaitsNote(keys []string) string {
	var labels []string
	for _, k := range keys {
		labels = append(labels, a.cat.facts[a.cat.index[k]].Label)
	}
	var s string
	switch {
	case a.rate != nil && a.rateOver >= 0:
		s = "金额为" + a.cat.facts[a.rateBase].Label + "超过" + a.cat.facts[a.rateOver].Label + "部分的" + a.rate.Display()
	case a.rate != nil:
		s = "金额为" + labels[0] + "的" + a.rate.Display()
	}
	if a.ceiling != nil {
		s += ",最高" + FormatYuan(a.ceiling.Int)
	}
	if a.years != nil {
		s += fmt.Sprintf(",每年给予,连续%d年", a.Years())
	}
	if s == "" {
		return "金额待提供" + strings.Join(labels, "、") + "后计算"
	}
	return strings.TrimPrefix(s, ",") + ",待提供" + strings.Join(labels, "、") + "后计算"
}

// Compute returns the amount for a profile, or false when the clause states
// no figure or a fact it needs is unknown.
func (a *Amount) Compute(p *Profile) (Value, bool) {
	v, ok := a.compute(p)
	if ok && a.years != nil {
		v.Years = a.Years()
		v.Basis = fmt.Sprintf("每年%s,连续%d年", v.Basis, v.Years)
	}
	return v, ok
}

// Fixed returns the sum of an amount the clause fixes whatever the facts
// (一次性奖励100万元), as Compute gives it; false for any other amount.
func (a *Amount) Fixed() (Value, bool) {
	if a.fixed == nil {
		return Value{}, false
	}
	return a.Compute(nil)
}

func (a *Amount) compute(p *Profile) (Value, bool) {
	switch {
	case a.fixed != nil:
		if a.years != nil {
			return Value{CNY: a.fixed.Int, Basis: "奖励" + FormatYuan(a.fixed.Int)}, true
		}
		if a.yearly {
			return Value{CNY: a.fixed.Int, PerYear: true, Basis: "每年" + FormatYuan(a.fixed.Int) + "(发放年限条文未写明)"}, true
		}
		return Value{CNY: a.fixed.Int, Basis: "一次性奖励" + FormatYuan(a.fixed.Int)}, true
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
		return Value{CNY: prm.Int, Basis: fmt.Sprintf("%s为%s,奖励%s", f.Label, f.OptionLabel(key), FormatYuan(prm.Int))}, true
	case a.rate != nil:
		v := p.vals[a.rateBase]
		if v == nil {
			return Value{}, false
		}
		base := v.Value().(int64)
		label := a.cat.facts[a.rateBase].Label + FormatYuan(base)
		if a.rateOver >= 0 {
			w := p.vals[a.rateOver]
			if w == nil {
				return Value{}, false
			}
			over := w.Value().(int64)
			label = fmt.Sprintf("(%s − %s%s)", label, a.cat.facts[a.rateOver].Label, FormatYuan(over))
			base = max(base-over, 0)
		}
		cny, rounded := of(base, a.rate)
		basis := fmt.Sprintf("%s × %s = %s", label, a.rate.Display(), FormatYuan(cny))
		if rounded {
			basis += "(不足1元部分舍去)"
		}
		cny, basis = a.capped(cny, basis)
		return Value{CNY: cny, Basis: basis}, true
	case a.steps != nil:
		cur, prior := p.vals[a.steps.current], p.vals[a.steps.prior]
		if cur == nil || prior == nil {
			return Value{}, false
		}
		return a.steps.value(cur.Value().(int64), prior.Value().(int64))
	case a.perUnit != nil:
		v := p.vals[a.perUnit.fact]
		if v == nil {
			return Value{}, false
		}
		count := v.Value().(float64)
		b, ok := a.perUnit.find(count)
		if !ok {
			return Value{}, false
		}
		f := &a.cat.facts[a.perUnit.fact]
		counted := formatFloat(count) + f.Unit
		if g := a.perGroup; g != nil {
			groups := math.Floor(count / g.Float)
			cny := b.value.Int * int64(groups)
			basis := fmt.Sprintf("%s%s,每%s%s:%s × %s = %s", f.Label, counted, formatFloat(g.Float), f.Unit, formatFloat(groups), FormatYuan(b.value.Int), FormatYuan(cny))
			cny, basis = a.capped(cny, basis)
			return Value{CNY: cny, Basis: basis}, true
		}
		cny, rounded := mulDiv(b.value.Int, microUnits(count), 1e6)
		basis := fmt.Sprintf("%s%s × %s/%s = %s", f.Label, counted, FormatYuan(b.value.Int), f.Unit, FormatYuan(cny))
		if len(a.perTerms) > 0 {
			parts := []string{fmt.Sprintf("%s%s × %s/%s", f.Label, counted, FormatYuan(b.value.Int), f.Unit)}
			for _, t := range a.perTerms {
				tv := p.vals[t.fact]
				if tv == nil {
					return Value{}, false // every count is needed for the sum
				}
				n := tv.Value().(float64)
				part, r := mulDiv(t.rate.Int, microUnits(n), 1e6)
				cny, rounded = cny+part, rounded || r
				tf := &a.cat.facts[t.fact]
				parts = append(parts, fmt.Sprintf("%s%s × %s/%s", tf.Label, formatFloat(n)+tf.Unit, FormatYuan(t.rate.Int), tf.Unit))
			}
			basis = strings.Join(parts, " + ") + " = " + FormatYuan(cny)
		}
		if !a.perUnit.implicit {
			basis = fmt.Sprintf("%s%s,属%s档:%s × %s/%s = %s", f.Label, counted, b, counted, FormatYuan(b.value.Int), f.Unit, FormatYuan(cny))
		}
		if rounded {
			basis += "(不足1元部分舍去)"
		}
		cny, basis = a.capped(cny, basis)
		return Value{CNY: cny, Basis: basis}, true
	case a.banded != nil:
		v := p.vals[a.banded.fact]
		if v == nil {
			return Value{}, false
		}
		b, ok := a.banded.find(v.Value())
		if !ok {
			return Value{}, false
		}
		f := &a.cat.facts[a.banded.fact]
		return Value{CNY: b.value.Int, Basis: fmt.Sprintf("%s%s,属%s档,奖励%s", f.Label, FormatFact(f, v.Value()), b, FormatYuan(b.value.Int))}, true
	}
	return Value{}, false
}

// perTerm is a count paid at a rate of its own.
type perTerm struct {
	fact int
	rate *Param
}

// capped holds a computed sum to the clause's ceiling and says whether it
// applied.
func (a *Amount) capped(cny int64, basis string) (int64, string) {
	if a.ceiling == nil {
		return cny, basis
	}
	if cny > a.ceiling.Int {
		return a.ceiling.Int, basis + ",超过上限,按最高" + FormatYuan(a.ceiling.Int)
	}
	return cny, basis + ",未超过最高" + FormatYuan(a.ceiling.Int)
}

// boundExact returns the sum a bound per unit comes to once the price
// actually paid is known (see bound.exact), for each year and for as many
// years as the clause gives; nil otherwise.
func (a *Amount) boundExact(p *Profile) *Value {
	if a.bound == nil {
		return nil
	}
	v, ok := a.bound.exact(a.cat, p)
	if !ok {
		return nil
	}
	if a.years != nil {
		v.Years, v.PerYear = a.Years(), false
		v.Basis = fmt.Sprintf("每年%s,连续%d年", v.Basis, v.Years)
	}
	return &v
}

// Bound returns what the clause says of a sum it bounds without fixing, in
// yuan where the profile gives the base of a range of rates; nil when the
// amount is no bound.
func (a *Amount) Bound(p *Profile) *Bound {
	b := a.bound
	if b == nil {
		return nil
	}
	out := &Bound{Years: a.Years()}
	var quotes []string
	for _, prm := range []*Param{b.perUnit, b.min, b.max, b.maxCount, b.minRate, b.maxRate} {
		if prm != nil && !slices.Contains(quotes, prm.Quote) {
			quotes = append(quotes, prm.Quote)
		}
	}
	out.Quote = strings.Join(quotes, ";")
	if b.min != nil {
		out.MinCNY = &b.min.Int
	}
	if b.max != nil {
		out.MaxCNY = &b.max.Int
	}
	if b.base < 0 {
		return out
	}
	out.Base = a.cat.facts[b.base].Key
	if b.perUnit != nil {
		out.PerYear = b.monthly && out.Years == 0
		out.PerUnit = b.perUnitWords(a.cat.facts[b.base].Unit)
		if v := p.vals[b.base]; v != nil {
			cny := b.unitMost(v.Value().(float64))
			out.MaxCNY = &cny
		}
		return out
	}
	if b.minRate != nil {
		out.MinRate = b.minRate.Display()
	}
	if b.maxRate != nil {
		out.MaxRate = b.maxRate.Display()
	}
	if v := p.vals[b.base]; v != nil {
		base := v.Value().(int64)
		if b.minRate != nil {
			cny, _ := of(base, b.minRate)
			out.MinCNY = &cny
		}
		if b.maxRate != nil {
			cny, _ := of(base, b.maxRate)
			out.MaxCNY = &cny
		}
	}
	return out
}

// boundNote says, for a bound, what the clause fixes and who decides the sum.
func (a *Amount) boundNote(bd *Bound) string {
	b := a.bound
	var what string
	switch {
	case b.perUnit != nil:
		f := &a.cat.facts[b.base]
		what = "条文规定按" + bd.PerUnit
		if b.maxCount != nil {
			what += ",最多按" + b.maxCount.Display() + "计"
		}
		what += ",最高" + FormatYuan(b.max.Int)
		if bd.MaxCNY != nil {
			what += fmt.Sprintf("(按%s计为最高%s)", f.Label, FormatYuan(*bd.MaxCNY))
		}
	case b.base >= 0:
		f := &a.cat.facts[b.base]
		switch {
		case b.minRate != nil && b.maxRate != nil:
			what = fmt.Sprintf("条文规定按%s的%s至%s", f.Label, bd.MinRate, bd.MaxRate)
		case b.minRate != nil:
			what = fmt.Sprintf("条文规定不低于%s的%s", f.Label, bd.MinRate)
		default:
			what = fmt.Sprintf("条文规定不超过%s的%s", f.Label, bd.MaxRate)
		}
		if bd.MinCNY != nil || bd.MaxCNY != nil {
			what += fmt.Sprintf("(按%s计为%s)", f.Label, cnyRange(bd.MinCNY, bd.MaxCNY))
		}
	case b.min != nil && b.max != nil:
		what = "条文规定金额区间" + cnyRange(bd.MinCNY, bd.MaxCNY)
	case b.max != nil:
		what = "条文仅规定上限,最高" + FormatYuan(b.max.Int)
	default:
		what = "条文仅规定下限,不低于" + FormatYuan(b.min.Int)
	}
	if bd.Years > 0 {
		what = fmt.Sprintf("%s(每年,连续%d年)", what, bd.Years)
	}
	return fmt.Sprintf("%s,具体金额未确定,上下限不是应得金额;决定主体:%s", what, a.DecidedBy)
}

// String states the bound in a few words for a reply: 最高1000万元,
// 10万元至100万元, 每年最高200万元, 5%至20%.
func (b *Bound) String() string {
	var s string
	switch {
	case b.MinCNY != nil || b.MaxCNY != nil:
		s = cnyRange(b.MinCNY, b.MaxCNY)
	case b.MinRate != "" && b.MaxRate != "":
		s = b.MinRate + "至" + b.MaxRate
	case b.MinRate != "":
		s = "不低于" + b.MinRate
	default:
		s = "最高" + b.MaxRate
	}
	switch {
	case b.Years > 0:
		return fmt.Sprintf("每年%s,连续%d年", s, b.Years)
	case b.PerYear:
		return "每年" + s
	}
	return s
}

// rates are the bound's rates as a range, or "".
func (b *Bound) rates() string {
	switch {
	case b.MinRate != "" && b.MaxRate != "":
		return b.MinRate + "至" + b.MaxRate
	case b.MinRate != "":
		return b.MinRate
	}
	return b.MaxRate
}

func cnyRange(lo, hi *int64) string {
	switch {
	case lo != nil && hi != nil:
		return FormatYuan(*lo) + "至" + FormatYuan(*hi)
	case lo != nil:
		return "不低于" + FormatYuan(*lo)
	}
	return "最高" + FormatYuan(*hi)
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
	case a.banded != nil:
		return a.banded.highest()
	case a.ceiling != nil:
		return a.ceiling.Int
	case a.bound != nil:
		if bd := a.Bound(p); bd.MaxCNY != nil {
			return *bd.MaxCNY
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
		return Value{CNY: 0, Basis: fmt.Sprintf("%s%s,%s%s:未首次跨越新的台阶", curLabel, FormatYuan(cur), priorLabel, FormatYuan(prior))}, true
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
	return Value{CNY: total, Basis: basis}, true
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

// next returns the lowest threshold above highest, the highest figure the
// applicant has reached, and what crossing it brings: the first tiers, then
// every further step.
func (s *Steps) next(highest int64) (crossing, bool) {
	for _, t := range s.first {
		if !t.meets(t.at.Int, highest) {
			return crossing{t.at.Int, t.award.Int, t.exceed}, true
		}
	}
	if s.every == nil {
		return crossing{}, false
	}
	last, step := s.first[len(s.first)-1].at.Int, s.every.at.Int
	k := stepsBelow(highest-last, step, !s.every.exceed) + 1
	return crossing{last + k*step, s.every.award.Int, s.every.exceed}, true
}

// NextStep says, for a benefit awarded by steps, which threshold comes next
// above the highest figure the profile gives (this year's or an earlier
// year's) and what it brings: 下一个台阶为上300亿元台阶,奖励50万元. ok is false
// for a benefit of another kind, or when no figure is known.
func (b *Benefit) NextStep(p *Profile) (string, bool) {
	s := b.Amount.steps
	if s == nil {
		if t, ok := b.Amount.nextGroup(p); ok {
			return t, true
		}
		return b.Amount.nextBand(p)
	}
	var highest int64
	known := false
	for _, i := range []int{s.current, s.prior} {
		if v := p.vals[i]; v != nil {
			highest, known = max(highest, v.Value().(int64)), true
		}
	}
	if !known {
		return "", false
	}
	c, ok := s.next(highest)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("按已知最高%s,下一个台阶为%s,奖励%s", FormatYuan(highest), c, FormatYuan(c.award)), true
}

// nextBand tells, for an amount by bands of a figure (纳税总额超过2000万元
// (含)的,奖励600万元) or a rate per unit by bands (500亩以上200元/亩), the
// band above the one the known figure falls in, and what it gives; false
// when the amount has no bands or the figure is unknown.
func (a *Amount) nextBand(p *Profile) (string, bool) {
	bs, perUnit := a.banded, false
	if bs == nil && a.perUnit != nil && !a.perUnit.implicit {
		bs, perUnit = a.perUnit, true
	}
	if bs == nil || p == nil {
		return "", false
	}
	f := &a.cat.facts[bs.fact]
	gives := func(b *band) string {
		if perUnit {
			return fmt.Sprintf("每%s%s", f.Unit, FormatYuan(b.value.Int))
		}
		return "奖励" + FormatYuan(b.value.Int)
	}
	v := p.vals[bs.fact]
	if v == nil {
		// 下一档要多少, the figure untold: the bands themselves.
		var all []string
		for i := range bs.bands {
			all = append(all, bs.bands[i].String()+gives(&bs.bands[i]))
		}
		return fmt.Sprintf("按%s分档:%s;请告诉我%s", f.Label, strings.Join(all, ";"), f.Label), true
	}
	now := fmt.Sprintf("按已知的%s%s", f.Label, FormatFact(f, v.Value()))
	at := -1
	for i := range bs.bands {
		if bs.bands[i].contains(v.Value()) {
			at = i
		}
	}
	switch {
	case at < 0 && compareTo(v.Value(), bs.bands[0].from) < 0:
		return fmt.Sprintf("%s,尚未达到最低一档;最低一档为%s,%s", now, &bs.bands[0], gives(&bs.bands[0])), true
	case at < 0:
		return "", false
	case at == len(bs.bands)-1:
		return fmt.Sprintf("%s,已属最高一档(%s),%s", now, &bs.bands[at], gives(&bs.bands[at])), true
	}
	next := &bs.bands[at+1]
	return fmt.Sprintf("%s,属%s档,%s;下一档为%s,%s", now, &bs.bands[at], gives(&bs.bands[at]), next, gives(next)), true
}

// nextGroup tells, for a rate paid per whole group of units (每增加30件,
// 增加资助3万元), the count of the next group and its sum, from the count
// known; false when the amount is no such rate or the count is unknown.
func (a *Amount) nextGroup(p *Profile) (string, bool) {
	if a.perGroup == nil || a.perUnit == nil || !a.perUnit.implicit || len(a.perUnit.bands) != 1 {
		return "", false
	}
	v := p.vals[a.perUnit.fact]
	if v == nil {
		return "", false
	}
	n, ok := v.Value().(float64)
	g := a.perGroup.Float
	if !ok || g <= 0 {
		return "", false
	}
	groups := math.Floor(n/g) + 1
	award := int64(groups) * a.perUnit.bands[0].value.Int
	f := &a.cat.facts[a.perUnit.fact]
	t := fmt.Sprintf("按已知%s,下一档为%s,奖励%s", FormatFact(f, n), FormatFact(f, groups*g), FormatYuan(award))
	if a.ceiling != nil && award > a.ceiling.Int {
		// The next group pays the ceiling at most.
		t = fmt.Sprintf("按已知%s,下一档为%s,奖励以最高%s为限", FormatFact(f, n), FormatFact(f, groups*g), FormatYuan(a.ceiling.Int))
	}
	return t, true
}

// StepRule returns, for a benefit awarded by steps, the clause's rule of
// the steps (首次突破5亿元、10亿元…之后每上一个10亿元台阶), or "".
func (b *Benefit) StepRule() string {
	if b.Amount.steps == nil {
		return ""
	}
	return b.Amount.steps.text
}
