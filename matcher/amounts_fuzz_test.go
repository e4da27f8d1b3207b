package matcher

import (
	"math"
	"testing"
)

// FuzzAmountArithmetic drives the rate, per-unit and band arithmetic of the
// test library with arbitrary figures: no panic, no overflow, amounts never
// negative, ceilings never exceeded, and amounts never fall as the base
// grows.
func FuzzAmountArithmetic(f *testing.F) {
	f.Add(int64(5000000), 10.0)
	f.Add(int64(4999999), 500.0)
	f.Add(int64(maxMoney), 1e12)
	f.Add(int64(0), 0.0)
	f.Add(int64(1), 99.999999)
	e := amountsEngine(f)
	ceilings := map[string]int64{
		"demo-national-project-match": 5000000, "demo-platform-service-award": 1000000,
		"demo-incubator-award": 2000000, "demo-phd-allowance": 5000000, "demo-growth-enterprise-award": 2000000,
	}
	moneyOf := map[string]string{
		"demo-hq-capital-award": "paid_in_capital_cny", "demo-hq-tax-award": "prior_year_tax_cny",
		"demo-national-project-match": "national_project_funding_cny", "demo-platform-service-award": "tech_service_income_cny",
		"demo-growth-enterprise-award": "rd_subsidy_received_cny",
	}
	countOf := map[string]string{
		"demo-incubator-award": "hte_incubated_count", "demo-herb-base-award": "herb_base_new_mu", "demo-phd-allowance": "phd_researcher_count",
	}
	amount := func(t *testing.T, id, key string, v any) (int64, bool) {
		b, _ := e.Benefit(id)
		p := e.NewProfile()
		if err := p.Set(key, v); err != nil {
			return 0, false // out of the fact's bounds: refused, as a request would be
		}
		val, ok := b.Amount.Compute(p)
		if !ok {
			return 0, false
		}
		if val.CNY < 0 {
			t.Fatalf("%s(%v) = %d, negative", id, v, val.CNY)
		}
		if c, capped := ceilings[id]; capped && val.CNY > c {
			t.Fatalf("%s(%v) = %d, above the ceiling %d", id, v, val.CNY, c)
		}
		return val.CNY, true
	}
	f.Fuzz(func(t *testing.T, money int64, count float64) {
		if money < 0 {
			money = -(money + 1)
		}
		money %= int64(maxMoney) + 1
		for id, key := range moneyOf {
			lo, okLo := amount(t, id, key, money)
			hi, okHi := amount(t, id, key, money+1)
			if okLo && okHi && hi < lo {
				t.Fatalf("%s: %d at %d but %d at %d", id, lo, money, hi, money+1)
			}
		}
		if math.IsNaN(count) || math.IsInf(count, 0) {
			return
		}
		count = math.Abs(count)
		for id, key := range countOf {
			lo, okLo := amount(t, id, key, count)
			hi, okHi := amount(t, id, key, math.Nextafter(count, math.Inf(1))+1)
			if okLo && okHi && hi < lo {
				t.Fatalf("%s: %d at %v but %d above it", id, lo, count, hi)
			}
		}
	})
}

// FuzzMulDiv checks the 128-bit product against the exact result where it
// fits, and that it never goes negative or above maxMoney.
func FuzzMulDiv(f *testing.F) {
	f.Add(int64(1234567), int64(5), int64(100))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), int64(1))
	f.Fuzz(func(t *testing.T, a, b, d int64) {
		if a < 0 || b < 0 || d <= 0 {
			return
		}
		q, rounded := mulDiv(a, b, d)
		if q < 0 || q > maxMoney {
			t.Fatalf("mulDiv(%d, %d, %d) = %d", a, b, d, q)
		}
		if a <= math.MaxInt32 && b <= math.MaxInt32 {
			if want := a * b / d; want <= maxMoney && (q != want || rounded != (a*b%d != 0)) {
				t.Fatalf("mulDiv(%d, %d, %d) = %d, %v; want %d", a, b, d, q, rounded, want)
			}
		}
	})
}
