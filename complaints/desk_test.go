package complaints_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/dialogue"
	"policybot/session"
	"policybot/store"
	"policybot/store/storetest"
)

// A complaint filed in the chat becomes one ticket of the store with its
// delivery, whose progress the chat tells to its owner and to whoever has
// its number and phone, and to nobody else.
func TestDeskFilesFromTheChat(t *testing.T) {
	e := newOutboxEnv(t, storetest.SQLite)
	lib := testLibrary(t)
	svc := dialogue.NewService(func() (*dialogue.Source, func()) { return lib.Chat(), func() {} },
		session.NewMemory(time.Hour, time.Now), time.Now, 20).WithComplaintDesk(complaints.Desk{Tickets: e.s})
	ctx := context.Background()
	say := func(owner, sid, msg string) *dialogue.Reply {
		t.Helper()
		r, err := svc.Turn(ctx, dialogue.Input{Owner: owner, SessionID: sid, Message: msg})
		if err != nil {
			t.Fatalf("%q: %v", msg, err)
		}
		return r
	}
	r := say("owner-a", "", "南康的工业企业,今年主营业务收入12亿,以前最高9亿,盈利")
	sid := r.SessionID
	say("owner-a", sid, "奖励申报一年了还不兑现,部门之间推诿,我要投诉")
	say("owner-a", sid, "企业名称:南康某家具有限公司,联系人张三,电话13800138000")
	r = say("owner-a", sid, "同意提交")
	if r.TicketNo == "" {
		t.Fatalf("no ticket: %s", r.Reply)
	}
	tk, err := e.s.Ticket(ctx, r.TicketNo)
	if err != nil {
		t.Fatal(err)
	}
	if tk.ContactName != "张三" || !strings.Contains(tk.Complaint, "推诿") || tk.Department != "市财政局" || len(tk.Facts) == 0 || len(tk.Clauses) == 0 {
		t.Errorf("ticket %+v", tk)
	}
	if d, err := e.s.Delivery(ctx, r.TicketNo); err != nil || d.State != store.DeliveryPending {
		t.Errorf("delivery %+v, %v: want one pending", d, err)
	}
	no := r.TicketNo
	if r := say("owner-a", sid, "我的投诉进度"); !strings.Contains(r.Reply, no) {
		t.Errorf("owner's progress: %s", r.Reply)
	}
	// The platform's callbacks, the later one first, make the history the
	// chat tells: both steps in order, and what the platform said last.
	for _, u := range []store.StatusUpdate{
		{Number: no, Seq: 2, Status: store.TicketTransferred, Note: "转办至市财政局", Body: []byte(`{"seq":2}`)},
		{Number: no, Seq: 1, Status: store.TicketAccepted, Note: "已受理", Body: []byte(`{"seq":1}`)},
	} {
		if _, err := e.s.RecordStatus(ctx, u, store.Actor{Username: "integrator:gz12345"}); err != nil {
			t.Fatal(err)
		}
	}
	if r := say("owner-a", sid, "我的投诉进度"); !strings.Contains(r.Reply, "当前状态为转办") ||
		!strings.Contains(r.Reply, "受理→") || !strings.Contains(r.Reply, "最新进展:转办至市财政局") {
		t.Errorf("owner's progress after two callbacks: %s", r.Reply)
	}
	if r := say("owner-b", "", "我的投诉进度"); !strings.Contains(r.Reply, "没有查到") {
		t.Errorf("another owner's progress: %s", r.Reply)
	}
	if r := say("", "", "查投诉 "+no+" 13800138000"); !strings.Contains(r.Reply, no) {
		t.Errorf("progress by number and phone: %s", r.Reply)
	}
	if r := say("", "", "查投诉 "+no+" 13900000000"); !strings.Contains(r.Reply, "没有查到") {
		t.Errorf("progress by number and a wrong phone: %s", r.Reply)
	}
}
