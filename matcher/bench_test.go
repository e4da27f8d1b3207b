package matcher

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// fullProfile gives every fact an enterprise can have.
const fullProfile = `{"applicant_type":"enterprise","name":"赣州某家具有限公司","credit_code":"91350100M000100Y43",
"region":"南康区","industry":"modern_light_textile","is_industrial":true,"above_designated_size":true,
"enterprise_scale":"medium","main_revenue_cny":1100000000,"prior_max_revenue_cny":990000000,"profitable":true,
"bond_financing_cny":300000000,"listing_status":"preparing","project_productive_assets_cny":200000000,
"project_investment_cny":250000000,"project_policy_compliant":true,"project_in_production_within_2y":true,
"adds_floor_area_on_own_land":true,"hq_relocation":false,"tax_commitment_years":3,"pays_social_insurance":true,
"informatization_demo":"provincial","energy_saving_tce":800,"indicators_grew_yoy":true,"energy_product_certified":true,
"clean_production_audit":true,"emission_reduction_significant":false,"attends_official_expo":true,"high_level_talent":true,
"county_cluster_member":true,"received_special_fiscal_funds":true,"industrial_property_developer":false,
"local_quality_product":true,"builds_innovation_carrier":false,"innovative_talent_team":false}`

const partialProfile = `{"region":"章贡区","industry":"electronic_information","is_industrial":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000}`

func benchmarkMatch(b *testing.B, js string) {
	e := mustEngine(b)
	p := profile(b, js)
	b.ReportAllocs()
	for b.Loop() {
		e.Match(p, Options{AsOf: asOf})
	}
}

func BenchmarkMatchFull(b *testing.B)    { benchmarkMatch(b, fullProfile) }
func BenchmarkMatchPartial(b *testing.B) { benchmarkMatch(b, partialProfile) }

// synthetic returns an engine of n benefits made from the seed's own: each
// takes one to three of the seed's compiled conditions at random, an
// applicant type at random and a seed amount, so that facts and types are
// spread as in real rules, only many more of them.
func synthetic(b *testing.B, n int) *Engine {
	seed := mustEngine(b)
	var conds []*Condition
	for _, bf := range seed.benefits {
		for _, c := range bf.Conditions {
			if c.steps == nil {
				conds = append(conds, c)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	e := &Engine{cat: seed.cat, base: seed.base}
	for i := range n {
		tmpl := seed.benefits[rng.IntN(len(seed.benefits))]
		bf := *tmpl
		bf.ID = fmt.Sprintf("synthetic-%d", i)
		bf.Applicants = []string{applicantTypes[rng.IntN(len(applicantTypes))]}
		bf.Conditions = nil
		bf.facts = nil
		for range 1 + rng.IntN(3) {
			c := conds[rng.IntN(len(conds))]
			bf.Conditions = append(bf.Conditions, c)
			bf.facts = appendUnique(bf.facts, c.facts...)
		}
		if bf.Amount.steps != nil {
			bf.Amount = seed.benefits[0].Amount
		}
		e.benefits = append(e.benefits, &bf)
	}
	e.index()
	return e
}

var applicantTypes = []string{"enterprise", "industrial_park", "county", "financial_institution", "talent"}

// BenchmarkMatchGrowth matches the full and the partial profile against
// rule sets of 1,000 and 10,000 synthetic benefits, to show how the cost of
// a match grows with the rule set.
func BenchmarkMatchGrowth(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, p := range []struct{ name, js string }{{"full", fullProfile}, {"partial", partialProfile}} {
			b.Run(fmt.Sprintf("%s/%d", p.name, n), func(b *testing.B) {
				e := synthetic(b, n)
				prof := profile(b, p.js)
				b.ReportAllocs()
				var evaluated int
				for b.Loop() {
					evaluated = len(e.touched(prof, "enterprise", nil))
					e.Match(prof, Options{AsOf: asOf})
				}
				b.ReportMetric(float64(evaluated), "evaluated")
			})
		}
	}
}

// amountsProfile touches every benefit of the amounts test library, so that
// a match computes bands, rates with ceilings, per-unit sums and bounds.
const amountsProfile = `{"new_hq_settled":true,"paid_in_capital_cny":60000000,"prior_year_tax_cny":25000000,
"national_project_funding_cny":6000000,"platform_newly_built":true,"tech_service_income_cny":1234567,
"incubator_recognised":true,"hte_incubated_count":11,"herb_base_new_mu":500.5,"rd_institution_recognised":true,
"phd_researcher_count":62,"growth_enterprise_recognised":true,"rd_subsidy_received_cny":3000000,
"new_product_certified":true,"new_project_fixed_assets_cny":100000000}`

// BenchmarkMatchAmounts matches one profile against the amounts test library.
func BenchmarkMatchAmounts(b *testing.B) {
	e := amountsEngine(b)
	p := e.NewProfile()
	if err := p.UnmarshalJSON([]byte(amountsProfile)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		e.Match(p, Options{AsOf: asOf})
	}
}
