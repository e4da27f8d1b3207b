package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/complaints/complaintstest"
	"policybot/complaints/fakeplatform"
	"policybot/complaints/sign"
	"policybot/internal/secretbox"
	"policybot/store"
	"policybot/store/storetest"
)

// helperEnv, when set, makes the test binary run as policybot with the
// arguments it holds, separated by \x1f: a process of the real program,
// which a test can kill.
const helperEnv = "POLICYBOT_TEST_HELPER_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(helperEnv); ok {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr, os.Getenv)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// helper starts policybot with args as a process of its own, whose
// output goes to out.
func helper(t *testing.T, out *lockedBuffer, vars map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+strings.Join(args, "\x1f"))
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// complaintsEnv is a store with the platform's key, and the fake platform
// the key delivers to, once withFake starts it.
type complaintsEnv struct {
	db   storetest.DB
	s    store.Store
	vars map[string]string
	key  sign.Key
	fake *fakeplatform.Platform
	url  string
}

func newComplaintsEnv(t *testing.T, db storetest.DB) *complaintsEnv {
	t.Helper()
	mk := masterKey(t)
	box, err := secretbox.Load("", mk)
	if err != nil {
		t.Fatal(err)
	}
	e := &complaintsEnv{s: db.Open(t, store.Options{Sealer: box}), vars: map[string]string{"POLICYBOT_MASTER_KEY": mk}, db: db}
	k, secret, err := complaints.NewKeys(e.s, box, time.Now).Issue(t.Context(), "gz12345", sign.HMACSHA256, cliActor)
	if err != nil {
		t.Fatal(err)
	}
	e.key = sign.Key{ID: k.KeyID, Integrator: k.Integrator, Algorithm: sign.HMACSHA256, Secret: []byte(secret)}
	return e
}

// withFake serves the fake platform of cfg, signing with the env's key,
// until the test ends.
func (e *complaintsEnv) withFake(t *testing.T, cfg fakeplatform.Config) {
	t.Helper()
	cfg.Key, cfg.Seed = e.key, 11
	e.fake = fakeplatform.New(cfg)
	srv := httptest.NewServer(e.fake)
	t.Cleanup(srv.Close)
	t.Cleanup(e.fake.Close) // first, ending the deliveries held
	e.url = srv.URL + "/tickets"
}

// file files n tickets as the chat files them (complaintstest.FileFromChat)
// and returns their numbers by the idempotency key of their delivery.
func (e *complaintsEnv) file(t *testing.T, n int) map[string]string {
	t.Helper()
	want := make(map[string]string)
	for _, tk := range complaintstest.FileFromChat(t, e.s, n, 4) {
		d, err := e.s.Delivery(t.Context(), tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		want[d.Key] = tk.Number
	}
	return want
}

// workerArgs are the arguments of a worker that delivers fast.
func (e *complaintsEnv) workerArgs() []string {
	args := []string{"outbox-worker", "--integrator", "gz12345", "--platform-url", e.url,
		"--concurrency", "16", "--attempt-timeout", "150ms", "--lease", "1s", "--poll", "5ms",
		"--backoff-base", "1ms", "--backoff-cap", "20ms", "--max-attempts", "40"}
	if e.db.URL != "" {
		return append(args, "--database-url", e.db.URL)
	}
	return append(args, "--data-dir", e.db.Dir)
}

// waitUntil polls cond until it holds, or fails the test after a generous
// deadline, showing out.
func waitUntil(t *testing.T, out *lockedBuffer, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 60s; worker's output:\n%s", what, out)
		}
	}
}

// TestOutboxWorkerKilled delivers 1,000 tickets (on SQLite under the race
// detector, sqliteTickets) to a platform that fails more than half the
// time with a worker process that is killed outright (SIGKILL) twice
// during delivery and started again: each ticket reaches the ledger once,
// none is lost. SQLite's file is shared by the test, which files, and the
// worker.
func TestOutboxWorkerKilled(t *testing.T) {
	for _, db := range []struct {
		name    string
		newDB   func(testing.TB) storetest.DB
		tickets int
	}{
		{"SQLite", storetest.SQLite, sqliteTickets},
		{"Postgres", func(tb testing.TB) storetest.DB { storetest.PostgresURL(tb); return storetest.Postgres(tb) }, 1000},
	} {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			testOutboxWorkerKilled(t, db.newDB(t), db.tickets)
		})
	}
}

func testOutboxWorkerKilled(t *testing.T, db storetest.DB, n int) {
	e := newComplaintsEnv(t, db)
	e.withFake(t, fakeplatform.Config{Faults: fakeplatform.Faults{Fail: 0.5, Timeout: 0.05, AnswerTwice: 0.05}})
	want := e.file(t, n)
	out := &lockedBuffer{}
	for _, killAt := range []int{n / 3, 2 * n / 3} {
		w := helper(t, out, e.vars, e.workerArgs()...)
		waitUntil(t, out, fmt.Sprintf("%d in the ledger", killAt), func() bool { return len(e.fake.Ledger().Tickets) >= killAt })
		if err := w.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		w.Wait()
		counts, err := e.s.DeliveryCounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("killed with %d in the ledger; deliveries %v", len(e.fake.Ledger().Tickets), counts)
	}
	w := helper(t, out, e.vars, e.workerArgs()...)
	waitUntil(t, out, "all delivered", func() bool {
		counts, err := e.s.DeliveryCounts(t.Context())
		return err == nil && (counts[store.DeliveryDelivered] == n || counts[store.DeliveryDead] > 0)
	})
	if err := w.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := w.Wait(); err != nil {
		t.Errorf("worker stopped with %v, want a clean exit on SIGTERM\n%s", err, out)
	}
	l := e.fake.Ledger()
	for _, p := range l.Check(want) {
		t.Error(p)
	}
	for key, number := range want {
		if d, err := e.s.Delivery(t.Context(), number); err != nil || d.State != store.DeliveryDelivered || d.Key != key {
			t.Errorf("%s: %+v, %v; want delivered", number, d, err)
		}
	}
	t.Logf("%d tickets, each once in the ledger; %d raw attempts: %d failed (500), %d timed out, %d answered twice, %d duplicates",
		n, l.Attempts, l.Failed, l.TimedOut, l.AnsweredTwice, l.Duplicates)
}

func TestOutboxWorkerRefuses(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"POLICYBOT_MASTER_KEY": masterKey(t), "POLICYBOT_DATA_DIR": dir}
	for _, tt := range []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"NoPlatform", []string{"outbox-worker", "--integrator", "gz12345"}, 2, "--integrator and --platform-url are required"},
		{"NoKey", []string{"outbox-worker", "--integrator", "gz12345", "--platform-url", "http://127.0.0.1:1/tickets"}, 1, "gz12345 has no active key"},
		{"LeaseTooShort", []string{"outbox-worker", "--integrator", "gz12345", "--platform-url", "http://127.0.0.1:1/tickets",
			"--attempt-timeout", "10s", "--lease", "5s"}, 2, "must be longer than an attempt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "LeaseTooShort" {
				addKey(t, vars, "--integrator", "gz12345")
			}
			code, out := runCmd(t, vars, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, output %q; want %d with %q", code, out, tt.wantCode, tt.want)
			}
		})
	}
}

var listeningRe = regexp.MustCompile(`"addr":"([0-9.:]+)"`)

// TestFakeComplaints runs the fake platform as a command and delivers it
// a ticket, signed, twice: its ledger holds it once.
func TestFakeComplaints(t *testing.T) {
	key := sign.Key{ID: "pbk_fake", Algorithm: sign.HMACSM3, Secret: []byte("a-secret-for-the-fake-platform")}
	vars := map[string]string{"POLICYBOT_FAKE_COMPLAINTS_SECRET": string(key.Secret)}
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"fake-complaints", "--addr", "127.0.0.1:0", "--key-id", key.ID, "--algorithm", "hmac-sm3"},
			strings.NewReader(""), out, out, env(vars))
	}()
	var addr string
	waitUntil(t, out, "listening", func() bool {
		if m := listeningRe.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
		return addr != ""
	})
	body := []byte(`{"ticket_no":"TS20260115-0001","idempotency_key":"pbt_1","contact":{"name":"陈女士","phone":"13800138000"}}`)
	for _, wantStatus := range []int{http.StatusCreated, http.StatusOK} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/tickets", bytes.NewReader(body))
		req.Header.Set(complaints.HeaderIdempotencyKey, "pbt_1")
		if err := sign.Sign(req, body, key); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var r complaints.TicketReceipt
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if resp.StatusCode != wantStatus || r.PlatformTicketID == "" {
			t.Errorf("delivery answered %d %+v, want %d with a ticket id", resp.StatusCode, r, wantStatus)
		}
	}
	resp, err := http.Get("http://" + addr + "/ledger")
	if err != nil {
		t.Fatal(err)
	}
	var l fakeplatform.Ledger
	err = json.NewDecoder(resp.Body).Decode(&l)
	resp.Body.Close()
	if err != nil || len(l.Tickets) != 1 || l.Attempts != 2 || l.Duplicates != 1 {
		t.Errorf("ledger %+v, %v; want one ticket of two attempts", l, err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("fake-complaints exited %d\n%s", code, out)
	}
	if code, out := runCmd(t, nil, "fake-complaints", "--key-id", "k"); code != 2 || !strings.Contains(out, "POLICYBOT_FAKE_COMPLAINTS_SECRET") {
		t.Errorf("fake-complaints without a secret: %d %q; want 2, naming the variable", code, out)
	}
}
