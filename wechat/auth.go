package wechat

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"policybot/session"
)

// ErrUnauthorized is returned by Resolve for a token that is malformed,
// unknown or expired: the user must log in again.
var ErrUnauthorized = errors.New("wechat: unauthorized")

// tokenBytes is the randomness in a token: 256 bits, 43 base64url characters.
const tokenBytes = 32

var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// Auth logs mini-program users in and tells who holds a token.
type Auth struct {
	client *Client
	tokens session.Store
	now    func() time.Time
}

// NewAuth returns an Auth that exchanges codes with client and keeps tokens in
// tokens, a store of their own whose TTL is how long an idle token lives. now
// (usually time.Now) dates the tokens.
func NewAuth(client *Client, tokens session.Store, now func() time.Time) *Auth {
	return &Auth{client: client, tokens: tokens, now: now}
}

// tokenRecord is what the tokens store holds for a token. The session_key is
// kept for later server-side work, such as decrypting data the user shares.
type tokenRecord struct {
	OpenID     string    `json:"openid"`
	UnionID    string    `json:"unionid,omitempty"`
	SessionKey string    `json:"session_key"`
	Created    time.Time `json:"created"`
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
	rec, err := json.Marshal(tokenRecord{
		OpenID:     s.OpenID,
		UnionID:    s.UnionID,
		SessionKey: s.SessionKey,
		Created:    a.now().UTC(),
	})
	if err != nil {
		return "", fmt.Errorf("wechat: login: encode token record: %w", err)
	}
	token := newToken()
	if err := a.tokens.Update(ctx, token, func([]byte) ([]byte, error) { return rec, nil }); err != nil {
		return "", fmt.Errorf("wechat: login: store token: %w", err)
	}
	return token, nil
}

// Resolve returns the openid of the user who holds token, and keeps the token
// alive for another TTL. It returns ErrUnauthorized for a malformed, unknown or
// expired token, and an error wrapping session.ErrUnavailable when the store
// is down.
func (a *Auth) Resolve(ctx context.Context, token string) (string, error) {
	// Junk is turned away before it costs a store round trip.
	if len(token) != tokenLen {
		return "", fmt.Errorf("%w: malformed token", ErrUnauthorized)
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(token); err != nil {
		return "", fmt.Errorf("%w: malformed token", ErrUnauthorized)
	}
	raw, err := a.tokens.Get(ctx, token)
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
	return rec.OpenID, nil
}

func newToken() string {
	b := make([]byte, tokenBytes)
	// Since Go 1.24 crypto/rand.Read never returns an error: it crashes the
	// program rather than hand out predictable bytes.
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
