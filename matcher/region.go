package matcher

import (
	"errors"
	"fmt"
	"strings"

	"policybot/kb"
	"policybot/kb/gazetteer"
)

// resolveRegion reads a region as a profile gives it (a code, a name, an old
// name) and returns the name the profile keeps: the division's own name where
// it is unique in the country (南康区), else with its prefecture (福州市鼓楼区),
// else its full name. A name several divisions share is refused with the
// candidates, so that the chat can ask which is meant.
func resolveRegion(g *gazetteer.Gazetteer, s string) (string, error) {
	d, cands, err := g.Resolve(s)
	switch {
	case len(cands) > 0:
		names := make([]string, len(cands))
		for i, c := range cands {
			names[i] = c.FullName
		}
		return "", fmt.Errorf("%q 对应多个地区(%s),请写明所在省市", truncate(s, 40), strings.Join(names, "、"))
	case errors.Is(err, gazetteer.ErrUnknown) || err != nil:
		return "", fmt.Errorf("%q 不是行政区划(GB/T 2260)中的县级地区或开发区", truncate(s, 40))
	case d.Level == gazetteer.Prefecture && len(g.List(d, gazetteer.County)) == 0:
		// 东莞市, 中山市: a prefecture with no counties is where its
		// enterprises are registered.
	case d.Level != gazetteer.County && d.Level != gazetteer.Zone:
		return "", fmt.Errorf("%q 是%s,注册地应写到县(市、区)或开发区", truncate(s, 40), d.FullName)
	}
	return RegionName(g, d), nil
}

// RegionName is the shortest name of d that Resolve takes back to d: the
// name a profile keeps for a region.
func RegionName(g *gazetteer.Gazetteer, d *gazetteer.Division) string {
	names := []string{d.Name}
	if d.Parent != nil && d.Parent.Level != gazetteer.Country {
		names = append(names, d.Parent.Name+d.Name)
	}
	for _, n := range names {
		if got, _, err := g.Resolve(n); err == nil && got == d {
			return n
		}
	}
	return d.FullName
}

// region returns the division of the profile's region, or nil when unknown.
func (p *Profile) region() *gazetteer.Division { return p.area }

// areaOf says whether an applicant registered in region lies in the area of
// doc: unknown when the region is, or when a zone may or may not lie in a
// county's area.
func areaOf(doc *kb.Document, region *gazetteer.Division) tri {
	if region == nil || doc.Area == nil {
		return unknown
	}
	switch region.Within(doc.Area) {
	case gazetteer.Yes:
		return yes
	case gazetteer.No:
		return no
	}
	return unknown
}

// regionFacts are the facts of every area test; shared, never modified.
var regionFacts = []string{"region"}

// outOfArea says why the applicant's region is not in doc's area.
func (act *activation) outOfArea(doc *kb.Document) string {
	return fmt.Sprintf("注册地%s不在%s,本政策由%s发布,适用于注册地在%s的申请人", act.regionName, doc.Jurisdiction, doc.Issuer, doc.Jurisdiction)
}

// addAreaCheck reports the area test of b's document as the first
// condition. An unknown region does not hold a result back, as no other
// general fact does, but the result says that the area decides.
func (r *Result) addAreaCheck(b *Benefit, state tri, act *activation) {
	doc := b.doc
	chk := Check{Text: b.areaText, Actual: act.regionSaid, Facts: regionFacts}
	switch {
	case state == yes:
		chk.Status = "满足"
		r.Reasons = append(r.Reasons, act.areaMetReason(b))
	case state == no:
		chk.Status = "不满足"
		r.OutOfArea = act.outOfArea(doc)
		r.Reasons = append(r.Reasons, "不满足:"+b.areaText+"("+r.OutOfArea+")")
	case act.regionName != "":
		chk.Status = "待确认"
		r.Reasons = append(r.Reasons, fmt.Sprintf("待确认:%s(注册地%s是否在%s范围内,请向%s确认)", b.areaText, act.regionName, doc.Jurisdiction, doc.Issuer))
	default:
		chk.Status = "待确认"
		// The result has no caveat of its own before this one, and the
		// slice is shared: an append copies it.
		r.Caveats = b.areaCaveat
	}
	r.Conditions = append(r.Conditions, chk)
}

// areaMetReason is the reason of the area test of b's document met by the
// profile's region, written once per document in a match.
func (a *activation) areaMetReason(b *Benefit) string {
	for _, m := range a.areaMet {
		if m.doc == b.doc {
			return m.reason
		}
	}
	reason := because("满足:"+b.areaText, a.regionSaid)
	a.areaMet = append(a.areaMet, areaReason{b.doc, reason})
	return reason
}
