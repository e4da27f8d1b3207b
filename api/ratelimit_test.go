package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/api"
	"policybot/complaints/sign"
	"policybot/internal/ratelimit"
	"policybot/internal/testclock"
	"policybot/session"
	"policybot/store"
	"policybot/wechat"
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

// withLimits limits the server's clients by limits, on a memory limiter
// whose clock never moves, behind the trusted proxies given.
func withLimits(limits api.Limits, trusted ...string) option {
	return func(cfg *api.Config, d *api.Deps) {
		cfg.Limits = limits
		for _, p := range trusted {
			cfg.TrustedProxies = append(cfg.TrustedProxies, netip.MustParsePrefix(p))
		}
		d.Limiter = ratelimit.NewMemory(testclock.NewFake(fixedNow()).Now)
	}
}

// limitAnswer is what a client got: the status, Retry-After and the error code.
type limitAnswer struct {
	status     int
	retryAfter string
	code       string
}

// send makes one request with the header pairs given and returns its limitAnswer.
func (ts *testServer) send(t *testing.T, method, path, body string, header ...string) limitAnswer {
	t.Helper()
	a := ts.raw(t, method, path, body, header...)
	var out struct {
		Error struct{ Code string }
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("%s %s: the limitAnswer is not JSON: %v", method, path, err)
	}
	return limitAnswer{a.status, a.header.Get("Retry-After"), out.Error.Code}
}

var (
	allowed = limitAnswer{status: http.StatusOK}
	limited = limitAnswer{status: http.StatusTooManyRequests, retryAfter: "60", code: "rate_limited"}
)

// TestClientAddressLimit bounds each client address to two requests at
// once, then one a minute (which never comes: the clock stands still), and
// checks which address each request is counted under: the peer's
// (loopback) unless the peer is a trusted proxy, whatever X-Forwarded-For
// or X-Real-IP a client sends; behind a trusted proxy the client that
// X-Forwarded-For names, read from the right past the trusted proxies; an
// IPv6 client by its /64. Exempt networks are not limited, and an empty
// exempt list limits loopback too. The requests go round the public routes,
// which share one budget.
func TestClientAddressLimit(t *testing.T) {
	perAddress := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 2}
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	type request struct {
		header []string
		want   limitAnswer
	}
	xff := func(v string, want limitAnswer) request { return request{[]string{"X-Forwarded-For", v}, want} }
	tests := []struct {
		name     string
		limits   api.Limits
		trusted  []string
		requests []request
	}{
		{"forged X-Forwarded-For from an untrusted peer", api.Limits{Address: perAddress}, nil, []request{
			xff("203.0.113.1", allowed), xff("203.0.113.2", allowed), xff("203.0.113.3", limited), {nil, limited},
		}},
		{"forged X-Real-IP behind a trusted proxy", api.Limits{Address: perAddress}, []string{"127.0.0.0/8"}, []request{
			{[]string{"X-Real-IP", "203.0.113.1"}, allowed}, {[]string{"X-Real-IP", "203.0.113.2"}, allowed}, {[]string{"X-Real-IP", "203.0.113.3"}, limited},
		}},
		{"the client X-Forwarded-For names behind a trusted proxy", api.Limits{Address: perAddress}, []string{"127.0.0.0/8"}, []request{
			xff("203.0.113.1", allowed), xff("203.0.113.1", allowed), xff("203.0.113.1", limited),
			// What the client wrote on the left is no one's concern: the
			// proxy appended the address it saw.
			xff("198.51.100.7, 203.0.113.1", limited),
			xff("203.0.113.2", allowed),
			// A chain of trusted proxies is passed over.
			xff("203.0.113.2, 127.0.0.9", allowed), xff("203.0.113.2", limited),
			// The proxy's own requests count under its address.
			{nil, allowed}, {nil, allowed}, {nil, limited},
		}},
		{"an IPv6 client by its /64", api.Limits{Address: perAddress}, []string{"127.0.0.0/8"}, []request{
			xff("2001:db8::1", allowed), xff("2001:db8::2", allowed), xff("2001:db8::ffff:1", limited), xff("2001:db8:0:1::1", allowed),
		}},
		{"loopback exempt", api.Limits{Address: perAddress, Exempt: loopback}, nil, []request{
			{nil, allowed}, {nil, allowed}, {nil, allowed}, xff("203.0.113.1", allowed), {nil, allowed},
		}},
		{"an exempt network behind a trusted proxy", api.Limits{Address: perAddress, Exempt: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}, []string{"127.0.0.1/32"}, []request{
			xff("10.1.2.3", allowed), xff("10.1.2.3", allowed), xff("10.1.2.3", allowed), xff("10.200.0.1", allowed),
			xff("203.0.113.1", allowed), xff("203.0.113.1", allowed), xff("203.0.113.1", limited),
			// The proxy itself is not in the exempt network.
			{nil, allowed}, {nil, allowed}, {nil, limited},
		}},
		{"an empty exempt list limits loopback", api.Limits{Address: perAddress}, nil, []request{
			{nil, allowed}, {nil, allowed}, {nil, limited}, {nil, limited},
		}},
		{"a rate of 0 turns the limit off", api.Limits{}, nil, []request{
			{nil, allowed}, {nil, allowed}, {nil, allowed}, {nil, allowed},
		}},
	}
	routes := []struct{ method, path, body string }{
		{"GET", "/v1/facts", ""},
		{"GET", "/v1/search?q=企业债券融资有奖励吗&size=1", ""},
		{"POST", "/v1/match", `{"profile":{"bond_financing_cny":500000000}}`},
		{"GET", "/v1/clauses/ganzhou-2014-26/十七.1", ""},
		{"GET", "/v1/policies", ""},
		{"POST", "/v1/chat", `{"message":"你好"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, withLimits(tt.limits, tt.trusted...))
			for i, r := range tt.requests {
				route := routes[i%len(routes)]
				if got := ts.send(t, route.method, route.path, route.body, r.header...); got != r.want {
					t.Errorf("request %d, %s %s %q: %+v; want %+v", i+1, route.method, route.path, r.header, got, r.want)
				}
			}
			// Health probes are never limited.
			if got := ts.send(t, "GET", "/healthz", ""); got != allowed {
				t.Errorf("/healthz: %+v; want 200", got)
			}
		})
	}
}

// TestLoginLimitedBeforeWeChat sends eight logins from one address that
// may make three: three reach WeChat, the other five are 429 without
// asking it, and another address still logs in.
func TestLoginLimitedBeforeWeChat(t *testing.T) {
	var calls atomic.Int64
	wx := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"openid":"o-%d","session_key":"sk-%d"}`, n, n)
	}))
	t.Cleanup(wx.Close)
	ts := newTestServer(t, withLimits(api.Limits{Login: ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 3}}, "127.0.0.0/8"),
		func(_ *api.Config, d *api.Deps) {
			client := wechat.NewClient("wx-test-app", "app-secret")
			client.BaseURL = wx.URL
			d.Auth = wechat.NewAuth(client, session.NewMemory(time.Hour, time.Now), 24*time.Hour, time.Now)
		})
	const n, k = 3, 5
	var got []limitAnswer
	for i := range n + k {
		got = append(got, ts.send(t, "POST", "/v1/auth/wechat/login", fmt.Sprintf(`{"code":"code-%d"}`, i), "X-Forwarded-For", "203.0.113.1"))
	}
	var want []limitAnswer
	for i := range n + k {
		want = append(want, map[bool]limitAnswer{true: allowed, false: limited}[i < n])
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(limitAnswer{})); d != "" {
		t.Errorf("the logins of one address (-want +got):\n%s", d)
	}
	if c := calls.Load(); c != n {
		t.Errorf("%d logins made %d calls to WeChat; want %d", n+k, c, n)
	}
	if a := ts.send(t, "POST", "/v1/auth/wechat/login", `{"code":"code-other"}`, "X-Forwarded-For", "203.0.113.2"); a != allowed || calls.Load() != n+1 {
		t.Errorf("a login of another address: %+v after %d calls to WeChat; want 200 after %d", a, calls.Load(), n+1)
	}
}

// TestChatUserLimit lets each logged-in user take two chat turns at once
// behind one address, which allows many more: a user past their limit is
// refused while another user and anonymous callers go on; a user from an
// exempt network is not limited.
func TestChatUserLimit(t *testing.T) {
	user := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 2}
	address := ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 100}
	for _, tt := range []struct {
		name   string
		exempt []netip.Prefix
		want   []limitAnswer // of alice's turns
	}{
		{"limited", nil, []limitAnswer{allowed, allowed, limited, limited}},
		{"exempt", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, []limitAnswer{allowed, allowed, allowed, allowed}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, withWeChat(t, true), withLimits(api.Limits{Address: address, User: user, Exempt: tt.exempt}))
			token := func(code string) string {
				_, body := ts.do(t, "POST", "/v1/auth/wechat/login", `{"code":"`+code+`"}`)
				return body["token"].(string)
			}
			alice, bob := token("code-alice"), token("code-bob")
			var got []limitAnswer
			for range 4 {
				got = append(got, ts.send(t, "POST", "/v1/chat", `{"message":"你好"}`, "Authorization", "Bearer "+alice))
			}
			if d := cmp.Diff(tt.want, got, cmp.AllowUnexported(limitAnswer{})); d != "" {
				t.Errorf("alice's turns (-want +got):\n%s", d)
			}
			for i := range 2 {
				if a := ts.send(t, "POST", "/v1/chat", `{"message":"你好"}`, "Authorization", "Bearer "+bob); a != allowed {
					t.Errorf("bob's turn %d: %+v; want 200", i+1, a)
				}
			}
			for i := range 3 {
				if a := ts.send(t, "POST", "/v1/chat", `{"message":"你好"}`); a != allowed {
					t.Errorf("anonymous turn %d: %+v; want 200", i+1, a)
				}
			}
		})
	}
}
