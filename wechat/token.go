package wechat

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoToken is returned by a TokenCache's Load when no token is cached.
var ErrNoToken = errors.New("wechat: no access_token cached")

// refreshBefore is how long before its expiry a token is replaced. WeChat's
// stable_token hands out a new token in the last 5 minutes of the old one and
// honours both meanwhile, so a refresh then is seamless.
const refreshBefore = 5 * time.Minute

// CachedToken is an access_token with the times that govern its use.
type CachedToken struct {
	Value   string    `json:"value"`
	Expires time.Time `json:"expires"`
	// RefreshAt is when callers stop handing the token out and fetch the
	// next one; the token still works until Expires.
	RefreshAt time.Time `json:"refresh_at"`
}

// TokenCache is where Tokens keeps the access_token and the lock that lets
// one caller at a time fetch it. MemoryTokenCache serves one process;
// RedisTokenCache is shared by every replica.
type TokenCache interface {
	// Load returns the cached token, expired or not, or ErrNoToken.
	Load(ctx context.Context) (CachedToken, error)
	// Store caches t for ttl, replacing any other.
	Store(ctx context.Context, t CachedToken, ttl time.Duration) error
	// TryLock takes the lock of fetching if nobody holds it, without
	// waiting; ok is false when another holds it. unlock releases the lock
	// only while this caller still holds it, and may be called more than
	// once.
	TryLock(ctx context.Context) (unlock func(), ok bool, err error)
	// Wait returns when the lock's holder may have stored a token, or
	// ctx's error when ctx ends first.
	Wait(ctx context.Context) error
}

// Tokens hands out the mini-program's access_token, fetched with the
// stable_token API and kept in a TokenCache, so that however many callers
// and replicas share the cache, one of them calls WeChat while the others
// wait and read what it stored.
//
// stable_token is chosen over the older token API because several replicas
// can ask it without harming each other: in its normal mode it returns the
// token in force rather than invalidating it, so a replica that fetches
// anyway (its lock lapsed) costs a call, not an outage.
type Tokens struct {
	client *Client
	cache  TokenCache
	now    func() time.Time
}

// NewTokens returns Tokens that fetch with client, keep the token in cache
// and tell its age by now (usually time.Now).
func NewTokens(client *Client, cache TokenCache, now func() time.Time) *Tokens {
	return &Tokens{client: client, cache: cache, now: now}
}

// Token returns an access_token with at least its refresh margin left,
// fetching one when the cache has none. When WeChat cannot give a new one,
// or another caller is still fetching at ctx's end, the cached token is
// returned as long as it has not expired.
func (t *Tokens) Token(ctx context.Context) (string, error) {
	return t.get(ctx, "")
}

// Refresh returns a token other than rejected, which WeChat refused as
// invalid or expired (errcode 40001, 42001 or 40014): the one another caller
// fetched meanwhile, or a new one. When stable_token hands back rejected
// itself, WeChat's own record of the token disagrees with the API that
// refused it, and only a forced refresh (limited to 20 a day) replaces it.
func (t *Tokens) Refresh(ctx context.Context, rejected string) (string, error) {
	if rejected == "" {
		return "", errors.New("wechat: refresh: no rejected token named")
	}
	return t.get(ctx, rejected)
}

// get returns a token that serves (see serves), fetching one under the
// cache's lock when the cache holds none.
func (t *Tokens) get(ctx context.Context, rejected string) (string, error) {
	for {
		cur, err := t.cache.Load(ctx)
		switch {
		case err == nil && t.serves(cur, rejected):
			return cur.Value, nil
		case err != nil && !errors.Is(err, ErrNoToken):
			return "", fmt.Errorf("wechat: access_token: %w", err)
		}
		unlock, ok, err := t.cache.TryLock(ctx)
		if err != nil {
			return "", fmt.Errorf("wechat: access_token: %w", err)
		}
		if ok {
			value, err := t.fetch(ctx, rejected)
			unlock()
			return value, err
		}
		if err := t.cache.Wait(ctx); err != nil {
			return t.lastResort(cur, rejected, fmt.Errorf("wechat: access_token: waiting for another caller's fetch: %w", err))
		}
	}
}

// serves reports whether c may be handed out: for Token (rejected empty)
// until its refresh time, for Refresh until it expires unless it is the
// rejected one.
func (t *Tokens) serves(c CachedToken, rejected string) bool {
	if rejected == "" {
		return t.now().Before(c.RefreshAt)
	}
	return c.Value != rejected && t.now().Before(c.Expires)
}

// lastResort returns c for Token when no newer token came but c has not
// expired, so that a slow or failing WeChat costs nothing until it must;
// otherwise it returns err.
func (t *Tokens) lastResort(c CachedToken, rejected string, err error) (string, error) {
	if rejected == "" && c.Value != "" && t.now().Before(c.Expires) {
		return c.Value, nil
	}
	return "", err
}

// fetch asks WeChat for a token while holding the lock, unless another
// caller stored one that serves between get's Load and its lock.
func (t *Tokens) fetch(ctx context.Context, rejected string) (string, error) {
	cur, err := t.cache.Load(ctx)
	switch {
	case err == nil && t.serves(cur, rejected):
		return cur.Value, nil
	case err != nil && !errors.Is(err, ErrNoToken):
		return "", fmt.Errorf("wechat: access_token: %w", err)
	}
	value, life, err := t.client.StableToken(ctx, false)
	if err == nil && value == rejected {
		value, life, err = t.client.StableToken(ctx, true)
	}
	if err != nil {
		return t.lastResort(cur, rejected, err)
	}
	now := t.now()
	// A token that could not be shared still works: the next caller meets
	// the cache's failure in its own Load.
	_ = t.cache.Store(ctx, CachedToken{Value: value, Expires: now.Add(life), RefreshAt: now.Add(life - min(refreshBefore, life/2))}, life)
	return value, nil
}

// stableTokenRequest is the body of POST /cgi-bin/stable_token.
type stableTokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

type stableTokenResponse struct {
	errorBody
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// StableToken asks WeChat for the mini-program's access_token (POST
// /cgi-bin/stable_token) and returns it with its lifetime. Without force it
// returns the token in force, or its successor in the token's last 5
// minutes; force invalidates the token in force at once, and WeChat allows
// it 20 times a day, 30 seconds apart. Errors are those of an API call:
// *APIError or wrapping ErrUpstream.
func (c *Client) StableToken(ctx context.Context, force bool) (string, time.Duration, error) {
	var out stableTokenResponse
	in := stableTokenRequest{GrantType: "client_credential", AppID: c.AppID, Secret: c.Secret, ForceRefresh: force}
	if err := c.postJSON(ctx, "stable_token", "/cgi-bin/stable_token", nil, in, &out); err != nil {
		return "", 0, err
	}
	if out.AccessToken == "" || out.ExpiresIn <= 0 {
		return "", 0, fmt.Errorf("%w: stable_token: answer without access_token or expires_in", ErrUpstream)
	}
	return out.AccessToken, time.Duration(out.ExpiresIn) * time.Second, nil
}
