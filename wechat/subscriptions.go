package wechat

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"policybot/session"
)

// ErrUnknownTemplate is returned by Accept for a template this service does
// not send.
var ErrUnknownTemplate = errors.New("wechat: not a template of this service")

// errNoAcceptance aborts Take's update when there is nothing to take.
var errNoAcceptance = errors.New("wechat: no acceptance held")

// SubscriptionRetention is how long a user's acceptances are kept after
// the last change, as the TTL of the store given to NewSubscriptions. It
// spans a complaint's closed loop, from filing to the platform's
// follow-up call and rating, with room to spare.
const SubscriptionRetention = 180 * 24 * time.Hour

// Subscriptions counts, per user and template, the one-time subscriptions
// the user accepted (wx.requestSubscribeMessage) and we have not used:
// WeChat lets each acceptance carry one message, and answers 43101 to the
// next.
//
// The count is a hint that saves calls WeChat would refuse, not a record
// to keep at all costs: WeChat holds the true one, a lost count costs the
// user a message until they accept again, and 43101 corrects one that is
// too high. So it lives in a session.Store (Redis when configured, shared
// by the replicas) rather than in the database.
type Subscriptions struct {
	store     session.Store
	templates []string
}

// NewSubscriptions returns Subscriptions kept in store (whose TTL should be
// SubscriptionRetention) for the templates given, the ones this service
// sends.
func NewSubscriptions(store session.Store, templates ...string) *Subscriptions {
	return &Subscriptions{store: store, templates: templates}
}

// subscriptionKey is where the count of openID's acceptances of
// templateID is kept.
func subscriptionKey(openID, templateID string) string {
	return templateID + ":" + openID
}

// Accept records one more acceptance of templateID by openID, and returns
// how many the user now holds. A template this service does not send is
// ErrUnknownTemplate; a store that is down an error wrapping
// session.ErrUnavailable.
func (s *Subscriptions) Accept(ctx context.Context, openID, templateID string) (int, error) {
	if !slices.Contains(s.templates, templateID) {
		return 0, ErrUnknownTemplate
	}
	if openID == "" {
		return 0, errors.New("wechat: accept: no openid")
	}
	var n int
	err := s.store.Update(ctx, subscriptionKey(openID, templateID), func(old []byte) ([]byte, error) {
		n = count(old) + 1
		return strconv.AppendInt(nil, int64(n), 10), nil
	})
	if err != nil {
		return 0, fmt.Errorf("wechat: accept subscription: %w", err)
	}
	return n, nil
}

// Take uses one acceptance of templateID by openID, and reports whether
// there was one to use. Two replicas taking at once take one each, or one
// and none when one was held.
func (s *Subscriptions) Take(ctx context.Context, openID, templateID string) (bool, error) {
	err := s.store.Update(ctx, subscriptionKey(openID, templateID), func(old []byte) ([]byte, error) {
		n := count(old)
		if n == 0 {
			return nil, errNoAcceptance
		}
		return strconv.AppendInt(nil, int64(n-1), 10), nil
	})
	switch {
	case errors.Is(err, errNoAcceptance):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("wechat: take subscription: %w", err)
	}
	return true, nil
}

// Clear forgets every acceptance of templateID by openID, as WeChat's
// 43101 says none is left.
func (s *Subscriptions) Clear(ctx context.Context, openID, templateID string) error {
	if err := s.store.Delete(ctx, subscriptionKey(openID, templateID)); err != nil {
		return fmt.Errorf("wechat: clear subscription: %w", err)
	}
	return nil
}

// count reads a stored count; anything but a positive number is none.
func count(raw []byte) int {
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
