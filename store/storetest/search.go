package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"policybot/store"
)

// searchCases are the cases the search tests look through, oldest first.
var searchCases = []store.CaseInput{
	{Enterprise: "赣州市南康区鑫盛家具有限公司", CreditCode: "91440300708461136T"},
	{Enterprise: "南康明达木业有限公司", CreditCode: "91330100716105852F"},
	{Enterprise: "广州南沙明达科技有限公司", CreditCode: "914403001922038216"},
	{Enterprise: "ＡＢＣ（广州）贸易有限公司", CreditCode: "91110108551385082Q"},
	{Enterprise: "百分百100%纯木家具店"},
	{Enterprise: "南康 区域 物流 中心", CreditCode: "91110000710925462X"},
	{Enterprise: "小米科技有限责任公司", CreditCode: "91110000802100433B"},
	{Enterprise: "京东世纪贸易有限公司", CreditCode: "91110302562134916R"},
}

// mustSearchCases creates searchCases, a minute apart, and returns their ids.
func mustSearchCases(t *testing.T, e *env) []int64 {
	t.Helper()
	withStaff(t, e)
	ids := make([]int64, len(searchCases))
	for i, in := range searchCases {
		in.Facts = store.Facts{}
		ids[i] = mustCase(t, e.s, in).ID
		e.clock.Advance(time.Minute)
	}
	return ids
}

// found returns the ids of a search's cases, and whether there are more.
func found(t *testing.T, s store.Store, q store.CaseQuery) ([]int64, bool) {
	t.Helper()
	list, err := s.SearchCases(t.Context(), q)
	if err != nil {
		t.Fatalf("SearchCases(%+v): %v", q, err)
	}
	var ids []int64
	for _, c := range list.Cases {
		ids = append(ids, c.ID)
	}
	return ids, list.More
}

func testSearchByName(t *testing.T, e *env) {
	id := mustSearchCases(t, e)
	tests := []struct {
		name  string
		limit int
		want  []int // indexes into searchCases, newest first
		more  bool
	}{
		{"南康", 0, []int{5, 1, 0}, false},
		{"明达", 0, []int{2, 1}, false},
		{"有限公司", 3, []int{7, 3, 2}, true},
		{"公司", 0, []int{7, 6, 3, 2, 1, 0}, false},
		{"南康区", 0, []int{5, 0}, false},         // spaces in a name do not count
		{"鑫盛家具有限", 0, []int{0}, false},         // longer than two characters
		{"南康家具", 0, nil, false},                // 康家 is in no name
		{"纯木业", 0, nil, false},                 // 纯木 and 木业 are, but not together
		{"abc(广州", 0, []int{3}, false},         // full-width and upper case folded
		{"ＡＢＣ（广", 0, []int{3}, false},          // and so in the query
		{"0%纯", 0, []int{4}, false},            // % is a character, not a wildcard
		{"康_鑫", 0, nil, false},                 // and so is _
		{"鑫 盛", 0, []int{0}, false},            // spaces in the query do not count either
		{"腾讯", 0, nil, false},                  // no case has it
		{"赣州市南康区鑫盛家具有限公司", 0, []int{0}, false}, // a whole name, of more grams than are counted
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, more := found(t, e.s, store.CaseQuery{Name: tt.name, Limit: tt.limit})
			var want []int64
			for _, i := range tt.want {
				want = append(want, id[i])
			}
			if d := diff(want, got); d != "" || more != tt.more {
				t.Errorf("SearchCases(%q): more %v, want %v; cases (-want +got):\n%s", tt.name, more, tt.more, d)
			}
		})
	}

	// A renamed case is found by its new name only.
	in := searchCases[6]
	in.Enterprise, in.Facts = "北京小米移动软件有限公司", store.Facts{}
	if _, err := e.s.UpdateCase(t.Context(), id[6], in, clerk); err != nil {
		t.Fatalf("UpdateCase: %v", err)
	}
	if got, _ := found(t, e.s, store.CaseQuery{Name: "科技"}); len(got) != 1 || got[0] != id[2] {
		t.Errorf("SearchCases(科技) after the rename = %v, want only case %d", got, id[2])
	}
	if got, _ := found(t, e.s, store.CaseQuery{Name: "移动软件"}); len(got) != 1 || got[0] != id[6] {
		t.Errorf("SearchCases(移动软件) after the rename = %v, want case %d", got, id[6])
	}

	list, err := e.s.SearchCases(t.Context(), store.CaseQuery{Name: "鑫盛"})
	if err != nil || len(list.Cases) != 1 {
		t.Fatalf("SearchCases(鑫盛) = %+v, %v", list, err)
	}
	want := store.CaseSummary{ID: id[0], Enterprise: searchCases[0].Enterprise, CreditCode: searchCases[0].CreditCode,
		UpdatedBy: clerk.Username, UpdatedAt: start.UTC()}
	if d := diff(want, list.Cases[0]); d != "" {
		t.Errorf("summary (-want +got):\n%s", d)
	}
}

func testSearchByCode(t *testing.T, e *env) {
	id := mustSearchCases(t, e)
	tests := []struct {
		prefix string
		limit  int
		want   []int // indexes into searchCases, in code order
		more   bool
	}{
		{"9111", 0, []int{5, 6, 3, 7}, false},
		{"91110000", 0, []int{5, 6}, false},
		{"91440300708461136T", 0, []int{0}, false},
		{"91440300708461136t", 0, []int{0}, false},
		{"9144", 0, []int{2, 0}, false},
		{"9", 2, []int{5, 6}, true},
		{"92", 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			got, more := found(t, e.s, store.CaseQuery{CodePrefix: tt.prefix, Limit: tt.limit})
			var want []int64
			for _, i := range tt.want {
				want = append(want, id[i])
			}
			if d := diff(want, got); d != "" || more != tt.more {
				t.Errorf("SearchCases(code %q): more %v, want %v; cases (-want +got):\n%s", tt.prefix, more, tt.more, d)
			}
		})
	}
}

func testSearchRefuses(t *testing.T, e *env) {
	mustSearchCases(t, e)
	tests := []struct {
		name  string
		q     store.CaseQuery
		field string
	}{
		{"OneCharacter", store.CaseQuery{Name: "南"}, "name"},
		{"OneCharacterSpaced", store.CaseQuery{Name: " 南 "}, "name"},
		{"OneFullWidthLetter", store.CaseQuery{Name: "Ａ"}, "name"},
		{"TooLong", store.CaseQuery{Name: strings.Repeat("南", 101)}, "name"},
		{"CodeLetterInDivision", store.CaseQuery{CodePrefix: "914A"}, "credit_code"},
		{"CodeLetterO", store.CaseQuery{CodePrefix: "91O"}, "credit_code"},
		{"CodeTooLong", store.CaseQuery{CodePrefix: "91440300708461136TX"}, "credit_code"},
		{"Both", store.CaseQuery{Name: "南康", CodePrefix: "91"}, "query"},
		{"Neither", store.CaseQuery{}, "query"},
		{"LimitTooBig", store.CaseQuery{Name: "南康", Limit: store.MaxSearchLimit + 1}, "limit"},
		{"LimitNegative", store.CaseQuery{Name: "南康", Limit: -1}, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.SearchCases(t.Context(), tt.q)
			wantError(t, err, store.ErrInvalid, tt.field)
		})
	}
}

// testSearchCommonGrams searches for a name whose grams are both in more
// cases than are counted, while only the oldest case holds the whole: the
// search walks a common gram in batches all the way down to it.
func testSearchCommonGrams(t *testing.T, e *env) {
	withStaff(t, e)
	oldest := mustCase(t, e.s, store.CaseInput{Enterprise: "甲乙丙贸易有限公司", Facts: store.Facts{}})
	for i := range 520 {
		mustCase(t, e.s, store.CaseInput{Enterprise: fmt.Sprintf("甲乙和乙丙第%d号店", i), Facts: store.Facts{}})
	}
	got, more := found(t, e.s, store.CaseQuery{Name: "甲乙丙", Limit: 1})
	if d := diff([]int64{oldest.ID}, got); d != "" || more {
		t.Errorf("SearchCases(甲乙丙): more %v; cases (-want +got):\n%s", more, d)
	}
	if got, more := found(t, e.s, store.CaseQuery{Name: "乙和乙", Limit: 100}); len(got) != 100 || !more {
		t.Errorf("SearchCases(乙和乙) = %d cases, more %v; want 100 and more", len(got), more)
	}
}
