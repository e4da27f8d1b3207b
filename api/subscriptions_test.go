package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/api"
	"policybot/internal/apispec"
	"policybot/session"
	"policybot/wechat"
)

const subscribeTemplate = "bDmywsp2oEHjwAadTGKkUJ-eJEiMiOf7H-dZ7wjdw80"

// newSubscriptionServer returns a server with WeChat login (anonymous chat
// allowed) and the subscriptions route on keeper.
func newSubscriptionServer(t *testing.T, keeper api.SubscriptionKeeper) *testServer {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	wx := fakeWeChat(t)
	client := wechat.NewClient("wx-test-app", "app-secret")
	client.BaseURL = wx.URL
	logs := &syncBuffer{}
	srv := api.NewServer(api.Config{MaxBodyBytes: 8 << 10, AnonymousChat: true}, api.Deps{
		Library: func() (api.Library, func()) { return nil, func() {} },
		Auth:    wechat.NewAuth(client, session.NewMemory(time.Hour, time.Now), 24*time.Hour, time.Now),
		Log:     slog.New(api.LogHandler(slog.NewJSONHandler(logs, nil), nil)),
	})
	hs := httptest.NewServer(apispec.Must(t).Handler(t, srv.Handler(srv.SubscriptionRoutes(keeper))))
	t.Cleanup(hs.Close)
	return &testServer{Server: hs, logs: logs}
}

// login returns a bearer token of the fake WeChat's user of code.
func (ts *testServer) login(t *testing.T, code string) string {
	t.Helper()
	status, body := ts.do(t, "POST", "/v1/auth/wechat/login", `{"code":"`+code+`"}`)
	if status != 200 {
		t.Fatalf("login %s = %d %v", code, status, body)
	}
	return "Bearer " + body["token"].(string)
}

func TestAcceptSubscription(t *testing.T) {
	subs := wechat.NewSubscriptions(session.NewMemory(wechat.SubscriptionRetention, time.Now), subscribeTemplate)
	ts := newSubscriptionServer(t, subs)
	alice, bob := ts.login(t, "code-alice"), ts.login(t, "code-bob")
	body := `{"template_id":"` + subscribeTemplate + `"}`

	for want := 1; want <= 2; want++ {
		status, got := ts.do(t, "POST", "/v1/wechat/subscriptions", body, "Authorization", alice)
		if status != 200 || got["credits"] != float64(want) || got["template_id"] != subscribeTemplate {
			t.Fatalf("accept %d = %d %v, want credits %d", want, status, got, want)
		}
	}
	if status, got := ts.do(t, "POST", "/v1/wechat/subscriptions", body, "Authorization", bob); status != 200 || got["credits"] != float64(1) {
		t.Errorf("bob's accept = %d %v, want credits 1 of his own", status, got)
	}
	// The acceptances are alice's, under her openid, for the notifier.
	for range 2 {
		if held, err := subs.Take(t.Context(), "o-alice", subscribeTemplate); err != nil || !held {
			t.Fatalf("Take of alice's acceptance = %v, %v", held, err)
		}
	}
}

func TestAcceptSubscriptionErrors(t *testing.T) {
	subs := wechat.NewSubscriptions(session.NewMemory(wechat.SubscriptionRetention, time.Now), subscribeTemplate)
	ts := newSubscriptionServer(t, subs)
	alice := ts.login(t, "code-alice")
	tests := []struct {
		name, body, auth  string
		status            int
		wantCode, wantFld string
	}{
		{"Anonymous", `{"template_id":"` + subscribeTemplate + `"}`, "", 401, "unauthorized", "Authorization"},
		{"BadToken", `{"template_id":"` + subscribeTemplate + `"}`, "Bearer not-a-token", 401, "unauthorized", "Authorization"},
		{"NoTemplate", `{}`, alice, 400, "invalid_argument", "template_id"},
		{"BlankTemplate", `{"template_id":"  "}`, alice, 400, "invalid_argument", "template_id"},
		{"OtherTemplate", `{"template_id":"someone-elses"}`, alice, 400, "invalid_argument", "template_id"},
		{"TemplateNotString", `{"template_id":7}`, alice, 400, "invalid_argument", "template_id"},
		{"UnknownField", `{"template_id":"` + subscribeTemplate + `","result":"accept"}`, alice, 400, "invalid_argument", "result"},
		{"NotJSON", `template_id=x`, alice, 400, "invalid_argument", "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.auth != "" {
				header = []string{"Authorization", tt.auth}
			}
			status, body := ts.do(t, "POST", "/v1/wechat/subscriptions", tt.body, header...)
			if status != tt.status {
				t.Fatalf("status = %d %v, want %d", status, body, tt.status)
			}
			code, field, _ := errorOf(t, body)
			if code != tt.wantCode || field != tt.wantFld {
				t.Errorf("error = %s on %q, want %s on %q", code, field, tt.wantCode, tt.wantFld)
			}
		})
	}
	if held, _ := subs.Take(t.Context(), "o-alice", subscribeTemplate); held {
		t.Error("a refused request recorded an acceptance")
	}
}

// downKeeper is a keeper whose store is down.
type downKeeper struct{}

func (downKeeper) Accept(context.Context, string, string) (int, error) {
	return 0, fmt.Errorf("wechat: accept subscription: %w: dial tcp: connection refused", session.ErrUnavailable)
}

func TestAcceptSubscriptionStoreDown(t *testing.T) {
	ts := newSubscriptionServer(t, downKeeper{})
	status, body := ts.do(t, "POST", "/v1/wechat/subscriptions", `{"template_id":"`+subscribeTemplate+`"}`, "Authorization", ts.login(t, "code-alice"))
	if status != 503 {
		t.Fatalf("status = %d %v, want 503", status, body)
	}
	if _, _, msg := errorOf(t, body); strings.Contains(msg, "dial tcp") {
		t.Errorf("message %q shows the store's error", msg)
	}
}
