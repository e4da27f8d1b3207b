package matcher

import (
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"policybot/kb"
)

// amountsEngine returns the engine of testdata/amounts, the library that
// exercises every amount kind, loaded once.
func amountsEngine(tb testing.TB) *Engine {
	tb.Helper()
	amountsOnce.Do(func() {
		fsys := os.DirFS("testdata/amounts")
		base, err := kb.Load(fsys)
		if err != nil {
			amountsErr = err
			return
		}
		amounts, amountsErr = Load(fsys, base)
	})
	if amountsErr != nil {
		tb.Fatal(amountsErr)
	}
	return amounts
}

var (
	amountsOnce sync.Once
	amounts     *Engine
	amountsErr  error
)

// TestAmountCases runs the test library's own cases.
func TestAmountCases(t *testing.T) {
	for _, r := range amountsEngine(t).RunCases() {
		t.Run(r.Case.Benefit+"/"+r.Case.Name, func(t *testing.T) {
			for _, p := range r.Problems {
				t.Errorf("%s: %s", r.Where(), p)
			}
		})
	}
}

func matchAmounts(t *testing.T, js, benefit string) *Result {
	t.Helper()
	e := amountsEngine(t)
	p := e.NewProfile()
	if err := json.Unmarshal([]byte(js), p); err != nil {
		t.Fatal(err)
	}
	r := find(e.Match(p, Options{AsOf: asOf, IncludeIneligible: true, IncludeUntouched: true}), benefit)
	if r == nil {
		t.Fatalf("no result for %s", benefit)
	}
	return r
}

func ptr(n int64) *int64 { return &n }

// TestAmountKinds checks each kind's figure, basis and explanation fields on
// the edges of its bands and ceilings.
func TestAmountKinds(t *testing.T) {
	const wan = 10000
	tests := []struct {
		name    string
		profile string
		benefit string
		status  Status
		cny     *int64 // nil: amount must be null
		basis   []string
		years   int
		reason  string // a reason that must be given
	}{
		{"capital on the lower bound (含)", `{"new_hq_settled":true,"paid_in_capital_cny":5000000}`, "demo-hq-capital-award", Eligible, ptr(300 * wan),
			[]string{"实缴注册资本500万元,属500万元(含)至5000万元(不含)档,奖励300万元", "就高不重复"}, 0, ""},
		{"capital one yuan below a band's upper bound (不含)", `{"new_hq_settled":true,"paid_in_capital_cny":49999999}`, "demo-hq-capital-award", Eligible, ptr(300 * wan), nil, 0, ""},
		{"capital on the next band's lower bound", `{"new_hq_settled":true,"paid_in_capital_cny":50000000}`, "demo-hq-capital-award", Eligible, ptr(600 * wan), []string{"5000万元(含)至1亿元(不含)档"}, 0, ""},
		{"capital in the open top band", `{"new_hq_settled":true,"paid_in_capital_cny":2000000000}`, "demo-hq-capital-award", Eligible, ptr(2000 * wan), []string{"20亿元(含)以上档"}, 0, ""},
		{"capital one yuan below the lowest band", `{"new_hq_settled":true,"paid_in_capital_cny":4999999}`, "demo-hq-capital-award", Ineligible, nil, nil, 0,
			"不满足:实缴注册资本500万元(含)以上(实缴注册资本499.9999万元)"},
		{"capital unknown: undetermined, the amount waits", `{"new_hq_settled":true}`, "demo-hq-capital-award", Undetermined, nil, nil, 0, "待确认:实缴注册资本500万元(含)以上(未提供实缴注册资本)"},
		{"tax: the highest band reached (超过…(含))", `{"new_hq_settled":true,"prior_year_tax_cny":40000000}`, "demo-hq-tax-award", Eligible, ptr(1000 * wan), []string{"4000万元(含)至8000万元(不含)档"}, 0, ""},
		{"tax one yuan below a bound", `{"new_hq_settled":true,"prior_year_tax_cny":39999999}`, "demo-hq-tax-award", Eligible, ptr(600 * wan), nil, 0, ""},
		{"rate: ceiling applies", `{"national_project_funding_cny":6000000}`, "demo-national-project-match", Eligible, ptr(500 * wan),
			[]string{"国家级科技计划项目资助额600万元 × 100% = 600万元,超过上限,按最高500万元"}, 0, ""},
		{"rate: ceiling does not apply", `{"national_project_funding_cny":4000000}`, "demo-national-project-match", Eligible, ptr(400 * wan), []string{"= 400万元,未超过最高500万元"}, 0, ""},
		{"rate: exactly at the ceiling", `{"national_project_funding_cny":5000000}`, "demo-national-project-match", Eligible, ptr(500 * wan), []string{"未超过最高500万元"}, 0, ""},
		{"rate: one yuan above the ceiling", `{"national_project_funding_cny":5000001}`, "demo-national-project-match", Eligible, ptr(500 * wan), []string{"超过上限"}, 0, ""},
		{"percent rounds down to the yuan", `{"platform_newly_built":true,"tech_service_income_cny":1234567}`, "demo-platform-service-award", Eligible, ptr(61728), []string{"× 5% = 6.1728万元(不足1元部分舍去)"}, 0, ""},
		{"per unit under its ceiling", `{"incubator_recognised":true,"hte_incubated_count":3}`, "demo-incubator-award", Eligible, ptr(60 * wan),
			[]string{"上一年度培育和引入的高新技术企业数量3家 × 20万元/家 = 60万元,未超过最高200万元"}, 0, ""},
		{"per unit over its ceiling", `{"incubator_recognised":true,"hte_incubated_count":11}`, "demo-incubator-award", Eligible, ptr(200 * wan), []string{"= 220万元,超过上限,按最高200万元"}, 0, ""},
		{"per unit of nothing", `{"incubator_recognised":true,"hte_incubated_count":0}`, "demo-incubator-award", Ineligible, nil, nil, 0, "不满足:上一年度培育和引入的高新技术企业数量大于0"},
		{"count band: 500亩 (含500亩) is the lower band", `{"herb_base_new_mu":500}`, "demo-herb-base-award", Eligible, ptr(50000),
			[]string{"新发展中药材种植基地面积500亩,属100亩(含)至500亩(含)档:500亩 × 100元/亩 = 5万元"}, 0, ""},
		{"count band: above 500亩 the higher rate", `{"herb_base_new_mu":501}`, "demo-herb-base-award", Eligible, ptr(100200), []string{"属超过500亩档:501亩 × 200元/亩"}, 0, ""},
		{"count band: fractional 亩 is exact", `{"herb_base_new_mu":100.25}`, "demo-herb-base-award", Eligible, ptr(10025), nil, 0, ""},
		{"count band: below the lowest band", `{"herb_base_new_mu":99.5}`, "demo-herb-base-award", Ineligible, nil, nil, 0, "不满足:新发展中药材种植基地面积100亩(含)以上(新发展中药材种植基地面积99.5亩)"},
		{"multi-year rate with a yearly ceiling", `{"growth_enterprise_recognised":true,"rd_subsidy_received_cny":3000000}`, "demo-growth-enterprise-award", Eligible, ptr(200 * wan),
			[]string{"每年", "超过上限,按最高200万元,连续3年"}, 3, ""},
		{"multi-year under the ceiling", `{"growth_enterprise_recognised":true,"rd_subsidy_received_cny":1500000}`, "demo-growth-enterprise-award", Eligible, ptr(150 * wan), []string{",连续3年"}, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := matchAmounts(t, tt.profile, tt.benefit)
			if r.Status != tt.status {
				t.Fatalf("status = %s, want %s (%v)", r.Status, tt.status, r.Reasons)
			}
			switch {
			case tt.cny == nil && r.Amount != nil:
				t.Fatalf("amount = %+v, want null", r.Amount)
			case tt.cny != nil && r.Amount == nil:
				t.Fatalf("amount null, want %d (%s)", *tt.cny, r.AmountNote)
			case tt.cny != nil && r.Amount.CNY != *tt.cny:
				t.Errorf("amount = %d, want %d (%s)", r.Amount.CNY, *tt.cny, r.Amount.Basis)
			}
			if r.Amount != nil {
				for _, s := range tt.basis {
					if !strings.Contains(r.Amount.Basis, s) {
						t.Errorf("basis %q lacks %q", r.Amount.Basis, s)
					}
				}
				if r.Amount.Years != tt.years {
					t.Errorf("years = %d, want %d", r.Amount.Years, tt.years)
				}
			}
			if tt.reason != "" && !strings.Contains(strings.Join(r.Reasons, "\n"), tt.reason) {
				t.Errorf("reasons %q lack %q", r.Reasons, tt.reason)
			}
		})
	}
}

// TestProportional checks which amounts a span of a figure spans: a rate
// and a plain rate per unit do, with or without a ceiling; bands of the
// figure and sums of other kinds do not, nor a rate of another fact.
func TestProportional(t *testing.T) {
	e := amountsEngine(t)
	for _, c := range []struct {
		benefit, fact string
		want          bool
	}{
		{"demo-national-project-match", "national_project_funding_cny", true},
		{"demo-platform-service-award", "tech_service_income_cny", true},
		{"demo-incubator-award", "hte_incubated_count", true},
		{"demo-phd-allowance", "phd_researcher_count", true},
		{"demo-herb-base-award", "herb_base_new_mu", false},               // 500亩 changes the rate
		{"demo-hq-capital-award", "paid_in_capital_cny", false},           // bands of the capital
		{"demo-new-project-award", "new_project_fixed_assets_cny", false}, // a bound, no sum
		{"demo-national-project-match", "tech_service_income_cny", false},
	} {
		b, ok := e.Benefit(c.benefit)
		if !ok {
			t.Fatalf("no benefit %s", c.benefit)
		}
		if got := b.Amount.Proportional(c.fact); got != c.want {
			t.Errorf("%s.Proportional(%s) = %v, want %v", c.benefit, c.fact, got, c.want)
		}
	}
}

// TestProportionalOver checks that a rate per unit by bands spans a figure
// whose ends lie in one band, and not one whose ends lie in two.
func TestProportionalOver(t *testing.T) {
	e := amountsEngine(t)
	b, ok := e.Benefit("demo-herb-base-award")
	if !ok {
		t.Fatal("no benefit demo-herb-base-award")
	}
	for _, c := range []struct {
		lo, hi float64
		want   bool
	}{
		{300, 400, true},
		{100, 500, true},
		{400, 600, false},
		{600, math.Inf(1), true},
		{50, 200, false}, // below the first band there is no rate
	} {
		if got := b.Amount.ProportionalOver("herb_base_new_mu", c.lo, c.hi); got != c.want {
			t.Errorf("ProportionalOver(herb_base_new_mu, %v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}

// TestAmountBounds checks that ceilings and ranges alone give a null amount
// and the bound they state, never a figure.
func TestAmountBounds(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		benefit string
		want    *Bound
		note    []string
		text    string // in AmountText, when set
	}{
		{"ceiling only", `{"applicant_type":"talent","eminent_talent":true}`, "demo-eminent-talent-allowance",
			&Bound{MaxCNY: ptr(10000000), Quote: "最高1000万元"}, []string{"条文仅规定上限,最高1000万元", "决定主体:测试机关(按人才层次核定)"}, "金额未定(条文规定最高1000万元)"},
		{"range of yuan", `{"new_product_certified":true}`, "demo-new-product-support",
			&Bound{MinCNY: ptr(100000), MaxCNY: ptr(1000000), Quote: "10万元—100万元"}, []string{"条文规定金额区间10万元至100万元", "县委县政府工作领导小组"}, ""},
		{"range of rates with the base known", `{"new_project_fixed_assets_cny":100000000}`, "demo-new-project-award",
			&Bound{MinCNY: ptr(5000000), MaxCNY: ptr(20000000), Base: "new_project_fixed_assets_cny", MinRate: "5%", MaxRate: "20%", Quote: "5%-20%奖励支持"},
			[]string{"按新上项目固定资产投资的5%至20%(按新上项目固定资产投资计为500万元至2000万元)"}, "金额未定(条文规定500万元至2000万元,即新上项目固定资产投资的5%至20%)"},
		{"a monthly rate per unit, under the ceiling", `{"rented_office_sqm":300}`, "demo-rent-subsidy",
			&Bound{MaxCNY: ptr(72000), Base: "rented_office_sqm", PerYear: true, PerUnit: "每月每平方米最高20元", Quote: "按每月每平方米最高20元给予场租补贴;每年最高不超过20万元;补贴面积不超过500平方米"},
			[]string{"条文规定按每月每平方米最高20元,最多按500平方米计,最高20万元(按租用办公场地面积计为最高7.2万元)"}, "金额未定(条文规定每年最高7.2万元,按每月每平方米最高20元计)"},
		{"a monthly rate per unit, past the units paid for", `{"rented_office_sqm":600}`, "demo-rent-subsidy",
			&Bound{MaxCNY: ptr(120000), Base: "rented_office_sqm", PerYear: true, PerUnit: "每月每平方米最高20元", Quote: "按每月每平方米最高20元给予场租补贴;每年最高不超过20万元;补贴面积不超过500平方米"}, nil, ""},
		{"a monthly rate per unit on a part unit", `{"rented_office_sqm":128.2}`, "demo-rent-subsidy",
			&Bound{MaxCNY: ptr(30768), Base: "rented_office_sqm", PerYear: true, PerUnit: "每月每平方米最高20元", Quote: "按每月每平方米最高20元给予场租补贴;每年最高不超过20万元;补贴面积不超过500平方米"}, nil, ""},
		{"range of rates on the threshold", `{"new_project_fixed_assets_cny":50000000}`, "demo-new-project-award",
			&Bound{MinCNY: ptr(2500000), MaxCNY: ptr(10000000), Base: "new_project_fixed_assets_cny", MinRate: "5%", MaxRate: "20%", Quote: "5%-20%奖励支持"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := matchAmounts(t, tt.profile, tt.benefit)
			if r.Status != Eligible {
				t.Fatalf("status = %s (%v)", r.Status, r.Reasons)
			}
			if r.Amount != nil {
				t.Errorf("amount = %+v, want null: a bound is never the amount", r.Amount)
			}
			if diff := cmp.Diff(tt.want, r.AmountBound); diff != "" {
				t.Errorf("amount_bound (-want +got):\n%s", diff)
			}
			for _, s := range tt.note {
				if !strings.Contains(r.AmountNote, s) {
					t.Errorf("amount_note %q lacks %q", r.AmountNote, s)
				}
			}
			if got := r.AmountText(); tt.text != "" && got != tt.text {
				t.Errorf("AmountText() = %q, want %q", got, tt.text)
			}
		})
	}
}

// TestExclusiveGroup checks that benefits of one 就高不重复 group name it
// and say so, and that the matcher reports each on its own.
func TestExclusiveGroup(t *testing.T) {
	e := amountsEngine(t)
	p := e.NewProfile()
	if err := json.Unmarshal([]byte(`{"new_hq_settled":true,"paid_in_capital_cny":60000000,"prior_year_tax_cny":25000000}`), p); err != nil {
		t.Fatal(err)
	}
	o := e.Match(p, Options{AsOf: asOf})
	// Each names the others by title, never by the group's name in the rules.
	want := map[string]struct {
		cny   int64
		other string
	}{"demo-hq-capital-award": {6000000, "总部落户奖(按纳税总额)"}, "demo-hq-tax-award": {6000000, "总部落户奖(按实缴注册资本)"}}
	for id, w := range want {
		r := find(o, id)
		if r == nil || r.Amount == nil || r.Amount.CNY != w.cny {
			t.Fatalf("%s = %+v, want %d", id, r, w.cny)
		}
		if r.ExclusiveGroup != "demo-hq-settlement" || !strings.Contains(r.Amount.Basis, "只享受其中最高一项") ||
			!strings.Contains(r.Amount.Basis, w.other) || strings.Contains(r.Amount.Basis, "demo-hq-settlement") {
			t.Errorf("%s: group %q, basis %q", id, r.ExclusiveGroup, r.Amount.Basis)
		}
	}
	r := find(o, "demo-hq-contribution-award")
	if r == nil || r.Amount != nil || r.ExclusiveGroup != "demo-hq-settlement" {
		t.Fatalf("contribution award = %+v", r)
	}
	for _, s := range []string{"条文未规定具体金额", "每年给予,连续5年", "就高不重复"} {
		if !strings.Contains(r.AmountNote, s) {
			t.Errorf("amount_note %q lacks %q", r.AmountNote, s)
		}
	}
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"exclusive_group":"demo-hq-settlement"`) {
		t.Errorf("JSON lacks exclusive_group: %s", b)
	}
}

// TestAmountLoadErrors checks that mistakes in the amount shapes are refused
// at load, naming the benefit and the field.
func TestAmountLoadErrors(t *testing.T) {
	dir := os.DirFS("testdata/amounts")
	orig, err := fs.ReadFile(dir, "amounts-demo/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"overlapping bands", "{from: capital_5000w, from_included: true, to: capital_1yi",
			"{from: capital_5000w, from_included: false, to: capital_1yi",
			"benefit 1 (demo-hq-capital-award): amount: bands.values[1].from_included: exactly one of band [0]'s to and this from includes 5000万元"},
		{"gap between bands", "{from: capital_10yi, from_included: true, to: capital_20yi",
			"{from: capital_20yi, from_included: true, to: capital_20yi",
			"benefit 1 (demo-hq-capital-award): amount: bands.values[3]: from must be below to"},
		{"inclusion not stated", "{from: tax_2000w, from_included: true,", "{from: tax_2000w,",
			"benefit 2 (demo-hq-tax-award): amount: bands.values[1].from_included: required"},
		{"band bound in another unit", "herb_band_mu: {number: 500, unit: 亩", "herb_band_mu: {number: 500, unit: 平方米",
			"benefit 6 (demo-herb-base-award): amount: per_unit.bands[0].to: parameter herb_band_mu is in 平方米, but herb_base_new_mu is in 亩"},
		{"ceiling not in yuan", "percent: national_match_percent, max: national_match_max}", "percent: national_match_percent, max: national_match_percent}",
			"benefit 3 (demo-national-project-match): amount: rate.max: parameter national_match_percent is in percent, not cny"},
		{"percent parameter as per_mille", "percent: platform_award_percent,", "per_mille: platform_award_percent,",
			"benefit 4 (demo-platform-service-award): amount: rate.per_mille: parameter platform_award_percent is in percent, not per_mille"},
		{"bound without decided_by", "      decided_by: 县委县政府工作领导小组\n    department: 测试机关\n    department_note: 测试文件\n\n  - id: demo-new-project-award", "    department: 测试机关\n    department_note: 测试文件\n\n  - id: demo-new-project-award",
			"benefit 11 (demo-new-product-support): amount: decided_by: required"},
		{"years not in years", "years: growth_years", "years: growth_match_max",
			"benefit 8 (demo-growth-enterprise-award): amount: years: parameter growth_match_max is in cny, not years"},
		{"two kinds", "      rate: {base: rd_subsidy_received_cny", "      fixed: growth_match_max\n      rate: {base: rd_subsidy_received_cny",
			"benefit 8 (demo-growth-enterprise-award): amount: give exactly one of"},
		{"unknown field", "count: hte_incubated_count, rate:", "count: hte_incubated_count, each: ",
			"field each not found"},
		{"a group size in money", "count: hte_incubated_count, rate: incubator_award_per_firm", "count: hte_incubated_count, per: incubator_award_per_firm, rate: incubator_award_per_firm",
			"per: parameter incubator_award_per_firm is in cny, not number"},
		{"quote not in the clause", `quote: "实缴注册资本500万(含)至5000万元的"`, `quote: "实缴注册资本600万(含)至5000万元的"`,
			`parameter capital_500w: quote: "实缴注册资本600万(含)至5000万元的" is not in the text of clause 一`},
		{"quote of another clause", `capital_500w: {cny: 5000000, article: 一,`, `capital_500w: {cny: 5000000, article: 二,`,
			`parameter capital_500w: quote:`},
		{"quote of ellipses only", `quote: "实缴注册资本500万(含)至5000万元的"`, `quote: "……"`,
			`parameter capital_500w: quote: "……" is not in the text`},
		{"a rate per unit of money", "bound: {base: rented_office_sqm,", "bound: {base: new_project_fixed_assets_cny,",
			`benefit 13 (demo-rent-subsidy): amount: bound.base: "new_project_fixed_assets_cny" is not a number fact`},
		{"a rate per unit per week", "per: month, max_count", "per: week, max_count",
			`benefit 13 (demo-rent-subsidy): amount: bound.per: "week" is neither month nor year`},
		{"units paid for in another unit", "rent_max_sqm: {number: 500, unit: 平方米", "rent_max_sqm: {number: 500, unit: 亩",
			"benefit 13 (demo-rent-subsidy): amount: bound.max_count: parameter rent_max_sqm is in 亩, but rented_office_sqm is in 平方米"},
		{"yearly of a rate", "      rate: {base: rd_subsidy_received_cny", "      yearly: true\n      rate: {base: rd_subsidy_received_cny",
			"benefit 8 (demo-growth-enterprise-award): amount: yearly: only of a fixed sum, and not with years"},
		{"a rate per unit without a ceiling", "max_count: rent_max_sqm, max: rent_max_20w}", "max_count: rent_max_sqm}",
			"benefit 13 (demo-rent-subsidy): amount: bound.max: a rate per unit needs the ceiling"},
		{"a monthly rate without a rate", "bound: {min: new_product_min, max: new_product_max}", "bound: {min: new_product_min, max: new_product_max, per: month}",
			"benefit 11 (demo-new-product-support): amount: bound.per: only with max_per_unit"},
		{"an actual price of no price fact", "max_count: rent_max_sqm, max: rent_max_20w}", "max_count: rent_max_sqm, max: rent_max_20w, actual: main_revenue_cny}",
			"benefit 13 (demo-rent-subsidy): amount: bound.actual: \"main_revenue_cny\" is no money fact of a price"},
		{"an actual price without a rate per unit", "bound: {min: new_product_min, max: new_product_max}", "bound: {min: new_product_min, max: new_product_max, actual: office_rent_per_sqm_month_cny}",
			"benefit 11 (demo-new-product-support): amount: bound.actual: only with max_per_unit"},
		{"a definition never used", "  settled_hq: new_hq_settled || big_taxpayer\n", "  settled_hq: new_hq_settled || big_taxpayer\n  spare: new_hq_settled\n",
			"definition spare: never used"},
		{"a definition of itself", "  big_taxpayer: prior_year_tax_cny >= tax_1000w", "  big_taxpayer: prior_year_tax_cny >= tax_1000w && settled_hq",
			"refers to itself"},
		{"a definition named as a fact", "  big_taxpayer: prior_year_tax_cny >= tax_1000w\n  settled_hq: new_hq_settled || big_taxpayer", "  big_taxpayer: prior_year_tax_cny >= tax_1000w\n  new_hq_settled: big_taxpayer",
			"definition new_hq_settled: the name is already a fact or a parameter"},
		{"a definition named as a word of CEL", "  settled_hq: new_hq_settled || big_taxpayer\n", "  settled_hq: new_hq_settled || big_taxpayer\n  size: new_hq_settled\n",
			"definition size: the name is a word of CEL"},
		{"a definition not yes/no", "  big_taxpayer: prior_year_tax_cny >= tax_1000w", "  big_taxpayer: prior_year_tax_cny",
			"definition big_taxpayer: \"prior_year_tax_cny\" is int, not bool"},
		{"blank area replaced", "    exclusive: demo-hq-settlement\n", "    exclusive: demo-hq-settlement\n    area_replaced_by: \"  \"\n",
			"area_replaced_by: blank"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(orig), tt.old) {
				t.Fatalf("rules.yaml lacks %q", tt.old)
			}
			fsys := fstest.MapFS{}
			err := fs.WalkDir(dir, ".", func(name string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				raw, err := fs.ReadFile(dir, name)
				fsys[name] = &fstest.MapFile{Data: raw}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			fsys["amounts-demo/rules.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(string(orig), tt.old, tt.new, 1))}
			base, err := kb.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(fsys, base)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBoundString(t *testing.T) {
	tests := []struct {
		b    Bound
		want string
	}{
		{Bound{MaxCNY: ptr(10000000)}, "最高1000万元"},
		{Bound{MinCNY: ptr(100000), MaxCNY: ptr(1000000)}, "10万元至100万元"},
		{Bound{MaxCNY: ptr(2000000), Years: 3}, "每年最高200万元,连续3年"},
		{Bound{MinRate: "5%", MaxRate: "20%"}, "5%至20%"},
		{Bound{MinRate: "10%"}, "不低于10%"},
	}
	for _, tt := range tests {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.b, got, tt.want)
		}
	}
}

// TestGuide checks that an officer's application guide reaches the result
// marked as not taken from the clause, and that an empty one is refused.
func TestGuide(t *testing.T) {
	r := matchAmounts(t, `{"new_hq_settled": true, "paid_in_capital_cny": 60000000}`, "demo-hq-capital-award")
	if r.Guide == nil || r.Guide.Where == "" || len(r.Guide.Materials) != 3 || !strings.Contains(r.Guide.Note, "不是条文原文") {
		t.Errorf("guide %+v", r.Guide)
	}
	if r := matchAmounts(t, `{"new_hq_settled": true, "paid_in_capital_cny": 60000000}`, "demo-hq-tax-award"); r.Guide != nil {
		t.Errorf("a benefit without a guide has %+v", r.Guide)
	}
	if err := (&Guide{Materials: []string{" "}}).check(); err == nil {
		t.Error("an empty material was accepted")
	}
	if err := (&Guide{}).check(); err == nil {
		t.Error("an empty guide was accepted")
	}
}

// TestConditionHints checks that a CEL error comes with a hint in plain
// words of what usually causes it.
func TestConditionHints(t *testing.T) {
	for msg, want := range map[string]string{
		"ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>' expecting {'['}": "in quotes",
		"found no matching overload for '_>=_' applied to '(double, int)'":           "write 3.0",
		"undeclared reference to 'x_fact'":                                           "declare facts",
		"something else":                                                             "",
	} {
		if got := celHint(msg); !strings.Contains(got, want) || (want == "" && got != "") {
			t.Errorf("celHint(%q) = %q, want it to say %q", msg, got, want)
		}
	}
}

// TestAskedUntouched checks that a benefit asked about by name is judged,
// and kept in play, though no known fact touches it yet; unasked, it is
// not judged at all.
func TestAskedUntouched(t *testing.T) {
	e := amountsEngine(t)
	p := e.NewProfile()
	const id = "demo-herb-base-award"
	if r := find(e.Match(p, Options{AsOf: asOf}), id); r != nil {
		t.Fatalf("unasked and untouched: %s judged %s", id, r.Status)
	}
	r := find(e.Match(p, Options{AsOf: asOf, Asked: []string{id}}), id)
	if r == nil || r.Status != Undetermined || !r.InPlay {
		t.Fatalf("asked: %+v, want undetermined and in play", r)
	}
}

// TestUnitMostExact checks that the most a rate per unit allows is the
// exact product in whole yuan: 128.2平方米 at 50元 a month for a year is
// 76,920元, which float arithmetic alone puts at 76,919.
func TestUnitMostExact(t *testing.T) {
	b := &bound{perUnit: &Param{Unit: UnitCNY, Int: 50}, max: &Param{Unit: UnitCNY, Int: 3000000}, monthly: true}
	for _, c := range []struct {
		units float64
		want  int64
	}{{128.2, 76920}, {100, 60000}, {0.5, 300}, {1500, 900000}} {
		if got := b.unitMost(c.units); got != c.want {
			t.Errorf("unitMost(%v) = %d, want %d", c.units, got, c.want)
		}
	}
}

// TestAskedFirst checks that the facts of a benefit asked about by name are
// asked before those of larger awards the profile also leaves open.
func TestAskedFirst(t *testing.T) {
	e := amountsEngine(t)
	p := e.NewProfile()
	if err := json.Unmarshal([]byte(`{"new_hq_settled":true}`), p); err != nil {
		t.Fatal(err)
	}
	if q := e.Match(p, Options{AsOf: asOf}).Question; q == nil || q.Fact == "herb_base_new_mu" {
		t.Fatalf("unasked: question %+v, want one of the settling awards'", q)
	}
	if q := e.Match(p, Options{AsOf: asOf, Asked: []string{"demo-herb-base-award"}}).Question; q == nil || q.Fact != "herb_base_new_mu" {
		t.Errorf("asked: question %+v, want herb_base_new_mu", q)
	}
}

// TestRewriteIdents checks that a definition's name is replaced as a whole
// identifier only: not inside a longer one, a string literal or a field.
func TestRewriteIdents(t *testing.T) {
	defs := map[string]string{"hq": "a || b"}
	tests := []struct{ in, want string }{
		{"hq", "(a || b)"},
		{"!hq && c", "!(a || b) && c"},
		{"hq_more || hq2 || my_hq", "hq_more || hq2 || my_hq"},
		{`industry == "hq" || x.hq`, `industry == "hq" || x.hq`},
		{`s == 'it\'s hq' && hq`, `s == 'it\'s hq' && (a || b)`},
		{"n >= 1e5 && hq", "n >= 1e5 && (a || b)"},
	}
	for _, tt := range tests {
		used := map[string]bool{}
		if got := substitute(tt.in, defs, used); got != tt.want {
			t.Errorf("substitute(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
