-- The service-hall console: staff, their sessions, cases with their visits,
-- and the audit log. Keys that are compared byte by byte (usernames, credit
-- codes, name grams) use the "C" collation, whatever the database's locale.

-- +goose Up
CREATE TABLE staff (
    username      text COLLATE "C" PRIMARY KEY,
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('staff', 'supervisor')),
    password_hash text NOT NULL,
    failed_count  integer NOT NULL DEFAULT 0,
    failed_since  timestamptz,
    locked_until  timestamptz,
    last_sign_in  timestamptz,
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz
);

-- token_hash is the SHA-256 of the cookie's token, never the token.
CREATE TABLE console_sessions (
    token_hash bytea PRIMARY KEY,
    username   text COLLATE "C" NOT NULL REFERENCES staff (username),
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);
CREATE INDEX console_sessions_username ON console_sessions (username);

-- name_key is the enterprise name as searched (NFKC, lower case, no
-- spaces); credit_code is NULL when unknown. facts and results are json, not
-- jsonb, so that they come back as the store wrote them (keys sorted,
-- numbers as given), the same bytes as from SQLite; nothing queries inside.
CREATE TABLE cases (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise      text NOT NULL,
    name_key        text NOT NULL,
    credit_code     text COLLATE "C" UNIQUE,
    facts           json NOT NULL,
    results         json,
    library_version text NOT NULL DEFAULT '',
    -- version counts the changes of a case, so that a save made on an
    -- older reading of it is refused (two counters editing one case).
    version         bigint NOT NULL DEFAULT 1,
    notes           text NOT NULL DEFAULT '',
    created_by      text COLLATE "C" NOT NULL REFERENCES staff (username),
    updated_by      text COLLATE "C" NOT NULL REFERENCES staff (username),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX cases_updated_at ON cases (updated_at);

-- case_grams holds every two characters in a row of a case's name_key, so
-- that a search for any part of a name of two characters or more reads one
-- range of this index, newest case first. pg_trgm cannot serve it: a
-- trigram index finds nothing to look up in a query of two characters.
CREATE TABLE case_grams (
    gram    text COLLATE "C" NOT NULL,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, case_id)
);
CREATE INDEX case_grams_case_id ON case_grams (case_id);

CREATE TABLE visits (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    staff           text COLLATE "C" NOT NULL REFERENCES staff (username),
    library_version text NOT NULL,
    results         json NOT NULL,
    at              timestamptz NOT NULL
);
CREATE INDEX visits_case_id ON visits (case_id, id);

-- hash is SHA-256(prev_hash || the row's canonical content); prev_hash is
-- the hash of row seq-1, 32 zero bytes for the first.
CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY,
    at          timestamptz NOT NULL,
    username    text NOT NULL,
    action      text NOT NULL,
    object      text NOT NULL,
    remote_addr text NOT NULL,
    detail      text NOT NULL,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- audit_head is the last row's seq and hash, so that the verifier sees the
-- last rows deleted too.
CREATE TABLE audit_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint NOT NULL,
    hash bytea NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

