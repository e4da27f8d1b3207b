package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/session/storetest"
)

// TestRedisStalled runs the program on a Redis that stops answering, with
// --redis-timeout 200ms, and sends chat turns at a steady pace, one every
// 10 ms, each on a connection of its own: every turn is answered 503
// unavailable, so that the turns in flight stay near 200 ms / 10 ms = 20
// and under the bound of half those sent, where turns that waited for
// Redis would all be in flight by the last one. Match, search and the
// console, whose sign-ins live in the database, keep answering, and the
// chat answers again once Redis does.
func TestRedisStalled(t *testing.T) {
	redisURL, proxy := storetest.RedisURLThrough(t)
	dir := t.TempDir()
	addSupervisor(t, dir)
	p := startServe(t, map[string]string{"REDIS_URL": redisURL}, "--data-dir", dir, "--redis-timeout", "200ms")
	if status, body := p.call(t, "POST", "/v1/chat", `{"message":"我们是南康区做家具的"}`); status != http.StatusOK {
		t.Fatalf("chat before the stall = %d %v", status, body)
	}

	proxy.Stall()
	const sent, bound = 100, 50
	type answer struct {
		status int
		code   string
		err    error
	}
	answers := make(chan answer, sent)
	var inFlight, most atomic.Int64
	var wg sync.WaitGroup
	for range sent {
		wg.Go(func() {
			n := inFlight.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			defer inFlight.Add(-1)
			status, code, err := chatOnce(p.addr)
			answers <- answer{status, code, err}
		})
		time.Sleep(10 * time.Millisecond)
	}
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.err != nil || a.status != http.StatusServiceUnavailable || a.code != "unavailable" {
			t.Errorf("chat while Redis stalls = %d %q %v, want 503 unavailable", a.status, a.code, a.err)
		}
	}
	if got := most.Load(); got >= bound {
		t.Errorf("%d chat turns in flight at once of %d sent, want fewer than %d", got, sent, bound)
	}
	t.Logf("at most %d of %d chat turns in flight", most.Load(), sent)

	if status, body := p.call(t, "POST", "/v1/match", `{"profile":{"bond_financing_cny":500000000}}`); status != http.StatusOK {
		t.Errorf("match while Redis stalls = %d %v", status, body)
	}
	if status, body := p.call(t, "GET", "/v1/search?q=节能奖励", ""); status != http.StatusOK {
		t.Errorf("search while Redis stalls = %d %v", status, body)
	}
	c, _ := consoleClient(t, p.addr)
	if page := get(t, c, "http://"+p.addr+"/console/cases?q=赣州"); !strings.Contains(page, "案件查询") {
		t.Errorf("console search while Redis stalls:\n%.300s", page)
	}

	proxy.Resume()
	if status, body := p.call(t, "POST", "/v1/chat", `{"message":"今年营收12个亿"}`); status != http.StatusOK {
		t.Errorf("chat after the stall = %d %v", status, body)
	}
}

// chatOnce sends one chat turn on a connection of its own and returns the
// status and error code of the answer.
func chatOnce(addr string) (int, string, error) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Post("http://"+addr+"/v1/chat", "application/json", strings.NewReader(`{"message":"今年营收12个亿,去年9亿"}`))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, "", err
	}
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return resp.StatusCode, "", err
	}
	return resp.StatusCode, body.Error.Code, nil
}
