package console

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"policybot/matcher"
)

func TestChanges(t *testing.T) {
	award := func(id string, st matcher.Status, cny int64) matcher.Result {
		r := matcher.Result{BenefitID: id, Title: id, Status: st}
		if cny > 0 {
			r.Amount = &matcher.Value{CNY: cny}
		}
		return r
	}
	expired := award("b", matcher.Ineligible, 0)
	expired.OutOfForce = "文件有效期至2021年12月31日"
	open := award("b", matcher.Undetermined, 0)
	open.InPlay = true
	cases := []struct {
		name           string
		before, now    []matcher.Result
		libraryChanged bool
		want           []string
	}{
		{"nothing changed", []matcher.Result{award("a", matcher.Eligible, 100000)}, []matcher.Result{award("a", matcher.Eligible, 100000)}, true, nil},
		{"newly eligible", []matcher.Result{award("a", matcher.Undetermined, 0)}, []matcher.Result{award("a", matcher.Eligible, 100000)}, false, []string{"新符合:a(10万元)"}},
		{"no longer eligible", []matcher.Result{award("a", matcher.Eligible, 100000)}, []matcher.Result{award("a", matcher.Ineligible, 0)}, false, []string{"不再符合:a"}},
		{"eligible, now to confirm", []matcher.Result{award("a", matcher.Eligible, 100000)}, []matcher.Result{{BenefitID: "a", Title: "a", Status: matcher.Undetermined, MissingFacts: []string{"profitable"}}}, true, []string{"需重新确认:a(上次符合,现在还需确认的1项情况)"}},
		{"a sum changed", []matcher.Result{award("a", matcher.Eligible, 100000)}, []matcher.Result{award("a", matcher.Eligible, 200000)}, true, []string{"金额变化:a,由10万元变为20万元"}},
		{"a document expired under an eligible benefit", []matcher.Result{award("b", matcher.Eligible, 500000)}, []matcher.Result{expired}, false, []string{"文件已不再适用:b(文件有效期至2021年12月31日)"}},
		{"a document expired under a benefit in play", []matcher.Result{open}, []matcher.Result{expired}, false, []string{"文件已不再适用:b(文件有效期至2021年12月31日)"}},
		{"a benefit the library dropped", []matcher.Result{award("c", matcher.Eligible, 100000)}, nil, true, []string{"政策库已无此项或不再适用:c"}},
		{"a benefit left out of a match on the same library", []matcher.Result{award("c", matcher.Eligible, 100000)}, nil, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Changes(tc.before, tc.now, tc.libraryChanged)); diff != "" {
				t.Errorf("Changes (-want +got):\n%s", diff)
			}
		})
	}
}
