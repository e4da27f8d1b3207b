package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"
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
	// The platform's route is mounted, and refuses an unsigned call.
	if status, r := p.call(t, "POST", "/v1/integrations/complaints", `{"ticket_id": "t1", "text": "奖励不兑现"}`); status != 401 {
		t.Errorf("an unsigned call of the platform: %d %v", status, r)
	}
	err := serve(context.Background(), []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--complaints"}, io.Discard, io.Discard, env(map[string]string{}), nil)
	if err == nil || !strings.Contains(err.Error(), "--complaints") {
		t.Errorf("serve --complaints without a master key: %v", err)
	}
}
