package matcher

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/kb"
)

// mustEngine returns the engine of the built-in library, loaded once for
// the package's tests; it is immutable, so tests may share it.
func mustEngine(tb testing.TB) *Engine {
	tb.Helper()
	testEngineOnce.Do(func() {
		base, err := kb.Load(kb.Embedded())
		if err != nil {
			testEngineErr = err
			return
		}
		testEngine, testEngineErr = Load(kb.Embedded(), base)
	})
	if testEngineErr != nil {
		tb.Fatal(testEngineErr)
	}
	return testEngine
}

var (
	testEngineOnce sync.Once
	testEngine     *Engine
	testEngineErr  error
)

// TestPolicyCases runs the test cases written beside the rules.
func TestPolicyCases(t *testing.T) {
	e := mustEngine(t)
	for _, r := range e.RunCases() {
		t.Run(r.Case.Benefit+"/"+r.Case.Name, func(t *testing.T) {
			for _, p := range r.Problems {
				t.Errorf("%s: %s", r.Where(), p)
			}
		})
	}
}

func profile(tb testing.TB, js string) *Profile {
	tb.Helper()
	p := mustEngine(tb).NewProfile()
	if err := json.Unmarshal([]byte(js), p); err != nil {
		tb.Fatal(err)
	}
	return p
}

func find(o *Outcome, id string) *Result {
	for i := range o.Results {
		if o.Results[i].BenefitID == id {
			return &o.Results[i]
		}
	}
	return nil
}

var asOf = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// TestThreeValued checks the Kleene logic of conditions: a known failure
// settles a result while other facts are unknown, and `a || b` is settled by
// a true a.
func TestThreeValued(t *testing.T) {
	e := mustEngine(t)
	tests := []struct {
		name        string
		profile     string
		benefit     string
		wantStatus  Status
		wantMissing []string
		wantInPlay  bool
	}{
		{"revenue only", `{"main_revenue_cny": 600000000}`, "revenue-breakthrough-award",
			Undetermined, []string{"prior_max_revenue_cny", "profitable", "is_industrial"}, true},
		{"revenue below the first step settles it", `{"main_revenue_cny": 400000000}`, "revenue-breakthrough-award",
			Ineligible, []string{}, false},
		{"known loss settles it", `{"profitable": false}`, "revenue-breakthrough-award",
			Ineligible, []string{}, false},
		{"or: leading industry is enough", `{"attends_official_expo": true, "industry": "tobacco"}`, "expo-participation-award",
			Eligible, []string{}, false},
		{"or: other industry leaves the cluster to ask", `{"attends_official_expo": true, "industry": "other"}`, "expo-participation-award",
			Undetermined, []string{"county_cluster_member"}, true},
		{"or: both unknown", `{"attends_official_expo": true}`, "expo-participation-award",
			Undetermined, []string{"industry", "county_cluster_member"}, true},
		{"nothing given is not in play", `{}`, "social-insurance-subsidy",
			Undetermined, []string{"pays_social_insurance"}, false},
		{"and with a range: below both bounds", `{"project_productive_assets_cny": 50000000}`, "project-investment-subsidy-local",
			Ineligible, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.Match(profile(t, tt.profile), Options{AsOf: asOf, IncludeIneligible: true, IncludeUntouched: true})
			r := find(o, tt.benefit)
			if r == nil {
				t.Fatalf("no result for %s", tt.benefit)
			}
			if r.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s (%v)", r.Status, tt.wantStatus, r.Reasons)
			}
			if diff := cmp.Diff(tt.wantMissing, r.MissingFacts); diff != "" {
				t.Errorf("missing facts (-want +got):\n%s", diff)
			}
			if r.InPlay != tt.wantInPlay {
				t.Errorf("in play = %v, want %v", r.InPlay, tt.wantInPlay)
			}
		})
	}
}

// TestUntouchedLeftOut checks that benefits no known fact reads are left
// out unless asked for, and that applicant and region alone touch nothing.
func TestUntouchedLeftOut(t *testing.T) {
	e := mustEngine(t)
	p := profile(t, `{"applicant_type":"enterprise","region":"南康区","bond_financing_cny":500000000}`)
	got := e.Match(p, Options{AsOf: asOf})
	var ids []string
	for _, r := range got.Results {
		ids = append(ids, r.BenefitID)
	}
	if diff := cmp.Diff([]string{"bond-financing-award"}, ids); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	all := e.Match(p, Options{AsOf: asOf, IncludeUntouched: true})
	if r := find(all, "hq-economy-enterprise"); r == nil || r.Status != Undetermined || r.InPlay {
		t.Errorf("with untouched: hq = %+v, want undetermined and not in play", r)
	}
}

func TestSteps(t *testing.T) {
	e := mustEngine(t)
	const yi = 100000000
	tests := []struct {
		name       string
		benefit    string
		cur, prior int64
		want       int64
		wantBasis  string
	}{
		{"5亿 first", "revenue-breakthrough-award", 6 * yi, 48 * yi / 10, 50000, "首次突破5亿元(5万元)"},
		{"exactly 5亿 is not 突破", "revenue-breakthrough-award", 5 * yi, 4 * yi, 0, "未首次跨越"},
		{"10亿 first", "revenue-breakthrough-award", 11 * yi, 99 * yi / 10, 100000, "10亿元(10万元)"},
		{"both first tiers in a year", "revenue-breakthrough-award", 12 * yi, 4 * yi, 150000, "合计15万元"},
		{"steps after 10亿", "revenue-breakthrough-award", 31 * yi, 29 * yi, 100000, "首次上30亿元台阶(10万元)"},
		{"reaching a step is enough", "revenue-breakthrough-award", 20 * yi, 19 * yi, 100000, "上20亿元台阶"},
		{"jump over many steps", "revenue-breakthrough-award", 1000 * yi, 9 * yi, 100000 + 99*100000, "等共100个台阶"},
		{"fell back", "revenue-breakthrough-award", 12 * yi, 15 * yi, 0, "未首次跨越"},
		{"county 50亿 reached", "county-leading-industries-award", 50 * yi, 45 * yi, 500000, "首次上50亿元台阶(50万元)"},
		{"county 100亿", "county-leading-industries-award", 110 * yi, 80 * yi, 1000000, "上100亿元台阶(100万元)"},
		{"county every 100亿", "county-leading-industries-award", 305 * yi, 199 * yi, 1000000, "上200亿元台阶(50万元)、上300亿元台阶(50万元)"},
		{"park base 50亿", "park-cluster-award", 52 * yi, 48 * yi, 500000, "上50亿元台阶(50万元)"},
		{"park 150亿", "park-cluster-award", 150 * yi, 148 * yi, 500000, "上150亿元台阶(50万元)"},
		{"park 149.99亿", "park-cluster-award", 14999 * yi / 100, 120 * yi, 0, "未首次跨越"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ok := e.Benefit(tt.benefit)
			if !ok {
				t.Fatal("no such benefit")
			}
			v, ok := b.Amount.steps.value(tt.cur, tt.prior)
			if !ok {
				t.Fatal("no value")
			}
			if v.CNY != tt.want {
				t.Errorf("amount = %d, want %d (%s)", v.CNY, tt.want, v.Basis)
			}
			if !strings.Contains(v.Basis, tt.wantBasis) {
				t.Errorf("basis %q lacks %q", v.Basis, tt.wantBasis)
			}
		})
	}
}

func TestFormatYuan(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0元"}, {800, "800元"}, {10000, "1万元"}, {50000, "5万元"}, {12345, "1.2345万元"},
		{500000000, "5亿元"}, {1030000000, "10.3亿元"}, {1234567890, "12.3456789亿元"}, {480000000, "4.8亿元"},
	}
	for _, tt := range tests {
		if got := FormatYuan(tt.in); got != tt.want {
			t.Errorf("FormatYuan(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNextQuestion(t *testing.T) {
	e := mustEngine(t)
	tests := []struct {
		name    string
		profile string
		skip    []string
		want    string // "" for no question
		on      time.Time
	}{
		{"profit settles the revenue award", `{"region":"章贡区","industry":"electronic_information","is_industrial":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000}`, nil, "profitable", time.Time{}},
		{"declined fact is not asked again", `{"region":"章贡区","industry":"electronic_information","is_industrial":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000}`, []string{"profitable"}, "", time.Time{}}, // what is left in play needs nothing else
		{"county with revenue asks the prior figure", `{"applicant_type":"county","leading_industries_revenue_cny":11000000000}`, nil, "leading_industries_prior_max_revenue_cny", time.Time{}},
		{"revenue alone asks the prior figure first", `{"main_revenue_cny":600000000}`, nil, "prior_max_revenue_cny", time.Time{}},
		{"then profit, as the clause states it before 工业企业", `{"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000}`, nil, "profitable", time.Time{}},
		{"nothing in play, nothing asked", `{}`, nil, "", time.Time{}},
		{"all settled", `{"bond_financing_cny": 500000000}`, nil, "", time.Time{}},
		// 首次被评为世界企业500强 (2000万) and 1000强 (1000万) exclude each
		// other: the ranking weighs 2000万, not 3000万, and the settling
		// award's capital, which weighs as much and comes first, is asked.
		// A measure for those moving into 南沙 is not asked of a firm of 柳河县.
		{"moving in is not asked outside the area", `{"applicant_type":"enterprise","region":"柳河县","nstech_national_hte":true}`, nil, "", time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"exclusive options weigh their best answer", `{"applicant_type":"enterprise","region":"南沙区","nansha_hq_new_settled":true,"nansha_hq_recognised":true,"nansha_hq_top_list":true,"nansha_hq_capital_origin":"foreign"}`, nil, "nansha_hq_paid_in_capital_usd", time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on := asOf
			if !tt.on.IsZero() {
				on = tt.on
			}
			o := e.Match(profile(t, tt.profile), Options{AsOf: on, Skip: tt.skip})
			got := ""
			if o.Question != nil {
				got = o.Question.Fact
				if o.Question.Text == "" {
					t.Error("question has no text")
				}
			}
			if got != tt.want {
				t.Errorf("next question = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidity(t *testing.T) {
	e := mustEngine(t)
	p := profile(t, `{"bond_financing_cny": 500000000}`)
	before := e.Match(p, Options{AsOf: time.Date(2013, 6, 1, 0, 0, 0, 0, time.UTC), IncludeIneligible: true})
	if r := find(before, "bond-financing-award"); r == nil || r.Status != Ineligible {
		t.Errorf("before the document took effect: %+v, want ineligible", r)
	}
	now := e.Match(p, Options{AsOf: asOf})
	r := find(now, "bond-financing-award")
	if r == nil || r.Status != Eligible {
		t.Fatalf("got %+v, want eligible", r)
	}
	if len(r.Validity) == 0 || !strings.Contains(r.Validity[len(r.Validity)-1], "未规定有效期") {
		t.Errorf("validity %q does not say the text states no term of validity", r.Validity)
	}
	if diff := cmp.Diff([]Validity{{DocID: r.DocID, Caveats: r.Validity}}, now.Validity); diff != "" {
		t.Errorf("the outcome's validity, -want +got:\n%s", diff)
	}
	in2014 := e.Match(p, Options{AsOf: time.Date(2014, 6, 1, 0, 0, 0, 0, time.UTC)})
	if r := find(in2014, "bond-financing-award"); r == nil || !strings.Contains(strings.Join(r.Validity, ""), "仅知为2014年") {
		t.Errorf("in 2014 the validity should say the exact date is unknown: %+v", r)
	}
}

// TestConcurrentMatch runs matches of different profiles at once (under
// -race in make test) and checks that each gets the answer it gets alone:
// the engine shares compiled programs and result slices between requests.
func TestConcurrentMatch(t *testing.T) {
	e := mustEngine(t)
	profiles := []string{fullProfile, partialProfile, `{"applicant_type":"county","leading_industries_revenue_cny":11000000000,"leading_industries_prior_max_revenue_cny":8000000000}`, `{"bond_financing_cny":500000000}`}
	want := make([]string, len(profiles))
	for i, js := range profiles {
		b, _ := json.Marshal(e.Match(profile(t, js), Options{AsOf: asOf, IncludeIneligible: true}))
		want[i] = string(b)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 30 {
				i := (g + k) % len(profiles)
				b, _ := json.Marshal(e.Match(profile(t, profiles[i]), Options{AsOf: asOf, IncludeIneligible: true}))
				if string(b) != want[i] {
					t.Errorf("profile %d answered differently under concurrency", i)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestRunCasesAsMatch checks that a case decided on its own benefit comes
// to the result a match with ineligible and untouched results gives it.
func TestRunCasesAsMatch(t *testing.T) {
	e := mustEngine(t)
	for _, r := range e.RunCases() {
		c := r.Case
		want := find(e.Match(c.Profile, Options{AsOf: c.AsOf, IncludeIneligible: true, IncludeUntouched: true}), c.Benefit)
		if diff := cmp.Diff(want, r.Got, cmp.AllowUnexported(Result{}), cmp.Comparer(func(a, b *Benefit) bool { return a == b })); diff != "" {
			t.Errorf("%s: %s/%s: (-match +case)\n%s", r.Where(), c.Benefit, c.Name, diff)
		}
	}
}

// TestFormatFactMoneyUnits checks that a number fact counted in a currency
// other than yuan is written as money is, and other units as they are.
func TestFormatFactMoneyUnits(t *testing.T) {
	usd := &Fact{Kind: KindNumber, Unit: "美元"}
	tons := &Fact{Kind: KindNumber, Unit: "吨标煤"}
	tests := []struct {
		f    *Fact
		in   float64
		want string
	}{
		{usd, 12000000, "1200万美元"}, {usd, 20000000, "2000万美元"}, {usd, 150000000, "1.5亿美元"},
		{usd, 9000, "9000美元"}, {usd, 12000000.5, "12000000.5美元"}, {tons, 120000, "120000吨标煤"},
	}
	for _, tt := range tests {
		if got := FormatFact(tt.f, tt.in); got != tt.want {
			t.Errorf("FormatFact(%s, %v) = %q, want %q", tt.f.Unit, tt.in, got, tt.want)
		}
	}
}

// TestNextStep checks the next threshold a step rule names above the
// highest figure known, across the first tiers and the steps after them.
func TestNextStep(t *testing.T) {
	e := mustEngine(t)
	b, ok := e.Benefit("revenue-breakthrough-award")
	if !ok {
		t.Fatal("no revenue-breakthrough-award")
	}
	tests := []struct {
		profile string
		want    string
	}{
		{`{"main_revenue_cny": 400000000}`, "下一个台阶为突破5亿元,奖励5万元"},
		{`{"main_revenue_cny": 500000000}`, "下一个台阶为突破5亿元"}, // 突破 excludes the figure itself
		{`{"main_revenue_cny": 620000000, "prior_max_revenue_cny": 480000000}`, "下一个台阶为突破10亿元,奖励10万元"},
		{`{"main_revenue_cny": 1200000000, "prior_max_revenue_cny": 2150000000}`, "按已知最高21.5亿元,下一个台阶为"},
	}
	for _, tt := range tests {
		got, ok := b.NextStep(profile(t, tt.profile))
		if !ok || !strings.Contains(got, tt.want) {
			t.Errorf("%s: NextStep = %q, %v, want it to hold %q", tt.profile, got, ok, tt.want)
		}
	}
	if _, ok := b.NextStep(profile(t, `{"profitable": true}`)); ok {
		t.Error("NextStep with no figure known answered")
	}
	if other, ok := e.Benefit("bond-financing-award"); ok {
		if _, ok := other.NextStep(profile(t, `{"bond_financing_cny": 500000000}`)); ok {
			t.Error("NextStep of a rate answered")
		}
	}
}

// TestFormatFactYear checks that a year is written as one, not as money.
func TestFormatFactYear(t *testing.T) {
	if got := FormatFact(&Fact{Kind: KindYear}, int64(2018)); got != "2018年" {
		t.Errorf("FormatFact(year 2018) = %q, want 2018年", got)
	}
}

// TestMatchOrder checks the order of results: eligible, undetermined in
// play (weightiest first), other undetermined, ineligible; ties in rule
// order.
func TestMatchOrder(t *testing.T) {
	e := mustEngine(t)
	place := map[string]int{}
	for i, b := range e.Benefits() {
		place[b.ID] = i
	}
	for _, js := range []string{fullProfile, partialProfile, `{}`, `{"region":"南康区","profitable":true}`} {
		for _, opts := range []Options{{AsOf: asOf}, {AsOf: asOf, IncludeIneligible: true, IncludeUntouched: true}} {
			out := e.Match(profile(t, js), opts)
			for i := 1; i < len(out.Results); i++ {
				a, b := &out.Results[i-1], &out.Results[i]
				switch {
				case a.rank() > b.rank():
					t.Errorf("%s: %s (rank %d) before %s (rank %d)", js, a.BenefitID, a.rank(), b.BenefitID, b.rank())
				case a.rank() < b.rank() || a.rank() == 3:
					// Ineligible results for other applicants come after
					// the applicant's own, so rule order is not theirs.
				case a.InPlay && a.weight < b.weight:
					t.Errorf("%s: %s (weight %g) before the weightier %s (%g)", js, a.BenefitID, a.weight, b.BenefitID, b.weight)
				case (!a.InPlay || a.weight == b.weight) && place[a.BenefitID] > place[b.BenefitID]:
					t.Errorf("%s: %s before %s, against rule order", js, a.BenefitID, b.BenefitID)
				}
			}
		}
	}
}

// TestBenefitQuotes checks that a benefit quotes the words of its own
// figures, and not those of another benefit of the same clause.
func TestBenefitQuotes(t *testing.T) {
	e := mustEngine(t)
	b, ok := e.Benefit("liuhe-performance-award-later-years")
	if !ok {
		t.Fatal("no liuhe-performance-award-later-years")
	}
	if q := b.Quotes(); !slices.Contains(q, "后两年给予50%的奖励") || slices.Contains(q, "按项目固定资产实际投资额度给企业5%-20%奖励支持") {
		t.Errorf("Quotes() = %q", q)
	}
}

// TestAmountTextUnstated checks that a sum the clause leaves open is told
// with the clause's words and who decides it, never as a figure.
func TestAmountTextUnstated(t *testing.T) {
	e := mustEngine(t)
	on := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ profile, benefit, want string }{
		{`{"applicant_type":"research_institution","region":"南沙区","nstech_new_rd_institution":true,"nstech_rd_hosts_contest":true}`, "nstech-rd-contest-subsidy",
			"金额条文未规定(条文为“根据创业大赛的投入、规模、影响力和成效给予一定额度的补助”),由区科技行政主管部门审定"},
		// 给予一次性奖励 says no more than that there is one: not repeated.
		{`{"region":"南康区","is_industrial":true,"energy_saving_tce":800,"indicators_grew_yoy":true,"energy_product_certified":true}`, "energy-saving-award",
			"金额条文未规定,由受益财政确定"},
	} {
		r := find(e.Match(profile(t, tt.profile), Options{AsOf: on}), tt.benefit)
		if r == nil || r.Status != Eligible {
			t.Fatalf("%s: %+v, want eligible", tt.benefit, r)
		}
		if got := r.AmountText(); got != tt.want {
			t.Errorf("%s: AmountText() = %q, want %q", tt.benefit, got, tt.want)
		}
	}
}

// TestNextGroup checks the next group of units a rate per group pays for
// (每增加30件,增加资助3万元), from the count known.
func TestNextGroup(t *testing.T) {
	e := mustEngine(t)
	b, ok := e.Benefit("nstech-invention-filing-leader-award")
	if !ok {
		t.Fatal("no nstech-invention-filing-leader-award")
	}
	for _, tt := range []struct {
		profile string
		want    string
	}{
		{`{"nstech_prior_year_invention_filings": 60}`, "下一档为90件,奖励9万元"},
		{`{"nstech_prior_year_invention_filings": 89}`, "下一档为90件,奖励9万元"},
		{`{"nstech_prior_year_invention_filings": 30}`, "下一档为60件,奖励6万元"},
	} {
		got, ok := b.NextStep(profile(t, tt.profile))
		if !ok || !strings.Contains(got, tt.want) {
			t.Errorf("%s: NextStep = %q, %v, want it to hold %q", tt.profile, got, ok, tt.want)
		}
	}
	if _, ok := b.NextStep(profile(t, `{"region": "广州市南沙区"}`)); ok {
		t.Error("NextStep with no count known answered")
	}
}

// TestBoundExact checks that a rent subsidy paid per 平方米 and month up to
// a standard, or the rent paid when less, comes to a sum once the rent
// actually paid is known: the rent up to the standard, for the area, under
// the yearly ceiling.
func TestBoundExact(t *testing.T) {
	e := mustEngine(t)
	for _, tt := range []struct {
		id, profile string
		want        int64 // 0: no sum, the bound stands
	}{
		{"nstech-rd-rent-subsidy", `{"nstech_rd_rented_sqm": 3000, "office_rent_per_sqm_month_cny": 35}`, 1260000},
		{"nstech-rd-rent-subsidy", `{"nstech_rd_rented_sqm": 3000, "office_rent_per_sqm_month_cny": 45}`, 1440000}, // above the 40元 standard
		{"nstech-rd-rent-subsidy", `{"nstech_rd_rented_sqm": 5000, "office_rent_per_sqm_month_cny": 45}`, 2000000}, // 240万 over the 200万 ceiling
		{"nstech-rd-rent-subsidy", `{"nstech_rd_rented_sqm": 3000}`, 0},
		// 第六条 says only 最高50元, not that the rent paid is the rate: the
		// sum stays the department's.
		{"nansha-hq-office-rent", `{"nansha_hq_office_rented_sqm": 2000, "office_rent_per_sqm_month_cny": 45}`, 0},
	} {
		b, ok := e.Benefit(tt.id)
		if !ok {
			t.Fatalf("no %s", tt.id)
		}
		v := b.Amount.boundExact(profile(t, tt.profile))
		switch {
		case tt.want == 0 && v != nil:
			t.Errorf("%s %s: sum %d, want the bound", tt.id, tt.profile, v.CNY)
		case tt.want != 0 && (v == nil || v.CNY != tt.want):
			t.Errorf("%s %s: sum %+v, want %d", tt.id, tt.profile, v, tt.want)
		}
	}
}

// TestAmountFixed checks that only a sum the clause fixes whatever the
// facts is told as fixed.
func TestAmountFixed(t *testing.T) {
	e := mustEngine(t)
	for id, want := range map[string]int64{"nstech-ip-standard-grant": 150000, "nansha-talent-gold-skill-award": 0, "bond-financing-award": 0} {
		b, ok := e.Benefit(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		v, ok := b.Amount.Fixed()
		if want == 0 && ok || want != 0 && (!ok || v.CNY != want) {
			t.Errorf("%s: Fixed() = %+v, %v, want %d", id, v, ok, want)
		}
	}
}

// TestTotal checks a total of a clause's kinds (第二十六条): shown, with its
// parts named, only when two parts or more come to a sum, and never loaded
// when it names what is no part.
func TestTotal(t *testing.T) {
	e := mustEngine(t)
	match := func(js string) *Result {
		return find(e.Match(profile(t, js), Options{AsOf: time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)}), "nstech-patent-total")
	}
	r := match(`{"region":"广州市南沙区","applicant_type":"enterprise","nstech_utility_granted_count":6,"nstech_design_granted_count":4}`)
	switch {
	case r == nil || r.Status != Eligible || r.Amount == nil:
		t.Fatalf("two kinds: got %+v, want an eligible total", r)
	case r.Amount.CNY != 8000 || !strings.Contains(r.Amount.Basis, "实用新型专利授权资助6000元 + 外观设计专利授权资助2000元 = 8000元"):
		t.Errorf("two kinds: amount %d, basis %q", r.Amount.CNY, r.Amount.Basis)
	case !slices.Equal(r.TotalOf[:2], []string{"nstech-patent-invention-filing", "nstech-patent-invention-grant"}):
		t.Errorf("total_of = %v", r.TotalOf)
	}
	if r := match(`{"region":"广州市南沙区","applicant_type":"enterprise","nstech_utility_granted_count":6}`); r != nil {
		t.Errorf("one kind: got a total %+v, want none", r)
	}

	fsys := fstest.MapFS{}
	if err := fs.WalkDir(kb.Embedded(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(kb.Embedded(), name)
		fsys[name] = &fstest.MapFile{Data: raw}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ old, new, want string }{
		{"of: [nstech-patent-invention-filing,", "of: [ganzhou-no-such-benefit,", `total.of: "ganzhou-no-such-benefit" is no benefit of its document`},
		{"of: [nstech-patent-invention-filing,", "of: [nstech-patent-total,", "nstech-patent-total is a total itself"},
		{"of: [nstech-patent-invention-filing, nstech-patent-invention-grant, nstech-patent-utility-grant, nstech-patent-design-grant, nstech-patent-pct, nstech-patent-us-jp-eu, nstech-patent-other-foreign, nstech-patent-first-invention]", "of: [nstech-patent-pct]", "total.of: name two benefits or more"},
	} {
		const file = "nansha-2017-tech/rules.yaml"
		orig := string(fsys[file].Data)
		if !strings.Contains(orig, tt.old) {
			t.Fatalf("%s lacks %q", file, tt.old)
		}
		fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(orig, tt.old, tt.new, 1))}
		base, err := kb.Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load(fsys, base); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error = %v, want %q", err, tt.want)
		}
		fsys[file] = &fstest.MapFile{Data: []byte(orig)}
	}
}

// TestNextBand checks the band above a known figure, of awards by bands and
// of rates per unit by bands.
func TestNextBand(t *testing.T) {
	e := mustEngine(t)
	for _, tt := range []struct{ benefit, profile, want string }{
		{"nansha-hq-settlement-tax", `{"nansha_hq_prior_year_tax_cny":25000000}`, "属2000万元(含)至4000万元(不含)档,奖励600万元;下一档为4000万元(含)至8000万元(不含),奖励1000万元"},
		{"nansha-hq-settlement-tax", `{"nansha_hq_prior_year_tax_cny":9000000}`, "尚未达到最低一档;最低一档为1000万元(含)至2000万元(不含),奖励300万元"},
		{"nansha-hq-settlement-tax", `{"nansha_hq_prior_year_tax_cny":200000000}`, "已属最高一档"},
		{"liuhe-herb-base-award", `{"liuhe_new_herb_base_mu":300}`, "下一档为超过500亩,每亩200元"},
		{"nansha-hq-settlement-tax", `{"region":"广州市南沙区"}`, "按上一年度在南沙区纳税总额分档:1000万元(含)至2000万元(不含)奖励300万元;"},
	} {
		b, ok := e.Benefit(tt.benefit)
		if !ok {
			t.Fatalf("no benefit %s", tt.benefit)
		}
		got, ok := b.NextStep(profile(t, tt.profile))
		if !ok || !strings.Contains(got, tt.want) {
			t.Errorf("%s %s: NextStep = %q, %v; want it to say %q", tt.benefit, tt.profile, got, ok, tt.want)
		}
	}
}
