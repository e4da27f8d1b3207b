package kb

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteDraftKinds drafts one clause of real wording for each amount kind
// and comparison word and checks the lines the draft must hold.
func TestWriteDraftKinds(t *testing.T) {
	tests := []struct {
		name, clause string
		want         []string
	}{
		{"fixed", "对本区新认定的国家高新技术企业，每家给予30万元奖励。",
			[]string{`{cny: 300000, article: 一, quote: "每家给予30万元奖励"}`, "fixed: c1_award_30w", "applicants: [enterprise]", `text: "本区新认定的国家高新技术企业"`}},
		{"table by level", "对有关政府部门认定的创新平台，国家级、省级、市级分别给予300万元、200万元、50万元一次性资金配套。",
			[]string{"by: TODO_fact_c1_level_1", "national: c1_award_300w", "provincial: c1_award_200w", "municipal: c1_award_50w"}},
		{"rate with ceiling", "对国家级的给予100%的资金配套，最高500万元。",
			[]string{"{percent: 100,", "rate: {base: TODO_fact_c1_base_1, percent: c1_rate_100pct, max: c1_max_500w}"}},
		{"per mille", "当年通过发行债券融资的，按照融资额的1‰给予企业奖励。",
			[]string{"{per_mille: 1,", "per_mille: c1_rate_1pm", "即“融资额”"}},
		{"per unit", "按20万元/家的标准，给予相关孵化器一次性奖励。",
			[]string{"per_unit: {count: TODO_fact_c1_count_1, rate: c1_per_unit_20w}"}},
		{"per person", "被认定的新型研发机构，按博士学位人员每人8万元的标准给予补贴，每年补贴最高不超过500万元。",
			[]string{"rate: c1_per_unit_8w, max: c1_max_500w}", "applicants: [research_institution]"}},
		{"bands of a figure", "实缴注册资本500万(含)至5000万元的，奖励300万元;\n实缴注册资本5000万元(含)以上，奖励600万元。",
			[]string{"{from: c1_from_500w, from_included: true, to: c1_from_5000w, to_included: false, award: c1_award_300w}", "{from: c1_from_5000w, from_included: true, award: c1_award_600w}"}},
		{"bands 超过 with (含)", "纳税总额超过1000万元(含)的，奖励300万元;\n纳税总额超过2000万元(含)的，奖励600万元。",
			[]string{"{from: c1_from_1000w, from_included: true, award: c1_award_300w}"}},
		{"per unit bands", "对新发展的100—500亩（含500亩）的基地，一次性奖励企业100元/亩；对新发展的500亩以上的基地，一次性奖励企业200元/亩。",
			[]string{"count: TODO_fact_c1_figure_1", "to: c1_from_500mu, to_included: true, rate: c1_award_100yuan", "{from: c1_from_500mu, from_included: true, rate: c1_award_200yuan}", "待补: 100 是否含本数"}},
		{"years", "对新落户及认定的总部型企业，连续5年给予企业对我区经济贡献95%的奖励。",
			[]string{"{years: 5,", "years: c1_years_5years"}},
		{"ceiling alone", "对引进的杰出人才，给予最高1000万元安家补贴。",
			[]string{"bound: {max: c1_max_1000w}", "decided_by: TODO", "applicants: [talent]"}},
		{"range of money", "新产品投产达效后，给予企业10万元—100万元资金支持。",
			[]string{"bound: {min: c1_min_10w, max: c1_max_100w}"}},
		{"range of rates", "按项目固定资产实际投资额度给企业5%-20%奖励支持。",
			[]string{"min_rate: c1_min_5pct, max_rate: c1_max_20pct"}},
		{"unstated", "对参展企业，由受益财政给予一定的奖励。",
			[]string{`unstated: "给予一定的奖励"`}},
		{"一事一议", "固定资产投资3亿元以上重大项目，实行“一事一议”。",
			[]string{`unstated: "实行“一事一议”"`, "when: TODO_fact_c1_3yi_1 >= c1_threshold_3yi"}},
		{"以上 includes", "对相关成果形成的年销售收入在2000万元以上的，一次性给予100万元奖励。",
			[]string{">= c1_threshold_2000w"}},
		{"不低于 includes", "投资强度亩均投资不低于100万元，给予企业20万元奖励。",
			[]string{">= c1_threshold_100w"}},
		{"达到 includes", "年上缴税金达到30万元以上，一次性给予10万元奖励。",
			[]string{">= c1_threshold_30w"}},
		{"不少于 includes", "对主办会议规模不少于100人的学术会议，给予15万元资金支持。",
			[]string{">= c1_threshold_100persons"}},
		{"超过 excludes", "对取得发明专利并且销售收入超过2000万元的企业，给予企业20万元的奖励。",
			[]string{"> c1_threshold_2000w"}},
		{"突破 excludes", "对年主营业务收入首次突破5亿元的企业，奖励5万元。",
			[]string{"> c1_threshold_5yi"}},
		{"(含) wins", "对年度主营业务收入达到200万元(含)以上的知识产权服务机构，给予20万元一次性奖励。",
			[]string{">= c1_threshold_200w", "applicants: [service_institution]"}},
		{"不超过 bounds a condition", "在建设期内(一般不超过5年)，给予最高1亿元的建设运行费。",
			[]string{"<= c1_threshold_5years", "bound: {max: c1_max_1yi}"}},
		{"不满 excludes", "对职工人数不满100人的企业，给予5万元补助。",
			[]string{"< c1_threshold_100persons"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sk, err := Parse(strings.NewReader("某区关于测试的办法\n第一条 " + tt.clause))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteDraft(&buf, sk); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("the draft lacks %q:\n%s", w, buf.String())
				}
			}
		})
	}
}
