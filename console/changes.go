package console

import (
	"strconv"

	"policybot/matcher"
)

// Changes says what differs between the results of the last visit and
// today's, benefit by benefit: newly eligible, no longer eligible, a sum
// changed, a document out of force, a benefit the library no longer has.
// libraryChanged says whether the library's version moved in between.
func Changes(before, now []matcher.Result, libraryChanged bool) []string {
	old := map[string]matcher.Result{}
	for _, r := range before {
		old[r.BenefitID] = r
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range now {
		seen[r.BenefitID] = true
		o, had := old[r.BenefitID]
		switch {
		case r.OutOfForce != "" && (!had || o.OutOfForce == ""):
			if had && (o.Status == matcher.Eligible || o.InPlay) {
				out = append(out, "文件已不再适用:"+r.Title+"("+r.OutOfForce+")")
			}
		case r.Status == matcher.Eligible && (!had || o.Status != matcher.Eligible):
			out = append(out, "新符合:"+r.Title+"("+amount(r)+")")
		case r.Status == matcher.Undetermined && had && o.Status == matcher.Eligible:
			out = append(out, "需重新确认:"+r.Title+"(上次符合,现在还需确认"+joinMissing(r)+")")
		case r.Status != matcher.Eligible && had && o.Status == matcher.Eligible:
			out = append(out, "不再符合:"+r.Title)
		case r.Status == matcher.Eligible && amount(r) != amount(o):
			out = append(out, "金额变化:"+r.Title+",由"+amount(o)+"变为"+amount(r))
		}
	}
	for _, r := range before {
		if !seen[r.BenefitID] && r.Status == matcher.Eligible && libraryChanged {
			out = append(out, "政策库已无此项或不再适用:"+r.Title)
		}
	}
	return out
}

// amount is a result's sum alone (32万元), or what the clause says of it.
func amount(r matcher.Result) string {
	if r.Amount != nil && r.Amount.Years == 0 {
		return matcher.FormatYuan(r.Amount.CNY)
	}
	if s := r.AmountText(); s != "" {
		return s
	}
	return "条文未规定金额"
}

// joinMissing names the facts a result still needs, by key; the page lists
// them by label beside the result.
func joinMissing(r matcher.Result) string {
	if len(r.MissingFacts) == 0 {
		return "的条件"
	}
	return "的" + strconv.Itoa(len(r.MissingFacts)) + "项情况"
}
