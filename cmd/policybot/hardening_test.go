package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestHeaderLimitServed checks the header limits as serve wires them: a
// query of 10,000 Chinese characters (90,000 bytes escaped) and a header of
// nearly net/http's own limit (Go's 1 MiB) both get our 431 in the JSON
// shape, which shows that net/http's plain-text 431 is left to requests of
// more than 1 MiB of header, which no client of the API sends.
func TestHeaderLimitServed(t *testing.T) {
	p := startServe(t, nil)
	tests := []struct {
		name      string
		path      string
		header    string
		size      int
		wantField string
	}{
		{"Query", "/v1/search?q=" + strings.Repeat("%E5%A5%96", 10000), "", 0, "query"},
		{"NearNetHTTPLimit", "/v1/policies", "Cookie", 1<<20 - 1024, "Cookie"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", "http://"+p.addr+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.header != "" {
				req.Header.Set(tt.header, strings.Repeat("x", tt.size))
			}
			status, body := p.do(t, req)
			e, _ := body["error"].(map[string]any)
			if status != 431 || e["code"] != "header_too_large" || e["field"] != tt.wantField {
				t.Errorf("answer = %d %v, want 431 header_too_large naming %s", status, body, tt.wantField)
			}
		})
	}
	req, _ := http.NewRequest("GET", "http://"+p.addr+"/v1/policies", nil)
	req.Header.Set("Cookie", strings.Repeat("x", 8000))
	if status, body := p.do(t, req); status != 200 {
		t.Errorf("a request within the limit = %d %v", status, body)
	}
}

// TestConsoleSecurityHeaders checks that the console's pages, served by
// the whole program, carry a policy that lets their style sheets and forms
// work and nothing else, and the headers of every answer.
func TestConsoleSecurityHeaders(t *testing.T) {
	p := startServe(t, nil)
	resp, err := http.Get("http://" + p.addr + "/console/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("sign-in page = %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy = %q, want %s in it", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy = %q allows script or unsafe sources", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers = %v", resp.Header)
	}
}
