package main

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"policybot/kb"
)

// copyLibrary writes the built-in library into a new folder, as a policy
// officer's working copy.
func copyLibrary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(kb.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(kb.Embedded(), p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// editFile replaces old by new in the library file name, which must hold old.
func editFile(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), old) {
		t.Fatalf("%s lacks %q", name, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(raw), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (p *program) reload(t *testing.T, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+p.addr+"/v1/admin/reload", strings.NewReader(`{"by":"测试"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	return p.do(t, req)
}

// clauseTitle asks the served library for the title of the seed's 十七.1.
func clauseTitle(t *testing.T, p *program) string {
	t.Helper()
	status, body := p.call(t, "GET", "/v1/clauses/ganzhou-2014-26/十七.1", "")
	if status != 200 {
		t.Fatalf("clause = %d %v", status, body)
	}
	return body["title"].(string)
}

// TestServeLibraryReload serves an officer's copy of the library, edits it,
// and checks that a reload takes up the edit, that a broken edit is refused
// while the old library keeps answering, and that SIGHUP reloads too.
func TestServeLibraryReload(t *testing.T) {
	dir := copyLibrary(t)
	p := startServe(t, map[string]string{"POLICYBOT_ADMIN_TOKEN": "s3cret"}, "--kb", dir)
	_, before := p.call(t, "GET", "/v1/policies", "")
	v0 := before["library_version"].(string)

	const title = `title: "主营业务收入首次突破台阶奖励"`
	editFile(t, dir, "ganzhou-2014-26/document.yaml", title, `title: "营收首次突破台阶奖励"`)
	if got := clauseTitle(t, p); got != "主营业务收入首次突破台阶奖励" {
		t.Fatalf("an edit was served before any reload: %q", got)
	}
	if status, body := p.reload(t, "wrong"); status != 401 {
		t.Errorf("reload with a wrong token = %d %v, want 401", status, body)
	}
	status, body := p.reload(t, "s3cret")
	if status != 200 {
		t.Fatalf("reload = %d %v", status, body)
	}
	v1 := body["library_version"].(string)
	if v1 == v0 {
		t.Error("the reloaded library has the old version")
	}
	if got := clauseTitle(t, p); got != "营收首次突破台阶奖励" {
		t.Errorf("after reload the title is %q", got)
	}

	// A rule whose award no longer matches its cases is refused.
	editFile(t, dir, "ganzhou-2014-26/rules.yaml", "revenue_award_5yi: {cny: 50000,", "revenue_award_5yi: {cny: 60000,")
	status, body = p.reload(t, "s3cret")
	if status != 409 || body["library_version"] != v1 {
		t.Errorf("broken reload = %d %v, want 409 with version %s still serving", status, body, v1)
	}
	if failed, _ := body["failed_cases"].([]any); len(failed) == 0 {
		t.Errorf("a refused reload names no failing case: %v", body)
	}
	status, m := p.call(t, "POST", "/v1/match", `{"profile":{"is_industrial":true,"profitable":true,"main_revenue_cny":600000000,"prior_max_revenue_cny":480000000},"as_of":"2026-01-01"}`)
	if status != 200 || m["library_version"] != v1 {
		t.Fatalf("match after a refused reload = %d, version %v, want %s", status, m["library_version"], v1)
	}
	if first := m["results"].([]any)[0].(map[string]any); first["amount"].(map[string]any)["cny"] != float64(50000) {
		t.Errorf("the refused edit is served: %v", first["amount"])
	}
	if !strings.Contains(p.stdout.String(), "library reload refused") {
		t.Error("the log does not say why the reload was refused")
	}

	// A YAML error is refused the same way.
	editFile(t, dir, "ganzhou-2014-26/rules.yaml", "revenue_award_5yi: {cny: 60000,", "revenue_award_5yi: {cny: [50000,")
	status, body = p.reload(t, "s3cret")
	if status != 409 || body["library_version"] != v1 {
		t.Errorf("reload of broken YAML = %d %v, want 409 with version %s still serving", status, body, v1)
	}
	if got := clauseTitle(t, p); got != "营收首次突破台阶奖励" {
		t.Errorf("after a refused reload the title is %q", got)
	}

	// Mending it and sending SIGHUP serves the mended library.
	editFile(t, dir, "ganzhou-2014-26/rules.yaml", "revenue_award_5yi: {cny: [50000,", "revenue_award_5yi: {cny: 50000,")
	editFile(t, dir, "ganzhou-2014-26/document.yaml", `title: "营收首次突破台阶奖励"`, `title: "营收台阶奖励"`)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	// The reload is served first and logged just after: wait for both.
	deadline := time.Now().Add(20 * time.Second)
	for clauseTitle(t, p) != "营收台阶奖励" || !strings.Contains(p.stdout.String(), `"by":"SIGHUP"`) {
		if time.Now().After(deadline) {
			t.Fatalf("SIGHUP did not reload the library, or the log does not say who did:\n%s", p.stdout.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
