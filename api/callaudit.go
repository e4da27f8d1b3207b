package api

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/gin-gonic/gin"

	"policybot/complaints/sign"
	"policybot/store"
)

// CallAuditor appends a row to the audit log; *store.DB is one.
type CallAuditor interface {
	AppendAudit(ctx context.Context, e store.AuditEntry) (store.AuditRecord, error)
}

// auditCalls records every call a verified integrator makes, whatever its
// answer (a repeat, a refusal of its body, 429): who, which route, from
// where, and the status and error code answered. What a call changed has
// rows of its own, written with the change. A call whose signature fails
// names nobody and is in the access log only.
func auditCalls(a CallAuditor, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		status, code := c.Writer.Status(), ""
		if len(c.Errors) > 0 && !c.Writer.Written() {
			// renderErrors, further out, has yet to write the error.
			e, _ := clientError(c.Errors.Last().Err)
			status, code = statusOf[e.Code], string(e.Code)
		}
		detail := strconv.Itoa(status)
		if code != "" {
			detail += " " + code
		}
		caller, _ := sign.FromContext(c.Request.Context())
		_, err := a.AppendAudit(context.WithoutCancel(c.Request.Context()), store.AuditEntry{
			Actor:  store.Actor{Username: "integrator:" + caller.Integrator, RemoteAddr: c.ClientIP()},
			Action: store.ActionIntegratorCall, Object: c.Request.Method + " " + c.FullPath(),
			Detail: "key " + caller.KeyID + ", " + detail,
		})
		if err != nil && log != nil {
			log.ErrorContext(c.Request.Context(), "audit: an integrator's call not recorded", "key_id", caller.KeyID, "path", c.FullPath(), "status", status, "err", err)
		}
	}
}
