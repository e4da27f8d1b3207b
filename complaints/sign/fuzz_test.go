package sign

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"testing"
)

// FuzzParseHeaders checks that any headers a stranger sends are either
// refused as an *Error naming one of the four headers, or accepted with
// values of the documented form; and that nothing panics.
func FuzzParseHeaders(f *testing.F) {
	f.Add("pbk_5f3c9e1a7b2d4c6e8f0a1b2c", "1767225600", "Zm9yLWV4YW1wbGUtb25seQ", "e4ceeb94799e68420cf02d4045f96851c924122feb685f483cf170ee6aef3f4b", "")
	f.Add("k", "0", "0123456789abcdef", "E4CEEB94799E68420CF02D4045F96851C924122FEB685F483CF170EE6AEF3F4B", "second")
	f.Add("", "", "", "", "")
	f.Add("pbk:1", "-1", "短短短短短短短短短短短短", "e4ce", "")
	f.Add("pbk_1", "999999999999", "0123456789abcdef0", "e4ceeb94799e68420cf02d4045f96851c924122feb685f483cf170ee6aef3f4b0", "")
	f.Fuzz(func(t *testing.T, keyID, timestamp, nonce, signature, second string) {
		hdr := http.Header{}
		for name, v := range map[string]string{HeaderKeyID: keyID, HeaderTimestamp: timestamp, HeaderNonce: nonce, HeaderSignature: signature} {
			if v != "" {
				hdr.Set(name, v)
			}
		}
		if second != "" {
			hdr.Add(HeaderNonce, second)
		}
		h, err := parseHeaders(hdr)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || (!errors.Is(err, ErrMissingHeader) && !errors.Is(err, ErrMalformedHeader)) {
				t.Fatalf("error %v is not a refusal for a missing or malformed header", err)
			}
			if se.Header != HeaderKeyID && se.Header != HeaderTimestamp && se.Header != HeaderNonce && se.Header != HeaderSignature {
				t.Fatalf("refusal names header %q", se.Header)
			}
			return
		}
		if second != "" {
			t.Fatalf("accepted a nonce sent twice: %q and %q", nonce, second)
		}
		if h.keyID != keyID || !validKeyID(keyID) {
			t.Errorf("key id %q accepted as %q", keyID, h.keyID)
		}
		if h.nonce != nonce || !validNonce(nonce) {
			t.Errorf("nonce %q accepted as %q", nonce, h.nonce)
		}
		if h.timestamp != timestamp || strconv.FormatInt(h.unix, 10) != trimZeros(timestamp) || h.unix < 0 {
			t.Errorf("timestamp %q accepted as %q, %d", timestamp, h.timestamp, h.unix)
		}
		if want, err := hex.DecodeString(signature); err != nil || len(h.signature) != 32 || !bytes.Equal(h.signature, want) {
			t.Errorf("signature %q accepted as %x", signature, h.signature)
		}
	})
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
