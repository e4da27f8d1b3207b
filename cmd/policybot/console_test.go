package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

const staffPassword = "a-long-enough-password"

// addSupervisor runs `policybot staff add` against dataDir.
func addSupervisor(t *testing.T, dataDir string) {
	t.Helper()
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"staff", "add", "--data-dir", dataDir, "--username", "wang", "--name", "王芳", "--role", "supervisor"},
		strings.NewReader(staffPassword+"\n"), &out, &errOut, env(nil))
	if code != 0 || !strings.Contains(out.String(), "added wang") {
		t.Fatalf("staff add: %d\n%s%s", code, out.String(), errOut.String())
	}
}

// consoleClient signs in to the console at addr and returns the client and
// the session's CSRF token.
func consoleClient(t *testing.T, addr string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	token := csrfIn(t, get(t, c, "http://"+addr+"/console/signin"))
	resp, err := c.PostForm("http://"+addr+"/console/signin", url.Values{"csrf": {token}, "username": {"wang"}, "password": {staffPassword}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "案件查询") {
		t.Fatalf("sign-in: %d\n%.300s", resp.StatusCode, body)
	}
	return c, csrfIn(t, string(body))
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfIn(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in:\n%.300s", page)
	}
	return m[1]
}

// A case saved survives a restart of the server on the embedded SQLite.
func TestCaseSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	addSupervisor(t, dir)
	p := startServe(t, nil, "--data-dir", dir)
	c, token := consoleClient(t, p.addr)
	resp, err := c.PostForm("http://"+p.addr+"/console/cases", url.Values{"csrf": {token}, "enterprise": {"阿里巴巴(中国)有限公司"}, "credit_code": {"91330100716105852F"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	p = startServe(t, nil, "--data-dir", dir)
	c, _ = consoleClient(t, p.addr)
	if page := get(t, c, "http://"+p.addr+"/console/cases?q=阿里巴巴"); !strings.Contains(page, "/console/cases/1") {
		t.Errorf("after a restart the case is not found:\n%.500s", page)
	}
}

// A disabled account can no longer sign in.
func TestStaffDisable(t *testing.T) {
	dir := t.TempDir()
	addSupervisor(t, dir)
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"staff", "disable", "--data-dir", dir, "--username", "wang"}, strings.NewReader(""), &out, &errOut, env(nil)); code != 0 {
		t.Fatalf("staff disable: %d\n%s", code, errOut.String())
	}
	p := startServe(t, nil, "--data-dir", dir)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	token := csrfIn(t, get(t, c, "http://"+p.addr+"/console/signin"))
	resp, err := c.PostForm("http://"+p.addr+"/console/signin", url.Values{"csrf": {token}, "username": {"wang"}, "password": {staffPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled account signing in: %d, want 401", resp.StatusCode)
	}
}

// With --internal-addr the console and the admin routes are served there
// alone, and the API on --addr alone.
func TestInternalListener(t *testing.T) {
	p := startServe(t, map[string]string{"POLICYBOT_ADMIN_TOKEN": "secret-token"}, "--internal-addr", "127.0.0.1:0")
	status := func(method, addr, path string) int {
		req, _ := http.NewRequest(method, "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer secret-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		method, addr, path string
		want               int
	}{
		{http.MethodGet, p.addr, "/console/signin", http.StatusNotFound},
		{http.MethodPost, p.addr, "/v1/admin/reload", http.StatusNotFound},
		{http.MethodGet, p.addr, "/v1/facts", http.StatusOK},
		{http.MethodGet, p.internal, "/console/signin", http.StatusOK},
		{http.MethodGet, p.internal, "/v1/facts", http.StatusNotFound},
		{http.MethodGet, p.internal, "/healthz", http.StatusOK},
	} {
		if got := status(tc.method, tc.addr, tc.path); got != tc.want {
			where := "public"
			if tc.addr == p.internal {
				where = "internal"
			}
			t.Errorf("%s %s on the %s listener: %d, want %d", tc.method, tc.path, where, got, tc.want)
		}
	}
}

// `policybot audit verify` names a row deleted and a row edited behind the
// store's back.
func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	addSupervisor(t, dir)
	p := startServe(t, nil, "--data-dir", dir)
	for range 3 {
		consoleClient(t, p.addr) // each sign-in is an audit row
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	verify := func() (int, string) {
		var out, errOut strings.Builder
		code := run(context.Background(), []string{"audit", "verify", "--data-dir", dir}, strings.NewReader(""), &out, &errOut, env(nil))
		return code, out.String() + errOut.String()
	}
	if code, out := verify(); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify of an untouched log: %d\n%s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	if len(files) != 1 {
		t.Fatalf("want one database file in %s, found %v", dir, files)
	}
	db, err := sql.Open("sqlite", files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Someone with the database file in hand can drop the triggers that
	// keep the log append-only; the chain still tells.
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
		"DELETE FROM audit_log WHERE seq = 2", "UPDATE audit_log SET remote_addr = '10.0.0.9' WHERE seq = 3"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	code, out := verify()
	if code == 0 {
		t.Fatalf("audit verify passed a tampered log:\n%s", out)
	}
	for _, want := range []string{"row 2: deleted", "row 3: edited"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit verify does not name %q:\n%s", want, out)
		}
	}
}
