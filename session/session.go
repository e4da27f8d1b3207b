// Package session is a small key-value store with a sliding TTL and an atomic
// read-modify-write, used for chat sessions and for login tokens.
//
// Memory keeps entries in the process, for tests and single-instance
// development; Redis shares them between instances.
package session

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Get when the key is absent or expired.
var ErrNotFound = errors.New("session: not found")

// ErrUnavailable wraps failures of the backing service (Redis down), so callers
// can answer 503. The wrapped error's text is for logs, not for users.
var ErrUnavailable = errors.New("session: store unavailable")

// Store is a key-value store whose entries expire after a TTL without use.
// Keys may be secrets (login tokens), so implementations keep them out of
// error text.
type Store interface {
	// Get returns the value and extends its TTL (sliding expiry).
	Get(ctx context.Context, key string) ([]byte, error)
	// Update atomically replaces the value of key with fn(old); old is nil when the key is absent.
	// fn may run more than once on conflict; it must be pure. Returning an error from fn aborts and writes nothing.
	// The TTL restarts on every write.
	Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// Ping reports whether the backing service answers.
	Ping(ctx context.Context) error
}
