package matcher

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Bands split the values of one money or number fact into ranges, each with
// its own figure: an award (实缴注册资本5000万元(含)至1亿元的,奖励600万元) or a
// rate per unit (500亩以上的…200元/亩). Each bound says whether it includes its
// figure, so that (含), 以上, 超过 and 至 are read as the text reads them.
type Bands struct {
	cat   *Catalogue
	fact  int // fact index
	bands []band
	// implicit marks the single band (0, ∞) of a per-unit amount without
	// bands: its condition is only that there is something to count.
	implicit bool
	// summed marks a count added to others ([0, ∞)): it may be none, but
	// must be known for the sum.
	summed bool
}

type band struct {
	from, to     *Param // nil: unbounded
	fromIn, toIn bool
	value        *Param // the award, or the rate per unit
}

// bandSpec is one band of rules.yaml. Award goes with a bands amount, rate
// with a per-unit amount.
type bandSpec struct {
	From         string `yaml:"from"`
	FromIncluded *bool  `yaml:"from_included"`
	To           string `yaml:"to"`
	ToIncluded   *bool  `yaml:"to_included"`
	Award        string `yaml:"award"`
	Rate         string `yaml:"rate"`
}

// compileBands checks that the bands rise without gap or overlap, so that a
// figure falls in at most one band and every figure between the lowest and
// the highest bound falls in one. A band without to runs up to the next
// band's from; the last band without to has no upper bound.
func compileBands(cat *Catalogue, fact int, specs []bandSpec, bound func(name, field string) (*Param, error), value func(s bandSpec, field string) (*Param, error)) (*Bands, error) {
	if len(specs) == 0 {
		return nil, errors.New("none")
	}
	bs := &Bands{cat: cat, fact: fact}
	for i, s := range specs {
		field := fmt.Sprintf("[%d]", i)
		var b band
		var err error
		if b.value, err = value(s, field); err != nil {
			return nil, err
		}
		switch {
		case s.From == "" && i == 0:
			return nil, fmt.Errorf("%s.from: the lowest band needs its bound (a figure below it is not granted)", field)
		case s.From == "":
			return nil, fmt.Errorf("%s.from: required", field)
		case s.FromIncluded == nil:
			return nil, fmt.Errorf("%s.from_included: required (true for 以上 and (含), false for 超过)", field)
		}
		if b.from, err = bound(s.From, field+".from"); err != nil {
			return nil, err
		}
		b.fromIn = *s.FromIncluded
		if s.To != "" {
			if s.ToIncluded == nil {
				return nil, fmt.Errorf("%s.to_included: required with to (true for 以下 and (含), false for 不满 and 至 without (含))", field)
			}
			if b.to, err = bound(s.To, field+".to"); err != nil {
				return nil, err
			}
			b.toIn = *s.ToIncluded
			if compareParams(b.from, b.to) >= 0 {
				return nil, fmt.Errorf("%s: from must be below to", field)
			}
		} else if s.ToIncluded != nil {
			return nil, fmt.Errorf("%s.to_included: only with to", field)
		}
		if i > 0 {
			prev := &bs.bands[i-1]
			if prev.to == nil {
				// The band runs up to this one, which takes its bound.
				prev.to, prev.toIn = b.from, !b.fromIn
				if compareParams(prev.from, prev.to) >= 0 {
					return nil, fmt.Errorf("%s.from: bands must rise", field)
				}
			}
			if compareParams(prev.to, b.from) != 0 {
				return nil, fmt.Errorf("%s.from: %s is not where band [%d] ends (%s): bands must not leave a gap or overlap", field, b.from.Display(), i-1, prev.to.Display())
			}
			if prev.toIn == b.fromIn {
				return nil, fmt.Errorf("%s.from_included: exactly one of band [%d]'s to and this from includes %s", field, i-1, b.from.Display())
			}
		}
		bs.bands = append(bs.bands, b)
	}
	return bs, nil
}

// compareParams orders two bounds of the same fact.
func compareParams(a, b *Param) int {
	if a.Unit == UnitCNY {
		return cmp.Compare(a.Int, b.Int)
	}
	return cmp.Compare(a.Float, b.Float)
}

// compareTo orders a fact's value (int64 money or float64 quantity) against
// a bound.
func compareTo(v any, p *Param) int {
	switch x := v.(type) {
	case int64:
		return cmp.Compare(x, p.Int)
	case float64:
		return cmp.Compare(x, p.Float)
	}
	panic(fmt.Sprintf("matcher: band of a %T", v))
}

func (b *band) contains(v any) bool {
	if c := compareTo(v, b.from); c < 0 || c == 0 && !b.fromIn {
		return false
	}
	if b.to == nil {
		return true
	}
	c := compareTo(v, b.to)
	return c < 0 || c == 0 && b.toIn
}

// find returns the band the value falls in.
func (bs *Bands) find(v any) (*band, bool) {
	for i := range bs.bands {
		if bs.bands[i].contains(v) {
			return &bs.bands[i], true
		}
	}
	return nil, false
}

// edge writes a bound the way the texts do: 500万元(含), 500亩(不含).
func edge(p *Param, in bool) string {
	if in {
		return p.Display() + "(含)"
	}
	return p.Display() + "(不含)"
}

// String names a band: 5000万元(含)至1亿元(不含), 20亿元(含)以上.
func (b *band) String() string {
	if b.to == nil {
		if b.fromIn {
			return edge(b.from, true) + "以上"
		}
		return "超过" + b.from.Display()
	}
	return edge(b.from, b.fromIn) + "至" + edge(b.to, b.toIn)
}

// condition is what the bands require of the fact: to fall in one of them.
func (bs *Bands) condition() *Condition {
	f := &bs.cat.facts[bs.fact]
	text := f.Label + "大于0"
	if bs.summed {
		text = f.Label + "(按实有人数计,可为0)"
		if f.Unit != "人" {
			text = f.Label + "(按实有数量计,可为0)"
		}
	}
	if !bs.implicit {
		first, last := bs.bands[0], bs.bands[len(bs.bands)-1]
		span := band{from: first.from, fromIn: first.fromIn, to: last.to, toIn: last.toIn}
		text = f.Label + span.String()
	}
	return &Condition{Text: text, facts: []int{bs.fact}, bands: bs}
}

func (bs *Bands) check(p *Profile) tri {
	v := p.vals[bs.fact]
	if v == nil {
		return unknown
	}
	if _, ok := bs.find(v.Value()); ok {
		return yes
	}
	return no
}

// highest is the largest figure of any band, to weigh questions.
func (bs *Bands) highest() int64 {
	var most int64
	for _, b := range bs.bands {
		most = max(most, b.value.Int)
	}
	return most
}

// mulDiv returns a×b/d rounded down for non-negative a and b and positive d,
// with the product held in 128 bits so that it cannot overflow, and whether
// anything was rounded away. A result above maxMoney, which no grant comes
// near, is held at maxMoney: amounts stay exact and never wrap negative.
func mulDiv(a, b, d int64) (q int64, rounded bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(d) {
		return maxMoney, false
	}
	uq, rem := bits.Div64(hi, lo, uint64(d))
	if uq > maxMoney {
		return maxMoney, false
	}
	return int64(uq), rem != 0
}

// microUnits writes a count in millionths of its unit, the precision number
// facts are shown with, so that a count times a rate in yuan is integer
// arithmetic.
func microUnits(x float64) int64 {
	if !(x > 0) {
		return 0
	}
	if m := math.Round(x * 1e6); m < 1e18 {
		return int64(m)
	}
	return 1e18
}
