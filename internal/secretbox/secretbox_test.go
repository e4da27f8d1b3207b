package secretbox_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policybot/internal/secretbox"
)

func mustKey(t *testing.T) []byte {
	t.Helper()
	key := make([]byte, secretbox.KeySize)
	rand.Read(key)
	return key
}

func mustBox(t *testing.T, key []byte) *secretbox.Box {
	t.Helper()
	b, err := secretbox.New(key)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	b := mustBox(t, mustKey(t))
	for _, plain := range [][]byte{[]byte("a signing secret"), {}, bytes.Repeat([]byte{0xff}, 1000)} {
		sealed := b.Seal(plain, []byte("integrator_keys/pbk_1"))
		if len(plain) > 0 && bytes.Contains(sealed, plain) {
			t.Errorf("Seal(%q) holds the plaintext", plain)
		}
		got, err := b.Open(sealed, []byte("integrator_keys/pbk_1"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("Open(Seal(%q)) = %q", plain, got)
		}
	}
	// Two seals of one secret differ, so equal secrets cannot be told apart.
	if bytes.Equal(b.Seal([]byte("s"), nil), b.Seal([]byte("s"), nil)) {
		t.Error("two seals of one secret are equal; want a fresh nonce each")
	}
}

func TestOpenRefuses(t *testing.T) {
	key := mustKey(t)
	b := mustBox(t, key)
	ad := []byte("integrator_keys/pbk_1")
	sealed := b.Seal([]byte("a signing secret"), ad)
	edit := func(f func(s []byte)) []byte {
		s := bytes.Clone(sealed)
		f(s)
		return s
	}
	tests := []struct {
		name   string
		box    *secretbox.Box
		sealed []byte
		ad     []byte
	}{
		{"WrongMasterKey", mustBox(t, mustKey(t)), sealed, ad},
		{"MovedToAnotherRow", b, sealed, []byte("integrator_keys/pbk_2")},
		{"NoAssociatedData", b, sealed, nil},
		{"FlippedBit", b, edit(func(s []byte) { s[len(s)-1] ^= 1 }), ad},
		{"OtherVersion", b, edit(func(s []byte) { s[0] = 2 }), ad},
		{"Truncated", b, sealed[:20], ad},
		{"Empty", b, nil, ad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.sealed, tt.ad)
			if !errors.Is(err, secretbox.ErrOpen) || got != nil {
				t.Errorf("Open = %q, %v; want nothing and ErrOpen", got, err)
			}
		})
	}
}

func TestNewRefusesShortKey(t *testing.T) {
	if _, err := secretbox.New(make([]byte, 16)); err == nil {
		t.Error("New(16 bytes) succeeded, want an error: AES-256 takes 32")
	}
}

func TestLoad(t *testing.T) {
	key := mustKey(t)
	dir := t.TempDir()
	file := func(name string, content []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	std := base64.StdEncoding.EncodeToString(key)
	tests := []struct {
		name        string
		path, value string
	}{
		{"RawFile", file("raw", key), ""},
		{"Base64FileWithNewline", file("b64", []byte(std+"\n")), ""},
		{"URLBase64File", file("url", []byte(base64.RawURLEncoding.EncodeToString(key))), ""},
		{"Value", "", std},
		{"URLValue", "", base64.URLEncoding.EncodeToString(key)},
	}
	want := mustBox(t, key).Seal([]byte("secret"), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := secretbox.Load(tt.path, tt.value)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got, err := b.Open(want, nil); err != nil || string(got) != "secret" {
				t.Errorf("the loaded key does not open what the key sealed: %q, %v", got, err)
			}
		})
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, content []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	key := mustKey(t)
	std := base64.StdEncoding.EncodeToString(key)
	short := base64.StdEncoding.EncodeToString(key[:16])
	tests := []struct {
		name        string
		path, value string
		want        string
	}{
		{"Neither", "", "", "no master key"},
		{"Both", file("both", key), std, "both"},
		{"MissingFile", filepath.Join(dir, "absent"), "", "no such file"},
		{"RawKeyWithNewline", file("raw-nl", append(bytes.Clone(key), '\n')), "", "33 bytes, not base64; want the 32 bytes of a key or the base64 of 32 bytes"},
		{"ShortBase64File", file("short", []byte(short)), "", "the base64 of 16 bytes"},
		{"EmptyFile", file("empty", nil), "", "holds 0 bytes"},
		{"TextFile", file("text", []byte("correct horse battery staple")), "", "not base64"},
		{"ShortValue", "", short, "master key value is the base64 of 16 bytes; want the base64 of 32 bytes"},
		{"NotBase64Value", "", "not a key!", "master key value is not base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := secretbox.Load(tt.path, tt.value)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "secretbox: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want one starting %q and containing %q", msg, "secretbox: ", tt.want)
			}
			for _, secret := range []string{std, short, string(key[:8])} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q shows the key", msg)
				}
			}
		})
	}
}

func TestHash(t *testing.T) {
	key := mustKey(t)
	b := mustBox(t, key)
	ad := []byte("complaint_tickets/TS20260115-0001")
	h := b.Hash(ad, []byte("13800138000"))
	if len(h) != 32 {
		t.Fatalf("Hash is %d bytes, want 32", len(h))
	}
	if !bytes.Equal(h, mustBox(t, key).Hash(ad, []byte("13800138000"))) {
		t.Error("Hash under the same master key differs; want it equal for equal inputs")
	}
	for _, tt := range []struct {
		name     string
		box      *secretbox.Box
		ad, data []byte
	}{
		{"OtherData", b, ad, []byte("13800138001")},
		{"OtherRow", b, []byte("complaint_tickets/TS20260115-0002"), []byte("13800138000")},
		// Moving a byte from ad to data changes the hash: ad is length-prefixed.
		{"BoundaryMoved", b, ad[:len(ad)-1], append([]byte{ad[len(ad)-1]}, "13800138000"...)},
		{"OtherMasterKey", mustBox(t, mustKey(t)), ad, []byte("13800138000")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(h, tt.box.Hash(tt.ad, tt.data)) {
				t.Error("Hash is the same; want it to differ")
			}
		})
	}
}
