package wechat

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "s3cr3t-app-secret"
)

// answer is what the fake WeChat server sends for one js_code.
type answer struct {
	status int // 0 means 200
	body   string
	delay  time.Duration
}

// fakeWeChat is a jscode2session endpoint that checks every request as WeChat
// would and answers by js_code.
type fakeWeChat struct {
	*httptest.Server
	calls atomic.Int32
}

func newFakeWeChat(t testing.TB, answers map[string]answer) *fakeWeChat {
	t.Helper()
	f := &fakeWeChat{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		q := r.URL.Query()
		wantQuery := map[string]string{"appid": testAppID, "secret": testSecret, "grant_type": "authorization_code"}
		for k, want := range wantQuery {
			if got := q.Get(k); got != want {
				t.Errorf("query %s = %q, want %q", k, got, want)
			}
		}
		if r.Method != http.MethodGet || r.URL.Path != "/sns/jscode2session" {
			t.Errorf("request %s %s, want GET /sns/jscode2session", r.Method, r.URL.Path)
		}
		a, ok := answers[q.Get("js_code")]
		if !ok {
			a = answer{body: `{"errcode":40029,"errmsg":"invalid code, rid: 1"}`}
		}
		select {
		case <-time.After(a.delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if a.status != 0 {
			w.WriteHeader(a.status)
		}
		w.Write([]byte(a.body))
	}))
	t.Cleanup(f.Close)
	return f
}

func newTestClient(baseURL string) *Client {
	c := NewClient(testAppID, testSecret)
	c.BaseURL = baseURL
	return c
}

func TestCode2Session(t *testing.T) {
	tests := []struct {
		name    string
		answer  answer
		want    Session
		wantErr error
	}{
		{
			name:   "Success",
			answer: answer{body: `{"openid":"o-1","session_key":"sk-secret-1","unionid":"u-1"}`},
			want:   Session{OpenID: "o-1", UnionID: "u-1"},
		},
		{
			name:   "SuccessWithoutUnionID",
			answer: answer{body: `{"openid":"o-1","session_key":"sk-secret-1"}`},
			want:   Session{OpenID: "o-1"},
		},
		{
			name:    "InvalidCode",
			answer:  answer{body: `{"errcode":40029,"errmsg":"invalid code, rid: 1"}`},
			wantErr: ErrInvalidCode,
		},
		{
			name:    "RateLimited",
			answer:  answer{body: `{"errcode":45011,"errmsg":"api minute-quota reach limit, rid: 2"}`},
			wantErr: ErrRateLimited,
		},
		{
			name:    "HighRisk",
			answer:  answer{body: `{"errcode":40226,"errmsg":"code blocked, rid: 3"}`},
			wantErr: ErrHighRisk,
		},
		{
			name:    "SystemBusy",
			answer:  answer{body: `{"errcode":-1,"errmsg":"system error, rid: 4"}`},
			wantErr: ErrUpstream,
		},
		{
			name:    "HTTP500",
			answer:  answer{status: http.StatusInternalServerError, body: `{"errcode":0}`},
			wantErr: ErrUpstream,
		},
		{
			name:    "NotJSON",
			answer:  answer{body: `<html>bad gateway</html>`},
			wantErr: ErrUpstream,
		},
		{
			name:    "NoOpenID",
			answer:  answer{body: `{"session_key":"sk-secret-1"}`},
			wantErr: ErrUpstream,
		},
		{
			name:    "Timeout",
			answer:  answer{body: `{"openid":"o-1","session_key":"sk-secret-1"}`, delay: time.Second},
			wantErr: ErrUpstream,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const code = "0a3Xyz-code_1"
			f := newFakeWeChat(t, map[string]answer{code: tt.answer})
			c := newTestClient(f.URL)
			c.HTTP.Timeout = 100 * time.Millisecond

			got, err := c.Code2Session(t.Context(), code)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Code2Session error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Code2Session (-want +got):\n%s", diff)
			}
			if err != nil && (strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "sk-secret")) {
				t.Errorf("error %q reveals a secret", err)
			}
		})
	}
}

func TestCode2SessionMalformedCode(t *testing.T) {
	tests := []struct {
		name, code string
	}{
		{"Empty", ""},
		{"TooLong", strings.Repeat("a", maxCodeLen+1)},
		{"Space", "abc def"},
		{"QueryInjection", "abc&appid=other"},
		{"NonASCII", "cödé"},
		{"Newline", "abc\n"},
	}
	f := newFakeWeChat(t, nil)
	c := newTestClient(f.URL)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.Code2Session(t.Context(), tt.code); !errors.Is(err, ErrInvalidCode) {
				t.Errorf("Code2Session(%q) error = %v, want ErrInvalidCode", tt.code, err)
			}
		})
	}
	if n := f.calls.Load(); n != 0 {
		t.Errorf("WeChat was called %d times for malformed codes, want 0", n)
	}
}

// TestCode2SessionUnreachable checks that a transport failure does not put
// the request URL, which holds the secret, into the error.
func TestCode2SessionUnreachable(t *testing.T) {
	f := newFakeWeChat(t, nil)
	c := newTestClient(f.URL)
	f.Close()

	_, err := c.Code2Session(t.Context(), "0a3Xyz")
	if !errors.Is(err, ErrUpstream) {
		t.Fatalf("error = %v, want ErrUpstream", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error %q reveals the secret", err)
	}
}
