package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// TicketStore keeps the complaints filed with the city's enterprise
// complaint platform: each ticket with the delivery that carries it there
// (a transactional outbox: both are written in one transaction, so that a
// ticket kept is a ticket delivered, however often a worker dies), the
// status the platform reports back, and the platform's own questions with
// the answers given.
type TicketStore interface {
	// FileTicket keeps a ticket and its pending delivery in one
	// transaction, and returns the ticket and whether it was filed now. A
	// ticket filed before under the same idempotency key with the same
	// content is returned again, filed once; with other content it is an
	// *Error wrapping ErrConflict of field idempotency_key.
	FileTicket(ctx context.Context, in NewTicket, by Actor) (t Ticket, filed bool, err error)
	// Ticket returns the ticket of a number, or ErrNotFound. It checks no
	// owner: it is for staff and the worker; the chat asks TicketForOwner
	// or TicketForPhone.
	Ticket(ctx context.Context, number string) (Ticket, error)
	// TicketForOwner returns the ticket of number if owner filed it. A
	// ticket of another owner, or of none, is ErrNotFound, as a missing
	// one is, so that nobody learns which numbers exist.
	TicketForOwner(ctx context.Context, number, owner string) (Ticket, error)
	// TicketForPhone returns the ticket of number if phone is its contact
	// phone (as NormalizePhone reads it); any other phone is ErrNotFound.
	TicketForPhone(ctx context.Context, number, phone string) (Ticket, error)
	// OwnerTickets returns the newest tickets of owner, at most limit (1
	// to 100), newest first; none for the empty owner.
	OwnerTickets(ctx context.Context, owner string, limit int) ([]Ticket, error)
	// TicketHistory returns the platform's status callbacks of a ticket in
	// their sequence order, or ErrNotFound.
	TicketHistory(ctx context.Context, number string) ([]StatusEvent, error)
	// RecordStatus records a status callback of the platform; see
	// StatusUpdate for the rules. An unknown ticket is ErrNotFound.
	RecordStatus(ctx context.Context, u StatusUpdate, by Actor) (StatusResult, error)

	// ClaimDeliveries leases to worker, for lease, up to n deliveries that
	// are due: pending ones whose retry time has come, and those whose
	// last lease ended without an outcome (their worker died). Each claim
	// counts an attempt. A delivery is leased to one worker at a time,
	// whatever the number of workers and replicas claiming at once.
	ClaimDeliveries(ctx context.Context, worker string, n int, lease time.Duration) ([]Delivery, error)
	// DeliveryDone records that the platform accepted a claimed delivery
	// as its ticket platformTicketID. It stands whoever holds the lease
	// now, since the platform has the ticket; a delivery done before is
	// left as it was.
	DeliveryDone(ctx context.Context, d Delivery, platformTicketID string) error
	// DeliveryFailed records why an attempt of a claimed delivery failed
	// (in our words) and makes it due again at retryAt, or dead when
	// retryAt is zero. It returns ErrLeaseLost, recording nothing, when d's
	// lease was taken over or the delivery was done meanwhile.
	DeliveryFailed(ctx context.Context, d Delivery, reason string, retryAt time.Time) error
	// Delivery returns the delivery of a ticket, or ErrNotFound.
	Delivery(ctx context.Context, number string) (Delivery, error)
	// DeliveryCounts returns how many deliveries are in each state.
	DeliveryCounts(ctx context.Context) (map[DeliveryState]int, error)
	// DeadDeliveries returns the deliveries that stopped being tried, at
	// most limit (1 to 1000), the latest to die first.
	DeadDeliveries(ctx context.Context, limit int) ([]Delivery, error)
	// RetryDelivery makes a dead delivery pending again with all its
	// attempts ahead of it: a supervisor's action. A delivery that is not
	// dead is an *Error wrapping ErrConflict of field state.
	RetryDelivery(ctx context.Context, number string, by Actor) (Delivery, error)

	// InboundAnswer returns the answer kept for the platform's question on
	// its ticket platformTicketID: ErrNotFound when none was asked, an
	// *Error wrapping ErrConflict of field text when it was asked with
	// another text.
	InboundAnswer(ctx context.Context, platformTicketID, text string) (json.RawMessage, error)
	// RecordInbound keeps the answer to a question of the platform and
	// returns the answer kept, with recorded true; when the same question
	// was recorded before (by another replica, meanwhile) it returns that
	// answer with recorded false. Another text is a conflict, as for
	// InboundAnswer.
	RecordInbound(ctx context.Context, q InboundQuestion, by Actor) (answer json.RawMessage, recorded bool, err error)
}

// NewTicket is a complaint to file.
type NewTicket struct {
	// IdempotencyKey is the filer's, one per chat turn (1 to 128 of A-Z,
	// a-z, 0-9 and . _ : -), so that filing a turn twice files once.
	IdempotencyKey string
	// OwnerKey is the opaque key of the WeChat user who files, who alone
	// may then read the ticket without its phone; empty when none.
	OwnerKey    string
	ContactName string
	// Phone is the contact's mainland mobile, or landline with its area
	// code; NormalizePhone says what is taken.
	Phone      string
	Enterprise string
	// CreditCode is the enterprise's unified social credit code, or empty.
	CreditCode string
	// Complaint is the user's own words.
	Complaint string
	Facts     Facts
	Clauses   []CitedClause
	// Department is the department responsible, or empty when unknown.
	Department string
	// ConsentedAt is when the user agreed to the ticket, with its contact,
	// being passed to the platform. It is required, and not in the future.
	ConsentedAt time.Time
}

// CitedClause names a clause of the library that a ticket cites.
type CitedClause struct {
	DocID   string `json:"doc_id"`
	DocNo   string `json:"doc_no,omitempty"`
	Article string `json:"article"`
	Title   string `json:"title,omitempty"`
}

// TicketStatus is where a ticket stands: filed and delivered are ours,
// the others the platform's closed loop, which its callbacks report.
type TicketStatus string

// The statuses of a ticket.
const (
	TicketFiled       TicketStatus = "filed"
	TicketDelivered   TicketStatus = "delivered"
	TicketAccepted    TicketStatus = "accepted"
	TicketTransferred TicketStatus = "transferred"
	TicketProcessing  TicketStatus = "processing"
	TicketConcluded   TicketStatus = "concluded"
	TicketRevisited   TicketStatus = "revisited"
	TicketRated       TicketStatus = "rated"
)

// statusLabels are the statuses as the chat and the console say them,
// those of the platform as 12345 names them.
var statusLabels = map[TicketStatus]string{
	TicketFiled:       "已提交",
	TicketDelivered:   "已转交投诉平台",
	TicketAccepted:    "受理",
	TicketTransferred: "转办",
	TicketProcessing:  "办理中",
	TicketConcluded:   "办结",
	TicketRevisited:   "回访",
	TicketRated:       "评价",
}

// Label returns the status in Chinese, or the code of an unknown one.
func (s TicketStatus) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// PlatformStatus returns the status the platform calls s (受理, 转办, 办理中,
// 办结, 回访 or 评价), or false.
func PlatformStatus(s string) (TicketStatus, bool) {
	for st, l := range statusLabels {
		if l == s && st.reported() {
			return st, true
		}
	}
	return "", false
}

// reported reports whether s is a status the platform's callbacks report.
func (s TicketStatus) reported() bool {
	_, ok := statusLabels[s]
	return ok && s != TicketFiled && s != TicketDelivered
}

// Ticket is a complaint as kept, its phone opened.
type Ticket struct {
	ID             int64
	Number         string
	IdempotencyKey string
	OwnerKey       string
	ContactName    string
	Phone          string
	Enterprise     string
	CreditCode     string
	Complaint      string
	Facts          Facts
	Clauses        []CitedClause
	Department     string
	ConsentedAt    time.Time
	Status         TicketStatus
	// StatusSeq is the sequence number of the callback that set Status; 0
	// before the first.
	StatusSeq int64
	// PlatformTicketID is the platform's id of the ticket once delivered.
	PlatformTicketID string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Audit actions of complaints. The store records all but
// ActionComplaintOpened, which the console records when staff read a
// ticket, its contact and words on it.
const (
	ActionComplaintFiled    Action = "complaint-filed"
	ActionComplaintOpened   Action = "complaint-opened"
	ActionComplaintStatus   Action = "complaint-status"
	ActionComplaintRetried  Action = "complaint-delivery-retried"
	ActionComplaintAnswered Action = "complaint-question-answered"
	// ActionIntegratorCall is a call of an integrator's, whatever it was
	// answered.
	ActionIntegratorCall Action = "integrator-call"
)

// TicketObject is how the audit log names a ticket.
func TicketObject(number string) string {
	return "complaint/" + number
}

// errFiledMeanwhile is returned inside FileTicket's transaction when
// another filing of the same idempotency key committed first.
var errFiledMeanwhile = errors.New("store: ticket filed meanwhile")

// FileTicket files a ticket with its delivery and audit row.
func (s *DB) FileTicket(ctx context.Context, in NewTicket, by Actor) (Ticket, bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if s.sealer == nil {
		return Ticket{}, false, ErrNoSealer
	}
	now := s.clock()
	r, err := checkTicket(in, now)
	if err != nil {
		return Ticket{}, false, err
	}
	if err := checkActor(by); err != nil {
		return Ticket{}, false, err
	}
	reqHash := s.sealer.Hash(requestAD, r.canonical())
	var id int64
	var filed *Ticket
	file := func(tx *sql.Tx) error {
		var kept []byte
		err := tx.QueryRowContext(ctx, `SELECT id, request_hash FROM complaint_tickets WHERE idempotency_key = $1`,
			r.idempotencyKey).Scan(&id, &kept)
		switch {
		case err == nil && hmac.Equal(kept, reqHash):
			return nil
		case err == nil:
			return conflict("idempotency_key", "another ticket was filed under this idempotency key")
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		day := now.In(ticketZone).Format("20060102")
		var seq int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO complaint_ticket_days (day, last) VALUES ($1, 1)
			ON CONFLICT (day) DO UPDATE SET last = complaint_ticket_days.last + 1 RETURNING last`, day).Scan(&seq); err != nil {
			return err
		}
		number := ticketNumber(day, seq)
		ad := phoneAD(number)
		err = tx.QueryRowContext(ctx, `INSERT INTO complaint_tickets
			(number, idempotency_key, request_hash, owner_key, contact_name, phone_enc, phone_hash, enterprise, credit_code,
			complaint, facts, clauses, department, consented_at, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
			ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
			number, r.idempotencyKey, reqHash, r.owner, r.contact, s.sealer.Seal([]byte(r.phone), ad), s.sealer.Hash(ad, []byte(r.phone)),
			r.enterprise, r.creditCode, r.complaint, string(r.facts), string(r.clauses), r.department, s.t(r.consentedAt),
			string(TicketFiled), s.t(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errFiledMeanwhile
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_outbox
			(ticket_id, idempotency_key, state, next_attempt_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4, $4)`, id, newDeliveryKey(), string(DeliveryPending), s.t(now)); err != nil {
			return err
		}
		if _, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionComplaintFiled, Object: TicketObject(number)}); err != nil {
			return err
		}
		filed, err = r.ticket(id, number, now)
		return err
	}
	err = s.inTx(ctx, file)
	if errors.Is(err, errFiledMeanwhile) {
		// The other filing has committed: this one now finds it.
		err = s.inTx(ctx, file)
	}
	if err != nil {
		return Ticket{}, false, s.ticketError("file ticket", err)
	}
	if filed != nil {
		return *filed, true, nil
	}
	t, err := s.ticketWhere(ctx, `t.id = $1`, id)
	return t, false, err
}

// ticket returns the ticket r makes, as a later read returns it.
func (r ticketRow) ticket(id int64, number string, now time.Time) (*Ticket, error) {
	t := &Ticket{
		ID: id, Number: number, IdempotencyKey: r.idempotencyKey, OwnerKey: r.owner, ContactName: r.contact,
		Phone: r.phone, Enterprise: r.enterprise, CreditCode: r.creditCode.String, Complaint: r.complaint,
		Department: r.department, ConsentedAt: r.consentedAt, Status: TicketFiled, CreatedAt: now, UpdatedAt: now,
	}
	if err := json.Unmarshal(r.facts, &t.Facts); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(r.clauses, &t.Clauses); err != nil {
		return nil, err
	}
	return t, nil
}

// newDeliveryKey returns the idempotency key of a new delivery: 128
// random bits rather than anything made of the ticket number, since two
// policybot installations (a test one and the real one) number alike.
func newDeliveryKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: it crashes the program rather than return short
	return "pbt_" + base64.RawURLEncoding.EncodeToString(b)
}

// ticketColumns are the columns of a ticket, of complaint_tickets as t,
// that scanTicket reads.
const ticketColumns = `t.id, t.number, t.idempotency_key, t.owner_key, t.contact_name, t.phone_enc, t.enterprise,
	t.credit_code, t.complaint, t.facts, t.clauses, t.department, t.consented_at, t.status, t.status_seq,
	t.platform_ticket_id, t.created_at, t.updated_at`

// scanTicket reads a ticket's columns and opens its phone.
func (s *DB) scanTicket(row scanner, extra ...any) (Ticket, error) {
	var t Ticket
	var phone, facts, clauses []byte
	var code, platformID sql.NullString
	dest := append([]any{&t.ID, &t.Number, &t.IdempotencyKey, &t.OwnerKey, &t.ContactName, &phone, &t.Enterprise,
		&code, &t.Complaint, &facts, &clauses, &t.Department, timeCol{&t.ConsentedAt}, &t.Status, &t.StatusSeq,
		&platformID, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Ticket{}, err
	}
	t.CreditCode, t.PlatformTicketID = code.String, platformID.String
	if err := json.Unmarshal(facts, &t.Facts); err != nil {
		return Ticket{}, fmt.Errorf("ticket %s: facts: %w", t.Number, err)
	}
	if err := json.Unmarshal(clauses, &t.Clauses); err != nil {
		return Ticket{}, fmt.Errorf("ticket %s: clauses: %w", t.Number, err)
	}
	plain, err := s.sealer.Open(phone, phoneAD(t.Number))
	if err != nil {
		return Ticket{}, fmt.Errorf("ticket %s: phone: %w", t.Number, err)
	}
	t.Phone = string(plain)
	return t, nil
}

// ticketWhere returns the one ticket of complaint_tickets t that cond
// selects, or ErrNotFound.
func (s *DB) ticketWhere(ctx context.Context, cond string, args ...any) (Ticket, error) {
	if s.sealer == nil {
		return Ticket{}, ErrNoSealer
	}
	t, err := s.scanTicket(s.db.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM complaint_tickets t WHERE `+cond, args...))
	if err != nil {
		return Ticket{}, errNoRows("ticket", err)
	}
	return t, nil
}

// Ticket returns the ticket of number.
func (s *DB) Ticket(ctx context.Context, number string) (Ticket, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	number, ok := NormalizeTicketNumber(number)
	if !ok {
		return Ticket{}, ErrNotFound
	}
	return s.ticketWhere(ctx, `t.number = $1`, number)
}

// TicketForOwner returns the ticket of number if owner filed it.
func (s *DB) TicketForOwner(ctx context.Context, number, owner string) (Ticket, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	number, ok := NormalizeTicketNumber(number)
	if !ok || owner == "" {
		return Ticket{}, ErrNotFound
	}
	return s.ticketWhere(ctx, `t.number = $1 AND t.owner_key = $2`, number, owner)
}

// TicketForPhone returns the ticket of number if phone is its phone. The
// phone typed is hashed and compared with the hash kept, in constant time,
// so that no phone is opened for a stranger's guess.
func (s *DB) TicketForPhone(ctx context.Context, number, phone string) (Ticket, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if s.sealer == nil {
		return Ticket{}, ErrNoSealer
	}
	number, ok := NormalizeTicketNumber(number)
	if !ok {
		return Ticket{}, ErrNotFound
	}
	phone, ok = NormalizePhone(phone)
	if !ok {
		return Ticket{}, ErrNotFound
	}
	var kept []byte
	if err := s.db.QueryRowContext(ctx, `SELECT phone_hash FROM complaint_tickets WHERE number = $1`, number).Scan(&kept); err != nil {
		return Ticket{}, errNoRows("ticket", err)
	}
	if !hmac.Equal(kept, s.sealer.Hash(phoneAD(number), []byte(phone))) {
		return Ticket{}, ErrNotFound
	}
	return s.ticketWhere(ctx, `t.number = $1`, number)
}

// OwnerTickets returns the newest tickets of owner.
func (s *DB) OwnerTickets(ctx context.Context, owner string, limit int) ([]Ticket, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if limit < 1 || limit > 100 {
		return nil, invalid("limit", "limit is 1 to 100")
	}
	if s.sealer == nil {
		return nil, ErrNoSealer
	}
	if owner == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+ticketColumns+` FROM complaint_tickets t
		WHERE t.owner_key = $1 ORDER BY t.id DESC LIMIT $2`, owner, limit)
	if err != nil {
		return nil, fmt.Errorf("store: owner tickets: %w", err)
	}
	defer rows.Close()
	var tickets []Ticket
	for rows.Next() {
		t, err := s.scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("store: owner tickets: %w", err)
		}
		tickets = append(tickets, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: owner tickets: %w", err)
	}
	return tickets, nil
}
