package dialogue

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// inf stands for no ceiling in the table below.
var inf = math.Inf(1)

// moneyCases are also the seeds of FuzzParseAmount and FuzzUnderstand.
var moneyCases = []struct {
	name   string
	in     string
	yuan   int64
	lo, hi float64
	ok     bool
}{
	{"e shorthand", "3e", 300000000, 300000000, 300000000, true},
	{"ge e shorthand", "5个e", 500000000, 500000000, 500000000, true},
	{"decimal e", "3.5E", 350000000, 350000000, 350000000, true},
	{"decimal ge e", "1.5个e", 150000000, 150000000, 150000000, true},
	{"w after digits", "5000w", 50000000, 50000000, 50000000, true},
	{"kw after digits", "3kw", 30000000, 30000000, 30000000, true},
	{"decimal KW", "1.5KW", 15000000, 15000000, 15000000, true},
	{"kw inside a word", "500kwh", 0, 0, 0, false},
	{"some digit after ling", "一百零几亿", 10100000000, 10100000000, 10900000000, true},
	{"e inside a word", "5eur", 0, 0, 0, false},
	{"decimal ge yi", "十点五个亿", 1050000000, 1050000000, 1050000000, true},
	{"span", "5到6个亿", 500000000, 500000000, 600000000, true},
	{"estimated span", "估计十四五个亿", 1400000000, 1400000000, 1500000000, true},
	{"estimated span with a verb", "估计有14到15个亿", 1400000000, 1400000000, 1500000000, true},
	{"span of chinese digits", "两三个亿", 200000000, 200000000, 300000000, true},
	{"span with a dash", "5-6亿", 500000000, 500000000, 600000000, true},
	{"span inside qian wan", "五到六千万", 50000000, 50000000, 60000000, true},
	{"over", "20个亿出头", 2000000000, 2000000001, 2100000000, true},
	{"inner with a little", "19亿多一点", 1900000000, 1900000001, 1999999999, true},
	{"estimate with a verb", "估计能到5.2亿", 520000000, 494000000, 546000000, true},
	{"never went over", "没上过100亿", 10000000000, 0, 9999999999, true},
	{"shi ji wan", "十几万", 100000, 100001, 199999, true},
	{"more than nothing is nothing to bound", "0多万", 0, 0, 0, true},
	{"a fraction in whole yuan", "1.5元多", 1, 1, 1, true},
	{"below a fraction", "不到1.5元", 1, 0, 1, true},
	{"above the bound", "超过一千万亿", 1000000000000000, 1000000000000000, inf, true},
	{"arabic yi", "12亿", 1200000000, 1200000000, 1200000000, true},
	{"ge yi", "12个亿", 1200000000, 1200000000, 1200000000, true},
	{"decimal yi yuan", "1.2亿元", 120000000, 120000000, 120000000, true},
	{"chinese wu qian wan", "五千万", 50000000, 50000000, 50000000, true},
	{"arabic wan yuan", "3500万元", 35000000, 35000000, 35000000, true},
	{"chinese ba bai wan", "八百万", 8000000, 8000000, 8000000, true},
	{"liang yi", "两亿", 200000000, 200000000, 200000000, true},
	{"shi er yi", "十二亿", 1200000000, 1200000000, 1200000000, true},
	{"yi yi liang qian wan", "一亿两千万", 120000000, 120000000, 120000000, true},
	{"exact 1.05", "1.05亿", 105000000, 105000000, 105000000, true},
	{"exact 10.3", "10.3亿", 1030000000, 1030000000, 1030000000, true},
	{"exact 4.8", "4.8亿元", 480000000, 480000000, 480000000, true},
	{"mixed 5 qian wan", "5千万", 50000000, 50000000, 50000000, true},
	{"liang qian wu bai wan", "两千五百万", 25000000, 25000000, 25000000, true},
	{"san dian wu yi", "三点五亿", 350000000, 350000000, 350000000, true},
	{"thousands comma", "1,200万", 12000000, 12000000, 12000000, true},
	{"plain yuan", "12000000元", 12000000, 12000000, 12000000, true},
	{"wan yuan", "100万元", 1000000, 1000000, 1000000, true},
	{"zero point eight", "0.8亿", 80000000, 80000000, 80000000, true},
	{"full width", "１２亿", 1200000000, 1200000000, 1200000000, true},
	{"full width comma", "１，２００万元", 12000000, 12000000, 12000000, true},
	{"ge duo yi", "3个多亿", 300000000, 300000001, 399999999, true},
	{"qian duo wan", "五千多万", 50000000, 50000001, 59999999, true},
	{"yi duo", "3亿多", 300000000, 300000001, 399999999, true},
	{"jin", "近3亿", 300000000, 285000000, 299999999, true},
	{"jiang jin", "将近3亿", 300000000, 285000000, 299999999, true},
	{"cha bu duo", "差不多3亿", 300000000, 285000000, 315000000, true},
	{"da yue", "大约3亿", 300000000, 285000000, 315000000, true},
	{"zuo you", "3亿左右", 300000000, 285000000, 315000000, true},
	{"da gai", "大概5亿", 500000000, 475000000, 525000000, true},
	{"yi shang", "5亿以上", 500000000, 500000000, inf, true},
	{"chao guo: more than, by a yuan", "超过10亿", 1000000000, 1000000001, inf, true},
	{"shi duo wan", "十多万", 100000, 100001, 199999, true},
	{"bai duo wan", "100多万", 1000000, 1000001, 1999999, true},
	{"shi lai wan", "十来万", 100000, 95000, 105000, true},
	{"yi yu yuan", "3亿余元", 300000000, 300000001, 399999999, true},
	{"gang guo: a little over, as 出头", "刚过5个亿", 500000000, 500000001, 525000000, true},
	{"an order of magnitude", "1千万级", 10000000, 10000000, 100000000, true},
	{"yi xia is inclusive", "5亿以下", 500000000, 0, 500000000, true},
	{"below", "不到5亿", 500000000, 0, 499999999, true},
	{"below after", "5亿不到", 500000000, 0, 499999999, true},
	{"not exceeding, said of oneself", "没超过5亿", 500000000, 0, 499999999, true},
	{"formal not exceeding", "不超过5亿", 500000000, 0, 500000000, true},
	{"abbreviated yi", "三亿五", 350000000, 350000000, 350000000, true},
	{"abbreviated qian", "两千五百元", 2500, 2500, 2500, true},
	{"abbreviated wan", "2万5", 25000, 25000, 25000, true},
	{"ling", "一千零五万", 10050000, 10050000, 10050000, true},
	{"yi yi arabic", "1亿2千万", 120000000, 120000000, 120000000, true},
	{"wan yi", "1.5万亿", 1500000000000, 1500000000000, 1500000000000, true},
	{"kuai", "5万块", 50000, 50000, 50000, true},
	{"kuai qian", "800块钱", 800, 800, 800, true},
	{"w shorthand", "500w", 5000000, 5000000, 5000000, true},
	{"a comma after 万 parts two figures", "1万5,500", 0, 0, 0, false},
	{"w shorthand with a measure word", "5个w", 50000, 50000, 50000, true},
	{"w shorthand after Chinese digits", "五个w", 50000, 50000, 50000, true},
	{"w that starts a word", "5个wifi", 0, 0, 0, false},
	{"几 after digits is 多", "150几个亿", 15000000000, 15000000001, 15999999999, true},
	{"几 after digits of 万", "30几万", 300000, 300001, 399999, true},
	{"a small goal", "一个小目标", 100000000, 100000000, 100000000, true},
	{"two small goals", "两个小目标", 200000000, 200000000, 200000000, true},
	{"financial numerals", "伍仟万元", 50000000, 50000000, 50000000, true},
	{"fraction of a yuan cut", "12.5元", 12, 12, 12, true},
	{"trailing full stop", "6亿元。", 600000000, 600000000, 600000000, true},
	{"spaces", " 6亿 ", 600000000, 600000000, 600000000, true},
	{"at the bound", "1000万亿", 1e15, 1e15, 1e15, true},

	{"no unit", "5000", 0, 0, 0, false},
	{"chinese without unit", "五千", 0, 0, 0, false},
	{"beyond bound", "1001万亿", 0, 0, 0, false},
	{"overflow", "99999999999999999999999亿", 0, 0, 0, false},
	{"negative", "-5亿", 0, 0, 0, false},
	{"foreign currency", "500万美元", 0, 0, 0, false},
	{"area", "10万平方米", 0, 0, 0, false},
	{"tonnes", "5万吨", 0, 0, 0, false},
	{"leading qian", "千万", 0, 0, 0, false},
	{"leading wan", "万一", 0, 0, 0, false},
	{"trailing words", "5亿的营收", 0, 0, 0, false},
	{"empty", "", 0, 0, 0, false},
	{"duo shao", "3亿多少", 0, 0, 0, false},
	{"several figures", "5亿3亿", 0, 0, 0, false},
}

func TestParseAmount(t *testing.T) {
	type result struct {
		Yuan   int64
		Lo, Hi float64
		OK     bool
	}
	for _, tc := range moneyCases {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := ParseAmount(tc.in)
			got := result{a.Yuan, a.Range.Lo, a.Range.Hi, ok}
			want := result{tc.yuan, tc.lo, tc.hi, tc.ok}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseAmount(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, tc := range moneyCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := ParseAmount(s)
		if !ok {
			if a != (Amount{}) {
				t.Errorf("ParseAmount(%q) = %+v with ok false", s, a)
			}
			return
		}
		if a.Yuan < 0 || a.Yuan > maxYuan || a.Range.Lo < 0 || a.Range.Lo > a.Range.Hi || a.Range.Lo > maxYuan ||
			!math.IsInf(a.Range.Hi, 1) && a.Range.Hi > maxYuan {
			t.Errorf("ParseAmount(%q) = %+v: out of bounds", s, a)
		}
		if a.Exact && (a.Range.Lo != float64(a.Yuan) || a.Range.Hi != float64(a.Yuan)) {
			t.Errorf("ParseAmount(%q) = %+v: exact but not one value", s, a)
		}
	})
}

// TestBothBounds reads two bounds of one figure said together as the range
// both allow, in the user's words.
func TestBothBounds(t *testing.T) {
	u := testReader(t).Understand("项目总投资超过了八千万 但没到一个亿", Context{})
	if len(u.Mentions) != 1 {
		t.Fatalf("mentions %s, want one", mentionsString(u.Mentions))
	}
	m := u.Mentions[0]
	if m.Key != "project_investment_cny" || m.Range == nil || m.Range.Lo != 80000001 || m.Range.Hi != 99999999 || m.Bounds != "超过8000万元、不到1亿元" {
		t.Errorf("got %s bounds %q, want project_investment_cny (80000001, 99999999) said 超过8000万元、不到1亿元", mentionsString(u.Mentions), m.Bounds)
	}
}
