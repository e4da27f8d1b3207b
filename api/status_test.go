package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"policybot/api"
	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/internal/apispec"
	"policybot/internal/ratelimit"
	"policybot/library"
	"policybot/store"
	"policybot/store/storetest"
)

var (
	// callbackNow is the servers' time in these tests: the morning of the
	// worked example of ../complaints/SIGNATURES.md.
	callbackNow = time.Date(2026, 1, 15, 10, 30, 5, 0, time.FixedZone("CST", 8*3600))
	// platformKey is the key of that example.
	platformKey = sign.Key{ID: "pbk_5f3c9e1a7b2d4c6e8f0a1b2c", Integrator: "gz12345", Algorithm: sign.HMACSHA256,
		Secret: []byte("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")}
	// closedLoop is the platform's statuses by seq.
	closedLoop = []string{"受理", "转办", "办理中", "办结", "回访", "评价"}
)

// statusEnv is the integrators' routes on a store of their own, every
// answer checked against api/openapi.yaml.
type statusEnv struct {
	s      store.Store
	srv    *httptest.Server
	nonces int
	// told receives the notices of new statuses, as "ticket status note".
	told chan string
}

// notices is the StatusNotifier of the tests.
type notices chan string

func (n notices) StatusChanged(_ context.Context, ticketNo, status, note string, _ time.Time) {
	n <- ticketNo + " " + status + " " + note
}

// newStatusEnv serves the routes, limited by limiter if it is not nil, for
// platformKey, liveKey and the revoked oldKey on a clock at callbackNow.
func newStatusEnv(t *testing.T, limiter ratelimit.Limiter, limit ratelimit.Limit) *statusEnv {
	t.Helper()
	clock := func() time.Time { return callbackNow }
	e := &statusEnv{s: storetest.SQLite(t).Open(t, store.Options{Sealer: storetest.NewSealer(t), Now: clock}), told: make(chan string, 64)}
	ring := keyRing{keys: map[string]sign.Key{platformKey.ID: platformKey, liveKey.ID: liveKey, oldKey.ID: oldKey}}
	gin.SetMode(gin.ReleaseMode)
	h := api.NewServer(api.Config{}, api.Deps{}).Handler(api.IntegrationRoutes(api.Integrations{
		Verifier: sign.NewVerifier(ring, sign.NewMemoryNonces(clock), clock),
		Limiter:  limiter, Limit: limit,
		Inbound: e.s, Status: e.s, Notify: notices(e.told), Audit: e.s, Now: clock, MaxBody: 64 << 10,
		Library: func() (*library.Library, func()) {
			lib, err := integrationLibrary()
			if err != nil {
				t.Error(err)
			}
			return lib, func() {}
		},
	}))
	e.srv = httptest.NewServer(apispec.Must(t).Handler(t, h))
	t.Cleanup(e.srv.Close)
	return e
}

// deliver files a ticket and records its delivery answered as platformID.
func (e *statusEnv) deliver(t *testing.T, platformID string) store.Ticket {
	t.Helper()
	ctx := t.Context()
	tk, _, err := e.s.FileTicket(ctx, store.NewTicket{
		IdempotencyKey: "turn-" + platformID, ContactName: "陈女士", Phone: "13800138000",
		Enterprise: "赣州市南康区鑫盛家具有限公司", Complaint: "十七.1奖励至今未兑现", ConsentedAt: callbackNow.Add(-time.Minute),
	}, store.Actor{Username: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.s.ClaimDeliveries(ctx, "test-worker", 1, time.Minute)
	if err != nil || len(ds) != 1 {
		t.Fatalf("ClaimDeliveries = %v, %v; want the ticket's delivery", ds, err)
	}
	if err := e.s.DeliveryDone(ctx, ds[0], platformID); err != nil {
		t.Fatal(err)
	}
	return tk
}

// call is how the platform sends one call.
type call struct {
	key   sign.Key
	at    time.Time
	nonce string
	// edit changes the request after it is signed.
	edit func(*http.Request)
}

// reply is what the server said.
type reply struct {
	status int
	header http.Header
	body   map[string]any
}

// errorOf returns the code and field of an error reply.
func (r reply) errorOf() (code, field string) {
	e, _ := r.body["error"].(map[string]any)
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	return code, field
}

// post sends body to path as c says: signed with platformKey at
// callbackNow with a new nonce, unless c says otherwise.
func (e *statusEnv) post(t *testing.T, path, body string, c call) reply {
	t.Helper()
	if c.key.ID == "" {
		c.key = platformKey
	}
	if c.at.IsZero() {
		c.at = callbackNow
	}
	if c.nonce == "" {
		e.nonces++
		c.nonce = fmt.Sprintf("nonce-%012d", e.nonces)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if err := sign.SignAt(req, []byte(body), c.key, c.at, c.nonce); err != nil {
		t.Fatal(err)
	}
	if c.edit != nil {
		c.edit(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&r.body); err != nil {
		t.Fatalf("reply %d is not JSON: %v", resp.StatusCode, err)
	}
	return r
}

const statusPath = "/v1/integrations/complaints/status"

// callback returns the body the platform sends for step seq of a ticket.
func callback(tk store.Ticket, platformID string, seq int64, note string) string {
	b, _ := json.Marshal(complaints.StatusCallback{TicketNo: tk.Number, PlatformTicketID: platformID, Seq: seq,
		Status: closedLoop[seq-1], Note: note, At: callbackNow.Add(-time.Minute)})
	return string(b)
}

// wantHistory checks the seqs of a ticket's history, each with its status,
// and where the ticket stands.
func (e *statusEnv) wantHistory(t *testing.T, number string, seqs []int64, status store.TicketStatus, seq int64) {
	t.Helper()
	history, err := e.s.TicketHistory(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, ev := range history {
		got = append(got, ev.Seq)
		if want, _ := store.PlatformStatus(closedLoop[ev.Seq-1]); ev.Status != want {
			t.Errorf("seq %d is %s in the history, want %s", ev.Seq, ev.Status, want)
		}
	}
	if d := cmp.Diff(seqs, got); d != "" {
		t.Errorf("history of %s (-want +got):\n%s", number, d)
	}
	tk, err := e.s.Ticket(t.Context(), number)
	if err != nil || tk.Status != status || tk.StatusSeq != seq {
		t.Errorf("%s is %s at seq %d, %v; want %s at %d", number, tk.Status, tk.StatusSeq, err, status, seq)
	}
}

// TestStatusCallbacksAnyOrder sends the six callbacks of the closed loop in
// order, backwards and shuffled, then each again: every ticket ends rated
// with its whole history, each reply saying where it stands.
func TestStatusCallbacksAnyOrder(t *testing.T) {
	e := newStatusEnv(t, nil, ratelimit.Limit{})
	orders := [][]int64{{1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1}}
	r := rand.New(rand.NewPCG(2026, 115))
	for range 4 {
		order := []int64{1, 2, 3, 4, 5, 6}
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		orders = append(orders, order)
	}
	for i, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			platformID := fmt.Sprintf("GZ12345-%04d", i+1)
			tk := e.deliver(t, platformID)
			var top int64
			for _, seq := range order {
				top = max(top, seq)
				r := e.post(t, statusPath, callback(tk, platformID, seq, fmt.Sprintf("第%d步", seq)), call{})
				want := map[string]any{"duplicate": false, "status": closedLoop[top-1], "status_seq": float64(top)}
				if r.status != http.StatusOK || !maps.Equal(r.body, want) {
					t.Errorf("seq %d: %d %v; want 200 %v", seq, r.status, r.body, want)
				}
			}
			for _, seq := range order {
				r := e.post(t, statusPath, callback(tk, platformID, seq, fmt.Sprintf("第%d步", seq)), call{})
				if r.status != http.StatusOK || r.body["duplicate"] != true || r.body["status"] != "评价" {
					t.Errorf("seq %d again: %d %v; want 200, a duplicate, 评价", seq, r.status, r.body)
				}
			}
			e.wantHistory(t, tk.Number, []int64{1, 2, 3, 4, 5, 6}, store.TicketRated, 6)
		})
	}
}

// TestIntegratorCallsAudited records every call of a verified key, with
// what it was answered, and none of a call whose signature fails.
func TestIntegratorCallsAudited(t *testing.T) {
	e := newStatusEnv(t, nil, ratelimit.Limit{})
	const platformID = "GZ12345-0043"
	tk := e.deliver(t, platformID)
	body := callback(tk, platformID, 1, "已受理")
	for _, c := range []struct {
		body string
		call call
		want int
	}{
		{body, call{}, http.StatusOK},
		{body, call{}, http.StatusOK}, // a repeat
		{strings.Replace(body, `"seq":1`, `"seq":0`, 1), call{}, http.StatusBadRequest},
		{body, call{edit: func(r *http.Request) { r.Header.Set(sign.HeaderSignature, strings.Repeat("0", 64)) }}, http.StatusUnauthorized},
	} {
		if r := e.post(t, statusPath, c.body, c.call); r.status != c.want {
			t.Fatalf("%d %v; want %d", r.status, r.body, c.want)
		}
	}
	recs, err := e.s.AuditMonth(t.Context(), callbackNow)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		if r.Action == store.ActionIntegratorCall {
			got = append(got, r.Username+" "+r.Object+" "+r.Detail)
		}
	}
	call := "integrator:gz12345 POST /v1/integrations/complaints/status key " + platformKey.ID + ", "
	want := []string{call + "200", call + "200", call + "400 invalid_argument"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("calls audited (-want +got):\n%s", d)
	}
}

// TestStatusNotifiesMoves tells the owner of each callback that moved the
// ticket, and of no repeat or late older step.
func TestStatusNotifiesMoves(t *testing.T) {
	e := newStatusEnv(t, nil, ratelimit.Limit{})
	const platformID = "GZ12345-0042"
	tk := e.deliver(t, platformID)
	for _, seq := range []int64{2, 1, 2, 4} { // 1 is late, the second 2 a repeat
		if r := e.post(t, statusPath, callback(tk, platformID, seq, fmt.Sprintf("第%d步", seq)), call{}); r.status != http.StatusOK {
			t.Fatalf("seq %d: %d %v", seq, r.status, r.body)
		}
	}
	want := []string{tk.Number + " 转办 第2步", tk.Number + " 办结 第4步"}
	var got []string
	for range want {
		select {
		case n := <-e.told:
			got = append(got, n)
		case <-time.After(10 * time.Second):
			t.Fatalf("told %q; want %q", got, want)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("notices (-want +got):\n%s", d)
	}
	// A notice told wrongly was started before the last answer came back,
	// and so, in practice, sent before the two above were read.
	select {
	case n := <-e.told:
		t.Errorf("told %q as well", n)
	default:
	}
}

// TestStatusCallbackRefused sends callbacks wrong in every way the route
// tells apart: each is refused with its code and the field at fault, and
// the ticket's history is what was accepted before.
func TestStatusCallbackRefused(t *testing.T) {
	e := newStatusEnv(t, nil, ratelimit.Limit{})
	const platformID = "GZ12345-0001"
	tk := e.deliver(t, platformID)
	accepted := call{nonce: "nonce-accepted-0001"}
	for seq, c := range []call{accepted, {}} {
		if r := e.post(t, statusPath, callback(tk, platformID, int64(seq+1), "转办至南康区商务局"), c); r.status != http.StatusOK {
			t.Fatalf("seq %d: %d %v", seq+1, r.status, r.body)
		}
	}
	// body is a callback of seq 3 with the fields given replaced, or
	// removed when nil.
	body := func(fields map[string]any) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(callback(tk, platformID, 3, "")), &m)
		for k, v := range fields {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	forged := func(r *http.Request) { r.Header.Set(sign.HeaderSignature, strings.Repeat("0", 64)) }
	unsigned := func(r *http.Request) {
		for _, h := range []string{sign.HeaderKeyID, sign.HeaderTimestamp, sign.HeaderNonce, sign.HeaderSignature} {
			r.Header.Del(h)
		}
	}
	for _, tt := range []struct {
		name   string
		body   string
		call   call
		status int
		code   string
		field  string
	}{
		{"Conflict", callback(tk, platformID, 2, "转办至市工业和信息化局"), call{}, 409, "conflict", "seq"},
		{"OtherPlatformTicket", body(map[string]any{"platform_ticket_id": "GZ12345-0002"}), call{}, 409, "conflict", "platform_ticket_id"},
		{"UnknownTicket", body(map[string]any{"ticket_no": "TS20260115-0099"}), call{}, 404, "not_found", "ticket_no"},
		{"MalformedTicketNo", body(map[string]any{"ticket_no": "12345-2026-000101"}), call{}, 400, "invalid_argument", "ticket_no"},
		{"NoTicketNo", body(map[string]any{"ticket_no": nil}), call{}, 400, "invalid_argument", "ticket_no"},
		{"NoPlatformTicketID", body(map[string]any{"platform_ticket_id": nil}), call{}, 400, "invalid_argument", "platform_ticket_id"},
		{"SeqZero", body(map[string]any{"seq": 0}), call{}, 400, "invalid_argument", "seq"},
		{"SeqNegative", body(map[string]any{"seq": -3}), call{}, 400, "invalid_argument", "seq"},
		{"SeqNotInteger", body(map[string]any{"seq": "3"}), call{}, 400, "invalid_argument", "seq"},
		{"UnknownStatus", body(map[string]any{"status": "已撤销"}), call{}, 400, "invalid_argument", "status"},
		{"OurOwnStatus", body(map[string]any{"status": "已提交"}), call{}, 400, "invalid_argument", "status"},
		{"BadTime", body(map[string]any{"at": "昨天下午"}), call{}, 400, "invalid_argument", "at"},
		{"NoTime", body(map[string]any{"at": nil}), call{}, 400, "invalid_argument", "at"},
		{"NoteTooLong", body(map[string]any{"note": strings.Repeat("办", 501)}), call{}, 400, "invalid_argument", "note"},
		{"UnknownField", body(map[string]any{"priority": 1}), call{}, 400, "invalid_argument", "priority"},
		{"NotJSON", body(nil), call{edit: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }}, 415, "unsupported_media_type", "Content-Type"},
		{"BadSignature", body(nil), call{edit: forged}, 401, "unauthorized", sign.HeaderSignature},
		{"Stale", body(nil), call{at: callbackNow.Add(-sign.Window - time.Second)}, 401, "unauthorized", sign.HeaderTimestamp},
		{"FromTheFuture", body(nil), call{at: callbackNow.Add(sign.Window + time.Second)}, 401, "unauthorized", sign.HeaderTimestamp},
		{"ReplayedNonce", body(nil), accepted, 401, "unauthorized", sign.HeaderNonce},
		{"UnknownKey", body(nil), call{key: sign.Key{ID: "pbk_nobody", Algorithm: sign.HMACSHA256, Secret: platformKey.Secret}},
			401, "unauthorized", sign.HeaderKeyID},
		{"RevokedKey", body(nil), call{key: oldKey}, 401, "unauthorized", sign.HeaderKeyID},
		{"Unsigned", body(nil), call{edit: unsigned}, 401, "unauthorized", sign.HeaderKeyID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, statusPath, tt.body, tt.call)
			code, field := r.errorOf()
			if r.status != tt.status || code != tt.code || field != tt.field {
				t.Errorf("%d %v; want %d %s of field %s", r.status, r.body, tt.status, tt.code, tt.field)
			}
		})
	}
	e.wantHistory(t, tk.Number, []int64{1, 2}, store.TicketTransferred, 2)
	history, _ := e.s.TicketHistory(t.Context(), tk.Number)
	if len(history) == 2 && history[1].Note != "转办至南康区商务局" {
		t.Errorf("seq 2's note is %q, want that of the body accepted first", history[1].Note)
	}
	// The ticket number is read as a person would type it.
	typed := body(map[string]any{"ticket_no": strings.ToLower(strings.Replace(tk.Number, "-", " ", 1))})
	if r := e.post(t, statusPath, typed, call{}); r.status != http.StatusOK || r.body["status_seq"] != float64(3) {
		t.Errorf("ticket_no %s typed loosely: %d %v; want seq 3 recorded", tk.Number, r.status, r.body)
	}
}

// TestStatusCallbackDoc sends the worked example of a callback in
// ../complaints/SIGNATURES.md as it stands there: the route replies as
// the document says.
func TestStatusCallbackDoc(t *testing.T) {
	raw, err := os.ReadFile("../complaints/SIGNATURES.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### A callback, signed\n.*?```text\n(.*?)\n```.*?```text\n(.*?)\n```").FindStringSubmatch(string(raw))
	if m == nil {
		t.Fatal("SIGNATURES.md has no worked example of a callback with its reply")
	}
	head, body, _ := strings.Cut(m[1], "\n\n")
	lines := strings.Split(head, "\n")
	method, target, _ := strings.Cut(strings.TrimSuffix(lines[0], " HTTP/1.1"), " ")
	var c complaints.StatusCallback
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatalf("the example's body: %v", err)
	}
	e := newStatusEnv(t, nil, ratelimit.Limit{})
	if tk := e.deliver(t, c.PlatformTicketID); tk.Number != c.TicketNo {
		t.Fatalf("the example's ticket is %s; the store numbers the first ticket of its day %s", c.TicketNo, tk.Number)
	}
	req, _ := http.NewRequest(method, e.srv.URL+target, strings.NewReader(body))
	for _, l := range lines[1:] {
		if k, v, _ := strings.Cut(l, ": "); k != "Host" {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	head, want, _ := strings.Cut(m[2], "\n\n")
	headers := strings.Split(head, "\n")
	if headers[0] != fmt.Sprintf("HTTP/1.1 %d %s", resp.StatusCode, http.StatusText(resp.StatusCode)) || string(got) != want {
		t.Errorf("the example was answered %d %s; SIGNATURES.md says %s %s", resp.StatusCode, got, headers[0], want)
	}
	if ct := "Content-Type: " + resp.Header.Get("Content-Type"); !slices.Contains(headers, ct) {
		t.Errorf("the example was answered with %s; SIGNATURES.md says otherwise:\n%s", ct, head)
	}
}
