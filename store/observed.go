package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Observed is a Store that tells an observer of every call it forwards to
// another, by method name, with its time and whether it failed, so that
// the database's latencies and errors are measured at one place whatever
// the caller (the console, the chat's complaints, the integrators' routes).
type Observed struct {
	s       Store
	observe func(op string, took time.Duration, failed bool)
}

var _ Store = (*Observed)(nil)

// NewObserved returns s, each of whose calls is told to observe once it
// returns.
func NewObserved(s Store, observe func(op string, took time.Duration, failed bool)) *Observed {
	return &Observed{s: s, observe: observe}
}

// Failed tells a call whose database failed (an error of the driver, a
// deadline, a connection refused) from one that answered: ErrNotFound, an
// input refused (*Error), wrong credentials, a locked account and a lease
// lost are answers.
func Failed(err error) bool {
	if err == nil {
		return false
	}
	var refused *Error
	var locked *LockedError
	return !errors.Is(err, ErrNotFound) && !errors.As(err, &refused) && !errors.Is(err, ErrBadCredentials) &&
		!errors.As(err, &locked) && !errors.Is(err, ErrLeaseLost)
}

func observe[T any](o *Observed, op string, call func() (T, error)) (T, error) {
	start := time.Now()
	v, err := call()
	o.observe(op, time.Since(start), Failed(err))
	return v, err
}

func observe2[T, U any](o *Observed, op string, call func() (T, U, error)) (T, U, error) {
	start := time.Now()
	v, w, err := call()
	o.observe(op, time.Since(start), Failed(err))
	return v, w, err
}

func (o *Observed) observe0(op string, call func() error) error {
	start := time.Now()
	err := call()
	o.observe(op, time.Since(start), Failed(err))
	return err
}

// Close closes the store observed; it is not a call of the database.
func (o *Observed) Close() error { return o.s.Close() }

func (o *Observed) AddIntegratorKey(ctx context.Context, n NewIntegratorKey, by Actor) (IntegratorKey, error) {
	return observe(o, "AddIntegratorKey", func() (IntegratorKey, error) { return o.s.AddIntegratorKey(ctx, n, by) })
}

func (o *Observed) AddStaff(ctx context.Context, n NewStaff, by Actor) (Staff, error) {
	return observe(o, "AddStaff", func() (Staff, error) { return o.s.AddStaff(ctx, n, by) })
}

func (o *Observed) AppendAudit(ctx context.Context, e AuditEntry) (AuditRecord, error) {
	return observe(o, "AppendAudit", func() (AuditRecord, error) { return o.s.AppendAudit(ctx, e) })
}

func (o *Observed) AuditMonth(ctx context.Context, month time.Time) ([]AuditRecord, error) {
	return observe(o, "AuditMonth", func() ([]AuditRecord, error) { return o.s.AuditMonth(ctx, month) })
}

func (o *Observed) Case(ctx context.Context, id int64) (Case, error) {
	return observe(o, "Case", func() (Case, error) { return o.s.Case(ctx, id) })
}

func (o *Observed) ClaimDeliveries(ctx context.Context, worker string, n int, lease time.Duration) ([]Delivery, error) {
	return observe(o, "ClaimDeliveries", func() ([]Delivery, error) { return o.s.ClaimDeliveries(ctx, worker, n, lease) })
}

func (o *Observed) CreateCase(ctx context.Context, in CaseInput, by Actor) (Case, error) {
	return observe(o, "CreateCase", func() (Case, error) { return o.s.CreateCase(ctx, in, by) })
}

func (o *Observed) CreateSession(ctx context.Context, username string, ttl time.Duration) (string, Session, error) {
	return observe2(o, "CreateSession", func() (string, Session, error) { return o.s.CreateSession(ctx, username, ttl) })
}

func (o *Observed) DeadDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	return observe(o, "DeadDeliveries", func() ([]Delivery, error) { return o.s.DeadDeliveries(ctx, limit) })
}

func (o *Observed) DeleteCase(ctx context.Context, id int64, by Actor) error {
	return o.observe0("DeleteCase", func() error { return o.s.DeleteCase(ctx, id, by) })
}

func (o *Observed) DeleteSession(ctx context.Context, token string) error {
	return o.observe0("DeleteSession", func() error { return o.s.DeleteSession(ctx, token) })
}

func (o *Observed) Delivery(ctx context.Context, number string) (Delivery, error) {
	return observe(o, "Delivery", func() (Delivery, error) { return o.s.Delivery(ctx, number) })
}

func (o *Observed) DeliveryCounts(ctx context.Context) (map[DeliveryState]int, error) {
	return observe(o, "DeliveryCounts", func() (map[DeliveryState]int, error) { return o.s.DeliveryCounts(ctx) })
}

func (o *Observed) DeliveryDone(ctx context.Context, d Delivery, platformTicketID string) error {
	return o.observe0("DeliveryDone", func() error { return o.s.DeliveryDone(ctx, d, platformTicketID) })
}

func (o *Observed) DeliveryFailed(ctx context.Context, d Delivery, reason string, retryAt time.Time) error {
	return o.observe0("DeliveryFailed", func() error { return o.s.DeliveryFailed(ctx, d, reason, retryAt) })
}

func (o *Observed) DisableStaff(ctx context.Context, username string, by Actor) error {
	return o.observe0("DisableStaff", func() error { return o.s.DisableStaff(ctx, username, by) })
}

func (o *Observed) FileTicket(ctx context.Context, in NewTicket, by Actor) (Ticket, bool, error) {
	return observe2(o, "FileTicket", func() (Ticket, bool, error) { return o.s.FileTicket(ctx, in, by) })
}

func (o *Observed) InboundAnswer(ctx context.Context, platformTicketID, text string) (json.RawMessage, error) {
	return observe(o, "InboundAnswer", func() (json.RawMessage, error) { return o.s.InboundAnswer(ctx, platformTicketID, text) })
}

func (o *Observed) IntegratorKey(ctx context.Context, keyID string) (IntegratorKey, error) {
	return observe(o, "IntegratorKey", func() (IntegratorKey, error) { return o.s.IntegratorKey(ctx, keyID) })
}

func (o *Observed) IntegratorKeys(ctx context.Context, integrator string) ([]IntegratorKey, error) {
	return observe(o, "IntegratorKeys", func() ([]IntegratorKey, error) { return o.s.IntegratorKeys(ctx, integrator) })
}

func (o *Observed) OwnerTickets(ctx context.Context, owner string, limit int) ([]Ticket, error) {
	return observe(o, "OwnerTickets", func() ([]Ticket, error) { return o.s.OwnerTickets(ctx, owner, limit) })
}

func (o *Observed) PurgeCases(ctx context.Context, retention time.Duration, by Actor) (int64, error) {
	return observe(o, "PurgeCases", func() (int64, error) { return o.s.PurgeCases(ctx, retention, by) })
}

func (o *Observed) PurgeSessions(ctx context.Context) (int64, error) {
	return observe(o, "PurgeSessions", func() (int64, error) { return o.s.PurgeSessions(ctx) })
}

func (o *Observed) RecordInbound(ctx context.Context, q InboundQuestion, by Actor) (json.RawMessage, bool, error) {
	return observe2(o, "RecordInbound", func() (json.RawMessage, bool, error) { return o.s.RecordInbound(ctx, q, by) })
}

func (o *Observed) RecordStatus(ctx context.Context, u StatusUpdate, by Actor) (StatusResult, error) {
	return observe(o, "RecordStatus", func() (StatusResult, error) { return o.s.RecordStatus(ctx, u, by) })
}

func (o *Observed) RecordVisit(ctx context.Context, id int64, m Match, by Actor) (Visit, error) {
	return observe(o, "RecordVisit", func() (Visit, error) { return o.s.RecordVisit(ctx, id, m, by) })
}

func (o *Observed) RetryDelivery(ctx context.Context, number string, by Actor) (Delivery, error) {
	return observe(o, "RetryDelivery", func() (Delivery, error) { return o.s.RetryDelivery(ctx, number, by) })
}

func (o *Observed) RevokeIntegratorKey(ctx context.Context, keyID string, by Actor) (IntegratorKey, error) {
	return observe(o, "RevokeIntegratorKey", func() (IntegratorKey, error) { return o.s.RevokeIntegratorKey(ctx, keyID, by) })
}

func (o *Observed) SearchCases(ctx context.Context, q CaseQuery) (CaseList, error) {
	return observe(o, "SearchCases", func() (CaseList, error) { return o.s.SearchCases(ctx, q) })
}

func (o *Observed) Session(ctx context.Context, token string) (Session, error) {
	return observe(o, "Session", func() (Session, error) { return o.s.Session(ctx, token) })
}

func (o *Observed) SignIn(ctx context.Context, c Credentials, p Lockout) (Staff, error) {
	return observe(o, "SignIn", func() (Staff, error) { return o.s.SignIn(ctx, c, p) })
}

func (o *Observed) Staff(ctx context.Context, username string) (Staff, error) {
	return observe(o, "Staff", func() (Staff, error) { return o.s.Staff(ctx, username) })
}

func (o *Observed) Ticket(ctx context.Context, number string) (Ticket, error) {
	return observe(o, "Ticket", func() (Ticket, error) { return o.s.Ticket(ctx, number) })
}

func (o *Observed) TicketForOwner(ctx context.Context, number, owner string) (Ticket, error) {
	return observe(o, "TicketForOwner", func() (Ticket, error) { return o.s.TicketForOwner(ctx, number, owner) })
}

func (o *Observed) TicketForPhone(ctx context.Context, number, phone string) (Ticket, error) {
	return observe(o, "TicketForPhone", func() (Ticket, error) { return o.s.TicketForPhone(ctx, number, phone) })
}

func (o *Observed) TicketHistory(ctx context.Context, number string) ([]StatusEvent, error) {
	return observe(o, "TicketHistory", func() ([]StatusEvent, error) { return o.s.TicketHistory(ctx, number) })
}

func (o *Observed) UpdateCase(ctx context.Context, id int64, in CaseInput, by Actor) (Case, error) {
	return observe(o, "UpdateCase", func() (Case, error) { return o.s.UpdateCase(ctx, id, in, by) })
}

func (o *Observed) VerifyAudit(ctx context.Context) (AuditReport, error) {
	return observe(o, "VerifyAudit", func() (AuditReport, error) { return o.s.VerifyAudit(ctx) })
}

func (o *Observed) Visits(ctx context.Context, id int64) ([]Visit, error) {
	return observe(o, "Visits", func() ([]Visit, error) { return o.s.Visits(ctx, id) })
}
