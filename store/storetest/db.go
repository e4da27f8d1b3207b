package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the tests' own connections

	"policybot/store"
)

// DB is the database of one test.
type DB struct {
	// Open opens a store on the database. Called again after Close, it
	// opens the same data. The store is closed when the test ends.
	Open func(tb testing.TB, opt store.Options) store.Store
	// Raw returns a pool on the database that goes behind the store's back,
	// for a test to look at or tamper with what is kept.
	Raw func(tb testing.TB) *sql.DB
	// Unguard is the SQL that lifts the audit log's append-only triggers,
	// as an intruder with the owner's rights could.
	Unguard []string
	// Stall is the SQL that, run on a connection left in its transaction,
	// stops every write of cases: SQLite's one write lock, and
	// PostgreSQL's lock of the table, which stops its reads too.
	Stall []string
	// Dir is SQLite's data directory, and URL PostgreSQL's URL with the
	// test's schema, for another process to open the database; the other
	// is empty.
	Dir, URL string
}

// NewDB returns an empty database of its own for one test, removed when the
// test ends, so that tests in parallel never see each other's rows.
type NewDB func(tb testing.TB) DB

// SQLite returns a database in a temporary data directory.
func SQLite(tb testing.TB) DB {
	dir := tb.TempDir()
	return DB{
		Open: func(tb testing.TB, opt store.Options) store.Store {
			tb.Helper()
			s, err := store.OpenSQLite(context.Background(), dir, opt)
			if err != nil {
				tb.Fatalf("OpenSQLite: %v", err)
			}
			tb.Cleanup(func() { s.Close() })
			return s
		},
		Raw: func(tb testing.TB) *sql.DB {
			tb.Helper()
			return mustRaw(tb, "sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?_busy_timeout=10000")
		},
		Unguard: []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"},
		Stall:   []string{"BEGIN IMMEDIATE"},
		Dir:     dir,
	}
}

// PostgresURL returns the URL of the test PostgreSQL from
// POLICYBOT_TEST_POSTGRES_URL. When that is unset it skips the test, or
// fails it if POLICYBOT_REQUIRE_POSTGRES=1 (as make test sets).
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	if u := os.Getenv("POLICYBOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	if os.Getenv("POLICYBOT_REQUIRE_POSTGRES") == "1" {
		tb.Fatal("POLICYBOT_TEST_POSTGRES_URL is unset but POLICYBOT_REQUIRE_POSTGRES=1")
	}
	tb.Skip("POLICYBOT_TEST_POSTGRES_URL is unset: skipping a test that needs PostgreSQL (make test starts one)")
	return ""
}

// Postgres returns a schema of its own in the test PostgreSQL (see
// PostgresURL), dropped with everything in it when the test ends.
func Postgres(tb testing.TB) DB {
	tb.Helper()
	base := PostgresURL(tb)
	admin := mustRaw(tb, "pgx", base)
	schema := schemaName(tb.Name())
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("POLICYBOT_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	return DB{
		Open: func(tb testing.TB, opt store.Options) store.Store {
			tb.Helper()
			s, err := store.OpenPostgres(context.Background(), dsn, opt)
			if err != nil {
				tb.Fatalf("OpenPostgres: %v", err)
			}
			tb.Cleanup(func() { s.Close() })
			return s
		},
		Raw: func(tb testing.TB) *sql.DB {
			tb.Helper()
			return mustRaw(tb, "pgx", dsn)
		},
		Unguard: []string{"ALTER TABLE audit_log DISABLE TRIGGER USER"},
		Stall:   []string{"BEGIN", "LOCK TABLE cases IN ACCESS EXCLUSIVE MODE"},
		URL:     dsn,
	}
}

// schemaName returns a schema name for a test: its name, which helps
// whoever looks at the server, made an identifier, and a random part that
// keeps runs of the same test apart.
func schemaName(test string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '_'
	}, test)
	b := make([]byte, 4)
	rand.Read(b)
	return "t_" + name[:min(len(name), 40)] + "_" + hex.EncodeToString(b)
}

func mustRaw(tb testing.TB, driver, dsn string) *sql.DB {
	tb.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", driver, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		tb.Fatalf("connect %s: %v", driver, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Tamper runs stmts on db in one transaction with the audit log's guard
// lifted.
func Tamper(tb testing.TB, db DB, stmts ...string) {
	tb.Helper()
	tx, err := db.Raw(tb).Begin()
	if err != nil {
		tb.Fatalf("tamper: %v", err)
	}
	defer tx.Rollback()
	for _, q := range append(db.Unguard, stmts...) {
		if _, err := tx.Exec(q); err != nil {
			tb.Fatalf("tamper: %s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatalf("tamper: %v", err)
	}
}
