package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/api"
	"policybot/dialogue"
	"policybot/session"
	"policybot/session/storetest"
)

// withChatStore keeps the chat's sessions in store.
func withChatStore(store dialogue.Store) option {
	return func(_ *api.Config, d *api.Deps) {
		f, err := world()
		if err != nil {
			panic(err) // newTestServer has loaded it already
		}
		d.Chat = dialogue.NewService(func() (*dialogue.Source, func()) { return f.Chat(), func() {} }, store, fixedNow, 20)
	}
}

// answer is one raw answer of /v1/chat.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// chat posts body to /v1/chat with the header pairs given, each added, so a
// name may come twice.
func (ts *testServer) chat(t *testing.T, body string, header ...string) answer {
	t.Helper()
	return ts.raw(t, "POST", "/v1/chat", body, header...)
}

// ok returns the decoded reply of a 200 answer, or stops the test.
func (a answer) ok(t *testing.T) map[string]any {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("status = %d, want 200: %s", a.status, a.body)
	}
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("reply is not JSON: %q", a.body)
	}
	return m
}

// factTurn returns the turn that the fact key of a reply came from, or 0.
func factTurn(reply map[string]any, key string) int {
	facts, _ := reply["facts"].([]any)
	for _, f := range facts {
		if m, _ := f.(map[string]any); m["key"] == key {
			n, _ := m["turn"].(float64)
			return int(n)
		}
	}
	return 0
}

// storedTurns returns how many turns the stored session id has applied.
func storedTurns(t *testing.T, store session.Store, id string) int {
	t.Helper()
	raw, err := store.Get(t.Context(), id)
	if err != nil {
		t.Fatalf("Get(%s): %v", id, err)
	}
	var st struct {
		Turn int `json:"turn"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	return st.Turn
}

// login returns the bearer header value of a user of fakeWeChat.
func login(t *testing.T, ts *testServer, code string) string {
	t.Helper()
	status, body := ts.do(t, "POST", "/v1/auth/wechat/login", `{"code":"`+code+`"}`)
	token, _ := body["token"].(string)
	if status != 200 || token == "" {
		t.Fatalf("login(%s) = %d %v", code, status, body)
	}
	return "Bearer " + token
}

// TestChatSessionIDNotTaken checks that a session id the server did not
// issue is never taken up: a made-up id gets a new session under a new id,
// the made-up one is never stored, and a session of one user answers no other.
func TestChatSessionIDNotTaken(t *testing.T) {
	store := session.NewMemory(time.Hour, time.Now)
	ts := newTestServer(t, withWeChat(t, true), withChatStore(store))
	alice, bob := login(t, ts, "code-alice"), login(t, ts, "code-bob")
	aliceSession := ts.chat(t, `{"message":"今年票据融资5000万"}`, "Authorization", alice).ok(t)["session_id"].(string)

	const madeUp = "made-up-session-0001"
	tests := []struct {
		name      string
		auth, key string
	}{
		{"Bob", bob, ""},
		{"Anonymous", "", ""},
		{"BobAgain", bob, ""},
		{"BobKeyed", bob, "bob-key-0000000001"},
		{"AliceSameKey", alice, "bob-key-0000000001"},
		{"AnonymousSameKey", "", "bob-key-0000000001"},
	}
	given := map[string]string{aliceSession: "alice's own"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var auth, header []string
			if tt.auth != "" {
				auth = []string{"Authorization", tt.auth}
			}
			if header = auth; tt.key != "" {
				header = append([]string{"Idempotency-Key", tt.key}, auth...)
			}
			r := ts.chat(t, `{"session_id":"`+madeUp+`","message":"盈利"}`, header...).ok(t)
			id, _ := r["session_id"].(string)
			if other, dup := given[id]; dup || id == madeUp {
				t.Fatalf("session_id = %q, want a new one (not the made-up id, not %s)", id, other)
			}
			given[id] = tt.name
			if r["restarted"] != true || !strings.Contains(r["reply"].(string), "之前的会话已过期") {
				t.Errorf("restarted = %v, reply %q; want the lost session said", r["restarted"], r["reply"])
			}
			if _, err := store.Get(t.Context(), madeUp); !errors.Is(err, session.ErrNotFound) {
				t.Errorf("Get(made-up id) error = %v, want ErrNotFound", err)
			}
			// The new session is the caller's to continue.
			next := ts.chat(t, `{"session_id":"`+id+`","message":"你好"}`, auth...).ok(t)
			if next["session_id"] != id || next["restarted"] != false {
				t.Errorf("next turn: session %v restarted %v, want %s continued", next["session_id"], next["restarted"], id)
			}
		})
	}

	// Bob knows Alice's real id, and still cannot take her session.
	a := ts.chat(t, `{"session_id":"`+aliceSession+`","message":"盈利"}`, "Authorization", bob)
	if a.status != 403 {
		t.Errorf("Bob on Alice's session = %d %s, want 403", a.status, a.body)
	}
	if n := storedTurns(t, store, aliceSession); n != 1 {
		t.Errorf("Alice's session has %d turns, want 1", n)
	}
}

// TestChatRetryAppliedOnce sends keyed turns and their retries, with the key
// in each way it may come: the retry gets the first reply byte for byte and
// applies nothing, which the turn numbers of the facts show.
func TestChatRetryAppliedOnce(t *testing.T) {
	tests := []struct {
		name string
		send func(key string) (field string, header []string)
	}{
		{"Header", func(k string) (string, []string) { return "", []string{"Idempotency-Key", k} }},
		{"HeaderSFString", func(k string) (string, []string) { return "", []string{"Idempotency-Key", `"` + k + `"`} }},
		{"Field", func(k string) (string, []string) { return `,"idempotency_key":"` + k + `"`, nil }},
		{"Both", func(k string) (string, []string) {
			return `,"idempotency_key":"` + k + `"`, []string{"Idempotency-Key", `"` + k + `"`}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := session.NewMemory(time.Hour, time.Now)
			ts := newTestServer(t, withChatStore(store))
			keyed := func(sid, message, key string) answer {
				field, header := tt.send(key)
				sess := ""
				if sid != "" {
					sess = `"session_id":"` + sid + `",`
				}
				return ts.chat(t, `{`+sess+`"message":"`+message+`"`+field+`}`, header...)
			}

			first := keyed("", "今年票据融资5000万", "8e03978e-40d5-43e8-bc93-6894a57f9324")
			sid := first.ok(t)["session_id"].(string)
			again := keyed("", "今年票据融资5000万", "8e03978e-40d5-43e8-bc93-6894a57f9324")
			// The retry may also name the session its first try opened.
			named := keyed(sid, "今年票据融资5000万", "8e03978e-40d5-43e8-bc93-6894a57f9324")
			second := keyed(sid, "盈利", "c1f0b7a2-2b1d-4d6e-9a51-5a3c9e0d7f10")
			secondAgain := keyed(sid, "盈利", "c1f0b7a2-2b1d-4d6e-9a51-5a3c9e0d7f10")

			for _, c := range []struct {
				name          string
				retry, origin answer
			}{
				{"first turn", again, first},
				{"first turn, its session named", named, first},
				{"second turn", secondAgain, second},
			} {
				c.retry.ok(t)
				if !bytes.Equal(c.retry.body, c.origin.body) {
					t.Errorf("%s: retry answered\n%s\nwant the first reply\n%s", c.name, c.retry.body, c.origin.body)
				}
				if got := c.retry.header.Get("Idempotent-Replayed"); got != "true" {
					t.Errorf("%s: retry's Idempotent-Replayed = %q, want true", c.name, got)
				}
				if got := c.origin.header.Get("Idempotent-Replayed"); got != "" {
					t.Errorf("%s: first reply's Idempotent-Replayed = %q, want none", c.name, got)
				}
			}

			last := ts.chat(t, `{"session_id":"`+sid+`","message":"我们今年发行债券融资3亿元"}`).ok(t)
			if got := factTurn(last, "bond_financing_cny"); got != 3 {
				t.Errorf("the third message is turn %d, want 3: a retry was applied", got)
			}
			if got := factTurn(last, "profitable"); got != 2 {
				t.Errorf("profitable came from turn %d, want 2", got)
			}
			if n := storedTurns(t, store, sid); n != 3 {
				t.Errorf("stored session has %d turns, want 3", n)
			}
		})
	}
}

// TestChatConcurrentRetries sends one keyed turn many times at once, opening
// a session and within one, on each store: every answer is the same reply,
// and the message is applied once.
func TestChatConcurrentRetries(t *testing.T) {
	stores := []struct {
		name string
		open func(t *testing.T) session.Store
	}{
		{"Memory", func(*testing.T) session.Store { return session.NewMemory(time.Hour, time.Now) }},
		{"Redis", func(t *testing.T) session.Store { return storetest.MustRedis(t, time.Hour) }},
	}
	const retries = 12
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			store := s.open(t)
			ts := newTestServer(t, withChatStore(store))
			all := func(body, key string) []answer {
				answers := make([]answer, retries)
				var wg sync.WaitGroup
				for i := range answers {
					wg.Go(func() { answers[i] = ts.chat(t, body, "Idempotency-Key", key) })
				}
				wg.Wait()
				for _, a := range answers[1:] {
					if a.status != 200 || !bytes.Equal(a.body, answers[0].body) {
						t.Fatalf("answers differ:\n%d %s\n%d %s", a.status, a.body, answers[0].status, answers[0].body)
					}
				}
				replayed := 0
				for _, a := range answers {
					if a.header.Get("Idempotent-Replayed") == "true" {
						replayed++
					}
				}
				if replayed != retries-1 {
					t.Errorf("%d of %d answers replayed, want all but one", replayed, retries)
				}
				return answers
			}

			sid := all(`{"message":"今年票据融资5000万"}`, "opening-0d6f3a1c-5b7e")[0].ok(t)["session_id"].(string)
			all(`{"session_id":"`+sid+`","message":"盈利"}`, "second-9a0b4c2d-7e1f")
			last := ts.chat(t, `{"session_id":"`+sid+`","message":"我们今年发行债券融资3亿元"}`).ok(t)
			if got := factTurn(last, "bond_financing_cny"); got != 3 {
				t.Errorf("the third message is turn %d, want 3: a retry was applied", got)
			}
			if n := storedTurns(t, store, sid); n != 3 {
				t.Errorf("stored session has %d turns, want 3", n)
			}
		})
	}
}

// TestChatKeyRefused checks the keyed turns that are refused, and that a
// refused one changes nothing.
func TestChatKeyRefused(t *testing.T) {
	store := session.NewMemory(time.Hour, time.Now)
	ts := newTestServer(t, withChatStore(store))
	const key = "4b9d2e7a-key-of-the-first-turn"
	sid := ts.chat(t, `{"message":"今年票据融资5000万"}`, "Idempotency-Key", key).ok(t)["session_id"].(string)
	body := func(message, extra string) string {
		return `{"session_id":"` + sid + `","message":"` + message + `"` + extra + `}`
	}
	tests := []struct {
		name       string
		body       string
		header     []string
		wantStatus int
		wantCode   string
	}{
		{"AnotherMessage", body("盈利", ""), []string{"Idempotency-Key", key}, 422, "unprocessable"},
		{"AnotherAsOf", body("今年票据融资5000万", `,"as_of":"2020-01-01"`), []string{"Idempotency-Key", key}, 422, "unprocessable"},
		{"AnotherMessageNoSession", `{"message":"盈利"}`, []string{"Idempotency-Key", key}, 422, "unprocessable"},
		{"HeaderAndFieldDiffer", body("盈利", `,"idempotency_key":"k-2"`), []string{"Idempotency-Key", "k-1"}, 400, "invalid_argument"},
		{"TwoHeaders", body("盈利", ""), []string{"Idempotency-Key", "k-1", "Idempotency-Key", "k-2"}, 400, "invalid_argument"},
		{"EmptyHeader", body("盈利", ""), []string{"Idempotency-Key", `""`}, 400, "invalid_argument"},
		{"EmptyField", body("盈利", `,"idempotency_key":""`), nil, 400, "invalid_argument"},
		{"UnclosedSFString", body("盈利", ""), []string{"Idempotency-Key", `"k-1`}, 400, "invalid_argument"},
		{"SFStringWithParameter", body("盈利", ""), []string{"Idempotency-Key", `"k-1";a=1`}, 400, "invalid_argument"},
		{"TooLong", body("盈利", ""), []string{"Idempotency-Key", strings.Repeat("k", 129)}, 400, "invalid_argument"},
		{"NotASCII", body("盈利", `,"idempotency_key":"键-0000000000000001"`), nil, 400, "invalid_argument"},
		{"ShortOpeningAnonymous", `{"message":"盈利"}`, []string{"Idempotency-Key", "turn-1"}, 400, "invalid_argument"},
		{"FieldWrongType", body("盈利", `,"idempotency_key":7`), nil, 400, "invalid_argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ts.chat(t, tt.body, tt.header...)
			var got struct{ Error api.Error }
			if err := json.Unmarshal(a.body, &got); err != nil {
				t.Fatalf("answer is not JSON: %s", a.body)
			}
			if a.status != tt.wantStatus || got.Error.Code != tt.wantCode || got.Error.Field != "idempotency_key" {
				t.Errorf("= %d %s, want %d %s naming idempotency_key", a.status, a.body, tt.wantStatus, tt.wantCode)
			}
		})
	}
	if n := storedTurns(t, store, sid); n != 1 {
		t.Errorf("session has %d turns after the refused ones, want 1", n)
	}
	// A short key is fine within a session: its scope is the session.
	if r := ts.chat(t, body("盈利", ""), "Idempotency-Key", "turn-2").ok(t); r["session_id"] != sid {
		t.Errorf("short key in a session: session %v, want %s", r["session_id"], sid)
	}
}

// TestChatRetryAcrossRestartRedis sends keyed turns to a server on Redis,
// tears it down, and retries them on a new server with a new connection to
// the same Redis: the retries get the first replies and apply nothing.
func TestChatRetryAcrossRestartRedis(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	before := newTestServer(t, withChatStore(session.NewRedis(client, prefix, time.Hour)))
	const openingKey, secondKey = "restart-opening-5d1e2f3a4b", "restart-second-6e2f3a4b5c"
	first := before.chat(t, `{"message":"今年票据融资5000万"}`, "Idempotency-Key", openingKey)
	sid := first.ok(t)["session_id"].(string)
	second := before.chat(t, `{"session_id":"`+sid+`","message":"盈利"}`, "Idempotency-Key", secondKey)
	second.ok(t)
	before.Close()

	client2, err := session.OpenRedis(storetest.RedisURL(t), storetest.RedisTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client2.Close() })
	store := session.NewRedis(client2, prefix, time.Hour)
	after := newTestServer(t, withChatStore(store))
	for _, c := range []struct {
		name, body, key string
		want            answer
	}{
		{"first turn", `{"message":"今年票据融资5000万"}`, openingKey, first},
		{"second turn", `{"session_id":"` + sid + `","message":"盈利"}`, secondKey, second},
	} {
		a := after.chat(t, c.body, "Idempotency-Key", c.key)
		if a.status != 200 || !bytes.Equal(a.body, c.want.body) || a.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("%s after the restart = %d %s\nwant the first reply, replayed:\n%s", c.name, a.status, a.body, c.want.body)
		}
	}
	if n := storedTurns(t, store, sid); n != 2 {
		t.Errorf("session has %d turns after the retries, want 2", n)
	}
	last := after.chat(t, `{"session_id":"`+sid+`","message":"我们今年发行债券融资3亿元"}`).ok(t)
	if got := factTurn(last, "bond_financing_cny"); got != 3 {
		t.Errorf("the next message is turn %d, want 3: a retry was applied", got)
	}
}
