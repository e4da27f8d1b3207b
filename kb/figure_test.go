package kb

import (
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// TestReadFigure reads figures as the texts print them.
func TestReadFigure(t *testing.T) {
	tests := []struct {
		in      string
		unit    FigureUnit
		cny     int64
		value   float64
		measure string
		n       int // bytes read; 0 for all of in
	}{
		{in: "5000万元", unit: FigureYuan, cny: 50000000, value: 5e7},
		{in: "1.5亿元", unit: FigureYuan, cny: 150000000, value: 1.5e8},
		{in: "二十万元", unit: FigureYuan, cny: 200000, value: 2e5},
		{in: "一千万元", unit: FigureYuan, cny: 10000000, value: 1e7},
		{in: "100元", unit: FigureYuan, cny: 100, value: 100},
		{in: "５０万元", unit: FigureYuan, cny: 500000, value: 5e5},
		{in: "1千万以上", unit: FigureYuan, cny: 10000000, value: 1e7, n: len("1千万")},
		{in: "500万(含)", unit: FigureYuan, cny: 5000000, value: 5e6, n: len("500万")},
		{in: "5%", unit: FigurePercent, value: 5},
		{in: "100％", unit: FigurePercent, value: 100},
		{in: "百分之五十", unit: FigurePercent, value: 50},
		{in: "1‰", unit: FigurePerMille, value: 1},
		{in: "500亩以上", unit: FigureNumber, value: 500, measure: "亩", n: len("500亩")},
		{in: "30件以上", unit: FigureNumber, value: 30, measure: "件", n: len("30件")},
		{in: "100人的", unit: FigureNumber, value: 100, measure: "人", n: len("100人")},
		{in: "2000平方米", unit: FigureNumber, value: 2000, measure: "平方米"},
		{in: "3亿美元(含)", unit: FigureNumber, value: 3e8, measure: "美元", n: len("3亿美元")},
		{in: "500吨标煤", unit: FigureNumber, value: 500, measure: "吨标煤"},
		{in: "三年内", unit: FigureNumber, value: 3, measure: "年", n: len("三年")},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, n, ok := ReadFigure(tt.in)
			if !ok {
				t.Fatalf("ReadFigure(%q) found no figure", tt.in)
			}
			want := tt.n
			if want == 0 {
				want = len(tt.in)
			}
			if f.Unit != tt.unit || f.CNY != tt.cny || f.Value != tt.value || f.Measure != tt.measure || n != want {
				t.Errorf("ReadFigure(%q) = %+v, %d; want %s %d %g %q, %d", tt.in, f, n, tt.unit, tt.cny, tt.value, tt.measure, want)
			}
		})
	}
}

// TestReadFigureNone checks words that start like a number but state no
// figure.
func TestReadFigureNone(t *testing.T) {
	for _, in := range []string{"一次性给予", "一定补助", "两票制", "第1款", "十一", "元", "%", "万元", ".5元"} {
		if f, _, ok := ReadFigure(in); ok {
			t.Errorf("ReadFigure(%q) = %+v; want none", in, f)
		}
	}
}

func TestFindFigures(t *testing.T) {
	tests := []struct {
		in   string
		want []string // figure texts
		vals []float64
	}{
		{"对新发展的100—500亩（含500亩）的中药材种植基地", []string{"100", "500亩", "500亩"}, []float64{100, 500, 500}},
		{"给予企业10万元—100万元资金支持", []string{"10万元", "100万元"}, []float64{1e5, 1e6}},
		{"给企业5%-20%奖励支持", []string{"5%", "20%"}, []float64{5, 20}},
		{"给予企业10—100万元资金支持", []string{"10", "100万元"}, []float64{1e5, 1e6}},
		{"一次性给予5万元奖励", []string{"5万元"}, []float64{5e4}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			fs := FindFigures(tt.in)
			var got []string
			var vals []float64
			for _, f := range fs {
				got = append(got, tt.in[f.Start:f.End])
				vals = append(vals, f.Value)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FindFigures(%q) texts (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.vals, vals); diff != "" {
				t.Errorf("FindFigures(%q) values (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// FuzzReadFigure checks that reading never fails on any input, stays within
// it, and that a sum in yuan printed back reads as itself.
func FuzzReadFigure(f *testing.F) {
	for _, s := range []string{"5000万元", "1.5亿元", "二十万元", "100元", "5%", "1‰", "100—500亩(含500亩)", "百分之五十", "1千万以上", "3亿美元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fig, n, ok := ReadFigure(s)
		if n < 0 || n > len(s) || ok && n == 0 {
			t.Fatalf("ReadFigure(%q) read %d bytes", s, n)
		}
		for _, g := range FindFigures(s) {
			if g.Start < 0 || g.End > len(s) || g.Start >= g.End {
				t.Fatalf("FindFigures(%q): figure at %d:%d", s, g.Start, g.End)
			}
		}
		if !ok || fig.Unit != FigureYuan || fig.CNY <= 0 || fig.CNY >= 1e15 || !utf8.ValidString(s) {
			return
		}
		back, _, ok := ReadFigure(strconv.FormatInt(fig.CNY, 10) + "元")
		if !ok || back.CNY != fig.CNY {
			t.Fatalf("%q is %d yuan, which reads back as %d", s, fig.CNY, back.CNY)
		}
	})
}
