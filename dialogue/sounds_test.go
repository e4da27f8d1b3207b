package dialogue

import "testing"

func TestMend(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"今年盈力了", "今年盈利了"},
		{"我们是后背上市企业", "我们是后备上市企业"},       // 上市 stays as written beside the slip
		{"今年评上省级企业技术中心", "今年评上省级企业技术中心"}, // 上省级 is no slip of 上升级
		{"非营利组织", "非营利组织"},
	} {
		if got := testReader(t).mend(tc.text); got != tc.want {
			t.Errorf("mend(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
