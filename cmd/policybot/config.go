package main

import (
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"time"

	"policybot/api"
)

// config is the whole typed configuration of `policybot serve`. Every field
// comes from a flag, whose default comes from an environment variable, whose
// default is written here.
type config struct {
	Addr string
	KB   string
	// IndexDir is the folder of the search indexes on disk; see indexRoot.
	IndexDir        string
	AdminToken      string
	RedisURL        string
	RedisTimeout    time.Duration
	SessionTTL      time.Duration
	HistoryTurns    int
	TokenTTL        time.Duration
	TokenMaxAge     time.Duration
	MaxBodyBytes    int64
	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	IdleTimeout     time.Duration
	ShutdownTimeout time.Duration
	AnonymousChat   bool
	WeChatBaseURL   string
	WeChatAppID     string
	WeChatSecret    string
	// WeChatSubscribeTemplate and WeChatSubscribeFields name the subscribe
	// message that tells a user their complaint's progress, and its
	// mapping file; empty sends none.
	WeChatSubscribeTemplate string
	WeChatSubscribeFields   string
	LogLevel                slog.Level
	// AdminAddr is the listener of Go's profiler and the metrics, for
	// operators alone; empty serves no profiler.
	AdminAddr string
	// The console and what it keeps.
	InternalAddr         string
	DataDir              string
	DatabaseURL          string
	DBTimeout            time.Duration
	ConsoleSecureCookies bool
	ConsoleSessionTTL    time.Duration
	CaseRetention        time.Duration
	// Complaints turns on filing complaints from the chat, as tickets the
	// outbox worker (policybot outbox-worker) delivers; it needs the master
	// key, which seals the contact phones.
	Complaints    bool
	MasterKeyFile string
	// IntegratorRate and IntegratorBurst bound the calls of each
	// integrator key: so many a second, so many at once.
	IntegratorRate  int
	IntegratorBurst int
	// Limits are the other rate limits, and who a client is.
	Limits limitsConfig
	// The HTTP hardening: the header limit clients meet, the browser
	// origins CORS allows, and WeChat's content check of chat messages.
	MaxHeaderBytes     int64
	CORSOrigins        []string
	WeChatContentCheck bool
	// GCPercent is the collector's GOGC once the library is loaded.
	GCPercent int64
}

// defaultDataDir is where serve and the store commands keep the SQLite
// database when neither --data-dir nor POLICYBOT_DATA_DIR says.
const defaultDataDir = "data"

// envReader reads an environment variable; tests pass a map's lookup.
type envReader func(string) string

// parseServeConfig reads flags over environment over defaults. A bad value
// in either fails naming the flag and the variable.
func parseServeConfig(args []string, getenv envReader) (*config, *flag.FlagSet, error) {
	c := &config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var errs []error
	str := func(p *string, name, env, def, usage string) {
		if v := getenv(env); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" (env "+env+")")
	}
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) {
		if v := getenv(env); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a positive duration such as 30m", env, v))
			} else {
				def = d
			}
		}
		fs.DurationVar(p, name, def, usage+" (env "+env+")")
	}
	boolean := func(p *bool, name, env string, def bool, usage string) {
		if v := getenv(env); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want true or false", env, v))
			} else {
				def = b
			}
		}
		fs.BoolVar(p, name, def, usage+" (env "+env+")")
	}
	integer := func(p *int64, name, env string, def int64, usage string) {
		if v := getenv(env); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				errs = append(errs, fmt.Errorf("%s=%q: want a positive integer", env, v))
			} else {
				def = n
			}
		}
		fs.Int64Var(p, name, def, usage+" (env "+env+")")
	}
	var history int64
	var level string
	str(&c.Addr, "addr", "POLICYBOT_ADDR", ":8080", "address to listen on")
	str(&c.KB, "kb", "POLICYBOT_KB", "", "policy library folder (a folder per document); empty serves the built-in library")
	str(&c.IndexDir, "index-dir", "POLICYBOT_INDEX_DIR", "", "folder of the search indexes built by `policybot kb build` or at start; empty: under --data-dir for a --kb library, in memory for the built-in one")
	str(&c.AdminToken, "admin-token", "POLICYBOT_ADMIN_TOKEN", "", "bearer token of POST /v1/admin/reload; empty turns it off")
	str(&c.RedisURL, "redis-url", "REDIS_URL", "", "Redis for sessions: redis://, rediss://, redis+sentinel:// or redis+cluster:// URL; empty keeps sessions in memory")
	dur(&c.RedisTimeout, "redis-timeout", "POLICYBOT_REDIS_TIMEOUT", 500*time.Millisecond, "longest a call to Redis may take before the request is answered 503")
	dur(&c.SessionTTL, "session-ttl", "POLICYBOT_SESSION_TTL", 30*time.Minute, "idle time after which a chat session is forgotten")
	integer(&history, "history-turns", "POLICYBOT_HISTORY_TURNS", 20, "chat turns kept per session")
	dur(&c.TokenTTL, "token-ttl", "POLICYBOT_TOKEN_TTL", 7*24*time.Hour, "idle lifetime of a login token")
	dur(&c.TokenMaxAge, "token-max-age", "POLICYBOT_TOKEN_MAX_AGE", 30*24*time.Hour, "absolute lifetime of a login token, however often it is used")
	integer(&c.MaxBodyBytes, "max-body-bytes", "POLICYBOT_MAX_BODY_BYTES", 64<<10, "largest request body accepted")
	dur(&c.ReadTimeout, "read-timeout", "POLICYBOT_READ_TIMEOUT", 10*time.Second, "time to read a whole request")
	dur(&c.WriteTimeout, "write-timeout", "POLICYBOT_WRITE_TIMEOUT", 15*time.Second, "time to write a response")
	dur(&c.IdleTimeout, "idle-timeout", "POLICYBOT_IDLE_TIMEOUT", 60*time.Second, "keep-alive idle time")
	dur(&c.ShutdownTimeout, "shutdown-timeout", "POLICYBOT_SHUTDOWN_TIMEOUT", 10*time.Second, "time to finish requests on SIGTERM")
	boolean(&c.AnonymousChat, "anonymous-chat", "POLICYBOT_ANONYMOUS_CHAT", true, "allow /v1/chat without a login token")
	str(&c.WeChatBaseURL, "wechat-base-url", "POLICYBOT_WECHAT_BASE_URL", "https://api.weixin.qq.com", "WeChat API base URL")
	str(&c.WeChatAppID, "wechat-appid", "POLICYBOT_WECHAT_APPID", "", "mini-program appid; login is off without it")
	str(&c.WeChatSecret, "wechat-secret", "POLICYBOT_WECHAT_SECRET", "", "mini-program secret")
	str(&c.WeChatSubscribeTemplate, "wechat-subscribe-template", "POLICYBOT_WECHAT_SUBSCRIBE_TEMPLATE", "", "subscribe-message template that tells users their complaint's progress; empty sends none")
	str(&c.WeChatSubscribeFields, "wechat-subscribe-fields", "POLICYBOT_WECHAT_SUBSCRIBE_FIELDS", "", "YAML file mapping ticket_no, status, note and time to the template's keys")
	str(&level, "log-level", "POLICYBOT_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.AdminAddr, "admin-addr", "POLICYBOT_ADMIN_ADDR", "", "address of the admin listener (Go's profiler under /debug/pprof/, and /metrics), for operators alone; empty serves no profiler")
	str(&c.InternalAddr, "internal-addr", "POLICYBOT_INTERNAL_ADDR", "", "address of the internal listener (the console and admin routes, for the government extranet); empty serves them on --addr")
	str(&c.DataDir, "data-dir", "POLICYBOT_DATA_DIR", defaultDataDir, "folder of the embedded SQLite database of cases, staff and the audit log")
	str(&c.DatabaseURL, "database-url", "DATABASE_URL", "", "PostgreSQL URL for cases, staff and the audit log (for several replicas); empty uses SQLite under --data-dir")
	dur(&c.DBTimeout, "db-timeout", "POLICYBOT_DB_TIMEOUT", 2*time.Second, "longest a call to the database may take for a request before it is answered 503")
	boolean(&c.ConsoleSecureCookies, "console-secure-cookies", "POLICYBOT_CONSOLE_SECURE_COOKIES", false, "mark console cookies Secure (set when a proxy ends TLS in front of the console)")
	dur(&c.ConsoleSessionTTL, "console-session-ttl", "POLICYBOT_CONSOLE_SESSION_TTL", 10*time.Hour, "absolute lifetime of a console sign-in")
	dur(&c.CaseRetention, "case-retention", "POLICYBOT_CASE_RETENTION", 2*365*24*time.Hour, "cases not updated for this long are deleted (personal information)")
	boolean(&c.Complaints, "complaints", "POLICYBOT_COMPLAINTS", false, "let the chat file complaints with the enterprise complaint platform (delivered by policybot outbox-worker); needs the master key")
	str(&c.MasterKeyFile, "master-key-file", "POLICYBOT_MASTER_KEY_FILE", "", "file of the master key that seals secrets and contact phones (or POLICYBOT_MASTER_KEY, base64)")
	checkLimits := addLimitFlags(fs, getenv, c)
	var corsOrigins string
	integer(&c.MaxHeaderBytes, "max-header-bytes", "POLICYBOT_MAX_HEADER_BYTES", api.DefaultMaxHeaderBytes, "largest request line and header fields accepted; beyond it, 431")
	boolean(&c.WeChatContentCheck, "wechat-content-check", "POLICYBOT_WECHAT_CONTENT_CHECK", false, "check logged-in users' chat messages with WeChat's msgSecCheck; needs --wechat-appid")
	str(&corsOrigins, "cors-origins", "POLICYBOT_CORS_ORIGINS", "", "comma-separated browser origins (https://host[:port]) allowed to call the API; empty allows none")
	integer(&c.GCPercent, "gc-percent", "POLICYBOT_GC_PERCENT", 400, "the garbage collector's GOGC once the library is loaded (Go's default is 100); ignored when GOGC is set")
	if err := fs.Parse(args); err != nil {
		return nil, fs, err
	}
	if len(errs) > 0 {
		return nil, fs, errs[0]
	}
	if err := checkLimits(); err != nil {
		return nil, fs, err
	}
	if fs.NArg() > 0 {
		return nil, fs, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// Flags get the same checks as the environment.
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"session-ttl", c.SessionTTL}, {"token-ttl", c.TokenTTL}, {"token-max-age", c.TokenMaxAge}, {"read-timeout", c.ReadTimeout},
		{"write-timeout", c.WriteTimeout}, {"idle-timeout", c.IdleTimeout}, {"shutdown-timeout", c.ShutdownTimeout},
		{"console-session-ttl", c.ConsoleSessionTTL}, {"case-retention", c.CaseRetention},
		{"redis-timeout", c.RedisTimeout}, {"db-timeout", c.DBTimeout},
	} {
		if d.v <= 0 {
			return nil, fs, fmt.Errorf("--%s %v: want a positive duration", d.name, d.v)
		}
	}
	if c.MaxBodyBytes <= 0 {
		return nil, fs, fmt.Errorf("--max-body-bytes %d: want a positive number", c.MaxBodyBytes)
	}
	if c.GCPercent < 1 || c.GCPercent > 10000 {
		return nil, fs, fmt.Errorf("--gc-percent %d: want 1 to 10000", c.GCPercent)
	}
	if c.MaxHeaderBytes < 1<<10 {
		return nil, fs, fmt.Errorf("--max-header-bytes %d: want 1024 or more", c.MaxHeaderBytes)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return nil, fs, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	if history < 1 || history > 1000 {
		return nil, fs, fmt.Errorf("--history-turns %d: want 1 to 1000", history)
	}
	c.HistoryTurns = int(history)
	var err error
	if c.CORSOrigins, err = parseOrigins(corsOrigins); err != nil {
		return nil, fs, fmt.Errorf("--cors-origins: %w", err)
	}
	if (c.WeChatAppID == "") != (c.WeChatSecret == "") {
		return nil, fs, fmt.Errorf("--wechat-appid and --wechat-secret must be set together")
	}
	if (c.WeChatSubscribeTemplate == "") != (c.WeChatSubscribeFields == "") {
		return nil, fs, fmt.Errorf("--wechat-subscribe-template and --wechat-subscribe-fields must be set together")
	}
	if c.WeChatContentCheck && c.WeChatAppID == "" {
		return nil, fs, fmt.Errorf("--wechat-content-check needs --wechat-appid and --wechat-secret")
	}
	if c.WeChatSubscribeTemplate != "" && c.WeChatAppID == "" {
		return nil, fs, fmt.Errorf("--wechat-subscribe-template needs --wechat-appid and --wechat-secret")
	}
	return c, fs, nil
}

// LogValue logs the configuration with its secrets masked.
func (c *config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("kb", c.KB),
		slog.String("index_dir", c.indexRoot()),
		slog.String("admin_token", mask(c.AdminToken)),
		slog.String("redis_url", maskURL(c.RedisURL)),
		slog.Duration("redis_timeout", c.RedisTimeout),
		slog.Duration("session_ttl", c.SessionTTL),
		slog.Int("history_turns", c.HistoryTurns),
		slog.Duration("token_ttl", c.TokenTTL),
		slog.Duration("token_max_age", c.TokenMaxAge),
		slog.Int64("max_body_bytes", c.MaxBodyBytes),
		slog.Int64("gc_percent", c.GCPercent),
		slog.Duration("read_timeout", c.ReadTimeout),
		slog.Duration("write_timeout", c.WriteTimeout),
		slog.Bool("anonymous_chat", c.AnonymousChat),
		slog.String("wechat_base_url", c.WeChatBaseURL),
		slog.String("wechat_appid", c.WeChatAppID),
		slog.String("wechat_secret", mask(c.WeChatSecret)),
		slog.String("wechat_subscribe_template", c.WeChatSubscribeTemplate),
		slog.String("wechat_subscribe_fields", c.WeChatSubscribeFields),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("internal_addr", c.InternalAddr),
		slog.String("admin_addr", c.AdminAddr),
		slog.String("data_dir", c.DataDir),
		slog.String("database_url", maskURL(c.DatabaseURL)),
		slog.Duration("db_timeout", c.DBTimeout),
		slog.Bool("console_secure_cookies", c.ConsoleSecureCookies),
		slog.Duration("console_session_ttl", c.ConsoleSessionTTL),
		slog.Duration("case_retention", c.CaseRetention),
		slog.Bool("complaints", c.Complaints),
		slog.String("master_key_file", c.MasterKeyFile),
		slog.Int("integrator_rate", c.IntegratorRate),
		slog.Int("integrator_burst", c.IntegratorBurst),
		slog.Any("limits", c.Limits),
		slog.Int64("max_header_bytes", c.MaxHeaderBytes),
		slog.Any("cors_origins", c.CORSOrigins),
		slog.Bool("wechat_content_check", c.WeChatContentCheck),
	)
}

// indexRoot returns the folder of the search indexes: --index-dir, or else
// index/ under the data folder for a library folder, or "" for the
// built-in library, whose index of a few hundred clauses is built in
// memory in milliseconds, so that serve with no settings writes nothing
// for it.
func (c *config) indexRoot() string {
	return indexRoot(c.IndexDir, c.KB, c.DataDir)
}

func indexRoot(indexDir, kb, dataDir string) string {
	switch {
	case indexDir != "":
		return indexDir
	case kb != "":
		return filepath.Join(dataDir, "index")
	}
	return ""
}
