package session

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// RedisLog is a logger for go-redis (redis.SetLogger) that writes the
// library's own lines (a dial that failed, a Sentinel's new master) to a
// slog.Logger, so that they join the service's JSON log instead of going to
// standard error as plain text. Each line is a warning: go-redis logs only
// what went wrong or changed.
type RedisLog struct{ log *slog.Logger }

// NewRedisLog returns the go-redis logger writing to log.
func NewRedisLog(log *slog.Logger) RedisLog { return RedisLog{log} }

// Printf logs one line of go-redis with the context of the call it came
// from, which carries a request's id when a request made the call.
func (l RedisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "go-redis", slog.String("detail", strings.TrimSpace(fmt.Sprintf(format, v...))))
}
