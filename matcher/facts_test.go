package matcher

import (
	"strings"
	"testing"

	"policybot/kb"
)

// TestSeriesRejects checks that the facts of a series are one quantity: of
// one kind and unit, with a current fact, one fact a period.
func TestSeriesRejects(t *testing.T) {
	identity := []kb.FactSpec{
		{Key: "applicant_type", Kind: "enum", Label: "申请主体", Options: []kb.OptionSpec{{Value: "enterprise", Label: "企业"}}},
		{Key: "region", Kind: "region", Label: "所在地"},
	}
	series := func(name, period string) *kb.SeriesSpec { return &kb.SeriesSpec{Name: name, Period: period} }
	tests := []struct {
		name  string
		facts []kb.FactSpec
		want  string
	}{
		{"two kinds", []kb.FactSpec{
			{Key: "filed_count", Kind: "number", Unit: "件", Label: "当年申请量", Series: series("filings", kb.PeriodCurrent)},
			{Key: "filed_fee_cny", Kind: "money", Label: "上一年度申请费", Series: series("filings", kb.PeriodPriorYear)},
		}, "different kinds or units"},
		{"two units", []kb.FactSpec{
			{Key: "filed_count", Kind: "number", Unit: "件", Label: "当年申请量", Series: series("filings", kb.PeriodCurrent)},
			{Key: "filed_items", Kind: "number", Unit: "项", Label: "上一年度申请量", Series: series("filings", kb.PeriodPriorYear)},
		}, "different kinds or units"},
		{"no current fact", []kb.FactSpec{
			{Key: "prior_filed_count", Kind: "number", Unit: "件", Label: "上一年度申请量", Series: series("filings", kb.PeriodPriorYear)},
		}, "no current fact"},
		{"one period twice", []kb.FactSpec{
			{Key: "filed_count", Kind: "number", Unit: "件", Label: "当年申请量", Series: series("filings", kb.PeriodCurrent)},
			{Key: "filed_again", Kind: "number", Unit: "件", Label: "当年申请件数", Series: series("filings", kb.PeriodCurrent)},
		}, "both the current"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCatalogue(append(append([]kb.FactSpec{}, identity...), tt.facts...), mustEngine(t).Catalogue().Gazetteer())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewCatalogue: error %v, want one that says %q", err, tt.want)
			}
		})
	}
}

// TestWithinRejects checks that a fact the dates of two events settle is a
// yes/no fact with both events' words and a span of months.
func TestWithinRejects(t *testing.T) {
	identity := []kb.FactSpec{
		{Key: "applicant_type", Kind: "enum", Label: "申请主体", Options: []kb.OptionSpec{{Value: "enterprise", Label: "企业"}}},
		{Key: "region", Kind: "region", Label: "所在地"},
	}
	ok := kb.WithinSpec{From: []string{"开工"}, To: []string{"投产"}, Months: 24}
	for _, tt := range []struct {
		name string
		fact kb.FactSpec
		bad  bool
	}{
		{"a yes/no fact", kb.FactSpec{Key: "in_time", Kind: "bool", Label: "两年内投产", Within: &ok}, false},
		{"a money fact", kb.FactSpec{Key: "in_time", Kind: "money", Label: "两年内投产", Within: &ok}, true},
		{"no first event", kb.FactSpec{Key: "in_time", Kind: "bool", Label: "两年内投产", Within: &kb.WithinSpec{To: ok.To, Months: 24}}, true},
		{"no second event", kb.FactSpec{Key: "in_time", Kind: "bool", Label: "两年内投产", Within: &kb.WithinSpec{From: ok.From, Months: 24}}, true},
		{"no months", kb.FactSpec{Key: "in_time", Kind: "bool", Label: "两年内投产", Within: &kb.WithinSpec{From: ok.From, To: ok.To}}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCatalogue(append(append([]kb.FactSpec{}, identity...), tt.fact), mustEngine(t).Catalogue().Gazetteer())
			if bad := err != nil && strings.Contains(err.Error(), "within"); bad != tt.bad || !tt.bad && err != nil {
				t.Errorf("NewCatalogue: error %v, want an error about within: %v", err, tt.bad)
			}
		})
	}
}
