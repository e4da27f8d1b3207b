package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/api"
	"policybot/session"
	"policybot/wechat"
)

// contentWeChat is a fake WeChat of login, stable_token and msgSecCheck
// (v2): a text with 枪 is risky, one with 待审 is held for review, others
// pass; fail makes msgSecCheck answer that body (or HTTP 500 for "500")
// instead.
type contentWeChat struct {
	*httptest.Server
	mu      sync.Mutex // guards the fields below
	fail    string
	checked []string // "openid: content" of every msgSecCheck
}

func newContentWeChat(t *testing.T) *contentWeChat {
	f := &contentWeChat{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sns/jscode2session", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"openid":"o-%s","session_key":"c2s="}`, strings.TrimPrefix(r.URL.Query().Get("js_code"), "code-"))
	})
	mux.HandleFunc("POST /cgi-bin/stable_token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"access_token":"at-1","expires_in":7200}`)
	})
	mux.HandleFunc("POST /wxa/msg_sec_check", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Content string `json:"content"`
			Version int    `json:"version"`
			Scene   int    `json:"scene"`
			OpenID  string `json:"openid"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Version != 2 || r.URL.Query().Get("access_token") != "at-1" {
			t.Errorf("msg_sec_check: body %+v (%v), access_token %q", in, err, r.URL.Query().Get("access_token"))
		}
		f.mu.Lock()
		f.checked = append(f.checked, in.OpenID+": "+in.Content)
		fail := f.fail
		f.mu.Unlock()
		switch {
		case fail == "500":
			w.WriteHeader(http.StatusInternalServerError)
			return
		case fail != "":
			fmt.Fprint(w, fail)
			return
		}
		suggest := "pass"
		switch {
		case strings.Contains(in.Content, "枪"):
			suggest = "risky"
		case strings.Contains(in.Content, "待审"):
			suggest = "review"
		}
		fmt.Fprintf(w, `{"errcode":0,"errmsg":"ok","trace_id":"t-1","result":{"suggest":%q,"label":20006}}`, suggest)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *contentWeChat) failWith(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = body
}

func (f *contentWeChat) checks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.checked...)
}

// TestChatContentCheck checks msgSecCheck on chat through HTTP: a rejected
// message (risky or held for review) gets 422 content_rejected naming
// message, and nothing of it reaches the session; a WeChat that fails lets
// the message through (fail-open) and says so in the log; anonymous
// messages are not checked.
func TestChatContentCheck(t *testing.T) {
	wx := newContentWeChat(t)
	chats := session.NewMemory(time.Hour, time.Now)
	ts := newTestServer(t, withChatStore(chats), func(cfg *api.Config, d *api.Deps) {
		client := wechat.NewClient("wx-test-app", "app-secret")
		client.BaseURL = wx.URL
		d.Auth = wechat.NewAuth(client, session.NewMemory(time.Hour, time.Now), 24*time.Hour, time.Now)
		d.Content = wechat.NewContentCheck(client, wechat.NewAppTokens(client, nil, ""))
		cfg.AnonymousChat = true
	})
	alice := login(t, ts, "code-alice")
	first := ts.chat(t, `{"message":"今年票据融资5000万"}`, "Authorization", alice).ok(t)
	sid := first["session_id"].(string)
	stored := func() string {
		t.Helper()
		raw, err := chats.Get(t.Context(), sid)
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}

	tests := []struct {
		name       string
		message    string
		fail       string
		bearer     string
		wantStatus int
		wantTurns  int // turns of the session after the message
	}{
		{"Risky", "哪里能买到枪", "", alice, 422, 1},
		{"Review", "这句话待审一下", "", alice, 422, 1},
		{"Pass", "我们是盈利的", "", alice, 200, 2},
		{"WeChatBusy", "去年营收9亿元", `{"errcode":-1,"errmsg":"system error"}`, alice, 200, 3},
		{"WeChatDown", "有多少员工算小微企业", "500", alice, 200, 4},
		{"QuotaSpent", "还有别的奖励吗", `{"errcode":45009,"errmsg":"reach max api daily quota limit"}`, alice, 200, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wx.failWith(tt.fail)
			a := ts.chat(t, `{"session_id":"`+sid+`","message":"`+tt.message+`"}`, "Authorization", tt.bearer)
			if a.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", a.status, tt.wantStatus, a.body)
			}
			if a.status == 422 {
				if code, field := errorOfAnswer(t, a); code != "content_rejected" || field != "message" {
					t.Errorf("error = %s naming %q, want content_rejected naming message", code, field)
				}
				if strings.Contains(stored(), tt.message) {
					t.Errorf("the session keeps the rejected message: %s", stored())
				}
			}
			if got := storedTurns(t, chats, sid); got != tt.wantTurns {
				t.Errorf("session has %d turns, want %d", got, tt.wantTurns)
			}
			if checks := wx.checks(); checks[len(checks)-1] != "o-alice: "+tt.message {
				t.Errorf("last check = %q, want alice's message", checks[len(checks)-1])
			}
		})
	}
	wx.failWith("")
	if !strings.Contains(ts.logs.String(), "content check failed; message taken unchecked") {
		t.Error("the log does not say a message was taken unchecked")
	}

	// An anonymous message has no openid to check with.
	before := len(wx.checks())
	ts.chat(t, `{"message":"哪里能买到枪"}`).ok(t)
	if after := len(wx.checks()); after != before {
		t.Errorf("an anonymous message was checked (%d checks, was %d)", after, before)
	}
	// A rejected keyed turn leaves no reply to replay: its retry is
	// checked and refused again.
	for range 2 {
		a := ts.chat(t, `{"message":"哪里能买到枪"}`, "Authorization", alice, "Idempotency-Key", "k-rejected-0000001")
		if a.status != 422 {
			t.Fatalf("keyed rejected turn = %d %s, want 422", a.status, a.body)
		}
	}
}
