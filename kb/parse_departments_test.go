package kb

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitDepartments(t *testing.T) {
	tests := []struct {
		name, text, rest  string
		lead, cooperating []string
	}{
		{
			name: "lead and cooperating", text: "文本。〔市工信委牵头,市发改委、市重点办等配合〕", rest: "文本。",
			lead: []string{"市工信委"}, cooperating: []string{"市发改委", "市重点办"},
		},
		{
			name: "several leads", text: "文本。[市科技局、市工信委牵头，市财政局配合]", rest: "文本。",
			lead: []string{"市科技局", "市工信委"}, cooperating: []string{"市财政局"},
		},
		{
			name: "lead only", text: "文本。【市编办牵头】", rest: "文本。",
			lead: []string{"市编办"},
		},
		{
			name: "cooperating only", text: "文本。［市财政局等配合］", rest: "文本。",
			cooperating: []string{"市财政局"},
		},
		{
			name: "responsible bodies split only at commas", text: "文本。〔各县(市、区)政府,赣州、龙南、瑞金经济技术开发区管委会负责〕", rest: "文本。",
			lead: []string{"各县(市、区)政府", "赣州、龙南、瑞金经济技术开发区管委会"},
		},
		{
			name: "no brackets", text: "文本。市商务局牵头,市招商服务中心等配合。", rest: "文本。",
			lead: []string{"市商务局"}, cooperating: []string{"市招商服务中心"},
		},
		{
			name: "no brackets, no final stop", text: "文本。市人社局负责", rest: "文本。",
			lead: []string{"市人社局"},
		},
		{
			name: "sentence ending in 负责 is no list", text: "文本。具体办法由市财政局负责。", rest: "文本。具体办法由市财政局负责。",
		},
		{
			name: "sentence ending in 配合 is no list", text: "文本。加强部门协作配合。", rest: "文本。加强部门协作配合。",
		},
		{
			name: "牵头 inside a sentence", text: "支持有条件的企业牵头建立产业技术创新战略联盟。", rest: "支持有条件的企业牵头建立产业技术创新战略联盟。",
		},
		{
			name: "bracketed document number", text: "按照《意见》(赣市才发[2013]", rest: "按照《意见》(赣市才发[2013]",
		},
		{
			name: "list over a paragraph break", text: "文本。〔市工信委牵头,市发\n改委配合〕", rest: "文本。〔市工信委牵头,市发\n改委配合〕",
		},
		{
			name: "empty name", text: "文本。〔市工信委牵头,,市财政局配合〕", rest: "文本。〔市工信委牵头,,市财政局配合〕",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, lead, coop := splitDepartments(tt.text)
			if rest != tt.rest {
				t.Errorf("rest = %q; want %q", rest, tt.rest)
			}
			if diff := cmp.Diff(tt.lead, lead); diff != "" {
				t.Errorf("lead (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.cooperating, coop); diff != "" {
				t.Errorf("cooperating (-want +got):\n%s", diff)
			}
		})
	}
}
