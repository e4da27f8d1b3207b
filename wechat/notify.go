package wechat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"policybot/session"
)

// NotifyTimeout is the deadline to give Notify: room for a token fetch and
// a send with its retries, and short enough that a stalled WeChat holds
// nothing for long.
const NotifyTimeout = 15 * time.Second

// refundTimeout bounds giving an unused acceptance back after a failed
// send, which runs even when the notice's own deadline has passed.
const refundTimeout = 2 * time.Second

// chinaTime is the zone the user reads the time of a status in.
var chinaTime = time.FixedZone("CST", 8*3600)

// StatusNotice is a new status of a complaint ticket, to tell its owner.
type StatusNotice struct {
	// Owner is the ticket's owner key (store.Ticket.OwnerKey). The chat
	// files under the caller's openid as it is (api resolves the bearer
	// token to it), so the owner key is the openid; empty for a ticket
	// filed in an anonymous chat.
	Owner    string
	TicketNo string
	// Status is the status as the user reads it (store.TicketStatus.Label):
	// 受理, 转办, 办理中, 办结, 回访 or 评价.
	Status string
	Note   string
	At     time.Time
}

// Notifier tells the owner of a complaint ticket of its new status, by a
// subscribe message of one template, when the user holds an acceptance of
// that template.
type Notifier struct {
	template Template
	subs     *Subscriptions
	sender   *Sender
}

// NewNotifier returns a Notifier that sends template with sender, using
// the acceptances kept in subs.
func NewNotifier(template Template, subs *Subscriptions, sender *Sender) *Notifier {
	return &Notifier{template: template, subs: subs, sender: sender}
}

// NewStatusNotifier returns the Notifier of complaint statuses, and the
// Subscriptions that the route of acceptances records in: the template
// templateID with its mapping file at fieldsPath (see LoadTemplate), sent
// with client. With rdb, the access_token and the acceptances are kept in
// Redis under prefix, shared by every replica; with a nil rdb, in memory,
// for a single replica.
func NewStatusNotifier(client *Client, rdb redis.UniversalClient, prefix, templateID, fieldsPath string) (*Notifier, *Subscriptions, error) {
	tp, err := LoadTemplate(templateID, fieldsPath)
	if err != nil {
		return nil, nil, err
	}
	var store session.Store = session.NewMemory(SubscriptionRetention, time.Now)
	if rdb != nil {
		store = session.NewRedis(rdb, prefix+"wxsub:", SubscriptionRetention)
	}
	subs := NewSubscriptions(store, tp.ID)
	return NewNotifier(tp, subs, NewSender(client, NewAppTokens(client, rdb, prefix))), subs, nil
}

// NewAppTokens returns the Tokens of client's mini-program: with rdb, kept
// in Redis under prefix and shared by every replica and every user of the
// app's access_token; with a nil rdb, in this Tokens' memory.
func NewAppTokens(client *Client, rdb redis.UniversalClient, prefix string) *Tokens {
	if rdb == nil {
		return NewTokens(client, NewMemoryTokenCache(), time.Now)
	}
	// The token is the app's: another mini-program on the same Redis has
	// its own.
	return NewTokens(client, NewRedisTokenCache(rdb, prefix+"wechat:"+client.AppID+":"), time.Now)
}

// Notify tells the ticket's owner of its status: it takes one of the
// owner's acceptances of the template, if any, and sends. Call it once
// per status that moved the ticket (not for a repeated or older callback),
// outside the request that recorded it, with a deadline (NotifyTimeout).
//
// The Result says what became of the notice, for counting. 43101 clears
// the owner's acceptances, since WeChat holds none; any other failure
// gives the acceptance back, since WeChat sent nothing with it. The error
// is nil when the notice was sent, or when there was nobody to send to
// (OutcomeNoRecipient, OutcomeNotAccepted) or the user refused
// (OutcomeRefused); otherwise it says why, for the log.
func (n *Notifier) Notify(ctx context.Context, s StatusNotice) (Result, error) {
	openID := s.Owner
	if openID == "" {
		return Result{Outcome: OutcomeNoRecipient}, nil
	}
	held, err := n.subs.Take(ctx, openID, n.template.ID)
	if err != nil {
		return Result{Outcome: OutcomeFailed}, fmt.Errorf("wechat: notify %s: %w", s.TicketNo, err)
	}
	if !held {
		return Result{Outcome: OutcomeNotAccepted}, nil
	}
	m := n.template.Message(openID, map[string]string{
		FieldTicketNo: s.TicketNo,
		FieldStatus:   s.Status,
		FieldNote:     s.Note,
		FieldTime:     s.At.In(chinaTime).Format("2006年1月2日 15:04"),
	})
	res, sendErr := n.sender.Send(ctx, m)
	switch res.Outcome {
	case OutcomeSent:
		return res, nil
	case OutcomeRefused:
		if err := n.subs.Clear(ctx, openID, n.template.ID); err != nil {
			return res, fmt.Errorf("wechat: notify %s: refused (43101), and %w", s.TicketNo, err)
		}
		return res, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refundTimeout)
	defer cancel()
	if _, err := n.subs.Accept(ctx, openID, n.template.ID); err != nil {
		sendErr = errors.Join(sendErr, fmt.Errorf("give the acceptance back: %w", err))
	}
	return res, fmt.Errorf("wechat: notify %s: %w", s.TicketNo, sendErr)
}
