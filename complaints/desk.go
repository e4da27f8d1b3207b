package complaints

import (
	"context"
	"encoding/json"
	"errors"

	"policybot/dialogue"
	"policybot/store"
)

// Desk files the chat's complaints as tickets of the store, whose outbox
// the worker delivers to the platform, and reads their progress back. It
// is the chat's dialogue.ComplaintDesk.
type Desk struct {
	Tickets store.TicketStore
}

// chatActor is who files a ticket from the chat in the audit log.
var chatActor = store.Actor{Username: "chat"}

// File keeps the complaint as a ticket with its delivery, once per key.
func (d Desk) File(ctx context.Context, c dialogue.Complaint) (string, error) {
	facts := store.Facts{}
	for _, f := range c.Facts {
		raw, err := json.Marshal(f.Value)
		if err != nil {
			return "", err
		}
		facts[f.Key] = store.Fact{Value: raw, Source: store.SourceApplicant, Sentence: f.Source}
	}
	clauses := make([]store.CitedClause, 0, len(c.Clauses))
	for _, cl := range c.Clauses {
		clauses = append(clauses, store.CitedClause{DocID: cl.DocID, DocNo: cl.DocNo, Article: cl.Article, Title: cl.Title})
	}
	t, _, err := d.Tickets.FileTicket(ctx, store.NewTicket{
		IdempotencyKey: c.Key, OwnerKey: c.Owner, ContactName: c.Contact, Phone: c.Phone,
		Enterprise: c.Enterprise, Complaint: c.Words, Facts: facts, Clauses: clauses,
		Department: c.Department, ConsentedAt: c.ConsentAt,
	}, chatActor)
	if err != nil {
		return "", err
	}
	return t.Number, nil
}

// Progress returns the owner's tickets, newest first, or the one ticket a
// number names with its phone or for its owner; none for anyone else.
func (d Desk) Progress(ctx context.Context, q dialogue.ProgressQuery) ([]dialogue.TicketProgress, error) {
	var tickets []store.Ticket
	switch {
	case q.TicketNo != "":
		no, ok := store.NormalizeTicketNumber(q.TicketNo)
		if !ok {
			return nil, nil
		}
		var t store.Ticket
		var err error
		if q.Phone != "" {
			t, err = d.Tickets.TicketForPhone(ctx, no, q.Phone)
		} else {
			t, err = d.Tickets.TicketForOwner(ctx, no, q.Owner)
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		tickets = []store.Ticket{t}
	case q.Owner != "":
		var err error
		if tickets, err = d.Tickets.OwnerTickets(ctx, q.Owner, 5); err != nil {
			return nil, err
		}
	}
	out := make([]dialogue.TicketProgress, 0, len(tickets))
	for _, t := range tickets {
		p := dialogue.TicketProgress{TicketNo: t.Number, Status: t.Status.Label(), FiledAt: t.CreatedAt}
		history, err := d.Tickets.TicketHistory(ctx, t.Number)
		if err != nil {
			return nil, err
		}
		for _, h := range history {
			p.History = append(p.History, dialogue.ProgressStep{Status: h.Status.Label(), Note: h.Note, At: h.ReceivedAt})
		}
		out = append(out, p)
	}
	return out, nil
}
