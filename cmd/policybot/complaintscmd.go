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

	"policybot/complaints"
	"policybot/complaints/fakeplatform"
	"policybot/complaints/sign"
	"policybot/store"
)

// outboxWorker delivers the complaint tickets of the store's outbox to the
// platform until SIGTERM, then lets the attempts under way finish. It runs
// apart from serve, as many of it as wanted, on one database; a worker
// killed outright loses nothing, since what it had claimed is taken up
// again when its lease ends.
func outboxWorker(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("outbox-worker", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	masterKeyFile := masterKeyFlag(fs, getenv)
	def := complaints.DefaultWorkerConfig
	integrator := fs.String("integrator", getenv("POLICYBOT_COMPLAINTS_INTEGRATOR"),
		"the platform's integrator name, whose oldest active key signs the deliveries (env POLICYBOT_COMPLAINTS_INTEGRATOR)")
	var cfg complaints.WorkerConfig
	fs.StringVar(&cfg.URL, "platform-url", getenv("POLICYBOT_COMPLAINTS_URL"), "the platform's ticket endpoint (env POLICYBOT_COMPLAINTS_URL)")
	fs.IntVar(&cfg.Concurrency, "concurrency", def.Concurrency, "deliveries in flight at once")
	fs.DurationVar(&cfg.AttemptTimeout, "attempt-timeout", def.AttemptTimeout, "time one attempt may take")
	fs.DurationVar(&cfg.Lease, "lease", def.Lease, "time a claimed delivery stays this worker's; longer than an attempt")
	fs.DurationVar(&cfg.Poll, "poll", def.Poll, "wait when nothing is due")
	fs.DurationVar(&cfg.BackoffBase, "backoff-base", def.BackoffBase, "wait after a first failed attempt, doubled after each (with full jitter)")
	fs.DurationVar(&cfg.BackoffCap, "backoff-cap", def.BackoffCap, "longest wait between attempts")
	fs.IntVar(&cfg.MaxAttempts, "max-attempts", def.MaxAttempts, "attempts before a delivery is dead, for a supervisor to retry")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("outbox-worker: unexpected argument %q", fs.Arg(0))}
	}
	if *integrator == "" || cfg.URL == "" {
		return usageError{errors.New("outbox-worker: --integrator and --platform-url are required")}
	}
	box, err := loadMasterKey(*masterKeyFile, getenv)
	if err != nil {
		return fmt.Errorf("outbox-worker: %w", err)
	}
	db, err := openStore(ctx, *databaseURL, *dataDir, store.Options{Sealer: box})
	if err != nil {
		return err
	}
	defer db.Close()
	keys := complaints.NewKeys(db, box, time.Now)
	// Without a key nothing can be delivered: say so now, not per attempt.
	if _, err := keys.SigningKey(ctx, *integrator); err != nil {
		return fmt.Errorf("outbox-worker: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	w, err := complaints.NewWorker(cfg, complaints.WorkerDeps{
		Store: db,
		Key:   func(ctx context.Context) (sign.Key, error) { return keys.SigningKey(ctx, *integrator) },
		Log:   log,
	})
	if err != nil {
		return usageError{err}
	}
	log.Info("outbox worker started", "worker", w.Name(), "integrator", *integrator, "platform_url", cfg.URL,
		"database_url", maskURL(*databaseURL), "data_dir", *dataDir)
	err = w.Run(ctx)
	log.Info("outbox worker stopped", "worker", w.Name())
	return err
}

// fakeComplaints serves a fake complaint platform (package fakeplatform)
// for local use, until SIGTERM. The key's secret comes from
// POLICYBOT_FAKE_COMPLAINTS_SECRET, never a flag, which the process list
// would show.
func fakeComplaints(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("fake-complaints", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	var cfg fakeplatform.Config
	fs.StringVar(&cfg.Key.ID, "key-id", "", "id of the integrator key deliveries are signed with (its secret in env POLICYBOT_FAKE_COMPLAINTS_SECRET)")
	algorithm := fs.String("algorithm", string(sign.HMACSHA256), "the key's algorithm: hmac-sha256 or hmac-sm3")
	fs.Float64Var(&cfg.Faults.Fail, "fail", 0, "fraction of deliveries answered 500 unrecorded")
	fs.Float64Var(&cfg.Faults.Timeout, "timeout", 0, "fraction of deliveries recorded, then left unanswered")
	fs.Float64Var(&cfg.Faults.AnswerTwice, "answer-twice", 0, "fraction of deliveries recorded and answered 500, so that the retry is answered as a duplicate")
	fs.DurationVar(&cfg.Hold, "hold", 30*time.Second, "longest a delivery that times out is held")
	fs.StringVar(&cfg.Callbacks.URL, "webhook-url", "", "policybot's status webhook, to send the closed loop's callbacks to; empty sends none")
	fs.DurationVar(&cfg.Callbacks.Interval, "callback-interval", time.Second, "wait before each callback of a ticket")
	fs.Float64Var(&cfg.Callbacks.Repeat, "repeat", 0, "chance each callback is sent once more, the same")
	fs.Float64Var(&cfg.Callbacks.Conflict, "conflict", 0, "chance each callback is sent once more with another body")
	fs.BoolVar(&cfg.Callbacks.Reorder, "reorder", false, "send each ticket's callbacks in a shuffled order")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "seed of the faults drawn; 0 draws one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("fake-complaints: unexpected argument %q", fs.Arg(0))}
	}
	cfg.Key.Algorithm = sign.Algorithm(*algorithm)
	cfg.Key.Secret = []byte(getenv("POLICYBOT_FAKE_COMPLAINTS_SECRET"))
	switch {
	case cfg.Key.ID == "" || len(cfg.Key.Secret) == 0:
		return usageError{errors.New("fake-complaints: --key-id and POLICYBOT_FAKE_COMPLAINTS_SECRET are required")}
	case cfg.Key.Algorithm.Valid() != nil:
		return usageError{fmt.Errorf("fake-complaints: --algorithm: %w", cfg.Key.Algorithm.Valid())}
	case cfg.Faults.Fail < 0 || cfg.Faults.Timeout < 0 || cfg.Faults.AnswerTwice < 0 ||
		cfg.Faults.Fail+cfg.Faults.Timeout+cfg.Faults.AnswerTwice > 1:
		return usageError{errors.New("fake-complaints: --fail, --timeout and --answer-twice are fractions that add up to at most 1")}
	}
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	cfg.Log = log
	fake := fakeplatform.New(cfg)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	log.Info("fake complaint platform listening", "addr", ln.Addr().String(), "tickets", "POST /tickets", "ledger", "GET /ledger")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fake.Close()
		return err
	case <-ctx.Done():
	}
	fake.Close()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
