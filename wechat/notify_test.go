package wechat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"policybot/session"
	"policybot/session/storetest"
)

type notifyWorld struct {
	f    *fakeAPI
	subs *Subscriptions
	n    *Notifier
}

func newNotifyWorld(t *testing.T) *notifyWorld {
	t.Helper()
	tp, err := ParseTemplate(testTemplateID, []byte(testTemplateFile))
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeAPI(t)
	subs := NewSubscriptions(session.NewMemory(SubscriptionRetention, time.Now), testTemplateID)
	return &notifyWorld{f: f, subs: subs, n: NewNotifier(tp, subs, newTestSender(f))}
}

// accept records n acceptances of the test template by the test user.
func (w *notifyWorld) accept(t *testing.T, n int) {
	t.Helper()
	for range n {
		if _, err := w.subs.Accept(t.Context(), testOpenID, testTemplateID); err != nil {
			t.Fatal(err)
		}
	}
}

// held counts the acceptances left, taking them all.
func (w *notifyWorld) held(t *testing.T) int {
	t.Helper()
	n := 0
	for {
		ok, err := w.subs.Take(t.Context(), testOpenID, testTemplateID)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return n
		}
		n++
	}
}

var testNotice = StatusNotice{
	Owner: testOpenID, TicketNo: "TS20260115-0001", Status: "转办",
	Note: "已转交赣州市南康区市场监督管理局依法依规办理并答复企业",
	At:   time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
}

func TestNotifySends(t *testing.T) {
	w := newNotifyWorld(t)
	w.accept(t, 2)
	res, err := w.n.Notify(t.Context(), testNotice)
	if err != nil || res.Outcome != OutcomeSent {
		t.Fatalf("Notify = %+v, %v; want sent", res, err)
	}
	want := []Message{{
		ToUser: testOpenID, TemplateID: testTemplateID, Page: "pages/complaint/detail?no=TS20260115-0001", State: "trial",
		Data: map[string]MessageValue{
			"character_string1": {"TS20260115-0001"},
			"phrase2":           {"转办"},
			"thing3":            {"已转交赣州市南康区市场监督管理局依法依…"},
			"time4":             {"2026年3月4日 13:06"},
		},
	}}
	if diff := cmp.Diff(want, w.f.sentMessages()); diff != "" {
		t.Errorf("messages WeChat got (-want +got):\n%s", diff)
	}
	if n := w.held(t); n != 1 {
		t.Errorf("acceptances left = %d, want 1 of 2", n)
	}
}

func TestNotifyOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		owner    string
		accepted int
		script   []string
		want     Outcome
		wantErr  string // "" for none
		sends    int
		held     int // acceptances left
	}{
		{name: "NoRecipient", owner: "", accepted: 1, want: OutcomeNoRecipient, held: 1},
		{name: "NotAccepted", owner: testOpenID, want: OutcomeNotAccepted},
		{name: "RefusedClears", owner: testOpenID, accepted: 3, script: []string{answer43101}, want: OutcomeRefused, sends: 1},
		{name: "BadDataGivesBack", owner: testOpenID, accepted: 1, script: []string{answer47003}, want: OutcomeRejected, wantErr: "47003", sends: 1, held: 1},
		{name: "FailureGivesBack", owner: testOpenID, accepted: 1, script: []string{answerBusy, answerBusy, answerBusy, answerBusy},
			want: OutcomeFailed, wantErr: "TS20260115-0001", sends: 4, held: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newNotifyWorld(t)
			w.accept(t, tt.accepted)
			w.f.script(tt.script...)
			notice := testNotice
			notice.Owner = tt.owner
			res, err := w.n.Notify(t.Context(), notice)
			if res.Outcome != tt.want {
				t.Errorf("Notify outcome = %s, want %s", res.Outcome, tt.want)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Notify error = %v, want none", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Notify error = %v, want one naming %s", err, tt.wantErr)
			}
			if _, _, sends := w.f.counts(); sends != tt.sends {
				t.Errorf("WeChat got %d sends, want %d", sends, tt.sends)
			}
			if n := w.held(t); n != tt.held {
				t.Errorf("acceptances left = %d, want %d", n, tt.held)
			}
		})
	}
}

func TestNotifyStoreDown(t *testing.T) {
	w := newNotifyWorld(t)
	w.n.subs = NewSubscriptions(failingStore{}, testTemplateID)
	res, err := w.n.Notify(t.Context(), testNotice)
	if res.Outcome != OutcomeFailed || err == nil {
		t.Errorf("Notify = %+v, %v; want failed with an error", res, err)
	}
	if _, _, sends := w.f.counts(); sends != 0 {
		t.Errorf("WeChat got %d sends without a known acceptance", sends)
	}
}

// TestNewStatusNotifier runs a notice end to end through what serve wires,
// in memory and in Redis: an acceptance, the token fetched once, the message
// sent, and the acceptance used.
func TestNewStatusNotifier(t *testing.T) {
	fields := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(fields, []byte(testTemplateFile), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		redis func(t *testing.T) (redis.UniversalClient, string)
	}{
		{"Memory", func(*testing.T) (redis.UniversalClient, string) { return nil, "" }},
		{"Redis", func(t *testing.T) (redis.UniversalClient, string) { return storetest.MustRedisClient(t) }},
		{"RedisCluster", func(t *testing.T) (redis.UniversalClient, string) {
			return storetest.MustRedisClientAt(t, storetest.RedisClusterURL(t))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rdb, prefix := tt.redis(t)
			f := newFakeAPI(t)
			n, subs, err := NewStatusNotifier(newTestClient(f.URL), rdb, prefix, testTemplateID, fields)
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if _, err := subs.Accept(ctx, testOpenID, testTemplateID); err != nil {
				t.Fatal(err)
			}
			for _, want := range []Outcome{OutcomeSent, OutcomeNotAccepted} {
				if res, err := n.Notify(ctx, testNotice); err != nil || res.Outcome != want {
					t.Errorf("Notify = %+v, %v; want %s", res, err, want)
				}
			}
			if calls, _, sends := f.counts(); calls != 1 || sends != 1 {
				t.Errorf("stable_token called %d times and send %d; want 1 and 1", calls, sends)
			}
			if rdb == nil {
				return
			}
			for _, key := range []string{prefix + "wechat:" + testAppID + ":token", prefix + "wxsub:" + testTemplateID + ":" + testOpenID} {
				if found, err := rdb.Exists(ctx, key).Result(); err != nil || found != 1 {
					t.Errorf("key %s: exists = %d, %v; want it in Redis", key, found, err)
				}
			}
		})
	}
	if _, _, err := NewStatusNotifier(newTestClient("http://127.0.0.1:1"), nil, "", testTemplateID, filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Error("NewStatusNotifier with a missing mapping file: no error")
	}
}
