package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// IntegratorKey is an integrator's signing key as kept, its secret sealed
// under the master key (see internal/secretbox); the store never sees it
// in clear.
type IntegratorKey struct {
	KeyID      string
	Integrator string
	// Algorithm is hmac-sha256 or hmac-sm3.
	Algorithm string
	SecretEnc []byte
	CreatedAt time.Time
	// RevokedAt is when the key was revoked; zero while it is active.
	RevokedAt time.Time
}

// NewIntegratorKey is a key to keep.
type NewIntegratorKey struct {
	KeyID      string
	Integrator string
	Algorithm  string
	SecretEnc  []byte
}

// MaxActiveKeys is how many active keys an integrator may have: two, so
// that a key can be rotated without a pause.
const MaxActiveKeys = 2

// Audit actions of integrator keys.
const (
	ActionIntegratorKeyAdded   Action = "integrator-key-added"
	ActionIntegratorKeyRevoked Action = "integrator-key-revoked"
)

var (
	// keyIDRE is the form of a key id: the characters a signature header
	// carries without escaping.
	keyIDRE      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	integratorRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)
)

const integratorKeyColumns = "key_id, integrator, algorithm, secret_enc, created_at, revoked_at"

func scanIntegratorKey(row scanner) (IntegratorKey, error) {
	var k IntegratorKey
	err := row.Scan(&k.KeyID, &k.Integrator, &k.Algorithm, &k.SecretEnc, timeCol{&k.CreatedAt}, timeCol{&k.RevokedAt})
	return k, err
}

// AddIntegratorKey keeps a new key.
func (s *DB) AddIntegratorKey(ctx context.Context, n NewIntegratorKey, by Actor) (IntegratorKey, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !keyIDRE.MatchString(n.KeyID) {
		return IntegratorKey{}, invalid("key_id", "a key id is 1 to 64 characters of A-Z, a-z, 0-9, _ and -")
	}
	// An integrator's name is kept as a username is: trimmed, in lower case.
	integrator := normalizeUsername(n.Integrator)
	if !integratorRE.MatchString(integrator) {
		return IntegratorKey{}, invalid("integrator", "对接方名称应为2至64位小写字母、数字或 . _ -,以字母或数字开头")
	}
	if n.Algorithm != "hmac-sha256" && n.Algorithm != "hmac-sm3" {
		return IntegratorKey{}, invalid("algorithm", "签名算法应为 hmac-sha256 或 hmac-sm3")
	}
	if len(n.SecretEnc) == 0 {
		return IntegratorKey{}, invalid("secret_enc", "a key needs its sealed secret")
	}
	if err := checkActor(by); err != nil {
		return IntegratorKey{}, err
	}
	now := s.clock()
	var k IntegratorKey
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The audit row comes first: appending it locks the audit head
		// until the transaction ends, so that two adds for one integrator
		// take turns and each counts the keys the other committed.
		if _, err := s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionIntegratorKeyAdded,
			Object: "integrator-key/" + n.KeyID, Detail: integrator + " " + n.Algorithm}); err != nil {
			return err
		}
		var active int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM integrator_keys
			WHERE integrator = $1 AND revoked_at IS NULL`, integrator).Scan(&active); err != nil {
			return err
		}
		if active >= MaxActiveKeys {
			return conflict("integrator", fmt.Sprintf("该对接方已有%d个有效密钥,请先吊销其中一个", MaxActiveKeys))
		}
		var err error
		k, err = scanIntegratorKey(tx.QueryRowContext(ctx, `INSERT INTO integrator_keys
			(key_id, integrator, algorithm, secret_enc, created_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING `+integratorKeyColumns, n.KeyID, integrator, n.Algorithm, n.SecretEnc, s.t(now)))
		return err
	})
	var se *Error
	switch {
	case errors.As(err, &se):
		return IntegratorKey{}, se
	case s.dialect.violated(err) == uniqueViolation:
		return IntegratorKey{}, conflict("key_id", "key id already taken")
	case err != nil:
		return IntegratorKey{}, fmt.Errorf("store: add integrator key: %w", err)
	}
	return k, nil
}

// IntegratorKey returns the key of keyID, a revoked one too, or ErrNotFound.
func (s *DB) IntegratorKey(ctx context.Context, keyID string) (IntegratorKey, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	k, err := scanIntegratorKey(s.db.QueryRowContext(ctx,
		`SELECT `+integratorKeyColumns+` FROM integrator_keys WHERE key_id = $1`, keyID))
	if err != nil {
		return IntegratorKey{}, errNoRows("integrator key", err)
	}
	return k, nil
}

// IntegratorKeys returns the keys of an integrator, revoked ones too,
// oldest first; none for an integrator without keys.
func (s *DB) IntegratorKeys(ctx context.Context, integrator string) ([]IntegratorKey, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT `+integratorKeyColumns+` FROM integrator_keys
		WHERE integrator = $1 ORDER BY created_at, key_id`, normalizeUsername(integrator))
	if err != nil {
		return nil, fmt.Errorf("store: integrator keys: %w", err)
	}
	defer rows.Close()
	var keys []IntegratorKey
	for rows.Next() {
		k, err := scanIntegratorKey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: integrator keys: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: integrator keys: %w", err)
	}
	return keys, nil
}

// RevokeIntegratorKey revokes a key, keeping the time it was first revoked,
// and returns it.
func (s *DB) RevokeIntegratorKey(ctx context.Context, keyID string, by Actor) (IntegratorKey, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if err := checkActor(by); err != nil {
		return IntegratorKey{}, err
	}
	now := s.clock()
	var k IntegratorKey
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		k, err = scanIntegratorKey(tx.QueryRowContext(ctx, `UPDATE integrator_keys
			SET revoked_at = COALESCE(revoked_at, $1) WHERE key_id = $2
			RETURNING `+integratorKeyColumns, s.t(now), keyID))
		if err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionIntegratorKeyRevoked,
			Object: "integrator-key/" + keyID, Detail: k.Integrator})
		return err
	})
	if err != nil {
		return IntegratorKey{}, errNoRows("revoke integrator key", err)
	}
	return k, nil
}
