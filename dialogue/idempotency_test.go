package dialogue_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"policybot/dialogue"
	"policybot/session"
	"policybot/session/storetest"
)

// keyedTurn runs one turn with an idempotency key, and stops the test on an
// error.
func keyedTurn(t *testing.T, svc *dialogue.Service, sid, message, key string) *dialogue.Reply {
	t.Helper()
	r, err := svc.Turn(context.Background(), dialogue.Input{SessionID: sid, Message: message, IdempotencyKey: key})
	if err != nil {
		t.Fatalf("Turn(%q, key %q): %v", message, key, err)
	}
	return r
}

// turnsOf returns how many turns the stored session id has applied.
func turnsOf(t *testing.T, store *session.Memory, id string) int {
	t.Helper()
	raw, err := store.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var st dialogue.State
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	return st.Turn
}

// TestReplayIsTheFirstReply checks that a retried turn's reply is the first
// one, in its fields as in its JSON, and marked Replayed.
func TestReplayIsTheFirstReply(t *testing.T) {
	svc := newService(t, nil)
	const key = "5f0c2a9e-replay-fields"
	first := keyedTurn(t, svc, "", "今年票据融资5000万", key)
	again := keyedTurn(t, svc, "", "今年票据融资5000万", key)
	if first.Replayed || !again.Replayed {
		t.Errorf("Replayed = %v then %v, want false then true", first.Replayed, again.Replayed)
	}
	if again.SessionID != first.SessionID || again.Reply != first.Reply || !again.Profile.Has("bond_financing_cny") {
		t.Errorf("replay = session %q reply %q profile %v; want those of the first reply", again.SessionID, again.Reply, again.Profile)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("replay marshals as\n%s\nwant\n%s", b, a)
	}
}

// TestKeysOutliveReplies checks that a key whose reply is no longer kept is
// refused rather than applied again, while a recent one is still replayed.
func TestKeysOutliveReplies(t *testing.T) {
	store := session.NewMemory(time.Hour, time.Now)
	svc := newService(t, store)
	sid := keyedTurn(t, svc, "", "今年票据融资5000万", "key-of-the-turn-00").SessionID
	const later = 2 // the replies kept
	for i := 1; i <= later; i++ {
		keyedTurn(t, svc, sid, fmt.Sprintf("我们承诺纳税%d年", i), fmt.Sprintf("key-of-the-turn-%02d", i))
	}
	_, err := svc.Turn(context.Background(), dialogue.Input{SessionID: sid, Message: "今年票据融资5000万", IdempotencyKey: "key-of-the-turn-00"})
	if !errors.Is(err, dialogue.ErrReplayGone) {
		t.Errorf("retry of the oldest turn: error %v, want ErrReplayGone", err)
	}
	// Its opening form, without the session, lands in the same session.
	_, err = svc.Turn(context.Background(), dialogue.Input{Message: "今年票据融资5000万", IdempotencyKey: "key-of-the-turn-00"})
	if !errors.Is(err, dialogue.ErrReplayGone) {
		t.Errorf("retry of the opening turn: error %v, want ErrReplayGone", err)
	}
	if r := keyedTurn(t, svc, sid, "我们承诺纳税1年", "key-of-the-turn-01"); !r.Replayed {
		t.Error("retry of the oldest turn whose reply is kept was not replayed")
	}
	if n := turnsOf(t, store, sid); n != 1+later {
		t.Errorf("session has %d turns, want %d", n, 1+later)
	}
}

// TestResetKeepsKeys checks that starting over does not forget the keys of
// the turns before it, so their late duplicates are not applied again.
func TestResetKeepsKeys(t *testing.T) {
	svc := newService(t, nil)
	sid := keyedTurn(t, svc, "", "今年票据融资5000万", "before-reset-key-1").SessionID
	keyedTurn(t, svc, sid, "重新开始", "reset-key-2")
	if r := keyedTurn(t, svc, sid, "今年票据融资5000万", "before-reset-key-1"); !r.Replayed {
		t.Error("the turn before the reset was applied again")
	}
	r := keyedTurn(t, svc, sid, "你好", "after-reset-key-3")
	if r.Profile.Has("bond_financing_cny") {
		t.Error("a fact from before the reset is back")
	}
}

// TestOpeningKeyScope checks that the session a keyed turn opens is the
// caller's: the same key opens another session for another owner, and an
// anonymous caller, whose keys every anonymous caller shares, must use a long
// one.
func TestOpeningKeyScope(t *testing.T) {
	svc := newService(t, nil)
	const key = "shared-key-0000000001"
	ids := map[string]string{}
	for _, owner := range []string{"openid-a", "openid-b", ""} {
		r, err := svc.Turn(context.Background(), dialogue.Input{Owner: owner, Message: "今年票据融资5000万", IdempotencyKey: key})
		if err != nil {
			t.Fatalf("owner %q: %v", owner, err)
		}
		if r.Replayed {
			t.Errorf("owner %q got a replay of another owner's turn", owner)
		}
		if other, dup := ids[r.SessionID]; dup {
			t.Errorf("owners %q and %q share session %s", owner, other, r.SessionID)
		}
		ids[r.SessionID] = owner
	}
	_, err := svc.Turn(context.Background(), dialogue.Input{Message: "今年票据融资5000万", IdempotencyKey: "turn-1"})
	var ie *dialogue.InputError
	if !errors.As(err, &ie) || ie.Field != "idempotency_key" {
		t.Errorf("anonymous opening with a short key: error %v, want an InputError naming idempotency_key", err)
	}
	if _, err := svc.Turn(context.Background(), dialogue.Input{Owner: "openid-a", Message: "你好", IdempotencyKey: "turn-1"}); err != nil {
		t.Errorf("logged-in opening with a short key: %v", err)
	}
}

// TestRetryOnStaleReplica sends a keyed turn to one replica and its retry to
// another whose cache of the session predates it, as a load balancer may:
// the retry is answered with the first reply and applied once.
func TestRetryOnStaleReplica(t *testing.T) {
	client, prefix := storetest.MustRedisClient(t)
	a := newService(t, session.NewRedis(client, prefix, time.Minute).Cached(1<<20))
	b := newService(t, session.NewRedis(client, prefix, time.Minute).Cached(1<<20))
	first := keyedTurn(t, a, "", "我们是南康区做家具的", "stale-replica-key-0001")
	// b holds the session as of its turn; a's next turn leaves that stale.
	keyedTurn(t, b, first.SessionID, "今年营收12个亿", "stale-replica-key-0002")
	applied := keyedTurn(t, a, first.SessionID, "去年9亿", "stale-replica-key-0003")
	retry := keyedTurn(t, b, first.SessionID, "去年9亿", "stale-replica-key-0003")
	if !retry.Replayed || retry.Reply != applied.Reply {
		t.Errorf("retry on the stale replica: Replayed %v, reply %q; want the first reply %q", retry.Replayed, retry.Reply, applied.Reply)
	}
	raw, err := client.Get(t.Context(), prefix+first.SessionID).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	var st dialogue.State
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	if st.Turn != 3 {
		t.Errorf("session has applied %d turns, want 3", st.Turn)
	}
}
