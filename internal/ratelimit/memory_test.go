package ratelimit_test

import (
	"testing"
	"time"

	"policybot/internal/ratelimit"
	"policybot/internal/ratelimit/ratelimittest"
)

func TestMemory(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) (ratelimit.Limiter, ratelimittest.Clock) {
		clock := ratelimittest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		return ratelimit.NewMemory(clock.Now), clock
	})
}
