package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"
)

// Session is a signed-in browser session of the console. It ends at
// ExpiresAt however much it is used, so a stolen cookie does not last.
type Session struct {
	Staff Staff
	// CSRFToken is put in every form of the session and checked on every
	// post.
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// tokenBytes is the size of session and CSRF tokens: 256 random bits.
const tokenBytes = 32

// newToken returns a random token as unpadded URL-safe base64.
func newToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails: it crashes the program rather than return short
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash returns the key a session is kept under, or false for text
// that is not a token, which then needs no query. A token has 256 random
// bits, so a fast hash is enough: nothing is left to guess.
func tokenHash(token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenBytes {
		return nil, false
	}
	h := sha256.Sum256([]byte(token))
	return h[:], true
}

// CreateSession starts a session of an active staff member.
func (s *DB) CreateSession(ctx context.Context, username string, ttl time.Duration) (string, Session, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if ttl <= 0 {
		return "", Session{}, invalid("ttl", "a session needs a positive lifetime")
	}
	token := newToken()
	hash, _ := tokenHash(token)
	now := s.clock()
	sess := Session{CSRFToken: newToken(), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	res, err := s.db.ExecContext(ctx, `INSERT INTO console_sessions (token_hash, username, csrf_token, created_at, expires_at)
		SELECT $1, username, $2, $3, $4 FROM staff WHERE username = $5 AND disabled_at IS NULL`,
		hash, sess.CSRFToken, s.t(sess.CreatedAt), s.t(sess.ExpiresAt), normalizeUsername(username))
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	} else if n == 0 {
		return "", Session{}, ErrNotFound
	}
	if sess.Staff, err = s.Staff(ctx, username); err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// Session returns the live session of token.
func (s *DB) Session(ctx context.Context, token string) (Session, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	hash, ok := tokenHash(token)
	if !ok {
		return Session{}, ErrNotFound
	}
	var sess Session
	st := &sess.Staff
	err := s.db.QueryRowContext(ctx, `SELECT cs.csrf_token, cs.created_at, cs.expires_at,
		st.username, st.display_name, st.role, st.password_hash, st.failed_count,
		st.locked_until, st.last_sign_in, st.created_at, st.disabled_at
		FROM console_sessions cs JOIN staff st ON st.username = cs.username
		WHERE cs.token_hash = $1 AND cs.expires_at > $2 AND st.disabled_at IS NULL`,
		hash, s.t(s.clock())).Scan(&sess.CSRFToken, timeCol{&sess.CreatedAt}, timeCol{&sess.ExpiresAt},
		&st.Username, &st.DisplayName, &st.Role, &st.passwordHash, &st.FailedCount,
		timeCol{&st.LockedUntil}, timeCol{&st.LastSignIn}, timeCol{&st.CreatedAt}, timeCol{&st.DisabledAt})
	if err != nil {
		return Session{}, errNoRows("session", err)
	}
	return sess, nil
}

// DeleteSession ends the session of token.
func (s *DB) DeleteSession(ctx context.Context, token string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	hash, ok := tokenHash(token)
	if !ok {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM console_sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// PurgeSessions deletes the sessions that have expired.
func (s *DB) PurgeSessions(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM console_sessions WHERE expires_at <= $1`, s.t(s.clock()))
	if err != nil {
		return 0, fmt.Errorf("store: purge sessions: %w", err)
	}
	return res.RowsAffected()
}
