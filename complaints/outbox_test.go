package complaints_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/complaints/complaintstest"
	"policybot/complaints/fakeplatform"
	"policybot/complaints/sign"
	"policybot/store"
	"policybot/store/storetest"
)

var (
	chat       = store.Actor{Username: "chat"}
	supervisor = store.Actor{Username: "wang.fang", RemoteAddr: "10.1.2.3"}
)

// outboxEnv is a store with an integrator key, and the platform the key
// delivers to.
type outboxEnv struct {
	db   storetest.DB
	s    store.Store
	opt  store.Options
	keys *complaints.Keys
	key  sign.Key
	// url is the platform's ticket endpoint.
	url string
}

func newOutboxEnv(t testing.TB, newDB storetest.NewDB) *outboxEnv {
	t.Helper()
	box := storetest.NewSealer(t)
	e := &outboxEnv{db: newDB(t), opt: store.Options{Sealer: box}}
	e.s = e.db.Open(t, e.opt)
	e.keys = complaints.NewKeys(e.s, box, time.Now)
	k, secret, err := e.keys.Issue(t.Context(), "gz12345", sign.HMACSHA256, cli)
	if err != nil {
		t.Fatal(err)
	}
	e.key = sign.Key{ID: k.KeyID, Integrator: k.Integrator, Algorithm: sign.HMACSHA256, Secret: []byte(secret)}
	return e
}

// withFake serves a fake platform of cfg, its key the env's, until the
// test ends.
func (e *outboxEnv) withFake(t testing.TB, cfg fakeplatform.Config) *fakeplatform.Platform {
	t.Helper()
	cfg.Key = e.key
	if cfg.Seed == 0 {
		cfg.Seed = 20260115
	}
	fake := fakeplatform.New(cfg)
	e.serve(t, fake)
	t.Cleanup(fake.Close) // before the server's Close, registered first
	return fake
}

// serve serves h as the platform until the test ends.
func (e *outboxEnv) serve(t testing.TB, h http.Handler) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/tickets"
}

// testWorkerConfig delivers fast: attempts of 150 ms, waits of 1 to 20 ms.
var testWorkerConfig = complaints.WorkerConfig{
	Concurrency:    16,
	AttemptTimeout: 150 * time.Millisecond,
	Lease:          time.Second,
	Poll:           5 * time.Millisecond,
	BackoffBase:    time.Millisecond,
	BackoffCap:     20 * time.Millisecond,
	MaxAttempts:    40,
}

// exactWorkerConfig is testWorkerConfig with attempts long enough that
// none times out however loaded the machine, for tests that count them.
var exactWorkerConfig = func() complaints.WorkerConfig {
	cfg := testWorkerConfig
	cfg.AttemptTimeout = 2 * time.Second
	cfg.Lease = 5 * time.Second
	return cfg
}()

func (e *outboxEnv) worker(t testing.TB, s store.Store, cfg complaints.WorkerConfig, hooks complaints.Hooks) *complaints.Worker {
	t.Helper()
	cfg.URL = e.url
	w, err := complaints.NewWorker(cfg, complaints.WorkerDeps{
		Store: s,
		Key:   func(ctx context.Context) (sign.Key, error) { return e.keys.SigningKey(ctx, "gz12345") },
		Hooks: hooks,
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// run runs w until the returned stop is called or the test ends; stop
// waits for Run to return.
func run(t testing.TB, w *complaints.Worker) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Run did not return within 10s of its context ending")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// newTicket is the i-th ticket of a test.
func newTicket(i int) store.NewTicket {
	return store.NewTicket{
		IdempotencyKey: fmt.Sprintf("turn-%d", i),
		OwnerKey:       fmt.Sprintf("wx:user-%d", i%50),
		ContactName:    "陈女士",
		Phone:          fmt.Sprintf("139%08d", i),
		Enterprise:     "赣州市南康区鑫盛家具有限公司",
		Complaint:      "我公司2025年的十七.1奖励至今未兑现。",
		Clauses:        []store.CitedClause{{DocID: "gz-2024-industry", Article: "十七.1"}},
		Department:     "市工业和信息化局",
		ConsentedAt:    time.Now().Add(-time.Minute),
	}
}

// fileTickets files n tickets from filers goroutines at once, as chat
// turns of many users arrive, and returns them.
func fileTickets(t testing.TB, s store.Store, n, filers int) []store.Ticket {
	t.Helper()
	tickets := make([]store.Ticket, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range filers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				tk, filed, err := s.FileTicket(context.Background(), newTicket(i+1), chat)
				if err != nil || !filed {
					t.Errorf("FileTicket(%d) = %v, %v; want filed", i+1, filed, err)
					return
				}
				tickets[i] = tk
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return tickets
}

// waitFor polls the store's delivery counts until done says they are
// final, or fails the test after a generous deadline.
func waitFor(t testing.TB, s store.Store, what string, done func(map[store.DeliveryState]int) bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		counts, err := s.DeliveryCounts(t.Context())
		if err != nil {
			t.Fatalf("DeliveryCounts: %v", err)
		}
		if done(counts) {
			return
		}
		if time.Now().After(deadline) {
			dead, _ := s.DeadDeliveries(t.Context(), 5)
			for _, d := range dead {
				t.Logf("dead: %s after %d attempts: %s", d.Ticket.Number, d.Attempts, d.LastError)
			}
			t.Fatalf("%s: not within 60s; deliveries %v", what, counts)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func allDelivered(n int) func(map[store.DeliveryState]int) bool {
	return func(c map[store.DeliveryState]int) bool {
		return c[store.DeliveryDelivered] == n || c[store.DeliveryDead] > 0
	}
}

// checkLedger checks that the platform's ledger holds each ticket exactly
// once, misses none and holds nothing else, and that the store recorded
// the platform's id of each; it logs the raw attempts.
func checkLedger(t testing.TB, s store.Store, l fakeplatform.Ledger, tickets []store.Ticket) {
	t.Helper()
	ids := make(map[string]string)
	for _, e := range l.Tickets {
		ids[e.IdempotencyKey] = e.PlatformTicketID
	}
	want := make(map[string]string)
	for _, tk := range tickets {
		d, err := s.Delivery(t.Context(), tk.Number)
		if err != nil {
			t.Fatalf("Delivery(%s): %v", tk.Number, err)
		}
		want[d.Key] = tk.Number
		if id, ok := ids[d.Key]; ok && (d.State != store.DeliveryDelivered || d.Ticket.PlatformTicketID != id) {
			t.Errorf("%s is %s as %q in the store; want delivered as %s", tk.Number, d.State, d.Ticket.PlatformTicketID, id)
		}
	}
	for _, p := range l.Check(want) {
		t.Error(p)
	}
	t.Logf("%d tickets, each once in the ledger; %d raw attempts: %d failed (500), %d timed out, %d answered twice, %d duplicates",
		len(tickets), l.Attempts, l.Failed, l.TimedOut, l.AnsweredTwice, l.Duplicates)
}

// unreliable fails half of all deliveries, times out on one in twenty
// and answers one in twenty twice.
var unreliable = fakeplatform.Faults{Fail: 0.5, Timeout: 0.05, AnswerTwice: 0.05}

// TestDeliverAll files 1,000 tickets from the chat (on SQLite under the
// race detector, sqliteTickets) while a worker delivers them to a platform that fails
// more than half the time: each reaches the ledger once.
func TestDeliverAll(t *testing.T) {
	for _, db := range []struct {
		name    string
		newDB   storetest.NewDB
		tickets int
	}{{"SQLite", storetest.SQLite, sqliteTickets}, {"Postgres", postgresDB, 1000}} {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			e := newOutboxEnv(t, db.newDB)
			fake := e.withFake(t, fakeplatform.Config{Faults: unreliable})
			stop := run(t, e.worker(t, e.s, testWorkerConfig, complaints.Hooks{}))
			n := db.tickets
			tickets := complaintstest.FileFromChat(t, e.s, n, 4)
			waitFor(t, e.s, "all delivered", allDelivered(n))
			stop()
			checkLedger(t, e.s, fake.Ledger(), tickets)
		})
	}
}

// postgresDB is storetest.Postgres, skipped when no PostgreSQL is given.
func postgresDB(tb testing.TB) storetest.DB {
	storetest.PostgresURL(tb)
	return storetest.Postgres(tb)
}

// inFlight counts, from the workers' hooks, the attempts under way per
// delivery, and notes any delivery in flight at two workers at once.
type inFlight struct {
	mu       sync.Mutex // guards the fields below
	now      map[string]string
	byWorker map[string]int
	overlaps []string
}

func (f *inFlight) hooks(worker string) complaints.Hooks {
	return complaints.Hooks{
		Sending: func(d store.Delivery) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if other, ok := f.now[d.Key]; ok {
				f.overlaps = append(f.overlaps, fmt.Sprintf("%s at %s and %s", d.Ticket.Number, other, worker))
			}
			f.now[d.Key] = worker
			f.byWorker[worker]++
		},
		Attempted: func(d store.Delivery, _ complaints.Outcome, _ time.Duration, _ error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			delete(f.now, d.Key)
		},
	}
}

// TestTwoWorkersPostgres has two replicas, each with its own pool on one
// PostgreSQL, deliver at once: no delivery is in flight at both at once,
// and nothing is lost.
func TestTwoWorkersPostgres(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, postgresDB)
	fake := e.withFake(t, fakeplatform.Config{Faults: unreliable})
	f := &inFlight{now: make(map[string]string), byWorker: make(map[string]int)}
	for _, name := range []string{"replica-a", "replica-b"} {
		cfg := testWorkerConfig
		cfg.Name = name
		run(t, e.worker(t, e.db.Open(t, e.opt), cfg, f.hooks(name)))
	}
	const n = 1000
	tickets := complaintstest.FileFromChat(t, e.s, n, 4)
	waitFor(t, e.s, "all delivered", allDelivered(n))
	f.mu.Lock()
	overlaps, byWorker := f.overlaps, f.byWorker
	f.mu.Unlock()
	for _, o := range overlaps {
		t.Errorf("in flight twice at once: %s", o)
	}
	t.Logf("attempts by worker: %v", byWorker)
	if byWorker["replica-a"] == 0 || byWorker["replica-b"] == 0 {
		t.Errorf("attempts by worker %v; want both to deliver", byWorker)
	}
	checkLedger(t, e.s, fake.Ledger(), tickets)
}

// TestDeadLetters has the platform fail every delivery: each goes dead
// after its last attempt, and delivers once a supervisor retries it.
func TestDeadLetters(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, storetest.SQLite)
	fake := e.withFake(t, fakeplatform.Config{Faults: fakeplatform.Faults{Fail: 1}})
	cfg := exactWorkerConfig
	cfg.MaxAttempts = 3
	var mu sync.Mutex // guards outcomes
	outcomes := make(map[complaints.Outcome]int)
	run(t, e.worker(t, e.s, cfg, complaints.Hooks{Attempted: func(_ store.Delivery, o complaints.Outcome, _ time.Duration, _ error) {
		mu.Lock()
		outcomes[o]++
		mu.Unlock()
	}}))
	tickets := fileTickets(t, e.s, 5, 1)
	waitFor(t, e.s, "all dead", func(c map[store.DeliveryState]int) bool { return c[store.DeliveryDead] == 5 })
	dead, err := e.s.DeadDeliveries(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dead {
		if d.Attempts != 3 || !strings.HasPrefix(d.LastError, "platform answered 500: ") {
			t.Errorf("dead %s after %d attempts: %q; want 3, the platform's 500", d.Ticket.Number, d.Attempts, d.LastError)
		}
	}
	mu.Lock()
	if want := map[complaints.Outcome]int{complaints.Retry: 10, complaints.Dead: 5}; fmt.Sprint(outcomes) != fmt.Sprint(want) {
		t.Errorf("outcomes %v, want %v", outcomes, want)
	}
	mu.Unlock()
	if l := fake.Ledger(); l.Attempts != 15 || len(l.Tickets) != 0 {
		t.Errorf("ledger after the failures: %d attempts, %d tickets; want 15, none", l.Attempts, len(l.Tickets))
	}

	fake.SetFaults(fakeplatform.Faults{})
	for _, tk := range tickets {
		if _, err := e.s.RetryDelivery(t.Context(), tk.Number, supervisor); err != nil {
			t.Fatalf("RetryDelivery: %v", err)
		}
	}
	waitFor(t, e.s, "all delivered after the retry", allDelivered(5))
	checkLedger(t, e.s, fake.Ledger(), tickets)
}

// scripted is a platform that answers each attempt as its script says,
// the last answer over and over.
type scripted struct {
	mu      sync.Mutex // guards answers and calls
	answers []answer
	calls   int
}

type answer struct {
	status int
	body   string
}

func (p *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	a := p.answers[min(p.calls, len(p.answers)-1)]
	p.calls++
	p.mu.Unlock()
	w.WriteHeader(a.status)
	w.Write([]byte(a.body))
}

// TestWorkerAnswers checks what the worker makes of the platform's
// answers, and that an error quotes no more than an excerpt of them.
func TestWorkerAnswers(t *testing.T) {
	long := strings.Repeat("内部错误", 500) + "\x00\x1b[31m"
	for _, tt := range []struct {
		name         string
		answers      []answer
		wantState    store.DeliveryState
		wantAttempts int
		wantError    string
	}{
		{"Created", []answer{{201, `{"platform_ticket_id":"GZ-1"}`}}, store.DeliveryDelivered, 1, ""},
		{"DuplicateOK", []answer{{200, `{"platform_ticket_id":"GZ-1","duplicate":true}`}}, store.DeliveryDelivered, 1, ""},
		{"NoIDThenID", []answer{{200, `{}`}, {200, `{"platform_ticket_id":"GZ-1"}`}}, store.DeliveryDelivered, 2, ""},
		{"BadRequestIsFinal", []answer{{400, long}}, store.DeliveryDead, 1, "platform refused the ticket with 400: 内部错误"},
		{"UnprocessableIsFinal", []answer{{422, `{"error":"idempotency key reused"}`}}, store.DeliveryDead, 1, `platform refused the ticket with 422: {"error":"idempotency key reused"}`},
		{"ServerErrorsUntilLast", []answer{{503, ""}}, store.DeliveryDead, 3, "platform answered 503: (empty)"},
		{"UnauthorizedIsRetried", []answer{{401, "bad signature"}, {201, `{"platform_ticket_id":"GZ-1"}`}}, store.DeliveryDelivered, 2, ""},
		{"InvalidID", []answer{{201, `{"platform_ticket_id":"GZ 1"}`}}, store.DeliveryDead, 3, "without a valid platform_ticket_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newOutboxEnv(t, storetest.SQLite)
			e.serve(t, &scripted{answers: tt.answers})
			cfg := exactWorkerConfig
			cfg.MaxAttempts = 3
			run(t, e.worker(t, e.s, cfg, complaints.Hooks{}))
			tk := fileTickets(t, e.s, 1, 1)[0]
			waitFor(t, e.s, "an outcome", func(c map[store.DeliveryState]int) bool {
				return c[store.DeliveryDelivered]+c[store.DeliveryDead] == 1
			})
			d, err := e.s.Delivery(t.Context(), tk.Number)
			if err != nil {
				t.Fatal(err)
			}
			if d.State != tt.wantState || d.Attempts != tt.wantAttempts || !strings.Contains(d.LastError, tt.wantError) {
				t.Errorf("delivery %s after %d attempts, error %q; want %s after %d, error with %q",
					d.State, d.Attempts, d.LastError, tt.wantState, tt.wantAttempts, tt.wantError)
			}
			if len(d.LastError) > 300 || strings.ContainsAny(d.LastError, "\x00\x1b") {
				t.Errorf("last error of %d bytes %q; want a short excerpt without control characters", len(d.LastError), d.LastError)
			}
		})
	}
}

// TestLeaseTakenOver leaves deliveries claimed by a worker that died: the
// next worker delivers them once the lease ends.
func TestLeaseTakenOver(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, storetest.SQLite)
	fake := e.withFake(t, fakeplatform.Config{})
	tickets := fileTickets(t, e.s, 3, 1)
	if ds, err := e.s.ClaimDeliveries(t.Context(), "died-mid-attempt", 3, 300*time.Millisecond); err != nil || len(ds) != 3 {
		t.Fatalf("ClaimDeliveries = %d, %v", len(ds), err)
	}
	run(t, e.worker(t, e.s, exactWorkerConfig, complaints.Hooks{}))
	waitFor(t, e.s, "all delivered", allDelivered(3))
	for _, tk := range tickets {
		if d, _ := e.s.Delivery(t.Context(), tk.Number); d.Attempts != 2 {
			t.Errorf("%s delivered at attempt %d, want 2: the dead worker's claim counts", tk.Number, d.Attempts)
		}
	}
	checkLedger(t, e.s, fake.Ledger(), tickets)
}

// slow answers after a pause, and says when each attempt arrives.
type slow struct {
	pause   time.Duration
	arrived chan struct{}
	n       atomic.Int64
}

func (p *slow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.arrived <- struct{}{}
	time.Sleep(p.pause)
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"platform_ticket_id":"GZ-%d"}`, p.n.Add(1))
}

// TestGracefulStop stops a worker with attempts under way: they finish
// and their outcomes are recorded, and nothing more is claimed.
func TestGracefulStop(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, storetest.SQLite)
	platform := &slow{pause: 500 * time.Millisecond, arrived: make(chan struct{}, 10)}
	e.serve(t, platform)
	// Filed first, so that the first claim takes four at once and no
	// attempt ends before all four are under way.
	fileTickets(t, e.s, 6, 1)
	cfg := exactWorkerConfig
	cfg.Concurrency = 4
	stop := run(t, e.worker(t, e.s, cfg, complaints.Hooks{}))
	for range 4 {
		select {
		case <-platform.arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("the worker did not send 4 attempts within 10s")
		}
	}
	stop()
	counts, err := e.s.DeliveryCounts(t.Context())
	want := map[store.DeliveryState]int{store.DeliveryPending: 2, store.DeliveryDelivering: 0, store.DeliveryDelivered: 4, store.DeliveryDead: 0}
	if err != nil || fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("after stopping: %v, %v; want %v", counts, err, want)
	}
}

func TestBackoff(t *testing.T) {
	const base, limit = time.Second, time.Minute
	for _, tt := range []struct {
		attempt int
		r       float64
		want    time.Duration
	}{
		{1, 0.5, 500 * time.Millisecond},
		{1, 0, 0},
		{2, 0.999, 1998 * time.Millisecond},
		{6, 0.5, 16 * time.Second},
		{7, 0.5, 30 * time.Second}, // 64 s is over the cap
		{62, 0.5, 30 * time.Second},
		{1000, 0.5, 30 * time.Second}, // no overflow
		{0, 0.5, 500 * time.Millisecond},
	} {
		if got := complaints.Backoff(tt.attempt, base, limit, tt.r); got != tt.want {
			t.Errorf("Backoff(%d, r=%v) = %v, want %v", tt.attempt, tt.r, got, tt.want)
		}
	}
}

func TestNewWorkerRefuses(t *testing.T) {
	deps := complaints.WorkerDeps{Store: nopStore{}, Key: func(context.Context) (sign.Key, error) { return sign.Key{}, nil }}
	for _, tt := range []struct {
		name string
		cfg  complaints.WorkerConfig
		deps complaints.WorkerDeps
	}{
		{"NoURL", complaints.WorkerConfig{}, deps},
		{"NotHTTP", complaints.WorkerConfig{URL: "ftp://platform/tickets"}, deps},
		{"NoStore", complaints.WorkerConfig{URL: "http://platform/tickets"}, complaints.WorkerDeps{Key: deps.Key}},
		{"LeaseShorterThanAttempt", complaints.WorkerConfig{URL: "http://platform/tickets", AttemptTimeout: time.Minute, Lease: time.Second}, deps},
		{"CapBelowBase", complaints.WorkerConfig{URL: "http://platform/tickets", BackoffBase: time.Minute, BackoffCap: time.Second}, deps},
		{"Concurrency", complaints.WorkerConfig{URL: "http://platform/tickets", Concurrency: -1}, deps},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := complaints.NewWorker(tt.cfg, tt.deps); err == nil {
				t.Error("NewWorker: no error")
			}
		})
	}
	w, err := complaints.NewWorker(complaints.WorkerConfig{URL: "https://platform/tickets"}, deps)
	if err != nil || w.Name() == "" {
		t.Errorf("NewWorker with defaults = %v, %v; want a worker with a name of its own", w, err)
	}
}

type nopStore struct{ complaints.DeliveryStore }

// The payload carries what the platform needs, and its JSON field names
// are those the documentation gives.
func TestTicketPayload(t *testing.T) {
	at := time.Date(2026, 1, 15, 1, 0, 0, 0, time.UTC)
	d := store.Delivery{Key: "pbt_k", Ticket: store.Ticket{
		Number: "TS20260115-0001", ContactName: "陈女士", Phone: "13800138000", Enterprise: "鑫盛家具", Complaint: "未兑现",
		Clauses: []store.CitedClause{{DocID: "d", Article: "十七.1"}}, Department: "市工信局", ConsentedAt: at, CreatedAt: at,
	}}
	got, err := json.Marshal(complaints.NewTicketPayload(d))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ticket_no":"TS20260115-0001","idempotency_key":"pbt_k","enterprise":{"name":"鑫盛家具"},` +
		`"contact":{"name":"陈女士","phone":"13800138000"},"complaint":"未兑现","facts":null,` +
		`"clauses":[{"doc_id":"d","article":"十七.1"}],"department":"市工信局",` +
		`"consented_at":"2026-01-15T01:00:00Z","filed_at":"2026-01-15T01:00:00Z"}`
	if string(got) != want {
		t.Errorf("payload\n got %s\nwant %s", got, want)
	}
}
