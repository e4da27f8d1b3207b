package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLiteFile is the name of the database file in the data directory.
const SQLiteFile = "policybot.db"

// sqliteConns bounds the pool: in WAL mode readers run alongside the one
// writer, and each connection holds its own page cache.
const sqliteConns = 8

var sqliteDialect = &dialect{
	name:       "sqlite",
	goose:      goose.DialectSQLite3,
	forUpdate:  "",
	oneWriter:  true,
	skipLocked: "",
	erase:      "PRAGMA wal_checkpoint(TRUNCATE)",
	timeArg: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(timeLayout)
	},
	param:  func(int) string { return "?" },
	inGram: `IN (SELECT case_id FROM case_grams WHERE gram = $1 AND case_id < $2 ORDER BY case_id DESC LIMIT $3)`,
	violated: func(err error) violation {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return noViolation
		}
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		}
		return noViolation
	},
}

// OpenSQLite opens the store in dir/policybot.db, creating the directory and
// the file, readable by their owner only since cases are personal
// information, and migrates it.
//
// The database runs in WAL mode with full sync, so a change once returned
// survives a power cut; every transaction begins IMMEDIATE, taking the write
// lock at once instead of failing with SQLITE_BUSY when two writers meet,
// and waits up to 10 s for it.
func OpenSQLite(ctx context.Context, dir string, opt Options) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dir, SQLiteFile))
	if err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	// SQLite gives its -wal and -shm files the mode of the database file.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	f.Close()
	q := url.Values{
		"_busy_timeout": {"10000"},
		"_foreign_keys": {"1"},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"FULL"},
		"_txlock":       {"immediate"},
		// A deleted case is overwritten, not left in free pages: it is
		// personal information deleted on request.
		"_pragma": {"secure_delete(on)"},
	}
	dsn := (&url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(sqliteConns)
	db.SetMaxIdleConns(sqliteConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return open(ctx, db, sqliteDialect, opt)
}
