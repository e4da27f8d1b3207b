package dialogue_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"policybot/dialogue"
)

// memoryDesk files complaints in memory, once per key, and answers progress
// only to the owner or to the number with its phone.
type memoryDesk struct {
	mu    sync.Mutex
	filed []dialogue.Complaint
	byKey map[string]string
	fail  error
}

func (d *memoryDesk) File(_ context.Context, c dialogue.Complaint) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return "", d.fail
	}
	if d.byKey == nil {
		d.byKey = map[string]string{}
	}
	if no, ok := d.byKey[c.Key]; ok {
		return no, nil
	}
	no := fmt.Sprintf("TS20261201%05d", len(d.filed)+1)
	d.byKey[c.Key] = no
	d.filed = append(d.filed, c)
	return no, nil
}

func (d *memoryDesk) Progress(_ context.Context, q dialogue.ProgressQuery) ([]dialogue.TicketProgress, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []dialogue.TicketProgress
	for i, c := range d.filed {
		no := fmt.Sprintf("TS20261201%05d", i+1)
		mine := q.Owner != "" && c.Owner == q.Owner && (q.TicketNo == "" || q.TicketNo == no)
		byPhone := q.TicketNo == no && q.Phone != "" && q.Phone == c.Phone
		if mine || byPhone {
			out = append(out, dialogue.TicketProgress{TicketNo: no, Status: "受理", FiledAt: c.ConsentAt,
				History: []dialogue.ProgressStep{{Status: "受理", Note: "已受理", At: c.ConsentAt}}})
		}
	}
	return out, nil
}

// A complaint in the chat is offered, gathers a contact and consent, is
// filed once with what the conversation established, and its progress is
// told to its owner and to whoever has its number and phone, no one else.
func TestComplaintFiling(t *testing.T) {
	desk := &memoryDesk{}
	svc := newService(t, nil).WithComplaintDesk(desk)
	ctx := context.Background()
	say := func(owner, sid, msg string) *dialogue.Reply {
		t.Helper()
		r, err := svc.Turn(ctx, dialogue.Input{Owner: owner, SessionID: sid, Message: msg})
		if err != nil {
			t.Fatalf("%q: %v", msg, err)
		}
		return r
	}
	r := say("openid-a", "", "南康的工业企业,今年主营业务收入12亿,以前最高9亿,盈利")
	sid := r.SessionID
	r = say("openid-a", sid, "这个奖励申报一年了还不兑现,部门之间推诿,我要投诉")
	if !strings.Contains(r.Reply, "同意提交") {
		t.Fatalf("no offer to file: %s", r.Reply)
	}
	r = say("openid-a", sid, "企业名称:南康某家具有限公司,联系人张三,电话13800138000")
	if !strings.Contains(r.Reply, "“同意提交”的确认") || r.TicketNo != "" || len(desk.filed) != 0 {
		t.Fatalf("filed without consent: %s", r.Reply)
	}
	in := dialogue.Input{Owner: "openid-a", SessionID: sid, Message: "同意提交", IdempotencyKey: "k-consent"}
	r, err := svc.Turn(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.TicketNo == "" || !strings.Contains(r.Reply, r.TicketNo) {
		t.Fatalf("no ticket number: %+v", r)
	}
	again, err := svc.Turn(ctx, in)
	if err != nil || again.TicketNo != r.TicketNo || len(desk.filed) != 1 {
		t.Fatalf("a retried consent filed again: %v, %d filed", err, len(desk.filed))
	}
	c := desk.filed[0]
	if c.Contact != "张三" || c.Phone != "13800138000" || !strings.Contains(c.Words, "推诿") || c.Owner != "openid-a" {
		t.Errorf("filed %+v", c)
	}
	if len(c.Facts) == 0 || c.Department != "市财政局" {
		t.Errorf("the complaint lacks the conversation: facts %d, department %q", len(c.Facts), c.Department)
	}
	no := r.TicketNo
	if p := say("openid-a", sid, "我的投诉进度"); !strings.Contains(p.Reply, no) || !strings.Contains(p.Reply, "受理") || !strings.Contains(p.Reply, "最新进展:已受理") {
		t.Errorf("owner's progress: %s", p.Reply)
	}
	if r := say("openid-b", "", "我的投诉进度"); !strings.Contains(r.Reply, "没有查到") {
		t.Errorf("another user's progress: %s", r.Reply)
	}
	if r := say("", "", "查投诉 "+desk.byKey[c.Key]+" 13800138000"); !strings.Contains(r.Reply, "受理") {
		t.Errorf("progress by number and phone: %s", r.Reply)
	}
	if r := say("", "", "查投诉 "+desk.byKey[c.Key]+" 13900000000"); !strings.Contains(r.Reply, "没有查到") {
		t.Errorf("progress by number and a wrong phone: %s", r.Reply)
	}
}

// A user who declines is not filed; a desk that fails fails the turn, so a
// retry files; without a desk nothing is offered.
func TestComplaintRefusedAndFailing(t *testing.T) {
	desk := &memoryDesk{}
	svc := newService(t, nil).WithComplaintDesk(desk)
	ctx := context.Background()
	r, _ := svc.Turn(ctx, dialogue.Input{Message: "你们这办事太推诿了,我要投诉"})
	r, _ = svc.Turn(ctx, dialogue.Input{SessionID: r.SessionID, Message: "算了,不用了"})
	if len(desk.filed) != 0 || !strings.Contains(r.Reply, "不提交") {
		t.Errorf("a refusal: %s, %d filed", r.Reply, len(desk.filed))
	}
	desk.fail = fmt.Errorf("database down")
	r, _ = svc.Turn(ctx, dialogue.Input{Message: "补贴迟迟不兑现,我要投诉。企业名称:章贡某电子有限公司,联系人李四 13700137000,同意提交"})
	if len(desk.filed) != 0 {
		t.Fatal("filed while the desk fails")
	}
	sid := r.SessionID
	if _, err := svc.Turn(ctx, dialogue.Input{SessionID: sid, Message: "同意提交"}); err == nil {
		t.Error("a failing desk: the turn succeeded")
	}
	desk.fail = nil
	r, err := svc.Turn(ctx, dialogue.Input{SessionID: sid, Message: "同意提交"})
	if err != nil || r.TicketNo == "" || len(desk.filed) != 1 {
		t.Errorf("the retry after a failure: %v, %+v", err, r)
	}
	plain := newService(t, nil)
	r, _ = plain.Turn(ctx, dialogue.Input{Message: "我要投诉"})
	if strings.Contains(r.Reply, "同意提交") {
		t.Errorf("offered without a desk: %s", r.Reply)
	}
}
