package sign_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"policybot/complaints/sign"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHMACVectors checks the HMACs against the seven cases of RFC 4231 for
// HMAC-SHA256 and, for HMAC-SM3, the same inputs as OpenSSL 3.0 computes
// them (openssl dgst -sm3 -mac HMAC -macopt hexkey:KEY), an implementation
// independent of the one used here. Case 5 is truncated to 128 bits in the
// RFC.
func TestHMACVectors(t *testing.T) {
	longKey := strings.Repeat("aa", 131)
	tests := []struct {
		name, key, data string // key and data in hex
		sha256, sm3     string
	}{
		{"1", strings.Repeat("0b", 20), hex.EncodeToString([]byte("Hi There")),
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
			"51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70"},
		{"2", hex.EncodeToString([]byte("Jefe")), hex.EncodeToString([]byte("what do ya want for nothing?")),
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
			"2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"},
		{"3", strings.Repeat("aa", 20), strings.Repeat("dd", 50),
			"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
			"dd9421e1c725bdf52ec1aa34edadb3c97f5951a83a2fa93f73a7902bc1dcc777"},
		{"4", "0102030405060708090a0b0c0d0e0f10111213141516171819", strings.Repeat("cd", 50),
			"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
			"b57c79be03472aeb8cada581dea332cb2ba83d19cb1b052dd07194def75fb8cd"},
		{"5", strings.Repeat("0c", 20), hex.EncodeToString([]byte("Test With Truncation")),
			"a3b6167473100ee06e0c796c2955552b",
			"f68127c9f91764f5fb820d537adc8330d3aa6ccc0016575fe3975bfe8d522ecb"},
		{"6", longKey, hex.EncodeToString([]byte("Test Using Larger Than Block-Size Key - Hash Key First")),
			"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
			"b4fd844e13342002f0b2e0690ea7741f1497d993a70494cea601e657bedf67a0"},
		{"7", longKey, hex.EncodeToString([]byte("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")),
			"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
			"5acbdeb0c8c1ef3a99088fe51c0a1d5f4e1c175935f016aee74eb8056db18acb"},
	}
	for _, tt := range tests {
		for _, alg := range []struct {
			alg  sign.Algorithm
			want string
		}{{sign.HMACSHA256, tt.sha256}, {sign.HMACSM3, tt.sm3}} {
			t.Run(string(alg.alg)+"/"+tt.name, func(t *testing.T) {
				k := sign.Key{ID: "k", Algorithm: alg.alg, Secret: unhex(t, tt.key)}
				got, err := k.Signature(string(unhex(t, tt.data)))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(got, alg.want) {
					t.Errorf("HMAC = %s, want %s", got, alg.want)
				}
			})
		}
	}
}

// TestBodyHashVectors checks the body hash of the canonical string against
// FIPS 180-2's SHA-256 of "abc" and GB/T 32905-2016's two SM3 examples.
func TestBodyHashVectors(t *testing.T) {
	tests := []struct {
		alg  sign.Algorithm
		body []byte
		want string
	}{
		{sign.HMACSHA256, []byte("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{sign.HMACSHA256, nil, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{sign.HMACSM3, []byte("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{sign.HMACSM3, bytes.Repeat([]byte("abcd"), 16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
	}
	for _, tt := range tests {
		canonical, err := sign.StringToSign(tt.alg, "POST", "/", "0", "n", tt.body)
		if err != nil {
			t.Fatal(err)
		}
		if want := "POST\n/\n0\nn\n" + tt.want; canonical != want {
			t.Errorf("StringToSign(%s, %q) = %q, want %q", tt.alg, tt.body, canonical, want)
		}
	}
}

func TestUnknownAlgorithm(t *testing.T) {
	if _, err := sign.StringToSign("hmac-md5", "GET", "/", "0", "n", nil); err == nil {
		t.Error("StringToSign(hmac-md5) succeeded, want ErrUnknownAlgorithm")
	}
	if err := sign.Algorithm("HMAC-SHA256").Valid(); err == nil {
		t.Error("Valid(HMAC-SHA256) = nil: algorithm names are lower case")
	}
	for _, a := range []sign.Algorithm{sign.HMACSHA256, sign.HMACSM3} {
		if err := a.Valid(); err != nil {
			t.Errorf("Valid(%s) = %v", a, err)
		}
	}
}
