package console

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
)

// testLibrary loads the built-in library once for the package's tests.
var testLibrary = sync.OnceValues(func() (*library.Library, error) {
	return library.Open(kb.Embedded(), "embedded")
})

func lib(t *testing.T) *library.Library {
	t.Helper()
	l, err := testLibrary()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestParseForm(t *testing.T) {
	cat := lib(t).Engine.Catalogue()
	cases := []struct {
		name    string
		form    url.Values
		want    map[string]any
		refused []string
	}{
		{"money in yuan", url.Values{"main_revenue_cny": {"630000000"}}, map[string]any{"main_revenue_cny": int64(630000000)}, nil},
		{"money with units", url.Values{"main_revenue_cny": {"6.3亿"}}, map[string]any{"main_revenue_cny": int64(630000000)}, nil},
		{"money with commas and 元", url.Values{"main_revenue_cny": {"630,000,000元"}}, map[string]any{"main_revenue_cny": int64(630000000)}, nil},
		{"an estimate is refused", url.Values{"main_revenue_cny": {"6亿左右"}}, map[string]any{}, []string{"main_revenue_cny"}},
		{"empty is unknown, not 0", url.Values{"main_revenue_cny": {""}}, map[string]any{}, nil},
		{"yes", url.Values{"profitable": {"true"}}, map[string]any{"profitable": true}, nil},
		{"no", url.Values{"profitable": {"false"}}, map[string]any{"profitable": false}, nil},
		{"不清楚 is unknown, not 否", url.Values{"profitable": {"unknown"}}, map[string]any{}, nil},
		{"a bad yes/no", url.Values{"profitable": {"maybe"}}, map[string]any{}, []string{"profitable"}},
		{"enum option", url.Values{"industry": {"electronic_information"}}, map[string]any{"industry": "electronic_information"}, nil},
		{"bad enum option", url.Values{"industry": {"steel"}}, map[string]any{}, []string{"industry"}},
		{"region", url.Values{"region": {"南康"}}, map[string]any{"region": "南康区"}, nil},
		{"bad credit code", url.Values{"credit_code": {"91360700MA35XXXXXX"}}, map[string]any{}, []string{"credit_code"}},
		{"negative money", url.Values{"main_revenue_cny": {"-5"}}, map[string]any{}, []string{"main_revenue_cny"}},
		{"unknown keys are ignored", url.Values{"no_such_fact": {"1"}}, map[string]any{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := cat.NewProfile()
			refused := ParseForm(cat, p, tc.form)
			got := map[string]any{}
			for _, k := range p.Keys() {
				got[k], _ = p.Get(k)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseForm(%v) profile (-want +got):\n%s", tc.form, diff)
			}
			var keys []string
			for k, why := range refused {
				if why == "" {
					t.Errorf("ParseForm(%v) refused %s without a reason", tc.form, k)
				}
				keys = append(keys, k)
			}
			if diff := cmp.Diff(tc.refused, keys); diff != "" {
				t.Errorf("ParseForm(%v) refused (-want +got):\n%s", tc.form, diff)
			}
		})
	}
}

func TestParseFormClearsAFieldEmptied(t *testing.T) {
	cat := lib(t).Engine.Catalogue()
	p := cat.NewProfile()
	if err := p.Set("profitable", true); err != nil {
		t.Fatal(err)
	}
	ParseForm(cat, p, url.Values{"profitable": {""}})
	if p.Has("profitable") {
		t.Error("a field emptied by staff still holds its old value")
	}
}

// The questions that settle the benefits in play come first, led by the
// matcher's own next question; known facts are not asked again.
func TestBuildFormOrder(t *testing.T) {
	l := lib(t)
	cat := l.Engine.Catalogue()
	p := cat.NewProfile()
	for k, v := range map[string]any{"region": "南康区", "applicant_type": "enterprise", "is_industrial": true, "main_revenue_cny": int64(1200000000)} {
		if err := p.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	out := l.Match(p, matcher.Options{AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if out.Question == nil {
		t.Fatal("no next question for a profile with benefits in play")
	}
	form := BuildForm(cat, p, out, map[string]string{"main_revenue_cny": "员工录入"}, nil)
	if len(form.Settling) == 0 || form.Settling[0].Fact.Key != out.Question.Fact {
		t.Fatalf("the form does not lead with the matcher's question %s: %+v", out.Question.Fact, form.Settling)
	}
	if form.Settling[0].Stake == "" {
		t.Error("the leading question does not say what it decides")
	}
	for _, f := range form.Settling {
		if p.Has(f.Fact.Key) {
			t.Errorf("known fact %s is asked again", f.Fact.Key)
		}
	}
	var known []string
	for _, f := range form.Known {
		known = append(known, f.Fact.Key)
		if f.Fact.Key == "main_revenue_cny" && (f.Value != "1200000000" || f.Source != "员工录入") {
			t.Errorf("known revenue shows %q from %q", f.Value, f.Source)
		}
	}
	if len(known) != p.Len() {
		t.Errorf("known fields %v, want the profile's %d facts", known, p.Len())
	}
}
