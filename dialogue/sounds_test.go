package dialogue

import (
	"testing"

	"policybot/kb"
	"policybot/matcher"
)

func TestMend(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"今年盈力了", "今年盈利了"},
		{"我们是后背上市企业", "我们是后备上市企业"},       // 上市 stays as written beside the slip
		{"今年评上省级企业技术中心", "今年评上省级企业技术中心"}, // 上省级 is no slip of 上升级
		{"非营利组织", "非营利组织"},
		{"上个月在新三版挂牌了", "上个月在新三板挂牌了"},         // a numeral the word has too stands
		{"今年上十亿了", "今年上十亿了"},                 // a numeral is never a slip
		{"省级的200万能不能另外再拿", "省级的200万能不能另外再拿"}, // a follow-up's words, written right, stand
		{"那以前出台的政策还算数吗", "那以前出台的政策还算数吗"},     // and nothing is mended into them (以迁出)
		{"我们想注销一家子公司", "我们想注销一家子公司"},         // 想注 is a word of the library's alikes, no slip of 想住
		{"我们做了结能改造", "我们做了节能改造"},
		{"被认定为国家级两化融和示范企业", "被认定为国家级两化融合示范企业"}, // three alike beside a swap of grammar
	} {
		if got := testReader(t).mend(tc.text); got != tc.want {
			t.Errorf("mend(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestMendKeepsWritten checks that a run the library writes as it stands is
// left as written, though it sounds like a word (身核 of 审核), and that the
// same sounds elsewhere are still mended.
func TestMendKeepsWritten(t *testing.T) {
	base, err := kb.Load(kb.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := matcher.NewCatalogue(base.Facts(), base.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	v := VocabularyOf(base.ChatTexts())
	v.Written = "对新型研发机构围绕自身核心技术孵化的科技企业给予资助。"
	r := NewReader(cat, v)
	for _, tc := range []struct{ text, want string }{
		{"新型研发机构围绕自身核心技术孵化出来的企业", "新型研发机构围绕自身核心技术孵化出来的企业"},
		{"今年盈力了", "今年盈利了"},
	} {
		if got := r.mend(tc.text); got != tc.want {
			t.Errorf("mend(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	// Without the library's text the run is mended, so the case above
	// tests what keeps it.
	if got := testReader(t).mend("新型研发机构围绕自身核心技术孵化出来的企业"); got == "新型研发机构围绕自身核心技术孵化出来的企业" {
		t.Errorf("a reader without the library's text left 自身核心 as written; the case no longer tests the text")
	}
}
