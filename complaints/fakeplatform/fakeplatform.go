// Package fakeplatform stands in for the city's enterprise complaint
// platform, for tests and for local use (policybot fake-complaints). It
// takes policybot's signed ticket deliveries into a ledger deduplicated
// by idempotency key, fails, times out and answers twice when told to,
// and sends the status callbacks of the 12345 closed loop (受理 … 评价) to
// policybot's webhook, signed, with per-ticket sequence numbers, repeated,
// conflicting and reordered when told to.
//
//	POST /tickets   a delivery (complaints.TicketPayload)
//	GET  /ledger    the ledger as JSON (Ledger)
package fakeplatform

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"policybot/complaints"
	"policybot/complaints/sign"
)

// Faults say how often the platform misbehaves, each a fraction of the
// deliveries it is sent; together at most 1.
type Faults struct {
	// Fail is answered 500 before anything is recorded.
	Fail float64
	// Timeout is recorded, then left unanswered until the caller gives up
	// (or Hold passes): the platform has the ticket, the caller does not
	// know it.
	Timeout float64
	// AnswerTwice is recorded and answered 500, so that the caller sends
	// it again and the platform answers it twice, the second time as a
	// duplicate with the same ticket id.
	AnswerTwice float64
}

// Callbacks say where and how the platform reports the status of the
// tickets it was delivered.
type Callbacks struct {
	// URL is policybot's status webhook; empty sends no callbacks.
	URL string
	// Interval is the wait before each callback of a ticket.
	Interval time.Duration
	// Repeat is the chance each callback is sent once more, the same body.
	Repeat float64
	// Conflict is the chance each callback is sent once more under its
	// sequence number with another note, which policybot must refuse.
	Conflict float64
	// Reorder sends the callbacks of a ticket in a shuffled order.
	Reorder bool
}

// Config sets up a Platform.
type Config struct {
	// Key is the integrator key that deliveries are signed with and that
	// the platform signs its callbacks with.
	Key    sign.Key
	Faults Faults
	// Hold is how long a delivery that times out is held at most; zero
	// means 30 seconds.
	Hold      time.Duration
	Callbacks Callbacks
	// Seed seeds the draws of faults and callbacks, so that a run can be
	// made again; zero draws a seed.
	Seed uint64
	// Client sends callbacks; nil means http.DefaultClient.
	Client *http.Client
	Log    *slog.Logger
}

// Ledger is what the platform received.
type Ledger struct {
	// Tickets has one entry per idempotency key, in the order received.
	Tickets []Entry `json:"tickets"`
	// Attempts counts every POST /tickets, whatever its answer.
	Attempts int `json:"attempts"`
	// Refused counts deliveries refused for their signature or form.
	Refused int `json:"refused"`
	// Failed, TimedOut and AnsweredTwice count the faults made.
	Failed        int `json:"failed"`
	TimedOut      int `json:"timed_out"`
	AnsweredTwice int `json:"answered_twice"`
	// Duplicates counts deliveries of a key the ledger held already.
	Duplicates int              `json:"duplicates"`
	Callbacks  []CallbackResult `json:"callbacks"`
}

// Entry is a ticket in the ledger.
type Entry struct {
	IdempotencyKey   string `json:"idempotency_key"`
	TicketNo         string `json:"ticket_no"`
	PlatformTicketID string `json:"platform_ticket_id"`
	// Deliveries counts the deliveries of the key recorded, the first too.
	Deliveries int       `json:"deliveries"`
	ReceivedAt time.Time `json:"received_at"`

	bodyHash [sha256.Size]byte
}

// Check compares the ledger with the deliveries filed, want (their ticket
// numbers by idempotency key), and returns what is wrong: a delivery
// missing, a key held twice or for another ticket, a key never filed.
// Deliveries repeated, which the ledger counts, are not wrong: the
// platform deduped them.
func (l Ledger) Check(want map[string]string) []string {
	var problems []string
	seen := make(map[string]bool)
	for _, e := range l.Tickets {
		number, ok := want[e.IdempotencyKey]
		switch {
		case seen[e.IdempotencyKey]:
			problems = append(problems, fmt.Sprintf("%s (%s) is in the ledger twice", e.IdempotencyKey, e.TicketNo))
		case !ok:
			problems = append(problems, fmt.Sprintf("%s (%s) is in the ledger but was never filed", e.IdempotencyKey, e.TicketNo))
		case number != e.TicketNo:
			problems = append(problems, fmt.Sprintf("%s is %s in the ledger, filed as %s", e.IdempotencyKey, e.TicketNo, number))
		}
		seen[e.IdempotencyKey] = true
	}
	for key, number := range want {
		if !seen[key] {
			problems = append(problems, fmt.Sprintf("%s (%s) is missing from the ledger", key, number))
		}
	}
	slices.Sort(problems)
	return problems
}

// The kinds of callback sent.
const (
	CallbackFirst    = "first"
	CallbackRepeat   = "repeat"
	CallbackConflict = "conflict"
)

// CallbackResult is a callback sent and policybot's answer: Code is its
// status, 0 when it could not be sent, and Error why.
type CallbackResult struct {
	TicketNo string `json:"ticket_no"`
	Seq      int64  `json:"seq"`
	Status   string `json:"status"`
	Kind     string `json:"kind"`
	Code     int    `json:"code"`
	Error    string `json:"error,omitempty"`
}

// Platform is the fake platform, an http.Handler.
type Platform struct {
	cfg      Config
	verifier *sign.Verifier
	client   *http.Client
	log      *slog.Logger
	mux      *http.ServeMux
	// ctx ends at Close, stopping held deliveries and callbacks.
	ctx       context.Context
	cancel    context.CancelFunc
	callbacks sync.WaitGroup

	mu     sync.Mutex // guards faults, rand, ledger and byKey
	faults Faults
	rand   *mathrand.Rand
	ledger Ledger
	byKey  map[string]int // index in ledger.Tickets
}

// New returns a platform of cfg.
func New(cfg Config) *Platform {
	if cfg.Hold == 0 {
		cfg.Hold = 30 * time.Second
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = mathrand.Uint64()
	}
	p := &Platform{
		cfg:      cfg,
		verifier: sign.NewVerifier(ring{cfg.Key}, sign.NewMemoryNonces(time.Now), time.Now),
		client:   cfg.Client,
		log:      cfg.Log,
		mux:      http.NewServeMux(),
		faults:   cfg.Faults,
		rand:     mathrand.New(mathrand.NewPCG(seed, seed>>1|1)),
		byKey:    make(map[string]int),
	}
	if p.client == nil {
		p.client = http.DefaultClient
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.mux.HandleFunc("POST /tickets", p.postTicket)
	p.mux.HandleFunc("GET /ledger", p.getLedger)
	return p
}

// ring is a KeyRing of one key.
type ring struct{ key sign.Key }

func (r ring) Key(_ context.Context, id string) (sign.Key, error) {
	if id != r.key.ID {
		return sign.Key{}, fmt.Errorf("fakeplatform: key %s: %w", id, sign.ErrUnknownKey)
	}
	return r.key, nil
}

// ServeHTTP serves POST /tickets and GET /ledger.
func (p *Platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mux.ServeHTTP(w, r)
}

// SetFaults changes how the platform misbehaves from now on.
func (p *Platform) SetFaults(f Faults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = f
}

// Ledger returns a copy of the ledger.
func (p *Platform) Ledger() Ledger {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.ledger
	l.Tickets = append([]Entry(nil), l.Tickets...)
	l.Callbacks = append([]CallbackResult(nil), l.Callbacks...)
	return l
}

// Wait waits for the callbacks of the tickets received so far to be sent.
// Call it when no delivery is under way.
func (p *Platform) Wait() {
	p.callbacks.Wait()
}

// Close stops the callbacks not yet sent and ends the deliveries held,
// and waits for the callbacks. Call it before closing the server, which
// waits for the deliveries held.
func (p *Platform) Close() {
	p.cancel()
	p.callbacks.Wait()
}

// maxBody bounds a delivery's body.
const maxBody = 1 << 20

// fault is what the platform does with a delivery.
type fault int

const (
	noFault fault = iota
	failFault
	timeoutFault
	answerTwiceFault
)

func (p *Platform) postTicket(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.ledger.Attempts++
	p.mu.Unlock()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		p.refuse(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	if _, err := p.verifier.Verify(r.Context(), r, body); err != nil {
		p.refuse(w, http.StatusUnauthorized, err.Error())
		return
	}
	var t complaints.TicketPayload
	key := r.Header.Get(complaints.HeaderIdempotencyKey)
	if err := json.Unmarshal(body, &t); err != nil || t.TicketNo == "" || key == "" || t.IdempotencyKey != key {
		p.refuse(w, http.StatusBadRequest, "want a ticket with ticket_no, and its idempotency_key in the Idempotency-Key header")
		return
	}

	p.mu.Lock()
	f := p.draw()
	if f == failFault {
		p.ledger.Failed++
		p.mu.Unlock()
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	hash := sha256.Sum256(body)
	i, seen := p.byKey[key]
	if seen && p.ledger.Tickets[i].bodyHash != hash {
		p.mu.Unlock()
		p.refuse(w, http.StatusUnprocessableEntity, "this Idempotency-Key was used with another body")
		return
	}
	if !seen {
		i = len(p.ledger.Tickets)
		p.byKey[key] = i
		p.ledger.Tickets = append(p.ledger.Tickets, Entry{
			IdempotencyKey: key, TicketNo: t.TicketNo, PlatformTicketID: fmt.Sprintf("GZ12345-%06d", i+1),
			ReceivedAt: time.Now(), bodyHash: hash,
		})
	} else {
		p.ledger.Duplicates++
	}
	p.ledger.Tickets[i].Deliveries++
	receipt := complaints.TicketReceipt{PlatformTicketID: p.ledger.Tickets[i].PlatformTicketID, Duplicate: seen}
	switch f {
	case timeoutFault:
		p.ledger.TimedOut++
	case answerTwiceFault:
		p.ledger.AnsweredTwice++
	}
	var sends []callback
	if !seen && p.cfg.Callbacks.URL != "" {
		sends = p.plan(t, receipt.PlatformTicketID)
		p.callbacks.Add(1)
	}
	p.mu.Unlock()

	if sends != nil {
		go p.send(sends)
	}
	switch f {
	case timeoutFault:
		select {
		case <-r.Context().Done():
		case <-p.ctx.Done():
		case <-time.After(p.cfg.Hold):
		}
		http.Error(w, `{"error":"gateway timeout"}`, http.StatusGatewayTimeout)
		return
	case answerTwiceFault:
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	status := http.StatusCreated
	if seen {
		status = http.StatusOK
	}
	writeJSON(w, status, receipt)
}

// draw picks the fault of a delivery. p.mu must be held.
func (p *Platform) draw() fault {
	r := p.rand.Float64()
	switch f := p.faults; {
	case r < f.Fail:
		return failFault
	case r < f.Fail+f.Timeout:
		return timeoutFault
	case r < f.Fail+f.Timeout+f.AnswerTwice:
		return answerTwiceFault
	}
	return noFault
}

func (p *Platform) refuse(w http.ResponseWriter, status int, why string) {
	p.mu.Lock()
	p.ledger.Refused++
	p.mu.Unlock()
	writeJSON(w, status, map[string]string{"error": why})
}

func (p *Platform) getLedger(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, p.Ledger())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
