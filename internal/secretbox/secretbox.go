// Package secretbox encrypts the secrets the service must keep readable
// (integrators' signing secrets: a server that keeps only a hash cannot
// check an HMAC; a complainant's phone, which the platform must be given)
// under one master key that never enters the database.
//
// A sealed secret is a version byte, a random 96-bit nonce, and the
// AES-256-GCM ciphertext with its tag. Seal and Open take associated data
// that names where the secret belongs (its row), so that a ciphertext
// copied to another row does not open there.
//
// Hash is a keyed hash under the same master key, for checking a secret
// someone types (a phone given with a ticket number) without opening the
// one kept: without the master key the hash cannot be computed, so a copy
// of the database does not let anyone try every phone number.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the size of a master key: 32 bytes, for AES-256.
const KeySize = 32

// version1 is the first byte of what Seal returns: AES-256-GCM under the
// master key with a random nonce.
const version1 = 1

// ErrOpen is returned by Open for a ciphertext that does not open: sealed
// under another master key, for other associated data, or damaged.
var ErrOpen = errors.New("secretbox: cannot open: wrong master key, moved or damaged ciphertext")

// Box seals and opens secrets under one master key. It holds no key bytes
// in a printable form, so logging it shows nothing secret.
type Box struct {
	aead cipher.AEAD
	// hashKey is Hash's HMAC key, derived from the master key with HKDF so
	// that no key serves both AES-GCM and HMAC; behind a pointer, which fmt
	// prints as an address.
	hashKey *[sha256.Size]byte
}

// hashInfo is the HKDF info of Hash's key.
const hashInfo = "policybot secretbox keyed hash v1"

// New returns a Box of a master key of KeySize bytes.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secretbox: a master key is %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	hashKey, err := hkdf.Key(sha256.New, key, nil, hashInfo, sha256.Size)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return &Box{aead: aead, hashKey: (*[sha256.Size]byte)(hashKey)}, nil
}

// Hash returns the HMAC-SHA256 of data bound to ad under a key derived
// from the master key: equal for equal inputs, and not computable without
// the master key. ad is length-prefixed, so that no two pairs of ad and
// data hash alike.
func (b *Box) Hash(ad, data []byte) []byte {
	mac := hmac.New(sha256.New, b.hashKey[:])
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(ad)))
	mac.Write(n[:])
	mac.Write(ad)
	mac.Write(data)
	return mac.Sum(nil)
}

// Seal encrypts plaintext bound to ad. A random nonce of 96 bits is safe
// for far more secrets than the service will ever seal under one key.
func (b *Box) Seal(plaintext, ad []byte) []byte {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	out[0] = version1
	rand.Read(out[1:]) // never fails: it crashes the program rather than return short
	return b.aead.Seal(out, out[1:], plaintext, associated(out[0], ad))
}

// Open decrypts what Seal returned for the same ad, or returns an error
// wrapping ErrOpen.
func (b *Box) Open(sealed, ad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrOpen, len(sealed))
	}
	if sealed[0] != version1 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrOpen, sealed[0])
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], associated(sealed[0], ad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// associated is what GCM authenticates besides the ciphertext: the version
// too, so that a ciphertext cannot be passed off as another version's.
func associated(version byte, ad []byte) []byte {
	return append([]byte{version}, ad...)
}

// Load returns the Box of the master key in the file at path, or else in
// value, the base64 text of an environment variable. A key file holds the
// 32 bytes themselves or their base64 text (standard or URL alphabet,
// padded or not, with surrounding white space such as a final newline).
// Exactly one of path and value must be given. Errors say what is wrong
// with the key and never show any of it.
func Load(path, value string) (*Box, error) {
	switch {
	case path != "" && value != "":
		return nil, errors.New("secretbox: both a master key file and a master key value are set; set one")
	case path != "":
		raw, err := os.ReadFile(path)
		if err != nil {
			// The path error says which file and why, and holds no key.
			return nil, fmt.Errorf("secretbox: master key file: %w", err)
		}
		if len(raw) == KeySize {
			return New(raw)
		}
		key, err := decodeKey(string(raw))
		if err != nil {
			return nil, fmt.Errorf("secretbox: master key file %s holds %d bytes, %v; want the %d bytes of a key or %s",
				path, len(raw), err, KeySize, wantBase64)
		}
		return New(key)
	case value != "":
		key, err := decodeKey(value)
		if err != nil {
			return nil, fmt.Errorf("secretbox: master key value is %v; want %s", err, wantBase64)
		}
		return New(key)
	}
	return nil, errors.New("secretbox: no master key: give a master key file or value")
}

// wantBase64 says what the base64 text of a key looks like.
var wantBase64 = fmt.Sprintf("the base64 of %d bytes (44 characters, as `openssl rand -base64 %d` prints)", KeySize, KeySize)

// decodeKey decodes the base64 text of a key in any of its four common
// forms. Its errors are phrases that show none of the text.
func decodeKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(text); err == nil {
			if len(key) != KeySize {
				return nil, fmt.Errorf("the base64 of %d bytes", len(key))
			}
			return key, nil
		}
	}
	return nil, errors.New("not base64")
}
