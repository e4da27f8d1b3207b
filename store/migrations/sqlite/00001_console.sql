-- The service-hall console: staff, their sessions, cases with their visits,
-- and the audit log. Times are TEXT in UTC of one fixed width
-- (2006-01-02T15:04:05.000000Z), so that comparing them as text is right.

-- +goose Up
CREATE TABLE staff (
    username      TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'supervisor')),
    password_hash TEXT NOT NULL,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    failed_since  TEXT,
    locked_until  TEXT,
    last_sign_in  TEXT,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
) STRICT;

-- token_hash is the SHA-256 of the cookie's token, never the token.
CREATE TABLE console_sessions (
    token_hash BLOB PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES staff (username),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);
CREATE INDEX console_sessions_username ON console_sessions (username);

-- name_key is the enterprise name as searched (NFKC, lower case, no
-- spaces); credit_code is NULL when unknown.
CREATE TABLE cases (
    -- AUTOINCREMENT: the id of a deleted case is never given to another,
    -- so case/ID in the audit log and old links name one enterprise only.
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise      TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    credit_code     TEXT UNIQUE,
    facts           TEXT NOT NULL CHECK (json_valid(facts)),
    results         TEXT CHECK (json_valid(results)),
    library_version TEXT NOT NULL DEFAULT '',
    -- version counts the changes of a case, so that a save made on an
    -- older reading of it is refused (two counters editing one case).
    version         INTEGER NOT NULL DEFAULT 1,
    notes           TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL REFERENCES staff (username),
    updated_by      TEXT NOT NULL REFERENCES staff (username),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX cases_updated_at ON cases (updated_at);

-- case_grams holds every two characters in a row of a case's name_key, so
-- that a search for any part of a name of two characters or more reads one
-- range of this index, newest case first.
CREATE TABLE case_grams (
    gram    TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_grams_case_id ON case_grams (case_id);

CREATE TABLE visits (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    staff           TEXT NOT NULL REFERENCES staff (username),
    library_version TEXT NOT NULL,
    results         TEXT NOT NULL CHECK (json_valid(results)),
    at              TEXT NOT NULL
) STRICT;
CREATE INDEX visits_case_id ON visits (case_id, id);

-- hash is SHA-256(prev_hash || the row's canonical content); prev_hash is
-- the hash of row seq-1, 32 zero bytes for the first.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   BLOB NOT NULL,
    hash        BLOB NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- audit_head is the last row's seq and hash, so that the verifier sees the
-- last rows deleted too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash BLOB NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));

