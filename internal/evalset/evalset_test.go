package evalset

import (
	"encoding/json"
	"testing"
)

func TestAmountMatches(t *testing.T) {
	five := int64(50000)
	other := int64(1)
	tests := []struct {
		expect string
		got    *int64
		want   bool
	}{
		{`{"article":"十七.1"}`, nil, true},
		{`{"article":"十七.1"}`, &five, true},
		{`{"article":"十七.1","amount_cny":"any"}`, &five, true},
		{`{"article":"十七.1","amount_cny":null}`, nil, true},
		{`{"article":"十七.1","amount_cny":null}`, &five, false},
		{`{"article":"十七.1","amount_cny":50000}`, &five, true},
		{`{"article":"十七.1","amount_cny":50000}`, &other, false},
		{`{"article":"十七.1","amount_cny":50000}`, nil, false},
	}
	for _, tt := range tests {
		var e Expected
		if err := json.Unmarshal([]byte(tt.expect), &e); err != nil {
			t.Fatal(err)
		}
		if got := e.AmountMatches(tt.got); got != tt.want {
			t.Errorf("%s against %v: %v, want %v", tt.expect, tt.got, got, tt.want)
		}
		if e.WantStatus() != "eligible" {
			t.Errorf("%s: status %q, want eligible by default", tt.expect, e.WantStatus())
		}
	}
}
