package matcher

// Kind is the type of a fact's value.
type Kind uint8

const (
	// KindBool is a yes/no fact.
	KindBool Kind = iota + 1
	// KindMoney is an amount in whole yuan.
	KindMoney
	// KindNumber is a quantity in the fact's Unit (吨标煤, 年).
	KindNumber
	// KindEnum is one of the fact's Options.
	KindEnum
	// KindRegion is a county-level division of Ganzhou, normalised by the gazetteer.
	KindRegion
	// KindText is free text (a name) or a code with its own check.
	KindText
)

// Option is one value of an enum fact with its Chinese label.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Fact describes one key of the enterprise profile.
type Fact struct {
	Key   string
	Kind  Kind
	Label string // Chinese name, as used in explanations: 当年主营业务收入.
	Unit  string // for KindNumber: 吨标煤, 年.
	// Max bounds money and numbers; values above it are rejected as impossible.
	Max     float64
	Options []Option
	// Question asks for the fact in the chat; empty for facts never asked.
	Question string
	// Identity marks who the applicant is and where (type, name, code,
	// region): facts every profile has, which never touch a benefit.
	Identity bool
	// General marks facts that describe the applicant in general (identity,
	// industry, 工业企业, 规上, size) rather than something a measure
	// rewards: met, they do not by themselves put a benefit in play.
	General bool
}

// maxMoney is 1,000万亿元: far above any enterprise's revenue, and low enough
// that step arithmetic on it cannot overflow int64.
const maxMoney = 1e15

// yesNo are the quick replies for a yes/no question.
var yesNo = []Option{{"true", "是"}, {"false", "否"}}

// LeadingIndustries are the nine 工业主导产业 of contract.md, the first nine
// values of the industry enum.
var LeadingIndustries = []string{
	"rare_earth_tungsten", "new_energy_vehicle", "electronic_information", "copper_aluminum",
	"modern_light_textile", "tobacco", "biopharma", "fluorine_chemical", "new_building_materials",
}

// Facts is the profile schema: every key of contract.md, then the keys this
// project added for clauses the contract's facts do not reach. The order is
// the order of profiles in JSON and breaks ties between questions.
var Facts = []Fact{
	{Key: "applicant_type", Kind: KindEnum, Label: "申请主体类型", Options: []Option{
		{"enterprise", "企业"}, {"industrial_park", "工业园区"}, {"county", "县(市、区)"},
		{"financial_institution", "金融机构"}, {"talent", "人才"},
	}, Question: "请问您以什么身份咨询?", Identity: true, General: true},
	{Key: "name", Kind: KindText, Label: "名称", Max: 200, Identity: true, General: true},
	{Key: "credit_code", Kind: KindText, Label: "统一社会信用代码", Max: 18, Identity: true, General: true},
	{Key: "region", Kind: KindRegion, Label: "所在地", Question: "贵单位位于哪个县(市、区)?", Identity: true, General: true},
	{Key: "industry", Kind: KindEnum, Label: "所属行业", Options: []Option{
		{"rare_earth_tungsten", "稀土钨新材料及应用"}, {"new_energy_vehicle", "节能与新能源汽车及配套"},
		{"electronic_information", "电子信息"}, {"copper_aluminum", "铜铝有色金属"},
		{"modern_light_textile", "现代轻纺(含家具)"}, {"tobacco", "烟草"}, {"biopharma", "生物制药"},
		{"fluorine_chemical", "氟盐化工"}, {"new_building_materials", "新型建材"},
		{"green_food", "绿色食品"}, {"other", "其他行业"},
	}, Question: "贵企业主要从事哪个行业?", General: true},
	{Key: "is_industrial", Kind: KindBool, Label: "工业企业", Options: yesNo, Question: "贵企业是工业企业吗?", General: true},
	{Key: "above_designated_size", Kind: KindBool, Label: "规模以上工业企业", Options: yesNo, Question: "贵企业是规模以上工业企业吗?", General: true},
	{Key: "enterprise_scale", Kind: KindEnum, Label: "企业规模", Options: []Option{
		{"large", "大型"}, {"medium", "中型"}, {"small", "小型"}, {"micro", "微型"},
	}, Question: "贵企业属于大型、中型、小型还是微型企业?", General: true},
	{Key: "main_revenue_cny", Kind: KindMoney, Label: "当年主营业务收入", Max: maxMoney, Question: "贵企业当年主营业务收入是多少?(例如:6亿元)"},
	{Key: "prior_max_revenue_cny", Kind: KindMoney, Label: "以前年度最高主营业务收入", Max: maxMoney, Question: "贵企业以前年度主营业务收入最高是多少?(例如:4.8亿元)"},
	{Key: "profitable", Kind: KindBool, Label: "当年盈利", Options: yesNo, Question: "贵企业当年是否盈利?"},
	{Key: "bond_financing_cny", Kind: KindMoney, Label: "当年债券和票据融资额", Max: maxMoney, Question: "贵企业今年通过发行债券或票据融资了多少?"},
	{Key: "listing_status", Kind: KindEnum, Label: "上市挂牌情况", Options: []Option{
		{"none", "未上市"}, {"preparing", "正在筹备上市"}, {"listed", "已上市"},
		{"neeq", "全国股转系统(新三板)挂牌"}, {"regional_equity", "区域性股权交易市场挂牌"},
	}, Question: "贵企业目前的上市或挂牌情况是?"},
	{Key: "project_productive_assets_cny", Kind: KindMoney, Label: "项目生产性固定资产", Max: maxMoney, Question: "贵企业如有新建的工业项目,其生产性固定资产是多少?"},
	{Key: "project_investment_cny", Kind: KindMoney, Label: "项目总投资", Max: maxMoney, Question: "贵企业如有新建的工业项目,项目总投资是多少?"},
	{Key: "project_policy_compliant", Kind: KindBool, Label: "符合国家产业政策和本市产业定位", Options: yesNo, Question: "该项目是否符合国家产业政策和本市产业定位?"},
	{Key: "project_in_production_within_2y", Kind: KindBool, Label: "两年内竣工投产", Options: yesNo, Question: "该项目能否在两年内竣工投产?"},
	{Key: "adds_floor_area_on_own_land", Kind: KindBool, Label: "在原有土地上增加厂房建筑面积(符合规划、不改变用途)", Options: yesNo, Question: "贵企业是否在原有土地上增加厂房建筑面积(符合规划、不改变用途)?"},
	{Key: "hq_relocation", Kind: KindBool, Label: "总部迁入或新设立生产基地", Options: yesNo, Question: "贵企业是否将总部迁入本市,或在本市新设立生产基地?"},
	{Key: "tax_commitment_years", Kind: KindNumber, Label: "承诺纳税年限", Unit: "年", Max: 100, Question: "贵企业承诺在本市纳税多少年?"},
	{Key: "pays_social_insurance", Kind: KindBool, Label: "按规定缴纳五险一金", Options: yesNo, Question: "贵企业是否按照规定为职工缴纳“五险一金”?"},
	{Key: "informatization_demo", Kind: KindEnum, Label: "新认定的两化融合示范级别", Options: []Option{
		{"none", "没有"}, {"provincial", "省级"}, {"national", "国家级"},
	}, Question: "贵单位是否新被认定为两化融合示范?是哪一级?"},
	{Key: "energy_saving_tce", Kind: KindNumber, Label: "年节能量", Unit: "吨标煤", Max: 1e9, Question: "贵企业年节能量是多少吨标准煤?"},
	{Key: "indicators_grew_yoy", Kind: KindBool, Label: "经济技术指标同比增长", Options: yesNo, Question: "贵企业经济技术指标是否同比增长?"},
	{Key: "energy_product_certified", Kind: KindBool, Label: "通过省工业节能产品认定", Options: yesNo, Question: "贵企业是否通过省工业节能产品认定?"},
	{Key: "clean_production_audit", Kind: KindBool, Label: "通过自愿清洁生产审核", Options: yesNo, Question: "贵企业是否通过自愿清洁生产审核?"},
	{Key: "emission_reduction_significant", Kind: KindBool, Label: "减排成效显著", Options: yesNo, Question: "贵企业减排成效是否显著?"},
	{Key: "attends_official_expo", Kind: KindBool, Label: "参加主管部门举办的博览会、展销会、高端论坛", Options: yesNo, Question: "贵企业是否参加省、市商务、工信等主管部门举办的博览会、展销会或高端论坛?"},
	{Key: "high_level_talent", Kind: KindBool, Label: "企业引进的高层次人才", Options: yesNo, Question: "是否属于企业引进的高层次人才(或贵企业是否引进了高层次人才)?"},
	{Key: "clean_park_provincial", Kind: KindBool, Label: "通过省级清洁化园区确认", Options: yesNo, Question: "贵园区是否通过省级清洁化园区确认?"},
	{Key: "cluster_revenue_cny", Kind: KindMoney, Label: "县域特色产业集群当年主营业务收入", Max: maxMoney, Question: "贵园区县域特色产业集群当年主营业务收入是多少?"},
	{Key: "cluster_prior_max_revenue_cny", Kind: KindMoney, Label: "县域特色产业集群以前年度最高主营业务收入", Max: maxMoney, Question: "该产业集群以前年度主营业务收入最高是多少?"},
	{Key: "leading_industries_revenue_cny", Kind: KindMoney, Label: "工业主导产业规模以上企业当年主营业务收入", Max: maxMoney, Question: "本县(市、区)工业主导产业规模以上企业当年主营业务收入是多少?"},
	{Key: "leading_industries_prior_max_revenue_cny", Kind: KindMoney, Label: "工业主导产业规模以上企业以前年度最高主营业务收入", Max: maxMoney, Question: "本县(市、区)工业主导产业规模以上企业以前年度主营业务收入最高是多少?"},

	// Facts below extend contract.md for clauses its facts do not reach.
	{Key: "county_cluster_member", Kind: KindBool, Label: "属于县域特色产业集群", Options: yesNo, Question: "贵企业是否属于所在县(市、区)的县域特色产业集群?"},
	{Key: "received_special_fiscal_funds", Kind: KindBool, Label: "获得县级以上政府部门专项用途财政性资金", Options: yesNo, Question: "贵企业是否从县级以上政府财政部门或其他部门获得专项用途财政性资金?"},
	{Key: "industrial_loans_increased", Kind: KindBool, Label: "工业贷款增加", Options: yesNo, Question: "贵机构今年的工业贷款是否增加?"},
	{Key: "industrial_property_developer", Kind: KindBool, Label: "工业地产开发企业(建设标准厂房)", Options: yesNo, Question: "贵企业是否为建设标准厂房的工业地产开发企业?"},
	{Key: "local_quality_product", Kind: KindBool, Label: "本地产优质产品", Options: yesNo, Question: "贵企业是否有本地生产的优质产品(或药品)希望进入政府采购目录或基本药物增补目录?"},
	{Key: "builds_innovation_carrier", Kind: KindBool, Label: "建设企业技术中心等创新载体", Options: yesNo, Question: "贵企业是否在建设企业技术中心、工程(技术)研究中心、院士工作站或博士后工作站等创新载体?"},
	{Key: "innovative_talent_team", Kind: KindBool, Label: "掌握核心技术的创新型人才团队", Options: yesNo, Question: "是否引进了掌握核心技术、先进适用技术的创新型人才团队?"},
	{Key: "sends_staff_to_training", Kind: KindBool, Label: "经营管理者或技术人才赴院校、培训机构和企业培训", Options: yesNo, Question: "贵企业是否安排经营管理者或技术人才赴国内外知名院校、培训机构或企业培训?"},
	{Key: "builds_talent_housing", Kind: KindBool, Label: "建设新市民公寓、人才公寓", Options: yesNo, Question: "贵园区是否在建设新市民公寓或人才公寓?"},
	{Key: "on_cultivation_list", Kind: KindBool, Label: "已列入龙头企业或集群骨干企业培育名单", Options: yesNo, Question: "贵企业是否已列入产业龙头企业或集群骨干企业培育名单?"},
	{Key: "fund_project_approved", Kind: KindBool, Label: "专项资金项目已获批", Options: yesNo, Question: "贵企业是否已有项目获批该专项资金支持?"},
}

// factIndex maps a key to its position in Facts.
var factIndex = func() map[string]int {
	m := make(map[string]int, len(Facts))
	for i, f := range Facts {
		m[f.Key] = i
	}
	return m
}()

// Lookup returns the fact named key.
func Lookup(key string) (*Fact, bool) {
	i, ok := factIndex[key]
	if !ok {
		return nil, false
	}
	return &Facts[i], true
}

// OptionLabel returns the Chinese label of an enum value, or the value itself.
func (f *Fact) OptionLabel(value string) string {
	for _, o := range f.Options {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}
