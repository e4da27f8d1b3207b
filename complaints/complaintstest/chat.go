// Package complaintstest files complaint tickets the way the chat files
// them, for the tests of delivery in complaints and cmd/policybot.
package complaintstest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/dialogue"
	"policybot/kb"
	"policybot/library"
	"policybot/session"
	"policybot/store"
)

// openLibrary is the built-in library, opened once for all the tests of a
// package.
var openLibrary = sync.OnceValues(func() (*library.Library, error) {
	return library.Open(kb.Embedded(), "embedded")
})

// FileFromChat files n tickets in s as the chat files them: each by a user
// of its own (owner o-user-1 to o-user-n) in a conversation of four turns
// (the facts, the complaint, who is complaining, the consent), filers
// conversations at once. It returns them in order.
func FileFromChat(t testing.TB, s store.TicketStore, n, filers int) []store.Ticket {
	t.Helper()
	lib, err := openLibrary()
	if err != nil {
		t.Fatal(err)
	}
	svc := dialogue.NewService(func() (*dialogue.Source, func()) { return lib.Chat(), func() {} },
		session.NewMemory(time.Hour, time.Now), time.Now, 20).WithComplaintDesk(complaints.Desk{Tickets: s})
	tickets := make([]store.Ticket, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range filers {
		wg.Go(func() {
			for i := int(next.Add(1)); i <= n; i = int(next.Add(1)) {
				tk, err := fileOne(svc, s, i)
				if err != nil {
					t.Errorf("ticket %d: %v", i, err)
					return
				}
				tickets[i-1] = tk
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return tickets
}

// fileOne plays the conversation of ticket i and returns the ticket filed.
func fileOne(svc *dialogue.Service, s store.TicketStore, i int) (store.Ticket, error) {
	sid, number := "", ""
	for _, msg := range []string{
		"南康的工业企业,今年主营业务收入12亿,以前最高9亿,盈利",
		"十七.1的奖励申报一年了还不兑现,部门之间推诿,我要投诉",
		fmt.Sprintf("企业名称:南康第%d家具有限公司,联系人陈女士,电话139%08d", i, i),
		"同意提交",
	} {
		r, err := svc.Turn(context.Background(), dialogue.Input{Owner: fmt.Sprintf("o-user-%d", i), SessionID: sid, Message: msg})
		if err != nil {
			return store.Ticket{}, fmt.Errorf("%q: %w", msg, err)
		}
		sid, number = r.SessionID, r.TicketNo
	}
	if number == "" {
		return store.Ticket{}, fmt.Errorf("none filed")
	}
	return s.Ticket(context.Background(), number)
}
