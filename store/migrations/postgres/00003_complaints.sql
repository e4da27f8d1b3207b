-- Complaints filed with the city's enterprise complaint platform, the
-- outbox of their delivery, the status the platform reports back, and the
-- platform's own questions. A complainant's phone is kept only sealed
-- under the master key, with a keyed hash bound to its ticket for checking
-- a phone someone types; the database holds neither the key nor the phone.

-- +goose Up
-- complaint_ticket_days holds the last sequence number given on each day
-- (yyyymmdd in Beijing time), from which ticket numbers are made.
CREATE TABLE complaint_ticket_days (
    day  text COLLATE "C" PRIMARY KEY,
    last integer NOT NULL
);

-- idempotency_key is the filer's (one per chat turn), so that filing a
-- turn twice files once; request_hash, a keyed hash of what was filed,
-- tells such a repeat from another ticket sent under the same key.
CREATE TABLE complaint_tickets (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             text COLLATE "C" NOT NULL UNIQUE,
    idempotency_key    text COLLATE "C" NOT NULL UNIQUE,
    request_hash       bytea NOT NULL,
    owner_key          text COLLATE "C" NOT NULL,
    contact_name       text NOT NULL,
    phone_enc          bytea NOT NULL,
    phone_hash         bytea NOT NULL,
    enterprise         text NOT NULL,
    credit_code        text COLLATE "C",
    complaint          text NOT NULL,
    facts              json NOT NULL,
    clauses            json NOT NULL,
    department         text NOT NULL,
    consented_at       timestamptz NOT NULL,
    status             text NOT NULL CHECK (status IN ('filed', 'delivered', 'accepted', 'transferred',
                           'processing', 'concluded', 'revisited', 'rated')),
    -- status_seq is the highest sequence number of the platform's
    -- callbacks, 0 before the first: a lower one never moves the status.
    status_seq         bigint NOT NULL DEFAULT 0,
    platform_ticket_id text COLLATE "C",
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX complaint_tickets_owner ON complaint_tickets (owner_key, id) WHERE owner_key <> '';

-- One delivery per ticket, written in the ticket's transaction.
-- idempotency_key is the one the platform dedupes on. next_attempt_at is
-- when a worker may take the row next: its retry time while pending, the
-- end of its lease while delivering, so that a row whose worker died is
-- taken again when the lease ends.
CREATE TABLE complaint_outbox (
    ticket_id       bigint PRIMARY KEY REFERENCES complaint_tickets (id),
    idempotency_key text COLLATE "C" NOT NULL UNIQUE,
    state           text NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text NOT NULL DEFAULT '',
    claimed_by      text NOT NULL DEFAULT '',
    claimed_until   timestamptz,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX complaint_outbox_due ON complaint_outbox (next_attempt_at, ticket_id)
    WHERE state IN ('pending', 'delivering');
CREATE INDEX complaint_outbox_dead ON complaint_outbox (updated_at) WHERE state = 'dead';

-- The platform's callbacks, by its per-ticket sequence number; body_hash
-- tells a repeat (accepted once) from a different body under one number.
CREATE TABLE complaint_status_events (
    ticket_id   bigint NOT NULL REFERENCES complaint_tickets (id),
    seq         bigint NOT NULL CHECK (seq > 0),
    status      text NOT NULL CHECK (status IN ('accepted', 'transferred', 'processing', 'concluded', 'revisited', 'rated')),
    note        text NOT NULL,
    body_hash   bytea NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);

-- The platform's questions, one per platform ticket: the hash of the text
-- asked and the answer given, which a repeat of the question gets again.
CREATE TABLE complaint_inbound (
    platform_ticket_id text COLLATE "C" PRIMARY KEY,
    text_hash          bytea NOT NULL,
    answer             json NOT NULL,
    created_at         timestamptz NOT NULL
);
