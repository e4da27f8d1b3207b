package wechat

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// newTestSender returns a Sender on f with an in-memory token cache, that
// retries at once.
func newTestSender(f *fakeAPI) *Sender {
	client := newTestClient(f.URL)
	s := NewSender(client, NewTokens(client, NewMemoryTokenCache(), time.Now))
	s.backoff = 0
	return s
}

var testMessage = Message{
	ToUser: testOpenID, TemplateID: testTemplateID, Page: "pages/complaint/detail?no=TS20260115-0001",
	Data: map[string]MessageValue{"character_string1": {"TS20260115-0001"}, "phrase2": {"办结"}},
}

const (
	answer40001 = `{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 5"}`
	answer42001 = `{"errcode":42001,"errmsg":"access_token expired rid: 6"}`
	answer43101 = `{"errcode":43101,"errmsg":"user refuse to accept the msg rid: 7"}`
	answer45009 = `{"errcode":45009,"errmsg":"reach max api daily quota limit rid: 8"}`
	answerBusy  = `{"errcode":-1,"errmsg":"system error rid: 9"}`
	answer47003 = `{"errcode":47003,"errmsg":"argument invalid! data.thing3.value is empty rid: 10"}`
	answer40037 = `{"errcode":40037,"errmsg":"invalid template_id rid: 11"}`
)

func TestSend(t *testing.T) {
	tests := []struct {
		name   string
		before func(f *fakeAPI) // after the sender holds token-1
		script []string
		want   Result
		// tokenCalls and forced count stable_token calls after the first.
		tokenCalls, forced int
	}{
		{name: "Sent", want: Result{Outcome: OutcomeSent, Attempts: 1}},
		{
			name:   "TokenInvalidatedElsewhere",
			before: (*fakeAPI).forceElsewhere,
			want:   Result{Outcome: OutcomeSent, Attempts: 2}, tokenCalls: 1,
		},
		{
			name:   "TokenRefusedOnceThoughInForce",
			script: []string{answer40001},
			want:   Result{Outcome: OutcomeSent, Attempts: 2}, tokenCalls: 2, forced: 1,
		},
		{
			name:   "TokenExpired",
			script: []string{answer42001},
			want:   Result{Outcome: OutcomeSent, Attempts: 2}, tokenCalls: 2, forced: 1,
		},
		{
			name:   "RefreshedTokenRefusedToo",
			script: []string{answer40001, answer40001},
			want:   Result{Outcome: OutcomeFailed, Code: 40001, Attempts: 2}, tokenCalls: 2, forced: 1,
		},
		{
			name:   "Refused",
			script: []string{answer43101},
			want:   Result{Outcome: OutcomeRefused, Code: 43101, Attempts: 1},
		},
		{
			name:   "QuotaThenBusyThenSent",
			script: []string{answer45009, answerBusy},
			want:   Result{Outcome: OutcomeSent, Attempts: 3},
		},
		{
			name:   "HTTP500ThenSent",
			script: []string{"500"},
			want:   Result{Outcome: OutcomeSent, Attempts: 2},
		},
		{
			name:   "BusyThroughEveryRetry",
			script: []string{answerBusy, answer45009, answerBusy, answerBusy},
			want:   Result{Outcome: OutcomeFailed, Code: -1, Attempts: 4},
		},
		{
			name:   "BadData",
			script: []string{answer47003},
			want:   Result{Outcome: OutcomeRejected, Code: 47003, Field: "thing3", Attempts: 1},
		},
		{
			name:   "BadTemplate",
			script: []string{answer40037},
			want:   Result{Outcome: OutcomeRejected, Code: 40037, Attempts: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			s := newTestSender(f)
			if _, err := s.tokens.Token(t.Context()); err != nil {
				t.Fatal(err)
			}
			if tt.before != nil {
				tt.before(f)
			}
			f.script(tt.script...)

			got, err := s.Send(t.Context(), testMessage)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Send (-want +got):\n%s", diff)
			}
			if (err == nil) != (tt.want.Outcome == OutcomeSent) {
				t.Errorf("Send error = %v, want one exactly when not sent", err)
			}
			if err != nil && strings.Contains(err.Error(), "token-") {
				t.Errorf("error %q reveals the access_token", err)
			}
			tokenCalls, forced, sends := f.counts()
			if tokenCalls-1 != tt.tokenCalls || forced != tt.forced {
				t.Errorf("stable_token called %d more times, %d forced; want %d, %d forced", tokenCalls-1, forced, tt.tokenCalls, tt.forced)
			}
			if sends != got.Attempts {
				t.Errorf("WeChat got %d sends, Result says %d attempts", sends, got.Attempts)
			}
			for _, m := range f.sentMessages() {
				if diff := cmp.Diff(testMessage, m); diff != "" {
					t.Errorf("message WeChat got (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestSendWithoutToken(t *testing.T) {
	tests := []struct {
		name, answer string
		want         Result
		tokenCalls   int
	}{
		// A wrong secret is ours to mend: the message is not at fault.
		{"WrongSecret", `{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 12"}`,
			Result{Outcome: OutcomeFailed, Code: 40001}, 1},
		{"AddressNotAllowed", `{"errcode":40164,"errmsg":"invalid ip 1.2.3.4, not in whitelist rid: 13"}`,
			Result{Outcome: OutcomeFailed, Code: 40164}, 1},
		{"Busy", answerBusy, Result{Outcome: OutcomeFailed, Code: -1}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.failTokens(tt.answer)
			got, err := newTestSender(f).Send(t.Context(), testMessage)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Send (-want +got):\n%s", diff)
			}
			if err == nil || strings.Contains(err.Error(), testSecret) {
				t.Errorf("Send error = %v, want one without the secret", err)
			}
			if calls, _, sends := f.counts(); calls != tt.tokenCalls || sends != 0 {
				t.Errorf("stable_token called %d times and send %d; want %d and 0", calls, sends, tt.tokenCalls)
			}
		})
	}
}

// cancelAfterSend is a transport that cancels a context once WeChat has
// answered a send, as a deadline passing then would.
type cancelAfterSend struct {
	cancel context.CancelFunc
}

func (c cancelAfterSend) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if strings.HasSuffix(r.URL.Path, "/subscribe/send") {
		c.cancel()
	}
	return resp, err
}

func TestSendDeadline(t *testing.T) {
	t.Run("BeforeToken", func(t *testing.T) {
		f := newFakeAPI(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		got, err := newTestSender(f).Send(ctx, testMessage)
		if got.Outcome != OutcomeFailed || got.Attempts != 0 || !errors.Is(err, context.Canceled) {
			t.Errorf("Send = %+v, %v; want failed with context.Canceled before sending", got, err)
		}
	})
	t.Run("AfterBusyAnswer", func(t *testing.T) {
		f := newFakeAPI(t)
		s := newTestSender(f)
		ctx, cancel := context.WithCancel(t.Context())
		s.client.HTTP = &http.Client{Transport: cancelAfterSend{cancel}}
		f.script(answerBusy)
		got, err := s.Send(ctx, testMessage)
		if got.Outcome != OutcomeFailed || got.Attempts != 1 || err == nil {
			t.Errorf("Send = %+v, %v; want failed after one attempt, without retrying past the deadline", got, err)
		}
	})
}

func TestSendUnreachable(t *testing.T) {
	f := newFakeAPI(t)
	s := newTestSender(f)
	if _, err := s.tokens.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := s.Send(t.Context(), testMessage)
	if got.Outcome != OutcomeFailed || got.Attempts != 4 || !errors.Is(err, ErrUpstream) {
		t.Errorf("Send = %+v, %v; want failed after 4 attempts, wrapping ErrUpstream", got, err)
	}
	if strings.Contains(err.Error(), "token-1") {
		t.Errorf("error %q reveals the access_token", err)
	}
}
