package kb

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustParseFile parses a document under testdata.
func mustParseFile(tb testing.TB, name string) (*Skeleton, string) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	sk, err := Parse(strings.NewReader(string(data)))
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return sk, string(data)
}

func articles(cs []Clause) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Article
	}
	return out
}

func clauseByArticle(tb testing.TB, d *Document, article string) Clause {
	tb.Helper()
	for _, c := range d.Clauses {
		if c.Article == article {
			return c
		}
	}
	tb.Fatalf("no clause %s", article)
	return Clause{}
}

func TestParseSeed(t *testing.T) {
	sk, src := mustParseFile(t, "ganzhou-2014-26.txt")
	d := sk.Document

	t.Run("metadata", func(t *testing.T) {
		got := *d
		got.Clauses = nil
		want := Document{
			DocNo:     "赣市府发〔2014〕26号",
			Title:     "赣州市人民政府关于进一步做大做强工业主导产业的意见",
			Issuer:    "赣州市人民政府",
			Issued:    Date{Year: 2014},
			Published: Publication{Date: Date{Year: 2016, Month: 9, Day: 26}, Where: "网站发布(发布者:kjyadmin)"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("document (-want +got):\n%s", diff)
		}
	})

	t.Run("articles", func(t *testing.T) {
		want := []string{
			"一", "二.1", "二.2", "二.3", "二.4", "三",
			"四.1", "四.2", "四.3", "五.1", "五.2", "六.1", "六.2",
			"七.1", "七.2", "七.3", "八.1", "八.2", "八.3", "九.1", "九.2", "九.3",
			"十.1", "十.2", "十一.1", "十一.2", "十一.3", "十二.1", "十二.2", "十二.3",
			"十三.1", "十三.2", "十三.3", "十四.1", "十四.2", "十四.3",
			"十五.1", "十五.2", "十五.3", "十五.4", "十六.1", "十六.2", "十六.3", "十六.4", "十六.5",
			"十七.1", "十七.2", "十七.3", "十七.4", "十七.5", "十八.1", "十八.2", "十九.1", "十九.2",
			"二十.1", "二十.2", "二十.3", "二十.4", "二十一.1", "二十一.2",
			"二十二", "二十三", "二十四", "二十五", "二十六", "二十六.1", "二十六.2", "二十六.3",
		}
		if diff := cmp.Diff(want, articles(d.Clauses)); diff != "" {
			t.Errorf("articles (-want +got):\n%s", diff)
		}
	})

	tests := []struct {
		article, part, section string
		lead, cooperating      []string
		textStart, textEnd     string
	}{
		{
			article: "一", part: "总体要求", section: "指导思想",
			textStart: "全面贯彻落实党的十八大", textEnd: "为赣南苏区振兴发展提供强力支撑。",
		},
		{
			article: "七.1", part: "重点任务", section: "推进产业平台建设",
			lead:      []string{"各县(市、区)政府", "赣州、龙南、瑞金经济技术开发区管委会"},
			textStart: "增强园区承载能力。", textEnd: "分别达到200万元/亩和300万元/亩。",
		},
		{
			article: "七.3", part: "重点任务", section: "推进产业平台建设",
			lead: []string{"市编办"},
			cooperating: []string{
				"市工信委", "市发改委", "市民营企业管理局", "市城管局", "市国土局",
				"市城乡规划建设局", "市环保局", "市国税局", "市地税局",
			},
			textStart: "创新园区管理。", textEnd: "服务机制和运行机制。",
		},
		{
			article: "八.1", part: "重点任务", section: "推进重大项目建设",
			lead:        []string{"市工信委"},
			cooperating: []string{"市发改委", "市重点办", "市环保局", "市国土局", "市城乡规划建设局", "市商务局", "市工商局"},
			textStart:   "强化项目推进。", textEnd: "重大工业项目建成投产。",
		},
		{
			article: "十四.1", part: "重点任务", section: "推进“两化”深度融合",
			lead:        []string{"市工信委"},
			cooperating: []string{"中国电信赣州分公司", "中国移动赣州分公司", "中国联通赣州分公司", "江西广电网络赣州分公司"},
			textStart:   "强化信息网络支撑。", textEnd: "提升信息网络服务能力。",
		},
		{
			article: "十四.3", part: "重点任务", section: "推进“两化”深度融合",
			lead:        []string{"市商务局"},
			cooperating: []string{"市工信委", "市发改委", "市交通运输局", "市工商局", "市金融工作局", "人民银行赣州中心支行"},
			textStart:   "推动电子商务应用。", textEnd: "提升企业采购和营销效率。",
		},
		{
			article: "十七.1", part: "政策支持", section: "企业帮扶政策",
			textStart: "年主营业务收入首次突破5亿元", textEnd: "相应奖励10万元。",
		},
		{
			article: "二十.1", part: "政策支持", section: "人才服务政策",
			textStart: "对企业引进的高层次人才", textEnd: "作为生产要素参与分配。",
		},
		{
			article: "二十二", part: "机制保障", section: "加强组织领导",
			textStart: "牢固树立“工业强市”理念", textEnd: "分管领导要全力抓好工作落实。",
		},
		{
			article: "二十六", part: "机制保障", section: "强化奖惩机制",
			textStart: "市委、市政府每年对各县", textEnd: "扶持工业发展先进单位予以表彰。",
		},
		{
			article: "二十六.3", part: "机制保障", section: "强化奖惩机制",
			textStart: "对当年工业经济四项主要指标", textEnd: "予以全市通报批评。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.article, func(t *testing.T) {
			c := clauseByArticle(t, d, tt.article)
			if c.Part != tt.part || c.Section != tt.section {
				t.Errorf("part, section = %q, %q; want %q, %q", c.Part, c.Section, tt.part, tt.section)
			}
			if diff := cmp.Diff(tt.lead, c.Lead); diff != "" {
				t.Errorf("lead (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.cooperating, c.Cooperating); diff != "" {
				t.Errorf("cooperating (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(c.Text, tt.textStart) || !strings.HasSuffix(c.Text, tt.textEnd) {
				t.Errorf("text = %q; want it to run from %q to %q", c.Text, tt.textStart, tt.textEnd)
			}
		})
	}

	t.Run("五.1 keeps its bullets", func(t *testing.T) {
		c := clauseByArticle(t, d, "五.1")
		paras := strings.Split(c.Text, "\n")
		want := []string{
			"——以导入高技术服务业促进稀土钨产业转型升级。",
			"——以整车制造为驱动引领节能与新能源汽车及配套产业。",
			"——以整机制造为支撑引领电子信息产业。",
			"——以建设铜铝有色金属循环经济产业园为核心壮大铜铝有色金属产业。",
			"——以做强家具产业为重点发展现代轻纺产业。",
			"——以壮大烟草产业为重点培育特色农产品加工产业。",
		}
		if len(paras) != 1+len(want) {
			t.Fatalf("五.1 has %d paragraphs; want 1 and %d bullets", len(paras), len(want))
		}
		for i, w := range want {
			if !strings.HasPrefix(paras[i+1], w) {
				t.Errorf("paragraph %d = %.40q…; want it to start with %q", i+1, paras[i+1], w)
			}
		}
	})

	t.Run("texts", func(t *testing.T) {
		_, canon := splitLines(src)
		for _, c := range d.Clauses {
			// 二十.1 cites 赣市才发〔2013〕2号; any other 〔 is a department list left behind.
			if strings.ContainsAny(citedYear.ReplaceAllString(c.Text, ""), "〔〕") {
				t.Errorf("%s: text keeps its department list: …%s", c.Article, lastRunes(c.Text, 30))
			}
			if c.Text != strings.TrimSpace(c.Text) {
				t.Errorf("%s: text has surrounding white space", c.Article)
			}
			if !strings.Contains(canon, c.Text) {
				t.Errorf("%s: text is not cut from the document", c.Article)
			}
			// One-paragraph texts are cut from the file as it is.
			if !strings.Contains(c.Text, "\n") && !strings.Contains(src, c.Text) {
				t.Errorf("%s: text is not a substring of the file", c.Article)
			}
			if c.DocNo != d.DocNo {
				t.Errorf("%s: doc_no = %q; want %q", c.Article, c.DocNo, d.DocNo)
			}
		}
	})
}

// citedYear matches the year brackets of a document number cited in a text.
var citedYear = regexp.MustCompile(`〔\d{4}〕`)

func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(len(r)-n, 0):])
}

func TestParseSecondStyle(t *testing.T) {
	sk, src := mustParseFile(t, "second-style.txt")
	d := sk.Document
	if !strings.HasPrefix(src, "\uFEFF") || !strings.Contains(src, "\r\n") {
		t.Fatal("testdata/second-style.txt must start with a BOM and use CRLF line endings")
	}
	const docNo = "某市府发〔2021〕7号"
	want := &Document{
		DocNo:     docNo,
		Title:     "某市人民政府关于支持中小企业发展的若干意见",
		Issuer:    "某市人民政府",
		Issued:    Date{Year: 2021, Month: 3, Day: 10},
		Published: Publication{Date: Date{Year: 2021, Month: 3, Day: 15}, Where: "网站发布(发布者:admin)"},
		Clauses: []Clause{
			// 总体要求: (一) half-width brackets, no items.
			{Article: "一", Part: "总体要求", Section: "指导思想",
				Text: "深入贯彻落实国家和省支持中小企业发展的决策部署，坚持稳中求进，着力优化发展环境，推动中小企业专业化、精细化、特色化发展。"},
			// （二） full-width brackets, items numbered 1、
			{Article: "二.1", Part: "总体要求", Section: "基本原则",
				Text: "政府引导，市场主导。充分发挥市场在资源配置中的决定性作用，更好发挥政府引导作用。"},
			{Article: "二.2", Part: "总体要求", Section: "基本原则",
				Text: "分类施策，精准帮扶。针对不同行业、不同规模企业的实际困难，制定有针对性的扶持措施。"},
			// (三） mixed brackets; a paragraph starting with a decimal is no item.
			{Article: "三", Part: "总体要求", Section: "发展目标",
				Text: "到2023年，全市中小企业户数达到５万户，培育专精特新企业１００户以上。\n2.5万户中小企业实现数字化转型。"},
			// 重点任务: 四） lacks its opening bracket; items numbered １． with 〔〕 and [].
			{Article: "四.1", Part: "重点任务", Section: "培育优质企业",
				Text: "培育专精特新企业。每年遴选５０户成长性好的中小企业进行重点培育，对新认定的国家级专精特新“小巨人”企业，由市财政一次性奖励５０万元。",
				Lead: []string{"市工信局"}, Cooperating: []string{"市财政局", "市科技局"}},
			{Article: "四.2", Part: "重点任务", Section: "培育优质企业",
				Text: "推动小升规。对首次纳入规模以上统计的工业企业，由受益财政给予一次性奖励１０万元。",
				Lead: []string{"市工信局"}, Cooperating: []string{"市统计局", "市税务局"}},
			// （五 lacks its closing bracket; 五.1's list has no brackets, and 五.2
			// ends in 负责 without being a list.
			{Article: "五.1", Part: "重点任务", Section: "优化融资服务",
				Text: "扩大信贷投放。鼓励银行业金融机构单列中小企业信贷计划，确保中小企业贷款增速不低于各项贷款平均增速。",
				Lead: []string{"市金融办"}, Cooperating: []string{"人民银行某市中心支行", "某银保监分局"}},
			{Article: "五.2", Part: "重点任务", Section: "优化融资服务",
				Text: "降低融资成本。市、县两级财政安排资金对中小企业贷款给予贴息。具体办法由市财政局负责。"},
			// —— bullets, then a 【】 list in a paragraph of its own.
			{Article: "六.1", Part: "重点任务", Section: "强化要素保障",
				Text: "保障用地需求。优先保障中小企业产业项目用地：\n——支持企业利用存量土地建设标准厂房；\n——支持园区建设小微企业创业园；\n——对符合条件的项目实行用地“应保尽保”。",
				Lead: []string{"市自然资源局"}, Cooperating: []string{"市发改委"}},
			{Article: "六.2", Part: "重点任务", Section: "强化要素保障",
				Text: "保障用工需求。组织开展线上线下招聘活动，帮助中小企业解决用工难题。",
				Lead: []string{"市人社局"}},
			// An introduction before the items, and a ［］ list.
			{Article: "七", Part: "重点任务", Section: "加大财政支持",
				Text: "市、县两级财政每年安排中小企业发展专项资金，并随财力增长逐年增加。"},
			{Article: "七.1", Part: "重点任务", Section: "加大财政支持",
				Text: "支持技术改造。对中小企业技术改造项目，按设备投资额的８％给予补助，最高不超过２００万元。",
				Lead: []string{"市工信局"}, Cooperating: []string{"市财政局"}},
			{Article: "七.2", Part: "重点任务", Section: "加大财政支持",
				Text: "支持市场开拓。对中小企业参加境内外重点展会的，按展位费的５０％给予补助。",
				Lead: []string{"市商务局"}},
			// A 负责 list whose names hold 、 and full-width parentheses.
			{Article: "八", Part: "重点任务", Section: "强化公共服务",
				Text: "依托中小企业公共服务平台，为中小企业提供政策咨询、创业辅导、人才培训等服务。",
				Lead: []string{"各县(市、区)人民政府", "高新区、经开区管委会"}},
			// 政策措施
			{Article: "九.1", Part: "政策措施", Section: "落实税费优惠",
				Text: "全面落实国家小微企业普惠性税收减免政策，确保应享尽享。",
				Lead: []string{"市税务局"}},
			{Article: "十", Part: "政策措施", Section: "降低用能成本",
				Text: "推动中小企业参与电力市场化交易，降低企业用电成本。",
				Lead: []string{"市发改委"}, Cooperating: []string{"国网某市供电公司"}},
			{Article: "十一", Part: "政策措施", Section: "减轻社保负担",
				Text: "落实阶段性降低失业保险、工伤保险费率政策。",
				Lead: []string{"各县(市、区)"}},
			{Article: "十二.1", Part: "政策措施", Section: "支持创新创业",
				Text: "支持研发投入。对研发投入占营业收入比例达到３％以上的中小企业，按研发投入增量的１０％给予奖励，最高５０万元。",
				Lead: []string{"市科技局"}, Cooperating: []string{"市财政局"}},
			{Article: "十二.2", Part: "政策措施", Section: "支持创新创业",
				Text: "支持创业孵化。对新认定的国家级、省级小型微型企业创业创新示范基地，分别奖励１００万元、５０万元。",
				Lead: []string{"市工信局"}, Cooperating: []string{"市财政局"}},
			{Article: "十三", Part: "政策措施", Section: "支持人才引进",
				Text: "中小企业引进的高层次人才，同等享受全市人才政策。",
				Lead: []string{"市委人才办"}, Cooperating: []string{"市人社局"}},
			{Article: "十四.1", Part: "政策措施", Section: "支持上市挂牌",
				Text: "对在境内外证券交易所首发上市的中小企业，由市财政分阶段奖励３００万元。",
				Lead: []string{"市金融办"}, Cooperating: []string{"市财政局"}},
			{Article: "十五", Part: "政策措施", Section: "支持品牌建设",
				Text: "对新获得中国驰名商标的中小企业，由受益财政奖励５０万元。",
				Lead: []string{"市市场监管局"}},
			{Article: "十六", Part: "政策措施", Section: "支持数字化转型",
				Text: "鼓励中小企业上云用数赋智，对购买云服务的企业按费用的３０％给予补助。",
				Lead: []string{"市工信局"}},
			{Article: "十七", Part: "政策措施", Section: "保障合法权益",
				Text: "建立拖欠中小企业账款清理长效机制，依法保护中小企业合法权益。",
				Lead: []string{"市司法局", "市工信局"}},
			// 保障措施: (十八) runs its text on after the heading.
			{Article: "十八", Part: "保障措施", Section: "加强组织领导",
				Text: "加强组织领导。成立市促进中小企业发展工作领导小组，统筹推进全市中小企业发展工作。"},
			{Article: "十九", Part: "保障措施", Section: "强化督查考核",
				Text: "将本意见落实情况纳入对各县（市、区）的年度考核。",
				Lead: []string{"市政府督查室"}},
			{Article: "二十", Part: "保障措施", Section: "加强宣传引导",
				Text: "通过报纸、电视、网络等媒体宣传惠企政策，营造支持中小企业发展的良好氛围。"},
			{Article: "二十一.1", Part: "保障措施", Section: "营造良好环境",
				Text: "深化“放管服”改革，压缩企业开办时间至１个工作日以内。",
				Lead: []string{"市行政审批局"}},
			{Article: "二十一.2", Part: "保障措施", Section: "营造良好环境",
				Text: "建立政企沟通机制，定期召开中小企业座谈会。",
				Lead: []string{"市工信局"}, Cooperating: []string{"市工商联"}},
			// 附则, followed by the signature block.
			{Article: "二十二", Part: "附则", Section: "施行日期",
				Text: "本意见自印发之日起施行,有效期至2025年12月31日。"},
		},
	}
	for i := range want.Clauses {
		want.Clauses[i].DocNo = docNo
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("Parse(second-style.txt) (-want +got):\n%s", diff)
	}
	_, canon := splitLines(src)
	for _, c := range d.Clauses {
		if !strings.Contains(canon, c.Text) {
			t.Errorf("%s: text is not cut from the document", c.Article)
		}
	}
}

// head is the start of a minimal document, before its first heading.
const head = "某市人民政府关于测试的通知\n某府发〔2020〕1号\n"

func TestParseEdges(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  *Document
	}{
		{
			name:  "sections without parts",
			input: head + "(一)甲\n甲的文本。\n(二)乙\n1.乙的文本。",
			want: &Document{Clauses: []Clause{
				{Article: "一", Section: "甲", Text: "甲的文本。"},
				{Article: "二.1", Section: "乙", Text: "乙的文本。"},
			}},
		},
		{
			name:  "item number alone on its line",
			input: head + "(一)甲\n1.\n文本。",
			want:  &Document{Clauses: []Clause{{Article: "一.1", Section: "甲", Text: "文本。"}}},
		},
		{
			name:  "heading with its text on the same line",
			input: head + "（三）加强领导。各地要抓好落实。〔市政府办负责〕",
			want: &Document{Clauses: []Clause{
				{Article: "三", Section: "加强领导", Text: "加强领导。各地要抓好落实。", Lead: []string{"市政府办"}},
			}},
		},
		{
			name:  "heading that ends in 。 with its text below",
			input: head + "(一)甲。\n文本。",
			want:  &Document{Clauses: []Clause{{Article: "一", Section: "甲", Text: "文本。"}}},
		},
		{
			name:  "numerals past twenty",
			input: head + "(三十)甲\n文本。\n(四十五)乙\n１０．文本。\n(九十九)丙\n文本。",
			want: &Document{Clauses: []Clause{
				{Article: "三十", Section: "甲", Text: "文本。"},
				{Article: "四十五.10", Section: "乙", Text: "文本。"},
				{Article: "九十九", Section: "丙", Text: "文本。"},
			}},
		},
		{
			name:  "BOM, CRLF and indented lines",
			input: "\uFEFF某市人民政府关于测试的通知\r\n　　某府发（2020）1号\r\n　　(一)甲\r\n　　文本。\r\n",
			want:  &Document{DocNo: "某府发〔2020〕1号", Clauses: []Clause{{Article: "一", Section: "甲", Text: "文本。"}}},
		},
		{
			name:  "signature of another issuer",
			input: head + "(一)甲\n文本。\n某市人民政府办公室\n2020年1月2日",
			want: &Document{
				Issuer:  "某市人民政府办公室",
				Issued:  Date{Year: 2020, Month: 1, Day: 2},
				Clauses: []Clause{{Article: "一", Section: "甲", Text: "文本。"}},
			},
		},
		{
			// Headings without text of their own are not articles.
			name:  "section without text",
			input: head + "(一)甲\n(二)乙\n文本。",
			want:  &Document{Clauses: []Clause{{Article: "二", Section: "乙", Text: "文本。"}}},
		},
		{
			// A part holding text directly is the article.
			name:  "text under a part heading",
			input: head + "一、总则\n文本。",
			want:  &Document{Clauses: []Clause{{Article: "一", Part: "总则", Text: "文本。"}}},
		},
		{
			name:  "department list is the whole last paragraph",
			input: head + "(一)甲\n1.文本。\n〔市财政局牵头，市税务局配合〕",
			want: &Document{Clauses: []Clause{
				{Article: "一.1", Section: "甲", Text: "文本。", Lead: []string{"市财政局"}, Cooperating: []string{"市税务局"}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sk, err := Parse(strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			got := sk.Document
			// Fill in what every case shares.
			want := *tt.want
			want.Title = "某市人民政府关于测试的通知"
			if want.DocNo == "" {
				want.DocNo = "某府发〔2020〕1号"
			}
			if want.Issuer == "" {
				want.Issuer = "某市人民政府"
			}
			if want.Issued.IsZero() {
				want.Issued = Date{Year: 2020}
			}
			for i := range want.Clauses {
				want.Clauses[i].DocNo = want.DocNo
			}
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDocNo(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"tortoise-shell brackets", "赣市府发〔2014〕26号", "赣市府发〔2014〕26号"},
		{"square brackets", "赣市府发[2014]26号", "赣市府发〔2014〕26号"},
		{"lenticular brackets", "赣市府发【2014】26号", "赣市府发〔2014〕26号"},
		{"parentheses", "赣市府发(2014)26号", "赣市府发〔2014〕26号"},
		{"full-width parentheses", "赣市府发（2014）26号", "赣市府发〔2014〕26号"},
		{"full-width digits kept as printed", "赣市府发［２０１４］２６号", "赣市府发〔２０１４〕２６号"},
		{"none", "各县(市、区)人民政府:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sk, err := Parse(strings.NewReader("标题\n" + tt.line + "\n(一)甲\n文本。"))
			if err != nil {
				t.Fatal(err)
			}
			d := sk.Document
			issued := Date{Year: 2014}
			if tt.want == "" {
				issued = Date{}
			}
			if d.DocNo != tt.want || d.Issued != issued {
				t.Errorf("doc_no, issued = %q, %v; want %q, %v", d.DocNo, d.Issued, tt.want, issued)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{
			name:  "duplicate item",
			input: head + "一、总则\n(一)甲\n1.文本。\n1.又一条。",
			want:  "kb: parse: line 6: duplicate article 一.1 (first at line 5)",
		},
		{
			name:  "duplicate section",
			input: head + "(一)甲\n文本。\n(二)乙\n文本。\n(一)丙\n文本。",
			want:  "kb: parse: line 7: duplicate article 一 (first at line 3)",
		},
		{
			name:  "item before any section",
			input: head + "一、总则\n1.文本。\n(一)甲\n文本。",
			want:  "kb: parse: line 4: item 1 is outside any article",
		},
		{
			name:  "item in the preamble",
			input: head + "１．文本。\n(一)甲\n文本。",
			want:  "kb: parse: line 3: item 1 is outside any article",
		},
		{
			name:  "no article",
			input: head + "文本。",
			want:  "kb: parse: line 3: no article",
		},
		{
			name:  "bad publication date",
			input: "标题\n发布时间:2016-13-01\n某府发〔2020〕1号\n(一)甲\n文本。",
			want:  `kb: parse: line 2: publication date "2016-13-01" is out of range`,
		},
		{
			name:  "empty",
			input: "\uFEFF\r\n \r\n",
			want:  "kb: parse: line 1: empty document",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.input))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse error = %v; want %s", err, tt.want)
			}
		})
	}
}
