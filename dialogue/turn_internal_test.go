package dialogue

import "testing"

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
