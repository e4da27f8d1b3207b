package api

import (
	"math"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/complaints/sign"
	"policybot/internal/ratelimit"
)

// perKeyLimit returns the middleware that bounds the calls of each
// integrator key to limit, answering 429 with Retry-After beyond it. It
// runs after SignedRequests and counts the verified key id, so that calls
// that fail the signature check, which anyone can send naming any key id,
// never spend a real integrator's budget.
func perKeyLimit(l ratelimit.Limiter, limit ratelimit.Limit) gin.HandlerFunc {
	return func(c *gin.Context) {
		caller, _ := sign.FromContext(c.Request.Context())
		d, err := l.Allow(c.Request.Context(), "integrator:"+caller.KeyID, limit)
		if err != nil {
			_ = c.Error(err)
			c.Abort()
			return
		}
		if !d.Allowed {
			c.Header("Retry-After", strconv.Itoa(retryAfterSeconds(d.RetryAfter)))
			_ = c.Error(&Error{Code: CodeRateLimited, Message: "该密钥的请求过于频繁,请按响应头 Retry-After 的秒数稍后再试"})
			c.Abort()
			return
		}
		c.Next()
	}
}

// retryAfterSeconds is a wait as Retry-After says it: whole seconds,
// rounded up, so that a client waiting that long finds its call allowed.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
