package dialogue

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fact is the part of a Mention most tests check.
type fact struct {
	Key    string
	Value  any
	Approx bool
}

func factsOf(u Understanding) []fact {
	var out []fact
	for _, m := range u.Mentions {
		out = append(out, fact{m.Key, m.Value, m.Approx})
	}
	return out
}

// understandCase is one message and the facts it states. The tables are
// package variables so that FuzzUnderstand is seeded with every sentence.
type understandCase struct {
	name string
	text string
	ctx  Context
	want []fact
}

var park, county = Context{ApplicantType: "industrial_park"}, Context{ApplicantType: "county"}

var figureCases = []understandCase{
	{"this year", "我们今年营收12个亿", Context{}, []fact{{"main_revenue_cny", int64(1200000000), false}}},
	{"current year", "当年主营业务收入6亿元", Context{}, []fact{{"main_revenue_cny", int64(600000000), false}}},
	{"this fiscal year", "本年度销售收入3500万元", Context{}, []fact{{"main_revenue_cny", int64(35000000), false}}},
	{"operating income", "营业收入1.05亿", Context{}, []fact{{"main_revenue_cny", int64(105000000), false}}},
	{"output value", "产值两亿", Context{}, []fact{{"main_revenue_cny", int64(200000000), false}}},
	{"sales after figure", "今年做了3个多亿的销售", Context{}, []fact{{"main_revenue_cny", int64(300000000), true}}},
	{"breakthrough is more than the figure", "今年主营业务收入首次突破10亿元", Context{}, []fact{{"main_revenue_cny", int64(1000000000), true}}},
	{"per unit from a total and a count", "项目固定资产投资额1.5个亿,占地100亩", Context{}, []fact{
		{"liuhe_fixed_asset_investment_cny", int64(150000000), false}, {"liuhe_investment_per_mu_cny", int64(1500000), false}}},
	{"per unit between two yuan", "项目固定资产投资额1个亿,用地面积30亩", Context{}, []fact{
		{"liuhe_fixed_asset_investment_cny", int64(100000000), false}, {"liuhe_investment_per_mu_cny", int64(3333333), true}}},
	{"per unit of an approximate count", "项目固定资产投资额1.2亿,占地大概100亩", Context{}, []fact{
		{"liuhe_fixed_asset_investment_cny", int64(120000000), false}, {"liuhe_investment_per_mu_cny", int64(1200000), true}}},
	{"per unit said stands", "项目固定资产投资额1.5亿,亩均投资120万,占地100亩", Context{}, []fact{
		{"liuhe_fixed_asset_investment_cny", int64(150000000), false}, {"liuhe_investment_per_mu_cny", int64(1200000), false}}},
	{"a count without its total", "占地100亩", Context{}, nil},
	{"a step passed in earlier years", "50亿那个台阶前几年就上过了", Context{}, []fact{{"prior_max_revenue_cny", int64(5000000000), true}}},
	{"a step not passed", "营收10亿的门槛还没过", Context{}, []fact{{"main_revenue_cny", int64(1000000000), true}}},
	{"a step named, nothing said of it", "10亿这个台阶是什么意思", Context{}, nil},
	{"an upper bound of a little over", "往年最多也就9亿出头", Context{}, []fact{{"prior_max_revenue_cny", int64(900000000), true}}},
	{"previous highest", "以前最高8亿", Context{}, []fact{{"prior_max_revenue_cny", int64(800000000), false}}},
	{"a price per area and month is no total but the price", "厂房每平米每月租金80块", Context{}, []fact{
		{"nstech_rents_office_in_district", true, false}, {"office_rent_per_sqm_month_cny", int64(80), false}}},
	{"a price of a fraction of a yuan is not rounded", "厂房每平米每月租金17.5元", Context{}, nil},
	{"a price per area after the figure", "租金60元/平方米", Context{}, nil},
	{"a figure per mu of a fact per mu", "每亩投资120万", Context{}, []fact{{"liuhe_investment_per_mu_cny", int64(1200000), false}}},
	{"an office rented, its area", "本部在南沙租了1500平方米的写字楼自用", Context{}, []fact{{"region", "南沙区", false},
		{"nansha_hq_office_rented", true, false}, {"nstech_rents_office_in_district", true, false}, {"nansha_hq_office_rented_sqm", 1500.0, false}}},
	{"a level reached", "营收今年上了10亿", Context{}, []fact{{"main_revenue_cny", int64(1000000000), true}}},
	{"a figure reached is no level", "营收今年上了103亿", Context{}, []fact{{"main_revenue_cny", int64(10300000000), false}}},
	{"the clause's topic before its cue", "今年给企业做科技服务实际收入600万", Context{}, []fact{{"nstech_platform_service_income_cny", int64(6000000), false}}},
	{"a digit after 万 before a measure word counts that", "亩均投资算下来一百一十万一亩", Context{}, []fact{{"liuhe_investment_per_mu_cny", int64(1100000), false}}},
	{"a salary said 应纳税工资", "年度应纳税工资二十五万", Context{ApplicantType: "talent"}, []fact{
		{"nansha_hq_talent_salary_cny", int64(250000), false}, {"nansha_annual_taxable_salary_cny", int64(250000), false}}},
	{"the exact figure of one told roughly", "查了下准确是53600", Context{Pending: "nansha_personal_economic_contribution_cny",
		Values: map[string]any{"nansha_personal_economic_contribution_cny": int64(50000)}, Approx: []string{"nansha_personal_economic_contribution_cny"}},
		[]fact{{"nansha_personal_economic_contribution_cny", int64(53600), false}}},
	{"a plain number far from the rough figure", "查了下准确是53", Context{Pending: "nansha_personal_economic_contribution_cny",
		Values: map[string]any{"nansha_personal_economic_contribution_cny": int64(50000)}, Approx: []string{"nansha_personal_economic_contribution_cny"}}, nil},
	{"steps listed share what is said of the last", "今年210亿,以前最高195亿,50亿、100亿台阶的奖早就拿过了", Context{}, []fact{
		{"main_revenue_cny", int64(21000000000), false}, {"prior_max_revenue_cny", int64(19500000000), false}}},
	{"two steps named together", "5亿和10亿那两个台阶以前都上过了,今年营收18亿", Context{}, []fact{
		{"prior_max_revenue_cny", int64(1000000000), true}, {"main_revenue_cny", int64(1800000000), false}}},
	{"the figure approved is the exact one of a rough one", "刚问了，预算批下来是2.95亿", Context{Recent: []string{"project_productive_assets_cny"},
		Values: map[string]any{"project_productive_assets_cny": int64(300000000)}, Approx: []string{"project_productive_assets_cny"}},
		[]fact{{"project_productive_assets_cny", int64(295000000), false}}},
	{"a count corrected alone gives the per-unit figure from the total told", "说错了，占地是50亩整", Context{Recent: []string{"liuhe_fixed_asset_investment_cny", "liuhe_investment_per_mu_cny"},
		Values: map[string]any{"liuhe_fixed_asset_investment_cny": 50000000.0, "liuhe_investment_per_mu_cny": 961538.0}}, []fact{{"liuhe_investment_per_mu_cny", int64(1000000), false}}},
	{"a bound word after the count's unit", "项目固定资产投资额6000万,用地60亩左右", Context{}, []fact{
		{"liuhe_fixed_asset_investment_cny", int64(60000000), false}, {"liuhe_investment_per_mu_cny", int64(1000000), true}}},
	{"a count said again without its cue", "国土那边确认了，是62亩", Context{Recent: []string{"liuhe_fixed_asset_investment_cny", "liuhe_investment_per_mu_cny"},
		Values: map[string]any{"liuhe_fixed_asset_investment_cny": 60000000.0, "liuhe_investment_per_mu_cny": 1000000.0}, Approx: []string{"liuhe_investment_per_mu_cny"}},
		[]fact{{"liuhe_investment_per_mu_cny", int64(967742), true}}},
	{"a count of no per figure told", "是62亩", Context{}, nil},
	{"a prefecture with no counties is a seat", "我们是东莞的企业", Context{}, []fact{{"region", "东莞市", false}, {"applicant_type", "enterprise", false}}},
	{"the exact figure of one told roughly, while another question is pending", "统计局刚出的准数是103.6亿，以前最高是91亿", Context{ApplicantType: "county", Pending: "leading_industries_prior_max_revenue_cny",
		Recent: []string{"leading_industries_revenue_cny"}, Values: map[string]any{"leading_industries_revenue_cny": 10200000000.0}, Approx: []string{"leading_industries_revenue_cny"}}, []fact{
		{"leading_industries_revenue_cny", int64(10360000000), false}, {"leading_industries_prior_max_revenue_cny", int64(9100000000), false}}},
	{"a cue right after a figure over a heading of any financing", "今年融资情况：两千五百万公司债，另外银行流贷1.5亿", Context{}, []fact{
		{"bond_financing_cny", int64(25000000), false}, {"has_bank_loan", true, false}}},
	{"a denial of one option beside another option stated", "不好意思刚才说错了，不是创业板上市，是在新三板挂的牌，还没上市呢", Context{Recent: []string{"listing_status"}, Values: map[string]any{"listing_status": "listed"}}, []fact{
		{"liuhe_listing_board", "none", false}, {"listing_status", "neeq", false}}},
	{"a total said after a part left out replaces the count", "不好意思统计漏了一部分,上一年度一共是61件", Context{Recent: []string{"nstech_prior_year_invention_filings"}, Values: map[string]any{"nstech_prior_year_invention_filings": 30.0}}, []fact{
		{"nstech_prior_year_invention_filings", 61.0, false}}},
	{"an A-not-A known later is no denial", "这个现在说不好，年底审计完才知道盈没盈利", Context{Pending: "profitable"}, nil},
	{"what lasts until a later day holds now", "高企证书2021年底才到期", Context{Recent: []string{"region"}, Values: map[string]any{"region": "南沙区"}}, []fact{
		{"nstech_hte_cert_valid", true, false}}},
	{"来 before a measure word approximates a count", "会议来了80来人", Context{Recent: []string{"region"}, Values: map[string]any{"region": "南沙区"}}, []fact{
		{"nstech_conference_attendees", 80.0, true}}},
	{"a clause of the speaker, said again, goes on with the noun before", "我是广州南沙一家新型研发机构的人事，我们是省认定的。", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "research_institution", false}, {"nstech_new_rd_institution", true, false}, {"nstech_rd_recognised", true, false}}},
	{"a part excluded and denied leaves the rest", "哦补充下，这1万平里面有2000平是食堂和停车场这些配套用房，不是办公", Context{Recent: []string{"nansha_hq_office_bought_sqm"}, Values: map[string]any{"nansha_hq_office_bought_sqm": 10000.0, "region": "南沙区"}}, []fact{
		{"nansha_hq_office_bought_sqm", 8000.0, false}}},
	{"a recognition wished for is not granted", "建筑业企业，想在南沙认定总部", Context{}, []fact{
		{"nansha_hq_industry", "construction", false}, {"region", "南沙区", false}, {"nansha_hq_recognised", false, false}}},
	{"a figure remeasured corrects the one of its unit", "重新丈量了一下，是501亩", Context{Recent: []string{"region", "liuhe_new_herb_base", "liuhe_new_herb_base_mu"}, Values: map[string]any{"region": "柳河县", "liuhe_new_herb_base": true, "liuhe_new_herb_base_mu": 500.0}}, []fact{
		{"liuhe_new_herb_base_mu", 501.0, false}}},
	{"an answer counts in the unit of the question's figure", "以前最高也就四十出头吧", Context{Pending: "cluster_prior_max_revenue_cny", Previous: "我们园区县域特色产业集群主营业务收入今年达到了五十二个亿"}, []fact{
		{"cluster_prior_max_revenue_cny", int64(4000000000), true}}},
	{"a bare answer counts in the question's unit", "最高45", Context{Pending: "cluster_prior_max_revenue_cny", Previous: "我们园区县域特色产业集群主营业务收入今年达到了五十二个亿"}, []fact{
		{"cluster_prior_max_revenue_cny", int64(4500000000), false}}},
	{"a word of one numeral is no bare answer", "记不清了 好几年前的账一时找不到", Context{Pending: "prior_max_revenue_cny", Previous: "规上工业企业 今年主营收人21亿 盈利"}, nil},
	{"a kind taken back takes off the figure said of it", "票据那笔先别算，钱还没到账", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 200000000.0}, Previous: "另外还有一笔，5000万的中期票据，上个月刚发的"}, []fact{
		{"bond_financing_cny", int64(150000000), false}}},
	{"补 of topping up is no award", "实缴补到1个亿", Context{Recent: []string{"nansha_hq_paid_in_capital_cny"}, Values: map[string]any{"nansha_hq_paid_in_capital_cny": 80000000.0, "region": "南沙区"}}, []fact{
		{"nansha_hq_paid_in_capital_cny", int64(100000000), false}}},
	{"a derived short form said as the seat", "梅河口的企业 俺们去年已经在创业板上市了", Context{}, []fact{
		{"region", "梅河口市", false}, {"applicant_type", "enterprise", false}, {"liuhe_listing_board", "sme_growth_board", false}, {"listing_status", "listed", false}}},
	{"an apology that goes on with a figure corrects, and the old figure names no fact", "不好意思，是58件，65件是连实用新型一起算的", Context{Recent: []string{"nstech_prior_year_invention_filings"}, Values: map[string]any{"nstech_prior_year_invention_filings": 65.0, "region": "南沙区"}, Year: 2019}, []fact{
		{"nstech_prior_year_invention_filings", 58.0, false}}},
	{"the award told, taken, is no figure of the speaker's", "那我们今年拿了这3万以后,要是今年申请量做到100件,明年再申请能拿多少", Context{Recent: []string{"nstech_prior_year_invention_filings"}, Values: map[string]any{"nstech_prior_year_invention_filings": 58.0, "region": "南沙区"}, Year: 2019}, nil},
	{"in a correction, the prior year said in its own words stays the prior", "不对不对，103亿是全县所有规上工业的，九大主导产业的只有61亿，以前最高48亿", Context{ApplicantType: "county", Recent: []string{"leading_industries_revenue_cny", "leading_industries_prior_max_revenue_cny"}, Values: map[string]any{"leading_industries_revenue_cny": 10300000000.0, "leading_industries_prior_max_revenue_cny": 9600000000.0, "region": "会昌县", "applicant_type": "county"}}, []fact{
		{"applicant_type", "county", false}, {"leading_industries_revenue_cny", int64(6100000000), false}, {"leading_industries_prior_max_revenue_cny", int64(4800000000), false}}},
	{"a level granted stands beside another not yet approved", "我们是章贡区的工业企业，今年刚被认定为省级两化融合示范企业；国家级的也报上去了，还没批下来", Context{}, []fact{
		{"region", "章贡区", false}, {"is_industrial", true, false}, {"applicant_type", "enterprise", false}, {"informatization_demo", "provincial", false}}},
	{"a trait still applied for is not so", "我们公司注册在南沙，国家高新技术企业还在申报，专家评审过了但还没公示，证书没拿到。", Context{}, []fact{
		{"applicant_type", "enterprise", false}, {"region", "南沙区", false}, {"nstech_national_hte", false, false}}},
	{"a denial restated after its option stands", "我们已经上市了，不对，还没上市", Context{}, []fact{
		{"listing_status", "none", false}}},
	{"a figure told of a fact denied, said to be something else", "说错了，8000万那笔其实是银行贷款，不是票据", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 80000000.0}}, []fact{
		{"has_bank_loan", true, false}, {"nstech_commercial_bank_loan", true, false}}},
	{"a count of another fact in the unit is no per-mu count", "我们还新发展了中药材种植基地600亩", Context{Recent: []string{"liuhe_investment_per_mu_cny"},
		Values: map[string]any{"liuhe_fixed_asset_investment_cny": 60000000.0, "liuhe_investment_per_mu_cny": 1000000.0}}, []fact{
		{"liuhe_new_herb_base", true, false}, {"liuhe_mineral_resource_project", false, false}, {"liuhe_new_herb_base_mu", 600.0, false}}},
	{"a count without cue and no confirmation is no per-mu count", "另外还租了一块30亩的地做仓库", Context{Recent: []string{"liuhe_investment_per_mu_cny"},
		Values: map[string]any{"liuhe_fixed_asset_investment_cny": 60000000.0, "liuhe_investment_per_mu_cny": 1000000.0}}, nil},
	{"a part said again as told keeps the sum", "公司债那笔是1.2个亿没错", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 200000000.0},
		Said: map[string]string{"bond_financing_cny": "中期票据8000万+公司债1.2个亿"}}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"two fields on one line keep their answers apart", "今年新落户南沙 是否已认定：否", Context{}, []fact{
		{"nansha_newly_settled_graduate", true, false}, {"nstech_newly_settled", true, false}, {"region", "南沙区", false}}},
	{"another firm's HQ elsewhere is no HQ of the speaker", "我们刚在南沙注册了一家子公司，总部在上海", Context{}, []fact{{"region", "南沙区", false}}},
	{"an HQ of a trade says the definition of 总部型企业", "批发业总部，今年新落户南沙", Context{}, []fact{
		{"nansha_hq_industry", "wholesale", false}, {"nansha_hq_definition_met", true, false}, {"nansha_newly_settled_graduate", true, false}, {"nstech_newly_settled", true, false}, {"region", "南沙区", false}}},
	{"the HQ recognition granted", "总部认定也批下来了", Context{}, []fact{{"nansha_hq_recognised", true, false}}},
	{"a forward names the applicant after 转来", "投诉平台转来：广州南沙知联知识产权代理有限公司（注册在南沙区）申请奖励被拒", Context{}, []fact{
		{"applicant_type", "service_institution", false}, {"nstech_ip_service_recognised", true, false}, {"region", "南沙区", false}}},
	{"非 of a name denies nothing", "知名国际组织在南沙设立了外国非企业经济组织代表机构作为亚太地区总部", Context{}, []fact{
		{"nansha_intl_org_hq_new_settled", true, false}, {"region", "南沙区", false}}},
	{"挂牌 without a market is the 新三板's", "上个月已经挂牌成功了", Context{}, []fact{{"listing_status", "neeq", false}}},
	{"a regional market named with 挂牌", "在吉林股权交易中心已经挂牌成功", Context{}, []fact{{"listing_status", "regional_equity", false}}},
	{"a level corrected moves the figure to its sibling", "说错了，是省级的不是国家级", Context{Recent: []string{"nstech_national_project_funding_cny"}, Values: map[string]any{"nstech_national_project_funding_cny": 4000000.0}}, []fact{
		{"nstech_provincial_project_funding_cny", int64(4000000), false}}},
	{"a level denied, the figure said with its own words", "不好意思说错了，不是国家级，是省级的项目，省里给了300万", Context{Recent: []string{"nstech_national_project_funding_cny"}, Values: map[string]any{"nstech_national_project_funding_cny": 6000000.0}}, []fact{
		{"nstech_provincial_project_funding_cny", int64(3000000), false}}},
	{"a form's yes/no field answers the fact its label names", "企业注册地：柳河县\n所属产业：医药健康（重点产业）\n是否采矿、选矿或矿产初级加工项目：否", Context{}, []fact{
		{"region", "柳河县", false}, {"liuhe_key_industry_new_project", true, false}, {"industry", "biopharma", false}, {"liuhe_mineral_resource_project", false, false}}},
	{"no year above a figure, the year said being it", "园区集群今年主营业务收入101亿元，去年92亿，之前没有哪一年超过92亿", Context{ApplicantType: "industrial_park"}, []fact{
		{"cluster_revenue_cny", int64(10100000000), false}, {"cluster_prior_max_revenue_cny", int64(9200000000), false}}},
	{"a form's 园区 field names a park", "园区：瑞金经济技术开发区\n县域特色产业集群主营业务收入：今年152亿\n以前年度最高：146亿", Context{}, []fact{
		{"applicant_type", "industrial_park", false}, {"region", "瑞金经济技术开发区", false}, {"cluster_revenue_cny", int64(15200000000), false}, {"cluster_prior_max_revenue_cny", int64(14600000000), false}}},
	{"how far a count was off is no count", "不对，博士是5个，我少数了两个", Context{ApplicantType: "research_institution", Recent: []string{"nstech_rd_phd_count"}}, []fact{{"nstech_rd_phd_count", 5.0, false}}},
	{"a cue naming where a figure of a year was read", "我查了个税app，去年是31.6万", Context{ApplicantType: "talent", Pending: "nansha_annual_taxable_salary_cny"}, []fact{{"nansha_annual_taxable_salary_cny", int64(316000), false}}},
	{"another kind said later adds to the total", "哦对了还有，上半年还发过一期5000万的中期票据", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0},
		Said: map[string]string{"bond_financing_cny": "今年发了1.5亿公司债"}}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"another kind alone adds to the total", "中期票据5000万", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0},
		Said: map[string]string{"bond_financing_cny": "今年发了1.5亿公司债"}}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"the same kind again restates", "公司债1.6亿", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0},
		Said: map[string]string{"bond_financing_cny": "今年发了1.5亿公司债"}}, []fact{{"bond_financing_cny", int64(160000000), false}}},
	{"an order without a digit", "今年营收亿级", Context{}, []fact{{"main_revenue_cny", int64(100000000), true}}},
	{"千万 without 级 is no figure", "营收千万不要搞错", Context{}, nil},
	{"the message's unit", "今年营收两千五,单位万元", Context{}, []fact{{"main_revenue_cny", int64(25000000), false}}},
	{"a field's unit", "2025年主营业务收入(万元):63000", Context{}, []fact{{"assessment_year", int64(2025), false}, {"main_revenue_cny", int64(630000000), false}}},
	{"the speaker's 单位 names no unit", "我们单位万一营收达不到5000怎么办", Context{}, nil},
	{"a unit of no money", "今年营收2500,单位是个", Context{}, nil},
	{"recognised, said with 新认定为", "今年刚被新认定为国家级两化融合示范企业", Context{}, []fact{{"informatization_demo", "national", false}}},
	{"half a year more", "在区内企业干了三年半", Context{ApplicantType: "talent"}, []fact{{"nansha_years_in_district_enterprise", 3.5, false}}},
	{"half a month more", "每年在中国住了7个半月", Context{ApplicantType: "talent"}, []fact{{"nansha_months_resident_per_year", 7.5, false}}},
	{"no half person", "在岗全职博士12个半", Context{}, nil},
	{"an item named by another fact's option is none of the count", "博士12个、硕士30个,另外本科20个", Context{}, []fact{
		{"nstech_rd_phd_count", 12.0, false}, {"nstech_rd_master_count", 30.0, false}, {"nansha_fulltime_degree", "bachelor", false}}},
	{"items counted one by one add up", "新发展了中药材种植基地,两块地,一块300亩,一块200亩", Context{}, []fact{
		{"liuhe_new_herb_base", true, false}, {"liuhe_mineral_resource_project", false, false}, {"liuhe_new_herb_base_mu", 500.0, false}}},
	{"items counted by ordinals add up", "实缴注册资本分两笔到位,第一笔1200万美元,第二笔800万美元", Context{}, []fact{{"nansha_hq_paid_in_capital_usd", 20000000.0, false}}},
	{"an award's figure between leaves the series", "前年主营收入10.3亿,那年已经领过10万的奖了;去年9.8亿;今年12.6亿", Context{}, []fact{
		{"prior_max_revenue_cny", int64(1030000000), false}, {"main_revenue_cny", int64(1260000000), false}}},
	{"the place moved from is not the seat", "注册地:南沙区(2018年3月由黄埔区迁入)", Context{}, []fact{{"region", "南沙区", false}, {"nstech_newly_settled", true, false}}},
	{"an ordinal after its cue", "柳河的重点产业新上项目,认定后第四年", Context{}, []fact{
		{"region", "柳河县", false}, {"liuhe_key_industry_new_project", true, false}, {"liuhe_mineral_resource_project", false, false}, {"liuhe_performance_year", 4.0, false}}},
	{"当年 after the cue is the first", "今年是认定当年", Context{}, []fact{{"liuhe_performance_year", 1.0, false}}},
	{"an ordinal in an answer", "第三年", Context{Pending: "liuhe_performance_year"}, []fact{{"liuhe_performance_year", 3.0, false}}},
	{"an ordinal in a correction", "说错了,是第三年", Context{Recent: []string{"liuhe_performance_year"}, Values: map[string]any{"liuhe_performance_year": 2.0}}, []fact{{"liuhe_performance_year", 3.0, false}}},
	{"no count of years is an ordinal", "承诺纳税3年", Context{}, []fact{{"tax_commitment_years", 3.0, false}}},
	{"words of the fact's own outweigh an implication", "柳河的铁矿选矿项目,也算重点产业新上项目吧", Context{}, []fact{
		{"region", "柳河县", false}, {"liuhe_mineral_resource_project", true, false}, {"liuhe_key_industry_new_project", true, false}}},
	{"an idiom that affirms", "项目固定资产3亿,两年内投产没问题", Context{}, []fact{
		{"project_productive_assets_cny", int64(300000000), false}, {"project_in_production_within_2y", true, false}}},
	{"a loan's interest says there is a loan", "我们是小微企业,贷款利息太高了", Context{}, []fact{
		{"enterprise_scale", "small", false}, {"applicant_type", "enterprise", false}, {"has_bank_loan", true, false}}},
	{"a past year says a deed is done", "柳河的重点产业新上项目2024年投产", Context{Year: 2026}, []fact{
		{"region", "柳河县", false}, {"liuhe_key_industry_new_project", true, false}, {"liuhe_mineral_resource_project", false, false}, {"liuhe_project_in_production", true, false}}},
	{"a later year says it is not yet", "柳河的重点产业新上项目2030年投产", Context{Year: 2026}, []fact{
		{"region", "柳河县", false}, {"liuhe_key_industry_new_project", true, false}, {"liuhe_mineral_resource_project", false, false}, {"liuhe_project_in_production", false, false}}},
	{"a year ahead says a deed is not done", "柳河的重点产业新上项目,预计2030年投产", Context{Year: 2026}, []fact{
		{"region", "柳河县", false}, {"liuhe_key_industry_new_project", true, false}, {"liuhe_mineral_resource_project", false, false}}},
	{"a part said in a later turn adds to the earlier", "后来又发了5000万的公司债", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0}}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"a figure another party gives is the speaker's", "另外还有一笔,上个月另一家创投又投了80万", Context{Recent: []string{"nstech_vc_investment_received_cny"}, Values: map[string]any{"nstech_vc_investment_received_cny": 1500000.0}},
		[]fact{{"nstech_vc_investment_received_cny", int64(2300000), false}}},
	{"漏了 before 还有 adds to the earlier", "漏了一笔,还有300万的印花税和附加税也是去年在南沙交的", Context{Recent: []string{"nansha_hq_prior_year_tax_cny"}, Values: map[string]any{"nansha_hq_prior_year_tax_cny": 18000000.0}},
		[]fact{{"nansha_hq_prior_year_tax_cny", int64(21000000), false}, {"region", "南沙区", false}}},
	{"a second item of a fact of one item is none of it", "另外还有一笔贷款,利息30万,能一起贴吗", Context{Recent: []string{"nstech_loan_interest_cny"}, Values: map[string]any{"nstech_loan_interest_cny": 420000.0}}, []fact{{"has_bank_loan", true, false}}},
	{"a part said in the clause before adds to the earlier", "另外还有一笔,5000万的公司债", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0}}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"还有 after 另外 adds to the earlier", "另外年终奖那块,个人经济贡献还有2万", Context{ApplicantType: "talent", Recent: []string{"nansha_personal_economic_contribution_cny"}, Values: map[string]any{"nansha_personal_economic_contribution_cny": 70000.0}},
		[]fact{{"nansha_personal_economic_contribution_cny", int64(90000), false}}},
	{"另外…还发了 adds to the earlier", "另外上个月还发了5000万的短融,就是票据", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0}}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"很多 counts, it changes nothing", "今年申请了很多发明专利30件", Context{Recent: []string{"nstech_invention_filed_count"}, Values: map[string]any{"nstech_invention_filed_count": 20.0}}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_invention_filed_count", 30.0, false}}},
	{"a figure said again in a later turn replaces the earlier", "发了5000万的公司债", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 150000000.0}}, []fact{{"bond_financing_cny", int64(50000000), false}}},
	{"an update of a figure said before", "现在是2300万了", Context{Recent: []string{"liuhe_patent_product_sales_cny"}, Values: map[string]any{"liuhe_patent_product_sales_cny": int64(20000000)}}, []fact{{"liuhe_patent_product_sales_cny", int64(23000000), false}}},
	{"a sentence going back to a figure", "纳税那个数是连代扣的个税一起算的，单算企业的是1950万", Context{Recent: []string{"nansha_hq_prior_year_tax_cny"}}, []fact{{"nansha_hq_prior_year_tax_cny", int64(19500000), false}}},
	{"options denied after them", "我们新三板挂牌了 主板创业板都没上", Context{}, []fact{{"listing_status", "neeq", false}, {"liuhe_listing_board", "none", false}}},
	{"the option said with the fact's words", "硕士是在职读的 全日制的只有本科", Context{ApplicantType: "talent", Recent: []string{"nansha_fulltime_degree"}}, []fact{{"nansha_fulltime_degree", "bachelor", false}}},
	{"never reached is of earlier years", "以前最高是去年的8亿,没上过10亿", Context{}, []fact{{"prior_max_revenue_cny", int64(800000000), false}}},
	{"never reached after an exact figure", "今年营收8亿,没上过10亿", Context{}, []fact{{"main_revenue_cny", int64(800000000), false}, {"prior_max_revenue_cny", int64(1000000000), true}}},
	{"never reached alone", "今年营收12亿 没上过10亿", Context{}, []fact{{"main_revenue_cny", int64(1200000000), false}, {"prior_max_revenue_cny", int64(1000000000), true}}},
	{"cluster's never reached", "查了一下 以前最高是去年的138亿，没上过150亿", Context{ApplicantType: "industrial_park", Pending: "cluster_prior_max_revenue_cny"}, []fact{{"cluster_prior_max_revenue_cny", int64(13800000000), false}}},
	{"best year is the previous highest", "今年10.5亿,最好的年份也就九亿", Context{}, []fact{
		{"main_revenue_cny", int64(1050000000), false}, {"prior_max_revenue_cny", int64(900000000), true}}},
	{"a period said in the clause before", "去年营收11亿6千万,前年是以前最高的一年,8亿9", Context{}, []fact{
		{"main_revenue_cny", int64(1160000000), false}, {"prior_max_revenue_cny", int64(890000000), false}}},
	{"parts asked to be added", "公司债1.5个亿,短融5000万,加起来能奖多少", Context{}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"a total stated is not added again", "公司债1亿,短融5000万,总共1.5亿", Context{}, []fact{{"bond_financing_cny", int64(150000000), false}}},
	{"a figure of a noun of no fact is not added", "发了短融8000万和中票2000万,另外还有一笔5000万的银行贷款", Context{}, []fact{
		{"bond_financing_cny", int64(100000000), false}, {"has_bank_loan", true, false}, {"nstech_commercial_bank_loan", true, false}}},
	{"a later time in its own clause only", "将来打算上市,今年营收3个亿", Context{}, []fact{{"main_revenue_cny", int64(300000000), false}}},
	{"a sum come only just is come", "实缴注册资本2000万上个月才到位", Context{}, []fact{{"nansha_hq_paid_in_capital_cny", int64(20000000), false}}},
	{"a sum to come next month is none", "实缴注册资本4800万,还有200万下个月才进来", Context{}, []fact{{"nansha_hq_paid_in_capital_cny", int64(48000000), false}}},
	{"a peak above a figure is no 高超", "营收以前最高超9亿", Context{}, []fact{{"prior_max_revenue_cny", int64(900000000), true}}},
	{"historic high", "今年10.3亿,历史最高9亿", Context{}, []fact{
		{"main_revenue_cny", int64(1030000000), false}, {"prior_max_revenue_cny", int64(900000000), false}}},
	{"most before", "营收今年五千多万,之前最多三千万", Context{}, []fact{
		{"main_revenue_cny", int64(50000000), true}, {"prior_max_revenue_cny", int64(30000000), false}}},
	{"past highest", "今年主营业务收入6亿元,过去最高4.8亿元", Context{}, []fact{
		{"main_revenue_cny", int64(600000000), false}, {"prior_max_revenue_cny", int64(480000000), false}}},
	{"last year beside this year", "今年营收12个亿,去年9亿", Context{}, []fact{
		{"main_revenue_cny", int64(1200000000), false}, {"prior_max_revenue_cny", int64(900000000), false}}},
	{"last year first", "去年是9亿,今年做到了11亿", Context{}, []fact{
		{"prior_max_revenue_cny", int64(900000000), false}, {"main_revenue_cny", int64(1100000000), false}}},
	{"highest of earlier years", "今年12亿,去年9亿,前年10亿", Context{}, []fact{
		{"main_revenue_cny", int64(1200000000), false}, {"prior_max_revenue_cny", int64(1000000000), false}}},
	{"last year alone is the assessed year", "我们去年营收9亿", Context{}, []fact{{"main_revenue_cny", int64(900000000), false}}},
	{"last year alone after this year was given", "去年9亿", Context{Recent: []string{"main_revenue_cny"}}, []fact{
		{"prior_max_revenue_cny", int64(900000000), false}}},
	{"calendar years", "2024年营收8亿,2025年营收11亿", Context{}, []fact{
		{"prior_max_revenue_cny", int64(800000000), false}, {"assessment_year", int64(2025), false}, {"main_revenue_cny", int64(1100000000), false}}},
	{"enterprise bond", "今年发了3亿元企业债", Context{}, []fact{{"bond_financing_cny", int64(300000000), false}}},
	{"bond issue", "今年发行债券2亿元", Context{}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"notes", "今年我们通过发行票据融资了5000万元,能奖励多少?", Context{}, []fact{{"bond_financing_cny", int64(50000000), false}}},
	{"note financing", "票据融资5000万", Context{}, []fact{{"bond_financing_cny", int64(50000000), false}}},
	{"medium-term notes", "发了一亿两千万的中票", Context{}, []fact{{"bond_financing_cny", int64(120000000), false}}},
	{"short-term", "短融8000万", Context{}, []fact{{"bond_financing_cny", int64(80000000), false}}},
	{"bond and revenue", "今年营收12亿,发债3亿", Context{}, []fact{
		{"main_revenue_cny", int64(1200000000), false}, {"bond_financing_cny", int64(300000000), false}}},
	{"last year's bond is no fact", "去年发债3亿", Context{}, nil},
	{"first breakthrough", "今年营收首次突破5亿,以前都没超过5亿", Context{}, []fact{
		{"main_revenue_cny", int64(500000000), true}, {"prior_max_revenue_cny", int64(500000000), true}}},
	{"years below are a bound", "承诺纳税不到5年", Context{}, []fact{{"tax_commitment_years", float64(5), true}}},
	{"productive assets", "生产性固定资产3.2亿", Context{}, []fact{{"project_productive_assets_cny", int64(320000000), false}}},
	{"fixed-asset investment", "固定资产投资1.5亿", Context{}, []fact{{"project_productive_assets_cny", int64(150000000), false}}},
	{"total investment", "项目总投资5亿", Context{}, []fact{{"project_investment_cny", int64(500000000), false}}},
	{"investment before project", "我们投资8000万的项目", Context{}, []fact{{"project_investment_cny", int64(80000000), false}}},
	{"energy tce", "节约八百吨标准煤", Context{}, []fact{{"energy_saving_tce", 800.0, false}}},
	{"energy short unit", "年节能量800吨标煤", Context{}, []fact{{"energy_saving_tce", 800.0, false}}},
	{"energy tonnes", "我们节能800吨", Context{}, []fact{{"energy_saving_tce", 800.0, false}}},
	{"energy over is a bound", "节能量超过600吨标准煤", Context{}, []fact{{"energy_saving_tce", float64(600), true}}},
	{"energy wan", "节约1.2万吨标煤", Context{}, []fact{{"energy_saving_tce", 12000.0, false}}},
	{"output tonnes are no saving", "年产10万吨", Context{}, nil},
	{"tax years", "承诺纳税8年", Context{}, []fact{{"tax_commitment_years", 8.0, false}}},
	{"tax term", "纳税年限5年以上", Context{}, []fact{{"tax_commitment_years", 5.0, true}}},
	{"tax years chinese", "承诺在赣州纳税十年", Context{}, []fact{{"tax_commitment_years", 10.0, false}}},
	{"two years is no tax term", "我们项目两年内竣工投产", Context{Pending: "tax_commitment_years"}, []fact{{"project_in_production_within_2y", true, false}}},
	{"park cluster", "产业集群今年营收60亿,去年48亿", park, []fact{
		{"cluster_revenue_cny", int64(6000000000), false}, {"cluster_prior_max_revenue_cny", int64(4800000000), false}}},
	{"park cue in text", "我们园区特色产业集群主营业务收入55亿", Context{}, []fact{
		{"applicant_type", "industrial_park", false}, {"cluster_revenue_cny", int64(5500000000), false}}},
	{"county leading", "主导产业规上企业营收120亿,之前最高95亿", county, []fact{
		{"leading_industries_revenue_cny", int64(12000000000), false},
		{"leading_industries_prior_max_revenue_cny", int64(9500000000), false}}},
	{"county cue in text", "我们县主导产业今年主营业务收入102亿", Context{}, []fact{
		{"applicant_type", "county", false}, {"leading_industries_revenue_cny", int64(10200000000), false}}},
	{"bare answer to pending", "5个亿", Context{Pending: "main_revenue_cny"}, []fact{{"main_revenue_cny", int64(500000000), false}}},
	{"bare approx answer", "大概5亿", Context{Pending: "main_revenue_cny"}, []fact{{"main_revenue_cny", int64(500000000), true}}},
	{"kuai before a final le", "已经上三千块了", Context{Pending: "liuhe_two_invoice_added_burden_cny"}, []fact{{"liuhe_two_invoice_added_burden_cny", int64(3000), true}}},
	{"bare answer to prior", "4.8亿元", Context{Pending: "prior_max_revenue_cny"}, []fact{{"prior_max_revenue_cny", int64(480000000), false}}},
	{"revenue answer to prior", "营收最高那年9亿", Context{Pending: "prior_max_revenue_cny"}, []fact{{"prior_max_revenue_cny", int64(900000000), false}}},
	{"this year answer to bond", "今年3亿", Context{Pending: "bond_financing_cny"}, []fact{{"bond_financing_cny", int64(300000000), false}}},
	{"bare answer to park", "60亿", Context{Pending: "cluster_revenue_cny", ApplicantType: "industrial_park"}, []fact{
		{"cluster_revenue_cny", int64(6000000000), false}}},
	{"bare tonnes to pending", "800吨", Context{Pending: "energy_saving_tce"}, []fact{{"energy_saving_tce", 800.0, false}}},
	{"bare number to pending", "8", Context{Pending: "tax_commitment_years"}, []fact{{"tax_commitment_years", 8.0, false}}},
	{"bare years to pending", "八年", Context{Pending: "tax_commitment_years"}, []fact{{"tax_commitment_years", 8.0, false}}},
	{"bare figure guessed as revenue", "我们是12亿的企业", Context{}, []fact{
		{"main_revenue_cny", int64(1200000000), false}, {"applicant_type", "enterprise", false}}},
	{"profit", "今年营收5千万,利润300万", Context{}, []fact{
		{"main_revenue_cny", int64(50000000), false}, {"profitable", true, false}}},
	{"loss", "亏损了500万", Context{Pending: "profitable"}, []fact{{"profitable", false, false}}},
	// The loan taken is a fact (贴息 needs one); its sum is none.
	{"loan is no fact", "我们在银行贷款了5000万", Context{}, []fact{{"has_bank_loan", true, false}, {"nstech_commercial_bank_loan", true, false}}},
	{"registered capital is no paid-in capital", "注册资本1000万", Context{}, nil},
	{"paid-in capital is a fact of the library that reads it", "实缴注册资本1000万", Context{}, []fact{{"nansha_hq_paid_in_capital_cny", int64(10000000), false}}},
	{"reward asked is no fact", "能奖励50万吗", Context{}, nil},
	{"foreign currency is no fact", "营收500万美元", Context{}, nil},
	{"area is no fact", "厂房10万平方米", Context{}, nil},
	{"percent is no fact", "营收增长了17.1%", Context{}, nil},
	{"full width", "今年营收１２亿", Context{}, []fact{{"main_revenue_cny", int64(1200000000), false}}},
}

func TestUnderstandFigures(t *testing.T) {
	for _, tc := range figureCases {
		t.Run(tc.name, func(t *testing.T) {
			got := factsOf(testReader(t).Understand(tc.text, tc.ctx))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("testReader(t).Understand(%q) facts mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestUnderstandNotes(t *testing.T) {
	tests := []struct {
		name string
		text string
		ctx  Context
		want []Mention
	}{
		{"last year as prior", "今年营收12个亿,去年9亿", Context{}, []Mention{
			{Key: "main_revenue_cny", Value: int64(1200000000), Text: "今年营收12个亿"},
			{Key: "prior_max_revenue_cny", Value: int64(900000000), Text: "去年9亿", Note: "按“去年9亿元”作为以前年度最高主营业务收入"},
		}},
		{"explicit prior needs no note", "以前最高4.8亿元", Context{}, []Mention{
			{Key: "prior_max_revenue_cny", Value: int64(480000000), Text: "以前最高4.8亿元"},
		}},
		{"last year as assessed year", "去年营收9亿", Context{}, []Mention{
			{Key: "main_revenue_cny", Value: int64(900000000), Text: "去年营收9亿", Note: "按“去年9亿元”作为当年主营业务收入"},
		}},
		{"guessed revenue", "12亿", Context{}, []Mention{
			{Key: "main_revenue_cny", Value: int64(1200000000), Text: "12亿", Note: "按“12亿元”作为当年主营业务收入"},
		}},
		{"park prior", "去年48亿", Context{ApplicantType: "industrial_park", Pending: "cluster_prior_max_revenue_cny"}, []Mention{
			{Key: "cluster_prior_max_revenue_cny", Value: int64(4800000000), Text: "去年48亿", Note: "按“去年48亿元”作为县域特色产业集群以前年度最高主营业务收入"},
		}},
		{"calendar year", "2024年8亿,2025年11亿", Context{}, []Mention{
			{Key: "prior_max_revenue_cny", Value: int64(800000000), Text: "2024年8亿", Note: "按“2024年8亿元”作为以前年度最高主营业务收入"},
			{Key: "assessment_year", Value: int64(2025), Text: "2025年", Note: "按2025年度的数据评价(“当年”指2025年)"},
			{Key: "main_revenue_cny", Value: int64(1100000000), Text: "2025年11亿", Note: "按“2025年11亿元”作为当年主营业务收入"},
		}},
		{"strict upper bound", "以前都没超过5亿", Context{}, []Mention{
			{Key: "prior_max_revenue_cny", Value: int64(500000000), Approx: true, Range: &Range{0, 499999999}, Text: "以前都没超过5亿"},
		}},
		{"approximate", "营收3个多亿", Context{}, []Mention{
			{Key: "main_revenue_cny", Value: int64(300000000), Approx: true, Range: &Range{300000001, 399999999}, Text: "营收3个多亿"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testReader(t).Understand(tc.text, tc.ctx).Mentions
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Mention{}, "End")); diff != "" {
				t.Errorf("testReader(t).Understand(%q) mentions mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

var regionCases = []understandCase{
	{"full name", "我们是兴国县的", Context{}, []fact{{"region", "兴国县", false}}},
	{"short alias", "我们在大余,做钨的", Context{}, []fact{{"region", "大余县", false}, {"industry", "rare_earth_tungsten", false}, {"is_industrial", true, false}}},
	{"old county name", "赣县的稀土企业", Context{}, []fact{{"region", "赣县区", false}, {"industry", "rare_earth_tungsten", false}, {"applicant_type", "enterprise", false}}},
	{"old city name", "龙南县的", Context{}, []fact{{"region", "龙南市", false}}},
	{"old nankang", "南康市家具", Context{}, []fact{{"region", "南康区", false}, {"industry", "modern_light_textile", false}}},
	{"zone alias", "赣州经开区的企业", Context{}, []fact{{"region", "赣州经济技术开发区", false}, {"applicant_type", "enterprise", false}}},
	{"province prefix", "江西省赣州市章贡区", Context{}, []fact{{"region", "章贡区", false}}},
	{"alias before place word", "兴国家具厂", Context{}, []fact{{"region", "兴国县", false}, {"industry", "modern_light_textile", false}, {"is_industrial", true, false}}},
	{"alias before 是 after 们", "我们宁都是做脐橙的", Context{}, []fact{{"region", "宁都县", false}, {"industry", "green_food", false}}},
	{"answer", "瑞金", Context{Pending: "region"}, []fact{{"region", "瑞金市", false}}},
	{"last named wins", "以前在章贡区,现在搬到了南康", Context{}, []fact{{"region", "南康区", false}}},
	{"xingguo inside zhenxing guojia", "我们在振兴国家战略下发展", Context{}, nil},
	{"xingguo inside xinxing guoji", "新兴国际市场", Context{}, nil},
	{"dayu inside yue", "账户有大余额", Context{}, nil},
	{"dayu inside zuida yue", "最大余额是多少", Context{}, nil},
	{"dingnan inside queding", "要确定南方的市场", Context{}, nil},
	{"yudu inside zaiyu", "问题在于都没有", Context{}, nil},
	{"quannan inside anquan", "安全南北通道", Context{}, nil},
	{"dingnan guard finds nankang", "确定南康区", Context{}, []fact{{"region", "南康区", false}}},
	{"ganzhou alone", "我们在赣州", Context{}, nil},
}

func TestUnderstandRegion(t *testing.T) { runFacts(t, regionCases) }

var industryCases = []understandCase{
	{"furniture", "我们是做家具的", Context{}, []fact{{"industry", "modern_light_textile", false}, {"is_industrial", true, false}}},
	{"textile", "纺织企业", Context{}, []fact{{"industry", "modern_light_textile", false}}},
	{"garments", "服装厂", Context{}, []fact{{"industry", "modern_light_textile", false}, {"is_industrial", true, false}}},
	{"rare earth", "稀土永磁", Context{}, []fact{{"industry", "rare_earth_tungsten", false}}},
	{"tungsten", "钨制品", Context{}, []fact{{"industry", "rare_earth_tungsten", false}}},
	{"new energy vehicle", "新能源汽车", Context{}, []fact{{"industry", "new_energy_vehicle", false}}},
	{"electric vehicle", "做电动车的", Context{}, []fact{{"industry", "new_energy_vehicle", false}, {"is_industrial", true, false}}},
	{"auto parts", "汽车零部件", Context{}, []fact{{"industry", "new_energy_vehicle", false}}},
	{"electronics", "做电子的", Context{}, []fact{{"industry", "electronic_information", false}}},
	{"electronic information", "电子信息", Context{}, []fact{{"industry", "electronic_information", false}}},
	{"chips", "芯片", Context{}, []fact{{"industry", "electronic_information", false}}},
	{"led", "LED照明", Context{}, []fact{{"industry", "electronic_information", false}}},
	{"integrated circuits", "集成电路", Context{}, []fact{{"industry", "electronic_information", false}}},
	{"copper", "铜加工", Context{}, []fact{{"industry", "copper_aluminum", false}, {"is_industrial", true, false}}},
	{"aluminium", "铝型材", Context{}, []fact{{"industry", "copper_aluminum", false}}},
	{"nonferrous", "有色金属", Context{}, []fact{{"industry", "copper_aluminum", false}}},
	{"cigarettes", "卷烟厂", Context{}, []fact{{"industry", "tobacco", false}, {"is_industrial", true, false}}},
	{"tobacco", "烟草", Context{}, []fact{{"industry", "tobacco", false}}},
	{"pharma", "制药", Context{}, []fact{{"industry", "biopharma", false}}},
	{"medicine", "医药公司", Context{}, []fact{{"industry", "biopharma", false}}},
	{"biopharma", "生物医药", Context{}, []fact{{"industry", "biopharma", false}}},
	{"fluorine", "氟化工", Context{}, []fact{{"industry", "fluorine_chemical", false}}},
	{"fluoride salts", "氟盐", Context{}, []fact{{"industry", "fluorine_chemical", false}}},
	{"cement", "水泥厂", Context{}, []fact{{"industry", "new_building_materials", false}, {"is_industrial", true, false}}},
	{"building materials", "新型建材", Context{}, []fact{{"industry", "new_building_materials", false}}},
	{"glass fibre", "玻纤", Context{}, []fact{{"industry", "new_building_materials", false}}},
	{"ceramics", "陶瓷", Context{}, []fact{{"industry", "new_building_materials", false}}},
	{"navel oranges", "脐橙深加工", Context{}, []fact{{"industry", "green_food", false}}},
	{"food processing", "食品加工", Context{}, []fact{{"industry", "green_food", false}, {"is_industrial", true, false}}},
	{"rice noodles", "米粉", Context{}, []fact{{"industry", "green_food", false}}},
	{"e-commerce is not electronics", "我们是做电子商务的", Context{}, []fact{{"industry", "other", false}}},
	// The rows of 第一条第(一)款第二项 of the Nansha HQ measures, read beside the
	// seed's industry.
	{"an HQ's row with its revenue and tax", "我们是做现代物流的,上一年度营收7000多万,在南沙纳税2000万", Context{}, []fact{
		{"nansha_hq_industry", "logistics", false}, {"industry", "other", false},
		{"nansha_hq_prior_year_revenue_cny", int64(70000000), true}, {"region", "南沙区", false}, {"nansha_hq_prior_year_tax_cny", int64(20000000), false}}},
	{"a Hong Kong law firm", "我们是香港的律师事务所,总部在南沙", Context{}, []fact{
		{"nansha_hq_hmt_professional_services", true, false}, {"nansha_hq_industry", "professional_services", false}, {"region", "南沙区", false}}},
	{"financial leasing is finance, not leasing", "我们是做融资租赁的", Context{}, []fact{{"nansha_hq_industry", "finance", false}}},
	{"asking to consult names no industry", "我想咨询一下总部政策", Context{}, nil},
	{"an HQ row to pending", "现代物流业", Context{Pending: "nansha_hq_industry"}, []fact{
		{"nansha_hq_industry", "logistics", false}, {"industry", "other", false}}},
	{"negated", "我们不是做家具的", Context{}, nil},
	{"other to pending", "其他行业", Context{Pending: "industry"}, []fact{{"industry", "other", false}}},
	{"answer", "家具", Context{Pending: "industry"}, []fact{{"industry", "modern_light_textile", false}}},
}

func TestUnderstandIndustry(t *testing.T) { runFacts(t, industryCases) }

var applicantCases = []understandCase{
	{"management committee", "我们是开发区管委会", Context{}, []fact{{"applicant_type", "industrial_park", false}}},
	{"a form's type field", "类型：知识产权服务机构；注册地：南沙区", Context{}, []fact{{"applicant_type", "service_institution", false}, {"nstech_ip_service_recognised", true, false}, {"region", "南沙区", false}}},
	{"our park", "我们园区有30家企业", Context{}, []fact{{"applicant_type", "industrial_park", false}}},
	{"industrial park", "我们是一个省级工业园区", Context{}, []fact{{"applicant_type", "industrial_park", false}}},
	{"county government", "我们是县政府的", Context{}, []fact{{"applicant_type", "county", false}}},
	{"district government", "区政府想了解一下", Context{}, []fact{{"applicant_type", "county", false}}},
	{"our county", "我们县今年怎么样", Context{}, []fact{{"applicant_type", "county", false}}},
	{"bank", "我们是一家银行", Context{}, []fact{{"applicant_type", "financial_institution", false}}},
	{"financial institution", "我们是金融机构", Context{}, []fact{{"applicant_type", "financial_institution", false}}},
	{"talent", "我是引进的人才", Context{}, []fact{{"applicant_type", "talent", false}}},
	{"individual", "我是个人,想咨询", Context{}, []fact{{"applicant_type", "talent", false}}},
	{"company", "我们公司", Context{}, []fact{{"applicant_type", "enterprise", false}}},
	{"factory", "我们是一家工厂", Context{}, []fact{{"applicant_type", "enterprise", false}, {"is_industrial", true, false}}},
	{"enterprise in a park", "我们是园区里的企业", Context{}, []fact{{"applicant_type", "enterprise", false}}},
	{"park wins over enterprise", "我们园区有家公司", Context{}, []fact{{"applicant_type", "industrial_park", false}}},
	{"a body asks for the applicant it names and goes on about", "柳河县工信局:有家企业还没纳入规上统计", Context{}, []fact{
		{"region", "柳河县", false}, {"applicant_type", "enterprise", false}, {"nstech_in_size_stats_within_3y", false, false}, {"above_designated_size", false, false}}},
	{"answer", "园区", Context{Pending: "applicant_type"}, []fact{{"applicant_type", "industrial_park", false}}},
	{"a loan is not a bank", "我们在银行贷款了", Context{}, []fact{{"has_bank_loan", true, false}, {"nstech_commercial_bank_loan", true, false}}},
	{"a question about parks states nothing", "工业园区有什么奖励", Context{}, nil},
	{"a form's field named by the fact's label", "申请人:某电子有限公司;企业规模:中型", Context{}, []fact{{"enterprise_scale", "medium", false}}},
	{"a form's field of no fact's label", "申请人:某电子有限公司;规模档次:中型", Context{}, nil},
	{"an organisation's noun heads the message", "南沙的孵化器,注册在南沙区", Context{}, []fact{
		{"applicant_type", "incubator", false}, {"region", "南沙区", false}}},
	{"a noun that opens a clause about something else heads nothing", "孵化器场地租金怎么补", Context{}, nil},
	{"a one-word answer after 帮 names no one asked for", "我们是人才中介机构,帮区里一家企业引进了一位院士", Context{}, []fact{
		{"applicant_type", "talent_agency", false}, {"nansha_agency_introduced_top_talent", true, false}, {"nansha_top_leader_talent", true, false}}},
	{"one person asked for by a body's staff", "我是科研机构的人事,帮一位研究员问骨干人才奖励", Context{}, []fact{
		{"nansha_hq_talent_at_research_institution", true, false}, {"nansha_employer_is_research_institution", true, false},
		{"applicant_type", "talent", false}, {"nansha_talent_tier", "backbone", false}}},
	{"an applicant asked for by its noun", "我是管委会的,帮园区里一家新型研发机构问一下", Context{}, []fact{{"applicant_type", "research_institution", false},
		{"nstech_new_rd_institution", true, false}}},
	// 帮…做研发、检测、咨询 is work done for firms, not asking for them.
	{"a service done for firms", "南沙这边省里认定的新型研发机构，去年帮外面没关联的企业做研发、检测、咨询这些，实际到账收入5000多万", Context{}, []fact{
		{"region", "南沙区", false}, {"nstech_rd_recognised", true, false}, {"applicant_type", "research_institution", false},
		{"nstech_new_rd_institution", true, false}, {"nstech_rd_service_income_cny", int64(50000000), true}}},
	{"a client asked for is a firm", "我是柳河农商行的,替一个贷款客户问一下", Context{}, []fact{{"region", "柳河县", false}, {"applicant_type", "enterprise", false}}},
	{"a body's project is an enterprise's", "我是柳河县工信局的,县里新上了一个重点产业项目,亩均150万", Context{}, []fact{
		{"region", "柳河县", false}, {"liuhe_key_industry_new_project", true, false}, {"liuhe_mineral_resource_project", false, false},
		{"applicant_type", "enterprise", false}, {"liuhe_investment_per_mu_cny", int64(1500000), false}}},
	{"an owner asked for is the firm's", "帮这位老板问一下", Context{}, []fact{{"applicant_type", "enterprise", false}}},
	{"a rank is no person counted", "我们公司纳税排第一名,他们能给多少奖励", Context{}, []fact{{"applicant_type", "enterprise", false}}},
	{"one counted who asks", "我是研究院人事处的,我们院引进的一位博士后,他能拿什么补贴", Context{}, []fact{
		{"nansha_hq_talent_at_research_institution", true, false}, {"nansha_employer_is_research_institution", true, false},
		{"nansha_postdoc_introduced", true, false}, {"applicant_type", "talent", false}}},
	{"a person's measure word outside the asking", "我是科研机构的人事,一位研究员想了解政策", Context{}, []fact{{"applicant_type", "research_institution", false},
		{"nansha_hq_talent_at_research_institution", true, false}, {"nansha_employer_is_research_institution", true, false}}},
	{"a bureau speaks for the body it names", "南沙区知识产权局：区内一家专利代理机构去年主营业务收入300万元，能拿奖励吗", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "service_institution", false}, {"nstech_ip_service_recognised", true, false},
		{"main_revenue_cny", int64(3000000), false}}},
	{"one pointed back to is the one asked for", "我县新增一户规上工业企业，这户企业能拿哪些奖励", Context{}, []fact{
		{"liuhe_newly_above_designated_size", true, false}, {"is_industrial", true, false}, {"applicant_type", "enterprise", false}}},
	{"本会 speaks as a society", "本会在南沙注册，以推动知识产权发展为目的", Context{}, []fact{
		{"applicant_type", "social_organization", false}, {"region", "南沙区", false}}},
	{"为 before a firm says whom the body serves", "该机构为非关联企业提供检测服务，实际获得收入1800万元", Context{ApplicantType: "research_institution"}, []fact{
		{"nstech_rd_service_income_cny", int64(18000000), false}}},
	{"one the speaker acted on is no description of it", "另外我们用租金折价入股的一家在孵企业，经营不善退出了，应发生的租金总额50万", Context{ApplicantType: "incubator"}, []fact{
		{"nstech_incubator_rent_equity", true, false}, {"nstech_tenant_exit_rent_cny", int64(500000), false}}},
	{"a noun that runs into the head noun is part of it", "南沙的科技企业孵化器，去年培育了3家国家高新技术企业", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "incubator", false}, {"nstech_incubator_hte_count", 3.0, false}}},
	{"a body the figures come from is no speaker", "统计局数据出来了，准确是103.5亿", Context{ApplicantType: "industrial_park", Recent: []string{"cluster_revenue_cny"},
		Values: map[string]any{"cluster_revenue_cny": int64(10000000000)}, Approx: []string{"cluster_revenue_cny"}}, []fact{
		{"cluster_revenue_cny", int64(10350000000), false}}},
	{"two kinds of a total, each after its figure", "今年发了8000万中期票据，1.2亿公司债", Context{}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"two kinds of a total, each before its figure", "今年发了中票8000万,公司债1.2亿", Context{}, []fact{{"bond_financing_cny", int64(200000000), false}}},
	{"one kind twice corrects", "今年公司债1.2亿,不对,公司债1.5亿", Context{}, []fact{{"bond_financing_cny", int64(150000000), false}}},
	{"two form lines of one year's kinds", "2025年发行公司债券融资额：150,000,000元\n2025年发行中期票据融资额：35,000,000元", Context{}, []fact{
		{"assessment_year", int64(2025), false}, {"bond_financing_cny", int64(185000000), false}}},
	{"a money part the fact leaves out", "我们是市里认定的新型研发机构，在南沙。去年对外科技服务收入三笔：给A公司做检验检测800万，给B公司做技术咨询1200万，还有一笔500万是给我们母公司做的研发", Context{}, []fact{
		{"nstech_rd_recognised", true, false}, {"applicant_type", "research_institution", false}, {"nstech_new_rd_institution", true, false}, {"region", "南沙区", false},
		{"nstech_rd_service_income_cny", int64(20000000), false}}},
	{"land the firm had is not newly developed", "不对，680是总面积，新发展的只有500亩，另外180亩是前年就有的", Context{Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 680.0}}, []fact{
		{"liuhe_new_herb_base_mu", 500.0, false}}},
	{"a cue in a gloss names no figure", "个人经济贡献（个税地方留成部分）是5万元", Context{ApplicantType: "talent"}, []fact{
		{"nansha_personal_economic_contribution_cny", int64(50000), false}}},
	{"a gloss is no distance from the cue", "个人经济贡献（个税地方留成部分）是5万元", Context{ApplicantType: "talent", Pending: "nansha_annual_taxable_salary_cny"}, []fact{
		{"nansha_personal_economic_contribution_cny", int64(50000), false}}},
	{"more of the same done, with 还", "南沙的科技企业孵化器，上一年度培育了5家高新技术企业，还引进了2家", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "incubator", false}, {"nstech_incubator_hte_count", 7.0, false}}},
	{"还没 adds nothing", "南沙的科技企业孵化器，上一年度培育了5家高新技术企业，还没引进过1家", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "incubator", false}, {"nstech_incubator_hte_count", 5.0, false}}},
	{"the speaker described with 的一个 is the speaker", "我们南沙的一个孵化器,去年培育了3家国家高新技术企业", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "incubator", false}, {"nstech_incubator_hte_count", 3.0, false}}},
	{"a 产业园区 is a park", "我是南康家具产业园区的", Context{}, []fact{
		{"region", "南康区", false}, {"industry", "modern_light_textile", false}, {"applicant_type", "industrial_park", false}}},
	{"a body's head after 是", "我们是宁都县发改委的", Context{}, []fact{{"region", "宁都县", false}, {"applicant_type", "county", false}}},
	{"a form's name field names what the applicant is", "机构：南沙某海洋研究院（省级认定的新型研发机构）\n注册地：广州市南沙区", Context{}, []fact{
		{"applicant_type", "research_institution", false}, {"nansha_hq_talent_at_research_institution", true, false}, {"nansha_employer_is_research_institution", true, false},
		{"nstech_rd_recognised", true, false}, {"nstech_new_rd_institution", true, false}, {"region", "南沙区", false}}},
	{"a noun denied in a name field's brackets is not what it is", "申请单位：南沙某新材料有限公司（企业，不是个人）", Context{}, []fact{
		{"region", "南沙区", false}, {"nansha_hq_industry", "strategic_emerging", false}, {"applicant_type", "enterprise", false}}},
}

func TestUnderstandApplicant(t *testing.T) { runFacts(t, applicantCases) }

// TestUnderstandApplicantNotObject checks that a body the speaker set up,
// or that set up the speaker, is not what the speaker applies as.
func TestUnderstandApplicantNotObject(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"柳河的公司今年新设立了省级科研机构", ""},
		{"我们公司是南沙一家新型研发机构围绕它的核心技术孵化出来的,也注册在南沙", "enterprise"},
		{"我们是中科院在南沙单独设立的新型研发机构", "research_institution"},
		{"新落户南沙并且认定了的总部型企业,想问问落户奖", "enterprise"},
		{"我们是企业不是科研机构", "enterprise"},
	} {
		got := ""
		for _, m := range testReader(t).Understand(tc.text, Context{}).Mentions {
			if m.Key == "applicant_type" {
				got = m.Value.(string)
			}
		}
		if got != tc.want {
			t.Errorf("Understand(%q) applicant = %q, want %q", tc.text, got, tc.want)
		}
	}
}

var newCaseCases = []understandCase{
	{"another's case opened anew is the applicant's", "我表哥也是外籍华人,在南沙区内企业干了整整4年", Context{NewCase: true}, []fact{
		{"nansha_foreign_chinese", true, false}, {"region", "南沙区", false}, {"nansha_years_in_district_enterprise", 4.0, false}}},
	{"a place denied is no region", "那家企业不在南沙注册", Context{}, nil},
	{"a time word after what the speaker is", "我们是南沙区的科技型中小企业今年从商业银行贷了一笔款", Context{}, []fact{
		{"region", "南沙区", false}, {"nstech_tech_sme", true, false}, {"applicant_type", "enterprise", false}, {"nstech_commercial_bank_loan", true, false}, {"has_bank_loan", true, false}}},
	{"a time word before what the speaker is", "我们是去年成立的众创空间,在南沙", Context{}, []fact{{"applicant_type", "incubator", false}, {"region", "南沙区", false}}},
	{"an employer's introduction is no agency's", "我们在南沙,引进了一位院士", Context{}, []fact{{"region", "南沙区", false}, {"nansha_top_leader_talent", true, false}}},
	{"an opening that describes one noun is the speaker", "新落户南沙并且认定了的总部型企业 对南沙区的年度经济贡献3000万", Context{}, []fact{
		{"nansha_hq_new_settled", true, false}, {"nansha_newly_settled_graduate", true, false}, {"nstech_newly_settled", true, false}, {"nansha_hq_recognised", true, false},
		{"applicant_type", "enterprise", false}, {"region", "南沙区", false}, {"nansha_hq_economic_contribution_cny", int64(30000000), false}}},
	{"a client who works at a firm is a person", "人才中介帮客户问:客户是外籍华人,现在在南沙一家企业上班", Context{}, []fact{
		{"nansha_foreign_chinese", true, false}, {"nansha_employer_is_research_institution", false, false}, {"region", "南沙区", false}, {"applicant_type", "talent", false}}},
	{"a client named a firm is one", "银行帮客户问:客户是南沙一家企业,贷了1000万", Context{}, []fact{
		{"has_bank_loan", true, false}, {"nstech_commercial_bank_loan", true, false}, {"region", "南沙区", false}, {"applicant_type", "enterprise", false}}},
	{"an agency's noun over the company it ends with", "我们是一家猎头公司,成功引进了一位两院院士", Context{}, []fact{
		{"applicant_type", "talent_agency", false}, {"nansha_agency_introduced_top_talent", true, false}, {"nansha_top_leader_talent", true, false}}},
}

// TestUnderstandNewCase checks that a message opening another applicant's
// case reads whoever it describes as the applicant, and that a place said
// not to be the seat is none.
func TestUnderstandNewCase(t *testing.T) { runFacts(t, newCaseCases) }

var statementCases = []understandCase{
	{"a level said in the clause before", "我们今年拿了个国家级的牌子,新认定的两化融合示范企业", Context{}, []fact{{"informatization_demo", "national", false}}},
	{"a level of another fact's phrase before", "我们今年拿了省级专利金奖,新认定了两化融合示范企业", Context{}, []fact{{"nstech_patent_award", "provincial_gold", false}}},
	{"了几 says a few", "还派了几个技术骨干去浙大培训管理", Context{}, []fact{{"sends_staff_to_training", true, false}}},
	{"the 了 of another verb in a question states no deed", "领了补贴还能住人才公寓吗", Context{ApplicantType: "talent"}, []fact{{"nansha_received_settling_or_housing_allowance", true, false}}},
	{"who works at an enterprise works at no research institution", "我在一家企业做技术骨干", Context{ApplicantType: "talent"}, []fact{
		{"applicant_type", "talent", false}, {"nansha_employer_is_research_institution", false, false}}},
	{"a recognition applied for is not yet had", "我们正在申请总部型企业认定", Context{}, []fact{{"nansha_hq_recognised", false, false}}},
	{"an application far before a deed done leaves it done", "我们正在申请奖励的这个新项目已经建成投产", Context{}, []fact{{"liuhe_project_in_production", true, false}}},
	{"the highest of two levels", "我们的重点实验室同时拿到了国家级和市级的认定", Context{}, []fact{{"nstech_platform_level", "national", false}}},
	{"a level in a clause that goes on", "我们的工程中心先被认定为省级,后来又被认定为国家级", Context{}, []fact{{"nstech_platform_level", "national", false}}},
	{"the highest said first", "我们的工程中心被认定为国家级,后来又被认定为省级", Context{}, []fact{{"nstech_platform_level", "national", false}}},
	{"each level with its own award", "我们的专利项目拿了国家级专利优秀奖和省级专利金奖", Context{}, []fact{{"nstech_patent_award", "national_excellent", false}}},
	{"a level only hoped for", "工程中心去年被认定为省级,今年想申报国家级", Context{}, []fact{{"nstech_platform_level", "provincial", false}}},
	{"a laboratory inside a platform's name", "我们重点实验室是市级的", Context{}, []fact{{"nstech_platform_level", "city", false}}},
	{"industrial", "我们是工业企业", Context{}, []fact{{"is_industrial", true, false}, {"applicant_type", "enterprise", false}}},
	{"not industrial", "我们不是工业企业", Context{}, []fact{{"is_industrial", false, false}, {"applicant_type", "enterprise", false}}},
	{"above size is industrial", "我们是规上企业", Context{}, []fact{{"is_industrial", true, false}, {"above_designated_size", true, false}, {"applicant_type", "enterprise", false}}},
	{"above size long", "咱们规模以上", Context{}, []fact{{"is_industrial", true, false}, {"above_designated_size", true, false}}},
	{"not above size", "我司还没有入规", Context{}, []fact{{"applicant_type", "enterprise", false}, {"above_designated_size", false, false}}},
	{"scale large", "我们属于大型企业", Context{}, []fact{{"enterprise_scale", "large", false}}},
	{"scale medium", "本公司是中型企业", Context{}, []fact{{"applicant_type", "enterprise", false}, {"enterprise_scale", "medium", false}}},
	{"scale answer in a sentence", "我们算中型的", Context{Pending: "enterprise_scale"}, []fact{{"enterprise_scale", "medium", false}}},
	{"scale small", "我们是小型企业", Context{}, []fact{{"enterprise_scale", "small", false}, {"applicant_type", "enterprise", false}}},
	{"scale micro", "我们是微型企业", Context{}, []fact{{"enterprise_scale", "micro", false}, {"applicant_type", "enterprise", false}}},
	{"profitable", "我们今年盈利", Context{}, []fact{{"profitable", true, false}}},
	{"making money", "我们今年赚钱了", Context{}, []fact{{"profitable", true, false}}},
	{"loss", "我们亏损了", Context{}, []fact{{"profitable", false, false}}},
	{"no profit", "我们没盈利", Context{}, []fact{{"profitable", false, false}}},
	{"not in loss", "我们没有亏损", Context{}, []fact{{"profitable", true, false}}},
	{"listed", "我们已上市", Context{}, []fact{{"listing_status", "listed", false}}},
	{"neeq", "我们已经在新三板挂牌了", Context{}, []fact{{"listing_status", "neeq", false}}},
	{"preparing", "我们准备上市", Context{}, []fact{{"listing_status", "preparing", false}}},
	{"not listed", "我们还没上市", Context{}, []fact{{"listing_status", "none", false}}},
	{"regional equity", "我们在区域性股权交易市场挂牌了", Context{}, []fact{{"listing_status", "regional_equity", false}}},
	{"social insurance", "我们缴纳了五险一金", Context{}, []fact{{"pays_social_insurance", true, false}}},
	{"no social insurance", "我们五险一金没交", Context{}, []fact{{"pays_social_insurance", false, false}}},
	{"expo", "我们参加了今年的博览会", Context{}, []fact{{"attends_official_expo", true, false}}},
	{"trade fair", "参加了省商务厅的展销会", Context{}, []fact{{"attends_official_expo", true, false}}},
	{"forum", "我们去年参加了高端论坛", Context{}, []fact{{"attends_official_expo", true, false}}},
	{"not attended", "我们没有参加博览会", Context{}, []fact{{"attends_official_expo", false, false}}},
	{"expo question", "企业参加博览会有奖励吗", Context{}, nil},
	{"expo question first person", "我们参加博览会有奖励吗", Context{}, nil},
	{"expo with no subsidy", "我们参加了博览会,没有补贴吗", Context{}, []fact{{"attends_official_expo", true, false}}},
	{"provincial demo", "我们被认定为省级两化融合示范企业", Context{}, []fact{{"informatization_demo", "provincial", false}}},
	{"national demo", "我们被认定为国家级两化融合示范企业", Context{}, []fact{{"informatization_demo", "national", false}}},
	{"no demo", "我们没有被认定两化融合示范", Context{}, []fact{{"informatization_demo", "none", false}}},
	{"energy product", "我们通过了省工业节能产品认定", Context{}, []fact{{"energy_product_certified", true, false}}},
	{"indicators grew", "我们经济技术指标同比增长", Context{}, []fact{{"indicators_grew_yoy", true, false}}},
	{"indicators fell", "我们指标同比下降了", Context{}, []fact{{"indicators_grew_yoy", false, false}}},
	{"clean production", "我们通过了清洁生产审核", Context{}, []fact{{"clean_production_audit", true, false}}},
	{"emission reduction", "我们减排成效显著", Context{}, []fact{{"emission_reduction_significant", true, false}}},
	{"emission not significant", "我们减排效果不明显", Context{}, []fact{{"emission_reduction_significant", false, false}}},
	{"headquarters", "我们把总部迁到赣州了", Context{}, []fact{{"hq_relocation", true, false}}},
	{"production base", "我们在赣州新设了生产基地", Context{}, []fact{{"hq_relocation", true, false}}},
	{"within two years", "我们的项目两年内竣工投产", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"within two years arabic", "我们项目2年内能投产", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"policy compliant", "我们项目符合国家产业政策", Context{}, []fact{{"project_policy_compliant", true, false}}},
	{"not compliant", "我们项目不符合国家产业政策", Context{}, []fact{{"project_policy_compliant", false, false}}},
	{"own land", "我们在原有土地上加盖了厂房", Context{}, []fact{{"adds_floor_area_on_own_land", true, false}}},
	{"high-level talent", "我是引进的高层次人才", Context{}, []fact{{"applicant_type", "talent", false}, {"high_level_talent", true, false}}},
	{"clean park", "我们园区通过了省级清洁化园区确认", Context{}, []fact{
		{"applicant_type", "industrial_park", false}, {"clean_park_provincial", true, false}}},
	{"done without first person", "已经通过清洁生产审核", Context{}, []fact{{"clean_production_audit", true, false}}},
	{"trait question with first person", "我们规上企业有什么政策", Context{}, []fact{{"is_industrial", true, false}, {"above_designated_size", true, false}}},
	{"trait question without first person", "规上企业有什么政策", Context{}, nil},
	{"negation stops at contrast", "我们没有上市,但是盈利", Context{}, []fact{{"listing_status", "none", false}, {"profitable", true, false}}},
	{"preparing after not listed", "我们没有上市,但是准备在新三板挂牌", Context{}, []fact{{"listing_status", "preparing", false}}},
	{"learning is not done", "想了解参加博览会的奖励", Context{}, nil},
	{"managers sent to training", "我们安排了管理人员去清华进修", Context{}, []fact{{"sends_staff_to_training", true, false}}},
	{"asking about training", "技术人员培训有支持吗", Context{}, nil},
	{"statements beside own figures", "营收6亿,去年4亿,盈利的工业企业", Context{}, []fact{
		{"main_revenue_cny", int64(600000000), false}, {"prior_max_revenue_cny", int64(400000000), false},
		{"profitable", true, false}, {"is_industrial", true, false}}},
	{"answer runs on past its clause", "项目前年11月开工，今年8月就竣工投产了，不到两年", Context{Pending: "project_in_production_within_2y"}, []fact{
		{"project_in_production_within_2y", true, false}}},
	{"county speaks of its enterprises", "我们是信丰县政府,全县规上企业盈利都不错", Context{}, []fact{{"region", "信丰县", false}, {"applicant_type", "county", false}}},
	{"talent housing", "我们园区在建人才公寓", Context{}, []fact{{"applicant_type", "industrial_park", false}, {"builds_talent_housing", true, false}}},
	{"of two option words alike the first said", "我是硕士,本科学的化学", Context{}, []fact{
		{"applicant_type", "talent", false}, {"nansha_fulltime_degree", "master", false}}},
	{"a phrase said to its clause's end does not run on", "我们同比减少，增加的负担是两亿", Context{}, []fact{
		{"indicators_grew_yoy", false, false}, {"liuhe_two_invoice_added_burden_cny", int64(200000000), false}}},
	{"a phrase left open runs on", "我博士后出站了,留在这边工作", Context{}, []fact{
		{"applicant_type", "talent", false}, {"nansha_postdoc_left_station_stays", true, false}}},
	{"a denial before a list covers every item", "本公司注册在柳河县,去年在新三板挂牌,没有在主板、中小板、创业板上市", Context{}, []fact{
		{"applicant_type", "enterprise", false}, {"region", "柳河县", false}, {"listing_status", "neeq", false}, {"liuhe_listing_board", "none", false}}},
	{"an aside's denial stays inside it", "柳河县的企业,去年新上的重点产业项目(非矿产)已经投产了", Context{}, []fact{
		{"region", "柳河县", false}, {"applicant_type", "enterprise", false}, {"liuhe_key_industry_new_project", true, false},
		{"liuhe_project_in_production", true, false}, {"liuhe_mineral_resource_project", false, false}}},
	{"a level said to have risen is the fact said before", "南沙企业,我们的企业技术中心前年被认定为市级,今年升为省级了", Context{}, []fact{
		{"region", "南沙区", false}, {"builds_innovation_carrier", true, false}, {"nstech_platform_level", "provincial", false}}},
	{"a bound said after the exact figure it holds says nothing more", "今年主营收入10.3亿,第一次过10亿,之前最高9.5亿", Context{}, []fact{
		{"main_revenue_cny", int64(1030000000), false}, {"prior_max_revenue_cny", int64(950000000), false}}},
	{"a figure restating a fact told is of that fact", "好,现在还是按一年300万算,前三年每年多少", Context{Recent: []string{"liuhe_annual_local_contribution_cny"}, Values: map[string]any{"liuhe_annual_local_contribution_cny": 3000000.0}}, []fact{
		{"liuhe_annual_local_contribution_cny", int64(3000000), false}}},
	{"the board of a listing prepared is planned, not told", "柳河县企业,我们在筹备创业板上市", Context{}, []fact{
		{"region", "柳河县", false}, {"listing_status", "preparing", false}}},
	{"an item that affirms ends the denial", "我们没有上市、已经是规上企业", Context{}, []fact{
		{"listing_status", "none", false}, {"is_industrial", true, false}, {"above_designated_size", true, false}, {"applicant_type", "enterprise", false}}},
	{"a year's digits hold no cue", "我们是柳河的企业，2023年投产的，今年营收3亿", Context{}, []fact{
		{"region", "柳河县", false}, {"applicant_type", "enterprise", false}, {"main_revenue_cny", int64(300000000), false}}},
	{"what another party answered gives way to what the message states", "我们今年营收5亿元整，部门答复称营收没超过5亿", Context{}, []fact{
		{"main_revenue_cny", int64(500000000), false}}},
	{"a step whose award was had was passed before", "营收今年上了10亿，5亿那档早拿过了", Context{}, []fact{
		{"main_revenue_cny", int64(1000000000), true}, {"prior_max_revenue_cny", int64(500000000), true}}},
	{"another firm across the road is another party", "对面那家公司拿了国家级专利金奖，我们今年拿的是省级专利优秀奖", Context{}, []fact{
		{"nstech_patent_award", "provincial_excellent", false}}},
	{"a recognition 刚通过", "我们今年11月刚通过国家高新技术企业认定", Context{}, []fact{
		{"nstech_hte_newly_recognised", true, false}, {"liuhe_hte_first_level", "national", false}, {"nstech_national_hte", true, false}}},
	{"an option said with the fact's name denied is not the fact's", "我刚落户南沙工作，硕士是在职读的，非全日制", Context{}, []fact{
		{"nansha_newly_settled_graduate", true, false}, {"nstech_newly_settled", true, false}, {"region", "南沙区", false}}},
	{"the denial stays in its part of the message", "我是全日制本科毕业;硕士是后来在职读的,非全日制", Context{}, []fact{
		{"nansha_fulltime_degree", "bachelor", false}}},
	{"确认为 reports no one", "今年营收3亿,经审计确认为3.2亿", Context{}, []fact{{"main_revenue_cny", int64(320000000), false}}},
	{"figures of two times after a colon are no list", "您好:我们营收原来2亿,现在3亿", Context{}, []fact{{"main_revenue_cny", int64(300000000), false}}},
	{"a rent per area and month beside another charge", "租金每平方米每月45元,物业费每平方米每月5元", Context{}, []fact{
		{"nstech_rents_office_in_district", true, false}, {"office_rent_per_sqm_month_cny", int64(45), false}}},
	{"a subsidy's standard per area is no rent paid", "每平方米每月补贴40元", Context{}, nil},
}

func TestUnderstandStatements(t *testing.T) { runFacts(t, statementCases) }

var ellipsisCases = []understandCase{
	{"the words of the message before", "那是租的", Context{Recent: []string{"nansha_hq_office_bought_sqm"}, Previous: "本部在南沙买了2000平方的办公楼"}, []fact{
		{"nansha_hq_office_rented", true, false}, {"nstech_rents_office_in_district", true, false}}},
	{"nothing left out without a message before", "那是租的", Context{}, nil},
	{"no message before that holds the rest", "那是租的", Context{Recent: []string{"region"}, Previous: "我们是南沙的企业"}, nil},
	{"a message that does not go on from the one before", "是租的", Context{Recent: []string{"nansha_hq_office_bought_sqm"}, Previous: "本部在南沙买了2000平方的办公楼"}, nil},
	{"a question about the words before states nothing", "那认定要多久", Context{Recent: []string{"region"}, Previous: "想了解一下总部企业的政策"}, nil},
	{"a question going on from another's words states nothing", "那我们公司能拿吗", Context{Recent: []string{"region"}, Previous: "隔壁一家大型企业拿了500万"}, []fact{{"applicant_type", "enterprise", false}}},
}

// TestUnderstandEllipsis checks that a short message going on from the one
// before (那是租的) takes the words it leaves out from that message, and only
// from it.
func TestUnderstandEllipsis(t *testing.T) { runFacts(t, ellipsisCases) }

// missingCases are sums said to be not there yet: they are no part of the
// figure beside them.
var missingCases = []understandCase{
	{"part not paid in", "实缴的是4800万 还有两百万没到位", Context{}, []fact{{"nansha_hq_paid_in_capital_cny", int64(48000000), false}}},
	{"part not paid in, one clause", "实缴4800万还有两百万没到位", Context{}, []fact{{"nansha_hq_paid_in_capital_cny", int64(48000000), false}}},
	{"the figure before the part", "固定资产投资2亿还有一小部分没到位", Context{}, []fact{{"project_productive_assets_cny", int64(200000000), false}}},
	{"parts paid in", "实缴的是4800万 另外两百万也到位了", Context{}, []fact{{"nansha_hq_paid_in_capital_cny", int64(50000000), false}}},
}

func TestUnderstandMissing(t *testing.T) { runFacts(t, missingCases) }

// countCases are counts of number facts: which fact a count goes to by the
// verb and the year said with it (申请 or 授权, 今年 or 去年), and the measure
// words that count people (12个, 30名, 3位). In the patent messages,
// liuhe_key_sector_invention_patent is 柳河's deed phrase 发明专利, read
// whatever the count.
var countCases = []understandCase{
	{"a part the figure already leaves out", "本部在南沙买了2600平方米的自用办公楼(不含配套用房)", Context{}, []fact{
		{"region", "南沙区", false}, {"nansha_hq_office_bought_sqm", 2600.0, false}}},
	{"the next one's figure of the fact asked before", "第三家也在柳河,新发展了80亩", Context{
		Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 800.0}}, []fact{
		{"region", "柳河县", false}, {"liuhe_new_herb_base_mu", 80.0, false}}},
	{"一个没有 is none", "博士12个,硕士一个没有", Context{ApplicantType: "research_institution"}, []fact{
		{"nstech_rd_phd_count", 12.0, false}, {"nstech_rd_master_count", 0.0, false}}},
	{"个多 of months", "每年在国内住了7个多月", Context{ApplicantType: "talent"}, []fact{{"nansha_months_resident_per_year", 7.0, true}}},
	{"a total said after a word of summing is of the fact told", "又多流转了20亩,加起来520亩", Context{
		Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 500.0}}, []fact{{"liuhe_new_herb_base_mu", 520.0, false}}},
	{"a total with no fact told counts nothing", "加起来520亩", Context{}, nil},
	{"a total after a part is no part", "又谈下来一块200亩,加起来正好500亩", Context{
		Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 300.0}}, []fact{{"liuhe_new_herb_base_mu", 500.0, false}}},
	{"one unit asks the rate", "种中药材一亩地补多少钱", Context{}, nil},
	{"one unit said is a count", "新发展了一亩中药材基地", Context{}, []fact{{"liuhe_new_herb_base", true, false}, {"liuhe_new_herb_base_mu", 1.0, false}, {"liuhe_mineral_resource_project", false, false}}},
	{"a part left out is taken off", "本部在南沙买了3200平方米自用办公房,其中200平是配套的员工食堂", Context{}, []fact{
		{"region", "南沙区", false}, {"nansha_hq_office_bought_sqm", 3000.0, false}}},
	{"a part left out said apart is no figure", "买了办公楼自用,面积8000平方米,另外还有3000平方米是配套的食堂和停车场", Context{}, []fact{
		{"nansha_hq_office_bought_sqm", 8000.0, false}}},
	{"filings of last year by their verb", "我们是南沙的企业，去年一共申请了65件发明专利，以前没拿过申请大户的资助", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "enterprise", false},
		{"nstech_prior_year_invention_filings", float64(65), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"grants by their verb", "今年授权了12件发明专利", Context{}, []fact{
		{"nstech_invention_granted_count", float64(12), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"filings of this year by their verb", "今年申请了20件发明专利", Context{}, []fact{
		{"nstech_invention_filed_count", float64(20), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"filings with no year are this year's", "我们申请了20件发明专利", Context{}, []fact{
		{"nstech_invention_filed_count", float64(20), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"a grant by another verb", "我们拿到了8件发明专利", Context{}, []fact{
		{"nstech_invention_granted_count", float64(8), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"a grant said with 授权 stays a grant last year", "去年授权了12件发明专利", Context{}, []fact{
		{"nstech_invention_granted_count", float64(12), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"a grant by its cue", "发明专利授权12件", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_invention_granted_count", float64(12), false}}},
	{"no verb, no year: grants as before", "发明专利12件", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_invention_granted_count", float64(12), false}}},
	{"the prior year by the cue of the series", "去年发明专利申请量65件", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_prior_year_invention_filings", float64(65), false}}},
	{"this year by the cue of the prior year's fact", "今年发明专利申请量20件", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_invention_filed_count", float64(20), false}}},
	{"both years in one message", "今年申请了20件发明专利,去年申请了65件", Context{}, []fact{
		{"nstech_invention_filed_count", float64(20), false}, {"liuhe_key_sector_invention_patent", true, false},
		{"nstech_prior_year_invention_filings", float64(65), false}}},
	{"a year's span does not hide the year", "我们去年一年申请了40件发明专利", Context{}, []fact{
		{"nstech_prior_year_invention_filings", float64(40), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"a verb typed by its sound", "今年申情了20件发明专利", Context{}, []fact{
		{"nstech_invention_filed_count", float64(20), false}, {"liuhe_key_sector_invention_patent", true, false}}},
	{"filings and grants in one message", "今年申请了20件发明专利,授权了12件", Context{}, []fact{
		{"nstech_invention_filed_count", float64(20), false}, {"liuhe_key_sector_invention_patent", true, false},
		{"nstech_invention_granted_count", float64(12), false}}},
	{"the question asked chooses among the facts of one cue", "发明专利65件", Context{Pending: "nstech_prior_year_invention_filings"}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_prior_year_invention_filings", float64(65), false}}},
	{"a bare count answers the prior year's question", "65件", Context{Pending: "nstech_prior_year_invention_filings"}, []fact{
		{"nstech_prior_year_invention_filings", float64(65), false}}},
	{"staff counts in 个 after their cues", "我们研究院是广州市认定的新型研发机构，在南沙，去年底在岗全职的博士12个、硕士30个", Context{}, []fact{
		{"applicant_type", "research_institution", false}, {"nansha_hq_talent_at_research_institution", true, false},
		{"nansha_employer_is_research_institution", true, false}, {"nstech_rd_recognised", true, false},
		{"nstech_new_rd_institution", true, false}, {"region", "南沙区", false},
		{"nstech_rd_phd_count", float64(12), false}, {"nstech_rd_master_count", float64(30), false}}},
	{"staff counts in 个 before their cues", "我们有12个博士、30个硕士", Context{}, []fact{
		{"nstech_rd_phd_count", float64(12), false}, {"nstech_rd_master_count", float64(30), false}}},
	{"staff counts in 名", "博士12名,硕士30名", Context{}, []fact{
		{"nstech_rd_phd_count", float64(12), false}, {"nstech_rd_master_count", float64(30), false}}},
	{"staff counts in 位", "在岗全职的博士有3位", Context{}, []fact{{"nstech_rd_phd_count", float64(3), false}}},
	{"staff counts in 人 as before", "博士12人", Context{}, []fact{{"nstech_rd_phd_count", float64(12), false}}},
	{"a count in 个 answers", "12个", Context{Pending: "nstech_rd_phd_count"}, []fact{{"nstech_rd_phd_count", float64(12), false}}},
	{"a count in 个人 answers", "12个人", Context{Pending: "nstech_rd_master_count"}, []fact{{"nstech_rd_master_count", float64(12), false}}},
	{"months are no count of people", "12个月", Context{Pending: "nstech_rd_phd_count"}, nil},
	{"an ordinal is no count", "第3个", Context{Pending: "nstech_rd_phd_count"}, nil},
	{"an ordinal after the cue is no count", "博士是第3个", Context{}, nil},
	{"个 counts what follows it", "我们参加了3个展会", Context{}, []fact{{"attends_official_expo", true, false}}},
	{"a money figure in 个 is no count", "博士后基金两个亿", Context{}, nil},
	{"12个亿 is money, not a count of people, even to the question", "12个亿", Context{Pending: "nstech_rd_phd_count"}, []fact{
		{"main_revenue_cny", int64(1200000000), false}}},
	{"two in 位", "我们有两位博士", Context{}, []fact{{"nstech_rd_phd_count", float64(2), false}}},
	{"a count in 个 with a bound word", "在岗博士12个左右", Context{}, []fact{{"nstech_rd_phd_count", float64(12), true}}},
	{"more than a count", "博士30多个", Context{}, []fact{{"nstech_rd_phd_count", float64(30), true}}},
	{"a bound word between 个 and what it counts", "我们有12个以上博士", Context{}, []fact{{"nstech_rd_phd_count", float64(12), true}}},
	{"months and more are no count of people", "博士干了12个多月", Context{}, nil},
	{"a count unsaid is no count", "我们有几个博士", Context{}, nil},
	{"a cue that begins a longer word is not said", "博士后3人", Context{}, nil},
	{"not one is none", "博士一个都没有", Context{}, []fact{{"nstech_rd_phd_count", float64(0), false}}},
	{"not one before the noun is none", "我们一个博士都没有", Context{}, []fact{{"nstech_rd_phd_count", float64(0), false}}},
	{"one is one", "我们有一个博士", Context{}, []fact{{"nstech_rd_phd_count", float64(1), false}}},
	{"a noun right before 个 counts, run on", "博士12个硕士30个科研经费补贴一年能给多少", Context{}, []fact{
		{"nstech_rd_phd_count", float64(12), false}, {"nstech_rd_master_count", float64(30), false}}},
	{"the speaker is one, not a count", "我是一名博士", Context{}, []fact{
		{"applicant_type", "talent", false}, {"nansha_fulltime_degree", "doctor", false}}},
	{"a verb after the count", "今年发明专利20件都是申请的", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_invention_filed_count", float64(20), false}}},
	{"a grant verb after the count", "发明专利20件已经授权", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_invention_granted_count", float64(20), false}}},
	{"仨 is 三个", "我们孵化器在南沙，上一年度培育和引进了仨高新技术企业", Context{}, []fact{
		{"applicant_type", "incubator", false}, {"region", "南沙区", false}, {"nstech_incubator_hte_count", 3.0, false}}},
	{"个 counts firms named after it", "我们孵化器在南沙，上一年度培育和引进了三个高新技术企业", Context{}, []fact{
		{"applicant_type", "incubator", false}, {"region", "南沙区", false}, {"nstech_incubator_hte_count", 3.0, false}}},
	{"个 with no firm named counts nothing", "我们孵化器在南沙，去年引进了5个", Context{}, []fact{
		{"applicant_type", "incubator", false}, {"region", "南沙区", false}}},
	{"a form's type field over the agent's word", "帮企业查一下：\n企业名称：广州某知识产权代理有限公司\n类型：知识产权服务机构", Context{}, []fact{
		{"name", "广州某知识产权代理有限公司", false}, {"applicant_type", "service_institution", false}}},
}

func TestUnderstandCounts(t *testing.T) { runFacts(t, countCases) }

// TestUnderstandCountsUnsaid checks that a count said as 几 with its measure
// word leaves the fact to ask (引进了几家国高企, 有几个博士), and that 几个月
// counts no people.
func TestUnderstandCountsUnsaid(t *testing.T) {
	tests := []struct {
		text, key string
		unclear   bool
	}{
		{"我们孵化器去年引进了几家高企", "nstech_incubator_hte_count", true},
		{"我们有几个博士", "nstech_rd_phd_count", true},
		{"在岗的硕士有几名", "nstech_rd_master_count", true},
		{"博士后在站几个月", "nstech_rd_phd_count", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u := testReader(t).Understand(tt.text, Context{})
			if got := slices.Contains(u.Unclear, tt.key); got != tt.unclear {
				t.Errorf("Understand(%q).Unclear = %v; want %s unclear: %v", tt.text, u.Unclear, tt.key, tt.unclear)
			}
		})
	}
}

var answerCases = []understandCase{
	{"words another fact took, said back from the question", "已经投产了,达效了", Context{Pending: "liuhe_new_product_in_production"}, []fact{{"liuhe_new_product_in_production", true, false}}},
	{"yes", "是", Context{Pending: "is_industrial"}, []fact{{"is_industrial", true, false}}},
	{"yes de", "是的", Context{Pending: "above_designated_size"}, []fact{{"above_designated_size", true, false}}},
	{"right", "对", Context{Pending: "hq_relocation"}, []fact{{"hq_relocation", true, false}}},
	{"have", "有", Context{Pending: "pays_social_insurance"}, []fact{{"pays_social_insurance", true, false}}},
	{"mm", "嗯", Context{Pending: "indicators_grew_yoy"}, []fact{{"indicators_grew_yoy", true, false}}},
	{"indeed", "没错", Context{Pending: "clean_production_audit"}, []fact{{"clean_production_audit", true, false}}},
	{"profitable de", "盈利的", Context{Pending: "profitable"}, []fact{{"profitable", true, false}}},
	{"yes with cue", "是的,盈利", Context{Pending: "profitable"}, []fact{{"profitable", true, false}}},
	{"no", "否", Context{Pending: "is_industrial"}, []fact{{"is_industrial", false, false}}},
	{"not", "不是", Context{Pending: "above_designated_size"}, []fact{{"above_designated_size", false, false}}},
	{"none", "没有", Context{Pending: "attends_official_expo"}, []fact{{"attends_official_expo", false, false}}},
	{"bu", "不", Context{Pending: "hq_relocation"}, []fact{{"hq_relocation", false, false}}},
	{"loss answer", "亏损", Context{Pending: "profitable"}, []fact{{"profitable", false, false}}},
	{"loss answer sentence", "今年亏损", Context{Pending: "profitable"}, []fact{{"profitable", false, false}}},
	{"cue answer", "我们交了社保", Context{Pending: "pays_social_insurance"}, []fact{{"pays_social_insurance", true, false}}},
	{"demo provincial", "省级", Context{Pending: "informatization_demo"}, []fact{{"informatization_demo", "provincial", false}}},
	{"demo national", "国家级的", Context{Pending: "informatization_demo"}, []fact{{"informatization_demo", "national", false}}},
	{"demo none", "没有", Context{Pending: "informatization_demo"}, []fact{{"informatization_demo", "none", false}}},
	{"listing none", "没有", Context{Pending: "listing_status"}, []fact{{"listing_status", "none", false}}},
	{"listing neeq", "新三板", Context{Pending: "listing_status"}, []fact{{"listing_status", "neeq", false}}},
	{"scale", "中型", Context{Pending: "enterprise_scale"}, []fact{{"enterprise_scale", "medium", false}}},
	{"scale small", "小企业", Context{Pending: "enterprise_scale"}, []fact{{"enterprise_scale", "small", false}}},
	{"years", "8年", Context{Pending: "tax_commitment_years"}, []fact{{"tax_commitment_years", 8.0, false}}},
	{"industry", "家具", Context{Pending: "industry"}, []fact{{"industry", "modern_light_textile", false}}},
	{"region", "南康", Context{Pending: "region"}, []fact{{"region", "南康区", false}}},
	{"yes is not read inside a value", "是南康区的", Context{Pending: "region"}, []fact{{"region", "南康区", false}}},
	{"a question is no yes", "有什么奖励", Context{Pending: "pays_social_insurance"}, nil},
	{"not knowing is no no", "不知道", Context{Pending: "profitable"}, nil},
	{"a clause not known states nothing", "高企证书是不是还在有效期内我不清楚", Context{Pending: "nstech_hte_cert_valid"}, nil},
	// The question's own words said back, as done or as not done.
	{"echo done", "上个月区里已经认定下来了", Context{Pending: "nansha_hq_new_settled"}, []fact{{"nansha_hq_new_settled", true, false}}},
	{"echo not done", "还没认定", Context{Pending: "nansha_hq_new_settled"}, []fact{{"nansha_hq_new_settled", false, false}, {"nansha_hq_recognised", false, false}}},
	{"echo without the aspect", "我们在南沙区", Context{Pending: "nansha_hq_new_settled"}, []fact{{"region", "南沙区", false}}},
	{"echo unsure", "认定了没有我不确定", Context{Pending: "nansha_hq_new_settled"}, nil},
	{"echo of a hardship", "认定太难了", Context{Pending: "nansha_hq_recognised"}, nil},
	{"echo of what cannot be done", "认定不了", Context{Pending: "nansha_hq_recognised"}, nil},
	{"echo of the question's premise", "落户三年了", Context{Pending: "nstech_in_size_stats_within_3y"}, nil},
}

func TestUnderstandAnswers(t *testing.T) { runFacts(t, answerCases) }

// TestUnderstandWithdrawn checks which facts told before a message takes
// back: named by their figure or their word, with a word of retracting.
func TestUnderstandWithdrawn(t *testing.T) {
	told := Context{Recent: []string{"main_revenue_cny", "prior_max_revenue_cny"},
		Values: map[string]any{"main_revenue_cny": 1130000000.0, "prior_max_revenue_cny": 890000000.0}}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"等一下,11.3亿那个数我不确定是不是含税的,先别算", []string{"main_revenue_cny"}},
		{"营收我也不清楚,那个数先别算", []string{"main_revenue_cny"}},
		{"8.9亿那个不作数", []string{"prior_max_revenue_cny"}},
		{"营收我也不清楚", nil},   // unknown now, but no figure is taken back
		{"5亿那个数先别算", nil},  // no figure told is 5亿
		{"11.3亿是没错的", nil}, // said again, not taken back
	} {
		if got := testReader(t).Understand(tc.text, told).Withdrawn; !slices.Equal(got, tc.want) {
			t.Errorf("Understand(%q).Withdrawn = %q, want %q", tc.text, got, tc.want)
		}
	}
	// A yes told and then not known is taken back.
	yes := Context{Recent: []string{"energy_product_certified"}, Values: map[string]any{"energy_product_certified": true}}
	if u := testReader(t).Understand("等下,省节能产品认定那个我记不准,得问下技术部", yes); !slices.Equal(u.Withdrawn, []string{"energy_product_certified"}) || len(u.Mentions) > 0 {
		t.Errorf("…那个我记不准: Withdrawn %q, mentions %v; want the certification taken back", u.Withdrawn, u.Mentions)
	}
	// A part named by its facts' words is taken back; the part kept is not.
	office := Context{Recent: []string{"nansha_hq_office_bought_sqm", "nansha_hq_office_rented_sqm", "nansha_hq_office_rented"},
		Values: map[string]any{"nansha_hq_office_bought_sqm": 2000.0, "nansha_hq_office_rented_sqm": 1000.0, "nansha_hq_office_rented": true}}
	if u := testReader(t).Understand("租的那部分不算了，已经退租了，只算买的", office); !slices.Equal(u.Withdrawn, []string{"nansha_hq_office_rented_sqm", "nansha_hq_office_rented"}) {
		t.Errorf("租的那部分不算了: Withdrawn %q, want the rented space and that it is rented", u.Withdrawn)
	}
	// A fact named, not figured, is taken back, over what the words deny.
	named := Context{Recent: []string{"nstech_neeq_innovation_tier", "listing_status"}, Values: map[string]any{"nstech_neeq_innovation_tier": true, "listing_status": "neeq"}}
	if u := testReader(t).Understand("不对,创新层还没正式公告,先不算", named); !slices.Equal(u.Withdrawn, []string{"nstech_neeq_innovation_tier"}) || len(u.Mentions) > 0 {
		t.Errorf("创新层…先不算: Withdrawn %q, mentions %v; want the tier taken back and nothing read", u.Withdrawn, u.Mentions)
	}
}

// TestUnderstandPartTakenBack checks that a part taken back of a figure
// told comes off it, and is no withdrawal of the whole.
func TestUnderstandPartTakenBack(t *testing.T) {
	for _, tc := range []struct {
		text string
		ctx  Context
		want fact
	}{
		{"哦,650亩里有150亩是去年就种了的,那150亩先不算", Context{Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 650.0}},
			fact{"liuhe_new_herb_base_mu", 500.0, false}},
		{"8000万那笔先不算,钱还没到账", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": int64(230000000)}, Previous: "另外还有8000万的中期票据"},
			fact{"bond_financing_cny", int64(150000000), false}},
	} {
		u := testReader(t).Understand(tc.text, tc.ctx)
		if got := factsOf(u); len(u.Withdrawn) > 0 || !slices.Equal(got, []fact{tc.want}) {
			t.Errorf("Understand(%q) = %v, withdrawn %q; want %v", tc.text, got, u.Withdrawn, tc.want)
		}
	}
	// 不算 of a part said in the message before takes it off.
	vc := Context{Recent: []string{"nstech_vc_investment_received_cny"}, Values: map[string]any{"nstech_vc_investment_received_cny": 2300000.0}, Previous: "另外还有一笔,上个月另一家创投又投了80万"}
	if u := testReader(t).Understand("不对,那80万是股东借款,不算创投投资", vc); !slices.Equal(factsOf(u), []fact{{"nstech_vc_investment_received_cny", int64(1500000), false}}) || len(u.Withdrawn) > 0 {
		t.Errorf("那80万…不算: %v, withdrawn %q; want 150万 left", factsOf(u), u.Withdrawn)
	}
	// A part said inside a figure and then excluded from it comes off too.
	for _, tc := range []struct {
		text string
		ctx  Context
		want fact
	}{
		{"不对,那5000万里面有2000万是去年发的", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 200000000.0}, Previous: "另外还有一笔5000万的公司债,也是今年发的"},
			fact{"bond_financing_cny", int64(180000000), false}},
		{"不对,1.2亿里面有3000万还没实缴到位", Context{Recent: []string{"nansha_hq_paid_in_capital_cny"}, Values: map[string]any{"nansha_hq_paid_in_capital_cny": 120000000.0}},
			fact{"nansha_hq_paid_in_capital_cny", int64(90000000), false}},
		{"里面有40亩是去年就种了的,不算新发展的", Context{Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 520.0}},
			fact{"liuhe_new_herb_base_mu", 480.0, false}},
		{"其中有10万是深圳那家合伙企业的,不在南沙", Context{ApplicantType: "talent", Recent: []string{"nansha_lp_local_contribution_cny"}, Values: map[string]any{"nansha_lp_local_contribution_cny": 500000.0}},
			fact{"nansha_lp_local_contribution_cny", int64(400000), false}},
		{"其中300万美元还没到位,不算实缴", Context{Recent: []string{"nansha_hq_paid_in_capital_usd"}, Values: map[string]any{"nansha_hq_paid_in_capital_usd": 12000000.0}},
			fact{"nansha_hq_paid_in_capital_usd", 9000000.0, false}},
		{"其中那2000万票据是母公司发的,不算我们的", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 100000000.0}},
			fact{"bond_financing_cny", int64(80000000), false}},
		{"博士里面有2个其实是兼职的", Context{ApplicantType: "research_institution", Recent: []string{"nstech_rd_master_count", "nstech_rd_phd_count"}, Values: map[string]any{"nstech_rd_phd_count": 12.0, "nstech_rd_master_count": 30.0}},
			fact{"nstech_rd_phd_count", 10.0, false}},
	} {
		got := factsOf(testReader(t).Understand(tc.text, tc.ctx))
		if !slices.Contains(got, tc.want) {
			t.Errorf("Understand(%q) = %v; want %v among them", tc.text, got, tc.want)
		}
	}
	// A part that counts (其中有2000万是今年发的) leaves the figure as told.
	if got := factsOf(testReader(t).Understand("其中有2000万是今年发的", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 200000000.0}})); slices.Contains(got, fact{"bond_financing_cny", int64(180000000), false}) {
		t.Errorf("其中有2000万是今年发的 took the part off: %v", got)
	}
	// A figure never said is no part of anything told.
	told := Context{Recent: []string{"main_revenue_cny"}, Values: map[string]any{"main_revenue_cny": int64(1130000000)}}
	if u := testReader(t).Understand("5亿那个数先别算", told); len(u.Mentions) > 0 {
		t.Errorf("5亿那个数先别算 reads %v, want nothing", u.Mentions)
	}
}

func TestUnderstandDeclined(t *testing.T) {
	tests := []struct {
		name string
		text string
		ctx  Context
		want []string
	}{
		{"not clear", "不清楚", Context{Pending: "profitable"}, []string{"profitable"}},
		{"do not know", "不知道", Context{Pending: "main_revenue_cny"}, []string{"main_revenue_cny"}},
		{"not sure", "不确定呢", Context{Pending: "energy_saving_tce"}, []string{"energy_saving_tce"}},
		{"hard to say", "说不好", Context{Pending: "tax_commitment_years"}, []string{"tax_commitment_years"}},
		{"known only later, whether asked A-not-A", "这个现在说不好，年底审计完才知道盈没盈利", Context{Pending: "profitable"}, []string{"profitable"}},
		{"rather not say", "不方便说", Context{Pending: "main_revenue_cny"}, []string{"main_revenue_cny"}},
		{"not very clear", "这个不太清楚", Context{Pending: "main_revenue_cny"}, []string{"main_revenue_cny"}},
		{"named fact", "利润不清楚", Context{}, []string{"profitable"}},
		{"named fact besides pending", "营收12亿,利润不清楚", Context{Pending: "main_revenue_cny"}, []string{"profitable"}},
		{"named revenue of a park", "营收不知道", Context{ApplicantType: "industrial_park"}, []string{"cluster_revenue_cny"}},
		{"wondering is no decline", "不知道能不能申请", Context{Pending: "profitable"}, nil},
		{"nothing pending", "不清楚", Context{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testReader(t).Understand(tc.text, tc.ctx).Declined
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("testReader(t).Understand(%q).Declined mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

var correctionCases = []understandCase{
	{"wrong, is", "说错了,是10.3亿", Context{Recent: []string{"main_revenue_cny", "region"}}, []fact{{"main_revenue_cny", int64(1030000000), false}}},
	{"recent of the same kind", "说错了,是10.3亿", Context{Recent: []string{"region", "prior_max_revenue_cny", "main_revenue_cny"}}, []fact{
		{"prior_max_revenue_cny", int64(1030000000), false}}},
	{"recent over pending", "说错了,是10.3亿", Context{Pending: "bond_financing_cny", Recent: []string{"main_revenue_cny"}}, []fact{
		{"main_revenue_cny", int64(1030000000), false}}},
	{"nearest figure when values are known", "说错了,是10.3亿", Context{
		Recent: []string{"profitable", "prior_max_revenue_cny", "main_revenue_cny", "bond_financing_cny"},
		Values: map[string]any{"prior_max_revenue_cny": 950000000.0, "main_revenue_cny": int64(980000000), "bond_financing_cny": int64(50000000)},
	}, []fact{{"main_revenue_cny", int64(1030000000), false}}},
	{"cue over recent", "不对,去年是9.5亿", Context{Recent: []string{"main_revenue_cny"}}, []fact{{"prior_max_revenue_cny", int64(950000000), false}}},
	{"correct revenue", "更正一下:营收11亿", Context{Recent: []string{"prior_max_revenue_cny"}}, []fact{{"main_revenue_cny", int64(1100000000), false}}},
	{"not this but that", "不是5亿,是6亿", Context{Recent: []string{"main_revenue_cny"}}, []fact{{"main_revenue_cny", int64(600000000), false}}},
	{"region", "说错了,是南康", Context{Recent: []string{"region"}}, []fact{{"region", "南康区", false}}},
	{"years", "刚才说错了,应该是8年", Context{Recent: []string{"main_revenue_cny", "tax_commitment_years"}}, []fact{{"tax_commitment_years", 8.0, false}}},
	{"bool by cue", "搞错了,我们没有盈利", Context{Recent: []string{"profitable"}}, []fact{{"profitable", false, false}}},
	{"enum by recent", "说错了,是国家级", Context{Recent: []string{"informatization_demo"}}, []fact{{"informatization_demo", "national", false}}},
	{"a correction's cue of a fact already said", "不对,今年销售是6000万", Context{Recent: []string{"liuhe_patent_product_sales_cny"}},
		[]fact{{"liuhe_patent_product_sales_cny", int64(60000000), false}}},
	{"the old figure said again is what is corrected", "说错了 是五十九件 65是加上实用新型的",
		Context{Recent: []string{"region", "nstech_prior_year_invention_filings"}, Values: map[string]any{"nstech_prior_year_invention_filings": 65.0}},
		[]fact{{"nstech_prior_year_invention_filings", 59.0, false}}},
	{"the figure taken back says which fact is corrected", "不好意思刚才说错了,往年最高不是188亿,是两百零三亿",
		Context{ApplicantType: "county", Recent: []string{"leading_industries_revenue_cny", "leading_industries_prior_max_revenue_cny"}, Values: map[string]any{
			"leading_industries_revenue_cny": 21500000000.0, "leading_industries_prior_max_revenue_cny": 18800000000.0}},
		[]fact{{"leading_industries_prior_max_revenue_cny", int64(20300000000), false}}},
	{"a part inside the figure said again is no value; the other figure is", "不对,50万里有20万是工资薪金那块的,投资收益和股权转让只有30万",
		Context{Recent: []string{"nansha_lp_local_contribution_cny"}, Values: map[string]any{"nansha_lp_local_contribution_cny": 500000.0}},
		[]fact{{"nansha_lp_local_contribution_cny", int64(300000), false}}},
	{"the figure said again is no part of a sum", "不对,600万是两年加起来的,一年是300万",
		Context{Recent: []string{"liuhe_annual_local_contribution_cny"}, Values: map[string]any{"liuhe_annual_local_contribution_cny": 6000000.0}},
		[]fact{{"liuhe_annual_local_contribution_cny", int64(3000000), false}}},
	{"what is left once a part comes off corrects the figure said again", "刚才那个103亿含了两家还没入规的企业,去掉以后是99亿",
		Context{ApplicantType: "county", Recent: []string{"leading_industries_revenue_cny", "leading_industries_prior_max_revenue_cny"}, Values: map[string]any{"leading_industries_revenue_cny": 10300000000.0, "leading_industries_prior_max_revenue_cny": 9600000000.0}},
		[]fact{{"leading_industries_revenue_cny", int64(9900000000), false}}},
	{"说多了 corrects", "刚才说多了,有1家是前年引进的,去年只有6家", Context{ApplicantType: "incubator", Recent: []string{"nstech_incubator_hte_count"}, Values: map[string]any{"nstech_incubator_hte_count": 7.0}},
		[]fact{{"nstech_incubator_hte_count", 6.0, false}}},
	{"a bare figure corrects the fact its qualifier names", "不对,市级那个是300万",
		Context{Recent: []string{"nstech_city_project_funding_cny", "nstech_provincial_project_funding_cny"}, Values: map[string]any{"nstech_city_project_funding_cny": 5000000.0, "nstech_provincial_project_funding_cny": 2000000.0}},
		[]fact{{"nstech_city_project_funding_cny", int64(3000000), false}}},
	{"the option of the enum told is corrected, its denied option says nothing else", "不对,刚才说错了,进的是世界500强,不是中国企业500强",
		Context{Recent: []string{"nansha_hq_first_ranked", "nansha_hq_recognised"}, Values: map[string]any{"nansha_hq_first_ranked": "global_1000_china_500", "nansha_hq_recognised": true}},
		[]fact{{"nansha_hq_top_list", true, false}, {"nansha_hq_first_ranked", "global_500", false}}},
	{"no correction of who the speaker is", "搞混了,是县里的项目", Context{Recent: []string{"informatization_demo", "applicant_type"}}, nil},
	{"enum of the recent fact that has the option", "应该是国家级的 我搞混了", Context{Recent: []string{"region", "applicant_type", "nstech_testing_cert_new_level"}},
		[]fact{{"nstech_testing_cert_new_level", "national", false}}},
	{"one part of a sum corrected", "不对，公司债是1.2个亿不是1.5", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 175000000.0},
		Previous: "今年发了两千五百万的中期票据，还有1.5个亿的公司债"}, []fact{{"bond_financing_cny", int64(145000000), false}}},
	{"a part of a sum told turns before", "公司债那笔我记错了 是800万 不是8000万", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 330000000.0},
		Previous: "这个是按什么算的", Said: map[string]string{"bond_financing_cny": "发了一期中票2.5个亿+8000万的公司债"}}, []fact{{"bond_financing_cny", int64(258000000), false}}},
	{"a part named by its words is corrected alone", "不对，公司债是1.5个亿，刚才看错了", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 200000000.0},
		Previous: "今年融了三笔：一笔中期票据8000万，一笔公司债1.2个亿", Said: map[string]string{"bond_financing_cny": "一笔中期票据8000万+公司债1.2个亿"}}, []fact{{"bond_financing_cny", int64(230000000), false}}},
	{"words naming no part correct the whole", "不对，债券融资是1.5个亿", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 200000000.0},
		Said: map[string]string{"bond_financing_cny": "一笔中期票据8000万+公司债1.2个亿"}}, []fact{{"bond_financing_cny", int64(150000000), false}}},
	{"a part said wrong that the message before did not say corrects the whole", "不对，公司债是1.2个亿不是1.6", Context{Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": 175000000.0},
		Previous: "今年发了两千五百万的中期票据，还有1.5个亿的公司债"}, []fact{{"bond_financing_cny", int64(120000000), false}}},
}

func TestUnderstandCorrections(t *testing.T) {
	for _, tc := range correctionCases {
		t.Run(tc.name, func(t *testing.T) {
			u := testReader(t).Understand(tc.text, tc.ctx)
			if !u.Correction {
				t.Errorf("testReader(t).Understand(%q).Correction = false, want true", tc.text)
			}
			if diff := cmp.Diff(tc.want, factsOf(u)); diff != "" {
				t.Errorf("testReader(t).Understand(%q) facts mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestUnderstandNoCorrection(t *testing.T) {
	for _, text := range []string{"不对", "对不对", "我们不是上市公司,营收是5亿", "不是", "今年营收12亿", "应该是盈利的,财务说今年利润有一千二百万左右"} {
		t.Run(text, func(t *testing.T) {
			if testReader(t).Understand(text, Context{Pending: "profitable"}).Correction {
				t.Errorf("testReader(t).Understand(%q).Correction = true, want false", text)
			}
		})
	}
}

var severalCases = []understandCase{
	{"a correction of the whole, its parts added", "说错了,中票是1.8亿,另外还发了一笔6000万的公司债", Context{
		Recent: []string{"bond_financing_cny"}, Values: map[string]any{"bond_financing_cny": int64(250000000)}}, []fact{{"bond_financing_cny", int64(240000000), false}}},
	{"parts named by 那块", "股息红利那块地方经济贡献三十万 股权转让所得那块二十万", Context{}, []fact{{"nansha_lp_local_contribution_cny", int64(500000), false}}},
	{"那块 of two facts adds nothing", "今年营收那块5亿 去年那块4亿", Context{}, []fact{
		{"main_revenue_cny", int64(500000000), false}, {"prior_max_revenue_cny", int64(400000000), false}}},
	{"a grant received is a fact", "南沙企业,今年获得国家重点研发计划项目资助800万元", Context{}, []fact{
		{"region", "南沙区", false}, {"nstech_national_project_funding_cny", int64(8000000), false}}},
	{"a grant hoped for is none", "南沙企业能拿到国家资助800万吗", Context{}, []fact{{"region", "南沙区", false}}},
	{"dollars as 美金", "外资企业,实缴注册资本2500万美金", Context{}, []fact{
		{"nansha_hq_capital_origin", "foreign", false}, {"nansha_hq_paid_in_capital_usd", 25000000.0, false}}},
	{"a topic names whose sales a figure is", "我们在南沙,把军工技术成果转成了民品,去年这块年销售收入2000万", Context{}, []fact{
		{"region", "南沙区", false}, {"nstech_military_conversion_revenue_cny", int64(20000000), false}}},
	{"a numeral inside a place's name is no figure", "我们公司在三元区,今年营收6亿", Context{}, []fact{
		{"applicant_type", "enterprise", false}, {"region", "三元区", false}, {"main_revenue_cny", int64(600000000), false}}},
	{"parts joined by 又", "今年发了一亿二的中票,又发了2e公司债", Context{}, []fact{{"bond_financing_cny", int64(320000000), false}}},
	{"nankang furniture", "我们是南康区做家具的,今年营收12个亿,去年9亿,能拿什么奖励?", Context{}, []fact{
		{"region", "南康区", false}, {"industry", "modern_light_textile", false}, {"is_industrial", true, false},
		{"main_revenue_cny", int64(1200000000), false}, {"prior_max_revenue_cny", int64(900000000), false}}},
	{"zhanggong electronics", "我们是章贡区的电子信息工业企业,今年主营业务收入6亿元,过去最高4.8亿元", Context{}, []fact{
		{"region", "章贡区", false}, {"industry", "electronic_information", false}, {"is_industrial", true, false},
		{"applicant_type", "enterprise", false},
		{"main_revenue_cny", int64(600000000), false}, {"prior_max_revenue_cny", int64(480000000), false}}},
	{"project", "我们项目总投资5亿,生产性固定资产3.2亿,符合国家产业政策,两年内竣工投产", Context{}, []fact{
		{"project_investment_cny", int64(500000000), false}, {"project_productive_assets_cny", int64(320000000), false},
		{"project_policy_compliant", true, false}, {"project_in_production_within_2y", true, false}}},
	{"energy", "我们是信丰的规上企业,年节能量超过600吨标准煤,经济技术指标同比增长,通过了省工业节能产品认定", Context{}, []fact{
		{"region", "信丰县", false}, {"is_industrial", true, false}, {"above_designated_size", true, false}, {"applicant_type", "enterprise", false},
		{"energy_saving_tce", float64(600), true}, {"indicators_grew_yoy", true, false}, {"energy_product_certified", true, false}}},
	{"relocation", "我们集团把总部从深圳迁到了赣州,承诺纳税10年", Context{}, []fact{
		{"applicant_type", "enterprise", false}, {"hq_relocation", true, false}, {"tax_commitment_years", 10.0, false}}},
	{"no-comma run", "于都服装企业今年销售收入2.3亿去年1.8亿还盈利了", Context{}, []fact{
		{"region", "于都县", false}, {"industry", "modern_light_textile", false},
		{"main_revenue_cny", int64(230000000), false}, {"prior_max_revenue_cny", int64(180000000), false},
		{"profitable", true, false}}},
	{"bond and listing", "我司在新三板挂牌了,今年发了5000万的公司债", Context{}, []fact{
		{"applicant_type", "enterprise", false}, {"listing_status", "neeq", false}, {"bond_financing_cny", int64(50000000), false}}},
	// Each level's figure is its own fact, named by the qualifier with the
	// rest of the cue before.
	{"levels listed after one cue", "南沙的科技企业，今年拿了国家级科技计划项目资助600万、省级200万、市级500万，区里能配套多少", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "enterprise", false},
		{"nstech_national_project_funding_cny", int64(6000000), false}, {"nstech_provincial_project_funding_cny", int64(2000000), false},
		{"nstech_city_project_funding_cny", int64(5000000), false}}},
	{"a word of money after a fact's cue", "我们是南沙区内的企业，今年牵头了个国家重点研发计划项目，国拨资金600万", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "enterprise", false}, {"nstech_national_project_funding_cny", int64(6000000), false}}},
	{"the items of a list after a colon are parts", "南沙的总部企业，去年纳税：增值税2500万，企业所得税1800万", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "enterprise", false}, {"nansha_hq_prior_year_tax_cny", int64(43000000), false}}},
	{"items counted one by one are parts", "南沙的企业，今年拿了两个省级科技计划项目，资助一个200万，一个150万", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "enterprise", false}, {"nstech_provincial_project_funding_cny", int64(3500000), false}}},
	{"a level's cue with 的", "还有个国家级的科技计划项目，资助了320万", Context{}, []fact{
		{"nstech_national_project_funding_cny", int64(3200000), false}}},
	{"a form's area field of the one fact the form names", "事项：2024年新发展道地药材种植基地\n面积：500亩", Context{}, []fact{
		{"liuhe_new_herb_base", true, false}, {"liuhe_new_herb_base_mu", 500.0, false}}},
	{"境内外企业 names no foreign capital", "我们是中国企业500强直接控股子公司，内资，管理的境内外企业5家", Context{}, []fact{
		{"nansha_hq_top_list", true, false}, {"applicant_type", "enterprise", false}, {"nansha_hq_capital_origin", "domestic", false}}},
	{"a foreign grant is no domestic one", "2020年获得美国发明专利授权2件", Context{}, []fact{
		{"liuhe_key_sector_invention_patent", true, false}, {"nstech_us_jp_eu_granted_count", 2.0, false}}},
	{"US in capitals is the country", "还有1件US patent授权了", Context{}, []fact{{"nstech_us_jp_eu_granted_count", 1.0, false}}},
	{"the funds of what the sentence named before", "南沙的企业，今年拿了一个省级科技计划项目，经费380万", Context{}, []fact{
		{"region", "南沙区", false}, {"applicant_type", "enterprise", false}, {"nstech_provincial_project_funding_cny", int64(3800000), false}}},
}

func TestUnderstandSeveralFacts(t *testing.T) { runFacts(t, severalCases) }

func runFacts(t *testing.T, cases []understandCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := factsOf(testReader(t).Understand(tc.text, tc.ctx))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("testReader(t).Understand(%q, %+v) facts mismatch (-want +got):\n%s", tc.text, tc.ctx, diff)
			}
		})
	}
}

// allCases lists every table of sentences, for the fuzz seeds and the
// determinism test.
func allCases() [][]understandCase {
	return [][]understandCase{figureCases, regionCases, industryCases, applicantCases, statementCases, countCases, answerCases, correctionCases, severalCases, missingCases, newCaseCases, ellipsisCases, withinCases}
}

func TestUnderstandDeterministic(t *testing.T) {
	for _, cases := range allCases() {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				first := testReader(t).Understand(tc.text, tc.ctx)
				for range 5 {
					if diff := cmp.Diff(first, testReader(t).Understand(tc.text, tc.ctx)); diff != "" {
						t.Fatalf("testReader(t).Understand(%q) changed between calls:\n%s", tc.text, diff)
					}
				}
			})
		}
	}
}

// benchText is a long message of the kind the mini-program sends.
const benchText = "您好,我们是南康区做实木家具的规上工业企业,今年主营业务收入大概12个多亿,去年是9.5亿," +
	"今年盈利了,还发了3000万元的企业债,参加了省商务厅的博览会,通过了清洁生产审核,请问能拿什么奖励?"

func BenchmarkUnderstand(b *testing.B) {
	ctx := Context{Pending: "profitable", Recent: []string{"region", "industry"}}
	r := testReader(b)
	b.ReportAllocs()
	for b.Loop() {
		r.Understand(benchText, ctx)
	}
}

// TestUnderstandBackByName checks that a message goes back to the case set
// aside by a name of its own (恒泰电子 of 赣州恒泰电子科技有限公司), not by
// the words names share (公司, 科技).
func TestUnderstandBackByName(t *testing.T) {
	ctx := Context{Values: map[string]any{"name": "信丰县宏达新材料有限公司"}, Names: []string{"信丰县宏达新材料有限公司"},
		EarlierNames: []string{"赣州恒泰电子科技有限公司"}, Earlier: "enterprise", ApplicantType: "enterprise"}
	for _, tc := range []struct {
		text string
		back bool
	}{
		{"再回到恒泰电子那家，它2025年还发行了中期票据3000万", true},
		{"还是想问下我们公司今年营收3亿能拿什么", false},
		{"之前说的科技项目怎么申报", false},
		{"回到宏达那家", false},
	} {
		if got := testReader(t).Understand(tc.text, ctx).Back; got != tc.back {
			t.Errorf("Understand(%q).Back = %v, want %v", tc.text, got, tc.back)
		}
	}
}

// withinCases are the dates of two events, which settle whether the one
// followed the other within the months a fact says, or do not.
var withinCases = []understandCase{
	{"years a year apart", "项目2023年开工、2024年已竣工投产", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"months more than two years apart", "项目2023年3月开工，2025年4月投产", Context{}, []fact{{"project_in_production_within_2y", false, false}}},
	{"years two apart settle nothing", "项目2023年开工，2025年投产", Context{}, nil},
	{"two years to the day is within", "项目2023年3月15日开工，2025年3月15日投产", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"a day more is not", "项目2023年3月15日开工，2025年3月16日投产", Context{}, []fact{{"project_in_production_within_2y", false, false}}},
	{"a form's date fields", "开工时间：2024年3月\n竣工投产：2025年8月", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"an event denied has no date", "项目2023年开工，2024年还没投产", Context{}, nil},
	{"years said from the one judged on", "项目前年3月开工，今年5月投产", Context{Year: 2026}, []fact{{"project_in_production_within_2y", false, false}}},
	{"relative years unknown without the year", "项目前年3月开工，今年5月投产", Context{}, nil},
	{"a part of the year", "项目2024年底开工，2026年上半年投产", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"a date before 前 bounds the event", "项目2023年3月开工，预计2025年底前投产", Context{}, nil},
	{"a date before 以后 bounds it too", "项目2023年1月开工，2024年以后投产", Context{}, nil},
	{"投产 is the event, not a 竣工 said before it", "项目2023年开工，2024年竣工，2026年投产", Context{}, []fact{{"project_in_production_within_2y", false, false}}},
	{"a day a month lacks is its last", "项目2024年2月29日开工，2026年2月28日投产", Context{}, []fact{{"project_in_production_within_2y", true, false}}},
	{"dates out of order settle nothing", "项目2025年开工，2023年投产", Context{}, nil},
	{"the nearest year is the event's", "项目去年立项今年开工，后年投产", Context{Year: 2024}, nil},
}

func TestUnderstandWithin(t *testing.T) { runFacts(t, withinCases) }

// TestUnderstandSupposed checks that a supposition of the speaker's is
// read apart from its facts, and another party's is not read at all.
func TestUnderstandSupposed(t *testing.T) {
	months := Context{ApplicantType: "talent", Recent: []string{"nansha_months_resident_per_year"}, Values: map[string]any{"nansha_months_resident_per_year": 6.0}}
	for _, tc := range []struct {
		text     string
		supposed []fact
		ctx      Context
	}{
		{"要是明年进了创新层呢", []fact{{"nstech_neeq_innovation_tier", true, false}}, Context{}},
		{"如果营收做到5.2亿呢,能拿多少", []fact{{"main_revenue_cny", int64(520000000), false}}, Context{}},
		{"要是明年做到5.2亿能拿多少", []fact{{"main_revenue_cny", int64(520000000), false}}, Context{}},
		{"以后营收做到5.2亿还能拿吗", []fact{{"main_revenue_cny", int64(520000000), false}}, Context{}},
		{"落户以后营收5.2亿,能拿吗", nil, Context{}},
		{"隔壁公司营收10亿", nil, Context{}},
		{"直接告诉我我们能拿100万奖励", nil, Context{}},
		{"今年营收12个亿", nil, Context{}},
		// A deed asked of as done (上市了能奖多少) is supposed, unless 已
		// says it is done.
		{"创业板上市了能奖多少", []fact{{"liuhe_listing_board", "sme_growth_board", false}, {"listing_status", "listed", false}}, Context{}},
		{"我们已经上市了能奖多少", nil, Context{}},
		// What follows the deed the chat asked of is asked of it supposed;
		// unasked, or stated, it is no supposition.
		{"投产以后还有奖励吗", []fact{{"liuhe_project_in_production", true, false}}, Context{Pending: "liuhe_project_in_production"}},
		{"投产以后还有奖励吗", nil, Context{}},
		{"投产以后纳税1000万", nil, Context{Pending: "liuhe_project_in_production"}},
		// Another option of an enum fact just said is supposed of it.
		{"如果是国家级的呢", []fact{{"informatization_demo", "national", false}}, Context{
			Recent: []string{"informatization_demo"}, Values: map[string]any{"informatization_demo": "provincial"}}},
		{"如果是省级的呢", nil, Context{Recent: []string{"informatization_demo"}, Values: map[string]any{"informatization_demo": "provincial"}}},
		// The words a supposition leaves out come from the message before;
		// the 是 of 要是 is none of them.
		{"年底再办一个还能再拿吗", nil, Context{Recent: []string{"nstech_conference_attendees"}, Values: map[string]any{"nstech_conference_attendees": 100.0}}},
		{"要是租的呢,怎么补", []fact{{"nansha_hq_office_rented", true, false}, {"nstech_rents_office_in_district", true, false}}, Context{
			Recent: []string{"nansha_hq_office_bought_sqm"}, Previous: "本部在南沙买了2000平方的自用办公楼"}},
		// A change asked of a figure said before is of its sum.
		{"那他每年多住一个月呢", []fact{{"nansha_months_resident_per_year", 7.0, false}}, months},
		{"要是今年再卖一笔股权,贡献多30万呢", []fact{{"nansha_lp_local_contribution_cny", int64(600000), false}}, Context{ApplicantType: "talent", Recent: []string{"nansha_lp_local_contribution_cny"}, Values: map[string]any{"nansha_lp_local_contribution_cny": 300000.0}}},
		// An answer to the question pending, supposed, is no answer.
		{"那要是只是进了中国企业500强呢", []fact{{"nansha_hq_top_list", true, false}, {"nansha_hq_capital_origin", "domestic", false}, {"nansha_hq_first_ranked", "global_1000_china_500", false}}, Context{Pending: "nansha_hq_first_ranked", Recent: []string{"nansha_hq_upgraded"}, Values: map[string]any{"nansha_hq_upgraded": true}}},
		{"要是再招30个全职博士呢", []fact{{"nstech_rd_phd_count", 40.0, false}}, Context{ApplicantType: "research_institution", Recent: []string{"nstech_rd_phd_count"}, Values: map[string]any{"nstech_rd_phd_count": 10.0}}},
		{"如果再扩到501亩呢", []fact{{"liuhe_new_herb_base_mu", 501.0, false}}, Context{Recent: []string{"liuhe_new_herb_base_mu"}, Values: map[string]any{"liuhe_new_herb_base_mu": 500.0}}},
		{"如果再多引进十家呢", []fact{{"nstech_incubator_hte_count", 17.0, false}}, Context{ApplicantType: "incubator", Recent: []string{"nstech_incubator_hte_count"}, Values: map[string]any{"nstech_incubator_hte_count": 7.0}}},
		// A question pending of another kind leaves the change to the figure.
		{"要是再多买1万平呢", []fact{{"nansha_hq_office_bought_sqm", 12000.0, false}}, Context{Pending: "nansha_hq_first_ranked", Recent: []string{"nansha_hq_office_bought_sqm"}, Values: map[string]any{"nansha_hq_office_bought_sqm": 2000.0}}},
		// A bare sum supposed near a figure told is of it, not an answer to
		// the question pending; far from every figure told, it answers.
		{"那要是10.1个亿呢", []fact{{"main_revenue_cny", int64(1010000000), false}}, Context{Pending: "project_investment_cny",
			Recent: []string{"main_revenue_cny", "prior_max_revenue_cny"}, Values: map[string]any{"main_revenue_cny": 1e9, "prior_max_revenue_cny": 8.6e8}}},
		{"那要是3个亿呢", []fact{{"project_investment_cny", int64(300000000), false}}, Context{Pending: "project_investment_cny",
			Recent: []string{"main_revenue_cny", "prior_max_revenue_cny"}, Values: map[string]any{"main_revenue_cny": 1e9, "prior_max_revenue_cny": 8.6e8}}},
		// Parts of one sum supposed are added, though one equals the sum
		// told.
		{"要是市级一百五十万、区级一百万呢", []fact{{"nstech_rd_post_subsidy_cny", int64(2500000), false}}, Context{
			Recent: []string{"nstech_rd_post_subsidy_cny"}, Values: map[string]any{"nstech_rd_post_subsidy_cny": 1.5e6}}},
		// A bare count supposed is of the year of its series said last.
		{"要是只有59件呢", []fact{{"nstech_prior_year_invention_filings", 59.0, false}}, Context{
			Recent: []string{"nstech_prior_year_invention_filings", "nstech_invention_filed_count"},
			Values: map[string]any{"nstech_prior_year_invention_filings": 60.0, "nstech_invention_filed_count": 0.0}}},
	} {
		u := testReader(t).Understand(tc.text, tc.ctx)
		var got []fact
		for _, m := range u.Supposed {
			got = append(got, fact{m.Key, m.Value, m.Approx})
		}
		if diff := cmp.Diff(tc.supposed, got); diff != "" {
			t.Errorf("Understand(%q).Supposed (-want +got):\n%s", tc.text, diff)
		}
		if len(tc.supposed) > 0 && len(u.Mentions) > 0 {
			t.Errorf("Understand(%q) keeps a supposition as a fact: %v", tc.text, u.Mentions)
		}
	}
}
