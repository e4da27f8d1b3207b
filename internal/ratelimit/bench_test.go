package ratelimit_test

import (
	"strconv"
	"testing"
	"time"

	"policybot/internal/ratelimit"
	"policybot/internal/ratelimit/ratelimittest"
)

// benchLimit never refuses within a benchmark, so that every call does the
// whole work of an allowed event.
var benchLimit = ratelimit.Limit{Rate: 1 << 30, Period: time.Second, Burst: 1 << 30}

// benchKeys are the keys the benchmarks spread their calls over, as client
// addresses would.
var benchKeys = func() []string {
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "203.0.113." + strconv.Itoa(i)
	}
	return keys
}()

func benchAllow(b *testing.B, l ratelimit.Limiter) {
	b.Run("Serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := l.Allow(b.Context(), benchKeys[i%len(benchKeys)], benchLimit); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("Parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := l.Allow(b.Context(), benchKeys[i%len(benchKeys)], benchLimit); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}

func BenchmarkMemory(b *testing.B) {
	benchAllow(b, ratelimit.NewMemory(time.Now))
}

func BenchmarkRedis(b *testing.B) {
	benchAllow(b, ratelimittest.MustRedis(b))
}

// BenchmarkFallback is Redis behind a Fallback, to show what its timeout
// costs on every call.
func BenchmarkFallback(b *testing.B) {
	benchAllow(b, ratelimit.NewFallback(ratelimittest.MustRedis(b), ratelimit.NewMemory(time.Now), ratelimit.FallbackOptions{}))
}
