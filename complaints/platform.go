package complaints

import (
	"time"

	"policybot/store"
)

// HeaderIdempotencyKey carries a delivery's idempotency key, the same on
// every attempt, which the platform dedupes on.
const HeaderIdempotencyKey = "Idempotency-Key"

// TicketPayload is a ticket as policybot delivers it: the body of a POST
// to the platform's ticket URL, signed as SIGNATURES.md says, with the
// delivery's key in the Idempotency-Key header and in the body. The body
// of every attempt of one delivery is the same.
type TicketPayload struct {
	TicketNo       string              `json:"ticket_no"`
	IdempotencyKey string              `json:"idempotency_key"`
	Enterprise     PayloadEnterprise   `json:"enterprise"`
	Contact        PayloadContact      `json:"contact"`
	Complaint      string              `json:"complaint"`
	Facts          store.Facts         `json:"facts"`
	Clauses        []store.CitedClause `json:"clauses"`
	Department     string              `json:"department,omitempty"`
	ConsentedAt    time.Time           `json:"consented_at"`
	FiledAt        time.Time           `json:"filed_at"`
}

// PayloadEnterprise is the enterprise a ticket is about.
type PayloadEnterprise struct {
	Name       string `json:"name"`
	CreditCode string `json:"credit_code,omitempty"`
}

// PayloadContact is whom the platform calls back about a ticket.
type PayloadContact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// NewTicketPayload returns the payload of a delivery.
func NewTicketPayload(d store.Delivery) TicketPayload {
	t := d.Ticket
	return TicketPayload{
		TicketNo:       t.Number,
		IdempotencyKey: d.Key,
		Enterprise:     PayloadEnterprise{Name: t.Enterprise, CreditCode: t.CreditCode},
		Contact:        PayloadContact{Name: t.ContactName, Phone: t.Phone},
		Complaint:      t.Complaint,
		Facts:          t.Facts,
		Clauses:        t.Clauses,
		Department:     t.Department,
		ConsentedAt:    t.ConsentedAt,
		FiledAt:        t.CreatedAt,
	}
}

// TicketReceipt is the platform's answer to a delivery it accepted (200
// or 201): its id of the ticket, the same for a repeat of the delivery,
// which it reports Duplicate.
type TicketReceipt struct {
	PlatformTicketID string `json:"platform_ticket_id"`
	Duplicate        bool   `json:"duplicate,omitempty"`
}

// StatusCallback is the body of a status callback the platform sends to
// policybot's POST /v1/integrations/complaints/status, signed, for one of
// the tickets it was delivered; SIGNATURES.md has the rules.
// Seq counts the callbacks of one ticket from 1; Status is the step of
// the 12345 closed loop (受理, 转办, 办理中, 办结, 回访, 评价) as
// store.PlatformStatus reads it.
type StatusCallback struct {
	TicketNo         string    `json:"ticket_no"`
	PlatformTicketID string    `json:"platform_ticket_id"`
	Seq              int64     `json:"seq"`
	Status           string    `json:"status"`
	Note             string    `json:"note,omitempty"`
	At               time.Time `json:"at"`
}
