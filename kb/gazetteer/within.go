package gazetteer

// Tri is a three-valued answer. Its zero value is Unknown, so an answer
// never set claims nothing.
type Tri int8

// The answers of Within.
const (
	Unknown Tri = iota
	Yes
	No
)

func (t Tri) String() string {
	switch t {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// Within says whether d lies in area: the country (nil or of Level Country)
// holds everything, a province its prefectures and counties, a prefecture
// its counties; a division lies in itself.
//
// A zone lies in its parent and what holds that. Between a zone and a county
// the answer is Unknown when the zone spans the county or its spans are not
// known, since a zone may take only part of a county and a county's policy
// may or may not reach the zone; it is No when the county lies outside the
// zone's parent or its known spans leave the county out. This holds both
// ways: for a zone in a county area, and for a county in a zone area.
//
// Divisions are compared by code, so d and area may come from different
// gazetteers. A nil d stands for the country.
func (d *Division) Within(area *Division) Tri {
	switch {
	case area == nil || area.Level == Country:
		return Yes
	case d == nil || d.Level == Country:
		return No
	case d.Code == area.Code:
		return Yes
	case d.Level == Zone && area.Level == County:
		return zoneCounty(d, area)
	case d.Level == County && area.Level == Zone:
		return zoneCounty(area, d)
	case d.under(area):
		return Yes
	}
	return No
}

func zoneCounty(z, c *Division) Tri {
	if !c.under(z.Parent) {
		return No
	}
	if len(z.Spans) == 0 {
		return Unknown
	}
	for _, s := range z.Spans {
		if s.Code == c.Code {
			return Unknown
		}
	}
	return No
}
