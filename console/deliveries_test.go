package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/store"
)

// The deliveries page says in plain words why each delivery died, for the
// reasons the outbox worker itself writes: a platform that refuses, errs,
// answers without an id, drops the connection before or after answering,
// or does not answer in time.
func TestFailureWordsOfTheWorker(t *testing.T) {
	s := newSite(t)
	platform := map[string]func(w http.ResponseWriter, r *http.Request){
		"投诉平台拒收了这张工单": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":"complaint too short"}`, http.StatusUnprocessableEntity)
		},
		"投诉平台出错(状态码 503)": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		},
		"没有给出有效的平台工单号": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) },
		"连接不上投诉平台": func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Close()
		},
		"投诉平台应答时连接中断": func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Write([]byte("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 100\r\n\r\npartial"))
			conn.Close()
		},
		"投诉平台在规定时间内没有应答": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
	}
	// Each ticket meets one of the platform's behaviours, by its number.
	byNumber := map[string]func(w http.ResponseWriter, r *http.Request){}
	for _, h := range platform {
		byNumber[s.fileTicket(fmt.Sprintf("turn-%d", len(byNumber))).Number] = h
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p complaints.TicketPayload
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil || byNumber[p.TicketNo] == nil {
			http.Error(w, "unknown ticket", http.StatusBadRequest)
			return
		}
		byNumber[p.TicketNo](w, r)
	}))
	t.Cleanup(srv.Close)
	key := sign.Key{ID: "gz12345-test", Integrator: "gz12345", Algorithm: sign.HMACSHA256, Secret: []byte("a test secret")}
	// Attempts of 2 s: on a loaded machine only the answer withheld times out.
	w, err := complaints.NewWorker(complaints.WorkerConfig{
		URL: srv.URL + "/tickets", Concurrency: len(platform), AttemptTimeout: 2 * time.Second, Lease: 5 * time.Second,
		Poll: 10 * time.Millisecond, MaxAttempts: 1,
	}, complaints.WorkerDeps{Store: s.db, Key: func(context.Context) (sign.Key, error) { return key, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		counts, err := s.db.DeliveryCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if counts[store.DeliveryDead] == len(platform) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker left the deliveries %v, want all %d dead", counts, len(platform))
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	b := s.browser()
	b.signIn("wang")
	_, page, _ := b.get("/console/deliveries")
	for words := range platform {
		if !strings.Contains(page, words) {
			t.Errorf("the deliveries page lacks %s", words)
		}
	}
	// Every reason is said in words, each with the worker's own beside it.
	if n := strings.Count(page, "<summary>原始信息</summary>"); n != len(platform) {
		t.Errorf("%d reasons have words of their own, want all %d", n, len(platform))
	}
}

// A supervisor sees the dead letters in plain words and retries one; a
// second retry of it, from a page loaded before the first, says it was
// retried already.
func TestRetryDeadLetter(t *testing.T) {
	s := newSite(t)
	tickets := s.deadLetters(
		"platform refused the ticket with 422: {\"error\":\"contact.phone "+phone+" not reachable\"}",
		"cannot reach the platform: dial tcp 10.20.0.7:443: connect: connection refused",
	)
	refused, unreachable := tickets[0].Number, tickets[1].Number
	b, other := s.browser(), s.browser()
	token := b.signIn("wang")
	otherToken := other.signIn("wang")
	status, page, _ := b.get("/console/deliveries")
	if status != http.StatusOK {
		t.Fatalf("the deliveries page: %d", status)
	}
	for _, want := range []string{
		"<th scope=\"col\">已停止投递</th>", "<td>2</td>",
		`<a href="/console/tickets/` + unreachable + `">`, "赣州市南康区鑫盛家具有限公司", "市工业和信息化局",
		"连接不上投诉平台(网络不通或平台停机)", "投诉平台拒收了这张工单", "原始信息",
		`action="/console/deliveries/` + refused + `/retry"`, `name="csrf" value="` + token + `"`,
		`id="ticket-search"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the deliveries page lacks %s", want)
		}
	}
	if strings.Contains(page, phone) {
		t.Error("the deliveries page shows the phone the platform's answer echoed")
	}
	if strings.Index(page, "dead-"+unreachable) > strings.Index(page, "dead-"+refused) {
		t.Error("the dead letters are not listed the latest to die first")
	}

	status, _, h := b.post("/console/deliveries/"+strings.ToLower(unreachable)+"/retry", url.Values{"csrf": {token}})
	if want := "/console/deliveries?retried=" + unreachable; status != http.StatusSeeOther || h.Get("Location") != want {
		t.Fatalf("retry: %d to %q, want 303 to %s", status, h.Get("Location"), want)
	}
	_, page, _ = b.get(h.Get("Location"))
	for _, want := range []string{`role="alert" id="retry-result">已重新投递工单`, "当前投递状态:等待投递"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page after the retry lacks %s", want)
		}
	}
	if strings.Contains(page, `id="dead-`+unreachable+`"`) {
		t.Error("the retried delivery is still listed dead")
	}
	if d, _ := s.db.Delivery(context.Background(), unreachable); d.State != store.DeliveryPending || d.Attempts != 0 {
		t.Errorf("the retried delivery is %s at attempt %d, want pending with its attempts ahead", d.State, d.Attempts)
	}
	if r := s.lastAudit(); r.Action != store.ActionComplaintRetried || r.Username != "wang" || r.Object != store.TicketObject(unreachable) {
		t.Errorf("the last audit row %+v, want wang's retry of %s", r, unreachable)
	}

	// The other page still shows the button; its retry finds it done.
	status, _, h = other.post("/console/deliveries/"+unreachable+"/retry", url.Values{"csrf": {otherToken}})
	if status != http.StatusSeeOther || h.Get("Location") != "/console/deliveries?stale="+unreachable {
		t.Fatalf("a second retry: %d to %q, want 303 back to the list saying so", status, h.Get("Location"))
	}
	status, page, _ = other.get(h.Get("Location"))
	if status != http.StatusOK || !strings.Contains(page, "未重新投递:它已不是“已停止投递”状态,可能已有其他主管重新投递。当前投递状态:等待投递") {
		t.Errorf("the page after a second retry: %d\n%.800s", status, page)
	}
}
