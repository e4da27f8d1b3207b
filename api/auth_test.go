package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"policybot/api"
	"policybot/session"
	"policybot/wechat"
)

// fakeWeChat answers jscode2session by code: two users, and the errors a
// real WeChat returns.
func fakeWeChat(t *testing.T) *httptest.Server {
	t.Helper()
	answers := map[string]string{
		"code-alice": `{"openid":"o-alice","session_key":"sk-alice-secret"}`,
		"code-bob":   `{"openid":"o-bob","session_key":"sk-bob-secret"}`,
		"code-used":  `{"errcode":40029,"errmsg":"invalid code, rid: 1"}`,
		"code-fast":  `{"errcode":45011,"errmsg":"api minute-quota reach limit, rid: 2"}`,
		"code-risky": `{"errcode":40226,"errmsg":"high risk user, rid: 3"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := answers[r.URL.Query().Get("js_code")]
		if !ok {
			body = `{"errcode":40029,"errmsg":"invalid code"}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func withWeChat(t *testing.T, anonymous bool) option {
	wx := fakeWeChat(t)
	return func(cfg *api.Config, d *api.Deps) {
		client := wechat.NewClient("wx-test-app", "app-secret")
		client.BaseURL = wx.URL
		d.Auth = wechat.NewAuth(client, session.NewMemory(time.Hour, time.Now), time.Now)
		cfg.AnonymousChat = anonymous
	}
}

// TestWeChatLogin logs two users in through a fake WeChat, chats with their
// tokens, and checks that a session stays with its user, that session_key
// never leaves the server and that WeChat's errors become clear 4xx answers.
func TestWeChatLogin(t *testing.T) {
	ts := newTestServer(t, withWeChat(t, false))

	login := func(code string) (int, map[string]any) {
		return ts.do(t, "POST", "/v1/auth/wechat/login", `{"code":"`+code+`"}`)
	}
	status, alice := login("code-alice")
	if status != 200 {
		t.Fatalf("login = %d %v", status, alice)
	}
	token, _ := alice["token"].(string)
	if token == "" || strings.Contains(token, "o-alice") {
		t.Fatalf("token %q is empty or holds the openid", token)
	}
	for _, v := range alice {
		if s, ok := v.(string); ok && strings.Contains(s, "sk-alice") {
			t.Errorf("login answer leaks the session_key: %v", alice)
		}
	}
	_, bob := login("code-bob")
	bobToken, _ := bob["token"].(string)

	if status, body := ts.do(t, "POST", "/v1/chat", `{"message":"你好"}`); status != 401 {
		t.Errorf("anonymous chat with anonymous off = %d %v, want 401", status, body)
	}
	status, r1 := ts.do(t, "POST", "/v1/chat", `{"message":"今年票据融资5000万"}`, "Authorization", "Bearer "+token)
	if status != 200 {
		t.Fatalf("chat with token = %d %v", status, r1)
	}
	sid := r1["session_id"].(string)
	if status, _ := ts.do(t, "POST", "/v1/chat", `{"session_id":"`+sid+`","message":"盈利"}`, "Authorization", "Bearer "+token); status != 200 {
		t.Errorf("second turn of the owner = %d", status)
	}
	status, body := ts.do(t, "POST", "/v1/chat", `{"session_id":"`+sid+`","message":"盈利"}`, "Authorization", "Bearer "+bobToken)
	if code, field, _ := errorOf(t, body); status != 403 || code != "forbidden" || field != "session_id" {
		t.Errorf("another user's turn = %d %v, want 403 naming session_id", status, body)
	}

	tests := []struct {
		code       string
		wantStatus int
		wantField  string
	}{
		{"code-used", 400, "code"},
		{"code-fast", 429, ""},
		{"code-risky", 403, ""},
		{"", 400, "code"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			status, body := login(tt.code)
			_, field, msg := errorOf(t, body)
			if status != tt.wantStatus || field != tt.wantField {
				t.Errorf("login(%q) = %d field %q, want %d field %q", tt.code, status, field, tt.wantStatus, tt.wantField)
			}
			if strings.Contains(msg, "rid") || strings.Contains(msg, "errcode") {
				t.Errorf("message %q repeats WeChat's own text", msg)
			}
		})
	}
}
