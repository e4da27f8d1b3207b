package api_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"policybot/api"
)

// TestLogSink checks which lines wait in the sink and which are written at
// once, and that the order of the log survives.
func TestLogSink(t *testing.T) {
	out := &syncBuffer{}
	// A delay no test waits for: only a flush or a full sink writes.
	sink := api.NewLogSink(out, time.Hour)
	log := slog.New(api.LogHandler(slog.NewJSONHandler(sink, nil), sink))
	ctx := context.Background()

	log.LogAttrs(ctx, slog.LevelInfo, "request", slog.Int("status", 200), slog.Int("n", 1))
	log.LogAttrs(ctx, slog.LevelInfo, "request", slog.Int("status", 302), slog.Int("n", 2))
	if got := out.String(); got != "" {
		t.Fatalf("access-log lines of requests that went well were written at once: %s", got)
	}
	log.LogAttrs(ctx, slog.LevelWarn, "request", slog.Int("status", 404), slog.Int("n", 3))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"n":1`) || !strings.Contains(lines[2], `"n":3`) {
		t.Fatalf("a 4xx line did not write what waited before it, in order:\n%s", out)
	}
	log.Info("library loaded", "n", 4)
	if !strings.Contains(out.String(), `"n":4`) {
		t.Errorf("a line other than the access log waited:\n%s", out)
	}
	log.LogAttrs(ctx, slog.LevelInfo, "request", slog.Int("n", 5))
	if err := sink.Flush(); err != nil || !strings.Contains(out.String(), `"n":5`) {
		t.Errorf("Flush = %v, and did not write the waiting line:\n%s", err, out)
	}

	// A full sink writes without waiting for its delay.
	before := len(out.String())
	for i := 0; len(out.String()) == before; i++ {
		if i > 1000 {
			t.Fatal("1,000 access-log lines waited in the sink")
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("path", strings.Repeat("x", 100)))
	}
}

// TestLogSinkDelay checks that a line waits no longer than the delay: with
// nothing else logged, it is written on its own.
func TestLogSinkDelay(t *testing.T) {
	out := &syncBuffer{}
	sink := api.NewLogSink(out, 10*time.Millisecond)
	log := slog.New(api.LogHandler(slog.NewJSONHandler(sink, nil), sink))
	log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.Int("status", 200))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), `"status":200`) {
		if time.Now().After(deadline) {
			t.Fatal("the line was not written 10 s after a 10 ms delay")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLogSinkClosed checks that a line logged after Close, by a request
// still running when the server stopped waiting, is written at once.
func TestLogSinkClosed(t *testing.T) {
	out := &syncBuffer{}
	sink := api.NewLogSink(out, time.Hour)
	log := slog.New(api.LogHandler(slog.NewJSONHandler(sink, nil), sink))
	log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.Int("n", 1))
	if err := sink.Close(); err != nil || !strings.Contains(out.String(), `"n":1`) {
		t.Fatalf("Close = %v, and did not write the waiting line:\n%s", err, out)
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.Int("n", 2))
	if !strings.Contains(out.String(), `"n":2`) {
		t.Errorf("a line after Close waited:\n%s", out)
	}
}
