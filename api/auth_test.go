package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"policybot/api"
	"policybot/session"
	"policybot/session/storetest"
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
		d.Auth = wechat.NewAuth(client, session.NewMemory(time.Hour, time.Now), 24*time.Hour, time.Now)
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

// raw sends a request with the header pairs given, each added, and returns
// the answer as it came. A body is sent as JSON unless the pairs name
// another Content-Type.
func (ts *testServer) raw(t *testing.T, method, path, body string, header ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	typed := false
	for i := 0; i < len(header); i += 2 {
		typed = typed || http.CanonicalHeaderKey(header[i]) == "Content-Type"
	}
	if body != "" && !typed {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, got}
}

// errorOfAnswer returns the code and field of an answer in the error shape,
// or stops the test.
func errorOfAnswer(t *testing.T, a answer) (code, field string) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("status %d answered with content type %q, want JSON: %q", a.status, ct, a.body)
	}
	var body struct {
		Error *api.Error `json:"error"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil || body.Error == nil {
		t.Fatalf("status %d: not the error shape: %q", a.status, a.body)
	}
	return body.Error.Code, body.Error.Field
}

// TestLoginTokensInRedis logs in through HTTP with tokens in a real Redis
// and checks what a key listing shows: no token, only SHA-256 hashes, and no
// session_key; that a token of the old form (kept under its own value, with
// the session_key beside it) is refused as unauthorized rather than failing;
// that logout revokes; and that a token used all the time still fails
// after its absolute lifetime.
func TestLoginTokensInRedis(t *testing.T) {
	rdb, prefix := storetest.MustRedisClient(t)
	clock := storetest.NewFakeClock(fixedNow())
	const maxAge = 30 * 24 * time.Hour
	wx := fakeWeChat(t)
	ts := newTestServer(t, func(cfg *api.Config, d *api.Deps) {
		client := wechat.NewClient("wx-test-app", "app-secret")
		client.BaseURL = wx.URL
		d.Auth = wechat.NewAuth(client, session.NewRedis(rdb, prefix, time.Hour), maxAge, clock.Now)
		cfg.AnonymousChat = false
	})
	ctx := t.Context()
	listKeys := func() []string {
		t.Helper()
		got, err := rdb.Keys(ctx, prefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	chatStatus := func(bearer string) (int, string, string) {
		t.Helper()
		a := ts.chat(t, `{"message":"你好"}`, "Authorization", bearer)
		if a.status == 200 {
			return 200, "", ""
		}
		code, field := errorOfAnswer(t, a)
		return a.status, code, field
	}

	alice := login(t, ts, "code-alice")
	token := strings.TrimPrefix(alice, "Bearer ")
	keys := listKeys()
	sum := sha256.Sum256([]byte(token))
	if len(keys) != 1 || keys[0] != prefix+hex.EncodeToString(sum[:]) {
		t.Fatalf("keys after one login = %v, want the token's SHA-256 alone", keys)
	}
	value, err := rdb.Get(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(value, "sk-alice") || strings.Contains(value, "session_key") || strings.Contains(value, token) {
		t.Errorf("stored record %s holds the session_key or the token", value)
	}
	if status, _, _ := chatStatus(alice); status != 200 {
		t.Fatalf("chat with a new token = %d", status)
	}

	// The old form: no migration, and no failure either.
	old := strings.Repeat("A", 42) + "Q"
	if err := rdb.Set(ctx, prefix+old, `{"openid":"o-old","session_key":"sk-old","created":"2026-11-20T00:00:00Z"}`, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if status, code, field := chatStatus("Bearer " + old); status != 401 || code != "unauthorized" || field != "Authorization" {
		t.Errorf("chat with an old-form token = %d %s %s, want 401 unauthorized naming Authorization", status, code, field)
	}

	tests := []struct {
		name       string
		header     []string
		wantStatus int
	}{
		{"LogsOut", []string{"Authorization", alice}, 204},
		{"Again", []string{"Authorization", alice}, 204},
		{"UnknownToken", []string{"Authorization", "Bearer junk"}, 204},
		{"NoHeader", nil, 401},
		{"NotBearer", []string{"Authorization", "Basic " + token}, 401},
	}
	for _, tt := range tests {
		t.Run("Logout"+tt.name, func(t *testing.T) {
			a := ts.raw(t, "POST", "/v1/auth/logout", "", tt.header...)
			if a.status != tt.wantStatus {
				t.Fatalf("logout = %d %s, want %d", a.status, a.body, tt.wantStatus)
			}
			if a.status == 401 {
				if code, field := errorOfAnswer(t, a); code != "unauthorized" || field != "Authorization" {
					t.Errorf("logout error = %s %s, want unauthorized naming Authorization", code, field)
				}
			}
		})
	}
	if status, code, _ := chatStatus(alice); status != 401 || code != "unauthorized" {
		t.Errorf("chat after logout = %d %s, want 401", status, code)
	}
	if keys := listKeys(); len(keys) != 1 || keys[0] != prefix+old {
		t.Errorf("keys after logout = %v, want the old-form one alone", keys)
	}

	// Used every few minutes, a token still ends at its absolute lifetime.
	bob := login(t, ts, "code-bob")
	clock.Advance(maxAge - time.Minute)
	if status, _, _ := chatStatus(bob); status != 200 {
		t.Fatalf("chat a minute before the token's absolute lifetime = %d", status)
	}
	clock.Advance(time.Minute)
	if status, code, field := chatStatus(bob); status != 401 || code != "unauthorized" || field != "Authorization" {
		t.Errorf("chat at the token's absolute lifetime = %d %s %s, want 401 naming Authorization", status, code, field)
	}
	if keys := listKeys(); len(keys) != 1 {
		t.Errorf("keys after the lifetime = %v, want the expired token's record gone", keys)
	}
}
