package library

import (
	"testing"
	"time"

	"policybot/kb"
	"policybot/matcher"
)

// builtIn opens the built-in library for a test.
func builtIn(t *testing.T) *Library {
	t.Helper()
	l, err := Open(kb.Embedded(), "built-in")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// eligibleCases returns the library's test cases that must be eligible.
func eligibleCases(l *Library) []*matcher.Case {
	var out []*matcher.Case
	for _, r := range l.Engine.RunCases() {
		if r.Case.Status == matcher.Eligible {
			out = append(out, r.Case)
		}
	}
	return out
}

func resultOf(o *matcher.Outcome, id string) *matcher.Result {
	for i := range o.Results {
		if o.Results[i].BenefitID == id {
			return &o.Results[i]
		}
	}
	return nil
}

// TestNeverOutsideTheArea takes every eligible case of every document and
// moves the applicant to a place outside the document's area: the benefit
// must then be ineligible, saying why, unless its clause is for those
// moving in or operating there. A 南康区 enterprise never gets 南沙区 money,
// nor the reverse.
func TestNeverOutsideTheArea(t *testing.T) {
	l := builtIn(t)
	elsewhere := map[string]string{"赣州市": "广州市南沙区", "广州市南沙区": "赣州市南康区", "柳河县": "赣州市南康区"}
	checked := 0
	for _, c := range eligibleCases(l) {
		b, _ := l.Engine.Benefit(c.Benefit)
		doc, err := l.Document(b.DocID)
		if err != nil {
			t.Fatal(err)
		}
		away, ok := elsewhere[doc.Jurisdiction]
		if !ok {
			t.Fatalf("no place outside the area of %s", b.DocID)
		}
		p := c.Profile.Clone()
		if err := p.Set("region", away); err != nil {
			t.Fatal(err)
		}
		r := resultOf(l.Match(p, matcher.Options{AsOf: c.AsOf, IncludeIneligible: true, IncludeUntouched: true}), c.Benefit)
		switch {
		case r == nil:
			t.Errorf("%s/%s: no result from %s", c.Benefit, c.Name, away)
		case b.AreaReplacedBy != "":
			// Its own condition stands in for the area test.
		case r.Status != matcher.Ineligible:
			t.Errorf("%s/%s: %s from %s, want ineligible", c.Benefit, c.Name, r.Status, away)
		default:
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d cases checked", checked)
	}
}

// TestNeverAfterExpiry takes every eligible case of a document with a
// stated term and judges it the day after the term ends: never eligible,
// and the result says the document expired. Moved outside the area too,
// the result also says that the area is another's.
func TestNeverAfterExpiry(t *testing.T) {
	l := builtIn(t)
	elsewhere := map[string]string{"赣州市": "广州市南沙区", "广州市南沙区": "赣州市南康区", "柳河县": "赣州市南康区"}
	checked := 0
	for _, c := range eligibleCases(l) {
		b, _ := l.Engine.Benefit(c.Benefit)
		doc, err := l.Document(b.DocID)
		if err != nil || doc.EffectiveTo == nil {
			continue
		}
		after := doc.EffectiveTo.Last().Add(24 * time.Hour)
		r := resultOf(l.Match(c.Profile, matcher.Options{AsOf: after, IncludeIneligible: true, IncludeUntouched: true}), c.Benefit)
		if r == nil || r.Status != matcher.Ineligible || r.OutOfForce == "" {
			t.Errorf("%s/%s on %s: %+v, want ineligible as out of force", c.Benefit, c.Name, after.Format(time.DateOnly), r)
			continue
		}
		p := c.Profile.Clone()
		if err := p.Set("region", elsewhere[doc.Jurisdiction]); err != nil {
			t.Fatal(err)
		}
		r = resultOf(l.Match(p, matcher.Options{AsOf: after, IncludeIneligible: true, IncludeUntouched: true}), c.Benefit)
		if r == nil || r.OutOfForce == "" || (r.OutOfArea == "") != (b.AreaReplacedBy != "") {
			t.Errorf("%s/%s on %s from %s: %+v, want out of force and, unless its clause replaces the area test, out of area", c.Benefit, c.Name, after.Format(time.DateOnly), elsewhere[doc.Jurisdiction], r)
			continue
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("only %d cases checked", checked)
	}
}
