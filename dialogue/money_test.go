package dialogue

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// moneyCases are also the seeds of FuzzParseMoney and FuzzUnderstand.
var moneyCases = []struct {
	name   string
	in     string
	yuan   int64
	approx bool
	ok     bool
}{
	{"arabic yi", "12亿", 1200000000, false, true},
	{"ge yi", "12个亿", 1200000000, false, true},
	{"decimal yi yuan", "1.2亿元", 120000000, false, true},
	{"chinese wu qian wan", "五千万", 50000000, false, true},
	{"arabic wan yuan", "3500万元", 35000000, false, true},
	{"chinese ba bai wan", "八百万", 8000000, false, true},
	{"liang yi", "两亿", 200000000, false, true},
	{"shi er yi", "十二亿", 1200000000, false, true},
	{"yi yi liang qian wan", "一亿两千万", 120000000, false, true},
	{"exact 1.05", "1.05亿", 105000000, false, true},
	{"exact 10.3", "10.3亿", 1030000000, false, true},
	{"exact 4.8", "4.8亿元", 480000000, false, true},
	{"mixed 5 qian wan", "5千万", 50000000, false, true},
	{"liang qian wu bai wan", "两千五百万", 25000000, false, true},
	{"san dian wu yi", "三点五亿", 350000000, false, true},
	{"thousands comma", "1,200万", 12000000, false, true},
	{"plain yuan", "12000000元", 12000000, false, true},
	{"wan yuan", "100万元", 1000000, false, true},
	{"zero point eight", "0.8亿", 80000000, false, true},
	{"full width", "１２亿", 1200000000, false, true},
	{"full width comma", "１，２００万元", 12000000, false, true},
	{"ge duo yi", "3个多亿", 300000000, true, true},
	{"qian duo wan", "五千多万", 50000000, true, true},
	{"yi duo", "3亿多", 300000000, true, true},
	{"jin", "近3亿", 300000000, true, true},
	{"jiang jin", "将近3亿", 300000000, true, true},
	{"cha bu duo", "差不多3亿", 300000000, true, true},
	{"da yue", "大约3亿", 300000000, true, true},
	{"zuo you", "3亿左右", 300000000, true, true},
	{"da gai", "大概5亿", 500000000, true, true},
	{"yi shang", "5亿以上", 500000000, true, true},
	{"chao guo: more than, by a yuan", "超过10亿", 1000000001, true, true},
	{"shi duo wan", "十多万", 100000, true, true},
	{"bai duo wan", "100多万", 1000000, true, true},
	{"shi lai wan", "十来万", 100000, true, true},
	{"yi yu yuan", "3亿余元", 300000000, true, true},
	{"gang guo: more than, by a yuan", "刚过5个亿", 500000001, true, true},
	{"yi xia is inclusive", "5亿以下", 500000000, true, true},
	{"below", "不到5亿", 499999999, true, true},
	{"below after", "5亿不到", 499999999, true, true},
	{"not exceeding", "没超过5亿", 499999999, true, true},
	{"abbreviated yi", "三亿五", 350000000, false, true},
	{"abbreviated qian", "两千五百元", 2500, false, true},
	{"abbreviated wan", "2万5", 25000, false, true},
	{"ling", "一千零五万", 10050000, false, true},
	{"yi yi arabic", "1亿2千万", 120000000, false, true},
	{"wan yi", "1.5万亿", 1500000000000, false, true},
	{"kuai", "5万块", 50000, false, true},
	{"kuai qian", "800块钱", 800, false, true},
	{"w shorthand", "500w", 5000000, false, true},
	{"financial numerals", "伍仟万元", 50000000, false, true},
	{"fraction of a yuan cut", "12.5元", 12, false, true},
	{"trailing full stop", "6亿元。", 600000000, false, true},
	{"spaces", " 6亿 ", 600000000, false, true},
	{"at the bound", "1000万亿", 1e15, false, true},

	{"no unit", "5000", 0, false, false},
	{"chinese without unit", "五千", 0, false, false},
	{"beyond bound", "1001万亿", 0, false, false},
	{"overflow", "99999999999999999999999亿", 0, false, false},
	{"negative", "-5亿", 0, false, false},
	{"foreign currency", "500万美元", 0, false, false},
	{"area", "10万平方米", 0, false, false},
	{"tonnes", "5万吨", 0, false, false},
	{"leading qian", "千万", 0, false, false},
	{"leading wan", "万一", 0, false, false},
	{"trailing words", "5亿的营收", 0, false, false},
	{"empty", "", 0, false, false},
	{"duo shao", "3亿多少", 0, false, false},
	{"several figures", "5亿3亿", 0, false, false},
}

func TestParseMoney(t *testing.T) {
	type result struct {
		Yuan   int64
		Approx bool
		OK     bool
	}
	for _, tc := range moneyCases {
		t.Run(tc.name, func(t *testing.T) {
			yuan, approx, ok := ParseMoney(tc.in)
			got := result{yuan, approx, ok}
			want := result{tc.yuan, tc.approx, tc.ok}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseMoney(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, tc := range moneyCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		yuan, _, ok := ParseMoney(s)
		if ok && (yuan < 0 || yuan > maxYuan) {
			t.Errorf("ParseMoney(%q) = %d, out of [0, 1e15]", s, yuan)
		}
		if !ok && yuan != 0 {
			t.Errorf("ParseMoney(%q) = %d with ok false", s, yuan)
		}
	})
}
