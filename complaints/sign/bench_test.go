package sign_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"policybot/complaints/sign"
)

// anyNonce is a NonceStore that takes every nonce, so that one signed
// request can be verified again and again and the benchmark measures the
// verification alone; the nonce stores have benchmarks of their own.
type anyNonce struct{}

func (anyNonce) Use(context.Context, string, string, time.Duration) (bool, error) { return true, nil }

func BenchmarkVerify(b *testing.B) {
	for _, k := range []sign.Key{sha256K, sm3K} {
		for _, size := range []int{1 << 10, 64 << 10} {
			b.Run(string(k.Algorithm)+"/"+strconv.Itoa(size>>10)+"KiB", func(b *testing.B) {
				body := bytes.Repeat([]byte("x"), size)
				r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
				if err := sign.SignAt(r, body, k, now, nonce); err != nil {
					b.Fatal(err)
				}
				v := sign.NewVerifier(keys, anyNonce{}, func() time.Time { return now })
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, err := v.Verify(b.Context(), r, body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkMemoryNonces(b *testing.B) {
	s := sign.NewMemoryNonces(time.Now)
	benchNonces(b, s)
}

func benchNonces(b *testing.B, s sign.NonceStore) {
	for b.Loop() {
		if _, err := s.Use(b.Context(), "pbk_a", sign.NewNonce(), time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}
