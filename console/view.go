package console

import (
	"policybot/kb"
	"policybot/matcher"
)

// ResultView is one benefit as the counter shows it.
type ResultView struct {
	matcher.Result
	// Cite names the clause: 赣市府发〔2014〕26号第十七条第一款.
	Cite string
	// Amount says the sum, or that the clause leaves it open; Basis how it
	// is computed, or who decides it.
	Amount, Basis string
	// Missing are the labels of the facts still unknown.
	Missing []string
}

// StatusText is the status in the words staff use.
func (r ResultView) StatusText() string {
	switch r.Status {
	case matcher.Eligible:
		return "符合"
	case matcher.Undetermined:
		return "待确认"
	}
	return "不符合"
}

// Results is what a match comes to at the counter: the benefits that apply,
// those that need more facts, and those a given fact rules out.
type Results struct {
	Eligible, Open, RuledOut []ResultView
}

// ViewResults sorts an outcome for the counter. Benefits untouched by the
// profile are not listed: the form's questions stand for them.
func ViewResults(cat *matcher.Catalogue, out *matcher.Outcome) Results {
	var v Results
	for _, r := range out.Results {
		rv := ResultView{Result: r, Cite: kb.CiteDocument(r.DocNo, r.DocTitle) + kb.Cite(r.Article), Amount: r.AmountText()}
		if rv.Amount == "" {
			rv.Amount = "条文未规定金额"
		}
		rv.Basis = r.AmountNote
		if r.Amount != nil {
			rv.Basis = r.Amount.Basis
		}
		for _, k := range r.MissingFacts {
			if f, ok := cat.Lookup(k); ok {
				rv.Missing = append(rv.Missing, f.Label)
			}
		}
		switch {
		case r.Status == matcher.Eligible:
			v.Eligible = append(v.Eligible, rv)
		case r.Status == matcher.Undetermined && r.InPlay:
			v.Open = append(v.Open, rv)
		case r.Status == matcher.Ineligible && r.OutOfForce == "" && r.OutOfArea == "" && failsOnFact(cat, r):
			v.RuledOut = append(v.RuledOut, rv)
		}
	}
	return v
}

// failsOnFact reports whether a result is ruled out by a fact a measure
// rewards: one for another kind of applicant, place or industry is no news
// at the counter.
func failsOnFact(cat *matcher.Catalogue, r matcher.Result) bool {
	for _, c := range r.Conditions {
		if c.Status != "不满足" {
			continue
		}
		for _, k := range c.Facts {
			if f, ok := cat.Lookup(k); ok && !f.General {
				return true
			}
		}
	}
	return false
}
