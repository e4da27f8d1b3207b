package dialogue

import (
	"slices"
	"testing"
)

// TestAcknowledges checks which messages take what was said and go on, so
// that the results are restated, and which ask something of their own.
func TestAcknowledges(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want bool
	}{
		{"行，那就按1000万那笔报", true},
		{"好的，今年就先按现在的人数报", true},
		{"好，那目前先按500亩报", true},
		{"那就按现在的情况登记", true},
		{"嗯", true},
		{"行业有限制吗", false},         // 行 begins a word
		{"好像还有企业上市的奖励吧", false},   // so does 好
		{"可以线上申报吗", false},        // a question
		{"好的谢谢", false},           // thanks, answered as thanks
		{"好的，那这个钱什么时候到账？", false}, // a question after the acknowledgement
	} {
		if got := acknowledges(tc.msg); got != tc.want {
			t.Errorf("acknowledges(%q) = %v, want %v", tc.msg, got, tc.want)
		}
	}
}

func TestDocumentsCited(t *testing.T) {
	for _, c := range []struct {
		text, title string
		want        []string
	}{
		{"对企业引进的高层次人才,按照《关于大力引进高层次人才的若干意见》(赣市才发〔2013〕2号),给予特殊人才津贴", "高层次人才优惠政策",
			[]string{"《关于大力引进高层次人才的若干意见》(赣市才发〔2013〕2号)"}},
		{"人才子女入学按穗府办〔2016〕12号执行", "人才子女入学优惠", []string{"穗府办〔2016〕12号"}},
		// The sentence that cites speaks of another benefit of the clause.
		{"给予五险一金补贴;随迁子女按照《外来人员随迁子女接受义务教育实施办法》入学", "五险一金补贴", nil},
		// A title named, not cited as a standard.
		{"入选《福布斯》全球企业2000强的总部企业", "总部企业认定", nil},
		{"给予企业100万元奖励", "企业奖励", nil},
	} {
		if got := documentsCited(c.text, c.title); !slices.Equal(got, c.want) {
			t.Errorf("documentsCited(%q, %q) = %q, want %q", c.text, c.title, got, c.want)
		}
	}
}

// TestNamesSubject checks which questions name a subject to search beyond
// the words of a follow-up.
func TestNamesSubject(t *testing.T) {
	r := testReader(t)
	for _, c := range []struct {
		q    string
		want bool
	}{
		{"要啥材料", false},
		{"流程是什么", false},
		{"需要什么手续", false},
		{"发债有奖吗", true},
		{"注销子公司的流程是什么", true},
	} {
		if got := r.namesSubject(c.q); got != c.want {
			t.Errorf("namesSubject(%q) = %v, want %v", c.q, got, c.want)
		}
	}
}

// TestFoldCantonese checks that written Cantonese's function words read as
// Mandarin's, and that the traditional 係 of 关係 stays.
func TestFoldCantonese(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"我哋係南沙嘅科技企业孵化器", "我们是南沙的科技企业孵化器"},
		{"上年度培育同引入咗7家,有冇奖励", "上年度培育同引入了7家,有没有奖励"},
		{"佢唔係博士", "他不是博士"},
		{"同关係企业合作", "同关係企业合作"},
		{"营收3亿", "营收3亿"},
	} {
		if got := foldCantonese(c.in); got != c.want {
			t.Errorf("foldCantonese(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFollowUpKinds checks which kinds of follow-up a message asks: the
// first of FollowUps, and a second only when another clause asks it.
func TestFollowUpKinds(t *testing.T) {
	r := testReader(t)
	for _, c := range []struct{ msg, kind, also string }{
		{"去哪申报,钱啥时候兑付", FollowPayment, FollowDepartment},
		{"钱啥时候兑付", FollowPayment, ""},
		{"找哪个部门申请", FollowDepartment, ""},
		{"要准备什么材料,找哪个部门", FollowMaterials, FollowDepartment},
		{"营收5亿", "", ""},
		// The time of another question is not the question.
		{"这笔奖励到账以后要不要交企业所得税", "", ""},
		{"钱什么时候到账", FollowPayment, ""},
		{"这个钱到账", FollowPayment, ""},
		{"市里省里对高企也有奖励,几边能不能都拿", FollowStacking, ""},
	} {
		if u := r.Understand(c.msg, Context{Told: []string{"x"}}); u.FollowUp != c.kind || u.FollowUpToo != c.also {
			t.Errorf("Understand(%q) follow-ups = %q, %q; want %q, %q", c.msg, u.FollowUp, u.FollowUpToo, c.kind, c.also)
		}
	}
}

// TestFoldCurrency checks that a currency's code before its figure reads as
// the unit after it.
func TestFoldCurrency(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"实缴注册资本USD 2,500万", "实缴注册资本2,500万美元"},
		{"实缴 usd3000万", "实缴 3000万美元"},
		{"注册资本HK$500万", "注册资本500万港元"},
		{"营收3亿", "营收3亿"},
		{"USD", "USD"},
		{"Paid-in capital is USD 9.95 million.", "Paid-in capital is 995万美元."},
		{"USD12 million", "1200万美元"},
		{"revenue 1.2 billion", "revenue 12亿"},
		{"0.5 million", "50万"},
		{"500 thousand", "500000"},
		{"9.955 mn", "995.5万"},
		{"millions of users", "millions of users"},
	} {
		if got := foldCurrency(c.in); got != c.want {
			t.Errorf("foldCurrency(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCoverage checks how much of a benefit's name a message says in runs
// of two characters or more, the words every award shares aside.
func TestCoverage(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       int
	}{
		{"博士后出站留南沙安家补贴", "博士后安家补贴多少", 5},
		{"高端领军人才安家补贴", "博士后安家补贴多少", 2},
		{"博士后生活补助", "博士后安家补贴多少", 3},
		{"总部落户奖", "想问问落户奖", 2},
		{"总部落户奖", "你好", 0},
	} {
		if got := coverage(tc.name, tc.text); got != tc.want {
			t.Errorf("coverage(%q, %q) = %d, want %d", tc.name, tc.text, got, tc.want)
		}
	}
}

// TestFoldEnglishPersons checks that the speaker's English pronouns speak
// in the first person as Chinese ones do, and that our before an English
// noun leaves the noun's phrase whole.
func TestFoldEnglishPersons(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"We are a foreign-invested company", "我们是 a foreign-invested company"},
		{"I'm 外籍华人", "我是 外籍华人"},
		{"We newly set up our HQ in Nansha", "我们 newly set up HQ in Nansha"},
		{"our 总部在南沙", "我们的 总部在南沙"},
		{"my salary", "我的 salary"},
		{"answer welcome", "answer welcome"},
	} {
		if got := foldEnglishPersons(c.in); got != c.want {
			t.Errorf("foldEnglishPersons(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
