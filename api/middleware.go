package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// LogHandler wraps h so that every record logged with a request's context
// carries that request's id. When h writes to sink, every record but the
// access-log line of a request answered below 400 flushes the sink after it
// is written (see LogSink); sink may be nil.
func LogHandler(h slog.Handler, sink *LogSink) slog.Handler { return requestIDHandler{h, sink} }

type requestIDHandler struct {
	slog.Handler
	sink *LogSink
}

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	err := h.Handler.Handle(ctx, r)
	if h.sink != nil && (r.Level > slog.LevelInfo || r.Message != accessLogMsg) {
		if ferr := h.sink.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as), h.sink}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name), h.sink}
}

// clientRequestID is the form of a request id we accept from a caller (a
// gateway's X-Request-ID); anything else is replaced by our own.
var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestContext gives the request an id (the caller's X-Request-ID when it
// is sane), echoes it in the response, limits the body size, and when the
// request is done counts it and writes one access-log line, with the code
// and field of the error answered if any.
func (s *Server) requestContext(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader("X-Request-ID")
	if !clientRequestID.MatchString(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	ctx := context.WithValue(c.Request.Context(), requestIDKey, id)
	c.Request = c.Request.WithContext(ctx)
	c.Header("X-Request-ID", id)
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)
	}
	c.Next()

	took := time.Since(start)
	e := sentError(c)
	s.countRequest(c, e, took)
	switch c.FullPath() {
	case "/healthz", "/readyz", "/readyz/library", "/metrics":
		// Probes and scrapes come every few seconds and say nothing new.
		return
	}
	status := c.Writer.Status()
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	}
	// The query is not logged: it can hold what a user typed.
	attrs := []slog.Attr{
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", c.Writer.Size()),
		slog.Duration("duration", took),
	}
	if e != nil {
		attrs = append(attrs, slog.String("error_code", e.Code), slog.String("error_field", e.Field))
	}
	s.log.LogAttrs(ctx, level, accessLogMsg, attrs...)
}
