package api

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/complaints/sign"
	"policybot/internal/ratelimit"
)

// Limits bound what each client may ask of the public API. A Limit whose
// Rate is 0 is off, and so are all of them without a Deps.Limiter.
type Limits struct {
	// Address bounds the requests of each client address to the public
	// API; an IPv6 client counts by its /64, which one host commonly
	// holds whole.
	Address ratelimit.Limit
	// Login bounds each address's logins, counted before WeChat is asked.
	Login ratelimit.Limit
	// User bounds the chat turns of each logged-in WeChat user.
	User ratelimit.Limit
	// Exempt lists the networks whose clients none of these limits apply
	// to, such as loopback for local scoring and load tests.
	Exempt []netip.Prefix
}

// The messages of a refusal, by what was limited.
const (
	addressLimited = "请求过于频繁,请按响应头 Retry-After 的秒数稍后再试"
	loginLimited   = "登录过于频繁,请按响应头 Retry-After 的秒数稍后再试"
	userLimited    = "您的消息过于频繁,请按响应头 Retry-After 的秒数稍后再试"
)

// limitAddress returns the middleware that bounds each client address to
// l under scope, before anything else of the request is done; it passes
// everything when l is off.
func (s *Server) limitAddress(scope string, l ratelimit.Limit, message string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.limiter == nil || l.Rate == 0 {
			c.Next()
			return
		}
		key, exempt := s.clientKey(c)
		if exempt || allow(c, s.limiter, scope+":"+key, l, message) {
			c.Next()
		}
	}
}

// allowUser counts one chat turn of the WeChat user openid and reports
// whether it may go on; when not, the request has its 429. Anonymous
// callers, who have no openid, are bounded by their address alone.
func (s *Server) allowUser(c *gin.Context, openid string) bool {
	l := s.cfg.Limits.User
	if s.limiter == nil || l.Rate == 0 || openid == "" {
		return true
	}
	if _, exempt := s.clientKey(c); exempt {
		return true
	}
	// The key holds a hash of the openid, so that Redis's key listing is
	// no list of users.
	sum := sha256.Sum256([]byte(openid))
	return allow(c, s.limiter, "user:"+hex.EncodeToString(sum[:16]), l, userLimited)
}

// clientKey returns the client's address as the limits count it, and
// whether it is exempt from them. The address is the peer's unless the peer
// is a trusted proxy, when it is the one X-Forwarded-For names (gin reads
// the header from the right, past the trusted proxies).
func (s *Server) clientKey(c *gin.Context) (key string, exempt bool) {
	ip := c.ClientIP()
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		// Not reached over TCP, whose peer is always an address; such a
		// client is still counted, under what it is.
		return ip, false
	}
	addr = addr.Unmap().WithZone("")
	for _, p := range s.cfg.Limits.Exempt {
		if p.Contains(addr) {
			return "", true
		}
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String(), false
	}
	return addr.String(), false
}

// perKeyLimit returns the middleware that bounds the calls of each
// integrator key to limit, answering 429 with Retry-After beyond it. It
// runs after SignedRequests and counts the verified key id, so that calls
// that fail the signature check, which anyone can send naming any key id,
// never spend a real integrator's budget.
func perKeyLimit(l ratelimit.Limiter, limit ratelimit.Limit) gin.HandlerFunc {
	return func(c *gin.Context) {
		caller, _ := sign.FromContext(c.Request.Context())
		if allow(c, l, "integrator:"+caller.KeyID, limit, "该密钥的请求过于频繁,请按响应头 Retry-After 的秒数稍后再试") {
			c.Next()
		}
	}
}

// allow counts one event of key under limit and reports whether the
// request may go on; when not, it has aborted the request with a 429 and
// Retry-After, or with the limiter's error.
func allow(c *gin.Context, l ratelimit.Limiter, key string, limit ratelimit.Limit, message string) bool {
	d, err := l.Allow(c.Request.Context(), key, limit)
	if err != nil {
		_ = c.Error(err)
		c.Abort()
		return false
	}
	if !d.Allowed {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds(d.RetryAfter)))
		_ = c.Error(&Error{Code: CodeRateLimited, Message: message})
		c.Abort()
		return false
	}
	return true
}

// retryAfterSeconds is a wait as Retry-After says it: whole seconds,
// rounded up, so that a client waiting that long finds its call allowed.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
