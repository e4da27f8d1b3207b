package gazetteer

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// withExtras is the national list with testdata/extras.yaml.
func withExtras(t testing.TB) *Gazetteer {
	t.Helper()
	f, err := os.Open("testdata/extras.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := ParseExtras(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := National().With(x)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func mustCode(t *testing.T, g *Gazetteer, code string) *Division {
	t.Helper()
	d, ok := g.ByCode(code)
	if !ok {
		t.Fatalf("ByCode(%s): not found", code)
	}
	return d
}

func TestNationalSizes(t *testing.T) {
	g := National()
	for _, tc := range []struct {
		level Level
		want  int
	}{
		{Province, 34}, // with 台湾省, 香港 and 澳门, which have no children here
		{Prefecture, 333},
		{County, 2846},
		{Zone, 0},
	} {
		if got := len(g.List(nil, tc.level)); got != tc.want {
			t.Errorf("List(nil, %v): %d divisions, want %d", tc.level, got, tc.want)
		}
	}
}

func TestByCode(t *testing.T) {
	g := National()
	for _, tc := range []struct {
		code, full string
		level      Level
		parent     string
	}{
		{"360704", "江西省赣州市赣县区", County, "360700"},
		{"360703", "江西省赣州市南康区", County, "360700"},
		{"360783", "江西省赣州市龙南市", County, "360700"},
		{"440115", "广东省广州市南沙区", County, "440100"},
		{"220524", "吉林省通化市柳河县", County, "220500"},
		{"360700", "江西省赣州市", Prefecture, "360000"},
		{"360000", "江西省", Province, CountryCode},
		{"110105", "北京市朝阳区", County, "110000"},     // a municipality has no prefecture
		{"429004", "湖北省仙桃市", County, "420000"},     // governed by the province directly
		{"441900", "广东省东莞市", Prefecture, "440000"}, // a prefecture without counties
		{CountryCode, "中华人民共和国", Country, ""},
	} {
		d := mustCode(t, g, tc.code)
		if d.FullName != tc.full || d.Level != tc.level {
			t.Errorf("ByCode(%s) = %s %v, want %s %v", tc.code, d.FullName, d.Level, tc.full, tc.level)
		}
		if p := d.Parent; (p == nil) != (tc.parent == "") || (p != nil && p.Code != tc.parent) {
			t.Errorf("ByCode(%s).Parent = %v, want %s", tc.code, p, tc.parent)
		}
	}
	for _, code := range []string{"360721", "360727", "360782", "360799", "3607", ""} {
		if d, ok := g.ByCode(code); ok {
			t.Errorf("ByCode(%q) = %v, want none: former and unknown codes are Resolve's", code, d)
		}
	}
}

func TestResolve(t *testing.T) {
	g := withExtras(t)
	for _, tc := range []struct {
		in, want string
	}{
		{"360703", "360703"},
		{"360721", "360704"}, // former code of 赣县
		{"360727", "360783"}, // former code of 龙南县
		{"360782", "360703"}, // former code of 南康市
		{"000000", CountryCode},
		{"全国", CountryCode},
		{"中华人民共和国", CountryCode},
		{"广东省广州市南沙区", "440115"},
		{"广州市南沙区", "440115"},
		{"广东省南沙区", "440115"},
		{"广东南沙", "440115"},
		{"南沙新区", "440115"},
		{"南沙", "440115"},
		{" 江西省 赣州市 南康区 ", "360703"},
		{"南康区", "360703"},
		{"南康", "360703"},
		{"南康市", "360703"},
		{"江西省赣州市南康市", "360703"}, // a former name in a chain
		{"赣县", "360704"},
		{"赣县区", "360704"},
		{"龙南县", "360783"},
		{"龙南", "360783"},
		{"柳河县", "220524"},
		{"柳河", "220524"}, // derived: unique and no other division's name
		{"吉林省柳河县", "220524"},
		{"福州市鼓楼区", "350102"},
		{"北京市朝阳区", "110105"},
		{"长春市朝阳区", "220104"},
		{"吉林省朝阳区", "220104"},
		{"广西", "450000"},
		{"内蒙古", "150000"},
		{"河南", "410000"}, // listed in the extras; the derived form is shared
		{"赣州", "360700"},
		{"赣州经开区", "360700-Z01"},
		{"赣州经济技术开发区", "360700-Z01"},
		{"江西省赣州市赣州经济技术开发区", "360700-Z01"},
		{"360700-Z02", "360700-Z02"},
		{"龙南经开区", "360700-Z02"},
		{"蓉江", "360700-Z04"},
		{"延边", "222400"},   // 延边朝鲜族自治州
		{"神农架", "429021"},  // 神农架林区
		{"浦东", "310115"},   // 浦东新区
		{"大兴安岭", "232700"}, // 大兴安岭地区
	} {
		d, cands, err := g.Resolve(tc.in)
		if err != nil || d == nil || d.Code != tc.want || cands != nil {
			t.Errorf("Resolve(%q) = %v, %v, %v; want %s", tc.in, d, cands, err, tc.want)
		}
	}
}

func TestResolveAmbiguous(t *testing.T) {
	g := withExtras(t)
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"鼓楼区", []string{"江苏省南京市鼓楼区", "江苏省徐州市鼓楼区", "福建省福州市鼓楼区", "河南省开封市鼓楼区"}},
		{"朝阳区", []string{"北京市朝阳区", "吉林省长春市朝阳区"}},
		{"江苏省鼓楼区", []string{"江苏省南京市鼓楼区", "江苏省徐州市鼓楼区"}},
	} {
		d, cands, err := g.Resolve(tc.in)
		if !errors.Is(err, ErrAmbiguous) || d != nil {
			t.Errorf("Resolve(%q) = %v, %v; want ErrAmbiguous", tc.in, d, err)
			continue
		}
		var got []string
		for _, c := range cands {
			got = append(got, c.FullName)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("Resolve(%q) candidates %v, want %v", tc.in, got, tc.want)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Resolve(%q) error %q does not name %s", tc.in, err, w)
			}
		}
	}
}

func TestResolveUnknown(t *testing.T) {
	g := withExtras(t)
	for _, in := range []string{
		"", "   ", "360799", "12345", "火星", "区", "南康区区",
		"吉林",         // 吉林省 and 吉林市 share it, and the extras do not list it
		"西安",         // 西安市 shares it with 西安区 of 辽源市 and of 牡丹江市
		"广东省南康区",     // 南康区 is not in 广东省
		"南沙区广州市",     // a chain runs from the top down
		"赣州市江西省",     //
		"360700-Z99", // no such zone
	} {
		d, cands, err := g.Resolve(in)
		if !errors.Is(err, ErrUnknown) || d != nil || cands != nil {
			t.Errorf("Resolve(%q) = %v, %v, %v; want ErrUnknown", in, d, cands, err)
		}
	}
}

// TestResolveFullNames checks that every division is found by its full name
// and by its code, so no chain of names is lost to a shared prefix.
func TestResolveFullNames(t *testing.T) {
	g := withExtras(t)
	for _, level := range []Level{Province, Prefecture, County, Zone} {
		for _, d := range g.List(nil, level) {
			if got, _, err := g.Resolve(d.FullName); got != d {
				t.Errorf("Resolve(%q) = %v, %v; want %v", d.FullName, got, err, d)
			}
			if got, _, err := g.Resolve(d.Code); got != d {
				t.Errorf("Resolve(%q) = %v, %v; want %v", d.Code, got, err, d)
			}
		}
	}
}

func TestShortForm(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"南康区", "南康"},
		{"瑞金市", "瑞金"},
		{"江西省", "江西"},
		{"广西壮族自治区", "广西"},
		{"内蒙古自治区", "内蒙古"}, // 蒙古 is a nationality, but 内 alone is too short
		{"西藏自治区", "西藏"},
		{"新疆维吾尔自治区", "新疆"},
		{"延边朝鲜族自治州", "延边"},
		{"海西蒙古族藏族自治州", "海西"},
		{"石柱土家族自治县", "石柱"},
		{"双江拉祜族佤族布朗族傣族自治县", "双江"},
		{"伊犁哈萨克自治州", "伊犁"},
		{"香港特别行政区", "香港"},
		{"大兴安岭地区", "大兴安岭"},
		{"兴安盟", "兴安"},
		{"浦东新区", "浦东"},
		{"矿区", ""}, // one character left
		{"城区", ""},
		{"西沙群岛", ""}, // no suffix
	} {
		if got := shortForm(tc.in); got != tc.want {
			t.Errorf("shortForm(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestShortFormRule checks which derived short forms the gazetteer accepts.
func TestShortFormRule(t *testing.T) {
	g := National()
	for _, tc := range []struct {
		name string
		code string // "" when the short form is refused
	}{
		{"江西", "360000"},
		{"柳河", "220524"},
		{"南康", "360703"}, // unique without the extras too
		{"朝阳", ""},       // 朝阳区 twice, 朝阳市, 朝阳县
		{"吉林", ""},       // 吉林省, 吉林市
		{"南昌", ""},       // 南昌市, 南昌县
		{"鼓楼", ""},       // four 鼓楼区
		{"河北", ""},       // 河北省, 河北区 of 天津市; the extras list it
	} {
		d, _, _ := g.Resolve(tc.name)
		if (d == nil) != (tc.code == "") || (d != nil && d.Code != tc.code) {
			t.Errorf("National().Resolve(%q) = %v, want %q", tc.name, d, tc.code)
		}
	}
	// A short form that is another division's own name is refused: 沙市区
	// would give 沙市, but no short form may take a name from its bearer.
	for _, d := range g.List(nil, County) {
		for _, a := range d.Aliases {
			if others := g.names[a]; len(others) != 1 {
				t.Errorf("alias %s of %v is shared with %v", a, d, others)
			}
		}
	}
}

func TestWithLeavesReceiver(t *testing.T) {
	g := withExtras(t)
	n := National()
	if _, _, err := n.Resolve("南康"); err != nil {
		t.Fatal(err) // derived, so found in both
	}
	if _, _, err := n.Resolve("赣州经开区"); !errors.Is(err, ErrUnknown) {
		t.Errorf("National().Resolve(赣州经开区) err = %v, want ErrUnknown: With changed its receiver", err)
	}
	if d := mustCode(t, n, "360704"); len(d.Former) != 0 {
		t.Errorf("National()'s 赣县区 has former names %v", d.Former)
	}
	if d := mustCode(t, g, "360704"); len(d.Former) != 1 || d.Former[0] != (Former{Name: "赣县", Code: "360721"}) {
		t.Errorf("赣县区 Former = %v", d.Former)
	}
	if same, err := g.With(nil); same != g || err != nil {
		t.Errorf("With(nil) = %p, %v; want its receiver", same, err)
	}
	// Extras add up: a second file sees the zones of the first.
	x, err := ParseExtras(strings.NewReader("names:\n  - {code: 440100, aliases: [羊城]}\nzones:\n  - {id: 360700-Z09, name: 测试区, parent: 赣州市, spans: [赣县]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	g2, err := g.With(x)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"羊城": "440100", "赣州经开区": "360700-Z01", "测试区": "360700-Z09"} {
		if d, _, err := g2.Resolve(in); err != nil || d.Code != want {
			t.Errorf("second With: Resolve(%s) = %v, %v; want %s", in, d, err, want)
		}
	}
	if _, _, err := g.Resolve("羊城"); err == nil {
		t.Error("With changed its receiver")
	}
}

func TestWithin(t *testing.T) {
	g := withExtras(t)
	c := func(code string) *Division { return mustCode(t, g, code) }
	nat := National()
	for _, tc := range []struct {
		d, area *Division
		want    Tri
	}{
		{c("360703"), nil, Yes},
		{c("360703"), g.Country(), Yes},
		{c("360703"), c("360000"), Yes},
		{c("360703"), c("360700"), Yes},
		{c("360703"), c("360703"), Yes},
		{c("360703"), c("360704"), No},
		{c("360703"), c("440100"), No},
		{c("360703"), c("440000"), No},
		{c("360700"), c("360000"), Yes},
		{c("360700"), c("360703"), No}, // a prefecture is not within its county
		{c("360000"), c("360700"), No},
		{c("360000"), nil, Yes},
		{g.Country(), c("360000"), No},
		{nil, c("360000"), No},
		{g.Country(), nil, Yes},
		{c("110105"), c("110000"), Yes}, // a county of a municipality
		{c("429004"), c("420000"), Yes}, // governed by the province directly
		{c("220104"), c("110000"), No},  // 朝阳区 of 长春 is not in 北京
		// Zones.
		{c("360700-Z01"), c("360700"), Yes},
		{c("360700-Z01"), c("360000"), Yes},
		{c("360700-Z01"), nil, Yes},
		{c("360700-Z01"), c("440100"), No},
		{c("360700-Z01"), c("360700-Z01"), Yes},
		{c("360700-Z01"), c("360700-Z02"), No},
		{c("360700-Z01"), c("360702"), Unknown}, // spans not known
		{c("360700-Z01"), c("440115"), No},      // another prefecture's county
		{c("360700-Z02"), c("360783"), Unknown}, // spans 龙南市
		{c("360700-Z02"), c("360781"), No},      // its spans leave out 瑞金市
		{c("360783"), c("360700-Z02"), Unknown}, // the other way round
		{c("360781"), c("360700-Z02"), No},
		{c("360702"), c("360700-Z04"), Unknown},
		{c("440115"), c("360700-Z04"), No},
		{c("360700"), c("360700-Z01"), No}, // a prefecture is not within its zone
		// Divisions of different gazetteers compare by code.
		{mustCode(t, nat, "360703"), c("360700"), Yes},
	} {
		if got := tc.d.Within(tc.area); got != tc.want {
			t.Errorf("%v.Within(%v) = %v, want %v", tc.d, tc.area, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	g := withExtras(t)
	c := func(code string) *Division { return mustCode(t, g, code) }
	for _, tc := range []struct {
		area  *Division
		level Level
		want  int
	}{
		{c("360700"), County, 18},
		{c("360700"), Zone, 4},
		{c("360000"), Prefecture, 11},
		{c("360000"), County, 100},
		{c("110000"), Prefecture, 0},
		{c("110000"), County, 16},
		{c("420000"), County, 103}, // with 仙桃市 and the others the province governs
		{nil, Zone, 4},
		{g.Country(), Province, 34},
	} {
		if got := len(g.List(tc.area, tc.level)); got != tc.want {
			t.Errorf("List(%v, %v): %d, want %d", tc.area, tc.level, got, tc.want)
		}
	}
	ds := g.List(c("360700"), County)
	if ds[0].Name != "章贡区" || ds[len(ds)-1].Name != "龙南市" {
		t.Errorf("List(赣州市, County) not by code: %v ... %v", ds[0], ds[len(ds)-1])
	}
}

func TestFind(t *testing.T) {
	g := withExtras(t)
	type hit struct {
		text    string
		codes   string
		derived bool
	}
	for _, tc := range []struct {
		text string
		want []hit
	}{
		{"我们公司在江西省赣州市南康区", []hit{{"江西省赣州市南康区", "360703", false}}},
		{"福州市鼓楼区和鼓楼区", []hit{{"福州市鼓楼区", "350102", false}, {"鼓楼区", "320106,320302,350102,410204", false}}},
		{"在龙南经开区，原龙南县", []hit{{"龙南经开区", "360700-Z02", false}, {"龙南县", "360783", false}}},
		{"南康与赣县", []hit{{"南康", "360703", false}, {"赣县", "360704", false}}},
		{"振兴国家", []hit{{"振兴", "210603", true}}},  // plain: the longest name at each position
		{"中兴国际", []hit{{"兴国", "360732", false}}}, // listed in the extras
		{"柳河的企业", []hit{{"柳河", "220524", true}}},
		{"吉林省柳河", []hit{{"吉林省柳河", "220524", false}}}, // a chain
		{"全国和中国", nil},
		{"广州南沙新区", []hit{{"广州南沙新区", "440115", false}}},
		{"赣州市、广州市", []hit{{"赣州市", "360700", false}, {"广州市", "440100", false}}},
		{"江西省广州市", []hit{{"江西省", "360000", false}, {"广州市", "440100", false}}}, // no chain: not below
		{"", nil},
		{"\xff南康\xfe", []hit{{"南康", "360703", false}}},
	} {
		var got []hit
		for _, m := range g.Find(tc.text) {
			var codes []string
			for _, d := range m.Divisions {
				codes = append(codes, d.Code)
			}
			got = append(got, hit{tc.text[m.Start:m.End], strings.Join(codes, ","), m.Derived})
		}
		if len(got) != len(tc.want) {
			t.Errorf("Find(%q) = %v, want %v", tc.text, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Find(%q) = %v, want %v", tc.text, got, tc.want)
				break
			}
		}
	}
}

func TestStrings(t *testing.T) {
	g := withExtras(t)
	if got := mustCode(t, g, "320106").String(); got != "江苏省南京市鼓楼区 (320106)" {
		t.Errorf("String() = %q", got)
	}
	if got := (*Division)(nil).String(); got != "<nil>" {
		t.Errorf("nil String() = %q", got)
	}
	if Zone.String() != "zone" || Level(9).String() != "Level(9)" {
		t.Errorf("Level strings: %v %v", Zone, Level(9))
	}
	if Unknown.String() != "unknown" || Yes.String() != "yes" || No.String() != "no" {
		t.Error("Tri strings")
	}
	var zero Tri
	if zero != Unknown {
		t.Error("zero Tri is not Unknown")
	}
}
