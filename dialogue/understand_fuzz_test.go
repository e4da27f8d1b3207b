package dialogue

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzUnderstand checks what every message must give: no panic, values the
// profile accepts, one mention per key, known declined keys, and the same
// result every time.
func FuzzUnderstand(f *testing.F) {
	add := func(text string, ctx Context) {
		f.Add(text, ctx.Pending, ctx.ApplicantType, strings.Join(ctx.Recent, ","))
	}
	for _, cases := range allCases() {
		for _, tc := range cases {
			add(tc.text, tc.ctx)
		}
	}
	for _, tc := range moneyCases {
		add(tc.in, Context{Pending: "main_revenue_cny"})
	}
	for _, tc := range intentCases {
		add(tc.text, tc.ctx)
	}
	for _, tc := range articleCases {
		add(tc.text, Context{})
	}
	add(benchText, Context{Pending: "profitable"})
	f.Fuzz(func(t *testing.T, text, pending, applicant, recent string) {
		ctx := Context{Pending: pending, ApplicantType: applicant}
		if recent != "" {
			ctx.Recent = strings.Split(recent, ",")
		}
		u := testReader(t).Understand(text, ctx)
		seen := map[string]bool{}
		for _, m := range u.Mentions {
			if err := testReader(t).cat.NewProfile().Set(m.Key, m.Value); err != nil {
				t.Errorf("Understand(%q) mention %+v refused: %v", text, m, err)
			}
			if r := m.Range; r != nil {
				f, _ := testReader(t).cat.Lookup(m.Key)
				if r.Lo > r.Hi || r.Lo < 0 || !math.IsInf(r.Hi, 1) && r.Hi > f.Max || r.Lo > f.Max {
					t.Errorf("Understand(%q) mention %+v: range [%v, %v] out of order or bounds", text, m, r.Lo, r.Hi)
				}
			}
			if seen[m.Key] {
				t.Errorf("Understand(%q) mentions %s twice", text, m.Key)
			}
			seen[m.Key] = true
		}
		for _, k := range u.Declined {
			if _, ok := testReader(t).cat.Lookup(k); !ok {
				t.Errorf("Understand(%q) declines unknown key %q", text, k)
			}
		}
		if diff := cmp.Diff(u, testReader(t).Understand(text, ctx)); diff != "" {
			t.Errorf("Understand(%q) is not deterministic:\n%s", text, diff)
		}
	})
}
