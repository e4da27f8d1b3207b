// Package sign signs and verifies the HTTP calls between policybot and an
// integrator (the city's enterprise complaint platform), both ways: the
// requests an integrator sends and the webhooks policybot sends.
//
// A call is signed over its method, request target (the path with its raw
// query), a timestamp, a nonce and the body, with HMAC-SHA256 or HMAC-SM3
// (for platforms under 商用密码 rules) as the key says. ../SIGNATURES.md
// is the scheme as the integrator's developers read it, with a worked
// example the tests check.
package sign

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// The headers of a signed call.
const (
	HeaderKeyID     = "X-Policybot-Key-Id"
	HeaderTimestamp = "X-Policybot-Timestamp"
	HeaderNonce     = "X-Policybot-Nonce"
	HeaderSignature = "X-Policybot-Signature"
)

// Algorithm is how a key signs: HMAC over a hash, which also hashes the
// body.
type Algorithm string

// The algorithms.
const (
	HMACSHA256 Algorithm = "hmac-sha256"
	HMACSM3    Algorithm = "hmac-sm3"
)

// ErrUnknownAlgorithm is returned for an algorithm other than HMACSHA256
// and HMACSM3.
var ErrUnknownAlgorithm = errors.New("sign: unknown algorithm: want hmac-sha256 or hmac-sm3")

// newHash returns the hash of a, or nil for an unknown algorithm.
func (a Algorithm) newHash() func() hash.Hash {
	switch a {
	case HMACSHA256:
		return sha256.New
	case HMACSM3:
		return sm3.New
	}
	return nil
}

// Valid returns ErrUnknownAlgorithm unless a is HMACSHA256 or HMACSM3.
func (a Algorithm) Valid() error {
	if a.newHash() == nil {
		return fmt.Errorf("%w: %q", ErrUnknownAlgorithm, string(a))
	}
	return nil
}

// Key is an integrator's signing key. Secret is the HMAC key: the secret's
// text exactly as the integrator was given it, not anything decoded from it.
type Key struct {
	ID         string
	Integrator string
	Algorithm  Algorithm
	Secret     []byte
	Revoked    bool
}

// StringToSign returns the canonical string of a call, which its signature
// signs: the method, the request target, the timestamp and the nonce as
// sent, and the lower-case hex of the body's hash, one per line with no
// line break at the end.
func StringToSign(alg Algorithm, method, target, timestamp, nonce string, body []byte) (string, error) {
	newHash := alg.newHash()
	if newHash == nil {
		return "", fmt.Errorf("%w: %q", ErrUnknownAlgorithm, string(alg))
	}
	h := newHash()
	h.Write(body)
	return strings.Join([]string{method, target, timestamp, nonce, hex.EncodeToString(h.Sum(nil))}, "\n"), nil
}

// signature returns the HMAC of canonical under k.
func (k Key) signature(canonical string) ([]byte, error) {
	newHash := k.Algorithm.newHash()
	if newHash == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownAlgorithm, string(k.Algorithm))
	}
	if len(k.Secret) == 0 {
		return nil, errors.New("sign: a key without a secret")
	}
	mac := hmac.New(newHash, k.Secret)
	mac.Write([]byte(canonical))
	return mac.Sum(nil), nil
}

// Signature returns the lower-case hex of the HMAC of canonical under k,
// as the signature header carries it.
func (k Key) Signature(canonical string) (string, error) {
	sig, err := k.signature(canonical)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sig), nil
}

// Sign signs an outbound call to be sent with exactly body as its body,
// now and with a fresh nonce, setting the four headers on req.
func Sign(req *http.Request, body []byte, k Key) error {
	return SignAt(req, body, k, time.Now(), NewNonce())
}

// SignAt is Sign at a given time with a given nonce, for tests and for
// examples that must come out the same every time.
func SignAt(req *http.Request, body []byte, k Key, at time.Time, nonce string) error {
	if !validNonce(nonce) {
		return fmt.Errorf("sign: nonce %q: want %d to %d characters of A-Z, a-z, 0-9, _ and -", nonce, minNonce, maxNonce)
	}
	if !validKeyID(k.ID) {
		return fmt.Errorf("sign: key id %q: want 1 to %d characters of A-Z, a-z, 0-9, _ and -", k.ID, maxKeyID)
	}
	timestamp := strconv.FormatInt(at.Unix(), 10)
	canonical, err := StringToSign(k.Algorithm, req.Method, req.URL.RequestURI(), timestamp, nonce, body)
	if err != nil {
		return err
	}
	sig, err := k.Signature(canonical)
	if err != nil {
		return err
	}
	req.Header.Set(HeaderKeyID, k.ID)
	req.Header.Set(HeaderTimestamp, timestamp)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, sig)
	return nil
}

// NewNonce returns a nonce of 128 random bits, in 22 characters.
func NewNonce() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: it crashes the program rather than return short
	return base64.RawURLEncoding.EncodeToString(b)
}

// The lengths of the nonce and the key id headers.
const (
	minNonce = 16
	maxNonce = 64
	maxKeyID = 64
)

func validNonce(s string) bool {
	return len(s) >= minNonce && len(s) <= maxNonce && token(s)
}

func validKeyID(s string) bool {
	return len(s) >= 1 && len(s) <= maxKeyID && token(s)
}

// token reports whether s is made of A-Z, a-z, 0-9, _ and - only, the
// characters of base64url, which need no escaping in a header, a log line
// or a Redis key.
func token(s string) bool {
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
