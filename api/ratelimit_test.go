package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"policybot/complaints/sign"
	"policybot/internal/ratelimit"
	"policybot/internal/testclock"
	"policybot/store"
)

// TestIntegratorRateLimit bounds each key to two calls at once, then one a
// minute: calls that fail the signature check spend nothing, the third
// call is 429 with Retry-After on either route, another key has a budget
// of its own, and a minute refills one call.
func TestIntegratorRateLimit(t *testing.T) {
	clock := testclock.NewFake(callbackNow)
	e := newStatusEnv(t, ratelimit.NewMemory(clock.Now), ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 2})
	tk := e.deliver(t, "GZ12345-0001")
	forged := call{edit: func(r *http.Request) { r.Header.Set(sign.HeaderSignature, strings.Repeat("0", 64)) }}
	for range 5 {
		if r := e.post(t, statusPath, callback(tk, "GZ12345-0001", 1, ""), forged); r.status != http.StatusUnauthorized {
			t.Fatalf("a forged call: %d %v; want 401", r.status, r.body)
		}
	}
	for seq := range int64(2) {
		if r := e.post(t, statusPath, callback(tk, "GZ12345-0001", seq+1, ""), call{}); r.status != http.StatusOK {
			t.Fatalf("call %d of the burst: %d %v; want 200", seq+1, r.status, r.body)
		}
	}
	for _, path := range []string{statusPath, "/v1/integrations/complaints"} {
		r := e.post(t, path, callback(tk, "GZ12345-0001", 3, ""), call{})
		if code, _ := r.errorOf(); r.status != http.StatusTooManyRequests || code != "rate_limited" || r.header.Get("Retry-After") != "60" {
			t.Errorf("%s beyond the burst: %d %v, Retry-After %q; want 429 rate_limited, 60 s", path, r.status, r.body, r.header.Get("Retry-After"))
		}
	}
	if r := e.post(t, statusPath, callback(tk, "GZ12345-0001", 3, ""), call{key: liveKey}); r.status != http.StatusOK {
		t.Errorf("another key: %d %v; want 200", r.status, r.body)
	}
	clock.Advance(time.Minute)
	if r := e.post(t, statusPath, callback(tk, "GZ12345-0001", 4, ""), call{}); r.status != http.StatusOK {
		t.Errorf("a minute later: %d %v; want 200", r.status, r.body)
	}
	e.wantHistory(t, tk.Number, []int64{1, 2, 3, 4}, store.TicketConcluded, 4)
}
