package dialogue

import "testing"

// articleCases are also seeds of FuzzUnderstand.
var articleCases = []struct {
	name string
	text string
	want string
}{
	{"section and paragraph", "第十七条第一款", "十七.1"},
	{"section and arabic item", "第十七条第1项", "十七.1"},
	{"arabic section and item", "第17条第1项", "十七.1"},
	{"without the second di", "十七条一款", "十七.1"},
	{"dotted", "十七.1", "十七.1"},
	{"dotted in a sentence", "请问十七.1的内容", "十七.1"},
	{"full-width dot", "十七．1", "十七.1"},
	{"parenthesised", "(十七)1", "十七.1"},
	{"full-width parentheses", "（十六）第4项", "十六.4"},
	{"parenthesised section", "(二十二)讲什么", "二十二"},
	{"arabic alone", "17.1", "十七.1"},
	{"arabic asked", "17.1是什么", "十七.1"},
	{"arabic among clause words", "想看一下条款17.1", "十七.1"},
	{"section only", "第二十二条", "二十二"},
	{"twenty-six two", "第二十六条第2款", "二十六.2"},
	{"ten", "第十条", "十"},
	{"money is no clause", "营收17.1亿", ""},
	{"percent is no clause", "增长了17.1%", ""},
	{"decimal in a sentence", "去年17.1,今年20", ""},
	{"first is no clause", "第一次申请", ""},
	{"plain", "企业发债有奖励吗", ""},
	{"too large", "第一百条", ""},
}

func TestFindArticle(t *testing.T) {
	for _, tc := range articleCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := testReader(t).Understand(tc.text, Context{}).Article; got != tc.want {
				t.Errorf("testReader(t).Understand(%q).Article = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestChineseNumeral(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{1, "一"}, {7, "七"}, {10, "十"}, {17, "十七"}, {20, "二十"}, {22, "二十二"}, {99, "九十九"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := chineseNumeral(tc.in); got != tc.want {
				t.Errorf("chineseNumeral(%d) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
