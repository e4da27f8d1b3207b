package complaints

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"policybot/complaints/sign"
	"policybot/store"
)

// DeliveryStore is the part of the store the Worker uses.
type DeliveryStore interface {
	ClaimDeliveries(ctx context.Context, worker string, n int, lease time.Duration) ([]store.Delivery, error)
	DeliveryDone(ctx context.Context, d store.Delivery, platformTicketID string) error
	DeliveryFailed(ctx context.Context, d store.Delivery, reason string, retryAt time.Time) error
}

// WorkerConfig tunes a Worker. A zero field takes its value from
// DefaultWorkerConfig.
type WorkerConfig struct {
	// URL is the platform's ticket endpoint, where deliveries are POSTed.
	URL string
	// Name names the worker in the leases it takes; empty makes one of the
	// host name, the process id and random bits.
	Name string
	// Concurrency is how many deliveries are in flight at once.
	Concurrency int
	// AttemptTimeout bounds one attempt, from sending to the answer read.
	AttemptTimeout time.Duration
	// Lease is how long a claimed delivery stays the worker's: longer than
	// an attempt, so that a live worker always records its outcome first,
	// and short enough that a dead worker's deliveries are soon taken up.
	Lease time.Duration
	// Poll is how long the worker waits when nothing is due.
	Poll time.Duration
	// BackoffBase and BackoffCap shape the wait after a failed attempt;
	// see Backoff.
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// MaxAttempts is how many attempts a delivery gets before it is dead,
	// for a supervisor to retry.
	MaxAttempts int
}

// DefaultWorkerConfig is what a zero WorkerConfig field takes. With these
// a platform that is down is tried for about three hours on average (the
// waits reach the cap of 30 minutes at the tenth attempt, and full jitter
// halves them on average) before its tickets go dead.
var DefaultWorkerConfig = WorkerConfig{
	Concurrency:    8,
	AttemptTimeout: 10 * time.Second,
	Lease:          30 * time.Second,
	Poll:           time.Second,
	BackoffBase:    5 * time.Second,
	BackoffCap:     30 * time.Minute,
	MaxAttempts:    20,
}

// Outcome is how an attempt ended.
type Outcome string

// The outcomes of an attempt.
const (
	// Delivered: the platform accepted the ticket (or had it already).
	Delivered Outcome = "delivered"
	// Retry: the attempt failed and another is scheduled.
	Retry Outcome = "retry"
	// Dead: the attempt failed and no other will be made: it was the
	// last, or the platform refused the ticket for good.
	Dead Outcome = "dead"
)

// Hooks are told how deliveries go, for metrics; a nil hook is skipped.
// They are called from the worker's goroutines, several at once, and
// should return quickly.
type Hooks struct {
	// Sending is called as an attempt starts.
	Sending func(d store.Delivery)
	// Attempted is called when an attempt ends, before its outcome is
	// recorded, with how long it took. For Retry and Dead, err says why.
	Attempted func(d store.Delivery, o Outcome, took time.Duration, err error)
}

// WorkerDeps are what a Worker works with.
type WorkerDeps struct {
	Store DeliveryStore
	// Key returns the key deliveries are signed with, such as
	// Keys.SigningKey of the platform.
	Key func(ctx context.Context) (sign.Key, error)
	// Client sends deliveries; nil means http.DefaultClient. Each attempt
	// is bounded by AttemptTimeout whatever the client's own timeout.
	Client *http.Client
	Hooks  Hooks
	Log    *slog.Logger
}

// Worker delivers the tickets of the store's outbox to the platform: it
// claims due deliveries under a lease, POSTs each signed with its
// idempotency key, and records the platform's ticket id, or the failure
// and when to try again, with full-jitter exponential backoff, until the
// last attempt makes the delivery dead.
//
// Any number of workers may run at once, in one process or in several
// replicas on one PostgreSQL: the store leases each delivery to one at a
// time. A worker killed mid-attempt leaves its deliveries leased until the
// lease ends; another worker then tries them again, and the platform
// dedupes what the killed one may have delivered.
type Worker struct {
	cfg    WorkerConfig
	store  DeliveryStore
	key    func(ctx context.Context) (sign.Key, error)
	client *http.Client
	hooks  Hooks
	log    *slog.Logger

	mu   sync.Mutex // guards rand
	rand *mathrand.Rand
}

// NewWorker returns a worker of cfg, or an error for a configuration that
// cannot work.
func NewWorker(cfg WorkerConfig, deps WorkerDeps) (*Worker, error) {
	def := DefaultWorkerConfig
	for _, f := range []struct {
		v *time.Duration
		d time.Duration
	}{{&cfg.AttemptTimeout, def.AttemptTimeout}, {&cfg.Lease, def.Lease}, {&cfg.Poll, def.Poll},
		{&cfg.BackoffBase, def.BackoffBase}, {&cfg.BackoffCap, def.BackoffCap}} {
		if *f.v == 0 {
			*f.v = f.d
		}
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = def.Concurrency
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = def.MaxAttempts
	}
	if cfg.Name == "" {
		cfg.Name = workerName()
	}
	switch u, err := url.Parse(cfg.URL); {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, fmt.Errorf("complaints: worker: platform URL %q: want an http or https URL", cfg.URL)
	case deps.Store == nil || deps.Key == nil:
		return nil, errors.New("complaints: worker: a store and a signing key are needed")
	case cfg.Concurrency < 1 || cfg.Concurrency > 1000:
		return nil, fmt.Errorf("complaints: worker: concurrency %d: want 1 to 1000", cfg.Concurrency)
	case cfg.AttemptTimeout < 0 || cfg.Poll < 0 || cfg.BackoffBase < 0 || cfg.MaxAttempts < 1:
		return nil, errors.New("complaints: worker: durations and attempts must be positive")
	case cfg.Lease <= cfg.AttemptTimeout:
		return nil, fmt.Errorf("complaints: worker: lease %v must be longer than an attempt (%v)", cfg.Lease, cfg.AttemptTimeout)
	case cfg.BackoffCap < cfg.BackoffBase:
		return nil, fmt.Errorf("complaints: worker: backoff cap %v is below its base %v", cfg.BackoffCap, cfg.BackoffBase)
	}
	w := &Worker{cfg: cfg, store: deps.Store, key: deps.Key, client: deps.Client, hooks: deps.Hooks, log: deps.Log,
		rand: mathrand.New(mathrand.NewPCG(mathrand.Uint64(), mathrand.Uint64()))}
	if w.client == nil {
		w.client = http.DefaultClient
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	return w, nil
}

// workerName returns a name for a worker's leases that no other worker,
// of this process or another, has: the host, the process id and 32
// random bits.
func workerName() string {
	host, _ := os.Hostname()
	host = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-') {
			return r
		}
		return '_'
	}, host)
	b := make([]byte, 4)
	rand.Read(b) // never fails: it crashes the program rather than return short
	return fmt.Sprintf("%.60s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Name returns the name the worker leases deliveries under.
func (w *Worker) Name() string { return w.cfg.Name }

// Run delivers until ctx ends, then lets the attempts under way finish,
// each within its timeout, records their outcomes, and returns. It
// returns nil: a store or platform that fails is logged and tried again.
func (w *Worker) Run(ctx context.Context) error {
	// slots holds a token per delivery in flight.
	slots := make(chan struct{}, w.cfg.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	// Attempts under way outlive ctx: cutting one short would leave the
	// platform holding a ticket the store does not know was delivered.
	attempts := context.WithoutCancel(ctx)
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		free := 1 + w.gather(ctx, slots)
		if ctx.Err() != nil {
			for range free {
				<-slots
			}
			return nil
		}
		ds, err := w.store.ClaimDeliveries(ctx, w.cfg.Name, free, w.cfg.Lease)
		if err != nil && ctx.Err() == nil {
			w.log.Error("complaints outbox: claim", "worker", w.cfg.Name, "err", err)
		}
		for range free - len(ds) {
			<-slots
		}
		for _, d := range ds {
			wg.Go(func() {
				defer func() { <-slots }()
				w.deliver(attempts, d)
			})
		}
		if len(ds) < free {
			// Nothing more is due now, or the store failed: wait.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(w.cfg.Poll):
			}
		}
	}
}

// gather takes the free slots besides the one taken and returns how many.
// With attempts under way it waits up to Poll for half the slots to be
// free, so that a busy worker claims in batches rather than a delivery
// per claim: on SQLite every claim is a write, and writes take turns.
func (w *Worker) gather(ctx context.Context, slots chan struct{}) int {
	n := 0
fill:
	for 1+n < cap(slots) {
		select {
		case slots <- struct{}{}:
			n++
		default:
			break fill
		}
	}
	if 1+n >= cap(slots)/2 {
		return n
	}
	timer := time.NewTimer(w.cfg.Poll)
	defer timer.Stop()
	for 1+n < cap(slots)/2 {
		select {
		case slots <- struct{}{}:
			n++
		case <-timer.C:
			return n
		case <-ctx.Done():
			return n
		}
	}
	return n
}

// recordTimeout bounds the write of an attempt's outcome.
const recordTimeout = 10 * time.Second

// deliver makes one attempt of d and records its outcome. A failure to
// record is logged: the lease then ends and the delivery is tried again.
func (w *Worker) deliver(ctx context.Context, d store.Delivery) {
	if w.hooks.Sending != nil {
		w.hooks.Sending(d)
	}
	start := time.Now()
	platformID, err := w.send(ctx, d)
	took := time.Since(start)
	outcome, retryAt := Delivered, time.Time{}
	var refused refusal
	switch {
	case err == nil:
	case errors.As(err, &refused) || d.Attempts >= w.cfg.MaxAttempts:
		outcome = Dead
	default:
		outcome = Retry
		retryAt = time.Now().Add(w.backoff(d.Attempts))
	}
	if w.hooks.Attempted != nil {
		w.hooks.Attempted(d, outcome, took, err)
	}
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	log := w.log.With("ticket", d.Ticket.Number, "attempt", d.Attempts, "worker", w.cfg.Name)
	if outcome == Delivered {
		if err := w.store.DeliveryDone(ctx, d, platformID); err != nil {
			log.Error("complaints outbox: record delivered", "platform_ticket_id", platformID, "err", err)
		}
		return
	}
	switch rerr := w.store.DeliveryFailed(ctx, d, err.Error(), retryAt); {
	case errors.Is(rerr, store.ErrLeaseLost):
		log.Info("complaints outbox: lease lost; the other worker's outcome stands", "err", err)
	case rerr != nil:
		log.Error("complaints outbox: record failure", "failure", err, "err", rerr)
	case outcome == Dead:
		log.Error("complaints outbox: delivery dead, for a supervisor to retry", "err", err)
	default:
		log.Warn("complaints outbox: attempt failed", "retry_at", retryAt, "err", err)
	}
}

// refusal is an answer of the platform that no retry can change: the
// delivery goes dead at once.
type refusal struct{ error }

// maxAnswer bounds the platform's answer read.
const maxAnswer = 64 << 10

// send makes one attempt and returns the platform's ticket id. Its errors
// are in our words, quoting at most a short excerpt of the platform's.
func (w *Worker) send(ctx context.Context, d store.Delivery) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.AttemptTimeout)
	defer cancel()
	key, err := w.key(ctx)
	if err != nil {
		return "", fmt.Errorf("no signing key: %w", err)
	}
	body, err := json.Marshal(NewTicketPayload(d))
	if err != nil {
		return "", fmt.Errorf("encode the ticket: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("platform URL: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderIdempotencyKey, d.Key)
	if err := sign.Sign(req, body, key); err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", fmt.Errorf("no answer from the platform within %v", w.cfg.AttemptTimeout)
		}
		return "", fmt.Errorf("cannot reach the platform: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", fmt.Errorf("platform answered %d, then the connection failed: %w", resp.StatusCode, err)
	}
	switch c := resp.StatusCode; {
	case c == http.StatusOK || c == http.StatusCreated:
		var r TicketReceipt
		if err := json.Unmarshal(answer, &r); err != nil || !store.ValidPlatformTicketID(r.PlatformTicketID) {
			return "", fmt.Errorf("platform answered %d without a valid platform_ticket_id: %s", c, excerpt(answer))
		}
		return r.PlatformTicketID, nil
	case c == http.StatusBadRequest || c == http.StatusRequestEntityTooLarge || c == http.StatusUnprocessableEntity:
		return "", refusal{fmt.Errorf("platform refused the ticket with %d: %s", c, excerpt(answer))}
	default:
		return "", fmt.Errorf("platform answered %d: %s", c, excerpt(answer))
	}
}

// excerptLen is how much of the platform's answer an error quotes.
const excerptLen = 200

// excerpt returns the start of an answer, printable and cut to excerptLen
// bytes at a character boundary, for an error to quote.
func excerpt(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, string(b[:min(len(b), excerptLen+utf8.UTFMax)]))
	if len(s) > excerptLen {
		n := excerptLen
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	if s = strings.TrimSpace(s); s == "" {
		return "(empty)"
	}
	return s
}

// backoff returns the wait after the attempt-th attempt failed.
func (w *Worker) backoff(attempt int) time.Duration {
	w.mu.Lock()
	r := w.rand.Float64()
	w.mu.Unlock()
	return Backoff(attempt, w.cfg.BackoffBase, w.cfg.BackoffCap, r)
}

// Backoff returns the wait after the attempt-th attempt (1 for the first)
// failed, with full jitter: r (a draw in [0, 1)) of min(limit,
// base·2^(attempt-1)). Full jitter spreads the retries of tickets that
// failed together, when the platform went down, over the whole interval,
// so that they do not come back together when it is up again.
func Backoff(attempt int, base, limit time.Duration, r float64) time.Duration {
	ceiling := limit
	if shift := attempt - 1; shift < 62 && base <= limit>>max(shift, 0) {
		ceiling = base << max(shift, 0)
	}
	return time.Duration(r * float64(ceiling))
}
