package main

import (
	"context"
	"log/slog"
	"time"

	"policybot/api"
	"policybot/store"
	"policybot/wechat"
)

// statusNotice tells the owner of a ticket its new status by a WeChat
// subscribe message.
type statusNotice struct {
	tickets interface {
		Ticket(ctx context.Context, number string) (store.Ticket, error)
	}
	notifier *wechat.Notifier
	log      *slog.Logger
}

// ticketNotifier returns what tells a ticket's owner of its new status, or
// nil when no subscribe message is configured.
func ticketNotifier(tickets store.TicketStore, n *wechat.Notifier, log *slog.Logger) api.StatusNotifier {
	if n == nil {
		return nil
	}
	return statusNotice{tickets: tickets, notifier: n, log: log}
}

// StatusChanged looks up whose the ticket is and sends; what becomes of the
// notice is logged, since the platform has had its answer already.
func (s statusNotice) StatusChanged(ctx context.Context, ticketNo, status, note string, at time.Time) {
	t, err := s.tickets.Ticket(ctx, ticketNo)
	if err != nil {
		s.log.Warn("status notice: ticket", "ticket_no", ticketNo, "err", err)
		return
	}
	r, err := s.notifier.Notify(ctx, wechat.StatusNotice{Owner: t.OwnerKey, TicketNo: t.Number, Status: status, Note: note, At: at})
	if err != nil {
		s.log.Warn("status notice", "ticket_no", ticketNo, "outcome", r.Outcome, "code", r.Code, "field", r.Field, "err", err)
		return
	}
	s.log.Info("status notice", "ticket_no", ticketNo, "outcome", r.Outcome)
}
