package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Role is what a staff member may do in the console.
type Role string

// The roles. Supervisors may also read the audit log and delete cases.
const (
	RoleStaff      Role = "staff"
	RoleSupervisor Role = "supervisor"
)

// Staff is a staff account. Its password hash stays inside the package.
type Staff struct {
	Username    string
	DisplayName string
	Role        Role
	// FailedCount is the number of failed sign-ins in the current window.
	FailedCount int
	// LockedUntil is when a lock-out ends; zero when there is none.
	LockedUntil time.Time
	// LastSignIn is the last successful sign-in; zero before the first.
	LastSignIn time.Time
	CreatedAt  time.Time
	// DisabledAt is when the account was disabled; zero while it is active.
	DisabledAt time.Time

	passwordHash string
}

// NewStaff is an account to create.
type NewStaff struct {
	Username    string
	DisplayName string
	Role        Role
	Password    string
}

// Credentials are what a sign-in form sends, with where it came from.
type Credentials struct {
	Username   string
	Password   string
	RemoteAddr string
}

// Lockout is the policy SignIn enforces: after Failures failed sign-ins with
// no more than Window between the first and the last, the account is locked
// for Duration. Sign-ins during the lock are refused unchecked and do not
// count; after it the count starts again.
type Lockout struct {
	Failures int
	Window   time.Duration
	Duration time.Duration
}

// MinPasswordLen is the shortest password AddStaff takes, in characters.
// maxPasswordBytes bounds the work one password asks of argon2id: AddStaff
// refuses a longer one, and SignIn fails it unchecked.
const (
	MinPasswordLen   = 12
	maxPasswordBytes = 1024
)

// passwordParams are OWASP's argon2id settings for 19 MiB of memory (m=19
// MiB, t=2, p=1): costly to guess offline, yet light enough that a few
// sign-ins at once do not exhaust a small server. Each hash records its
// parameters, so raising them later leaves old hashes verifiable.
var passwordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// unknownHash is checked against when the username is unknown or disabled,
// so that such a sign-in takes as long as a wrong password.
var unknownHash = sync.OnceValue(func() string {
	h, err := argon2id.CreateHash("policybot: no such account", passwordParams)
	if err != nil {
		panic("store: argon2id: " + err.Error())
	}
	return h
})

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// normalizeUsername returns the username as kept: trimmed, in lower case.
func normalizeUsername(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

const staffColumns = "username, display_name, role, password_hash, failed_count, locked_until, last_sign_in, created_at, disabled_at"

type scanner interface {
	Scan(dest ...any) error
}

func scanStaff(row scanner) (Staff, error) {
	var st Staff
	err := row.Scan(&st.Username, &st.DisplayName, &st.Role, &st.passwordHash, &st.FailedCount,
		timeCol{&st.LockedUntil}, timeCol{&st.LastSignIn}, timeCol{&st.CreatedAt}, timeCol{&st.DisabledAt})
	return st, err
}

// AddStaff creates an account with its password hashed.
func (s *DB) AddStaff(ctx context.Context, n NewStaff, by Actor) (Staff, error) {
	username := normalizeUsername(n.Username)
	if !usernameRE.MatchString(username) {
		return Staff{}, invalid("username", "用户名应为2至32位小写字母、数字或 . _ -,以字母或数字开头")
	}
	display, err := line("display_name", n.DisplayName, 50)
	if err != nil {
		return Staff{}, err
	}
	if n.Role != RoleStaff && n.Role != RoleSupervisor {
		return Staff{}, invalid("role", "角色应为 staff 或 supervisor")
	}
	if utf8.RuneCountInString(n.Password) < MinPasswordLen || len(n.Password) > maxPasswordBytes {
		return Staff{}, invalid("password", fmt.Sprintf("密码应为至少%d个字符、不超过%d字节", MinPasswordLen, maxPasswordBytes))
	}
	if err := checkActor(by); err != nil {
		return Staff{}, err
	}
	hash, err := argon2id.CreateHash(n.Password, passwordParams)
	if err != nil {
		return Staff{}, fmt.Errorf("store: hash password: %w", err)
	}
	// The timeout is the database's: the hash above is not counted.
	ctx, cancel := s.bound(ctx)
	defer cancel()
	now := s.clock()
	var st Staff
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = scanStaff(tx.QueryRowContext(ctx,
			`INSERT INTO staff (username, display_name, role, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING `+staffColumns,
			username, display, string(n.Role), hash, s.t(now)))
		if err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionStaffAdded, Object: username, Detail: string(n.Role)})
		return err
	})
	if s.dialect.violated(err) == uniqueViolation {
		return Staff{}, conflict("username", "用户名已被使用")
	}
	if err != nil {
		return Staff{}, fmt.Errorf("store: add staff: %w", err)
	}
	return st, nil
}

// Staff returns the account of username.
func (s *DB) Staff(ctx context.Context, username string) (Staff, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	st, err := scanStaff(s.db.QueryRowContext(ctx,
		`SELECT `+staffColumns+` FROM staff WHERE username = $1`, normalizeUsername(username)))
	if err != nil {
		return Staff{}, errNoRows("staff", err)
	}
	return st, nil
}

// DisableStaff disables an account, keeping the time it was first disabled,
// and deletes its sessions.
func (s *DB) DisableStaff(ctx context.Context, username string, by Actor) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if err := checkActor(by); err != nil {
		return err
	}
	username = normalizeUsername(username)
	now := s.clock()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE staff SET disabled_at = COALESCE(disabled_at, $1) WHERE username = $2`, s.t(now), username)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE username = $1`, username); err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionStaffDisabled, Object: username})
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: disable staff: %w", err)
	}
	return nil
}

// Why countAttempt refuses an attempt unchecked, as the audit log says it.
const (
	refusedUnknown  = "unknown username"
	refusedDisabled = "account disabled"
	refusedLocked   = "account locked"
)

// countAttempt counts a sign-in as failed before its password is checked,
// holding the account's row, so that guesses sent in parallel cannot
// together exceed the policy: each takes its turn at the row, and those
// after the one that locks the account are refused unchecked. Reaching
// p.Failures locks the account and starts the count again. A correct
// password then clears the count and any lock (see SignIn). When the
// account is unknown, disabled or locked, it counts nothing and says why.
func (s *DB) countAttempt(ctx context.Context, username string, p Lockout, now time.Time) (st Staff, refused string, err error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var since time.Time
		row := tx.QueryRowContext(ctx, `SELECT `+staffColumns+`, failed_since FROM staff WHERE username = $1`+s.dialect.forUpdate, username)
		err := row.Scan(&st.Username, &st.DisplayName, &st.Role, &st.passwordHash, &st.FailedCount,
			timeCol{&st.LockedUntil}, timeCol{&st.LastSignIn}, timeCol{&st.CreatedAt}, timeCol{&st.DisabledAt}, timeCol{&since})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			refused = refusedUnknown
			return nil
		case err != nil:
			return err
		case !st.DisabledAt.IsZero():
			refused = refusedDisabled
			return nil
		case st.LockedUntil.After(now):
			refused = refusedLocked
			return nil
		}
		if since.IsZero() || !since.After(now.Add(-p.Window)) {
			st.FailedCount, since = 0, now
		}
		st.FailedCount++
		st.LockedUntil = time.Time{}
		if st.FailedCount >= p.Failures {
			st.FailedCount, since, st.LockedUntil = 0, time.Time{}, now.Add(p.Duration)
		}
		_, err = tx.ExecContext(ctx, `UPDATE staff SET failed_count = $1, failed_since = $2, locked_until = $3 WHERE username = $4`,
			st.FailedCount, s.t(since), s.t(st.LockedUntil), username)
		return err
	})
	if err != nil {
		return Staff{}, "", fmt.Errorf("store: count sign-in: %w", err)
	}
	return st, refused, nil
}

// SignIn checks c under the lock-out policy p and records the outcome in
// the audit log, a failure with the username as typed. Each of its
// transactions has the store's timeout to itself: the password's check
// between them is not the database's time.
func (s *DB) SignIn(ctx context.Context, c Credentials, p Lockout) (Staff, error) {
	if p.Failures < 1 || p.Window <= 0 || p.Duration <= 0 {
		return Staff{}, invalid("lockout", "lock-out policy needs a positive count, window and duration")
	}
	username := normalizeUsername(c.Username)
	now := s.clock()
	failed := func(detail string, refusal error) (Staff, error) {
		typed := printable(username, 64)
		if typed == "" {
			typed = "-"
		}
		e := AuditEntry{
			Actor:  Actor{Username: typed, RemoteAddr: printable(c.RemoteAddr, 100)},
			Action: ActionSignInFailed, Object: typed, Detail: detail,
		}
		ctx, cancel := s.bound(ctx)
		defer cancel()
		if err := s.inTx(ctx, func(tx *sql.Tx) error {
			_, err := s.appendAudit(ctx, tx, now, e)
			return err
		}); err != nil {
			return Staff{}, fmt.Errorf("store: sign in: %w", err)
		}
		return Staff{}, refusal
	}

	st, refused, err := s.countAttempt(ctx, username, p, now)
	switch {
	case err != nil:
		return Staff{}, err
	case refused == refusedLocked:
		return failed(refused, &LockedError{Until: st.LockedUntil})
	case refused != "":
		// As long as a wrong password takes, so that timing does not tell
		// which usernames exist.
		argon2id.ComparePasswordAndHash(c.Password, unknownHash())
		return failed(refused, ErrBadCredentials)
	}
	ok := false
	if len(c.Password) <= maxPasswordBytes {
		if ok, err = argon2id.ComparePasswordAndHash(c.Password, st.passwordHash); err != nil {
			return Staff{}, fmt.Errorf("store: sign in %s: stored hash: %w", username, err)
		}
	} else {
		// As long as any other refusal takes, so that timing does not tell
		// a real username from an unknown one.
		argon2id.ComparePasswordAndHash("", unknownHash())
	}
	if !ok {
		if st.LockedUntil.After(now) {
			return failed(fmt.Sprintf("wrong password; locked until %s", st.LockedUntil.Format(time.RFC3339)),
				&LockedError{Until: st.LockedUntil})
		}
		return failed("wrong password", ErrBadCredentials)
	}
	ctx, cancel := s.bound(ctx)
	defer cancel()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = scanStaff(tx.QueryRowContext(ctx, `UPDATE staff SET
			failed_count = 0, failed_since = NULL, locked_until = NULL, last_sign_in = $1
			WHERE username = $2 RETURNING `+staffColumns, s.t(now), username))
		if err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{
			Actor: Actor{Username: username, RemoteAddr: c.RemoteAddr}, Action: ActionSignIn, Object: username,
		})
		return err
	})
	if err != nil {
		return Staff{}, fmt.Errorf("store: sign in: %w", err)
	}
	return st, nil
}

func checkActor(by Actor) error {
	if strings.TrimSpace(by.Username) == "" {
		return invalid("actor", "every change needs the username of who makes it")
	}
	return nil
}

// printable returns s without control characters or invalid UTF-8, cut to
// at most n bytes, for the audit log to keep what a stranger typed.
func printable(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return truncate(s, n)
}

// truncate returns at most n bytes of s, cut at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
