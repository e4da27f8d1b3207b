package library

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"policybot/internal/evalset"
	"policybot/matcher"
)

// fullProfile is the full enterprise profile of matcher/bench_test.go.
const fullProfile = `{"applicant_type":"enterprise","name":"赣州某家具有限公司","credit_code":"91350100M000100Y43",
"region":"南康区","industry":"modern_light_textile","is_industrial":true,"above_designated_size":true,
"enterprise_scale":"medium","main_revenue_cny":1100000000,"prior_max_revenue_cny":990000000,"profitable":true,
"bond_financing_cny":300000000,"listing_status":"preparing","project_productive_assets_cny":200000000,
"project_investment_cny":250000000,"project_policy_compliant":true,"project_in_production_within_2y":true,
"adds_floor_area_on_own_land":true,"hq_relocation":false,"tax_commitment_years":3,"pays_social_insurance":true,
"informatization_demo":"provincial","energy_saving_tce":800,"indicators_grew_yoy":true,"energy_product_certified":true,
"clean_production_audit":true,"emission_reduction_significant":false,"attends_official_expo":true,"high_level_talent":true,
"county_cluster_member":true,"received_special_fiscal_funds":true,"industrial_property_developer":false,
"local_quality_product":true,"builds_innovation_carrier":false,"innovative_talent_team":false}`

// synthetic is the synthetic library, written and opened once for all the
// benchmarks of a run (it takes seconds) and kept open to the end.
var synthetic struct {
	once sync.Once
	lib  *Library
}

func syntheticLibrary(b *testing.B) *Library {
	synthetic.once.Do(func() {
		dir, err := os.MkdirTemp("", "policybot-synth-")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		synthetic.lib = openSynthetic(b, dir)
	})
	return synthetic.lib
}

// BenchmarkSyntheticMatch matches the full profile, registered in 南康区,
// against the synthetic library, and reports how many benefits the match
// evaluated: only the seed's, since no copy's area holds 南康区.
func BenchmarkSyntheticMatch(b *testing.B) {
	l := syntheticLibrary(b)
	p := l.NewProfile()
	if err := json.Unmarshal([]byte(fullProfile), p); err != nil {
		b.Fatal(err)
	}
	evaluated := evaluatedBy(b, l, p)
	opts := matcher.Options{AsOf: testDay}
	var results int
	b.ReportAllocs()
	for b.Loop() {
		results = len(l.Match(p, opts).Results)
	}
	b.ReportMetric(float64(evaluated), "evaluated")
	b.ReportMetric(float64(results), "results")
	b.ReportMetric(float64(len(l.Engine.Benefits())), "benefits")
}

// evaluatedBy counts the benefits a match of p evaluates, by the rule
// Engine.Match states: those of the profile's applicant type, of a
// document whose area may hold its region (or open to applicants from
// outside), that read a known fact other than who and where it is.
func evaluatedBy(b *testing.B, l *Library, p *matcher.Profile) int {
	region, _ := p.Get("region")
	in, err := l.DocumentsIn(region.(string), testDay)
	if err != nil {
		b.Fatal(err)
	}
	var known []string
	for _, f := range l.Facts() {
		if _, ok := p.Get(f.Key); ok && !f.Identity {
			known = append(known, f.Key)
		}
	}
	n := 0
	for _, bf := range l.Engine.Benefits() {
		if !slices.Contains(bf.Applicants, p.ApplicantType()) || (!slices.Contains(in, bf.DocID) && bf.AreaReplacedBy == "") {
			continue
		}
		if slices.ContainsFunc(known, bf.Reads) {
			n++
		}
	}
	return n
}

// BenchmarkSyntheticSearch asks the seed's 110 questions of kb/testdata
// with region 南康区 against the synthetic library: the documents in force
// there are looked up, then searched, and both are timed. A hit on a
// synthetic copy counts as a miss.
func BenchmarkSyntheticSearch(b *testing.B) {
	l := syntheticLibrary(b)
	var qs []evalset.Search
	for _, set := range []string{"dev", "ours", "blind"} {
		qs = append(qs, evalset.Read[evalset.Search](b, "../kb/testdata/search-"+set+".jsonl")...)
	}
	ctx := context.Background()
	search := func(q string, size int) []hitRef {
		docs, err := l.DocumentsIn("南康区", testDay)
		if err != nil {
			b.Fatal(err)
		}
		hits, err := l.Search(ctx, q, size, docs)
		if err != nil {
			b.Fatal(err)
		}
		refs := make([]hitRef, len(hits))
		for i, h := range hits {
			refs[i] = hitRef{h.Clause.DocID, h.Clause.Article}
		}
		return refs
	}
	found := 0
	for _, q := range qs {
		hits := search(q.Q, 3)
		if slices.ContainsFunc(hits, func(h hitRef) bool {
			return h.doc == seedID && slices.Contains(q.Articles, h.article)
		}) {
			found++
		} else {
			b.Logf("missed %s %q: want %v, got %v", q.ID, q.Q, q.Articles, hits)
		}
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		search(qs[i%len(qs)].Q, 10)
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(found)/float64(len(qs)), "recall@3")
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

type hitRef struct{ doc, article string }
