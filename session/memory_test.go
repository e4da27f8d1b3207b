package session_test

import (
	"testing"
	"time"

	"policybot/session"
	"policybot/session/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, ttl time.Duration) (session.Store, storetest.Clock) {
		clock := storetest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		return session.NewMemory(ttl, clock.Now), clock
	})
}
