package kb

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChineseNumeral(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "一"}, {10, "十"}, {17, "十七"}, {26, "二十六"}, {99, "九十九"},
		{100, "一百"}, {102, "一百零二"}, {105, "一百零五"}, {110, "一百一十"}, {119, "一百一十九"},
		{999, "九百九十九"}, {1000, "一千"}, {1001, "一千零一"}, {1010, "一千零一十"}, {2305, "二千三百零五"},
		{0, "0"}, {10000, "10000"},
	}
	for _, tt := range tests {
		if got := ChineseNumeral(tt.n); got != tt.want {
			t.Errorf("ChineseNumeral(%d) = %q; want %q", tt.n, got, tt.want)
		}
	}
}

func TestParseChineseNumeralRoundTrip(t *testing.T) {
	for n := 1; n < 10000; n++ {
		if got, ok := ParseChineseNumeral(ChineseNumeral(n)); !ok || got != n {
			t.Fatalf("ParseChineseNumeral(%q) = %d, %v; want %d", ChineseNumeral(n), got, ok, n)
		}
	}
}

func TestParseChineseNumeral(t *testing.T) {
	tests := []struct {
		s    string
		want int
		ok   bool
	}{
		{"两", 2, true}, {"一十七", 17, true}, {"一百十", 110, true}, {"两百零五", 205, true},
		{"", 0, false}, {"零", 0, false}, {"一百五", 0, false}, {"十十", 0, false}, {"十百", 0, false},
		{"一零", 0, false}, {"一百零", 0, false}, {"七十零", 0, false}, {"百", 0, false}, {"二十一十", 0, false},
		{"1", 0, false}, {"一千零零一", 0, false}, {"一千零十", 1010, true},
	}
	for _, tt := range tests {
		got, ok := ParseChineseNumeral(tt.s)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseChineseNumeral(%q) = %d, %v; want %d, %v", tt.s, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseArticle(t *testing.T) {
	tests := []struct {
		in, want, cite string
		levels         []int
	}{
		{"十七.1", "十七.1", "第十七条第一款", []int{17, 1}},
		{"二十二", "二十二", "第二十二条", []int{22}},
		{"(十七).1", "十七.1", "第十七条第一款", []int{17, 1}},
		{"（十七）．1", "十七.1", "第十七条第一款", []int{17, 1}},
		{" 一十七 ", "十七", "第十七条", []int{17}},
		{"二.三", "二.三", "第二条第三款", []int{2, 3}},
		{"二.三.1", "二.三.1", "第二条第三款第一项", []int{2, 3, 1}},
		{"一百零五.12", "一百零五.12", "第一百零五条第十二款", []int{105, 12}},
	}
	for _, tt := range tests {
		a, ok := ParseArticle(tt.in)
		if !ok {
			t.Errorf("ParseArticle(%q) fails", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.levels, a.Levels); diff != "" || a.String() != tt.want || Cite(tt.in) != tt.cite {
			t.Errorf("ParseArticle(%q) = %v %q, Cite %q; want %v %q, %q", tt.in, a.Levels, a.String(), Cite(tt.in), tt.levels, tt.want, tt.cite)
		}
	}
	for _, bad := range []string{"", "1", "1.2", "十七.01", "十七.1.2", "十七.", "十七.1000", "甲", "十七.1.一"} {
		if a, ok := ParseArticle(bad); ok {
			t.Errorf("ParseArticle(%q) = %v; want it to fail", bad, a)
		}
	}
}
