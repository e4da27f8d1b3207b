package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// DeliveryState is where a ticket's delivery to the platform stands.
type DeliveryState string

// The states of a delivery.
const (
	// DeliveryPending is due at its next attempt time.
	DeliveryPending DeliveryState = "pending"
	// DeliveryDelivering is leased to a worker until ClaimedUntil; after
	// that it is due again.
	DeliveryDelivering DeliveryState = "delivering"
	// DeliveryDelivered was accepted by the platform.
	DeliveryDelivered DeliveryState = "delivered"
	// DeliveryDead stopped being tried after its last attempt, or at an
	// answer that no retry can change, until a supervisor retries it.
	DeliveryDead DeliveryState = "dead"
)

// Delivery is the outbox row that carries a ticket to the platform, with
// the ticket.
type Delivery struct {
	Ticket Ticket
	// Key is the idempotency key the platform dedupes on: one per ticket,
	// the same on every attempt.
	Key   string
	State DeliveryState
	// Attempts counts the claims of the delivery, the one under way too,
	// so that a worker that died mid-attempt used one up. It is also the
	// lease's fencing token: a worker's outcome is recorded only while the
	// delivery is at the attempt it claimed.
	Attempts int
	// NextAttemptAt is when a worker may take the delivery next: its retry
	// time while pending, the lease's end while delivering.
	NextAttemptAt time.Time
	// LastError is why the last attempt failed, in our words.
	LastError    string
	ClaimedBy    string
	ClaimedUntil time.Time
	DeliveredAt  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// maxErrorLen bounds the reason of a failure kept, in bytes.
const maxErrorLen = 500

var (
	workerRE           = regexp.MustCompile(`^[A-Za-z0-9._:/-]{1,100}$`)
	platformTicketIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
)

// deliveryColumns are the columns of a delivery, of complaint_outbox as o
// joined with its ticket as t, that scanDelivery reads.
const deliveryColumns = ticketColumns + `, o.idempotency_key, o.state, o.attempts, o.next_attempt_at, o.last_error,
	o.claimed_by, o.claimed_until, o.delivered_at, o.created_at, o.updated_at`

const deliveryFrom = ` FROM complaint_outbox o JOIN complaint_tickets t ON t.id = o.ticket_id`

func (s *DB) scanDelivery(row scanner) (Delivery, error) {
	var d Delivery
	t, err := s.scanTicket(row, &d.Key, &d.State, &d.Attempts, timeCol{&d.NextAttemptAt}, &d.LastError,
		&d.ClaimedBy, timeCol{&d.ClaimedUntil}, timeCol{&d.DeliveredAt}, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
	d.Ticket = t
	return d, err
}

// deliveries returns the deliveries of a query of deliveryColumns.
func (s *DB) deliveries(ctx context.Context, q queryer, query string, args ...any) ([]Delivery, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []Delivery
	for rows.Next() {
		d, err := s.scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ClaimDeliveries leases due deliveries to worker. On PostgreSQL the rows
// are picked FOR UPDATE SKIP LOCKED in the claiming transaction: a second
// claim at the same moment passes over them rather than wait and take
// them too, and takes the next ones. SQLite's one writer claims alone.
func (s *DB) ClaimDeliveries(ctx context.Context, worker string, n int, lease time.Duration) ([]Delivery, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !workerRE.MatchString(worker) {
		return nil, invalid("worker", "a worker's name is 1 to 100 of A-Z, a-z, 0-9 and . _ : / -")
	}
	if n < 1 || n > 1000 {
		return nil, invalid("n", "a claim takes 1 to 1000 deliveries")
	}
	if lease <= 0 {
		return nil, invalid("lease", "a lease must be positive")
	}
	if s.sealer == nil {
		return nil, ErrNoSealer
	}
	now := s.clock()
	until := now.Add(lease)
	var ds []Delivery
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE complaint_outbox SET state = $1, attempts = attempts + 1,
			claimed_by = $2, claimed_until = $3, next_attempt_at = $3, updated_at = $4
			WHERE ticket_id IN (SELECT ticket_id FROM complaint_outbox
				WHERE state IN ('pending', 'delivering') AND next_attempt_at <= $4
				ORDER BY next_attempt_at, ticket_id LIMIT $5`+s.dialect.skipLocked+`)
			RETURNING ticket_id`, string(DeliveryDelivering), worker, s.t(until), s.t(now), n)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		params := make([]string, len(ids))
		for i := range ids {
			params[i] = s.dialect.param(i + 1)
		}
		ds, err = s.deliveries(ctx, tx, ` WHERE o.ticket_id IN (`+strings.Join(params, ", ")+`) ORDER BY o.ticket_id`, ids...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim deliveries: %w", err)
	}
	return ds, nil
}

// ValidPlatformTicketID reports whether id has the form a platform ticket
// id is kept in: 1 to 64 of A-Z, a-z, 0-9 and . _ : -.
func ValidPlatformTicketID(id string) bool {
	return platformTicketIDRE.MatchString(id)
}

// DeliveryDone records a delivery accepted, and the platform's id on its
// ticket, which moves from filed to delivered unless a callback moved it
// on already.
func (s *DB) DeliveryDone(ctx context.Context, d Delivery, platformTicketID string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !platformTicketIDRE.MatchString(platformTicketID) {
		return invalid("platform_ticket_id", "a platform ticket id is 1 to 64 of A-Z, a-z, 0-9 and . _ : -")
	}
	now := s.clock()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE complaint_outbox SET state = $1, delivered_at = $2, updated_at = $2,
			next_attempt_at = $2, last_error = '', claimed_by = '', claimed_until = NULL
			WHERE ticket_id = $3 AND state <> $1`, string(DeliveryDelivered), s.t(now), d.Ticket.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE complaint_tickets SET platform_ticket_id = COALESCE(platform_ticket_id, $1),
			status = CASE WHEN status = $2 THEN $3 ELSE status END, updated_at = $4 WHERE id = $5`,
			platformTicketID, string(TicketFiled), string(TicketDelivered), s.t(now), d.Ticket.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delivery done: %w", err)
	}
	return nil
}

// DeliveryFailed records a failed attempt of a delivery still at the
// attempt d claimed.
func (s *DB) DeliveryFailed(ctx context.Context, d Delivery, reason string, retryAt time.Time) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	now := s.clock()
	state, next := DeliveryPending, retryAt
	if retryAt.IsZero() {
		state, next = DeliveryDead, now
	}
	if reason = printable(reason, maxErrorLen); reason == "" {
		reason = "failed, no reason given"
	}
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE complaint_outbox SET state = $1, next_attempt_at = $2, last_error = $3,
			claimed_by = '', claimed_until = NULL, updated_at = $4
			WHERE ticket_id = $5 AND state = $6 AND claimed_by = $7 AND attempts = $8`,
			string(state), s.t(next), reason, s.t(now), d.Ticket.ID, string(DeliveryDelivering), d.ClaimedBy, d.Attempts)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delivery failed: %w", err)
	}
	if n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Delivery returns the delivery of a ticket.
func (s *DB) Delivery(ctx context.Context, number string) (Delivery, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	number, ok := NormalizeTicketNumber(number)
	if !ok {
		return Delivery{}, ErrNotFound
	}
	if s.sealer == nil {
		return Delivery{}, ErrNoSealer
	}
	d, err := s.scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+` WHERE t.number = $1`, number))
	if err != nil {
		return Delivery{}, errNoRows("delivery", err)
	}
	return d, nil
}

// DeliveryCounts counts the deliveries by state; every state has its count,
// 0 too.
func (s *DB) DeliveryCounts(ctx context.Context) (map[DeliveryState]int, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	counts := map[DeliveryState]int{DeliveryPending: 0, DeliveryDelivering: 0, DeliveryDelivered: 0, DeliveryDead: 0}
	rows, err := s.db.QueryContext(ctx, `SELECT state, count(*) FROM complaint_outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: delivery counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state DeliveryState
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: delivery counts: %w", err)
		}
		counts[state] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: delivery counts: %w", err)
	}
	return counts, nil
}

// DeadDeliveries returns the dead deliveries, the latest to die first.
func (s *DB) DeadDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if limit < 1 || limit > 1000 {
		return nil, invalid("limit", "limit is 1 to 1000")
	}
	if s.sealer == nil {
		return nil, ErrNoSealer
	}
	ds, err := s.deliveries(ctx, s.db, ` WHERE o.state = $1 ORDER BY o.updated_at DESC, o.ticket_id DESC LIMIT $2`,
		string(DeliveryDead), limit)
	if err != nil {
		return nil, fmt.Errorf("store: dead deliveries: %w", err)
	}
	return ds, nil
}

// RetryDelivery makes a dead delivery pending and due now, its attempts
// counted from 0 again; its last error stays until an attempt replaces it.
func (s *DB) RetryDelivery(ctx context.Context, number string, by Actor) (Delivery, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if err := checkActor(by); err != nil {
		return Delivery{}, err
	}
	if s.sealer == nil {
		return Delivery{}, ErrNoSealer
	}
	number, ok := NormalizeTicketNumber(number)
	if !ok {
		return Delivery{}, ErrNotFound
	}
	now := s.clock()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var state DeliveryState
		var attempts int
		err := tx.QueryRowContext(ctx, `SELECT o.ticket_id, o.state, o.attempts`+deliveryFrom+` WHERE t.number = $1`+s.dialect.forUpdate,
			number).Scan(&id, &state, &attempts)
		if err != nil {
			return errNoRows("delivery", err)
		}
		if state != DeliveryDead {
			return conflict("state", "只有已停止投递的工单可以重新投递")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE complaint_outbox SET state = $1, attempts = 0, next_attempt_at = $2,
			updated_at = $2 WHERE ticket_id = $3`, string(DeliveryPending), s.t(now), id); err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionComplaintRetried, Object: TicketObject(number),
			Detail: fmt.Sprintf("dead after attempt %d", attempts)})
		return err
	})
	if err != nil {
		return Delivery{}, s.ticketError("retry delivery", err)
	}
	return s.Delivery(ctx, number)
}

// ticketError passes on what callers tell apart and wraps the rest.
func (s *DB) ticketError(what string, err error) error {
	var se *Error
	switch {
	case errors.As(err, &se):
		return se
	case errors.Is(err, ErrNotFound):
		return ErrNotFound
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
