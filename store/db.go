package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
)

// migrations holds one set of goose migrations per dialect, since the two
// schemas differ in types (timestamptz and TEXT, bytea and BLOB) and in how
// the audit log refuses changes.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is a Store in SQLite or PostgreSQL. Its queries are written once, with
// $1-style parameters that both drivers read; what differs is in its dialect.
type DB struct {
	db      *sql.DB
	dialect *dialect
	now     func() time.Time
	sealer  Sealer
	timeout time.Duration
	// writes is held through each transaction on SQLite, whose one writer
	// the others would otherwise wait for in its busy handler, which
	// sleeps in growing steps (up to 100 ms) and lets a late comer in
	// before one that has waited long. It is a channel of one, not a
	// mutex, so that a wait behind a stalled writer ends with the
	// caller's context.
	writes chan struct{}
}

var _ Store = (*DB)(nil)

// dialect is what differs between the databases at run time.
type dialect struct {
	name string
	// goose is the dialect goose migrates, from the files under
	// migrations/<name>.
	goose goose.Dialect
	// forUpdate ends a query that reads rows a transaction will change, such
	// as the audit log's head in an append: PostgreSQL locks them until
	// commit, so that appends take turns; SQLite needs nothing, as its
	// transactions begin IMMEDIATE, holding the one write lock.
	forUpdate string
	// oneWriter is true for a database that takes one writer at a time,
	// whose transactions then queue in the process rather than in the
	// database.
	oneWriter bool
	// skipLocked ends the query that picks the deliveries a worker claims:
	// PostgreSQL locks them and passes over rows another claim has
	// locked, so that two replicas claiming at once take different rows
	// without waiting on each other; SQLite's one writer needs nothing.
	skipLocked string
	// timeArg encodes a time for a query; the zero time is NULL.
	timeArg func(time.Time) any
	// param returns the placeholder of the i-th argument of a query built
	// at run time with many: SQLite looks a numbered parameter ($1) up by
	// name in a list, which over a thousand of them costs more than the
	// insert, so it gets anonymous ones (?).
	param func(i int) string
	// inGram ends a condition on the id of cases that holds for the $3
	// highest ids below $2 of the cases whose name holds the gram $1. Both
	// dialects read those ids from case_grams before any case.
	inGram string
	// erase, run after a deletion, makes the deleted rows unreadable in the
	// files: SQLite's write-ahead log keeps the old pages until a
	// checkpoint. Empty when nothing is needed.
	erase string
	// violated returns the kind of constraint err reports violated, if any.
	violated func(error) violation
	// locker keeps concurrent replicas from migrating at once; nil when the
	// database allows one writer anyway.
	locker func(ctx context.Context, db *sql.DB) ([]goose.ProviderOption, error)
}

// violation is a kind of constraint a write can break.
type violation int

const (
	noViolation violation = iota
	uniqueViolation
	foreignKeyViolation
)

// open migrates db to the latest schema of d and returns the store on it.
// It closes db when it fails.
func open(ctx context.Context, db *sql.DB, d *dialect, opt Options) (*DB, error) {
	if err := migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &DB{db: db, dialect: d, now: now, sealer: opt.Sealer, timeout: opt.Timeout, writes: make(chan struct{}, 1)}, nil
}

func migrate(ctx context.Context, db *sql.DB, d *dialect) error {
	fsys, err := fs.Sub(migrations, "migrations/"+d.name)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	var opts []goose.ProviderOption
	if d.locker != nil {
		if opts, err = d.locker(ctx, db); err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
	}
	p, err := goose.NewProvider(d.goose, db, fsys, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", d.name, err)
	}
	return nil
}

// Close closes the database.
func (s *DB) Close() error {
	return s.db.Close()
}

// clock returns the current time as both databases keep it: UTC, to the
// microsecond, which is PostgreSQL's precision.
func (s *DB) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// bound returns ctx limited to the store's timeout, if any, for one call,
// and the function that releases it.
func (s *DB) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// t encodes a time for a query.
func (s *DB) t(t time.Time) any {
	return s.dialect.timeArg(t)
}

// inTx runs fn in a transaction, committed when fn returns nil. Every change
// and its audit row go through one, so that later parts of the store (the
// complaint tickets and their outbox) can join a change in the same way.
func (s *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.dialect.oneWriter {
		select {
		case s.writes <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.writes }()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeLayout is how SQLite keeps times, as TEXT of a fixed width in UTC so
// that comparing the text compares the times, and how the audit chain
// hashes them.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// timeCol scans a time as either database returns it: PostgreSQL's
// timestamptz as a time.Time, SQLite's TEXT in timeLayout. NULL is the
// zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		t, err := time.Parse(timeLayout, v)
		if err != nil {
			return fmt.Errorf("store: time %q: %w", v, err)
		}
		*c.t = t
	default:
		return fmt.Errorf("store: cannot scan %T as a time", v)
	}
	return nil
}

// errNoRows turns sql.ErrNoRows into ErrNotFound and wraps other errors
// with what was being done.
func errNoRows(what string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// eraseDeleted runs the dialect's erase after a deletion. A failure leaves
// the deletion made; it is only reported.
func (s *DB) eraseDeleted(ctx context.Context) error {
	if s.dialect.erase == "" {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, s.dialect.erase); err != nil {
		return fmt.Errorf("store: erase deleted rows: %w", err)
	}
	return nil
}
