-- The signing keys of integrators (the enterprise complaint platform). A
-- secret is kept sealed under the master key, which the database never
-- holds: a server that kept only a hash could not check an HMAC.

-- +goose Up
CREATE TABLE integrator_keys (
    key_id     TEXT PRIMARY KEY,
    integrator TEXT NOT NULL,
    algorithm  TEXT NOT NULL CHECK (algorithm IN ('hmac-sha256', 'hmac-sm3')),
    secret_enc BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX integrator_keys_integrator ON integrator_keys (integrator, created_at);
