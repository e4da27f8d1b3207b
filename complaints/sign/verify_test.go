package sign_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"policybot/complaints/sign"
)

// ring is a KeyRing of fixed keys.
type ring map[string]sign.Key

func (r ring) Key(_ context.Context, id string) (sign.Key, error) {
	k, ok := r[id]
	if !ok {
		return sign.Key{}, fmt.Errorf("key %s: %w", id, sign.ErrUnknownKey)
	}
	return k, nil
}

// failing is a KeyRing and NonceStore whose backing service is down.
type failing struct{}

var errDown = fmt.Errorf("%w: database down", sign.ErrUnavailable)

func (failing) Key(context.Context, string) (sign.Key, error) { return sign.Key{}, errDown }
func (failing) Use(context.Context, string, string, time.Duration) (bool, error) {
	return false, errDown
}

var (
	now      = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	sha256K  = sign.Key{ID: "pbk_sha", Integrator: "gz12345", Algorithm: sign.HMACSHA256, Secret: []byte("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")}
	sm3K     = sign.Key{ID: "pbk_sm3", Integrator: "gz12345", Algorithm: sign.HMACSM3, Secret: []byte("HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4")}
	revokedK = sign.Key{ID: "pbk_old", Integrator: "gz12345", Algorithm: sign.HMACSHA256, Secret: []byte("old secret"), Revoked: true}
	keys     = ring{sha256K.ID: sha256K, sm3K.ID: sm3K, revokedK.ID: revokedK}
)

const (
	target = "/v1/integrations/complaints?source=12345&b=%E6%8A%95%E8%AF%89"
	body   = `{"ticket_id":"GZ-0001","text":"奖励一直没有兑现"}`
	nonce  = "0123456789abcdef"
)

// signed returns a request as a server receives it, signed by k at `at`.
func signed(t *testing.T, k sign.Key, at time.Time, nonce string) *http.Request {
	t.Helper()
	out, err := http.NewRequest(http.MethodPost, "https://policybot.example"+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := sign.SignAt(out, []byte(body), k, at, nonce); err != nil {
		t.Fatalf("SignAt: %v", err)
	}
	in := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	in.Header = out.Header.Clone()
	return in
}

func newVerifier() *sign.Verifier {
	return sign.NewVerifier(keys, sign.NewMemoryNonces(func() time.Time { return now }), func() time.Time { return now })
}

func TestVerifyAccepts(t *testing.T) {
	for _, k := range []sign.Key{sha256K, sm3K} {
		for _, skew := range []time.Duration{0, -sign.Window, sign.Window, -time.Minute} {
			t.Run(fmt.Sprintf("%s/%v", k.Algorithm, skew), func(t *testing.T) {
				r := signed(t, k, now.Add(skew), nonce)
				got, err := newVerifier().Verify(t.Context(), r, []byte(body))
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if want := (sign.Caller{KeyID: k.ID, Integrator: "gz12345"}); got != want {
					t.Errorf("Verify = %+v, want %+v", got, want)
				}
			})
		}
	}
}

// TestSignUsesNowAndFreshNonce checks Sign itself, whose time and nonce
// are its own.
func TestSignUsesNowAndFreshNonce(t *testing.T) {
	var nonces []string
	for range 2 {
		out, _ := http.NewRequest(http.MethodPost, "https://platform.example/webhooks/policybot", strings.NewReader(body))
		if err := sign.Sign(out, []byte(body), sha256K); err != nil {
			t.Fatal(err)
		}
		in := httptest.NewRequest(http.MethodPost, "/webhooks/policybot", strings.NewReader(body))
		in.Header = out.Header
		v := sign.NewVerifier(keys, sign.NewMemoryNonces(time.Now), time.Now)
		if _, err := v.Verify(t.Context(), in, []byte(body)); err != nil {
			t.Errorf("Verify of what Sign signed: %v", err)
		}
		nonces = append(nonces, out.Header.Get(sign.HeaderNonce))
	}
	if nonces[0] == nonces[1] {
		t.Errorf("two calls of Sign used one nonce %q", nonces[0])
	}
}

func TestVerifyRefuses(t *testing.T) {
	set := func(name, value string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set(name, value) }
	}
	del := func(name string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Del(name) }
	}
	validSig := func() string { return signed(t, sha256K, now, nonce).Header.Get(sign.HeaderSignature) }
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		edit   func(*http.Request)
		body   string
		kind   error
		header string
	}{
		{"NoKeyID", nil, del(sign.HeaderKeyID), body, sign.ErrMissingHeader, sign.HeaderKeyID},
		{"NoTimestamp", nil, del(sign.HeaderTimestamp), body, sign.ErrMissingHeader, sign.HeaderTimestamp},
		{"NoNonce", nil, del(sign.HeaderNonce), body, sign.ErrMissingHeader, sign.HeaderNonce},
		{"NoSignature", nil, del(sign.HeaderSignature), body, sign.ErrMissingHeader, sign.HeaderSignature},
		{"EmptySignature", nil, set(sign.HeaderSignature, ""), body, sign.ErrMissingHeader, sign.HeaderSignature},
		{"NoHeadersAtAll", nil, func(r *http.Request) { r.Header = http.Header{} }, body, sign.ErrMissingHeader, sign.HeaderKeyID},
		{"KeyIDWithColon", nil, set(sign.HeaderKeyID, "pbk:sha"), body, sign.ErrMalformedHeader, sign.HeaderKeyID},
		{"KeyIDTooLong", nil, set(sign.HeaderKeyID, strings.Repeat("k", 65)), body, sign.ErrMalformedHeader, sign.HeaderKeyID},
		{"TimestampInMilliseconds", nil, set(sign.HeaderTimestamp, "1767254400000"), body, sign.ErrMalformedHeader, sign.HeaderTimestamp},
		{"TimestampRFC3339", nil, set(sign.HeaderTimestamp, "2026-01-01T08:00:00Z"), body, sign.ErrMalformedHeader, sign.HeaderTimestamp},
		{"TimestampNegative", nil, set(sign.HeaderTimestamp, "-1767254400"), body, sign.ErrMalformedHeader, sign.HeaderTimestamp},
		{"NonceTooShort", nil, set(sign.HeaderNonce, "0123456789abcde"), body, sign.ErrMalformedHeader, sign.HeaderNonce},
		{"NonceTooLong", nil, set(sign.HeaderNonce, strings.Repeat("n", 65)), body, sign.ErrMalformedHeader, sign.HeaderNonce},
		{"NonceWithSpace", nil, set(sign.HeaderNonce, "0123456789 abcdef"), body, sign.ErrMalformedHeader, sign.HeaderNonce},
		{"SignatureNotHex", nil, set(sign.HeaderSignature, strings.Repeat("zz", 32)), body, sign.ErrMalformedHeader, sign.HeaderSignature},
		{"SignatureShort", nil, set(sign.HeaderSignature, strings.Repeat("ab", 20)), body, sign.ErrMalformedHeader, sign.HeaderSignature},
		{"SignatureOddLength", nil, func(r *http.Request) { r.Header.Set(sign.HeaderSignature, validSig()+"0") }, body, sign.ErrMalformedHeader, sign.HeaderSignature},
		{"SignatureBase64", nil, set(sign.HeaderSignature, "sYnH6Z3Q0uF7o1iQv0c2sYnH6Z3Q0uF7o1iQv0c2sYk="), body, sign.ErrMalformedHeader, sign.HeaderSignature},
		{"NonceTwice", nil, func(r *http.Request) { r.Header.Add(sign.HeaderNonce, "fedcba9876543210") }, body, sign.ErrMalformedHeader, sign.HeaderNonce},
		{"UnknownKey", nil, set(sign.HeaderKeyID, "pbk_nobody"), body, sign.ErrUnknownKey, sign.HeaderKeyID},
		{"RevokedKey", func(t *testing.T) *http.Request { return signed(t, revokedK, now, nonce) }, nil, body, sign.ErrRevokedKey, sign.HeaderKeyID},
		{"BodyChanged", nil, nil, strings.Replace(body, "GZ-0001", "GZ-0002", 1), sign.ErrBadSignature, sign.HeaderSignature},
		{"BodyEmptied", nil, nil, "", sign.ErrBadSignature, sign.HeaderSignature},
		{"MethodChanged", nil, func(r *http.Request) { r.Method = http.MethodPut }, body, sign.ErrBadSignature, sign.HeaderSignature},
		{"PathChanged", nil, func(r *http.Request) { r.RequestURI = strings.Replace(target, "complaints", "complaint", 1) }, body, sign.ErrBadSignature, sign.HeaderSignature},
		{"QueryChanged", nil, func(r *http.Request) { r.RequestURI = strings.Replace(target, "12345", "12346", 1) }, body, sign.ErrBadSignature, sign.HeaderSignature},
		{"QueryDecoded", nil, func(r *http.Request) { r.RequestURI = "/v1/integrations/complaints?source=12345&b=投诉" }, body, sign.ErrBadSignature, sign.HeaderSignature},
		{"TimestampChanged", nil, set(sign.HeaderTimestamp, fmt.Sprint(now.Unix()+1)), body, sign.ErrBadSignature, sign.HeaderSignature},
		{"NonceChanged", nil, set(sign.HeaderNonce, "fedcba9876543210"), body, sign.ErrBadSignature, sign.HeaderSignature},
		{"OtherKeysSecret", nil, set(sign.HeaderKeyID, sm3K.ID), body, sign.ErrBadSignature, sign.HeaderSignature},
		{"SignatureFlipped", nil, func(r *http.Request) {
			s := []byte(r.Header.Get(sign.HeaderSignature))
			s[0] ^= 1
			r.Header.Set(sign.HeaderSignature, string(s))
		}, body, sign.ErrBadSignature, sign.HeaderSignature},
		{"TooOld", func(t *testing.T) *http.Request { return signed(t, sha256K, now.Add(-sign.Window-time.Second), nonce) }, nil, body, sign.ErrStale, sign.HeaderTimestamp},
		{"TooNew", func(t *testing.T) *http.Request { return signed(t, sha256K, now.Add(sign.Window+time.Second), nonce) }, nil, body, sign.ErrStale, sign.HeaderTimestamp},
		{"Zero", nil, set(sign.HeaderTimestamp, "0"), body, sign.ErrStale, sign.HeaderTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *http.Request
			if tt.req != nil {
				r = tt.req(t)
			} else {
				r = signed(t, sha256K, now, nonce)
			}
			if tt.edit != nil {
				tt.edit(r)
			}
			_, err := newVerifier().Verify(t.Context(), r, []byte(tt.body))
			wantRefusal(t, err, tt.kind, tt.header)
		})
	}
}

func wantRefusal(t *testing.T, err error, kind error, header string) {
	t.Helper()
	var se *sign.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *sign.Error", err)
	}
	if !errors.Is(err, kind) || se.Header != header {
		t.Errorf("error = %v, want %v of header %s", err, kind, header)
	}
}

func TestVerifyRefusesReplay(t *testing.T) {
	v := newVerifier()
	if _, err := v.Verify(t.Context(), signed(t, sha256K, now, nonce), []byte(body)); err != nil {
		t.Fatalf("first Verify: %v", err)
	}
	_, err := v.Verify(t.Context(), signed(t, sha256K, now, nonce), []byte(body))
	wantRefusal(t, err, sign.ErrReplayed, sign.HeaderNonce)
	// The nonce belongs to its key: the other key may use it.
	if _, err := v.Verify(t.Context(), signed(t, sm3K, now, nonce), []byte(body)); err != nil {
		t.Errorf("the same nonce with another key: %v", err)
	}
}

// TestVerifyRefusalsTakeNoNonce checks that a refused call leaves its
// nonce free: a stranger's forgery cannot burn the nonce of a real call.
func TestVerifyRefusalsTakeNoNonce(t *testing.T) {
	v := newVerifier()
	forged := signed(t, sha256K, now, nonce)
	forged.Header.Set(sign.HeaderSignature, strings.Repeat("00", 32))
	if _, err := v.Verify(t.Context(), forged, []byte(body)); !errors.Is(err, sign.ErrBadSignature) {
		t.Fatalf("forged call: %v, want ErrBadSignature", err)
	}
	if _, err := v.Verify(t.Context(), signed(t, sha256K, now, nonce), []byte(body)); err != nil {
		t.Errorf("the real call after a forgery with its nonce: %v", err)
	}
}

func TestVerifyUnavailable(t *testing.T) {
	clock := func() time.Time { return now }
	for name, v := range map[string]*sign.Verifier{
		"KeyRing":    sign.NewVerifier(failing{}, sign.NewMemoryNonces(clock), clock),
		"NonceStore": sign.NewVerifier(keys, failing{}, clock),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := v.Verify(t.Context(), signed(t, sha256K, now, nonce), []byte(body))
			var se *sign.Error
			if !errors.Is(err, sign.ErrUnavailable) || errors.As(err, &se) {
				t.Errorf("error = %v, want one wrapping ErrUnavailable and no refusal", err)
			}
		})
	}
}

func TestSignAtRefuses(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "https://platform.example/", nil)
	tests := []struct {
		name  string
		key   sign.Key
		nonce string
	}{
		{"ShortNonce", sha256K, "short"},
		{"NoKeyID", sign.Key{Algorithm: sign.HMACSHA256, Secret: []byte("s")}, nonce},
		{"UnknownAlgorithm", sign.Key{ID: "k", Algorithm: "hmac-md5", Secret: []byte("s")}, nonce},
		{"NoSecret", sign.Key{ID: "k", Algorithm: sign.HMACSHA256}, nonce},
	}
	for _, tt := range tests {
		if err := sign.SignAt(r, nil, tt.key, now, tt.nonce); err == nil {
			t.Errorf("%s: SignAt succeeded, want an error", tt.name)
		}
	}
	if len(r.Header) != 0 {
		t.Errorf("failed signings set headers: %v", r.Header)
	}
}

func TestCallerContext(t *testing.T) {
	if _, ok := sign.FromContext(t.Context()); ok {
		t.Error("FromContext of a bare context found a caller")
	}
	c := sign.Caller{KeyID: "pbk_sha", Integrator: "gz12345"}
	if got, ok := sign.FromContext(sign.NewContext(t.Context(), c)); !ok || got != c {
		t.Errorf("FromContext = %+v, %v; want %+v", got, ok, c)
	}
}
