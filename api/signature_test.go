package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/api"
	"policybot/complaints/sign"
)

// keyRing is a sign.KeyRing of fixed keys, or one that is down.
type keyRing struct {
	keys map[string]sign.Key
	down bool
}

func (r keyRing) Key(_ context.Context, id string) (sign.Key, error) {
	if r.down {
		return sign.Key{}, fmt.Errorf("%w: database down", sign.ErrUnavailable)
	}
	k, ok := r.keys[id]
	if !ok {
		return sign.Key{}, sign.ErrUnknownKey
	}
	return k, nil
}

var (
	signedNow = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	liveKey   = sign.Key{ID: "pbk_live", Integrator: "gz12345", Algorithm: sign.HMACSM3, Secret: []byte("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")}
	oldKey    = sign.Key{ID: "pbk_old", Integrator: "gz12345", Algorithm: sign.HMACSHA256, Secret: []byte("old"), Revoked: true}
)

// signedServer serves POST /signed behind SignedRequests with a body limit
// of 64 bytes; its handler answers with the caller and the body it read.
func signedServer(t *testing.T, ring keyRing) *httptest.Server {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	clock := func() time.Time { return signedNow }
	v := sign.NewVerifier(ring, sign.NewMemoryNonces(clock), clock)
	s := api.NewServer(api.Config{}, api.Deps{})
	srv := httptest.NewServer(s.Handler(func(r gin.IRouter) {
		r.POST("/signed", api.SignedRequests(v, 64), func(c *gin.Context) {
			caller, _ := sign.FromContext(c.Request.Context())
			body, _ := io.ReadAll(c.Request.Body)
			c.JSON(http.StatusOK, gin.H{"key_id": caller.KeyID, "integrator": caller.Integrator, "body": string(body)})
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSignedRequests(t *testing.T) {
	// The messages are those SIGNATURES.md tells the integrators' developers.
	doc, err := os.ReadFile("../complaints/SIGNATURES.md")
	if err != nil {
		t.Fatal(err)
	}
	srv := signedServer(t, keyRing{keys: map[string]sign.Key{liveKey.ID: liveKey, oldKey.ID: oldKey}})
	const body = `{"ticket_id":"GZ-0001"}`
	send := func(t *testing.T, k sign.Key, at time.Time, nonce, body string, edit func(*http.Request)) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/signed?from=platform", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if err := sign.SignAt(req, []byte(body), k, at, nonce); err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatalf("answer is not JSON: %v", err)
		}
		return resp.StatusCode, got
	}

	status, got := send(t, liveKey, signedNow, "nonce-000000000001", body, nil)
	if status != http.StatusOK || got["key_id"] != liveKey.ID || got["integrator"] != "gz12345" || got["body"] != body {
		t.Fatalf("a signed call: %d %v; want 200 with the caller and the body given back", status, got)
	}

	tests := []struct {
		name   string
		key    sign.Key
		at     time.Time
		nonce  string
		body   string
		edit   func(*http.Request)
		status int
		code   string
		field  string
		msg    string
	}{
		{"Replayed", liveKey, signedNow, "nonce-000000000001", body, nil, 401, "unauthorized", sign.HeaderNonce, "随机数已用过"},
		{"MissingSignature", liveKey, signedNow, "nonce-000000000002", body, func(r *http.Request) { r.Header.Del(sign.HeaderSignature) },
			401, "unauthorized", sign.HeaderSignature, "缺少请求头 X-Policybot-Signature"},
		{"MalformedTimestamp", liveKey, signedNow, "nonce-000000000003", body, func(r *http.Request) { r.Header.Set(sign.HeaderTimestamp, "1767254400000") },
			401, "unauthorized", sign.HeaderTimestamp, "Unix 时间戳"},
		{"UnknownKey", liveKey, signedNow, "nonce-000000000004", body, func(r *http.Request) { r.Header.Set(sign.HeaderKeyID, "pbk_nobody") },
			401, "unauthorized", sign.HeaderKeyID, "没有这个密钥"},
		{"RevokedKey", oldKey, signedNow, "nonce-000000000005", body, nil, 401, "unauthorized", sign.HeaderKeyID, "已吊销"},
		{"BadSignature", liveKey, signedNow, "nonce-000000000006", body, func(r *http.Request) { r.URL.RawQuery = "from=elsewhere" },
			401, "unauthorized", sign.HeaderSignature, "签名不正确"},
		{"Stale", liveKey, signedNow.Add(-sign.Window - time.Second), "nonce-000000000007", body, nil, 401, "unauthorized", sign.HeaderTimestamp, "5分钟"},
		{"TooLarge", liveKey, signedNow, "nonce-000000000008", strings.Repeat("x", 65), nil, 413, "too_large", "body", "过大"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := send(t, tt.key, tt.at, tt.nonce, tt.body, tt.edit)
			e, _ := got["error"].(map[string]any)
			if status != tt.status || e["code"] != tt.code || e["field"] != tt.field || !strings.Contains(fmt.Sprint(e["message"]), tt.msg) {
				t.Errorf("answer %d %v; want %d %s of field %s saying %q", status, got, tt.status, tt.code, tt.field, tt.msg)
			}
			// The message of a malformed header ends with the header's form,
			// which the document gives in its table of headers instead.
			if msg := fmt.Sprint(e["message"]); tt.code == "unauthorized" && !strings.Contains(msg, "格式不正确") && !strings.Contains(string(doc), msg) {
				t.Errorf("SIGNATURES.md does not show the message %q", msg)
			}
		})
	}

	// A refused call's nonce was not taken: the call signed right goes through.
	if status, got := send(t, liveKey, signedNow, "nonce-000000000006", body, nil); status != http.StatusOK {
		t.Errorf("a good call with the nonce of a refused one: %d %v, want 200", status, got)
	}
}

func TestSignedRequestsUnavailable(t *testing.T) {
	srv := signedServer(t, keyRing{down: true})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/signed", strings.NewReader("{}"))
	if err := sign.SignAt(req, []byte("{}"), liveKey, signedNow, "nonce-000000000001"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Error api.Error }
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != http.StatusServiceUnavailable || got.Error.Code != api.CodeUnavailable {
		t.Errorf("with the key ring down: %d %+v, want 503 unavailable", resp.StatusCode, got.Error)
	}
}
