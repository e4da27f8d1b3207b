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

const lease = 30 * time.Second

func mustClaim(t *testing.T, e *env, worker string, n int) []store.Delivery {
	t.Helper()
	ds, err := e.s.ClaimDeliveries(t.Context(), worker, n, lease)
	if err != nil {
		t.Fatalf("ClaimDeliveries(%s, %d): %v", worker, n, err)
	}
	return ds
}

// numbers returns the ticket numbers of deliveries.
func numbers(ds []store.Delivery) []string {
	var ns []string
	for _, d := range ds {
		ns = append(ns, d.Ticket.Number)
	}
	return ns
}

func testClaimDeliveries(t *testing.T, e *env) {
	tickets := mustFileN(t, e, 3)
	e.clock.Advance(time.Second)
	now := e.clock.Now().UTC()
	got := mustClaim(t, e, "worker-a", 2)
	if d := diff([]string{"TS20260115-0001", "TS20260115-0002"}, numbers(got)); d != "" {
		t.Fatalf("first claim (-want +got):\n%s", d)
	}
	d := got[0]
	if d.State != store.DeliveryDelivering || d.Attempts != 1 || d.ClaimedBy != "worker-a" ||
		!d.ClaimedUntil.Equal(now.Add(lease)) || !d.NextAttemptAt.Equal(now.Add(lease)) || diff(tickets[0], d.Ticket) != "" {
		t.Errorf("claimed %+v; want delivering, attempt 1, leased to worker-a until %v, with its ticket", d, now.Add(lease))
	}
	e.clock.Advance(time.Second)
	if got := mustClaim(t, e, "worker-b", 5); diff([]string{"TS20260115-0003"}, numbers(got)) != "" {
		t.Errorf("second claim %v, want the third ticket only", numbers(got))
	}
	if got := mustClaim(t, e, "worker-b", 5); len(got) != 0 {
		t.Errorf("third claim %v, want none: all are leased", numbers(got))
	}
	// A worker that dies leaves its leases to end: then others take them.
	e.clock.Advance(lease - time.Second - time.Microsecond)
	if got := mustClaim(t, e, "worker-c", 5); len(got) != 0 {
		t.Errorf("claim before the leases end %v, want none", numbers(got))
	}
	e.clock.Advance(time.Microsecond)
	again := mustClaim(t, e, "worker-c", 5)
	if diff([]string{"TS20260115-0001", "TS20260115-0002"}, numbers(again)) != "" || again[0].Attempts != 2 || again[0].ClaimedBy != "worker-c" {
		t.Errorf("claim after the leases end %v (attempt %d); want the first two at attempt 2", numbers(again), again[0].Attempts)
	}
	for _, tt := range []struct {
		name, worker string
		n            int
		lease        time.Duration
		field        string
	}{
		{"NoWorker", "", 1, lease, "worker"},
		{"SpaceInWorker", "worker a", 1, lease, "worker"},
		{"NoneAsked", "w", 0, lease, "n"},
		{"TooMany", "w", 1001, lease, "n"},
		{"NoLease", "w", 1, 0, "lease"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.ClaimDeliveries(t.Context(), tt.worker, tt.n, tt.lease)
			wantError(t, err, store.ErrInvalid, tt.field)
		})
	}
}

func testDeliveryDone(t *testing.T, e *env) {
	ctx := t.Context()
	mustFileN(t, e, 2)
	ds := mustClaim(t, e, "worker-a", 2)
	e.clock.Advance(time.Second)
	if err := e.s.DeliveryDone(ctx, ds[0], "GZ12345-0001"); err != nil {
		t.Fatalf("DeliveryDone: %v", err)
	}
	d, err := e.s.Delivery(ctx, ds[0].Ticket.Number)
	if err != nil {
		t.Fatal(err)
	}
	at := e.clock.Now().UTC()
	if d.State != store.DeliveryDelivered || !d.DeliveredAt.Equal(at) || d.ClaimedBy != "" || !d.ClaimedUntil.IsZero() ||
		d.Ticket.PlatformTicketID != "GZ12345-0001" || d.Ticket.Status != store.TicketDelivered {
		t.Errorf("after DeliveryDone %+v; want delivered at %v, unleased, the ticket delivered as GZ12345-0001", d, at)
	}
	// A second worker's answer for the same delivery (its lease had ended)
	// changes nothing: the platform deduped it.
	if err := e.s.DeliveryDone(ctx, ds[0], "GZ12345-0099"); err != nil {
		t.Errorf("DeliveryDone again: %v", err)
	}
	if d, _ := e.s.Delivery(ctx, ds[0].Ticket.Number); d.Ticket.PlatformTicketID != "GZ12345-0001" {
		t.Errorf("platform id after a second answer %s, want the first kept", d.Ticket.PlatformTicketID)
	}
	err = e.s.DeliveryDone(ctx, ds[1], "GZ 12345")
	wantError(t, err, store.ErrInvalid, "platform_ticket_id")

	// Delivered is never claimed again, even after its lease would end.
	e.clock.Advance(2 * lease)
	if got := mustClaim(t, e, "worker-b", 5); diff([]string{ds[1].Ticket.Number}, numbers(got)) != "" {
		t.Errorf("claim after one delivered %v, want the other only", numbers(got))
	}
	counts, err := e.s.DeliveryCounts(ctx)
	want := map[store.DeliveryState]int{store.DeliveryPending: 0, store.DeliveryDelivering: 1, store.DeliveryDelivered: 1, store.DeliveryDead: 0}
	if err != nil || diff(want, counts) != "" {
		t.Errorf("DeliveryCounts = %v, %v; want %v", counts, err, want)
	}
}

func testDeliveryFailed(t *testing.T, e *env) {
	ctx := t.Context()
	mustFileN(t, e, 1)
	d := mustClaim(t, e, "worker-a", 1)[0]
	retryAt := e.clock.Now().Add(time.Minute)
	reason := "platform answered 500: " + strings.Repeat("错", 300) + "\x1b[31m"
	if err := e.s.DeliveryFailed(ctx, d, reason, retryAt); err != nil {
		t.Fatalf("DeliveryFailed: %v", err)
	}
	got, err := e.s.Delivery(ctx, d.Ticket.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.DeliveryPending || !got.NextAttemptAt.Equal(retryAt) || got.ClaimedBy != "" || got.Attempts != 1 {
		t.Errorf("after DeliveryFailed %+v; want pending until %v, unleased, 1 attempt", got, retryAt)
	}
	if len(got.LastError) > 500 || strings.Contains(got.LastError, "\x1b") || !strings.HasPrefix(got.LastError, "platform answered 500: 错") {
		t.Errorf("last error %q (%d bytes); want the reason cut to 500 bytes without control characters", got.LastError, len(got.LastError))
	}
	// The same outcome recorded twice, or by a worker whose lease was
	// taken over, is refused.
	if err := e.s.DeliveryFailed(ctx, d, "again", retryAt); !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("DeliveryFailed of a delivery no longer leased: %v, want ErrLeaseLost", err)
	}
	if got := mustClaim(t, e, "worker-b", 1); len(got) != 0 {
		t.Errorf("claim before the retry time %v, want none", numbers(got))
	}
	e.clock.Advance(time.Minute)
	second := mustClaim(t, e, "worker-b", 1)
	if len(second) != 1 || second[0].Attempts != 2 {
		t.Fatalf("claim at the retry time %+v, want the delivery at attempt 2", second)
	}
	// worker-a's lease ended; worker-b took the delivery over.
	e.clock.Advance(lease)
	third := mustClaim(t, e, "worker-c", 1)[0]
	if err := e.s.DeliveryFailed(ctx, second[0], "timed out", retryAt); !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("DeliveryFailed by the worker whose lease ended: %v, want ErrLeaseLost", err)
	}
	// The platform accepted worker-b's attempt after all: done stands.
	if err := e.s.DeliveryDone(ctx, second[0], "GZ12345-0001"); err != nil {
		t.Fatalf("DeliveryDone: %v", err)
	}
	if err := e.s.DeliveryFailed(ctx, third, "timed out", retryAt); !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("DeliveryFailed of a delivery done: %v, want ErrLeaseLost", err)
	}
	if got, _ := e.s.Delivery(ctx, d.Ticket.Number); got.State != store.DeliveryDelivered {
		t.Errorf("state %s, want delivered", got.State)
	}
}

func testDeadLetters(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	mustFileN(t, e, 3)
	ds := mustClaim(t, e, "worker-a", 3)
	if err := e.s.DeliveryFailed(ctx, ds[0], "platform answered 400: bad enterprise", time.Time{}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if err := e.s.DeliveryFailed(ctx, ds[2], "timed out after 10s", time.Time{}); err != nil {
		t.Fatal(err)
	}
	dead, err := e.s.DeadDeliveries(ctx, 10)
	if err != nil || diff([]string{ds[2].Ticket.Number, ds[0].Ticket.Number}, numbers(dead)) != "" {
		t.Fatalf("DeadDeliveries = %v, %v; want the two dead, latest first", numbers(dead), err)
	}
	if dead[0].State != store.DeliveryDead || dead[0].LastError != "timed out after 10s" || dead[0].Ticket.Phone != "13800138000" {
		t.Errorf("dead delivery %+v; want dead with its reason and ticket", dead[0])
	}
	// A dead delivery is never claimed, however long one waits.
	e.clock.Advance(24 * time.Hour)
	if got := mustClaim(t, e, "worker-b", 5); diff([]string{ds[1].Ticket.Number}, numbers(got)) != "" {
		t.Errorf("claim %v, want only the one that is not dead", numbers(got))
	}

	retried, err := e.s.RetryDelivery(ctx, strings.ToLower(ds[0].Ticket.Number), supervisor)
	if err != nil {
		t.Fatalf("RetryDelivery: %v", err)
	}
	if retried.State != store.DeliveryPending || retried.Attempts != 0 || !retried.NextAttemptAt.Equal(e.clock.Now()) {
		t.Errorf("retried %+v; want pending, due now, with its attempts ahead again", retried)
	}
	if got := mustClaim(t, e, "worker-b", 5); diff([]string{ds[0].Ticket.Number}, numbers(got)) != "" || got[0].Attempts != 1 {
		t.Errorf("claim after the retry %v, want the retried delivery at attempt 1", numbers(got))
	}
	_, err = e.s.RetryDelivery(ctx, ds[0].Ticket.Number, supervisor)
	wantError(t, err, store.ErrConflict, "state")
	if _, err := e.s.RetryDelivery(ctx, "TS20260115-0099", supervisor); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RetryDelivery of no ticket: %v, want ErrNotFound", err)
	}
	_, err = e.s.RetryDelivery(ctx, ds[2].Ticket.Number, store.Actor{})
	wantError(t, err, store.ErrInvalid, "actor")

	recs, err := e.s.AuditMonth(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	if last.Action != store.ActionComplaintRetried || last.Username != supervisor.Username ||
		last.Object != "complaint/"+ds[0].Ticket.Number || last.Detail != "dead after attempt 1" {
		t.Errorf("last audit row %+v; want the supervisor's retry", last)
	}
}

// testConcurrentClaims has workers claim at once until nothing is left:
// every delivery is claimed once, by one worker.
func testConcurrentClaims(t *testing.T, e *env) {
	const tickets, workers = 120, 6
	mustFileN(t, e, tickets)
	var mu sync.Mutex // guards claimedBy
	claimedBy := make(map[string][]string)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			worker := fmt.Sprintf("worker-%d", w)
			for {
				ds, err := e.s.ClaimDeliveries(t.Context(), worker, 7, time.Hour)
				if err != nil {
					t.Errorf("ClaimDeliveries: %v", err)
					return
				}
				if len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					claimedBy[d.Ticket.Number] = append(claimedBy[d.Ticket.Number], worker)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimedBy) != tickets {
		t.Errorf("%d deliveries claimed, want %d", len(claimedBy), tickets)
	}
	for number, by := range claimedBy {
		if len(by) != 1 {
			t.Errorf("%s claimed by %v, want one worker", number, by)
		}
	}
}

// callback is a status callback's body as the platform might send it.
func callback(number string, seq int64, status store.TicketStatus, note string) store.StatusUpdate {
	body, _ := json.Marshal(map[string]any{"ticket_no": number, "seq": seq, "status": status.Label(), "note": note})
	return store.StatusUpdate{Number: number, Seq: seq, Status: status, Note: note, Body: body}
}

var platform = store.Actor{Username: "integrator/pbk_1"}

func testStatusRules(t *testing.T, e *env) {
	ctx := t.Context()
	tk := mustFile(t, e, unpaid("turn-1"))
	n := tk.Number
	for _, tt := range []struct {
		name       string
		u          store.StatusUpdate
		want       store.StatusResult
		wantErr    error
		wantField  string
		afterClock time.Duration
	}{
		{"Accepted", callback(n, 1, store.TicketAccepted, ""), store.StatusResult{Status: store.TicketAccepted, Seq: 1}, nil, "", 0},
		{"SkipsAhead", callback(n, 3, store.TicketProcessing, "区商务局办理中"), store.StatusResult{Status: store.TicketProcessing, Seq: 3}, nil, "", time.Minute},
		{"LateArrival", callback(n, 2, store.TicketTransferred, "转办至南康区商务局"), store.StatusResult{Status: store.TicketProcessing, Seq: 3}, nil, "", time.Minute},
		{"Repeat", callback(n, 3, store.TicketProcessing, "区商务局办理中"), store.StatusResult{Duplicate: true, Status: store.TicketProcessing, Seq: 3}, nil, "", time.Minute},
		{"RepeatOfLate", callback(n, 2, store.TicketTransferred, "转办至南康区商务局"), store.StatusResult{Duplicate: true, Status: store.TicketProcessing, Seq: 3}, nil, "", 0},
		{"SameSeqOtherBody", callback(n, 3, store.TicketConcluded, "已办结"), store.StatusResult{}, store.ErrConflict, "seq", 0},
		{"SeqZero", callback(n, 0, store.TicketAccepted, ""), store.StatusResult{}, store.ErrInvalid, "seq", 0},
		{"OurStatus", callback(n, 4, store.TicketDelivered, ""), store.StatusResult{}, store.ErrInvalid, "status", 0},
		{"Concluded", callback(n, 4, store.TicketConcluded, "奖励已于1月20日拨付"), store.StatusResult{Status: store.TicketConcluded, Seq: 4}, nil, "", time.Minute},
		{"Rated", callback(n, 6, store.TicketRated, "满意"), store.StatusResult{Status: store.TicketRated, Seq: 6}, nil, "", time.Minute},
		{"RevisitedLate", callback(n, 5, store.TicketRevisited, ""), store.StatusResult{Status: store.TicketRated, Seq: 6}, nil, "", time.Minute},
	} {
		e.clock.Advance(tt.afterClock)
		got, err := e.s.RecordStatus(ctx, tt.u, platform)
		if tt.wantErr != nil {
			t.Run(tt.name, func(t *testing.T) { wantError(t, err, tt.wantErr, tt.wantField) })
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: RecordStatus = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	if _, err := e.s.RecordStatus(ctx, callback("TS20260115-0099", 1, store.TicketAccepted, ""), platform); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecordStatus of no ticket: %v, want ErrNotFound", err)
	}
	_, err := e.s.RecordStatus(ctx, callback(n, 7, store.TicketRated, ""), store.Actor{})
	wantError(t, err, store.ErrInvalid, "actor")

	// Delivery's answer, arriving after the callbacks, moves nothing back.
	d := mustClaim(t, e, "worker-a", 1)[0]
	if err := e.s.DeliveryDone(ctx, d, "GZ12345-0001"); err != nil {
		t.Fatal(err)
	}
	got, err := e.s.TicketForOwner(ctx, n, tk.OwnerKey)
	if err != nil || got.Status != store.TicketRated || got.StatusSeq != 6 || got.PlatformTicketID != "GZ12345-0001" {
		t.Errorf("ticket %+v, %v; want rated at seq 6, as GZ12345-0001", got, err)
	}
	// Once the platform's id is recorded, a callback naming another is
	// refused, even the repeat of one accepted.
	same := callback(n, 6, store.TicketRated, "满意")
	same.PlatformTicketID = "GZ12345-0001"
	if res, err := e.s.RecordStatus(ctx, same, platform); err != nil || !res.Duplicate {
		t.Errorf("a repeat naming the recorded platform id: %+v, %v; want a duplicate", res, err)
	}
	other := same
	other.PlatformTicketID = "GZ12345-0002"
	_, err = e.s.RecordStatus(ctx, other, platform)
	wantError(t, err, store.ErrConflict, "platform_ticket_id")

	history, err := e.s.TicketHistory(ctx, n)
	if err != nil {
		t.Fatalf("TicketHistory: %v", err)
	}
	type row struct {
		Seq    int64
		Status store.TicketStatus
		Note   string
		At     time.Duration
	}
	var rows []row
	for _, ev := range history {
		rows = append(rows, row{ev.Seq, ev.Status, ev.Note, ev.ReceivedAt.Sub(start)})
		if len(ev.BodyHash) != 32 {
			t.Errorf("seq %d: body hash of %d bytes, want 32", ev.Seq, len(ev.BodyHash))
		}
	}
	want := []row{
		{1, store.TicketAccepted, "", 0},
		{2, store.TicketTransferred, "转办至南康区商务局", 2 * time.Minute},
		{3, store.TicketProcessing, "区商务局办理中", time.Minute},
		{4, store.TicketConcluded, "奖励已于1月20日拨付", 4 * time.Minute},
		{5, store.TicketRevisited, "", 6 * time.Minute},
		{6, store.TicketRated, "满意", 5 * time.Minute},
	}
	if d := diff(want, rows); d != "" {
		t.Errorf("TicketHistory (-want +got):\n%s", d)
	}
	if _, err := e.s.TicketHistory(ctx, "TS20260115-0099"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TicketHistory of no ticket: %v, want ErrNotFound", err)
	}
	// Each callback that changed something has its audit row, a repeat none.
	statusRows := 0
	recs, _ := e.s.AuditMonth(ctx, start)
	for _, r := range recs {
		if r.Action == store.ActionComplaintStatus {
			statusRows++
			if r.Username != platform.Username {
				t.Errorf("status audit row by %s, want %s", r.Username, platform.Username)
			}
		}
	}
	if statusRows != 6 {
		t.Errorf("%d status audit rows, want 6", statusRows)
	}
}

// testStatusConcurrentRepeats sends one callback from many goroutines (the
// platform retrying at several replicas): it is recorded once.
func testStatusConcurrentRepeats(t *testing.T, e *env) {
	tk := mustFile(t, e, unpaid("turn-1"))
	const senders = 8
	var wg sync.WaitGroup
	results := make([]store.StatusResult, senders)
	errs := make([]error, senders)
	for i := range senders {
		wg.Go(func() {
			results[i], errs[i] = e.s.RecordStatus(t.Context(), callback(tk.Number, 1, store.TicketAccepted, ""), platform)
		})
	}
	wg.Wait()
	fresh := 0
	for i := range senders {
		if errs[i] != nil {
			t.Errorf("RecordStatus: %v", errs[i])
		}
		if !results[i].Duplicate {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d callbacks recorded as new, want 1", fresh)
	}
	if h, _ := e.s.TicketHistory(t.Context(), tk.Number); len(h) != 1 {
		t.Errorf("history of %d events, want 1", len(h))
	}
}

func testInbound(t *testing.T, e *env) {
	ctx := t.Context()
	const id, text = "GZ12345-20260101-0001", "我公司2025年的十七.1奖励至今未兑现"
	if _, err := e.s.InboundAnswer(ctx, id, text); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("InboundAnswer before any: %v, want ErrNotFound", err)
	}
	answer := json.RawMessage(`{"clauses": [{"article": "十七.1"}], "reply": "依据十七.1……"}`)
	got, recorded, err := e.s.RecordInbound(ctx, store.InboundQuestion{PlatformTicketID: id, Text: text, Answer: answer}, platform)
	want := `{"clauses":[{"article":"十七.1"}],"reply":"依据十七.1……"}`
	if err != nil || !recorded || string(got) != want {
		t.Fatalf("RecordInbound = %s, %v, %v; want %s recorded", got, recorded, err, want)
	}
	// Asked again, even if the answer would now be another, the first stands.
	again, recorded, err := e.s.RecordInbound(ctx, store.InboundQuestion{PlatformTicketID: id, Text: text, Answer: json.RawMessage(`{"reply":"另一个"}`)}, platform)
	if err != nil || recorded || string(again) != want {
		t.Errorf("RecordInbound again = %s, %v, %v; want the first answer, not recorded", again, recorded, err)
	}
	if got, err := e.s.InboundAnswer(ctx, id, text); err != nil || string(got) != want {
		t.Errorf("InboundAnswer = %s, %v; want the answer kept", got, err)
	}
	_, err = e.s.InboundAnswer(ctx, id, text+"。")
	wantError(t, err, store.ErrConflict, "text")
	_, _, err = e.s.RecordInbound(ctx, store.InboundQuestion{PlatformTicketID: id, Text: "另一件投诉", Answer: answer}, platform)
	wantError(t, err, store.ErrConflict, "text")
	for _, tt := range []struct {
		name  string
		q     store.InboundQuestion
		field string
	}{
		{"NoID", store.InboundQuestion{Text: text, Answer: answer}, "platform_ticket_id"},
		{"SpaceInID", store.InboundQuestion{PlatformTicketID: "GZ 1", Text: text, Answer: answer}, "platform_ticket_id"},
		{"NoText", store.InboundQuestion{PlatformTicketID: "GZ-2", Answer: answer}, "text"},
		{"AnswerNotJSON", store.InboundQuestion{PlatformTicketID: "GZ-2", Text: text, Answer: json.RawMessage(`{`)}, "answer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.s.RecordInbound(ctx, tt.q, platform)
			wantError(t, err, store.ErrInvalid, tt.field)
		})
	}
	if got := auditActions(t, e.s); diff([]store.Action{store.ActionComplaintAnswered}, got) != "" {
		t.Errorf("audit actions %v, want one complaint-question-answered", got)
	}
}
