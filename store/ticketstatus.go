package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// StatusUpdate is a status callback of the platform on one of our tickets.
//
// Each carries a per-ticket sequence number. One higher than any before
// moves the ticket to its status; a lower one goes into the history but
// never moves the status back (callbacks arrive out of order). A repeat of
// a number with the same body is accepted once and reported Duplicate; the
// same number with a different body is an *Error wrapping ErrConflict of
// field seq, since one of the two is wrong and the store cannot tell which.
// A platform ticket id other than the one the ticket's delivery was
// answered with is an *Error wrapping ErrConflict of field
// platform_ticket_id: the callback is about another of the platform's
// tickets.
type StatusUpdate struct {
	// Number is our ticket number, as the platform was given it.
	Number string
	// PlatformTicketID is the platform's id of the ticket as the callback
	// says it. It is checked only against an id recorded: a callback may
	// arrive before the delivery's answer is recorded, and empty checks
	// nothing.
	PlatformTicketID string
	Seq              int64
	// Status is one the platform reports (PlatformStatus).
	Status TicketStatus
	// Note is what the platform said with it, such as where it transferred
	// the ticket; it may be empty.
	Note string
	// Body is the callback's body as received: only its hash is kept, to
	// tell a repeat from a conflict.
	Body []byte
}

// StatusEvent is a status callback as the history keeps it.
type StatusEvent struct {
	Seq        int64
	Status     TicketStatus
	Note       string
	BodyHash   []byte
	ReceivedAt time.Time
}

// StatusResult is what recording a status callback did.
type StatusResult struct {
	// Duplicate is true for a repeat of a callback recorded before:
	// nothing changed.
	Duplicate bool
	// Status and Seq are the ticket's status after the callback and the
	// number of the callback that set it: an older callback leaves them as
	// they were.
	Status TicketStatus
	Seq    int64
}

// maxNoteLen bounds the note of a status callback, in characters.
const maxNoteLen = 500

// RecordStatus records a status callback. The ticket's row is locked
// first, so that callbacks of one ticket arriving at once at several
// replicas take turns and each sees what the others recorded.
func (s *DB) RecordStatus(ctx context.Context, u StatusUpdate, by Actor) (StatusResult, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	number, ok := NormalizeTicketNumber(u.Number)
	if !ok {
		return StatusResult{}, ErrNotFound
	}
	if u.Seq < 1 {
		return StatusResult{}, invalid("seq", "a sequence number counts from 1")
	}
	if !u.Status.reported() {
		return StatusResult{}, invalid("status", "状态应为受理、转办、办理中、办结、回访或评价")
	}
	note, err := text("note", u.Note, maxNoteLen)
	if err != nil {
		return StatusResult{}, err
	}
	if err := checkActor(by); err != nil {
		return StatusResult{}, err
	}
	sum := sha256.Sum256(u.Body)
	hash := sum[:]
	now := s.clock()
	var res StatusResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var platformID sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT id, status, status_seq, platform_ticket_id FROM complaint_tickets WHERE number = $1`+s.dialect.forUpdate,
			number).Scan(&id, &res.Status, &res.Seq, &platformID); err != nil {
			return errNoRows("ticket", err)
		}
		if u.PlatformTicketID != "" && platformID.Valid && u.PlatformTicketID != platformID.String {
			return conflict("platform_ticket_id", fmt.Sprintf("this ticket is %s at the platform", platformID.String))
		}
		var kept []byte
		err := tx.QueryRowContext(ctx, `SELECT body_hash FROM complaint_status_events WHERE ticket_id = $1 AND seq = $2`,
			id, u.Seq).Scan(&kept)
		switch {
		case err == nil && bytes.Equal(kept, hash):
			res.Duplicate = true
			return nil
		case err == nil:
			return conflict("seq", fmt.Sprintf("callback %d of this ticket was received before with another body", u.Seq))
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_status_events (ticket_id, seq, status, note, body_hash, received_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, u.Seq, string(u.Status), note, hash, s.t(now)); err != nil {
			return err
		}
		detail := fmt.Sprintf("seq %d %s", u.Seq, u.Status)
		if u.Seq > res.Seq {
			if _, err := tx.ExecContext(ctx, `UPDATE complaint_tickets SET status = $1, status_seq = $2, updated_at = $3 WHERE id = $4`,
				string(u.Status), u.Seq, s.t(now), id); err != nil {
				return err
			}
			res.Status, res.Seq = u.Status, u.Seq
		} else {
			detail += fmt.Sprintf(", older than seq %d: history only", res.Seq)
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionComplaintStatus, Object: TicketObject(number), Detail: detail})
		return err
	})
	if err != nil {
		return StatusResult{}, s.ticketError("record status", err)
	}
	return res, nil
}

// TicketHistory returns the status events of a ticket by sequence number.
func (s *DB) TicketHistory(ctx context.Context, number string) ([]StatusEvent, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	number, ok := NormalizeTicketNumber(number)
	if !ok {
		return nil, ErrNotFound
	}
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM complaint_tickets WHERE number = $1`, number).Scan(&id); err != nil {
		return nil, errNoRows("ticket", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, status, note, body_hash, received_at FROM complaint_status_events
		WHERE ticket_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("store: ticket history: %w", err)
	}
	defer rows.Close()
	var events []StatusEvent
	for rows.Next() {
		var e StatusEvent
		if err := rows.Scan(&e.Seq, &e.Status, &e.Note, &e.BodyHash, timeCol{&e.ReceivedAt}); err != nil {
			return nil, fmt.Errorf("store: ticket history: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ticket history: %w", err)
	}
	return events, nil
}

// InboundQuestion is a question of the platform on one of its tickets,
// with the answer policybot gives.
type InboundQuestion struct {
	PlatformTicketID string
	// Text is the complaint's text as asked: only its hash is kept.
	Text   string
	Answer json.RawMessage
}

// Bounds on a question and its answer.
const (
	maxQuestionBytes = 64 << 10
	maxAnswerBytes   = 256 << 10
)

func textHash(text string) []byte {
	h := sha256.Sum256([]byte(text))
	return h[:]
}

// InboundAnswer returns the answer kept for a question.
func (s *DB) InboundAnswer(ctx context.Context, platformTicketID, text string) (json.RawMessage, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !platformTicketIDRE.MatchString(platformTicketID) {
		return nil, ErrNotFound
	}
	var kept, answer []byte
	if err := s.db.QueryRowContext(ctx, `SELECT text_hash, answer FROM complaint_inbound WHERE platform_ticket_id = $1`,
		platformTicketID).Scan(&kept, &answer); err != nil {
		return nil, errNoRows("inbound", err)
	}
	if !bytes.Equal(kept, textHash(text)) {
		return nil, conflict("text", "该工单已以不同的投诉内容询问过")
	}
	return answer, nil
}

// RecordInbound keeps a question's answer unless it is kept already. On
// PostgreSQL an insert that meets another replica's uncommitted one waits
// for it, then finds it.
func (s *DB) RecordInbound(ctx context.Context, q InboundQuestion, by Actor) (json.RawMessage, bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !platformTicketIDRE.MatchString(q.PlatformTicketID) {
		return nil, false, invalid("platform_ticket_id", "a platform ticket id is 1 to 64 of A-Z, a-z, 0-9 and . _ : -")
	}
	if q.Text == "" || len(q.Text) > maxQuestionBytes {
		return nil, false, invalid("text", fmt.Sprintf("投诉内容不能为空,不能超过%d字节", maxQuestionBytes))
	}
	if len(q.Answer) > maxAnswerBytes {
		return nil, false, invalid("answer", "answer too large")
	}
	answer, err := canonicalJSON(q.Answer)
	if err != nil {
		return nil, false, invalid("answer", "an answer is one JSON value")
	}
	if err := checkActor(by); err != nil {
		return nil, false, err
	}
	now := s.clock()
	recorded := false
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO complaint_inbound (platform_ticket_id, text_hash, answer, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (platform_ticket_id) DO NOTHING`,
			q.PlatformTicketID, textHash(q.Text), string(answer), s.t(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		recorded = true
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionComplaintAnswered,
			Object: "platform-ticket/" + q.PlatformTicketID})
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: record inbound: %w", err)
	}
	if recorded {
		return answer, true, nil
	}
	kept, err := s.InboundAnswer(ctx, q.PlatformTicketID, q.Text)
	return kept, false, err
}
