package kb

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nonClauses describes the pieces of sk that are not clauses as "line kind
// first-line-of-text".
func nonClauses(sk *Skeleton) []string {
	var out []string
	for _, p := range sk.Pieces {
		if p.Kind != PieceClause {
			first, _, _ := strings.Cut(p.Text, "\n")
			out = append(out, fmt.Sprintf("%d %s %s", p.Line, p.Kind, first))
		}
	}
	return out
}

// seq writes the ids prefix.1 … prefix.n.
func seq(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s.%d", prefix, i+1)
	}
	return out
}

// numerals writes the ids from…to in Chinese numerals.
func numerals(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, ChineseNumeral(n))
	}
	return out
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestParseLayouts checks the real texts and the synthetic ones that show
// the rules no real text does. The article ids are written from the rules of
// contract.md, "Clause identity".
func TestParseLayouts(t *testing.T) {
	tests := []struct {
		file     string
		meta     Document // without clauses
		articles []string
		texts    map[string]string   // exact clause texts
		lead     map[string][]string // lead departments; nil for none
		coop     map[string][]string
		sections map[string][2]string // part and section
		titles   map[string]string
		others   []string // see nonClauses
	}{
		{
			file: "doc-nansha-tech.txt",
			articles: concat(numerals(1, 7), []string{"八"}, seq("八", 4), numerals(9, 23),
				[]string{"二十四"}, seq("二十四", 4), numerals(25, 37)),
			texts: map[string]string{
				"一": "对新落户本区的国家高新技术企业，在享受市有关政策的基础上，每家给予50万元落户奖励;落户三年内纳入本区规模以上企业统计且在高新技术企业有效期内的，再给予20万元奖励。\n" +
					"对新落户本区的国家高新技术企业，自落户后第一个自然年度起连续5年(在高新技术企业有效期内)，给予其对我区经济贡献95%的奖励。",
				// The lead and the paragraph after the list are 八; (四) is alone.
				"八": "对国家科研机构、境内外知名高校或世界著名科学家在南沙区单独设立的，主要从事科学研究、技术研发、成果转化等活动，具有职能定位综合化、研发模式集成化、运营模式柔性化等新特征的新型研发机构，在建设期内(一般不超过5年)，采取前资助、后补助和股权投资方式，分期合计投入最高1亿元的建设运行费，经费构成包括：\n" +
					"对围绕实现国际先进水平的科技成果产业化，带动区域产业升级发展具有重大意义的新型研发机构，根据实际情况，给予更大扶持力度。",
				"八.1": "最高2000万元落户奖励;",
				"八.4": "最高3000万元成果转化资助：包括孵化企业融资奖励、科技服务奖励、创业大赛补贴、直接股权投资孵化企业等，详见本办法第十二条、第十三条、第十五条、第二十二条。",
				"三十七": "本办法自2017年1月1日起施行，有效期5年。本办法有效期内如遇法律、法规或有关政策调整变化的，从其规定。本办法有效期届满，将根据实施情况依法予以评估修订。本办法由南沙开发区工业和科技信息化局负责解释。",
			},
			// 负责解释 names no lead department.
			lead:     map[string][]string{"三十七": nil, "八.1": nil, "二十五": nil},
			sections: map[string][2]string{"一": {"促进高新技术企业发展", ""}, "八.2": {"支持新型研发机构引入和建设", ""}, "三十七": {"鼓励专利创造与运用，促进科技成果转化", ""}},
			others: []string{
				"1 preamble 为落实《国务院关于扩大对外开放积极利用外资若干措施的通知》(国发〔2017〕5 号)、《国务院办公厅关于促进开发区改革和创新发展的若干意见》(国办发〔2017〕7 号)的有关精神，进一步营造市场化国际化法治化营商环境，打造高水平对外开放门户枢纽，加快建设广州南沙新区城市副中心，提升自主创新能力，促进高新技术产业发展，推动南沙建成辐射珠三角的科技产业创新中心，制定本办法。",
				"3 heading 一、促进高新技术企业发展",
				"15 heading 二、支持产业创新能力提升",
				"25 heading 三、支持新型研发机构引入和建设",
				"57 heading 四、推动创新服务平台建设",
				"69 heading 五、利用科技金融手段促进产业发展",
				"91 heading 六、鼓励专利创造与运用，促进科技成果转化",
			},
		},
		{
			file:     "doc-nansha-talent.txt",
			articles: numerals(1, 15),
			texts: map[string]string{
				"十五": "对符合条件人才发放高端人才卡，持卡人可享受子女优先入学、本人及家属入户、便捷通关、优先就医、免费体检、消费优惠等12项优质服务。优先安排高端领军人才子女入学，其中，杰出专家与优秀专家子女可在全区范围内选择一所公办学校申请就读，青年后备及其他人才子女申请就读公办学校，予以优先安排。",
				"二": "对年度应纳税工资薪金30万元以上(科研机构年度应纳税工资薪金20万元以上)的骨干人才，按照其个人经济贡献40%比例给予特殊人才奖励。其中，港澳籍人才可选择按照内地与港、澳地区税负差额给予奖励;外籍人才可选择按照超过15%部分税负差额给予奖励。\n" +
					"对符合条件的企业高级管理人才(包括董事长、副董事长、总经理、副总经理、监事会主席、总经济师、总会计师或相当层级职务的人员)，除享受特殊人才奖励外，还可在企业经营贡献奖中获得高管人才奖励。两项奖励总额最高为其个人经济贡献的100%。奖励金上不封顶，直接划入个人账户。",
			},
			lead:     map[string][]string{"十五": nil},
			sections: map[string][2]string{"一": {"实施高端领军人才引进计划", ""}, "十五": {"提供高端人才专属定制服务", ""}},
			others: concat([]string{
				"1 preamble 为落实《中共中央印发关于深化人才发展体制机制改革的意见》(中发〔2016〕9号)、《中共广东省委印发关于我省深化人才发展体制机制改革的实施意见》(粤发〔2017〕1号)及《中共广州市委广州市人民政府关于加快集聚产业领军人才的意见》(穗字〔2016〕1号)的有关精神，进一步打造高水平对外开放门户枢纽，加快建设广州南沙新区城市副中心，全面深化全国人才管理改革试验区、粤港澳人才合作示范区人才发展体制机制改革，促进各类人才集聚，制定本措施。",
				"3 heading 一、实施高端领军人才引进计划", "7 heading 二、实施骨干和高管人才贡献奖励", "13 heading 三、加强人才住房保障",
				"17 heading 四、实施高学历人才补贴", "21 heading 五、引进教育卫生人才", "25 heading 六、引进行政管理人才",
				"29 heading 七、鼓励航运专业人才集聚", "33 heading 八、提高专业技术及高技能人才培养水平", "37 heading 九、支持高端领军人才“团队+项目”",
				"41 heading 十、实施创业投资人才奖励", "45 heading 十一、支持院士、博士后科研平台建设", "49 heading 十二、实施人才引进引荐奖励",
				"53 heading 十三、推进人才出入境和停居留便利化", "57 heading 十四、落实人才市民待遇", "61 heading 十五、提供高端人才专属定制服务",
				"65 closing 本措施自2017年1月1日起施行，有效期5年。本措施有效期内如遇法律、法规或有关政策调整变化的，从其规定。本措施有效期届满，将根据实施情况依法予以评估修订。本措施由南沙开发区党工委组织部负责解释。",
			}),
		},
		{
			file: "doc-nansha-hq.txt",
			// 第二条 and 第三条 have no text of their own besides their title.
			articles: concat([]string{"一", "一.1", "一.2"}, seq("二", 3), seq("三", 3), numerals(4, 11)),
			texts: map[string]string{
				"一": "本办法所指的总部型企业和国际组织(机构)地区总部，应当满足以下条件：",
				"一.2": "国际组织(机构)地区总部，是指知名国际组织(机构)在我区设立的外国非企业经济组织代表机构，以授权形式在一个国家及以上的区域内履行管理和服务职能的唯一总机构。需满足以下条件：\n" +
					"1.依法获准设立的外国非企业经济组织代表机构;\n" +
					"2.受其所属的国际组织(机构)总部授权，在中国或更大区域开展活动，履行管理和服务职能;\n" +
					"3.由国际组织(机构)全球总部委派的首席代表常驻我区。\n" +
					"依法获准设立的港澳台非企业经济组织代表机构参照本规定执行。",
				"三.1": "对新落户及认定的总部型企业，连续5年给予企业对我区经济贡献95%的奖励。",
				"四":   "鼓励总部企业提升能级。对区域型总部升级为全国总部的，跨国公司地区总部升级为亚太地区或全球总部的，给予1000万元的资金奖励。经认定的总部企业，自认定之日起，其首次被评为世界企业500强的，给予一次性2000万元的资金奖励;其首次被评为世界企业1000强、中国企业500强的，给予一次性1000万元的资金奖励。",
				"十一":  "本办法自2017年1月1日起施行，有效期5年。本办法有效期内如遇法律、法规或有关政策调整变化的，从其规定。本办法有效期届满，将根据实施情况依法予以评估修订。本办法由南沙开发区发改局负责解释。",
			},
			lead:   map[string][]string{"十一": nil, "一.1": nil},
			titles: map[string]string{"二.1": "落户奖", "三.3": "经营贡献奖", "四": "提升能级奖", "五": "人才奖", "九": ""},
			others: []string{
				"33 heading 第二条 【落户奖】",
				"57 heading 第三条 【经营贡献奖】",
				"81 web 上一篇：",
			},
		},
		{
			file:     "doc-liuhe-industry.txt",
			meta:     Document{Title: "加快重点产业实施意见"},
			articles: concat([]string{"一"}, seq("二", 11), []string{"三", "四", "五"}),
			texts: map[string]string{
				"一": "设立规模不低于1亿元的重点产业发展引导资金，列入县财政预算，按照《柳河县中小企业发展引导资金管理办法（试行）》相关规定，用于重点产业发展补助和奖励。",
				// 1.–4. and the closing paragraph of (一) are inside 二.1.
				"二.1": "1.重点产业新上项目（不含采矿、选矿和矿产初级加工等矿产资源型项目）固定资产投资5000万元以上、投资强度亩均投资不低于100万元，在项目建设期，依据项目具体情况，按项目固定资产实际投资额度给企业5%-20%奖励支持，奖励支持按项目投资进度分期拨付。\n" +
					"2.重点产业新上项目固定资产投资3亿元以上重大项目，在享受第1款投资支持基础上，实行“一事一议”。\n" +
					"3.绩效支持奖励。对项目投产后根据绩效可以申请奖励。自认定当年起，按其年度地方经济贡献额给予五年奖励，其中前三年给予80%的奖励，后两年给予50%的奖励，每年最高奖励不超过5000万元。\n" +
					"4.对各乡镇招商的固定资产投资项目，由各乡镇参照以上奖励支持政策执行；落户到工业集中区的固定资产投资项目，计算为乡镇招商引资任务，项目固定资产投资奖励支持及财税分成比例“一事一议”。\n" +
					"企业固定资产投资额以企业财务数据为准，由政府成立固定资产投资项目验收组验收确认。经验收确认对项目固定资产投资额没有达到投资规模的，项目投产后，在企业绩效支持奖励中抵扣固定资产投资奖励支持。",
				"二.11": "强化金融支持。做大“助保金池”融资担保规模，在建立“助保金池”基础上，采取县财政逐年增加列支和争取省风险补偿铺底资金支持方式，用3年时间，使县级“助保金池”风险补偿铺底资金达到1千万以上，为中小微企业提供1亿元以上的增信担保，有效缓解中小微企业融资难、融资贵问题。",
				// Its closing sentence stays under 五、其他规定, whose text it is.
				"五": "以上有关各项奖励政策如与国家相关政策规定相抵触，或因国家相关政策调整，按国家和上级文件规定执行。\n本政策涉及同一内容的奖励与其他政策文件规定不一致的，按就高不重复原则办理。\n本政策自发布之日起施行，以前出台的招商项目相关支持奖励政策同时废止。",
			},
			lead:     map[string][]string{"二.1": nil, "四": nil},
			sections: map[string][2]string{"一": {"财政支持", ""}, "二.1": {"支持范围", "固定资产投资支持"}, "二.2": {"支持范围", "新产品研发支持"}, "五": {"其他规定", ""}},
			others: []string{
				"1 title 加快重点产业实施意见",
				"2 heading 一、财政支持",
				"4 heading 二、支持范围",
				"5 heading （一）固定资产投资支持。",
				"21 heading 三、政策兑现",
				"23 heading 四、组织保障",
				"25 heading 五、其他规定",
			},
		},
		{
			// 第X章 and 第X节 are headings; 第 1 0 条 and 第11条 as printed.
			file:     "synthetic-chapters.txt",
			meta:     Document{Title: "某市促进制造业发展办法"},
			articles: []string{"一", "二", "三", "三.1", "三.2", "四", "四.1", "四.2", "十", "十一"},
			texts: map[string]string{
				"三":   "对企业技术改造项目按以下标准给予补助：\n补助资金每年拨付一次。",
				"四.2": "国家级首台套的，奖励100万元。\n（1）其中国家级重大专项的，另加50万元；\n（2）同一装备只奖励一次。",
				"十":   "对引进的高层次人才给予安家补贴。",
				"十一":  "本办法自2020年1月1日起施行，有效期3年。本办法由市工信局负责解释。",
			},
			lead:     map[string][]string{"三": {"市工信局", "市财政局"}, "十": {"市人社局"}, "十一": nil, "三.2": nil},
			sections: map[string][2]string{"一": {"总则", ""}, "三.1": {"扶持措施", "技术改造"}, "十": {"扶持措施", "人才支持"}},
			others: []string{
				"1 title 某市促进制造业发展办法",
				"3 heading 第一章\u3000总则",
				"5 text 本章规定适用范围和基本原则。",
				"11 heading 第二章\u3000扶持措施",
				"13 heading 第一节\u3000技术改造",
				"23 departments 责任单位：市工信局、市财政局",
				"35 heading 第二节\u3000人才支持",
				"37 departments 由市人社局负责。",
			},
		},
		{
			// Sections restart in each part, so the part leads; text runs on
			// after a part heading.
			file:     "synthetic-restart.txt",
			meta:     Document{Title: "某县支持农业发展的若干措施", Issuer: "某县人民政府", Issued: Date{Year: 2021, Month: 5, Day: 6}},
			articles: []string{"一", "二.一.1", "二.一.2", "二.二", "三", "三.一", "三.二", "三.二.1", "三.二.2"},
			texts: map[string]string{
				"一":   "总体要求。坚持农业农村优先发展，推进乡村振兴。",
				"三.二": "考核办法另行制定。",
			},
			sections: map[string][2]string{"一": {"总体要求", ""}, "二.一.2": {"产业扶持", "种植业"}, "三.二": {"保障措施", "考核督查"}},
			others: []string{
				"1 title 某县支持农业发展的若干措施",
				"3 heading 二、产业扶持",
				"4 heading （一）种植业",
				"7 heading （二）养殖业",
				"9 heading 三、保障措施",
				"11 heading （一）资金保障",
				"13 heading （二）考核督查",
				"17 closing 本措施自发布之日起施行，此前出台的农业扶持政策同时废止。",
				"18 signature 某县人民政府",
			},
		},
		{
			// 1., (1) and ① nest inside the section's items; a paragraph after
			// the last item is the section's.
			file:     "synthetic-nesting.txt",
			meta:     Document{DocNo: "某府发〔2022〕3号", Title: "某市人民政府关于支持企业创新的意见", Issuer: "某市人民政府", Issued: Date{Year: 2022}},
			articles: []string{"一", "一.1", "一.2", "二", "三"},
			texts: map[string]string{
				"一":   "对企业研发投入给予奖励：\n本项奖励每年评审一次。",
				"一.1": "研发投入1000万元以上的：\n（1）增长10%以上的，奖励20万元；\n①其中高新技术企业另加5万元；\n②其中专精特新企业另加3万元。\n（2）增长20%以上的，奖励50万元。",
				"二":   "——支持建设重点实验室；\n——支持建设工程技术中心。",
				"三":   "本意见由市科技局负责解释。",
			},
			lead: map[string][]string{"一": {"市科技局"}, "二": {"市科技局"}, "三": nil},
			coop: map[string][]string{"二": {"市发改委"}},
			others: []string{
				"1 title 某市人民政府关于支持企业创新的意见",
				"2 doc_no 某府发〔2022〕3号",
				"3 heading 一、主要措施",
				"4 heading （一）研发投入奖励",
				"12 departments 由市科技局负责。",
				"13 heading （二）创新平台建设",
				"16 departments 〔市科技局牵头，市发改委配合〕",
				"17 heading 二、附则",
				"18 heading （三）解释",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sk, _ := mustParseFile(t, tt.file)
			d := sk.Document
			meta := *d
			meta.Clauses = nil
			if diff := cmp.Diff(tt.meta, meta); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.articles, articles(d.Clauses)); diff != "" {
				t.Errorf("articles (-want +got):\n%s", diff)
			}
			for a, want := range tt.texts {
				if got := clauseByArticle(t, d, a).Text; got != want {
					t.Errorf("%s: text = %q; want %q", a, got, want)
				}
			}
			for a, want := range tt.lead {
				if diff := cmp.Diff(want, clauseByArticle(t, d, a).Lead); diff != "" {
					t.Errorf("%s: lead (-want +got):\n%s", a, diff)
				}
			}
			for a, want := range tt.coop {
				if diff := cmp.Diff(want, clauseByArticle(t, d, a).Cooperating); diff != "" {
					t.Errorf("%s: cooperating (-want +got):\n%s", a, diff)
				}
			}
			for a, want := range tt.sections {
				c := clauseByArticle(t, d, a)
				if got := [2]string{c.Part, c.Section}; got != want {
					t.Errorf("%s: part, section = %q; want %q", a, got, want)
				}
			}
			for a, want := range tt.titles {
				if got := clauseByArticle(t, d, a).Title; got != want {
					t.Errorf("%s: title = %q; want %q", a, got, want)
				}
			}
			if diff := cmp.Diff(tt.others, nonClauses(sk)); diff != "" {
				t.Errorf("pieces that are not clauses (-want +got):\n%s", diff)
			}
		})
	}
}
