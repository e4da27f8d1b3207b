// Package complaints integrates policybot with the city's enterprise
// complaint platform, both ways: it issues the integrator's signing keys
// and finds them for the verifier of package sign, and its Worker delivers
// the tickets filed in the store's outbox to the platform.
package complaints

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"policybot/complaints/sign"
	"policybot/internal/secretbox"
	"policybot/store"
)

// KeyStore is the part of the store that keeps integrator keys.
type KeyStore interface {
	AddIntegratorKey(ctx context.Context, k store.NewIntegratorKey, by store.Actor) (store.IntegratorKey, error)
	IntegratorKey(ctx context.Context, keyID string) (store.IntegratorKey, error)
	IntegratorKeys(ctx context.Context, integrator string) ([]store.IntegratorKey, error)
}

// KeyCacheTTL is how long Keys keeps a key it has looked up, its secret
// opened, before looking again: a key revoked in the store stops working
// within this time in every process.
const KeyCacheTTL = 10 * time.Second

// Keys issues integrator keys and finds them for a sign.Verifier, opening
// their secrets with the master key.
//
// It keeps the keys it has found, revoked ones too, for KeyCacheTTL, so
// that a busy integrator costs one query per key per KeyCacheTTL rather
// than one per call. Only keys that exist are kept, so the cache is never
// larger than the table, whatever key ids strangers send.
type Keys struct {
	store KeyStore
	box   *secretbox.Box
	now   func() time.Time

	mu    sync.Mutex // guards cache and signing
	cache map[string]cachedKey
	// signing holds the id of each integrator's signing key, by
	// integrator, for KeyCacheTTL.
	signing map[string]cachedID
}

type cachedID struct {
	id    string
	until time.Time
}

type cachedKey struct {
	key   sign.Key
	until time.Time
}

var _ sign.KeyRing = (*Keys)(nil)

// NewKeys returns the keys kept in st, whose secrets box seals, on the
// clock now (time.Now outside tests).
func NewKeys(st KeyStore, box *secretbox.Box, now func() time.Time) *Keys {
	return &Keys{store: st, box: box, now: now, cache: make(map[string]cachedKey), signing: make(map[string]cachedID)}
}

// secretAD is the associated data a key's secret is sealed with: the
// table and the key id, so that a sealed secret copied to another key, or
// to another table sealed under the same master key, does not open.
func secretAD(keyID string) []byte {
	return []byte("integrator_keys/" + keyID)
}

// Issue makes a new key of integrator signing with alg and keeps it, and
// returns it with its secret: 32 random bytes in base64url, to give the
// integrator now, since it is never shown again. A third active key of one
// integrator is refused by the store.
func (k *Keys) Issue(ctx context.Context, integrator string, alg sign.Algorithm, by store.Actor) (store.IntegratorKey, string, error) {
	if err := alg.Valid(); err != nil {
		return store.IntegratorKey{}, "", err
	}
	keyID := "pbk_" + hex.EncodeToString(random(12))
	secret := base64.RawURLEncoding.EncodeToString(random(32))
	kept, err := k.store.AddIntegratorKey(ctx, store.NewIntegratorKey{
		KeyID: keyID, Integrator: integrator, Algorithm: string(alg),
		SecretEnc: k.box.Seal([]byte(secret), secretAD(keyID)),
	}, by)
	if err != nil {
		return store.IntegratorKey{}, "", err
	}
	return kept, secret, nil
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails: it crashes the program rather than return short
	return b
}

// Key returns the key of id with its secret opened; a revoked key comes
// without its secret, which nothing needs. A secret that does not open
// (another master key, or a sealed secret moved from another row) is an
// error wrapping secretbox.ErrOpen: the service is misconfigured or its
// database tampered with, which no integrator can mend.
func (k *Keys) Key(ctx context.Context, id string) (sign.Key, error) {
	now := k.now()
	k.mu.Lock()
	c, ok := k.cache[id]
	k.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.key, nil
	}
	kept, err := k.store.IntegratorKey(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return sign.Key{}, fmt.Errorf("complaints: key %s: %w", id, sign.ErrUnknownKey)
	case err != nil:
		return sign.Key{}, fmt.Errorf("%w: %w", sign.ErrUnavailable, err)
	}
	key := sign.Key{ID: kept.KeyID, Integrator: kept.Integrator, Algorithm: sign.Algorithm(kept.Algorithm), Revoked: !kept.RevokedAt.IsZero()}
	if !key.Revoked {
		if key.Secret, err = k.box.Open(kept.SecretEnc, secretAD(kept.KeyID)); err != nil {
			return sign.Key{}, fmt.Errorf("complaints: key %s: %w", id, err)
		}
	}
	k.mu.Lock()
	k.cache[id] = cachedKey{key: key, until: now.Add(KeyCacheTTL)}
	k.mu.Unlock()
	return key, nil
}

// SigningKey returns the key policybot signs its own calls to integrator
// with, its secret opened: the oldest of its active keys. During a
// rotation that is the key the integrator has had longer, which stays
// valid until it is revoked, whichever of the two the integrator has moved
// to. An integrator without an active key is an error wrapping
// sign.ErrUnknownKey.
func (k *Keys) SigningKey(ctx context.Context, integrator string) (sign.Key, error) {
	now := k.now()
	k.mu.Lock()
	c, ok := k.signing[integrator]
	k.mu.Unlock()
	if !ok || !now.Before(c.until) {
		kept, err := k.store.IntegratorKeys(ctx, integrator)
		if err != nil {
			return sign.Key{}, fmt.Errorf("%w: %w", sign.ErrUnavailable, err)
		}
		i := slices.IndexFunc(kept, func(k store.IntegratorKey) bool { return k.RevokedAt.IsZero() })
		if i < 0 {
			return sign.Key{}, fmt.Errorf("complaints: %s has no active key: %w", integrator, sign.ErrUnknownKey)
		}
		c = cachedID{id: kept[i].KeyID, until: now.Add(KeyCacheTTL)}
		k.mu.Lock()
		k.signing[integrator] = c
		k.mu.Unlock()
	}
	key, err := k.Key(ctx, c.id)
	if err == nil && key.Revoked {
		err = fmt.Errorf("complaints: key %s of %s is revoked: %w", c.id, integrator, sign.ErrRevokedKey)
	}
	return key, err
}
