package matcher

import (
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
