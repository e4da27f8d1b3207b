package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/complaints/fakeplatform"
	"policybot/complaints/sign"
	sessiontest "policybot/session/storetest"
	"policybot/store"
	"policybot/store/storetest"
)

// With --complaints, a complaint in the chat over HTTP is filed as a ticket
// with its number in the reply; without the master key serve refuses to
// start, rather than keep phones unsealed.
func TestServeFilesComplaints(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	p := startServe(t, map[string]string{"POLICYBOT_MASTER_KEY": key}, "--complaints")
	sid := ""
	var last map[string]any
	for _, m := range []string{"我要投诉,补贴一直不兑现,部门推诿", "企业名称:南康某家具有限公司,联系人张三,电话13800138000", "同意提交"} {
		body, _ := json.Marshal(map[string]string{"message": m, "session_id": sid})
		if sid == "" {
			body, _ = json.Marshal(map[string]string{"message": m})
		}
		status, r := p.call(t, "POST", "/v1/chat", string(body))
		if status != 200 {
			t.Fatalf("%q: status %d: %v", m, status, r)
		}
		sid, _ = r["session_id"].(string)
		last = r
	}
	no, _ := last["ticket_no"].(string)
	if !strings.HasPrefix(no, "TS") {
		t.Fatalf("no ticket number: %v", last)
	}
	// The metrics count the ticket's delivery waiting in the outbox, and
	// the store call that filed it.
	status, metrics := fetch(t, "http://"+p.addr+"/metrics")
	for _, want := range []string{
		`policybot_complaint_deliveries{state="pending"} 1`,
		`policybot_store_operations_total{backend="database",op="FileTicket",result="ok"} 1`,
	} {
		if status != 200 || !strings.Contains(metrics, want+"\n") {
			t.Errorf("GET /metrics = %d, lacks %s", status, want)
		}
	}
	// The platform's routes are mounted, and refuse an unsigned call.
	for _, path := range []string{"/v1/integrations/complaints", "/v1/integrations/complaints/status"} {
		if status, r := p.call(t, "POST", path, `{"ticket_id": "t1", "text": "奖励不兑现"}`); status != 401 {
			t.Errorf("an unsigned call of the platform to %s: %d %v", path, status, r)
		}
	}
	err := serve(context.Background(), []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--complaints"}, io.Discard, io.Discard, env(map[string]string{}), nil)
	if err == nil || !strings.Contains(err.Error(), "--complaints") {
		t.Errorf("serve --complaints without a master key: %v", err)
	}
}

// signedRequest returns a call of the platform to path on addr, signed
// with k at a time and with a nonce, so that the same call can be sent to
// another server.
func signedRequest(t *testing.T, addr, path, body string, k sign.Key, at time.Time, nonce string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if err := sign.SignAt(req, []byte(body), k, at, nonce); err != nil {
		t.Fatal(err)
	}
	return req
}

// Two replicas sharing Redis share the platform's nonces and each key's
// rate: a call accepted by one is refused by the other as a replay, and the
// calls of a key to both count against one budget; on one Redis node and on
// a Redis Cluster.
func TestIntegratorsAcrossReplicas(t *testing.T) {
	for _, tt := range []struct {
		name  string
		redis func(testing.TB) string
	}{
		{"Redis", sessiontest.RedisURL},
		{"RedisCluster", sessiontest.RedisClusterURL},
	} {
		t.Run(tt.name, func(t *testing.T) { testIntegratorsAcrossReplicas(t, tt.redis(t)) })
	}
}

func testIntegratorsAcrossReplicas(t *testing.T, redisURL string) {
	e := newComplaintsEnv(t, storetest.SQLite(t))
	number := slices.Collect(maps.Values(e.file(t, 1)))[0]
	vars := maps.Clone(e.vars)
	vars["REDIS_URL"] = redisURL
	// The whole test runs well within a second, before the budget of two
	// calls refills one.
	args := []string{"--complaints", "--data-dir", e.db.Dir, "--integrator-rate", "1", "--integrator-burst", "2"}
	a, b := startServe(t, vars, args...), startServe(t, vars, args...)
	const path = "/v1/integrations/complaints/status"
	body := func(seq int) string {
		return fmt.Sprintf(`{"ticket_no":%q,"platform_ticket_id":"GZ12345-0001","seq":%d,"status":"受理","at":"2026-01-15T10:30:00+08:00"}`, number, seq)
	}
	at, nonce := time.Now(), sign.NewNonce()
	if status, r := a.do(t, signedRequest(t, a.addr, path, body(1), e.key, at, nonce)); status != http.StatusOK {
		t.Fatalf("a callback: %d %v", status, r)
	}
	status, r := b.do(t, signedRequest(t, b.addr, path, body(1), e.key, at, nonce))
	if e, _ := r["error"].(map[string]any); status != http.StatusUnauthorized || e["field"] != sign.HeaderNonce {
		t.Errorf("the same call at the other replica: %d %v; want 401 of %s", status, r, sign.HeaderNonce)
	}
	if status, r := b.do(t, signedRequest(t, b.addr, path, body(2), e.key, time.Now(), sign.NewNonce())); status != http.StatusOK {
		t.Fatalf("a second callback, at the other replica: %d %v", status, r)
	}
	resp, err := http.DefaultClient.Do(signedRequest(t, a.addr, path, body(3), e.key, time.Now(), sign.NewNonce()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("a third call of the key: %d, Retry-After %q; want 429 after 1 s", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestStatusCallbacksServed has the fake platform report the closed loop
// of every ticket the outbox worker delivers to it, to serve --complaints
// on its internal listener, each callback perhaps repeated or sent again
// with another body, all in a shuffled order: repeats are accepted,
// conflicts refused, and every ticket ends rated with its whole history
// and an audit row for each step; on SQLite and on PostgreSQL.
func TestStatusCallbacksServed(t *testing.T) {
	for _, db := range []struct {
		name  string
		newDB func(testing.TB) storetest.DB
	}{
		{"SQLite", storetest.SQLite},
		{"Postgres", func(tb testing.TB) storetest.DB { storetest.PostgresURL(tb); return storetest.Postgres(tb) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			testStatusCallbacksServed(t, db.newDB(t))
		})
	}
}

func testStatusCallbacksServed(t *testing.T, db storetest.DB) {
	const n = 20
	e := newComplaintsEnv(t, db)
	args := []string{"--complaints", "--internal-addr", "127.0.0.1:0", "--integrator-rate", "100000", "--integrator-burst", "100000"}
	if db.URL != "" {
		args = append(args, "--database-url", db.URL)
	} else {
		args = append(args, "--data-dir", db.Dir)
	}
	p := startServe(t, e.vars, args...)
	e.withFake(t, fakeplatform.Config{Callbacks: fakeplatform.Callbacks{
		URL: "http://" + p.internal + "/v1/integrations/complaints/status", Interval: time.Millisecond, Repeat: 0.5, Conflict: 0.3, Reorder: true,
	}})
	numbers := slices.Collect(maps.Values(e.file(t, n)))
	ctx, stop := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e.workerArgs(), strings.NewReader(""), out, out, env(e.vars)) }()
	waitUntil(t, out, "all delivered", func() bool {
		counts, err := e.s.DeliveryCounts(t.Context())
		return err == nil && counts[store.DeliveryDelivered] == n
	})
	stop()
	if code := <-done; code != 0 {
		t.Errorf("outbox-worker exited %d\n%s", code, out)
	}
	e.fake.Wait()

	// Of the two bodies of a seq, the one that arrives first is kept; the
	// same body again is a repeat, accepted, the other a conflict.
	type callback struct {
		ticket string
		seq    int64
	}
	kept := make(map[callback]bool) // true: the platform's first body; false: the other
	kinds := make(map[string]int)
	reordered := 0
	last := make(map[string]int64)
	for _, c := range e.fake.Ledger().Callbacks {
		kinds[c.Kind]++
		first := c.Kind != fakeplatform.CallbackConflict
		key := callback{c.TicketNo, c.Seq}
		if _, ok := kept[key]; !ok {
			kept[key] = first
		}
		want := http.StatusOK
		if kept[key] != first {
			want = http.StatusConflict
		}
		if c.Code != want {
			t.Errorf("%s callback %d of %s answered %d %s, want %d", c.Kind, c.Seq, c.TicketNo, c.Code, c.Error, want)
		}
		if c.Seq < last[c.TicketNo] {
			reordered++
		}
		last[c.TicketNo] = max(last[c.TicketNo], c.Seq)
	}
	t.Logf("callbacks: %v; %d arrived after a later one", kinds, reordered)
	if kinds[fakeplatform.CallbackFirst] != 6*n || kinds[fakeplatform.CallbackRepeat] == 0 || kinds[fakeplatform.CallbackConflict] == 0 || reordered == 0 {
		t.Errorf("callbacks %v, %d reordered; want 6 per ticket, with repeats, conflicts and some out of order", kinds, reordered)
	}

	wantStatuses := []store.TicketStatus{store.TicketAccepted, store.TicketTransferred, store.TicketProcessing,
		store.TicketConcluded, store.TicketRevisited, store.TicketRated}
	for _, number := range numbers {
		tk, err := e.s.Ticket(t.Context(), number)
		if err != nil || tk.Status != store.TicketRated || tk.StatusSeq != 6 {
			t.Errorf("%s: %s at seq %d, %v; want rated at 6", number, tk.Status, tk.StatusSeq, err)
		}
		history, err := e.s.TicketHistory(t.Context(), number)
		if err != nil {
			t.Fatal(err)
		}
		var statuses []store.TicketStatus
		for _, ev := range history {
			statuses = append(statuses, ev.Status)
			if corrected := strings.HasSuffix(ev.Note, "(更正)"); corrected == kept[callback{number, ev.Seq}] {
				t.Errorf("%s: seq %d's note %q is not that of the body that arrived first", number, ev.Seq, ev.Note)
			}
		}
		if d := cmp.Diff(wantStatuses, statuses); d != "" {
			t.Errorf("%s: history (-want +got):\n%s", number, d)
		}
	}
	recs, err := e.s.AuditMonth(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	audited := 0
	for _, r := range recs {
		if r.Action == store.ActionComplaintStatus && r.Username == "integrator:gz12345" {
			audited++
		}
	}
	if audited != 6*n {
		t.Errorf("%d status audit rows by integrator:gz12345, want one per step of each ticket, %d", audited, 6*n)
	}
}
