package wechat

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/internal/testclock"
	"policybot/session"
	"policybot/session/storetest"
)

// newCaches returns two caches that share what they keep, as the caches of
// two replicas do.
type newCaches func(t *testing.T) (a, b TokenCache)

func TestTokensMemory(t *testing.T) {
	runTokenContract(t, func(*testing.T) (TokenCache, TokenCache) {
		c := NewMemoryTokenCache()
		return c, c
	})
}

func TestTokensRedis(t *testing.T) {
	storetest.EachRedis(t, func(t *testing.T, url string) {
		runTokenContract(t, func(t *testing.T) (TokenCache, TokenCache) {
			// Two clients, as two replicas have.
			client, prefix := storetest.MustRedisClientAt(t, url)
			other, err := session.OpenRedis(url, storetest.RedisTimeout)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			return NewRedisTokenCache(client, prefix), NewRedisTokenCache(other, prefix)
		})
	})
}

var tokenStart = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// tokenWorld is two token sources sharing one cache, on one fake WeChat
// and one clock.
type tokenWorld struct {
	f      *fakeAPI
	clock  *testclock.Fake
	a, b   *Tokens
	ca, cb TokenCache
}

func newTokenWorld(t *testing.T, caches newCaches) *tokenWorld {
	t.Helper()
	f := newFakeAPI(t)
	clock := testclock.NewFake(tokenStart)
	ca, cb := caches(t)
	client := newTestClient(f.URL)
	return &tokenWorld{f: f, clock: clock, ca: ca, cb: cb,
		a: NewTokens(client, ca, clock.Now), b: NewTokens(client, cb, clock.Now)}
}

// mustToken returns src's token or stops the test.
func mustToken(t *testing.T, src *Tokens) string {
	t.Helper()
	token, err := src.Token(t.Context())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return token
}

func mustRefresh(t *testing.T, src *Tokens, rejected string) string {
	t.Helper()
	token, err := src.Refresh(t.Context(), rejected)
	if err != nil {
		t.Fatalf("Refresh(%s): %v", rejected, err)
	}
	return token
}

// wantCalls checks how many times stable_token was called, and forced.
func (w *tokenWorld) wantCalls(t *testing.T, calls, forced int) {
	t.Helper()
	gotCalls, gotForced, _ := w.f.counts()
	if gotCalls != calls || gotForced != forced {
		t.Errorf("stable_token called %d times, %d forced; want %d, %d forced", gotCalls, gotForced, calls, forced)
	}
}

func wantToken(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("token = %q, want %q", got, want)
	}
}

// runTokenContract runs against Tokens on the caches newCaches returns the
// behaviour every TokenCache must give them.
func runTokenContract(t *testing.T, caches newCaches) {
	t.Run("FetchesOnceForBoth", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		wantToken(t, mustToken(t, w.a), "token-1")
		wantToken(t, mustToken(t, w.b), "token-1")
		wantToken(t, mustToken(t, w.a), "token-1")
		w.wantCalls(t, 1, 0)
	})

	t.Run("RefreshesBeforeExpiry", func(t *testing.T) {
		tests := []struct {
			name    string
			life    int           // expires_in, in seconds
			advance time.Duration // after the first fetch
			want    string
			calls   int
		}{
			{"WellBefore", 7200, time.Hour, "token-1", 1},
			{"JustBeforeMargin", 7200, 7200*time.Second - refreshBefore - time.Second, "token-1", 1},
			{"InMargin", 7200, 7200*time.Second - refreshBefore + time.Second, "token-2", 2},
			{"ShortLifeHalfway", 300, 149 * time.Second, "token-1", 1},
			{"ShortLifePastHalf", 300, 151 * time.Second, "token-2", 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				w := newTokenWorld(t, caches)
				w.f.setLife(tt.life)
				mustToken(t, w.a)
				w.clock.Advance(tt.advance)
				w.f.rollOver()
				wantToken(t, mustToken(t, w.a), tt.want)
				wantToken(t, mustToken(t, w.b), tt.want)
				w.wantCalls(t, tt.calls, 0)
			})
		}
	})

	t.Run("RefreshReplacesRejected", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		old := mustToken(t, w.a)
		w.f.forceElsewhere()
		wantToken(t, mustRefresh(t, w.a, old), "token-2")
		// The other replica, refused the same old token, finds the new one.
		wantToken(t, mustRefresh(t, w.b, old), "token-2")
		wantToken(t, mustToken(t, w.b), "token-2")
		w.wantCalls(t, 2, 0)
	})

	t.Run("RefreshForcesWhenHandedBackRejected", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		old := mustToken(t, w.a)
		wantToken(t, mustRefresh(t, w.a, old), "token-2")
		wantToken(t, mustRefresh(t, w.b, old), "token-2")
		w.wantCalls(t, 3, 1)
	})

	t.Run("KeepsTokenWhileWeChatFails", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		mustToken(t, w.a)
		w.f.failTokens(`{"errcode":-1,"errmsg":"system error rid: 3"}`)
		w.clock.Advance(7200*time.Second - time.Minute)
		wantToken(t, mustToken(t, w.a), "token-1")
		// A rejected token is never handed out again, however fresh.
		if token, err := w.a.Refresh(t.Context(), "token-1"); err == nil {
			t.Errorf("Refresh(token-1) = %q while WeChat fails, want an error", token)
		}
		w.clock.Advance(2 * time.Minute)
		token, err := w.b.Token(t.Context())
		if apiErr, ok := errors.AsType[*APIError](err); !ok || apiErr.Code != -1 || !errors.Is(err, ErrUpstream) {
			t.Errorf("Token after expiry = %q, %v; want the *APIError of errcode -1", token, err)
		}
	})

	t.Run("FetchError", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		w.f.failTokens(`{"errcode":40125,"errmsg":"invalid appsecret rid: 4"}`)
		_, err := w.a.Token(t.Context())
		if apiErr, ok := errors.AsType[*APIError](err); !ok || apiErr.Code != 40125 || apiErr.API != "stable_token" {
			t.Fatalf("Token error = %v, want the *APIError of stable_token's errcode 40125", err)
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Errorf("error %q reveals the secret", err)
		}
	})

	t.Run("ConcurrentCallersFetchOnce", func(t *testing.T) {
		t.Parallel()
		const callers = 16
		w := newTokenWorld(t, caches)
		seen := newSeenCallers(callers)
		a := NewTokens(newTestClient(w.f.URL), watchedCache{w.ca, seen}, w.clock.Now)
		b := NewTokens(newTestClient(w.f.URL), watchedCache{w.cb, seen}, w.clock.Now)
		release := w.f.hold()
		defer release()

		tokens := make([]string, callers)
		var wg sync.WaitGroup
		for i := range callers {
			src := a
			if i%2 == 1 {
				src = b
			}
			wg.Go(func() {
				ctx := context.WithValue(t.Context(), callerKey{}, i)
				var err error
				if tokens[i], err = src.Token(ctx); err != nil {
					t.Errorf("caller %d: Token: %v", i, err)
				}
			})
		}
		// Every caller has met the lock, one holding it while WeChat is
		// held, before WeChat answers.
		<-seen.all
		release()
		wg.Wait()
		for i, token := range tokens {
			if token != "token-1" {
				t.Errorf("caller %d got %q, want token-1", i, token)
			}
		}
		w.wantCalls(t, 1, 0)
	})

	t.Run("Lock", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		ctx := t.Context()
		unlockA := mustLock(t, w.ca)
		if _, ok, err := w.cb.TryLock(ctx); ok || err != nil {
			t.Fatalf("second TryLock = %v, %v; want false while the first holds", ok, err)
		}
		waited := make(chan error, 1)
		go func() { waited <- w.cb.Wait(ctx) }()
		unlockA()
		if err := <-waited; err != nil {
			t.Errorf("Wait after unlock: %v", err)
		}
		unlockB := mustLock(t, w.cb)
		unlockA() // A second unlock by the former holder must not free the lock.
		if _, ok, err := w.ca.TryLock(ctx); ok || err != nil {
			t.Errorf("TryLock after the former holder's second unlock = %v, %v; want false", ok, err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := w.ca.Wait(cancelled); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait with a cancelled context while the lock is held = %v, want context.Canceled", err)
		}
		unlockB()
		mustLock(t, w.ca)()
	})

	t.Run("LoadStore", func(t *testing.T) {
		t.Parallel()
		w := newTokenWorld(t, caches)
		ctx := t.Context()
		if _, err := w.ca.Load(ctx); !errors.Is(err, ErrNoToken) {
			t.Fatalf("Load of an empty cache = %v, want ErrNoToken", err)
		}
		want := CachedToken{Value: "v", Expires: tokenStart.Add(time.Hour), RefreshAt: tokenStart.Add(55 * time.Minute)}
		if err := w.ca.Store(ctx, want, time.Hour); err != nil {
			t.Fatal(err)
		}
		got, err := w.cb.Load(ctx)
		if err != nil || !got.Expires.Equal(want.Expires) || !got.RefreshAt.Equal(want.RefreshAt) || got.Value != want.Value {
			t.Errorf("Load = %+v, %v; want %+v", got, err, want)
		}
	})
}

func mustLock(t *testing.T, c TokenCache) func() {
	t.Helper()
	unlock, ok, err := c.TryLock(t.Context())
	if !ok || err != nil {
		t.Fatalf("TryLock = %v, %v; want the lock", ok, err)
	}
	return unlock
}

// callerKey marks a caller's context with its number.
type callerKey struct{}

// seenCallers records the callers that tried the lock, and closes all once
// every one has.
type seenCallers struct {
	mu   sync.Mutex // guards seen
	seen map[int]bool
	want int
	all  chan struct{}
}

func newSeenCallers(want int) *seenCallers {
	return &seenCallers{seen: map[int]bool{}, want: want, all: make(chan struct{})}
}

// watchedCache is a TokenCache that records who tries its lock.
type watchedCache struct {
	TokenCache
	seen *seenCallers
}

func (c watchedCache) TryLock(ctx context.Context) (func(), bool, error) {
	unlock, ok, err := c.TokenCache.TryLock(ctx)
	s := c.seen
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, marked := ctx.Value(callerKey{}).(int); marked && !s.seen[i] {
		s.seen[i] = true
		if len(s.seen) == s.want {
			close(s.all)
		}
	}
	return unlock, ok, err
}
