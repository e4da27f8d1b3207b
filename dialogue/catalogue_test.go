package dialogue

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"policybot/kb"
	"policybot/matcher"
)

// docReader reads with the built-in catalogue plus facts a new document
// declares, to show that a document's facts are understood from their
// phrases and cues alone.
func docReader(t *testing.T) *Reader {
	t.Helper()
	base, err := kb.Load(kb.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	// The shared facts only: the library's documents have facts of their
	// own with the same cues.
	var specs []kb.FactSpec
	for _, f := range base.Facts() {
		if f.Doc == "" {
			specs = append(specs, f)
		}
	}
	specs = append(specs,
		kb.FactSpec{Key: "demo_paid_in_capital_cny", Kind: "money", Label: "实缴注册资本", Cues: []string{"实缴注册资本", "注册资本", "实缴资本"}},
		kb.FactSpec{Key: "demo_tax_total_cny", Kind: "money", Label: "上一年度在本区纳税总额", Cues: []string{"纳税总额", "纳税", "交税"}},
		kb.FactSpec{Key: "demo_herb_base_mu", Kind: "number", Unit: "亩", Label: "新发展中药材种植基地面积", Cues: []string{"种植基地", "基地"}},
		kb.FactSpec{Key: "demo_incubated_firms", Kind: "number", Unit: "家", Label: "培育和引入的高新技术企业数量", Cues: []string{"高新技术企业", "高企"}},
		kb.FactSpec{Key: "demo_project_funding_cny", Kind: "money", Label: "国家级科技计划项目资助额", Cues: []string{"国家级科技计划项目"}},
		kb.FactSpec{Key: "demo_engineer_count", Kind: "number", Unit: "人", Label: "在岗工程师人数", Cues: []string{"工程师"}},
		// 商标 names registrations and filings; the verb and the year say which.
		kb.FactSpec{Key: "demo_tm_registered_count", Kind: "number", Unit: "件", Label: "当年核准注册的商标件数",
			Cues: []string{"商标注册", "商标"}, Verbs: []string{"注册", "核准"}},
		kb.FactSpec{Key: "demo_tm_filed_count", Kind: "number", Unit: "件", Label: "当年商标申请件数",
			Cues: []string{"商标申请"}, Verbs: []string{"申请"}, Series: &kb.SeriesSpec{Name: "demo_tm_filings", Period: kb.PeriodCurrent}},
		kb.FactSpec{Key: "demo_tm_prior_filed_count", Kind: "number", Unit: "件", Label: "上一年度商标申请件数",
			Cues: []string{"商标申请量", "商标"}, Verbs: []string{"申请"}, Series: &kb.SeriesSpec{Name: "demo_tm_filings", Period: kb.PeriodPriorYear}},
		kb.FactSpec{Key: "demo_degree", Kind: "enum", Label: "学历", Options: []kb.OptionSpec{
			{Value: "doctor", Label: "博士", Say: []string{"博士研究生", "博士"}},
			{Value: "master", Label: "硕士", Say: []string{"硕士研究生", "硕士"}},
		}},
		kb.FactSpec{Key: "demo_new_hte", Kind: "bool", Label: "新认定的国家高新技术企业", Phrases: []kb.PhraseSpec{
			{Say: [][]string{{"新认定", "刚认定", "认定为", "评上"}, {"高新技术企业", "高企"}}, Value: true, Negated: false, Deed: true},
		}},
		kb.FactSpec{Key: "demo_platform_level", Kind: "enum", Label: "创新平台认定级别", Options: []kb.OptionSpec{
			{Value: "national", Label: "国家级", Say: []string{"国家级", "国家"}},
			{Value: "provincial", Label: "省级", Say: []string{"省级", "省"}},
			{Value: "city", Label: "市级", Say: []string{"市级"}},
		}, Phrases: []kb.PhraseSpec{{Say: [][]string{{"重点实验室", "工程中心", "技术中心"}}, Deed: true}}},
	)
	cat, err := matcher.NewCatalogue(specs, base.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	return NewReader(cat, VocabularyOf(base.ChatTexts()))
}

// TestDocumentFacts reads sentences about facts the built-in library does
// not have, declared as data the way a new document declares them.
func TestDocumentFacts(t *testing.T) {
	r := docReader(t)
	tests := []understandCase{
		{name: "capital by its cue", text: "我们实缴注册资本5000万", want: []fact{{"demo_paid_in_capital_cny", int64(50000000), false}}},
		{name: "two money facts by their cues", text: "注册资本2亿,去年在区里纳税总额1200万",
			want: []fact{{"demo_paid_in_capital_cny", int64(200000000), false}, {"demo_tax_total_cny", int64(12000000), false}}},
		{name: "cue after the figure", text: "去年交了3000万的税,纳税3000万", want: []fact{{"demo_tax_total_cny", int64(30000000), false}}},
		{name: "acres with the cue after them", text: "今年新发展了600亩种植基地", want: []fact{{"demo_herb_base_mu", float64(600), false}}},
		{name: "a unit alone says nothing", text: "今年新发展了600亩", want: nil},
		{name: "acres by the cue", text: "种植基地新增了一千二百亩", want: []fact{{"demo_herb_base_mu", float64(1200), false}}},
		{name: "approximate acres", text: "基地大概500亩左右", want: []fact{{"demo_herb_base_mu", float64(500), true}}},
		{name: "count of firms", text: "我们孵化器去年培育引入了12家高企", want: []fact{{"demo_incubated_firms", float64(12), false}}},
		{name: "a deed from its phrase", text: "我们今年刚认定为国家高新技术企业", want: []fact{{"demo_new_hte", true, false}}},
		{name: "a denied deed", text: "我们还没有被认定为高新技术企业", want: []fact{{"demo_new_hte", false, false}}},
		{name: "an enum from its option words", text: "我们的研发中心去年被认定为省级工程中心了", want: []fact{{"demo_platform_level", "provincial", false}}},
		{name: "people of no fact counted", text: "我们有600名员工", want: nil},
		{name: "people counted in 名", text: "我们有5名工程师", want: []fact{{"demo_engineer_count", float64(5), false}}},
		{name: "people counted in 个 after their noun", text: "工程师8个,都是全职", want: []fact{{"demo_engineer_count", float64(8), false}}},
		{name: "个 of something else counts no people", text: "工程师做了3个项目", want: nil},
		{name: "a topic named a clause before the figure", text: "我们拿到一个国家级科技计划项目,国家给了八百万经费",
			want: []fact{{"demo_project_funding_cny", int64(8000000), false}}},
		{name: "an option word of an enum without phrases", text: "我博士毕业,今年刚来南沙工作", want: []fact{{"demo_degree", "doctor", false}}},
		{name: "an option word in a question states nothing", text: "博士有什么补贴?", want: nil},
		{name: "a denied option word", text: "我在南沙工作,不是博士,是硕士", want: []fact{{"demo_degree", "master", false}}},
		{name: "a count by its verb", text: "今年注册了5件商标", want: []fact{{"demo_tm_registered_count", float64(5), false}}},
		{name: "a count by its verb and year", text: "去年申请了8件商标", want: []fact{{"demo_tm_prior_filed_count", float64(8), false}}},
		{name: "this year's count of a series", text: "今年申请了3件商标", want: []fact{{"demo_tm_filed_count", float64(3), false}}},
		{name: "no verb: the first fact of the cue", text: "商标6件", want: []fact{{"demo_tm_registered_count", float64(6), false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := factsOf(r.Understand(tc.text, tc.ctx))
			var own []fact
			for _, f := range got {
				if len(f.Key) > 5 && f.Key[:5] == "demo_" {
					own = append(own, f)
				}
			}
			if diff := cmp.Diff(tc.want, own); diff != "" {
				t.Errorf("Understand(%q) (-want +got):\n%s\nall facts: %v", tc.text, diff, got)
			}
		})
	}
}

// TestRegionsNationwide reads places anywhere in the country, and leaves a
// name several divisions share unclear, for the chat to ask which.
func TestRegionsNationwide(t *testing.T) {
	r := testReader(t)
	tests := []struct {
		text, want string
		unclear    bool
	}{
		{"我们是广州市南沙区的企业", "南沙区", false},
		{"公司注册在吉林柳河县", "柳河县", false},
		{"我们在福州市鼓楼区", "福州市鼓楼区", false},
		{"我们在鼓楼区", "", true},
		{"电子信息县域特色产业集群", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u := r.Understand(tt.text, Context{})
			got := ""
			for _, m := range u.Mentions {
				if m.Key == "region" {
					got = m.Value.(string)
				}
			}
			if got != tt.want {
				t.Errorf("region %q, want %q", got, tt.want)
			}
			if slices.Contains(u.Unclear, "region") != tt.unclear {
				t.Errorf("unclear %v, want region unclear=%v", u.Unclear, tt.unclear)
			}
		})
	}
}

// TestApplicantTypesFromCatalogue reads applicant types by the words the
// catalogue gives their options.
func TestApplicantTypesFromCatalogue(t *testing.T) {
	r := testReader(t)
	for text, want := range map[string]string{
		"我们是一家新型研发机构,想问问补贴": "research_institution",
		"我们是南沙的一个孵化器":       "incubator",
		"我们是园区里的企业":         "enterprise",
	} {
		got := ""
		for _, m := range r.Understand(text, Context{}).Mentions {
			if m.Key == "applicant_type" {
				got = m.Value.(string)
			}
		}
		if got != want {
			t.Errorf("%s: applicant %q, want %q", text, got, want)
		}
	}
}

// TestForgetAfterReload checks that a session's stored facts that a
// reloaded library no longer takes are dropped, the rest kept.
func TestForgetAfterReload(t *testing.T) {
	cat := testReader(t).cat
	st := &State{Pending: "gone_fact", Facts: []FactRecord{
		{Key: "region", Value: "南康区"},
		{Key: "gone_fact", Value: true},
		{Key: "industry", Value: "furniture_old_option"},
		{Key: "main_revenue_cny", Value: float64(600000000)},
	}}
	st.forget(cat)
	var kept []string
	for _, f := range st.Facts {
		kept = append(kept, f.Key)
	}
	if diff := cmp.Diff([]string{"region", "main_revenue_cny"}, kept); diff != "" || st.Pending != "" {
		t.Errorf("kept (-want +got):\n%s pending %q", diff, st.Pending)
	}
	if _, err := st.profile(cat); err != nil {
		t.Errorf("profile after forget: %v", err)
	}
}
