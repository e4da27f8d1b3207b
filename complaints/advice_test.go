package complaints_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
)

var openLibrary = sync.OnceValues(func() (*library.Library, error) {
	return library.Open(kb.Embedded(), "embedded")
})

func testLibrary(t testing.TB) *library.Library {
	t.Helper()
	lib, err := openLibrary()
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

var day = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func facts(t *testing.T, s string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// A complaint that an award of 十七.1 was never paid is answered with that
// clause, its department and a reply that cites both.
func TestAdviceUnpaidAward(t *testing.T) {
	lib := testLibrary(t)
	a, err := complaints.Advise(context.Background(), lib, complaints.AdviceRequest{
		TicketID: "12345-2026-0001",
		Text:     "我们是南康区的家具企业,去年主营业务收入首次突破10亿元而且是盈利的,按赣市府发〔2014〕26号应该奖励经营班子10万元,申报快一年了一直没有兑现,找了几个部门都说不归他们管。",
		Facts:    facts(t, `{"region": "南康区", "is_industrial": true, "main_revenue_cny": 1030000000, "prior_max_revenue_cny": 880000000}`),
	}, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Clauses) == 0 || a.Clauses[0].Article != "十七.1" || a.Clauses[0].Why != "benefit" {
		t.Fatalf("clauses = %+v, want 十七.1 first", a.Clauses)
	}
	i := slices.IndexFunc(a.Results, func(r matcher.Result) bool { return r.Article == "十七.1" })
	if i < 0 || a.Results[i].Status != matcher.Eligible || a.Results[i].Amount == nil || a.Results[i].Amount.CNY != 100000 {
		t.Fatalf("十七.1 result = %+v", a.Results)
	}
	if !slices.ContainsFunc(a.Departments, func(d complaints.Department) bool {
		return d.Name == "市财政局" && d.Role == "兑现" && slices.Contains(d.Articles, "十七.1")
	}) {
		t.Errorf("departments = %+v, want 市财政局 paying 十七.1", a.Departments)
	}
	for _, want := range []string{"第十七条第一款", "市财政", "10万元", "以主管部门审核为准"} {
		if !strings.Contains(a.Reply, want) {
			t.Errorf("reply lacks %s: %s", want, a.Reply)
		}
	}
	// The complainant's words gave 盈利; the platform did not.
	if !slices.ContainsFunc(a.Facts, func(f complaints.UsedFact) bool { return f.Key == "profitable" && f.Source != "platform" }) {
		t.Errorf("facts = %+v, want profitable read from the words", a.Facts)
	}
}

// A complaint the library does not cover cites nothing and says so; a fact
// the catalogue refuses names its field; the same request gives the same
// advice.
func TestAdviceEdges(t *testing.T) {
	lib := testLibrary(t)
	a, err := complaints.Advise(context.Background(), lib, complaints.AdviceRequest{TicketID: "t2", Text: "小区楼下餐馆油烟太大,晚上噪音扰民"}, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Clauses) != 0 || len(a.Results) != 0 || !strings.Contains(a.Reply, "未找到") {
		t.Errorf("uncovered complaint: clauses %+v, results %d, reply %s", a.Clauses, len(a.Results), a.Reply)
	}
	_, err = complaints.Advise(context.Background(), lib, complaints.AdviceRequest{TicketID: "t3", Text: "奖励没兑现", Facts: facts(t, `{"main_revenue_cny": "很多"}`)}, day)
	var fe *matcher.FieldError
	if !errors.As(err, &fe) || fe.Field != "facts.main_revenue_cny" {
		t.Errorf("a bad fact: %v, want a field error naming facts.main_revenue_cny", err)
	}
	_, err = complaints.Advise(context.Background(), lib, complaints.AdviceRequest{TicketID: "t4", Text: "x", AsOf: "2026-13-01"}, day)
	if !errors.As(err, &fe) || fe.Field != "as_of" {
		t.Errorf("a bad date: %v, want a field error naming as_of", err)
	}
	req := complaints.AdviceRequest{TicketID: "t5", Text: "发了3亿的公司债,债券融资奖励一直没拿到", Facts: facts(t, `{"region": "章贡区"}`)}
	x, err1 := complaints.Advise(context.Background(), lib, req, day)
	y, err2 := complaints.Advise(context.Background(), lib, req, day)
	bx, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	if err1 != nil || err2 != nil || string(bx) != string(by) {
		t.Errorf("the same request twice differs:\n%s\n%s", bx, by)
	}
	if !slices.ContainsFunc(x.Clauses, func(c complaints.ClauseRef) bool { return c.Article == "十六.4" }) {
		t.Errorf("bond complaint clauses = %+v, want 十六.4", x.Clauses)
	}
}
