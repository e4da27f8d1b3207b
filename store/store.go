// Package store keeps what the service-hall console must not lose: staff
// accounts, their signed-in sessions, the case of every consultation with
// its visits, the signing keys of integrators, the complaints filed with
// the city's enterprise complaint platform with the outbox of their
// delivery, and a hash-chained audit log of what staff did.
//
// One implementation, DB, speaks to two databases: SQLite in a file under a
// data directory (OpenSQLite), the embedded default that needs nothing
// installed, and PostgreSQL (OpenPostgres) for more than one replica. Each
// has its own schema, migrated by goose when the store opens; the queries are
// shared, so the two cannot drift apart, and storetest holds the contract
// both pass.
//
// The store records its own changes in the audit log in the transaction that
// makes them (sign-ins, staff added or disabled, cases created, edited,
// matched, deleted and purged, integrator keys added and revoked,
// complaints filed, their status reported and their delivery retried, the
// platform's questions answered), so a change cannot happen without its
// row. A worker's progress through the outbox is not audited: the outbox
// row itself records it.
// What only reads (a case or a ticket opened, a notice printed, a month
// exported) the caller records with AppendAudit.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Store is everything the console keeps. The smaller interfaces let a
// handler ask for only the part it uses.
type Store interface {
	StaffStore
	SessionStore
	CaseStore
	IntegratorKeyStore
	TicketStore
	AuditLog
	// Close releases the database; the store cannot be used afterwards.
	Close() error
}

// StaffStore keeps staff accounts. Accounts are disabled, never deleted, so
// that cases and the audit log keep naming who did what.
type StaffStore interface {
	// AddStaff creates an account; the password is hashed with argon2id and
	// never kept. A taken username is an *Error wrapping ErrConflict.
	AddStaff(ctx context.Context, s NewStaff, by Actor) (Staff, error)
	// Staff returns the account of username, or ErrNotFound.
	Staff(ctx context.Context, username string) (Staff, error)
	// DisableStaff stops an account from signing in and ends its sessions.
	DisableStaff(ctx context.Context, username string, by Actor) error
	// SignIn checks a username and password under the lock-out policy p and
	// returns the account. It returns ErrBadCredentials for an unknown or
	// disabled username or a wrong password, and a *LockedError while the
	// account is locked.
	SignIn(ctx context.Context, c Credentials, p Lockout) (Staff, error)
}

// SessionStore keeps the console's signed-in browser sessions.
type SessionStore interface {
	// CreateSession starts a session of username that ends ttl from now,
	// whatever its use, and returns the token for the cookie. Only the
	// token's SHA-256 is kept, so the database cannot sign anyone in.
	CreateSession(ctx context.Context, username string, ttl time.Duration) (token string, s Session, err error)
	// Session returns the session of a token, or ErrNotFound when the token
	// is unknown, expired or its staff member disabled.
	Session(ctx context.Context, token string) (Session, error)
	// DeleteSession ends a session (sign-out); an unknown token is not an error.
	DeleteSession(ctx context.Context, token string) error
	// PurgeSessions deletes expired sessions and returns how many.
	PurgeSessions(ctx context.Context) (int64, error)
}

// CaseStore keeps cases and their visits.
type CaseStore interface {
	// CreateCase opens the case of an enterprise. A credit code that already
	// has a case is an *Error wrapping ErrConflict: reopen that case instead.
	CreateCase(ctx context.Context, in CaseInput, by Actor) (Case, error)
	// Case returns a case, or ErrNotFound.
	Case(ctx context.Context, id int64) (Case, error)
	// UpdateCase replaces a case's enterprise, facts and notes.
	UpdateCase(ctx context.Context, id int64, in CaseInput, by Actor) (Case, error)
	// RecordVisit keeps the results of matching a case, as its current
	// results and as a new visit.
	RecordVisit(ctx context.Context, id int64, m Match, by Actor) (Visit, error)
	// Visits returns the visits of a case, oldest first, or ErrNotFound.
	Visits(ctx context.Context, id int64) ([]Visit, error)
	// SearchCases finds cases by credit-code prefix or by part of the name.
	SearchCases(ctx context.Context, q CaseQuery) (CaseList, error)
	// DeleteCase deletes a case and its visits for good, or returns ErrNotFound.
	DeleteCase(ctx context.Context, id int64, by Actor) error
	// PurgeCases deletes, with their visits, the cases not updated within
	// retention, and returns how many.
	PurgeCases(ctx context.Context, retention time.Duration, by Actor) (int64, error)
}

// IntegratorKeyStore keeps the signing keys of integrators, each change
// with its audit row. Keys are revoked, never deleted, so that the audit
// log keeps naming what signed.
type IntegratorKeyStore interface {
	// AddIntegratorKey keeps a new key, its secret already sealed. A third
	// active key of one integrator is an *Error wrapping ErrConflict of
	// field integrator (two at once is the rotation); a key id taken, one
	// of field key_id.
	AddIntegratorKey(ctx context.Context, k NewIntegratorKey, by Actor) (IntegratorKey, error)
	// IntegratorKey returns a key, a revoked one too, or ErrNotFound.
	IntegratorKey(ctx context.Context, keyID string) (IntegratorKey, error)
	// IntegratorKeys returns the keys of an integrator, revoked ones too,
	// oldest first.
	IntegratorKeys(ctx context.Context, integrator string) ([]IntegratorKey, error)
	// RevokeIntegratorKey revokes a key for good and returns it, or
	// returns ErrNotFound. Revoking a revoked key keeps its first time.
	RevokeIntegratorKey(ctx context.Context, keyID string, by Actor) (IntegratorKey, error)
}

// AuditLog is the append-only, hash-chained record of what staff did.
type AuditLog interface {
	// AppendAudit adds an entry at the end of the chain.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditRecord, error)
	// AuditMonth returns the entries of the calendar month holding month,
	// counted in month's location, in chain order.
	AuditMonth(ctx context.Context, month time.Time) ([]AuditRecord, error)
	// VerifyAudit walks the whole chain and reports every row edited or
	// deleted behind the store's back; see AuditReport for what it can tell.
	VerifyAudit(ctx context.Context) (AuditReport, error)
}

// Actor is who makes a change, as the audit log records it: a staff
// member's username (or a name such as "cli" for the command line) and the
// address the request came from.
type Actor struct {
	Username   string
	RemoteAddr string
}

// Options tune a store.
type Options struct {
	// Now returns the current time; nil means time.Now. Tests move it.
	Now func() time.Time
	// Sealer seals and hashes complainants' phones. Without it the methods
	// of TicketStore that file or read tickets return ErrNoSealer, so that
	// the commands that need no master key need none.
	Sealer Sealer
	// Timeout, when positive, bounds each call, so that a database that
	// stalls fails the requests waiting on it at once rather than
	// holding them: a call it has not answered by then returns an error
	// wrapping context.DeadlineExceeded. The purges and VerifyAudit,
	// which walk whole tables for a background job or a command, are
	// not bounded.
	Timeout time.Duration
}

// Sealer seals what the store must give back but never keep in clear (a
// complainant's phone, which the platform must be given) under a master
// key the store never holds, and hashes what is checked against it;
// *secretbox.Box is one.
type Sealer interface {
	// Seal encrypts plaintext bound to ad, the row it belongs to.
	Seal(plaintext, ad []byte) []byte
	// Open decrypts what Seal returned for the same ad.
	Open(sealed, ad []byte) ([]byte, error)
	// Hash returns a keyed hash of data bound to ad, which cannot be
	// computed without the master key.
	Hash(ad, data []byte) []byte
}

// The kinds of failure callers tell apart with errors.Is.
var (
	// ErrNotFound is returned for a staff member, session or case that does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrInvalid is wrapped by an *Error for input the store refuses (400).
	ErrInvalid = errors.New("store: invalid input")
	// ErrConflict is wrapped by an *Error for input that clashes with what is
	// kept, such as a username taken (409).
	ErrConflict = errors.New("store: conflict")
	// ErrBadCredentials is returned by SignIn for a wrong username or password;
	// which of the two is not told.
	ErrBadCredentials = errors.New("store: wrong username or password")
	// ErrLocked is wrapped by a *LockedError.
	ErrLocked = errors.New("store: account locked")
	// ErrNoSealer is returned by the ticket methods of a store opened
	// without Options.Sealer.
	ErrNoSealer = errors.New("store: complaint tickets need the master key (Options.Sealer)")
	// ErrLeaseLost is returned by DeliveryFailed for a delivery whose lease
	// ended and which another worker took, or which was delivered
	// meanwhile: the failure is not recorded, the other worker's outcome
	// stands.
	ErrLeaseLost = errors.New("store: delivery lease lost")
)

// Error is returned for input the store refuses or that clashes with what is
// kept. Field names the input at fault and Message says why: in Chinese for
// what staff type, in English for what only a program gets wrong (a lock-out
// policy, an actor, results that are not JSON).
type Error struct {
	Kind    error // ErrInvalid or ErrConflict
	Field   string
	Message string
}

func (e *Error) Error() string { return "store: " + e.Field + ": " + e.Message }

// Unwrap returns Kind, so that errors.Is(err, ErrInvalid) works.
func (e *Error) Unwrap() error { return e.Kind }

func invalid(field, message string) *Error {
	return &Error{Kind: ErrInvalid, Field: field, Message: message}
}

func conflict(field, message string) *Error {
	return &Error{Kind: ErrConflict, Field: field, Message: message}
}

// LockedError is returned by SignIn while an account is locked out.
type LockedError struct {
	Until time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("store: account locked until %s", e.Until.Format(time.RFC3339))
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }
