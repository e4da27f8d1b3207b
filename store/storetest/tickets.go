package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/store"
)

// chat is who files tickets: the chat, for a WeChat user.
var chat = store.Actor{Username: "chat"}

// unpaid is the ticket most tests file: an award of 十七.1 not paid.
func unpaid(key string) store.NewTicket {
	return store.NewTicket{
		IdempotencyKey: key,
		OwnerKey:       "wx:o6_bmjrPTlm6_2sgVt7hMZOPfL2M",
		ContactName:    "陈女士",
		Phone:          "+86 138-0013-8000",
		Enterprise:     "赣州市南康区鑫盛家具有限公司",
		CreditCode:     "91440300708461136t",
		Complaint:      "我公司2025年的十七.1奖励至今未兑现,去了三次都说再等等。",
		Facts: store.Facts{
			"main_revenue_cny": {Value: json.RawMessage(`12e8`), Source: store.SourceApplicant, Sentence: "今年营收12个亿"},
		},
		Clauses:     []store.CitedClause{{DocID: "gz-2024-industry", DocNo: "赣市府发〔2024〕1号", Article: "十七.1", Title: "首次入规奖励"}},
		Department:  "市工业和信息化局",
		ConsentedAt: start.Add(-time.Minute),
	}
}

func mustFile(t *testing.T, e *env, in store.NewTicket) store.Ticket {
	t.Helper()
	tk, filed, err := e.s.FileTicket(t.Context(), in, chat)
	if err != nil || !filed {
		t.Fatalf("FileTicket(%s) = %v, %v; want filed", in.IdempotencyKey, filed, err)
	}
	return tk
}

// mustFileN files n tickets, keys turn-1 to turn-n.
func mustFileN(t *testing.T, e *env, n int) []store.Ticket {
	t.Helper()
	var tickets []store.Ticket
	for i := range n {
		tickets = append(tickets, mustFile(t, e, unpaid(fmt.Sprintf("turn-%d", i+1))))
	}
	return tickets
}

func testFileTicket(t *testing.T, e *env) {
	ctx := t.Context()
	in := unpaid("turn-1")
	got := mustFile(t, e, in)
	want := store.Ticket{
		ID: got.ID, Number: "TS20260115-0001", IdempotencyKey: "turn-1", OwnerKey: in.OwnerKey, ContactName: "陈女士",
		Phone: "13800138000", Enterprise: in.Enterprise, CreditCode: "91440300708461136T", Complaint: in.Complaint,
		Facts: in.Facts, Clauses: in.Clauses, Department: in.Department, ConsentedAt: in.ConsentedAt.UTC(),
		Status: store.TicketFiled, CreatedAt: start.UTC(), UpdatedAt: start.UTC(),
	}
	if d := diff(want, got); d != "" {
		t.Errorf("FileTicket (-want +got):\n%s", d)
	}
	if second := mustFile(t, e, unpaid("turn-2")); second.Number != "TS20260115-0002" {
		t.Errorf("second ticket's number %s, want TS20260115-0002", second.Number)
	}

	// The delivery was written with the ticket, due at once.
	d, err := e.s.Delivery(ctx, got.Number)
	if err != nil {
		t.Fatalf("Delivery: %v", err)
	}
	if d.State != store.DeliveryPending || d.Attempts != 0 || !d.NextAttemptAt.Equal(start) || !strings.HasPrefix(d.Key, "pbt_") || d.Ticket.ID != got.ID {
		t.Errorf("Delivery = %+v; want pending, no attempts, due now, with a pbt_ key", d)
	}
	if d2, _ := e.s.Delivery(ctx, "TS20260115-0002"); d2.Key == d.Key {
		t.Errorf("two deliveries share the idempotency key %s", d.Key)
	}

	// The phone is nowhere in clear, in no column of any of the tables.
	raw := e.db.Raw(t)
	for _, table := range []string{"complaint_tickets", "complaint_outbox"} {
		rows, err := raw.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if strings.Contains(fmt.Sprintf("%s", v), "0013") {
					t.Errorf("%s.%s holds the phone in clear: %s", table, cols[i], v)
				}
			}
		}
		rows.Close()
	}

	e.reopen(t)
	if again, err := e.s.Ticket(ctx, "ts20260115 0001"); err != nil || diff(got, again) != "" {
		t.Errorf("Ticket after reopening = %+v, %v; want %+v", again, err, got)
	}
	if got := auditActions(t, e.s); diff([]store.Action{store.ActionComplaintFiled, store.ActionComplaintFiled}, got) != "" {
		t.Errorf("audit actions %v, want two complaint-filed", got)
	}
}

// testFileTicketIdempotent files one chat turn twice, and another ticket
// under the same turn's key.
func testFileTicketIdempotent(t *testing.T, e *env) {
	first := mustFile(t, e, unpaid("turn-1"))
	e.clock.Advance(time.Minute)
	again, filed, err := e.s.FileTicket(t.Context(), unpaid("turn-1"), chat)
	if err != nil || filed || diff(first, again) != "" {
		t.Errorf("FileTicket again = %+v, %v, %v; want the first ticket, not filed", again, filed, err)
	}
	other := unpaid("turn-1")
	other.Complaint = "另一件事"
	_, _, err = e.s.FileTicket(t.Context(), other, chat)
	wantError(t, err, store.ErrConflict, "idempotency_key")
	// The phone as typed another way is the same phone.
	samePhone := unpaid("turn-1")
	samePhone.Phone = "13800138000"
	if _, filed, err := e.s.FileTicket(t.Context(), samePhone, chat); err != nil || filed {
		t.Errorf("FileTicket with the phone typed otherwise = %v, %v; want the first ticket", filed, err)
	}
	counts, err := e.s.DeliveryCounts(t.Context())
	if err != nil || counts[store.DeliveryPending] != 1 {
		t.Errorf("DeliveryCounts = %v, %v; want one pending delivery", counts, err)
	}
	if got := auditActions(t, e.s); len(got) != 1 {
		t.Errorf("audit actions %v, want one complaint-filed", got)
	}
}

// testFileTicketConcurrent files one turn from many goroutines (or
// replicas) at once: one files, all get the same ticket.
func testFileTicketConcurrent(t *testing.T, e *env) {
	const filers = 8
	var wg sync.WaitGroup
	numbers := make([]string, filers)
	filed := make([]bool, filers)
	errs := make([]error, filers)
	for i := range filers {
		wg.Go(func() {
			var tk store.Ticket
			tk, filed[i], errs[i] = e.s.FileTicket(t.Context(), unpaid("turn-1"), chat)
			numbers[i] = tk.Number
		})
	}
	wg.Wait()
	n := 0
	for i := range filers {
		if errs[i] != nil {
			t.Errorf("FileTicket: %v", errs[i])
		}
		if filed[i] {
			n++
		}
		if numbers[i] != "TS20260115-0001" {
			t.Errorf("filer %d got ticket %q, want TS20260115-0001", i, numbers[i])
		}
	}
	if n != 1 {
		t.Errorf("%d filers filed, want 1", n)
	}
	// The numbers rolled back by the filers that lost are given again.
	if next := mustFile(t, e, unpaid("turn-2")); next.Number != "TS20260115-0002" {
		t.Errorf("next ticket %s, want TS20260115-0002", next.Number)
	}
}

func testFileTicketRefuses(t *testing.T, e *env) {
	tests := []struct {
		name  string
		edit  func(*store.NewTicket)
		field string
	}{
		{"NoIdempotencyKey", func(n *store.NewTicket) { n.IdempotencyKey = "" }, "idempotency_key"},
		{"SpaceInKey", func(n *store.NewTicket) { n.IdempotencyKey = "turn 1" }, "idempotency_key"},
		{"ControlInOwner", func(n *store.NewTicket) { n.OwnerKey = "wx:\x00" }, "owner_key"},
		{"NoContact", func(n *store.NewTicket) { n.ContactName = " " }, "contact_name"},
		{"ShortPhone", func(n *store.NewTicket) { n.Phone = "1380013800" }, "phone"},
		{"LettersInPhone", func(n *store.NewTicket) { n.Phone = "138abc38000" }, "phone"},
		{"NoEnterprise", func(n *store.NewTicket) { n.Enterprise = "" }, "enterprise"},
		{"BadCreditCode", func(n *store.NewTicket) { n.CreditCode = "91440300708461136X" }, "credit_code"},
		{"NoComplaint", func(n *store.NewTicket) { n.Complaint = "\n" }, "complaint"},
		{"LongComplaint", func(n *store.NewTicket) { n.Complaint = strings.Repeat("未", 2001) }, "complaint"},
		{"NullFact", func(n *store.NewTicket) {
			n.Facts = store.Facts{"x": {Value: json.RawMessage(`null`), Source: store.SourceStaff}}
		}, "facts.x"},
		{"ClauseWithoutArticle", func(n *store.NewTicket) { n.Clauses = []store.CitedClause{{DocID: "d"}} }, "clauses[0].article"},
		{"NoConsent", func(n *store.NewTicket) { n.ConsentedAt = time.Time{} }, "consented_at"},
		{"ConsentLater", func(n *store.NewTicket) { n.ConsentedAt = start.Add(time.Second) }, "consented_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := unpaid("turn-1")
			tt.edit(&in)
			_, _, err := e.s.FileTicket(t.Context(), in, chat)
			wantError(t, err, store.ErrInvalid, tt.field)
		})
	}
	_, _, err := e.s.FileTicket(t.Context(), unpaid("turn-1"), store.Actor{})
	wantError(t, err, store.ErrInvalid, "actor")
	if counts, _ := e.s.DeliveryCounts(t.Context()); counts[store.DeliveryPending] != 0 {
		t.Errorf("deliveries after refusals: %v, want none", counts)
	}
}

// testTicketNumbers checks that numbers count per day in Beijing time.
func testTicketNumbers(t *testing.T, e *env) {
	mustFileN(t, e, 2)
	// 23:59:59 in Beijing is still the 15th; a second later it is the 16th.
	e.clock.Advance(15*time.Hour - time.Second)
	if tk := mustFile(t, e, unpaid("turn-3")); tk.Number != "TS20260115-0003" {
		t.Errorf("last ticket of the day %s, want TS20260115-0003", tk.Number)
	}
	e.clock.Advance(time.Second)
	if tk := mustFile(t, e, unpaid("turn-4")); tk.Number != "TS20260116-0001" {
		t.Errorf("first ticket of the next day %s, want TS20260116-0001", tk.Number)
	}
}

// testTicketAccess checks that a ticket is read only by its owner or with
// its phone, and that anyone else is told it does not exist.
func testTicketAccess(t *testing.T, e *env) {
	ctx := t.Context()
	tk := mustFile(t, e, unpaid("turn-1"))
	anonymous := unpaid("turn-2")
	anonymous.OwnerKey = ""
	anonymous.Phone = "0797-8123456"
	anon := mustFile(t, e, anonymous)

	for _, tt := range []struct {
		name          string
		number, owner string
		want          store.Ticket
	}{
		{"Owner", tk.Number, tk.OwnerKey, tk},
		{"OwnerTypesNumberLoosely", "ts 20260115 0001", tk.OwnerKey, tk},
		{"OwnerTypesFullWidth", "ＴＳ２０２６０１１５－０００１", tk.OwnerKey, tk},
		{"OtherOwner", tk.Number, "wx:someone-else", store.Ticket{}},
		{"NoOwner", anon.Number, "", store.Ticket{}},
		{"UnknownNumber", "TS20260115-0099", tk.OwnerKey, store.Ticket{}},
		{"NotANumber", "我的投诉", tk.OwnerKey, store.Ticket{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.s.TicketForOwner(ctx, tt.number, tt.owner)
			checkAccess(t, got, err, tt.want)
		})
	}
	for _, tt := range []struct {
		name          string
		number, phone string
		want          store.Ticket
	}{
		{"Phone", tk.Number, "13800138000", tk},
		{"PhoneTypedOtherwise", tk.Number, "0086 138 0013 8000", tk},
		{"Landline", anon.Number, "(0797)8123456", anon},
		{"WrongPhone", tk.Number, "13800138001", store.Ticket{}},
		{"AnotherTicketsPhone", anon.Number, "13800138000", store.Ticket{}},
		{"NotAPhone", tk.Number, "138", store.Ticket{}},
		{"UnknownNumber", "TS20260115-0099", "13800138000", store.Ticket{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.s.TicketForPhone(ctx, tt.number, tt.phone)
			checkAccess(t, got, err, tt.want)
		})
	}

	second := mustFile(t, e, unpaid("turn-3"))
	list, err := e.s.OwnerTickets(ctx, tk.OwnerKey, 10)
	if err != nil || diff([]store.Ticket{second, tk}, list) != "" {
		t.Errorf("OwnerTickets = %+v, %v; want the owner's two, newest first", list, err)
	}
	if list, err := e.s.OwnerTickets(ctx, tk.OwnerKey, 1); err != nil || len(list) != 1 || list[0].Number != second.Number {
		t.Errorf("OwnerTickets(limit 1) = %+v, %v; want the newest", list, err)
	}
	if list, err := e.s.OwnerTickets(ctx, "", 10); err != nil || len(list) != 0 {
		t.Errorf("OwnerTickets of no owner = %+v, %v; want none", list, err)
	}
	_, err = e.s.OwnerTickets(ctx, tk.OwnerKey, 0)
	wantError(t, err, store.ErrInvalid, "limit")
}

// checkAccess checks a ticket read: want, or ErrNotFound when want is the
// zero ticket.
func checkAccess(t *testing.T, got store.Ticket, err error, want store.Ticket) {
	t.Helper()
	if want.Number == "" {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("got %+v, %v; want ErrNotFound", got, err)
		}
		return
	}
	if err != nil || diff(want, got) != "" {
		t.Errorf("got %+v, %v; want %s", got, err, want.Number)
	}
}

// testTicketsNeedSealer opens the store without a master key, as the
// commands that need none do: tickets are refused, not kept in clear.
func testTicketsNeedSealer(t *testing.T, e *env) {
	tk := mustFile(t, e, unpaid("turn-1"))
	e.s.Close()
	e.s = e.db.Open(t, store.Options{Now: e.clock.Now})
	if _, _, err := e.s.FileTicket(t.Context(), unpaid("turn-2"), chat); !errors.Is(err, store.ErrNoSealer) {
		t.Errorf("FileTicket without a sealer: %v, want ErrNoSealer", err)
	}
	if _, err := e.s.Ticket(t.Context(), tk.Number); !errors.Is(err, store.ErrNoSealer) {
		t.Errorf("Ticket without a sealer: %v, want ErrNoSealer", err)
	}
	// Under another master key the phone does not open.
	e.s.Close()
	e.s = e.db.Open(t, store.Options{Now: e.clock.Now, Sealer: NewSealer(t)})
	if _, err := e.s.Ticket(t.Context(), tk.Number); err == nil {
		t.Error("Ticket under another master key: no error, want the phone not to open")
	}
	if _, err := e.s.TicketForPhone(t.Context(), tk.Number, "13800138000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TicketForPhone under another master key: %v, want ErrNotFound", err)
	}
}
