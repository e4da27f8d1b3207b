package dialogue

import (
	"strings"
	"testing"
)

func TestApplicantParts(t *testing.T) {
	r := testReader(t)
	cases := []struct {
		name, msg string
		labels    []string
		each      []string // words every part's text holds
	}{
		{"lettered firms with the question after them", "区科技局帮三家南沙注册的后备上市企业问：A公司今年在创业板上市；B公司在新三板挂牌了，没进创新层；C公司在广东股权交易中心挂牌。分别奖多少？",
			[]string{"A公司", "B公司", "C公司"}, []string{"南沙注册", "分别奖多少"}},
		{"stems after a time word", "我是柳河县农业农村局的，帮两家柳河县的药企问：今年甲企业新发展道地药材基地500亩，乙企业新发展中药材种植基地1,200亩，各奖多少？",
			[]string{"甲企业", "乙企业"}, []string{"柳河县", "各奖多少"}},
		{"what is said of both goes to each", "南沙一个产业园服务中心帮两家园区企业问：甲公司新设立了博士后科研工作站，乙公司新设立了院士工作站，两家都注册在南沙，各有什么资助",
			[]string{"甲公司", "乙公司"}, []string{"两家都注册在南沙"}},
		{"one and the other", "我们有两家企业，一家在南沙做研发，另一家在番禺做生产，各有什么政策",
			[]string{"一家", "另一家"}, []string{"各有什么政策"}},
		{"ordinals", "第一家在柳河新发展了500亩，第二家新发展了800亩", []string{"第一家", "第二家"}, nil},
		{"clients served are no applicants", "我们是新型研发机构，给A公司做检验检测800万，给B公司做技术咨询1200万", nil, nil},
		{"another with no first is another case", "另一家是南沙本地的老企业，今年刚被认定为国家高新", nil, nil},
		{"one firm named twice is one", "甲公司今年上市了，甲公司还发了债", nil, nil},
		{"one firm", "A公司今年在创业板上市了", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parts := r.applicantParts(c.msg)
			if len(parts) != len(c.labels) {
				t.Fatalf("applicantParts(%q) = %+v, want labels %v", c.msg, parts, c.labels)
			}
			for i, p := range parts {
				if p.Label != c.labels[i] {
					t.Errorf("part %d label %q, want %q", i, p.Label, c.labels[i])
				}
				if !strings.Contains(p.Text, p.Label) {
					t.Errorf("part %d text %q lacks its label", i, p.Text)
				}
				for _, w := range c.each {
					if !strings.Contains(p.Text, w) {
						t.Errorf("part %d text %q lacks %q", i, p.Text, w)
					}
				}
				for j, q := range c.labels {
					if j != i && q != "一家" && strings.Contains(p.Text, q) {
						t.Errorf("part %d text %q holds another's label %q", i, p.Text, q)
					}
				}
			}
		})
	}
}

func FuzzApplicantParts(f *testing.F) {
	for _, s := range []string{"A公司上市了;B公司挂牌了,分别奖多少", "一家在南沙,另一家在番禺", "第一家500亩,第二家800亩", "甲企业,乙企业,两家都在柳河", "另一家"} {
		f.Add(s)
	}
	r := testReader(f)
	f.Fuzz(func(t *testing.T, msg string) {
		parts := r.applicantParts(msg)
		if len(parts) == 1 {
			t.Fatalf("applicantParts(%q) returned one part", msg)
		}
		for _, p := range parts {
			if !strings.Contains(p.Text, p.Label) && p.Label != "一家" && p.Label != "另一家" {
				t.Fatalf("applicantParts(%q): part %+v lacks its label", msg, p)
			}
		}
	})
}
