package wechat

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/session"
	"policybot/session/storetest"
)

var subscriptionStores = []struct {
	name  string
	store func(t *testing.T) session.Store
}{
	{"Memory", func(*testing.T) session.Store { return session.NewMemory(SubscriptionRetention, time.Now) }},
	{"Redis", func(t *testing.T) session.Store { return storetest.MustRedis(t, SubscriptionRetention) }},
	{"RedisCluster", func(t *testing.T) session.Store {
		return storetest.MustRedisAt(t, storetest.RedisClusterURL(t), SubscriptionRetention)
	}},
}

func TestSubscriptions(t *testing.T) {
	for _, st := range subscriptionStores {
		t.Run(st.name, func(t *testing.T) {
			subs := NewSubscriptions(st.store(t), testTemplateID, "other-template")
			ctx := t.Context()
			take := func(openID, templateID string) bool {
				t.Helper()
				held, err := subs.Take(ctx, openID, templateID)
				if err != nil {
					t.Fatalf("Take: %v", err)
				}
				return held
			}
			if take(testOpenID, testTemplateID) {
				t.Error("Take before any acceptance = true")
			}
			for want := 1; want <= 2; want++ {
				if n, err := subs.Accept(ctx, testOpenID, testTemplateID); err != nil || n != want {
					t.Fatalf("Accept = %d, %v; want %d", n, err, want)
				}
			}
			if take("o-someone-else", testTemplateID) || take(testOpenID, "other-template") {
				t.Error("an acceptance of one user and template served another")
			}
			if !take(testOpenID, testTemplateID) || !take(testOpenID, testTemplateID) {
				t.Error("Take of the two acceptances held = false")
			}
			if take(testOpenID, testTemplateID) {
				t.Error("a third Take after two acceptances = true")
			}

			for range 3 {
				if _, err := subs.Accept(ctx, testOpenID, testTemplateID); err != nil {
					t.Fatal(err)
				}
			}
			if err := subs.Clear(ctx, testOpenID, testTemplateID); err != nil {
				t.Fatal(err)
			}
			if take(testOpenID, testTemplateID) {
				t.Error("Take after Clear = true")
			}
			if err := subs.Clear(ctx, testOpenID, testTemplateID); err != nil {
				t.Errorf("Clear of nothing: %v", err)
			}

			if _, err := subs.Accept(ctx, testOpenID, "not-ours"); !errors.Is(err, ErrUnknownTemplate) {
				t.Errorf("Accept of another template = %v, want ErrUnknownTemplate", err)
			}
			if _, err := subs.Accept(ctx, "", testTemplateID); err == nil {
				t.Error("Accept without an openid: no error")
			}
		})
	}
}

// TestSubscriptionsTakeOnce checks that replicas racing for one acceptance
// take it once between them.
func TestSubscriptionsTakeOnce(t *testing.T) {
	for _, st := range subscriptionStores {
		t.Run(st.name, func(t *testing.T) {
			store := st.store(t)
			subs := NewSubscriptions(store, testTemplateID)
			if _, err := subs.Accept(t.Context(), testOpenID, testTemplateID); err != nil {
				t.Fatal(err)
			}
			var taken atomic.Int32
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					held, err := NewSubscriptions(store, testTemplateID).Take(t.Context(), testOpenID, testTemplateID)
					if err != nil {
						t.Errorf("Take: %v", err)
					}
					if held {
						taken.Add(1)
					}
				})
			}
			wg.Wait()
			if n := taken.Load(); n != 1 {
				t.Errorf("10 racing Takes of one acceptance took %d", n)
			}
		})
	}
}

func TestSubscriptionsStoreDown(t *testing.T) {
	subs := NewSubscriptions(failingStore{}, testTemplateID)
	if _, err := subs.Accept(t.Context(), testOpenID, testTemplateID); !errors.Is(err, session.ErrUnavailable) {
		t.Errorf("Accept = %v, want ErrUnavailable", err)
	}
	if _, err := subs.Take(t.Context(), testOpenID, testTemplateID); !errors.Is(err, session.ErrUnavailable) {
		t.Errorf("Take = %v, want ErrUnavailable", err)
	}
}
