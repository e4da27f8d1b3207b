package wechat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"policybot/session"
)

// ErrUnauthorized is returned by Resolve for a token that is malformed,
// unknown, expired or revoked: the user must log in again.
var ErrUnauthorized = errors.New("wechat: unauthorized")

// tokenBytes is the randomness in a token: 256 bits, 43 base64url characters.
const tokenBytes = 32

var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// Auth logs mini-program users in and tells who holds a token.
//
// A token is kept only as its SHA-256 hash, so that a listing of the store's
// keys is no list of tokens that work. WeChat's session_key is not kept at
// all: nothing of ours decrypts what a user shares or signs, so holding it
// would only be a secret to lose.
type Auth struct {
	client *Client
	tokens session.Store
	maxAge time.Duration
	now    func() time.Time
}

// NewAuth returns an Auth that exchanges codes with client and keeps tokens in
// tokens, a store of their own whose TTL is how long an idle token lives.
// maxAge is the absolute lifetime of a token, however often it is used; now
// (usually time.Now) dates the tokens.
func NewAuth(client *Client, tokens session.Store, maxAge time.Duration, now func() time.Time) *Auth {
	return &Auth{client: client, tokens: tokens, maxAge: maxAge, now: now}
}

// tokenRecord is what the tokens store holds for a token.
type tokenRecord struct {
	OpenID  string    `json:"openid"`
	UnionID string    `json:"unionid,omitempty"`
	Created time.Time `json:"created"`
}

// tokenKey is where a token's record is kept: the hex of its SHA-256. A
// token is 256 random bits, so a plain hash is enough; no salt or slow hash
// is needed against guessing.
func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Login exchanges the code from wx.login and returns a new opaque token for
// the user, to be sent back as "Authorization: Bearer <token>". Its errors are
// those of Code2Session, or wrap session.ErrUnavailable when the token cannot
// be stored.
func (a *Auth) Login(ctx context.Context, code string) (string, error) {
	s, err := a.client.Code2Session(ctx, code)
	if err != nil {
		return "", err
	}
	rec, err := json.Marshal(tokenRecord{OpenID: s.OpenID, UnionID: s.UnionID, Created: a.now().UTC()})
	if err != nil {
		return "", fmt.Errorf("wechat: login: encode token record: %w", err)
	}
	token := newToken()
	if err := a.tokens.Update(ctx, tokenKey(token), func([]byte) ([]byte, error) { return rec, nil }); err != nil {
		return "", fmt.Errorf("wechat: login: store token: %w", err)
	}
	return token, nil
}

// Resolve returns the openid of the user who holds token, and keeps the token
// alive for another TTL unless it is past its absolute lifetime, when it is
// revoked. It returns ErrUnauthorized for a malformed, unknown, expired or
// revoked token, and an error wrapping session.ErrUnavailable when the store
// is down.
//
// Tokens issued before tokens were hashed are stored under their own value,
// which Resolve never looks up: they are unknown, and their holders log in
// again. Their records expire after the idle TTL, since nothing reads them.
func (a *Auth) Resolve(ctx context.Context, token string) (string, error) {
	if !wellFormed(token) {
		return "", fmt.Errorf("%w: malformed token", ErrUnauthorized)
	}
	key := tokenKey(token)
	raw, err := a.tokens.Get(ctx, key)
	if errors.Is(err, session.ErrNotFound) {
		return "", fmt.Errorf("%w: unknown or expired token", ErrUnauthorized)
	}
	if err != nil {
		return "", fmt.Errorf("wechat: resolve: %w", err)
	}
	var rec tokenRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return "", fmt.Errorf("wechat: resolve: decode token record: %w", err)
	}
	if rec.OpenID == "" {
		return "", errors.New("wechat: resolve: token record without openid")
	}
	// A record without a date is as old as can be.
	if !a.now().Before(rec.Created.Add(a.maxAge)) {
		if err := a.tokens.Delete(ctx, key); err != nil {
			return "", fmt.Errorf("wechat: resolve: revoke a token past its lifetime: %w", err)
		}
		return "", fmt.Errorf("%w: token past its absolute lifetime", ErrUnauthorized)
	}
	return rec.OpenID, nil
}

// Logout revokes token on every replica sharing the store. A malformed,
// unknown or already revoked token is not an error: it works no more either
// way, and a client retrying a logout whose answer it lost must not be told
// otherwise. The error wraps session.ErrUnavailable when the store is down.
func (a *Auth) Logout(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	if err := a.tokens.Delete(ctx, tokenKey(token)); err != nil {
		return fmt.Errorf("wechat: logout: %w", err)
	}
	return nil
}

// wellFormed reports whether token can be one of ours, so that junk is
// turned away before it costs a store round trip.
func wellFormed(token string) bool {
	if len(token) != tokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(token)
	return err == nil
}

func newToken() string {
	b := make([]byte, tokenBytes)
	// Since Go 1.24 crypto/rand.Read never returns an error: it crashes the
	// program rather than hand out predictable bytes.
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
