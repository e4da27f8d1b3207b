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
		text string
		want []string
	}{
		{"按照《关于大力引进高层次人才的若干意见》(赣市才发〔2013〕2号),给予特殊人才津贴", []string{"《关于大力引进高层次人才的若干意见》(赣市才发〔2013〕2号)"}},
		{"依据《柳河县中小企业发展引导资金管理办法（试行）》相关规定,次年一次性兑付", []string{"《柳河县中小企业发展引导资金管理办法（试行）》"}},
		{"按穗府办〔2016〕12号执行,并参照穗府办〔2016〕12号", []string{"穗府办〔2016〕12号"}},
		{"给予企业100万元奖励", nil},
		{"按2017年标准执行", nil},
	} {
		if got := documentsCited(c.text); !slices.Equal(got, c.want) {
			t.Errorf("documentsCited(%q) = %q, want %q", c.text, got, c.want)
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
