package wechat

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/session"
	"policybot/session/storetest"
)

const (
	tokenTTL       = time.Hour
	tokenMaxAge    = 24 * time.Hour
	goodCode       = "good-code"
	testOpenID     = "o-user-1"
	testSessionKey = "sk-secret-key"
)

var loginAnswers = map[string]answer{
	goodCode:     {body: `{"openid":"` + testOpenID + `","unionid":"u-1","session_key":"` + testSessionKey + `"}`},
	"risky-code": {body: `{"errcode":40226,"errmsg":"code blocked"}`},
}

// newTestAuth returns an Auth on a fake WeChat and a Memory token store.
func newTestAuth(t *testing.T) (*Auth, *session.Memory, *storetest.FakeClock) {
	t.Helper()
	clock := storetest.NewFakeClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	tokens := session.NewMemory(tokenTTL, clock.Now)
	f := newFakeWeChat(t, loginAnswers)
	return NewAuth(newTestClient(f.URL), tokens, tokenMaxAge, clock.Now), tokens, clock
}

func TestLoginResolve(t *testing.T) {
	tests := []struct {
		name   string
		tokens func(t *testing.T) session.Store
	}{
		{"Memory", func(*testing.T) session.Store { return session.NewMemory(tokenTTL, time.Now) }},
		{"Redis", func(t *testing.T) session.Store { return storetest.MustRedis(t, tokenTTL) }},
		{"RedisCluster", func(t *testing.T) session.Store {
			return storetest.MustRedisAt(t, storetest.RedisClusterURL(t), tokenTTL)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeWeChat(t, loginAnswers)
			a := NewAuth(newTestClient(f.URL), tt.tokens(t), tokenMaxAge, time.Now)
			ctx := t.Context()

			token, err := a.Login(ctx, goodCode)
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != tokenBytes {
				t.Errorf("token %q is not %d base64url-encoded bytes", token, tokenBytes)
			}
			if strings.Contains(token, testOpenID) || strings.Contains(token, testSessionKey) {
				t.Errorf("token %q carries the openid or session_key", token)
			}

			openID, err := a.Resolve(ctx, token)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if openID != testOpenID {
				t.Errorf("Resolve = %q, want %q", openID, testOpenID)
			}

			again, err := a.Login(ctx, goodCode)
			if err != nil {
				t.Fatalf("second Login: %v", err)
			}
			if again == token {
				t.Error("two logins returned the same token")
			}
		})
	}
}

// TestLoginStoresRecord checks that a token is kept under its SHA-256, never
// under its own value, and that its record holds neither the token nor
// WeChat's session_key.
func TestLoginStoresRecord(t *testing.T) {
	a, tokens, clock := newTestAuth(t)
	token, err := a.Login(t.Context(), goodCode)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if _, err := tokens.Get(t.Context(), token); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("a record is kept under the token itself (err %v)", err)
	}
	sum := sha256.Sum256([]byte(token))
	raw, err := tokens.Get(t.Context(), hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatalf("no record under the token's SHA-256: %v", err)
	}
	if strings.Contains(string(raw), testSessionKey) || strings.Contains(string(raw), token) {
		t.Errorf("record %s holds the session_key or the token", raw)
	}
	var got tokenRecord
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("decode record %s: %v", raw, err)
	}
	want := tokenRecord{OpenID: testOpenID, UnionID: "u-1", Created: clock.Now()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored record (-want +got):\n%s", diff)
	}
}

// TestTokenLifetime checks that a token used within its idle TTL keeps
// working until its absolute lifetime, and fails from then on.
func TestTokenLifetime(t *testing.T) {
	a, _, clock := newTestAuth(t)
	token, err := a.Login(t.Context(), goodCode)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	step := tokenTTL - time.Minute
	for used := time.Duration(0); used+step < tokenMaxAge; used += step {
		if _, err := a.Resolve(t.Context(), token); err != nil {
			t.Fatalf("Resolve after %v: %v", used, err)
		}
		clock.Advance(step)
	}
	clock.Advance(step)
	if _, err := a.Resolve(t.Context(), token); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("Resolve past the absolute lifetime = %v, want ErrUnauthorized", err)
	}
}

// TestLogout checks that a token fails once logged out, that logging out
// again or with junk is no error, and that other tokens still work.
func TestLogout(t *testing.T) {
	a, _, _ := newTestAuth(t)
	ctx := t.Context()
	token, err := a.Login(ctx, goodCode)
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.Login(ctx, goodCode)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{token, token, "junk", ""} {
		if err := a.Logout(ctx, tok); err != nil {
			t.Errorf("Logout(%q) = %v", tok, err)
		}
	}
	if _, err := a.Resolve(ctx, token); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Resolve after logout = %v, want ErrUnauthorized", err)
	}
	if _, err := a.Resolve(ctx, other); err != nil {
		t.Errorf("Resolve of another token after logout = %v", err)
	}
	if err := NewAuth(a.client, failingStore{}, tokenMaxAge, time.Now).Logout(ctx, token); !errors.Is(err, session.ErrUnavailable) {
		t.Errorf("Logout with the store down = %v, want ErrUnavailable", err)
	}
}

// failingStore is a token store whose backing service is down.
type failingStore struct{}

var errDown = fmt.Errorf("%w: dial tcp: connection refused", session.ErrUnavailable)

func (failingStore) Get(context.Context, string) ([]byte, error) { return nil, errDown }
func (failingStore) Update(context.Context, string, func([]byte) ([]byte, error)) error {
	return errDown
}
func (failingStore) Delete(context.Context, string) error { return errDown }
func (failingStore) Ping(context.Context) error           { return errDown }

// refusingStore fails the test if Login tries to store a token.
type refusingStore struct {
	failingStore
	t *testing.T
}

func (s refusingStore) Update(context.Context, string, func([]byte) ([]byte, error)) error {
	s.t.Error("Login stored a token after a failed code exchange")
	return nil
}

func TestLoginErrors(t *testing.T) {
	tests := []struct {
		name    string
		code    string
		tokens  func(t *testing.T) session.Store
		wantErr error
	}{
		{"InvalidCode", "used-code", func(t *testing.T) session.Store { return refusingStore{t: t} }, ErrInvalidCode},
		{"MalformedCode", "bad code", func(t *testing.T) session.Store { return refusingStore{t: t} }, ErrInvalidCode},
		{"HighRisk", "risky-code", func(t *testing.T) session.Store { return refusingStore{t: t} }, ErrHighRisk},
		{"StoreDown", goodCode, func(*testing.T) session.Store { return failingStore{} }, session.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeWeChat(t, loginAnswers)
			a := NewAuth(newTestClient(f.URL), tt.tokens(t), tokenMaxAge, time.Now)
			token, err := a.Login(t.Context(), tt.code)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Login error = %v, want %v", err, tt.wantErr)
			}
			if token != "" {
				t.Errorf("Login returned token %q with an error", token)
			}
			if strings.Contains(err.Error(), testSessionKey) || strings.Contains(err.Error(), testSecret) {
				t.Errorf("error %q reveals a secret", err)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	a, tokens, clock := newTestAuth(t)
	ctx := t.Context()
	login := func() string {
		t.Helper()
		token, err := a.Login(ctx, goodCode)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		return token
	}
	expired := login()
	clock.Advance(tokenTTL + time.Second)
	valid := login()
	deleted := login()
	if err := tokens.Delete(ctx, tokenKey(deleted)); err != nil {
		t.Fatal(err)
	}
	corrupt := newToken()
	if err := tokens.Update(ctx, tokenKey(corrupt), func([]byte) ([]byte, error) { return []byte("{"), nil }); err != nil {
		t.Fatal(err)
	}

	// A token of the old form: its record under its own value, with the
	// session_key in clear.
	oldForm := newToken()
	oldRecord := `{"openid":"` + testOpenID + `","session_key":"` + testSessionKey + `","created":"2026-03-04T05:06:07Z"}`
	if err := tokens.Update(ctx, oldForm, func([]byte) ([]byte, error) { return []byte(oldRecord), nil }); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		auth    *Auth
		token   string
		wantErr error // nil for an error that is neither sentinel
	}{
		{"OldForm", a, oldForm, ErrUnauthorized},
		{"Empty", a, "", ErrUnauthorized},
		{"Short", a, valid[:20], ErrUnauthorized},
		{"NotBase64", a, strings.Repeat("*", len(valid)), ErrUnauthorized},
		{"OpenID", a, testOpenID, ErrUnauthorized},
		{"Unknown", a, newToken(), ErrUnauthorized},
		{"Expired", a, expired, ErrUnauthorized},
		{"Deleted", a, deleted, ErrUnauthorized},
		{"StoreDown", NewAuth(a.client, failingStore{}, tokenMaxAge, time.Now), valid, session.ErrUnavailable},
		{"CorruptRecord", a, corrupt, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			openID, err := tt.auth.Resolve(ctx, tt.token)
			if err == nil {
				t.Fatalf("Resolve = %q, want an error", openID)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Resolve error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && (errors.Is(err, ErrUnauthorized) || errors.Is(err, session.ErrUnavailable)) {
				t.Errorf("Resolve error = %v, want an internal error", err)
			}
			if strings.Contains(err.Error(), testSessionKey) {
				t.Errorf("error %q reveals the session_key", err)
			}
		})
	}

	if openID, err := a.Resolve(ctx, valid); err != nil || openID != testOpenID {
		t.Errorf("Resolve(valid) after the others = %q, %v; want %q", openID, err, testOpenID)
	}
}

// FuzzResolve checks that no token a client can send crashes Resolve, reveals
// the session_key, or resolves unless it is the one issued.
func FuzzResolve(f *testing.F) {
	clock := storetest.NewFakeClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	tokens := session.NewMemory(tokenTTL, clock.Now)
	wechat := newFakeWeChat(f, loginAnswers)
	a := NewAuth(newTestClient(wechat.URL), tokens, tokenMaxAge, clock.Now)
	issued, err := a.Login(context.Background(), goodCode)
	if err != nil {
		f.Fatalf("Login: %v", err)
	}
	for _, seed := range []string{"", issued, issued[1:] + "A", testOpenID, strings.Repeat("_", tokenLen), "\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		openID, err := a.Resolve(context.Background(), token)
		if token == issued {
			if err != nil || openID != testOpenID {
				t.Fatalf("Resolve(issued) = %q, %v", openID, err)
			}
			return
		}
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("Resolve(%q) = %q, %v; want ErrUnauthorized", token, openID, err)
		}
		if strings.Contains(err.Error(), testSessionKey) {
			t.Fatalf("error %q reveals the session_key", err)
		}
	})
}
