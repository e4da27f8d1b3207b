package kb

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestWriteSkeletonGolden(t *testing.T) {
	tests := []struct {
		name, input, golden string
	}{
		{"ganzhou 2014 26", "ganzhou-2014-26.txt", "ganzhou-2014-26.skeleton.yaml"},
		{"second style", "second-style.txt", "second-style.skeleton.yaml"},
		{"nansha tech", "doc-nansha-tech.txt", "doc-nansha-tech.skeleton.yaml"},
		{"nansha talent", "doc-nansha-talent.txt", "doc-nansha-talent.skeleton.yaml"},
		{"nansha hq", "doc-nansha-hq.txt", "doc-nansha-hq.skeleton.yaml"},
		{"liuhe industry", "doc-liuhe-industry.txt", "doc-liuhe-industry.skeleton.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sk, _ := mustParseFile(t, tt.input)
			d := sk.Document
			var buf bytes.Buffer
			if err := WriteSkeleton(&buf, sk); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("WriteSkeleton differs from %s (-want +got); rerun with -update if intended:\n%s", golden, diff)
			}

			// The skeleton must load back as the document it came from.
			var back Document
			if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
				t.Fatalf("the skeleton does not load: %v", err)
			}
			if diff := cmp.Diff(articles(d.Clauses), articles(back.Clauses)); diff != "" {
				t.Errorf("articles after a round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteSkeleton(t *testing.T) {
	// The publication line is there because a zero Date does not load back
	// from YAML (Date.UnmarshalYAML rejects "").
	const headOf = "某市人民政府关于测试的通知\n发布时间:2020-01-05\n某府发〔2020〕1号\n(一)甲\n"
	tests := []struct {
		name, body      string
		title, validity string
		effectiveFrom   Date
	}{
		{
			name: "short heading sentence", body: "1.双轮驱动,优化结构。坚持并重。",
			title: "双轮驱动,优化结构", validity: noValidity, effectiveFrom: Date{Year: 2020},
		},
		{
			name: "first sentence too long", body: "1.对通过省级清洁化园区确认的工业园区,由市财政一次性奖励10万元。对企业予以奖励。",
			validity: noValidity, effectiveFrom: Date{Year: 2020},
		},
		{
			name: "one sentence is no heading", body: "1.奖励企业10万元。",
			validity: noValidity, effectiveFrom: Date{Year: 2020},
		},
		{
			name: "validity sentences", body: "1.落实政策。本意见自2020年3月1日起施行。原《办法》同时废止。",
			title: "落实政策", validity: "本意见自2020年3月1日起施行。原《办法》同时废止。", effectiveFrom: Date{Year: 2020, Month: 3, Day: 1},
		},
		{
			name: "term of validity", body: "本意见自印发之日起施行,有效期至2025年12月31日。\n某市人民政府\n2020年2月3日",
			validity: "本意见自印发之日起施行,有效期至2025年12月31日。", effectiveFrom: Date{Year: 2020, Month: 2, Day: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sk, err := Parse(strings.NewReader(headOf + tt.body))
			if err != nil {
				t.Fatal(err)
			}
			d := sk.Document
			var buf bytes.Buffer
			if err := WriteSkeleton(&buf, sk); err != nil {
				t.Fatal(err)
			}
			var got Document
			if err := yaml.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("the skeleton does not load: %v\n%s", err, buf.String())
			}
			if got.Clauses[0].Title != tt.title {
				t.Errorf("title = %q; want %q", got.Clauses[0].Title, tt.title)
			}
			if got.ValidityNote != tt.validity {
				t.Errorf("validity_note = %q; want %q", got.ValidityNote, tt.validity)
			}
			if got.EffectiveFrom != tt.effectiveFrom {
				t.Errorf("effective_from = %v; want %v", got.EffectiveFrom, tt.effectiveFrom)
			}
			if got.EffectiveTo != nil || !strings.Contains(buf.String(), "effective_to: null\n") {
				t.Errorf("effective_to = %v; want null", got.EffectiveTo)
			}
			if d.Clauses[0].Title != "" {
				t.Errorf("WriteSkeleton changed the document it was given")
			}
		})
	}
}
