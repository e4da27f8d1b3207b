package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"policybot/store"
)

// phone is the contact phone of every test ticket, which no page may show
// whole.
const phone = "13800138000"

// fileTicket files a complaint as the chat does, an award of 十七.1 unpaid.
func (s *site) fileTicket(key string) store.Ticket {
	s.t.Helper()
	tk, _, err := s.db.FileTicket(context.Background(), store.NewTicket{
		IdempotencyKey: key, OwnerKey: "wx:user-1", ContactName: "陈女士", Phone: phone,
		Enterprise: "赣州市南康区鑫盛家具有限公司",
		Complaint:  "我公司2025年营收首次突破10亿元,\n主营业务收入台阶奖励至今未兑现,去了三次都说再等等。",
		Facts: store.Facts{
			"main_revenue_cny": {Value: json.RawMessage(`1200000000`), Source: store.SourceApplicant, Sentence: "今年营收12个亿"},
			"profitable":       {Value: json.RawMessage(`true`), Source: store.SourceApplicant, Sentence: "是盈利的"},
		},
		Clauses:     []store.CitedClause{{DocID: "ganzhou-2014-26", DocNo: "赣市府发〔2014〕26号", Article: "十七.1", Title: "主营业务收入首次突破台阶奖励"}},
		Department:  "市工业和信息化局",
		ConsentedAt: s.clock.now().Add(-time.Minute),
	}, store.Actor{Username: "chat"})
	if err != nil {
		s.t.Fatalf("FileTicket(%s): %v", key, err)
	}
	return tk
}

// deadLetters files a ticket for each reason and fails its delivery for
// good with that reason, as the outbox worker does after its last attempt.
func (s *site) deadLetters(reasons ...string) []store.Ticket {
	s.t.Helper()
	ctx := context.Background()
	var tickets []store.Ticket
	for i, reason := range reasons {
		tk := s.fileTicket(fmt.Sprintf("dead-%d", i))
		ds, err := s.db.ClaimDeliveries(ctx, "worker-test", 1, time.Minute)
		if err != nil || len(ds) != 1 {
			s.t.Fatalf("ClaimDeliveries = %d, %v; want the ticket just filed", len(ds), err)
		}
		if err := s.db.DeliveryFailed(ctx, ds[0], reason, time.Time{}); err != nil {
			s.t.Fatal(err)
		}
		s.clock.add(time.Second)
		tickets = append(tickets, tk)
	}
	return tickets
}

// callback is a status callback of the platform.
type callback struct {
	seq    int64
	status string
	note   string
}

// delivered files a ticket, delivers it, and records the platform's
// callbacks in the order given, a second apart.
func (s *site) delivered(key string, callbacks ...callback) store.Ticket {
	s.t.Helper()
	ctx := context.Background()
	tk := s.fileTicket(key)
	ds, err := s.db.ClaimDeliveries(ctx, "worker-test", 1, time.Minute)
	if err != nil || len(ds) != 1 {
		s.t.Fatalf("ClaimDeliveries = %d, %v", len(ds), err)
	}
	if err := s.db.DeliveryDone(ctx, ds[0], "GZ12345-0042"); err != nil {
		s.t.Fatal(err)
	}
	for _, cb := range callbacks {
		s.clock.add(time.Second)
		status, ok := store.PlatformStatus(cb.status)
		if !ok {
			s.t.Fatalf("%s is no status of the platform", cb.status)
		}
		body := fmt.Sprintf(`{"seq":%d,"status":%q,"note":%q}`, cb.seq, cb.status, cb.note)
		if _, err := s.db.RecordStatus(ctx, store.StatusUpdate{Number: tk.Number, Seq: cb.seq, Status: status, Note: cb.note, Body: []byte(body)},
			store.Actor{Username: "platform"}); err != nil {
			s.t.Fatalf("RecordStatus(%d): %v", cb.seq, err)
		}
	}
	return tk
}

// lastAudit returns the newest entry of the audit log.
func (s *site) lastAudit() store.AuditRecord {
	s.t.Helper()
	recs, err := s.db.AuditMonth(context.Background(), s.clock.now())
	if err != nil || len(recs) == 0 {
		s.t.Fatalf("AuditMonth = %d records, %v", len(recs), err)
	}
	return recs[len(recs)-1]
}

// The complaint pages refuse as the console's other pages do: a stranger
// is sent to sign in, staff are kept off the supervisors' page, a post
// needs its CSRF token, and a number of no ticket is not found.
func TestComplaintRefusals(t *testing.T) {
	s := newSite(t)
	dead := s.deadLetters("cannot reach the platform: connection refused")[0].Number
	retry := "/console/deliveries/" + dead + "/retry"
	for _, tt := range []struct {
		name, user, method, path string
		// csrf is the token the post sends: the session's, or another.
		csrf       string
		wantStatus int
		// want is the start of the redirect's target, or a text of the page.
		want string
	}{
		{name: "the list, not signed in", method: "GET", path: "/console/deliveries", wantStatus: http.StatusSeeOther, want: "/console/signin"},
		{name: "a retry, not signed in", method: "POST", path: retry, wantStatus: http.StatusSeeOther, want: "/console/signin"},
		{name: "a ticket, not signed in", method: "GET", path: "/console/tickets/" + dead, wantStatus: http.StatusSeeOther, want: "/console/signin"},
		{name: "the search, not signed in", method: "GET", path: "/console/tickets", wantStatus: http.StatusSeeOther, want: "/console/signin"},
		{name: "staff on the list", user: "li", method: "GET", path: "/console/deliveries", wantStatus: http.StatusForbidden, want: "仅主管可以进行此操作"},
		{name: "staff retrying", user: "li", method: "POST", path: retry, csrf: "session", wantStatus: http.StatusForbidden, want: "仅主管可以进行此操作"},
		{name: "a retry without the CSRF token", user: "wang", method: "POST", path: retry, wantStatus: http.StatusForbidden, want: "表单已失效"},
		{name: "a retry with a forged token", user: "wang", method: "POST", path: retry, csrf: "forged", wantStatus: http.StatusForbidden, want: "表单已失效"},
		{name: "a retry of no ticket", user: "wang", method: "POST", path: "/console/deliveries/TS20261201-9999/retry", csrf: "session", wantStatus: http.StatusNotFound, want: "没有这个工单"},
		{name: "a retry of no ticket number", user: "wang", method: "POST", path: "/console/deliveries/abc/retry", csrf: "session", wantStatus: http.StatusNotFound, want: "没有这个工单"},
		{name: "an unknown ticket", user: "li", method: "GET", path: "/console/tickets/TS20261201-9999", wantStatus: http.StatusNotFound, want: "没有找到工单 TS20261201-9999"},
		{name: "no ticket number", user: "li", method: "GET", path: "/console/tickets/abc", wantStatus: http.StatusNotFound, want: "没有找到这个工单号的工单"},
		{name: "a search for no ticket number", user: "li", method: "GET", path: "/console/tickets?number=12345", wantStatus: http.StatusBadRequest, want: "工单号应为 TS 加8位日期和序号"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := s.browser()
			token := ""
			if tt.user != "" {
				token = b.signIn(tt.user)
			}
			var status int
			var body string
			var h http.Header
			if tt.method == "GET" {
				status, body, h = b.get(tt.path)
			} else {
				form := url.Values{}
				switch tt.csrf {
				case "session":
					form.Set("csrf", token)
				case "forged":
					form.Set("csrf", "forged-"+token)
				}
				status, body, h = b.post(tt.path, form)
			}
			if status != tt.wantStatus {
				t.Errorf("%s %s: %d, want %d", tt.method, tt.path, status, tt.wantStatus)
			}
			if status == http.StatusSeeOther {
				if !strings.HasPrefix(h.Get("Location"), tt.want) {
					t.Errorf("%s %s: to %q, want %q", tt.method, tt.path, h.Get("Location"), tt.want)
				}
			} else if !strings.Contains(body, tt.want) {
				t.Errorf("%s %s: the page lacks %q:\n%.600s", tt.method, tt.path, tt.want, body)
			}
		})
	}
	if d, err := s.db.Delivery(context.Background(), dead); err != nil || d.State != store.DeliveryDead {
		t.Errorf("after the refusals the delivery is %s (%v), want still dead", d.State, err)
	}
	recs, _ := s.db.AuditMonth(context.Background(), s.clock.now())
	for _, r := range recs {
		if r.Action == store.ActionComplaintRetried {
			t.Errorf("a refused retry was audited: %+v", r)
		}
	}
}

var historyRow = regexp.MustCompile(`(?s)<tr[^>]*>\s*<td>(\d+)</td><td>([^<]*)</td>`)

// Staff open a ticket: the complaint with what it rests on, its delivery,
// and the platform's callbacks by sequence number, one that came late
// marked as not moving the status.
func TestTicketPage(t *testing.T) {
	s := newSite(t)
	tk := s.delivered("turn-1",
		callback{1, "受理", "已受理"},
		callback{3, "办理中", "承办单位正在办理"},
		callback{2, "转办", "转办至市工业和信息化局"},
	)
	b := s.browser()
	b.signIn("li")
	typed := strings.ToLower(strings.ReplaceAll(tk.Number, "-", " "))
	status, _, h := b.get("/console/tickets?number=" + url.QueryEscape(typed))
	if status != http.StatusSeeOther || h.Get("Location") != "/console/tickets/"+tk.Number {
		t.Fatalf("a search for %q: %d to %q", typed, status, h.Get("Location"))
	}
	status, page, _ := b.get(h.Get("Location"))
	if status != http.StatusOK {
		t.Fatalf("the ticket page: %d", status)
	}
	for _, want := range []string{
		"投诉工单 " + tk.Number, "赣州市南康区鑫盛家具有限公司", "陈女士", "138****8000", "市工业和信息化局",
		"我公司2025年营收首次突破10亿元,\n主营业务收入台阶奖励至今未兑现",
		"主营业务收入", "<td>12亿元</td>", "企业原话:“今年营收12个亿”", "<td>当年盈利</td><td>是</td>",
		"赣市府发〔2014〕26号第十七条第一款", "年主营业务收入首次突破5亿元",
		"投递状态:<b>已投递</b>,于", "平台工单号 GZ12345-0042",
		`当前状态:<b id="current-status">办理中</b>(以平台第3号回传为准)`,
		"晚到:在第3号之后才收到,未改变当前状态",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the ticket page lacks %s", want)
		}
	}
	if strings.Contains(page, phone) {
		t.Error("the ticket page shows the phone whole")
	}
	var rows []string
	for _, m := range historyRow.FindAllStringSubmatch(page, -1) {
		rows = append(rows, m[1]+" "+m[2])
	}
	if got, want := strings.Join(rows, ", "), "1 受理, 2 转办, 3 办理中"; got != want {
		t.Errorf("the history reads %q, want %q", got, want)
	}
	if strings.Count(page, "晚到") != 1 {
		t.Errorf("%d callbacks marked late, want the one", strings.Count(page, "晚到"))
	}
	if r := s.lastAudit(); r.Action != store.ActionComplaintOpened || r.Username != "li" || r.Object != store.TicketObject(tk.Number) || r.Detail != "" {
		t.Errorf("the last audit row %+v, want li opening %s", r, tk.Number)
	}
}

// A ticket not yet called back says so, and one whose delivery died says
// why and who may retry it.
func TestTicketPageBeforeProgress(t *testing.T) {
	s := newSite(t)
	tk := s.deadLetters("platform answered 503: upstream busy")[0]
	for _, tt := range []struct{ user, want string }{
		{"li", "请联系主管重新投递"},
		{"wang", `<a href="/console/deliveries#dead-` + tk.Number + `">到投递页重新投递</a>`},
	} {
		b := s.browser()
		b.signIn(tt.user)
		_, page, _ := b.get("/console/tickets/" + tk.Number)
		for _, want := range []string{"投递状态:<b>已停止投递</b>(共尝试1次)", "投诉平台出错(状态码 503)", "投诉平台尚未回传办理进度", `<b id="current-status">已提交</b>`, tt.want} {
			if !strings.Contains(page, want) {
				t.Errorf("the page of a dead ticket for %s lacks %s", tt.user, want)
			}
		}
	}
}

// Without the master key the store keeps no tickets: the pages say the
// service was started without complaints.
func TestComplaintsOff(t *testing.T) {
	s := siteOf(t, nil)
	b := s.browser()
	b.signIn("wang")
	for _, path := range []string{"/console/deliveries", "/console/tickets/TS20261201-0001"} {
		if status, page, _ := b.get(path); status != http.StatusNotFound || !strings.Contains(page, "本服务未开启投诉工单功能") {
			t.Errorf("%s without complaints: %d\n%.300s", path, status, page)
		}
	}
}
