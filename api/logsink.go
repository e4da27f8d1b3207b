package api

import (
	"io"
	"sync"
	"time"
)

// accessLogMsg is the message of the access-log line requestContext writes.
const accessLogMsg = "request"

// LogSink is the writer under the JSON log. A busy server writes one
// access-log line per request; written one by one they cost a write call
// each, as much as a tenth of a match's time. So the sink keeps what it is
// given, and LogHandler flushes it after every line except the access-log
// lines of requests that went well: those wait at most the sink's delay, or
// until enough gather to fill one write. Every other line (a warning, an
// error, a 4xx or 5xx request, the start-up lines) reaches the writer at
// once, after what waited before it, so the log keeps its order and what an
// operator looks for is never late.
type LogSink struct {
	mu    sync.Mutex // guards buf, timer and closed
	w     io.Writer
	buf   []byte
	delay time.Duration
	timer *time.Timer
	// closed makes every line go through at once: nothing is left to flush
	// a line that comes after the server stopped.
	closed bool
}

// logSinkSize is how much the sink gathers before it writes regardless of
// the delay: a few dozen access-log lines.
const logSinkSize = 16 << 10

// NewLogSink returns a sink writing to w, keeping lines at most delay.
func NewLogSink(w io.Writer, delay time.Duration) *LogSink {
	return &LogSink{w: w, delay: delay, buf: make([]byte, 0, logSinkSize)}
}

// Write keeps p until the next flush.
func (s *LogSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = append(s.buf, p...)
	if len(s.buf) >= logSinkSize || s.closed {
		return len(p), s.flushLocked()
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(s.delay, func() { _ = s.Flush() })
	}
	return len(p), nil
}

// Flush writes what the sink holds.
func (s *LogSink) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushLocked()
}

// Close writes what the sink holds, and every line after it at once.
func (s *LogSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return s.flushLocked()
}

func (s *LogSink) flushLocked() error {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if len(s.buf) == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	return err
}
