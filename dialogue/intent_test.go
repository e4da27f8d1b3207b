package dialogue

import "testing"

// intentCases are also seeds of FuzzUnderstand.
var intentCases = []struct {
	name string
	text string
	ctx  Context
	want Intent
}{
	{"facts about oneself", "我们是南康区做家具的,今年营收12个亿,去年9亿,能拿什么奖励?", Context{}, IntentEligibility},
	{"facts without a question", "我们是章贡区的电子信息工业企业,今年主营业务收入6亿元", Context{}, IntentEligibility},
	{"what can we get", "能拿什么奖励?", Context{}, IntentEligibility},
	{"which policies", "我们可以享受哪些政策", Context{}, IntentEligibility},
	{"which do we meet", "我们符合哪些", Context{}, IntentEligibility},
	{"不对不对 denies, asks nothing", "不对不对，我看错了，毕业证上是全日制，也有硕士学位", Context{Pending: "nansha_fulltime_degree", ApplicantType: "talent"}, IntentAnswer},
	{"能否获得 asks for the speaker", "本会系在南沙区注册的知识产权促进会,请答复本会能否获得扶持", Context{}, IntentEligibility},
	{"the next firm is another case", "下一家。企业名称:信丰县某新材料有限公司", Context{Values: map[string]any{"region": "章贡区"}}, IntentReset},
	{"facts with a reward question", "今年我们通过发行票据融资了5000万元,能奖励多少?", Context{}, IntentEligibility},
	{"answer yes", "是的,盈利", Context{Pending: "profitable"}, IntentAnswer},
	{"answer value", "大概5亿", Context{Pending: "main_revenue_cny"}, IntentAnswer},
	{"answer years", "8年", Context{Pending: "tax_commitment_years"}, IntentAnswer},
	{"answer level", "省级", Context{Pending: "informatization_demo"}, IntentAnswer},
	{"answer industry", "家具", Context{Pending: "industry"}, IntentAnswer},
	{"answer decline", "不清楚", Context{Pending: "profitable"}, IntentAnswer},
	{"answer with more facts", "盈利的,我们还是规上企业", Context{Pending: "profitable"}, IntentAnswer},
	{"correction", "说错了,是10.3亿", Context{Recent: []string{"main_revenue_cny"}}, IntentAnswer},
	{"answer and a policy question", "盈利的,另外发债有奖励吗", Context{Pending: "profitable"}, IntentPolicyQuestion},
	{"answer and an eligibility question", "盈利,我们能拿多少", Context{Pending: "profitable"}, IntentEligibility},
	{"bond question", "企业发债有奖励吗", Context{}, IntentPolicyQuestion},
	{"conditions question", "节能奖励需要什么条件", Context{}, IntentPolicyQuestion},
	{"expo question", "企业参加博览会有奖励吗", Context{}, IntentPolicyQuestion},
	{"which department", "总部经济政策找哪个部门办理", Context{}, IntentPolicyQuestion},
	{"general rewards", "参加博览会有什么奖励", Context{}, IntentPolicyQuestion},
	{"clause chinese", "第十七条第一款", Context{}, IntentClause},
	{"clause item", "第十七条第1项是什么", Context{}, IntentClause},
	{"clause dotted", "十七.1", Context{}, IntentClause},
	{"clause arabic", "17.1讲的什么", Context{}, IntentClause},
	{"clause section", "第二十二条", Context{}, IntentClause},
	{"help", "你能做什么", Context{}, IntentHelp},
	{"how to use", "怎么用", Context{}, IntentHelp},
	{"help word", "帮助", Context{}, IntentHelp},
	{"reset", "重新开始", Context{}, IntentReset},
	{"start over", "重来", Context{Pending: "profitable"}, IntentReset},
	{"clear", "清空", Context{}, IntentReset},
	{"human", "人工", Context{}, IntentHuman},
	{"transfer", "转人工", Context{Pending: "profitable"}, IntentHuman},
	{"complaint", "我要投诉", Context{}, IntentHuman},
	{"a complaint forwarded with an enterprise's facts", "投诉平台转来:企业反映,我司是南康区的家具企业,今年营收5个亿,奖励一直没兑付", Context{}, IntentEligibility},
	{"another applicant asked for in a case under way", "好的谢谢。再帮县里一家企业问:规上工业企业,营收5.3亿", Context{ApplicantType: "county", Values: map[string]any{"region": "于都县"}}, IntentReset},
	{"an answer with a question of the results told", "那他选安家补贴,最多给多少", Context{ApplicantType: "talent", Pending: "nansha_chose_apartment", Told: []string{"nansha-talent-leader-settling-allowance"}, Values: map[string]any{"region": "南沙区", "nansha_top_leader_talent": true}}, IntentEligibility},
	{"a friend asked for is another case", "帮我朋友问一下,他是外籍华人,博士学历,在南沙企业工作", Context{ApplicantType: "talent", Values: map[string]any{"region": "南沙区", "nansha_lp_local_contribution_cny": 400000.0}}, IntentReset},
	{"a friend's firm with facts of its own is another case", "我朋友在柳河的公司也新发展了80亩中药材基地,有吗", Context{Values: map[string]any{"region": "柳河县", "liuhe_new_herb_base_mu": 800.0}}, IntentReset},
	{"a friend's firm asked for is another case", "帮我朋友的公司问一下,他们是崇义的,今年发了6000万的公司债", Context{Values: map[string]any{"region": "南康区", "pays_social_insurance": true}}, IntentReset},
	{"再帮 of the same applicant", "再帮我们公司问一下,营收5.3亿能拿多少", Context{Values: map[string]any{"region": "于都县"}}, IntentEligibility},
	{"one more applicant opened", "还有一家园区企业,也在南沙注册,它的技术中心刚被认定为省级企业技术中心", Context{ApplicantType: "incubator", Values: map[string]any{"region": "南沙区"}}, IntentReset},
	{"再帮 of this firm", "再帮这家企业问一下,营收5.3亿能拿多少", Context{Values: map[string]any{"region": "于都县"}}, IntentEligibility},
	{"a complaint with facts asks for a person", "我要投诉,材料被转来转去,我们是南康的家具企业,营收5个亿,奖励一直没兑付", Context{}, IntentHuman},
	{"a person asked for, with facts", "转人工!我们营收5亿的奖励一直没发,把政策原文发我", Context{}, IntentHuman},
	{"money asked of an answer", "刚收到通知进创新层了,这个还有钱吗", Context{Pending: "nstech_neeq_innovation_tier"}, IntentEligibility},
	{"more asked for a fact just said", "上周又进了创新层,这个另外还有吗", Context{Pending: "nstech_neeq_innovation_tier", Told: []string{"x"}}, IntentEligibility},
	{"news of what was checked keeps the results", "问清楚了,是省商务厅主办的", Context{Told: []string{"x"}, Recent: []string{"attends_official_expo"}, Values: map[string]any{"attends_official_expo": true}}, IntentEligibility},
	{"the next one at the counter is another case", "好的 下一位。企业名称：瑞金市绿源食品有限公司，所在地：瑞金市，工业企业", Context{Values: map[string]any{"region": "章贡区", "bond_financing_cny": 200000000.0}}, IntentReset},
	{"the other results asked for", "除了落户奖,后面几年还有没有别的", Context{Told: []string{"x"}, Values: map[string]any{"region": "南沙区"}}, IntentEligibility},
	{"a recognition without its level", "我们今年被认定为两化融合示范企业 有奖励吗", Context{}, IntentEligibility},
	{"a complaint forwarded with no facts", "投诉平台转来一条投诉,请处理", Context{}, IntentHuman},
	{"a complaint headed by its label, with facts", "企业投诉:我公司注册在瑞金市,是工业企业,今年发行公司债券1.5亿元,至今没人告诉我们奖励有多少", Context{}, IntentEligibility},
	{"a complaint label alone asks for a person", "企业投诉:窗口办事效率太低", Context{}, IntentHuman},
	{"report", "我要举报", Context{}, IntentHuman},
	{"boss", "找领导", Context{}, IntentHuman},
	{"nothing gets done", "办不成事", Context{}, IntentHuman},
	{"your boss", "我要找你们领导", Context{}, IntentHuman},
	{"artificial intelligence is no person", "我们是人工智能企业,有什么政策", Context{}, IntentEligibility},
	{"greeting", "你好", Context{}, IntentGreeting},
	{"polite greeting", "您好!", Context{}, IntentGreeting},
	{"greeting with facts", "你好,我们是赣县的稀土企业", Context{}, IntentEligibility},
	{"greeting with a question", "你好,请问企业发债有奖励吗", Context{}, IntentPolicyQuestion},
	// A question goes to the search; its relevance floor tells that the library
	// does not cover it (TestNotCovered).
	{"weather", "今天天气怎么样", Context{}, IntentPolicyQuestion},
	{"joke", "讲个笑话", Context{}, IntentOutOfScope},
	{"stocks", "股票推荐一下", Context{}, IntentOutOfScope},
	{"weather in ganzhou", "今天赣州下雨吗", Context{}, IntentPolicyQuestion},
	{"chatter", "哈哈哈哈", Context{}, IntentOutOfScope},
	{"poem", "帮我写首诗", Context{}, IntentOutOfScope},
	{"empty", "", Context{}, IntentOutOfScope},
}

func TestIntent(t *testing.T) {
	for _, tc := range intentCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := testReader(t).Understand(tc.text, tc.ctx).Intent; got != tc.want {
				t.Errorf("testReader(t).Understand(%q, %+v).Intent = %v, want %v", tc.text, tc.ctx, got, tc.want)
			}
		})
	}
}

func TestIntentString(t *testing.T) {
	tests := []struct {
		in   Intent
		want string
	}{
		{IntentOutOfScope, "out_of_scope"},
		{IntentEligibility, "eligibility"},
		{IntentAnswer, "answer"},
		{IntentPolicyQuestion, "policy_question"},
		{IntentClause, "clause"},
		{IntentHelp, "help"},
		{IntentReset, "reset"},
		{IntentHuman, "human"},
		{IntentGreeting, "greeting"},
		{Intent(42), "intent(42)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("Intent(%d).String() = %q, want %q", int(tc.in), got, tc.want)
			}
		})
	}
}
