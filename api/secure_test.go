package api_test

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"policybot/api"
)

// TestInvalidUTF8 checks that a path, a query or a JSON body that is not
// UTF-8 is refused with 400 in the error shape, naming where, and that no
// byte of it, nor the U+FFFD a decoder would put in its place, comes back.
func TestInvalidUTF8(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, method, path, body string
		wantField                string
	}{
		{"QueryValue", "GET", "/v1/search?q=%FF%FE", "", "q"},
		{"QueryValueAmongGood", "GET", "/v1/search?size=3&q=%E5%A5%96%E5", "", "q"},
		{"QueryName", "GET", "/v1/search?q=x&%FF=1", "", "query"},
		{"QueryNameOnPost", "POST", "/v1/match?%C0%AF=1", `{"profile":{}}`, "query"},
		{"BadEscape", "GET", "/v1/search?q=%zz", "", "query"},
		{"PathParameter", "GET", "/v1/clauses/%FF.1", "", "path"},
		{"PathOfNoRoute", "GET", "/v1/%C3%28", "", "path"},
		{"BodyValue", "POST", "/v1/chat", "{\"message\":\"\xff\xfe\"}", "body"},
		{"BodyKey", "POST", "/v1/match", "{\"profile\":{},\"\xff\":1}", "body"},
		{"BodyNestedKey", "POST", "/v1/match", "{\"profile\":{\"re\xc3gion\":\"x\"}}", "body"},
		{"Overlong", "POST", "/v1/chat", "{\"message\":\"\xc0\xaf\"}", "body"},
		{"Surrogate", "POST", "/v1/chat", "{\"message\":\"\xed\xa0\x80\"}", "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ts.raw(t, tt.method, tt.path, tt.body)
			if a.status != 400 {
				t.Fatalf("status = %d, want 400: %q", a.status, a.body)
			}
			code, field := errorOfAnswer(t, a)
			if code != "invalid_argument" || field != tt.wantField {
				t.Errorf("error = %s naming %q, want invalid_argument naming %q", code, field, tt.wantField)
			}
			if !bytes.Equal(bytes.ToValidUTF8(a.body, nil), a.body) || strings.ContainsRune(string(a.body), '\uFFFD') {
				t.Errorf("answer echoes the invalid bytes: %q", a.body)
			}
		})
	}

	// A field name that is UTF-8 but no name a person would type is not
	// echoed either.
	for name, body := range map[string]string{
		"ControlCharacter": `{"profile":{},"a\u0000b":1}`,
		"Long":             `{"profile":{},"` + strings.Repeat("长", 100) + `":1}`,
	} {
		t.Run("Unknown"+name, func(t *testing.T) {
			status, got := ts.do(t, "POST", "/v1/match", body)
			if _, field, _ := errorOf(t, got); status != 400 || field != "body" {
				t.Errorf("answer = %d naming %q, want 400 naming body", status, field)
			}
		})
	}
	// Good text still passes.
	if status, body := ts.do(t, "GET", "/v1/search?q=%E5%A5%96%E5%8A%B1", ""); status != 200 {
		t.Errorf("search for 奖励 = %d %v", status, body)
	}
}

// TestHeaderLimit checks that a request line and header fields over the
// limit get 431 in the JSON shape, naming the largest part, and that one
// within it is served. The test server's net/http limit is Go's default of
// 1 MiB, as serve's is.
func TestHeaderLimit(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name       string
		path       string
		header     []string
		wantStatus int
		wantField  string
	}{
		// 10,000 characters of Chinese are 90,000 bytes once escaped.
		{"LongQuery", "/v1/search?q=" + strings.Repeat("%E5%A5%96", 10000), nil, 431, "query"},
		{"LongASCIIQuery", "/v1/search?q=" + strings.Repeat("a", 20000), nil, 431, "query"},
		{"LongPath", "/v1/clauses/" + strings.Repeat("x", 20000), nil, 431, "path"},
		{"LongHeader", "/v1/policies", []string{"X-Padding", strings.Repeat("p", 20000)}, 431, "X-Padding"},
		{"ManyHeaders", "/v1/policies", append(manyHeaders(400), "X-Largest", strings.Repeat("v", 100)), 431, "X-Largest"},
		{"NoRoute", "/nothing?q=" + strings.Repeat("a", 20000), nil, 431, "query"},
		{"NearNetHTTPLimit", "/v1/policies", []string{"Cookie", strings.Repeat("c", 1<<20-2048)}, 431, "Cookie"},
		{"WithinLimit", "/v1/search?q=" + strings.Repeat("a", 10000), nil, 400, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ts.raw(t, "GET", tt.path, "", tt.header...)
			if a.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %.200q", a.status, tt.wantStatus, a.body)
			}
			code, field := errorOfAnswer(t, a)
			wantCode := map[int]string{431: "header_too_large", 400: "invalid_argument"}[tt.wantStatus]
			if code != wantCode || field != tt.wantField {
				t.Errorf("error = %s naming %q, want %s naming %q", code, field, wantCode, tt.wantField)
			}
		})
	}
}

// manyHeaders returns n small header pairs, none large alone.
func manyHeaders(n int) []string {
	var h []string
	for i := range n {
		h = append(h, "X-Small-"+strconv.Itoa(i), strings.Repeat("v", 40))
	}
	return h
}

// TestSecurityHeaders checks the headers of answers of every kind, and that
// Strict-Transport-Security is sent only when a trusted proxy says the
// request came over https.
func TestSecurityHeaders(t *testing.T) {
	proxy := func(cfg *api.Config, _ *api.Deps) {
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	}
	untrusted := func(cfg *api.Config, _ *api.Deps) {
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	}
	plain, trusted, other := newTestServer(t), newTestServer(t, proxy), newTestServer(t, untrusted)
	tests := []struct {
		name     string
		ts       *testServer
		method   string
		path     string
		header   []string
		wantHSTS bool
	}{
		{"OK", plain, "GET", "/v1/policies", nil, false},
		{"NotFound", plain, "GET", "/nothing", nil, false},
		{"MethodNotAllowed", plain, "DELETE", "/v1/match", nil, false},
		{"Invalid", plain, "GET", "/v1/search", nil, false},
		{"ForwardedHTTPSUntrusted", plain, "GET", "/v1/policies", []string{"X-Forwarded-Proto", "https"}, false},
		{"ForwardedHTTPSOtherProxy", other, "GET", "/v1/policies", []string{"X-Forwarded-Proto", "https"}, false},
		{"ForwardedHTTPSTrusted", trusted, "GET", "/v1/policies", []string{"X-Forwarded-Proto", "https"}, true},
		{"ForwardedHTTPSTrustedError", trusted, "GET", "/nothing", []string{"X-Forwarded-Proto", "HTTPS"}, true},
		{"ForwardedHTTPTrusted", trusted, "GET", "/v1/policies", []string{"X-Forwarded-Proto", "http"}, false},
		{"NoForwardedTrusted", trusted, "GET", "/v1/policies", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.ts.raw(t, tt.method, tt.path, "", tt.header...)
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"X-Frame-Options":        "DENY",
			} {
				if got := a.header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			if got := a.header.Get("Strict-Transport-Security"); (got != "") != tt.wantHSTS {
				t.Errorf("Strict-Transport-Security = %q, want it sent: %v", got, tt.wantHSTS)
			}
		})
	}
}

// TestCORS checks the allow-list: an allowed origin's preflight and calls
// get CORS headers, including on errors; another origin's get none and are
// served as without CORS; and with no origin configured nothing allows
// any.
func TestCORS(t *testing.T) {
	const app = "https://app.example.gov.cn"
	withOrigins := func(cfg *api.Config, _ *api.Deps) { cfg.CORSOrigins = []string{app, "http://localhost:3000"} }
	on, off := newTestServer(t, withOrigins), newTestServer(t)
	preflight := []string{"Origin", app, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type,idempotency-key"}
	tests := []struct {
		name, method, path, body string
		ts                       *testServer
		header                   []string
		wantStatus               int
		wantAllowed              bool
	}{
		{"Preflight", "OPTIONS", "/v1/chat", "", on, preflight, 204, true},
		{"PreflightOtherOrigin", "OPTIONS", "/v1/chat", "", on, []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"}, 405, false},
		{"PreflightCORSOff", "OPTIONS", "/v1/chat", "", off, preflight, 405, false},
		{"Call", "POST", "/v1/chat", `{"message":"你好"}`, on, []string{"Origin", app}, 200, true},
		{"CallSecondOrigin", "GET", "/v1/policies", "", on, []string{"Origin", "http://localhost:3000"}, 200, true},
		{"ErrorOfCall", "GET", "/v1/search", "", on, []string{"Origin", app}, 400, true},
		{"CallOtherOrigin", "GET", "/v1/policies", "", on, []string{"Origin", "https://evil.example"}, 200, false},
		{"CallCORSOff", "GET", "/v1/policies", "", off, []string{"Origin", app}, 200, false},
		{"NoOrigin", "GET", "/v1/policies", "", on, nil, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.ts.raw(t, tt.method, tt.path, tt.body, tt.header...)
			if a.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %q", a.status, tt.wantStatus, a.body)
			}
			if a.status >= 400 {
				errorOfAnswer(t, a)
			}
			got := a.header.Get("Access-Control-Allow-Origin")
			if tt.wantAllowed && got != tt.header[1] || !tt.wantAllowed && got != "" {
				t.Errorf("Access-Control-Allow-Origin = %q, want allowed: %v", got, tt.wantAllowed)
			}
			if got == "*" || a.header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("answer allows any origin or credentials: %v", a.header)
			}
			if tt.ts == on && tt.header != nil && !strings.Contains(strings.Join(a.header.Values("Vary"), ","), "Origin") {
				t.Errorf("Vary = %q, want Origin", a.header.Values("Vary"))
			}
		})
	}
	a := on.raw(t, "OPTIONS", "/v1/chat", "", preflight...)
	methods, headers := a.header.Get("Access-Control-Allow-Methods"), strings.ToLower(a.header.Get("Access-Control-Allow-Headers"))
	if !strings.Contains(methods, "POST") || !strings.Contains(headers, "authorization") || !strings.Contains(headers, "idempotency-key") {
		t.Errorf("preflight allows methods %q and headers %q, want POST with Authorization and Idempotency-Key", methods, headers)
	}
	if a := on.raw(t, "GET", "/v1/policies", "", "Origin", app); !strings.Contains(a.header.Get("Access-Control-Expose-Headers"), "X-Request-Id") {
		t.Errorf("Access-Control-Expose-Headers = %q, want X-Request-ID among them", a.header.Get("Access-Control-Expose-Headers"))
	}
}
