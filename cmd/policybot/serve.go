package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"policybot/api"
	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/console"
	"policybot/dialogue"
	"policybot/internal/ratelimit"
	"policybot/internal/secretbox"
	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
	"policybot/metrics"
	"policybot/session"
	"policybot/store"
	"policybot/wechat"
)

// serve runs the HTTP service until ctx is cancelled (SIGTERM), then drains
// requests for up to the shutdown timeout. When listening is not nil it
// receives the bound address once the server accepts connections; tests use
// it with --addr 127.0.0.1:0.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv envReader, listening chan<- string) error {
	cfg, _, err := parseServeConfig(args, getenv)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	// Access-log lines of requests that went well reach stdout within
	// logDelay, a few dozen at a time; every other line at once.
	sink := api.NewLogSink(stdout, logDelay)
	defer func() { _ = sink.Close() }()
	log := slog.New(api.LogHandler(slog.NewJSONHandler(sink, &slog.HandlerOptions{Level: cfg.LogLevel}), sink))
	ver, commit := buildVersion()
	log.Info("starting", "version", ver, "commit", commit, "config", cfg)
	// go-redis logs its own troubles (a dial that failed, a Sentinel's
	// failover) through one process-wide logger: into the JSON log.
	redis.SetLogger(session.NewRedisLog(log))
	m := metrics.New(ver, log)

	start := time.Now()
	root := cfg.indexRoot()
	open := func() (*library.Library, error) { return openLibrary(cfg.KB, root) }
	lib, err := open()
	if err != nil {
		return err
	}
	if lib.IndexInfo.Why != "" {
		log.Warn("search index refused, built again", "dir", lib.IndexInfo.Dir, "reason", lib.IndexInfo.Why)
	}
	// What a start leaves under the index folder is the index it serves.
	if root != "" {
		if err := library.PruneIndexes(root, lib.IndexInfo.Dir); err != nil {
			log.Warn("old search indexes not removed", "err", err.Error())
		}
	}
	// A library that fails its own test cases must not answer anyone.
	if results := lib.Engine.RunCases(); countFailed(results) > 0 {
		lib.Close()
		failed := printCaseReport(stderr, lib.Engine, results, false)
		return fmt.Errorf("the rules fail %d of their own test cases; not serving", failed)
	}
	// Loading parses and compiles every file of the library and runs its
	// cases; what that leaves behind is garbage, given back to the system at
	// once so that the resident size is the library's, not the load's.
	debug.FreeOSMemory()
	// The live heap is then the library's, tens of megabytes for the
	// built-in one, and what a request allocates is garbage when it is
	// answered: at Go's default the collector ran every few hundred matches
	// and took a sixth of the CPU under load. An operator's GOGC wins.
	// The runtime reads the process's own environment, not getenv's; the
	// setting is given back when serve returns (tests serve in-process).
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(int(cfg.GCPercent)))
	}
	log.Info("library loaded", "source", lib.Source, "version", lib.Version, "documents", len(lib.Documents()),
		"benefits", len(lib.Engine.Benefits()), "duration", time.Since(start),
		"index", lib.IndexInfo.Dir, "index_built", lib.IndexInfo.Built, "index_duration", lib.IndexInfo.Took)
	// Requests that started on a replaced library finish on it: it is
	// closed after the last of them.
	libs := library.NewHolder(lib, open, log)
	m.Library(func() string { return libs.Current().Version })
	defer func() { libs.Current().Close() }()
	stopReload := reloadOnHangup(libs)
	defer stopReload()

	var rdb redis.UniversalClient
	if cfg.RedisURL != "" {
		if rdb, err = session.OpenRedis(cfg.RedisURL, cfg.RedisTimeout); err != nil {
			return err
		}
		defer rdb.Close()
		rdb.AddHook(m.RedisHook())
	}
	chats, tokens, ready := sessionStores(cfg, rdb)
	limiter, err := rateLimiter(rdb, cfg.Limits.Timeout, log)
	if err != nil {
		return err
	}

	opt := store.Options{Timeout: cfg.DBTimeout}
	var box *secretbox.Box
	if cfg.Complaints {
		if box, err = loadMasterKey(cfg.MasterKeyFile, getenv); err != nil {
			return fmt.Errorf("--complaints: %w", err)
		}
		opt.Sealer = box
	}
	db, err := openStore(ctx, cfg.DatabaseURL, cfg.DataDir, opt)
	if err != nil {
		return fmt.Errorf("case store: %w", err)
	}
	// Every call of the database is counted and timed, whoever makes it.
	cases := store.NewObserved(db, m.DatabaseCall)
	defer cases.Close()
	if cfg.Complaints {
		m.Deliveries(deliveryCounts(cases))
	}
	go purgeCases(ctx, cases, cfg.CaseRetention, log)
	cons, err := console.New(console.Config{
		Lockout:       console.DefaultConfig.Lockout,
		SessionTTL:    cfg.ConsoleSessionTTL,
		SecureCookies: cfg.ConsoleSecureCookies,
	}, console.Deps{Store: cases, Library: libs.Acquire, Log: log})
	if err != nil {
		return err
	}

	var auth api.Authenticator
	var content api.ContentChecker
	var notifier *wechat.Notifier
	var subs *wechat.Subscriptions
	if cfg.WeChatAppID != "" {
		client := wechat.NewClient(cfg.WeChatAppID, cfg.WeChatSecret)
		client.BaseURL = cfg.WeChatBaseURL
		auth = wechat.NewAuth(client, tokens, cfg.TokenMaxAge, time.Now)
		if cfg.WeChatContentCheck {
			content = wechat.NewContentCheck(client, wechat.NewAppTokens(client, rdb, "policybot:"))
		}
		if cfg.WeChatSubscribeTemplate != "" {
			if notifier, subs, err = wechat.NewStatusNotifier(client, rdb, "policybot:", cfg.WeChatSubscribeTemplate, cfg.WeChatSubscribeFields); err != nil {
				return fmt.Errorf("--wechat-subscribe-fields: %w", err)
			}
		}
	}
	chat := dialogue.NewService(func() (*dialogue.Source, func()) {
		l, release := libs.Acquire()
		return l.Chat(), release
	}, chats, time.Now, cfg.HistoryTurns)
	if cfg.Complaints {
		chat = chat.WithComplaintDesk(complaints.Desk{Tickets: cases})
	}
	gin.SetMode(gin.ReleaseMode)
	srv := api.NewServer(api.Config{MaxBodyBytes: cfg.MaxBodyBytes, AnonymousChat: cfg.AnonymousChat, AdminToken: cfg.AdminToken,
		TrustedProxies: cfg.Limits.TrustedProxies, Limits: cfg.Limits.api(),
		MaxHeaderBytes: int(cfg.MaxHeaderBytes), CORSOrigins: cfg.CORSOrigins, Version: ver, Commit: commit}, api.Deps{
		Library:  func() (api.Library, func()) { return libs.Acquire() },
		Reloader: reloader{libs},
		Chat:     chat,
		Auth:     auth,
		Content:  content,
		Ready:    ready,
		Metrics:  m,
		Log:      log,
		Limiter:  limiter,
	})
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			ReadTimeout:       cfg.ReadTimeout,
			ReadHeaderTimeout: cfg.ReadTimeout,
			WriteTimeout:      cfg.WriteTimeout,
			IdleTimeout:       cfg.IdleTimeout,
			// net/http answers its own limit in plain text, before any
			// handler; it is set far above the API's, which answers in JSON.
			MaxHeaderBytes: api.ListenerHeaderBytes(int(cfg.MaxHeaderBytes)),
			ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
	}
	var public []func(gin.IRouter)
	if subs != nil {
		public = append(public, srv.SubscriptionRoutes(subs))
	}
	internal := []func(gin.IRouter){cons.Register}
	if cfg.Complaints {
		// A rate of 0 turns the keys' limit off: a nil Limiter bounds nothing.
		perKey := limiter
		if cfg.IntegratorRate == 0 {
			perKey = nil
		}
		// The platform's calls are signed with its keys (policybot
		// integrator add-key).
		v := sign.NewVerifier(complaints.NewKeys(cases, box, time.Now), integratorNonces(rdb), time.Now)
		internal = append(internal, api.IntegrationRoutes(api.Integrations{
			Verifier: v, Inbound: cases, Status: cases, Notify: ticketNotifier(cases, notifier, log), Audit: cases, Log: log, MaxBody: cfg.MaxBodyBytes, Now: time.Now,
			Limiter: perKey, Limit: ratelimit.Limit{Rate: cfg.IntegratorRate, Period: time.Second, Burst: cfg.IntegratorBurst},
			Library: func() (*library.Library, func()) { return libs.Acquire() },
		}))
	}
	// With an internal listener the console, the admin routes and the
	// integrators' live there alone; without one, everything shares --addr.
	servers := []*http.Server{newServer(srv.Handler(append(internal, public...)...))}
	addrs := []string{cfg.Addr}
	if cfg.InternalAddr != "" {
		servers = []*http.Server{newServer(srv.PublicHandler(public...)), newServer(srv.InternalHandler(internal...))}
		addrs = append(addrs, cfg.InternalAddr)
	}
	admin := -1
	if cfg.AdminAddr != "" {
		as := newServer(srv.AdminHandler())
		// A CPU profile or a trace writes for as long as it was asked to
		// run (?seconds=), which pprof refuses beyond a write timeout.
		as.WriteTimeout = 0
		admin = len(servers)
		servers = append(servers, as)
		addrs = append(addrs, cfg.AdminAddr)
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		ln, err := net.Listen("tcp", addrs[i])
		if err != nil {
			for _, started := range servers[:i] {
				started.Close()
			}
			return err
		}
		internal := i == 1 && cfg.InternalAddr != "" || i == 0 && cfg.InternalAddr == ""
		log.Info("listening", "addr", ln.Addr().String(), "internal", internal, "admin", i == admin)
		if listening != nil {
			listening <- ln.Addr().String()
		}
		go func() { errc <- hs.Serve(ln) }()
	}
	select {
	case err := <-errc:
		for _, hs := range servers {
			hs.Close()
		}
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	log.Info("stopped")
	return nil
}

// openLibrary opens the library of the folder dir, or the built-in one,
// with its search index under indexRoot, or in memory when that is "".
func openLibrary(dir, indexRoot string) (*library.Library, error) {
	fsys, source := kb.Embedded(), "built-in"
	if dir != "" {
		var err error
		if fsys, err = library.ReadDir(dir); err != nil {
			return nil, err
		}
		source = dir
	}
	if indexRoot == "" {
		return library.Open(fsys, source)
	}
	return library.OpenIndexed(fsys, source, indexRoot)
}

// reloadOnHangup reloads the library on each SIGHUP until the returned
// function is called, which waits for a reload under way to end, so that
// the library closed at shutdown is the one serving.
func reloadOnHangup(libs *library.Holder) func() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-hup:
				// The holder logs what it took up or why it refused.
				_, _ = libs.Reload("SIGHUP")
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
		<-stopped
	}
}

// reloader adapts the library holder to the API's admin reload.
type reloader struct{ libs *library.Holder }

func (r reloader) Reload(who string) (string, error) {
	l, err := r.libs.Reload(who)
	return l.Version, err
}

// chatCacheBytes bounds the chat sessions each replica keeps a copy of, so
// that the next turn of a conversation it served costs one Redis round
// trip: thousands of conversations of a few kilobytes each.
const chatCacheBytes = 32 << 20

// sessionStores returns the chat-session and login-token stores: in Redis
// when rdb is not nil (REDIS_URL is set), in process memory otherwise.
// ready lists what /readyz must ping.
func sessionStores(cfg *config, rdb redis.UniversalClient) (chats, tokens session.Store, ready []api.Pinger) {
	if rdb == nil {
		return session.NewMemory(cfg.SessionTTL, time.Now), session.NewMemory(cfg.TokenTTL, time.Now), nil
	}
	chatStore := session.NewRedis(rdb, "policybot:chat:", cfg.SessionTTL).Cached(chatCacheBytes)
	return chatStore, session.NewRedis(rdb, "policybot:token:", cfg.TokenTTL), []api.Pinger{chatStore}
}

// integratorNonces returns where the nonces of the integrators' calls are
// kept: with Redis (rdb not nil) shared by every replica, so that a call
// replayed to another replica is refused. A nonce has no fallback, unlike
// the rate limits: a replica that cannot check one answers 503. Without
// Redis they are the process's own, for one replica.
func integratorNonces(rdb redis.UniversalClient) sign.NonceStore {
	if rdb == nil {
		return sign.NewMemoryNonces(time.Now)
	}
	return sign.NewRedisNonces(rdb, "policybot:nonce:")
}

func countFailed(results []matcher.CaseResult) int {
	n := 0
	for _, r := range results {
		if len(r.Problems) > 0 {
			n++
		}
	}
	return n
}

// deliveryCounts returns the complaint deliveries by state, for the
// metrics to report at each scrape.
func deliveryCounts(tickets store.TicketStore) func(context.Context) (map[string]int, error) {
	return func(ctx context.Context) (map[string]int, error) {
		n, err := tickets.DeliveryCounts(ctx)
		if err != nil {
			return nil, err
		}
		out := make(map[string]int, len(n))
		for state, v := range n {
			out[string(state)] = v
		}
		return out, nil
	}
}

// logDelay is the longest an access-log line of a request that went well
// waits before it is written: what a crash may lose of the log, and no
// more than a person watching it notices.
const logDelay = 100 * time.Millisecond
