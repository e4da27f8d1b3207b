package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/kb"
)

// servedIndex returns the folder and stamp of the one index under root,
// failing unless there is exactly one.
func servedIndex(t *testing.T, root string) (string, kb.IndexStamp) {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("index folder holds %v, want one index", entries)
	}
	dir := filepath.Join(root, entries[0].Name())
	raw, err := os.ReadFile(filepath.Join(dir, "stamp.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st kb.IndexStamp
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	return dir, st
}

// loaded returns the "library loaded" log line of a run of serve.
func loaded(t *testing.T, p *program) map[string]any {
	t.Helper()
	for _, line := range strings.Split(p.stdout.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "library loaded" {
			return m
		}
	}
	t.Fatalf("no library loaded line in:\n%s", p.stdout.String())
	return nil
}

// searchFirst returns the article of the first hit of q.
func searchFirst(t *testing.T, p *program, q string) string {
	t.Helper()
	status, body := p.call(t, "GET", "/v1/search?q="+url.QueryEscape(q), "")
	hits, _ := body["hits"].([]any)
	if status != 200 || len(hits) == 0 {
		t.Fatalf("search %q = %d %v", q, status, body)
	}
	return hits[0].(map[string]any)["article"].(string)
}

// TestServeOpensBuiltIndex serves a library folder with its index on disk
// four times: the first start builds the index, a restart on the same
// library opens it (same stamp, nothing built), a restart on an edited
// library builds a new one and removes the old, and a restart after the
// index was damaged builds it again instead of serving it.
func TestServeOpensBuiltIndex(t *testing.T) {
	dir := copyLibrary(t)
	root := t.TempDir()
	run := func() (*program, string, kb.IndexStamp) {
		p := startServe(t, nil, "--kb", dir, "--index-dir", root)
		if got := searchFirst(t, p, "企业债券融资有奖励吗"); got != "十六.4" {
			t.Errorf("first hit %s, want 十六.4", got)
		}
		index, st := servedIndex(t, root)
		if err := p.stop(); err != nil {
			t.Fatal(err)
		}
		return p, index, st
	}

	p, first, st1 := run()
	if l := loaded(t, p); l["index_built"] != true || l["index"] != first {
		t.Errorf("first start: %v, want the index built in %s", l, first)
	}

	p, again, st2 := run()
	if l := loaded(t, p); l["index_built"] != false || again != first || !st2.Built.Equal(st1.Built) {
		t.Errorf("restart on the same library: %v, index %s built %v, want %s of %v opened as it was", l, again, st2.Built, first, st1.Built)
	}

	editFile(t, dir, "ganzhou-2014-26/document.yaml", `title: "主营业务收入首次突破台阶奖励"`, `title: "营收首次突破台阶奖励"`)
	p, edited, st3 := run()
	if l := loaded(t, p); l["index_built"] != true || edited == first || st3.Library == st1.Library || st3.Library != l["version"] {
		t.Errorf("restart on an edited library: %v, index %s of %s, want a new index of the new version", l, edited, st3.Library)
	}

	zaps, err := filepath.Glob(filepath.Join(edited, "bleve", "store", "*.zap"))
	if err != nil || len(zaps) != 1 {
		t.Fatalf("segments %v %v", zaps, err)
	}
	raw, err := os.ReadFile(zaps[0])
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/3] ^= 0x55
	if err := os.WriteFile(zaps[0], raw, 0o600); err != nil {
		t.Fatal(err)
	}
	p, mended, st4 := run()
	if l := loaded(t, p); l["index_built"] != true || mended != edited || st4.Built.Equal(st3.Built) {
		t.Errorf("restart on a damaged index: %v, want it built again in %s", l, edited)
	}
	if !strings.Contains(p.stdout.String(), `"msg":"search index refused, built again"`) {
		t.Error("the log does not say the damaged index was refused")
	}
}

// TestKBBuild builds a library folder's index with `policybot kb build`,
// which a second run finds up to date, and which serve then opens without
// building.
func TestKBBuild(t *testing.T) {
	dir := copyLibrary(t)
	data := t.TempDir()
	build := func() string {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"kb", "build", "--kb", dir, "--data-dir", data}, nil, &out, &errOut, env(nil)); code != 0 {
			t.Fatalf("kb build = %d: %s", code, errOut.String())
		}
		return out.String()
	}
	if out := build(); !strings.HasPrefix(out, "built the index of library ") {
		t.Errorf("first build says %q", out)
	}
	index, st := servedIndex(t, filepath.Join(data, "index"))
	if out := build(); !strings.Contains(out, "is up to date") {
		t.Errorf("second build says %q", out)
	}
	p := startServe(t, nil, "--kb", dir, "--data-dir", data)
	if l := loaded(t, p); l["index_built"] != false || l["index"] != index {
		t.Errorf("serve after kb build: %v, want %s opened", l, index)
	}
	if _, again := servedIndex(t, filepath.Join(data, "index")); !again.Built.Equal(st.Built) {
		t.Error("serve built the index kb build had built")
	}
	var errOut bytes.Buffer
	if code := run(context.Background(), []string{"kb", "build", "--data-dir", data}, nil, &bytes.Buffer{}, &errOut, env(nil)); code != 2 || !strings.Contains(errOut.String(), "in memory") {
		t.Errorf("kb build of the built-in library without --index-dir = %d %q, want a usage error", code, errOut.String())
	}
}

// TestServeBuiltInWritesNoIndex checks that serve with no settings keeps
// the built-in library's index in memory: nothing under the data folder
// but the database.
func TestServeBuiltInWritesNoIndex(t *testing.T) {
	data := t.TempDir()
	p := startServe(t, nil, "--data-dir", data)
	if got := searchFirst(t, p, "企业债券融资有奖励吗"); got != "十六.4" {
		t.Errorf("first hit %s, want 十六.4", got)
	}
	if l := loaded(t, p); l["index"] != "" {
		t.Errorf("the built-in library's index is in %v, want memory", l["index"])
	}
	if _, err := os.Stat(filepath.Join(data, "index")); !os.IsNotExist(err) {
		t.Errorf("serve wrote an index folder: %v", err)
	}
}

// TestReloadKeepsSearching reloads an edited library over HTTP while
// searches run: every search answers 200, the new index is built beside
// the old, and the old one is gone once the reload is taken up.
func TestReloadKeepsSearching(t *testing.T) {
	dir := copyLibrary(t)
	root := t.TempDir()
	p := startServe(t, map[string]string{"POLICYBOT_ADMIN_TOKEN": "s3cret"}, "--kb", dir, "--index-dir", root)
	old, _ := servedIndex(t, root)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex // guards failed and n
	var failed []string
	n := 0
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				// Not p.call: its t.Fatal belongs to the test's goroutine.
				resp, err := http.Get("http://" + p.addr + "/v1/search?q=" + url.QueryEscape("企业债券融资有奖励吗"))
				problem := ""
				if err != nil {
					problem = err.Error()
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						problem = resp.Status
					}
				}
				mu.Lock()
				n++
				if problem != "" {
					failed = append(failed, problem)
				}
				mu.Unlock()
			}
		})
	}
	editFile(t, dir, "ganzhou-2014-26/document.yaml", `title: "主营业务收入首次突破台阶奖励"`, `title: "营收首次突破台阶奖励"`)
	status, body := p.reload(t, "s3cret")
	close(stop)
	wg.Wait()
	if status != 200 {
		t.Fatalf("reload = %d %v", status, body)
	}
	if len(failed) > 0 || n == 0 {
		t.Errorf("%d searches during the reload, %d failed: %v", n, len(failed), failed)
	}
	if got := clauseTitle(t, p); got != "营收首次突破台阶奖励" {
		t.Errorf("after the reload the title is %q", got)
	}
	// The old index goes after the last search that held it, from a
	// goroutine of its own.
	deadline := time.Now().Add(10 * time.Second)
	for entries, _ := os.ReadDir(root); len(entries) != 1 && time.Now().Before(deadline); entries, _ = os.ReadDir(root) {
		time.Sleep(10 * time.Millisecond)
	}
	now, st := servedIndex(t, root)
	if now == old || st.Library != body["library_version"] {
		t.Errorf("index after the reload: %s of %s, want a new one of %v beside %s", now, st.Library, body["library_version"], old)
	}
}
