package store_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/internal/uscc"
	"policybot/store"
	"policybot/store/storetest"
)

// benchCases is the number of cases the search benchmark looks through: the
// bar of issue 9 is a p99 under 20 ms over 100,000.
const benchCases = 100_000

// BenchmarkSearch measures case search over benchCases generated cases on
// each database, by two-character name queries, by credit-code prefixes
// and, for comparison, by longer parts of names. Each query's time is kept
// and p50 and p99 reported in milliseconds. Run it with
//
//	bash deployments/test-postgres.sh go test -run '^$' -bench BenchmarkSearch -benchtime 2000x ./store/
func BenchmarkSearch(b *testing.B) {
	for _, db := range []struct {
		name  string
		newDB storetest.NewDB
	}{{"SQLite", storetest.SQLite}, {"Postgres", storetest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			d := db.newDB(b)
			s := d.Open(b, store.Options{})
			gen := newGenerator(1)
			cases := loadCases(b, s, gen)
			if db.name == "Postgres" {
				// What autovacuum does after a bulk load, in its own time:
				// the planner's statistics, and the visibility map without
				// which an index-only scan of case_grams reads the table too
				// (4 ms instead of 1 for a batch of 400).
				if _, err := d.Raw(b).Exec("VACUUM ANALYZE"); err != nil {
					b.Fatalf("VACUUM ANALYZE: %v", err)
				}
			}
			queries := gen.queries(cases, 1000)
			for _, kind := range []string{"Name2", "CodePrefix", "NameLonger"} {
				b.Run(kind, func(b *testing.B) {
					benchQueries(b, s, queries[kind])
				})
			}
		})
	}
}

func benchQueries(b *testing.B, s store.Store, queries []store.CaseQuery) {
	ctx := context.Background()
	var took []time.Duration
	found := 0
	for b.Loop() {
		q := queries[len(took)%len(queries)]
		t0 := time.Now()
		list, err := s.SearchCases(ctx, q)
		took = append(took, time.Since(t0))
		if err != nil {
			b.Fatalf("SearchCases(%+v): %v", q, err)
		}
		found += len(list.Cases)
	}
	slices.Sort(took)
	ms := func(p float64) float64 {
		return float64(took[int(p*float64(len(took)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(found)/float64(len(took)), "cases/op")
}

// loadCases adds benchCases generated cases to s, a thousand to a
// transaction.
func loadCases(b *testing.B, s store.Store, gen *generator) []store.CaseInput {
	ctx := context.Background()
	by := store.Actor{Username: "bench"}
	if _, err := s.AddStaff(ctx, store.NewStaff{Username: by.Username, DisplayName: "基准测试", Role: store.RoleStaff,
		Password: "benchmark password"}, by); err != nil {
		b.Fatalf("AddStaff: %v", err)
	}
	t0 := time.Now()
	cases := make([]store.CaseInput, benchCases)
	for i := range cases {
		cases[i] = gen.enterprise()
	}
	for i := 0; i < len(cases); i += 1000 {
		if err := store.InsertCases(ctx, s, cases[i:min(i+1000, len(cases))], by); err != nil {
			b.Fatalf("InsertCases: %v", err)
		}
	}
	b.Logf("loaded %d cases in %v", len(cases), time.Since(t0).Round(time.Millisecond))
	return cases
}

// generator makes enterprises as the registers of Jiangxi, Guangdong and
// their neighbours name them: a place, a trade name of two or three
// characters, an industry and a form (南康区鑫盛家具有限公司), with a credit
// code of the place's division.
type generator struct {
	rng   *rand.Rand
	codes map[string]bool
}

func newGenerator(seed uint64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed)), codes: map[string]bool{}}
}

var places = []struct{ city, county, division string }{
	{"赣州市", "南康区", "360703"}, {"赣州市", "章贡区", "360702"}, {"赣州市", "赣县区", "360704"},
	{"赣州市", "瑞金市", "360781"}, {"南昌市", "青山湖区", "360111"}, {"九江市", "濂溪区", "360402"},
	{"广州市", "南沙区", "440115"}, {"广州市", "天河区", "440106"}, {"广州市", "番禺区", "440113"},
	{"深圳市", "南山区", "440305"}, {"深圳市", "宝安区", "440306"}, {"东莞市", "", "441900"},
	{"佛山市", "顺德区", "440606"}, {"杭州市", "余杭区", "330110"}, {"宁波市", "鄞州区", "330212"},
	{"苏州市", "吴中区", "320506"}, {"南京市", "江宁区", "320115"}, {"成都市", "武侯区", "510107"},
	{"武汉市", "江夏区", "420115"}, {"长沙市", "岳麓区", "430104"}, {"厦门市", "思明区", "350203"},
	{"福州市", "鼓楼区", "350102"}, {"合肥市", "蜀山区", "340104"}, {"郑州市", "金水区", "410105"},
}

const tradeChars = "鑫盛华达恒泰宏伟明德兴隆昌源丰瑞祥福安康美佳信诚和顺通利新金银玉龙凤天海山川江河东南" +
	"中宇星辰光辉耀荣嘉豪俊杰英博远志鸿鹏飞腾骏驰锦绣雅韵丽宝创联众汇聚力成永久长青绿春晖晨阳" +
	"润泽航帆旺发万象亿家乐欣悦尚品优越卓智慧聪睿哲立鼎晟煌炜烨森林木田禾苗谷粮"

var industries = []string{
	"家具", "木业", "家居", "科技", "电子", "新材料", "机械", "食品", "贸易", "建材", "生物医药", "物流",
	"服装", "纺织", "化工", "汽车零部件", "电气", "信息技术", "网络科技", "环保科技", "农业发展",
	"文化传媒", "建筑工程", "实业", "投资", "餐饮管理", "医疗器械", "光电", "智能装备", "新能源",
}

// forms are the legal forms, by how often they occur, and the registration
// kind their codes start with (91 a company, 92 a sole trader).
var forms = []struct {
	name, kind string
	weight     int
}{
	{"有限公司", "91", 60}, {"有限责任公司", "91", 14}, {"股份有限公司", "91", 8}, {"厂", "91", 5},
	{"合伙企业（有限合伙）", "91", 3}, {"店", "92", 6}, {"工作室", "92", 4},
}

func (g *generator) pick(s []rune) string { return string(s[g.rng.IntN(len(s))]) }

var tradeRunes = []rune(tradeChars)

func (g *generator) enterprise() store.CaseInput {
	p := places[g.rng.IntN(len(places))]
	var name strings.Builder
	switch g.rng.IntN(4) {
	case 0:
		name.WriteString(p.city + p.county)
	case 1:
		name.WriteString(p.city)
	case 2:
		name.WriteString(strings.TrimSuffix(strings.TrimSuffix(p.county, "区"), "市"))
	}
	trade := 2
	if g.rng.IntN(5) == 0 {
		trade = 3
	}
	for range trade {
		name.WriteString(g.pick(tradeRunes))
	}
	name.WriteString(industries[g.rng.IntN(len(industries))])
	n := g.rng.IntN(100)
	form := forms[0]
	for _, f := range forms {
		if n < f.weight {
			form = f
			break
		}
		n -= f.weight
	}
	name.WriteString(form.name)
	in := store.CaseInput{Enterprise: name.String(), Facts: store.Facts{}}
	if g.rng.IntN(10) > 0 { // some applicants do not know their code
		in.CreditCode = g.code(form.kind + p.division)
	}
	return in
}

// code returns a new valid credit code that starts with prefix.
func (g *generator) code(prefix string) string {
	for {
		b := []byte(prefix)
		for len(b) < uscc.Len-1 {
			b = append(b, uscc.Alphabet[g.rng.IntN(len(uscc.Alphabet))])
		}
		c, err := uscc.CheckChar(string(b))
		if err != nil {
			panic(err)
		}
		code := string(append(b, c))
		if !g.codes[code] {
			g.codes[code] = true
			return code
		}
	}
}

// queries returns n queries of each kind drawn from cases: two characters
// in a row of a name, the first 2 to 18 characters of a code, and three to
// six characters of a name.
func (g *generator) queries(cases []store.CaseInput, n int) map[string][]store.CaseQuery {
	qs := map[string][]store.CaseQuery{}
	for len(qs["Name2"]) < n || len(qs["NameLonger"]) < n || len(qs["CodePrefix"]) < n {
		c := cases[g.rng.IntN(len(cases))]
		r := []rune(c.Enterprise)
		if i := g.rng.IntN(len(r) - 1); len(qs["Name2"]) < n {
			qs["Name2"] = append(qs["Name2"], store.CaseQuery{Name: string(r[i : i+2])})
		}
		if l := 3 + g.rng.IntN(4); l <= len(r) && len(qs["NameLonger"]) < n {
			i := g.rng.IntN(len(r) - l + 1)
			qs["NameLonger"] = append(qs["NameLonger"], store.CaseQuery{Name: string(r[i : i+l])})
		}
		if c.CreditCode != "" && len(qs["CodePrefix"]) < n {
			qs["CodePrefix"] = append(qs["CodePrefix"], store.CaseQuery{CodePrefix: c.CreditCode[:2+g.rng.IntN(17)]})
		}
	}
	return qs
}
