package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/complaints/sign"
	"policybot/store/storetest"
)

// fakeWeChat is WeChat's login, stable_token and subscribeMessage.send,
// with the messages sent.
type fakeWeChat struct {
	mu   sync.Mutex // guards sent
	sent []map[string]any
	told chan struct{}
}

func (f *fakeWeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/sns/jscode2session":
		fmt.Fprintf(w, `{"openid":"o-%s","session_key":"a2V5"}`, r.URL.Query().Get("js_code"))
	case "/cgi-bin/stable_token":
		fmt.Fprint(w, `{"access_token":"tok-1","expires_in":7200}`)
	case "/cgi-bin/message/subscribe/send":
		var m map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &m); err != nil || r.URL.Query().Get("access_token") != "tok-1" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.sent = append(f.sent, m)
		f.mu.Unlock()
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
		f.told <- struct{}{}
	default:
		http.NotFound(w, r)
	}
}

// A user who files a complaint in the chat and accepts the template is
// told by a subscribe message when the platform moves the ticket, and only
// then: not for a repeat of the callback.
func TestStatusNoticeServed(t *testing.T) {
	e := newComplaintsEnv(t, storetest.SQLite(t))
	wx := &fakeWeChat{told: make(chan struct{}, 8)}
	wxSrv := httptest.NewServer(wx)
	t.Cleanup(wxSrv.Close)
	fields := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(fields, []byte("page: pages/complaint/detail?no={ticket_no}\nfields:\n  ticket_no: character_string1\n  status: phrase2\n  note: thing3\n  time: time4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startServe(t, e.vars, "--complaints", "--data-dir", e.db.Dir, "--internal-addr", "127.0.0.1:0",
		"--wechat-appid", "wx-test", "--wechat-secret", "s", "--wechat-base-url", wxSrv.URL,
		"--wechat-subscribe-template", "TPL-progress", "--wechat-subscribe-fields", fields)
	send := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+p.addr+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return p.do(t, req)
	}
	status, login := send("POST", "/v1/auth/wechat/login", "", `{"code":"alice"}`)
	token, _ := login["token"].(string)
	if status != 200 || token == "" {
		t.Fatalf("login: %d %v", status, login)
	}
	if status, r := send("POST", "/v1/wechat/subscriptions", token, `{"template_id":"TPL-progress"}`); status != 200 {
		t.Fatalf("accepting the template: %d %v", status, r)
	}
	sid, number := "", ""
	for _, m := range []string{"我要投诉,补贴一直不兑现,部门推诿", "企业名称:南康某家具有限公司,联系人张三,电话13800138000", "同意提交"} {
		body, _ := json.Marshal(map[string]string{"message": m, "session_id": sid})
		status, r := send("POST", "/v1/chat", token, string(body))
		if status != 200 {
			t.Fatalf("%q: %d %v", m, status, r)
		}
		sid, _ = r["session_id"].(string)
		number, _ = r["ticket_no"].(string)
	}
	if number == "" {
		t.Fatal("no ticket filed")
	}
	callback := fmt.Sprintf(`{"ticket_no":%q,"platform_ticket_id":"GZ12345-0001","seq":1,"status":"受理","note":"已受理","at":"2026-01-15T10:30:00+08:00"}`, number)
	for range 2 { // the second is a repeat
		req := signedRequest(t, p.internal, "/v1/integrations/complaints/status", callback, e.key, time.Now(), sign.NewNonce())
		if status, r := p.do(t, req); status != 200 {
			t.Fatalf("callback: %d %v", status, r)
		}
	}
	select {
	case <-wx.told:
	case <-time.After(20 * time.Second):
		t.Fatal("no subscribe message sent within 20s")
	}
	wx.mu.Lock()
	defer wx.mu.Unlock()
	m := wx.sent[0]
	data, _ := json.Marshal(m["data"])
	if m["touser"] != "o-alice" || m["template_id"] != "TPL-progress" || !strings.Contains(string(data), number) || !strings.Contains(string(data), "受理") {
		t.Errorf("sent %v", m)
	}
	// The one acceptance is spent: the repeat, and any later step, send
	// nothing more until the user accepts again.
	if len(wx.sent) != 1 {
		t.Errorf("%d messages sent; want 1", len(wx.sent))
	}
}
