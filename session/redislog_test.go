package session_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"

	"policybot/session"
)

type lockedBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRedisLog checks that a line go-redis logs itself, here for a Redis
// that cannot be reached, comes out of the JSON log.
func TestRedisLog(t *testing.T) {
	var out lockedBuffer
	redis.SetLogger(session.NewRedisLog(slog.New(slog.NewJSONHandler(&out, nil))))
	t.Cleanup(logging.Enable)
	client, err := session.OpenRedis("redis://127.0.0.1:1/0?max_retries=0&dial_timeout=1s", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if err := client.Ping(context.Background()).Err(); err == nil {
		t.Fatal("PING of a closed port answered")
	}
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		detail, _ := rec["detail"].(string)
		if rec["msg"] == "go-redis" && rec["level"] == "WARN" && strings.Contains(detail, "failed to dial") {
			found = true
		}
	}
	if !found {
		t.Errorf("no go-redis line of the failed dial in the log:\n%s", out.String())
	}
}
