package sign

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Window is how far a call's timestamp may be from the verifier's clock,
// either side.
const Window = 5 * time.Minute

// nonceTTL is how long a nonce is remembered: a timestamp at the future
// edge of the window stays acceptable for two windows, and a nonce must be
// refused for as long as its call would otherwise be accepted.
const nonceTTL = 2 * Window

// The reasons a call is refused, each wrapped by an *Error naming the
// header at fault.
var (
	ErrMissingHeader   = errors.New("sign: missing header")
	ErrMalformedHeader = errors.New("sign: malformed header")
	ErrUnknownKey      = errors.New("sign: unknown key")
	ErrRevokedKey      = errors.New("sign: revoked key")
	ErrBadSignature    = errors.New("sign: bad signature")
	ErrStale           = errors.New("sign: timestamp outside the window")
	ErrReplayed        = errors.New("sign: nonce already used")
)

// ErrUnavailable is wrapped by the errors of a KeyRing or NonceStore that
// cannot answer (a database or Redis down): the call is neither accepted
// nor refused, and should be answered 503.
var ErrUnavailable = errors.New("sign: key ring or nonce store unavailable")

// Error is a refusal of a call: Kind is one of the reasons above and Header
// the header at fault.
type Error struct {
	Kind   error
	Header string
}

func (e *Error) Error() string { return e.Kind.Error() + ": " + e.Header }

// Unwrap returns Kind, so that errors.Is(err, ErrReplayed) works.
func (e *Error) Unwrap() error { return e.Kind }

func refuse(kind error, header string) *Error {
	return &Error{Kind: kind, Header: header}
}

// KeyRing finds signing keys.
type KeyRing interface {
	// Key returns the key of id, a revoked one too. An unknown id is an
	// error wrapping ErrUnknownKey; a failure to look, one wrapping
	// ErrUnavailable.
	Key(ctx context.Context, id string) (Key, error)
}

// Caller is who signed a verified call.
type Caller struct {
	KeyID      string
	Integrator string
}

type callerKey struct{}

// NewContext returns ctx carrying c.
func NewContext(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// FromContext returns the caller of a verified call that ctx carries.
func FromContext(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

// Verifier checks inbound calls: headers, timestamp, key, signature and
// nonce, in that order, so that the cheap checks refuse first and only a
// correctly signed call takes a place in the nonce store.
type Verifier struct {
	keys   KeyRing
	nonces NonceStore
	now    func() time.Time
}

// NewVerifier returns a Verifier of the keys in keys whose nonces go in
// nonces, on the clock now (time.Now outside tests).
func NewVerifier(keys KeyRing, nonces NonceStore, now func() time.Time) *Verifier {
	return &Verifier{keys: keys, nonces: nonces, now: now}
}

// Verify checks that r, whose body is body, is signed by a live key within
// the window and was not seen before, and returns who signed it. A refusal
// is an *Error; any other error wraps ErrUnavailable or is the service's
// own fault.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (Caller, error) {
	h, err := parseHeaders(r.Header)
	if err != nil {
		return Caller{}, err
	}
	if skew := v.now().Sub(time.Unix(h.unix, 0)); skew > Window || skew < -Window {
		return Caller{}, refuse(ErrStale, HeaderTimestamp)
	}
	k, err := v.keys.Key(ctx, h.keyID)
	switch {
	case errors.Is(err, ErrUnknownKey):
		return Caller{}, refuse(ErrUnknownKey, HeaderKeyID)
	case err != nil:
		return Caller{}, fmt.Errorf("sign: key %s: %w", h.keyID, err)
	case k.Revoked:
		return Caller{}, refuse(ErrRevokedKey, HeaderKeyID)
	}
	canonical, err := StringToSign(k.Algorithm, r.Method, requestTarget(r), h.timestamp, h.nonce, body)
	if err != nil {
		return Caller{}, fmt.Errorf("sign: key %s: %w", k.ID, err)
	}
	want, err := k.signature(canonical)
	if err != nil {
		return Caller{}, fmt.Errorf("sign: key %s: %w", k.ID, err)
	}
	if !hmac.Equal(want, h.signature) {
		return Caller{}, refuse(ErrBadSignature, HeaderSignature)
	}
	fresh, err := v.nonces.Use(ctx, h.keyID, h.nonce, nonceTTL)
	if err != nil {
		return Caller{}, fmt.Errorf("sign: nonce: %w", err)
	}
	if !fresh {
		return Caller{}, refuse(ErrReplayed, HeaderNonce)
	}
	return Caller{KeyID: k.ID, Integrator: k.Integrator}, nil
}

// requestTarget returns the request target as the client sent it. A
// request in absolute form (through a proxy) is taken as the path and
// query it names, which is what its sender signed.
func requestTarget(r *http.Request) string {
	if t := r.RequestURI; t != "" && t[0] == '/' {
		return t
	}
	return r.URL.RequestURI()
}

// signedHeaders are the signature headers of a call, checked for form.
type signedHeaders struct {
	keyID     string
	timestamp string
	unix      int64
	nonce     string
	signature []byte
}

// maxTimestamp is the number of digits of a timestamp: enough for the
// year 33658, few enough that parsing never overflows.
const maxTimestamp = 12

// parseHeaders reads the four headers, refusing the first missing or
// malformed one in the order of the canonical string.
func parseHeaders(hdr http.Header) (signedHeaders, error) {
	var h signedHeaders
	var err error
	if h.keyID, err = header(hdr, HeaderKeyID); err != nil {
		return signedHeaders{}, err
	}
	if !validKeyID(h.keyID) {
		return signedHeaders{}, refuse(ErrMalformedHeader, HeaderKeyID)
	}
	if h.timestamp, err = header(hdr, HeaderTimestamp); err != nil {
		return signedHeaders{}, err
	}
	if !digits(h.timestamp, maxTimestamp) {
		return signedHeaders{}, refuse(ErrMalformedHeader, HeaderTimestamp)
	}
	h.unix, _ = strconv.ParseInt(h.timestamp, 10, 64) // cannot fail on 12 digits
	if h.nonce, err = header(hdr, HeaderNonce); err != nil {
		return signedHeaders{}, err
	}
	if !validNonce(h.nonce) {
		return signedHeaders{}, refuse(ErrMalformedHeader, HeaderNonce)
	}
	sig, err := header(hdr, HeaderSignature)
	if err != nil {
		return signedHeaders{}, err
	}
	// Both algorithms' HMACs are 32 bytes.
	if h.signature, err = hex.DecodeString(sig); err != nil || len(h.signature) != 32 {
		return signedHeaders{}, refuse(ErrMalformedHeader, HeaderSignature)
	}
	return h, nil
}

// header returns the one value of a header. A header sent twice is
// malformed: which of the two was signed would be a guess.
func header(hdr http.Header, name string) (string, error) {
	vs := hdr.Values(name)
	switch {
	case len(vs) == 0 || vs[0] == "":
		return "", refuse(ErrMissingHeader, name)
	case len(vs) > 1:
		return "", refuse(ErrMalformedHeader, name)
	}
	return vs[0], nil
}

// digits reports whether s is 1 to max decimal digits.
func digits(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
