package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// postgresConns bounds the pool of one replica; several replicas share the
// server's max_connections (100 by default).
const postgresConns = 10

var postgresDialect = &dialect{
	name:       "postgres",
	goose:      goose.DialectPostgres,
	forUpdate:  " FOR UPDATE",
	skipLocked: " FOR UPDATE SKIP LOCKED",
	timeArg: func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	},
	param: func(i int) string { return "$" + strconv.Itoa(i) },
	// An ARRAY(…) is computed once, before the cases are read by their
	// index; IN (SELECT …) may instead become a join over every case.
	inGram: `= ANY(ARRAY(SELECT case_id FROM case_grams WHERE gram = $1 AND case_id < $2 ORDER BY case_id DESC LIMIT $3))`,
	violated: func(err error) violation {
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return noViolation
		}
		switch e.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		}
		return noViolation
	},
	locker: schemaLocker,
}

// OpenPostgres opens the store in the database of url (a postgres:// URL or
// key=value string, as pgx reads them) and migrates it. The schema is the
// first of the connection's search_path, which the URL can set
// (?search_path=policybot), so that one database can hold several stores.
//
// It goes through database/sql with pgx's stdlib adapter rather than
// pgxpool: goose migrates a *sql.DB, the queries are the ones SQLite runs,
// and row locks (FOR UPDATE, and SKIP LOCKED for a queue) need nothing more.
// pgx's own API stays reachable through sql.Conn.Raw if COPY or LISTEN is
// ever wanted.
func OpenPostgres(ctx context.Context, url string, opt Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message quotes the URL with its password masked.
		return nil, fmt.Errorf("store: postgres URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	return open(ctx, db, postgresDialect, opt)
}

// schemaLocker has replicas that start together migrate one at a time,
// under an advisory lock named for the schema, so that stores in other
// schemas of the database do not wait for each other.
func schemaLocker(ctx context.Context, db *sql.DB) ([]goose.ProviderOption, error) {
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return nil, err
	}
	if !schema.Valid {
		return nil, errors.New("no schema: the search_path names none that exists")
	}
	h := fnv.New64a()
	h.Write([]byte("policybot store " + schema.String))
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(h.Sum64())),
		lock.WithLockTimeout(1, 300), // retry every second for five minutes
	)
	if err != nil {
		return nil, err
	}
	return []goose.ProviderOption{goose.WithSessionLocker(locker)}, nil
}
