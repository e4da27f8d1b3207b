package complaints_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/internal/secretbox"
	"policybot/store"
	"policybot/store/storetest"
)

var cli = store.Actor{Username: "cli"}

func mustBox(t *testing.T) *secretbox.Box {
	t.Helper()
	key := make([]byte, secretbox.KeySize)
	rand.Read(key)
	b, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keysEnv is a store on SQLite and the Keys on it, on a clock of its own.
type keysEnv struct {
	db    storetest.DB
	s     store.Store
	box   *secretbox.Box
	clock *storetest.Clock
	keys  *complaints.Keys
}

func newKeysEnv(t *testing.T) *keysEnv {
	t.Helper()
	db := storetest.SQLite(t)
	e := &keysEnv{db: db, s: db.Open(t, store.Options{}), box: mustBox(t), clock: storetest.NewClock(time.Now())}
	e.keys = complaints.NewKeys(e.s, e.box, e.clock.Now)
	return e
}

func (e *keysEnv) issue(t *testing.T, alg sign.Algorithm) (store.IntegratorKey, string) {
	t.Helper()
	k, secret, err := e.keys.Issue(t.Context(), "gz12345", alg, cli)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return k, secret
}

func TestIssue(t *testing.T) {
	e := newKeysEnv(t)
	k, secret := e.issue(t, sign.HMACSM3)
	if !regexp.MustCompile(`^pbk_[0-9a-f]{24}$`).MatchString(k.KeyID) || k.Integrator != "gz12345" || k.Algorithm != "hmac-sm3" {
		t.Errorf("Issue = %+v, want a pbk_ key of gz12345 signing with hmac-sm3", k)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(secret); err != nil || len(raw) != 32 || len(secret) != 43 {
		t.Errorf("secret %q: want 32 bytes in 43 characters of base64url", secret)
	}
	// What the database holds is sealed: neither the secret nor what it encodes.
	var kept []byte
	if err := e.db.Raw(t).QueryRow(`SELECT secret_enc FROM integrator_keys WHERE key_id = $1`, k.KeyID).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(secret)
	if bytes.Contains(kept, []byte(secret)) || bytes.Contains(kept, raw) {
		t.Error("the database holds the secret in clear")
	}
	got, err := e.keys.Key(t.Context(), k.KeyID)
	if err != nil {
		t.Fatalf("Key: %v", err)
	}
	if got.ID != k.KeyID || got.Integrator != "gz12345" || got.Algorithm != sign.HMACSM3 || string(got.Secret) != secret || got.Revoked {
		t.Errorf("Key = %+v, want the issued key with its secret", got)
	}
	other, otherSecret := e.issue(t, sign.HMACSHA256)
	if other.KeyID == k.KeyID || otherSecret == secret {
		t.Error("two keys issued alike")
	}
}

func TestIssueRefuses(t *testing.T) {
	e := newKeysEnv(t)
	if _, _, err := e.keys.Issue(t.Context(), "gz12345", "hmac-md5", cli); !errors.Is(err, sign.ErrUnknownAlgorithm) {
		t.Errorf("Issue(hmac-md5) error = %v, want ErrUnknownAlgorithm", err)
	}
	e.issue(t, sign.HMACSHA256)
	e.issue(t, sign.HMACSHA256)
	if _, _, err := e.keys.Issue(t.Context(), "gz12345", sign.HMACSHA256, cli); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a third key: error = %v, want ErrConflict", err)
	}
}

// TestKeysVerify signs a call with an issued key as the platform would and
// verifies it through Keys, then revokes the key in the store.
func TestKeysVerify(t *testing.T) {
	e := newKeysEnv(t)
	k, secret := e.issue(t, sign.HMACSHA256)
	v := sign.NewVerifier(e.keys, sign.NewMemoryNonces(e.clock.Now), e.clock.Now)
	body := []byte(`{"ticket_id":"GZ-0001"}`)
	call := func() error {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "/v1/integrations/complaints", bytes.NewReader(body))
		platformKey := sign.Key{ID: k.KeyID, Algorithm: sign.HMACSHA256, Secret: []byte(secret)}
		if err := sign.SignAt(r, body, platformKey, e.clock.Now(), sign.NewNonce()); err != nil {
			t.Fatal(err)
		}
		_, err := v.Verify(t.Context(), r, body)
		return err
	}
	if err := call(); err != nil {
		t.Fatalf("a call signed with the issued secret: %v", err)
	}
	if _, err := e.s.RevokeIntegratorKey(t.Context(), k.KeyID, cli); err != nil {
		t.Fatal(err)
	}
	// The key was found before its revocation and is kept that long.
	e.clock.Advance(complaints.KeyCacheTTL - time.Second)
	if err := call(); err != nil {
		t.Errorf("a call within the cache's time: %v, want it accepted still", err)
	}
	e.clock.Advance(time.Second)
	if err := call(); !errors.Is(err, sign.ErrRevokedKey) {
		t.Errorf("a call %v after the revocation: %v, want ErrRevokedKey", complaints.KeyCacheTTL, err)
	}
}

func TestKeyRefuses(t *testing.T) {
	e := newKeysEnv(t)
	a, _ := e.issue(t, sign.HMACSHA256)
	b, _ := e.issue(t, sign.HMACSHA256)

	if _, err := e.keys.Key(t.Context(), "pbk_nobody"); !errors.Is(err, sign.ErrUnknownKey) {
		t.Errorf("Key(pbk_nobody) error = %v, want ErrUnknownKey", err)
	}
	// Under another master key nothing opens.
	other := complaints.NewKeys(e.s, mustBox(t), time.Now)
	if _, err := other.Key(t.Context(), a.KeyID); !errors.Is(err, secretbox.ErrOpen) {
		t.Errorf("Key under another master key: error = %v, want ErrOpen", err)
	}
	// A's sealed secret copied onto b's row does not open as b's.
	if _, err := e.db.Raw(t).Exec(`UPDATE integrator_keys SET secret_enc = (SELECT secret_enc FROM integrator_keys WHERE key_id = $1) WHERE key_id = $2`,
		a.KeyID, b.KeyID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.keys.Key(t.Context(), b.KeyID); !errors.Is(err, secretbox.ErrOpen) || errors.Is(err, sign.ErrUnknownKey) {
		t.Errorf("Key of a row holding another row's secret: error = %v, want ErrOpen", err)
	}
	if _, err := e.keys.Key(t.Context(), a.KeyID); err != nil {
		t.Errorf("Key of the row the secret came from: %v", err)
	}
}

func TestKeyUnavailable(t *testing.T) {
	e := newKeysEnv(t)
	e.s.Close()
	_, err := e.keys.Key(t.Context(), "pbk_any")
	if !errors.Is(err, sign.ErrUnavailable) || strings.Contains(err.Error(), "not found") {
		t.Errorf("Key with the database closed: error = %v, want one wrapping ErrUnavailable", err)
	}
}

// TestSignaturesDocCacheTTL checks that SIGNATURES.md tells the time a
// revocation takes.
func TestSignaturesDocCacheTTL(t *testing.T) {
	doc, err := os.ReadFile("SIGNATURES.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ") // as if on one line
	if want := fmt.Sprintf("within %d seconds", int(complaints.KeyCacheTTL.Seconds())); !strings.Contains(text, want) {
		t.Errorf("SIGNATURES.md does not say a revoked key is refused %q", want)
	}
}

// TestSigningKey checks the key policybot signs its calls with: the
// oldest active one, until it is revoked.
func TestSigningKey(t *testing.T) {
	e := newKeysEnv(t)
	older, secret := e.issue(t, sign.HMACSHA256)
	newer, newerSecret := e.issue(t, sign.HMACSM3)
	got, err := e.keys.SigningKey(t.Context(), "gz12345")
	if err != nil || got.ID != older.KeyID || string(got.Secret) != secret {
		t.Fatalf("SigningKey = %+v, %v; want the older key %s with its secret", got, err, older.KeyID)
	}
	if _, err := e.s.RevokeIntegratorKey(t.Context(), older.KeyID, cli); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(complaints.KeyCacheTTL)
	got, err = e.keys.SigningKey(t.Context(), "gz12345")
	if err != nil || got.ID != newer.KeyID || got.Algorithm != sign.HMACSM3 || string(got.Secret) != newerSecret {
		t.Errorf("SigningKey after the older was revoked = %+v, %v; want %s", got, err, newer.KeyID)
	}
	if _, err := e.s.RevokeIntegratorKey(t.Context(), newer.KeyID, cli); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(complaints.KeyCacheTTL)
	if _, err := e.keys.SigningKey(t.Context(), "gz12345"); !errors.Is(err, sign.ErrUnknownKey) {
		t.Errorf("SigningKey with every key revoked: %v, want ErrUnknownKey", err)
	}
	if _, err := e.keys.SigningKey(t.Context(), "nobody"); !errors.Is(err, sign.ErrUnknownKey) {
		t.Errorf("SigningKey of an integrator without keys: %v, want ErrUnknownKey", err)
	}
}
