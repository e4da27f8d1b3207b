-- Complaints filed with the city's enterprise complaint platform, the
-- outbox of their delivery, the status the platform reports back, and the
-- platform's own questions. A complainant's phone is kept only sealed
-- under the master key, with a keyed hash bound to its ticket for checking
-- a phone someone types; the database holds neither the key nor the phone.

-- +goose Up
-- complaint_ticket_days holds the last sequence number given on each day
-- (yyyymmdd in Beijing time), from which ticket numbers are made.
CREATE TABLE complaint_ticket_days (
    day  TEXT PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- idempotency_key is the filer's (one per chat turn), so that filing a
-- turn twice files once; request_hash, a keyed hash of what was filed,
-- tells such a repeat from another ticket sent under the same key.
CREATE TABLE complaint_tickets (
    -- AUTOINCREMENT: an id is never given to another ticket.
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT NOT NULL UNIQUE,
    idempotency_key    TEXT NOT NULL UNIQUE,
    request_hash       BLOB NOT NULL,
    owner_key          TEXT NOT NULL,
    contact_name       TEXT NOT NULL,
    phone_enc          BLOB NOT NULL,
    phone_hash         BLOB NOT NULL,
    enterprise         TEXT NOT NULL,
    credit_code        TEXT,
    complaint          TEXT NOT NULL,
    facts              TEXT NOT NULL CHECK (json_valid(facts)),
    clauses            TEXT NOT NULL CHECK (json_valid(clauses)),
    department         TEXT NOT NULL,
    consented_at       TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('filed', 'delivered', 'accepted', 'transferred',
                           'processing', 'concluded', 'revisited', 'rated')),
    -- status_seq is the highest sequence number of the platform's
    -- callbacks, 0 before the first: a lower one never moves the status.
    status_seq         INTEGER NOT NULL DEFAULT 0,
    platform_ticket_id TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX complaint_tickets_owner ON complaint_tickets (owner_key, id) WHERE owner_key <> '';

-- One delivery per ticket, written in the ticket's transaction.
-- idempotency_key is the one the platform dedupes on. next_attempt_at is
-- when a worker may take the row next: its retry time while pending, the
-- end of its lease while delivering, so that a row whose worker died is
-- taken again when the lease ends.
CREATE TABLE complaint_outbox (
    ticket_id       INTEGER PRIMARY KEY REFERENCES complaint_tickets (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_until   TEXT,
    delivered_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX complaint_outbox_due ON complaint_outbox (next_attempt_at, ticket_id)
    WHERE state IN ('pending', 'delivering');
CREATE INDEX complaint_outbox_dead ON complaint_outbox (updated_at) WHERE state = 'dead';

-- The platform's callbacks, by its per-ticket sequence number; body_hash
-- tells a repeat (accepted once) from a different body under one number.
CREATE TABLE complaint_status_events (
    ticket_id   INTEGER NOT NULL REFERENCES complaint_tickets (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    status      TEXT NOT NULL CHECK (status IN ('accepted', 'transferred', 'processing', 'concluded', 'revisited', 'rated')),
    note        TEXT NOT NULL,
    body_hash   BLOB NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
) STRICT, WITHOUT ROWID;

-- The platform's questions, one per platform ticket: the hash of the text
-- asked and the answer given, which a repeat of the question gets again.
CREATE TABLE complaint_inbound (
    platform_ticket_id TEXT PRIMARY KEY,
    text_hash          BLOB NOT NULL,
    answer             TEXT NOT NULL CHECK (json_valid(answer)),
    created_at         TEXT NOT NULL
) STRICT, WITHOUT ROWID;
