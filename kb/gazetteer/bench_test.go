package gazetteer

import "testing"

// BenchmarkNational measures building the embedded list, which the server
// does once at start; the budget is about 20 ms.
func BenchmarkNational(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := build(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWith measures building with the default extras file, as the
// server will with kb/data/regions.yaml.
func BenchmarkWith(b *testing.B) {
	g := withExtras(b)
	x := g.extras[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := National().With(x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	g := withExtras(b)
	for b.Loop() {
		for _, s := range []string{"广东省广州市南沙区", "南康", "鼓楼区", "360721", "火星"} {
			g.Resolve(s)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	g := withExtras(b)
	text := "我们是赣州市南康区的家具企业，在龙南经开区也有工厂，想了解江西省和广东省广州市南沙区的补贴政策，以及鼓楼区的情况。"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		g.Find(text)
	}
}
