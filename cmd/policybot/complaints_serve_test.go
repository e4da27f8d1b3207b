package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/complaints/sign"
	sessiontest "policybot/session/storetest"
	"policybot/store/storetest"
)

// With --complaints, a complaint in the chat over HTTP is filed as a ticket
// with its number in the reply; without the master key serve refuses to
// start, rather than keep phones unsealed.
func TestServeFilesComplaints(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	p := startServe(t, map[string]string{"POLICYBOT_MASTER_KEY": key}, "--complaints")
	sid := ""
	var last map[string]any
	for _, m := range []string{"我要投诉,补贴一直不兑现,部门推诿", "企业名称:南康某家具有限公司,联系人张三,电话13800138000", "同意提交"} {
		body, _ := json.Marshal(map[string]string{"message": m, "session_id": sid})
		if sid == "" {
			body, _ = json.Marshal(map[string]string{"message": m})
		}
		status, r := p.call(t, "POST", "/v1/chat", string(body))
		if status != 200 {
			t.Fatalf("%q: status %d: %v", m, status, r)
		}
		sid, _ = r["session_id"].(string)
		last = r
	}
	no, _ := last["ticket_no"].(string)
	if !strings.HasPrefix(no, "TS") {
		t.Fatalf("no ticket number: %v", last)
	}
	// The platform's routes are mounted, and refuse an unsigned call.
	for _, path := range []string{"/v1/integrations/complaints", "/v1/integrations/complaints/status"} {
		if status, r := p.call(t, "POST", path, `{"ticket_id": "t1", "text": "奖励不兑现"}`); status != 401 {
			t.Errorf("an unsigned call of the platform to %s: %d %v", path, status, r)
		}
	}
	err := serve(context.Background(), []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--complaints"}, io.Discard, io.Discard, env(map[string]string{}), nil)
	if err == nil || !strings.Contains(err.Error(), "--complaints") {
		t.Errorf("serve --complaints without a master key: %v", err)
	}
}

// signedRequest returns a call of the platform to path on addr, signed
// with k at a time and with a nonce, so that the same call can be sent to
// another server.
func signedRequest(t *testing.T, addr, path, body string, k sign.Key, at time.Time, nonce string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if err := sign.SignAt(req, []byte(body), k, at, nonce); err != nil {
		t.Fatal(err)
	}
	return req
}

// Two replicas sharing Redis share the platform's nonces and each key's
// rate: a call accepted by one is refused by the other as a replay, and the
// calls of a key to both count against one budget.
func TestIntegratorsAcrossReplicas(t *testing.T) {
	e := newComplaintsEnv(t, storetest.SQLite(t))
	number := slices.Collect(maps.Values(e.file(t, 1)))[0]
	vars := maps.Clone(e.vars)
	vars["REDIS_URL"] = sessiontest.RedisURL(t)
	// The whole test runs well within a second, before the budget of two
	// calls refills one.
	args := []string{"--complaints", "--data-dir", e.db.Dir, "--integrator-rate", "1", "--integrator-burst", "2"}
	a, b := startServe(t, vars, args...), startServe(t, vars, args...)
	const path = "/v1/integrations/complaints/status"
	body := func(seq int) string {
		return fmt.Sprintf(`{"ticket_no":%q,"platform_ticket_id":"GZ12345-0001","seq":%d,"status":"受理","at":"2026-01-15T10:30:00+08:00"}`, number, seq)
	}
	at, nonce := time.Now(), sign.NewNonce()
	if status, r := a.do(t, signedRequest(t, a.addr, path, body(1), e.key, at, nonce)); status != http.StatusOK {
		t.Fatalf("a callback: %d %v", status, r)
	}
	status, r := b.do(t, signedRequest(t, b.addr, path, body(1), e.key, at, nonce))
	if e, _ := r["error"].(map[string]any); status != http.StatusUnauthorized || e["field"] != sign.HeaderNonce {
		t.Errorf("the same call at the other replica: %d %v; want 401 of %s", status, r, sign.HeaderNonce)
	}
	if status, r := b.do(t, signedRequest(t, b.addr, path, body(2), e.key, time.Now(), sign.NewNonce())); status != http.StatusOK {
		t.Fatalf("a second callback, at the other replica: %d %v", status, r)
	}
	resp, err := http.DefaultClient.Do(signedRequest(t, a.addr, path, body(3), e.key, time.Now(), sign.NewNonce()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("a third call of the key: %d, Retry-After %q; want 429 after 1 s", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
