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
	"time"

	"github.com/gin-gonic/gin"

	"policybot/api"
	"policybot/dialogue"
	"policybot/kb"
	"policybot/matcher"
	"policybot/session"
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
	log := slog.New(api.LogHandler(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel})))
	log.Info("starting", "config", cfg)

	start := time.Now()
	base, index, err := kb.Open(kb.Embedded())
	if err != nil {
		return err
	}
	defer index.Close()
	eng, err := matcher.Load(kb.Embedded(), base)
	if err != nil {
		return err
	}
	// A rule set that fails its own test cases must not answer anyone.
	if results := eng.RunCases(); countFailed(results) > 0 {
		failed := printCaseReport(stderr, eng, results, false)
		return fmt.Errorf("the rules fail %d of their own test cases; not serving", failed)
	}
	log.Info("knowledge base loaded", "documents", len(base.Documents()), "benefits", len(eng.Benefits()), "duration", time.Since(start))

	chats, tokens, ready, closeStores, err := openStores(cfg)
	if err != nil {
		return err
	}
	defer closeStores()

	var auth api.Authenticator
	if cfg.WeChatAppID != "" {
		client := wechat.NewClient(cfg.WeChatAppID, cfg.WeChatSecret)
		client.BaseURL = cfg.WeChatBaseURL
		auth = wechat.NewAuth(client, tokens, time.Now)
	}
	gin.SetMode(gin.ReleaseMode)
	srv := api.NewServer(api.Config{MaxBodyBytes: cfg.MaxBodyBytes, AnonymousChat: cfg.AnonymousChat}, api.Deps{
		Library:  base,
		Searcher: index,
		Matcher:  eng,
		Chat:     dialogue.NewService(eng, index, base, chats, time.Now, cfg.HistoryTurns),
		Auth:     auth,
		Ready:    ready,
		Log:      log,
	})
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadTimeout:       cfg.ReadTimeout,
		ReadHeaderTimeout: cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String())
	if listening != nil {
		listening <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// openStores returns the chat-session and login-token stores: Redis when
// REDIS_URL is set, process memory otherwise. ready lists what /readyz must
// ping.
func openStores(cfg *config) (chats, tokens session.Store, ready []api.Pinger, closeFn func(), err error) {
	if cfg.RedisURL == "" {
		return session.NewMemory(cfg.SessionTTL, time.Now), session.NewMemory(cfg.TokenTTL, time.Now), nil, func() {}, nil
	}
	client, err := session.OpenRedis(cfg.RedisURL)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	chatStore := session.NewRedis(client, "policybot:chat:", cfg.SessionTTL)
	tokenStore := session.NewRedis(client, "policybot:token:", cfg.TokenTTL)
	return chatStore, tokenStore, []api.Pinger{chatStore}, func() { client.Close() }, nil
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
