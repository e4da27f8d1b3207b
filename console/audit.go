package console

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/store"
)

type auditPage struct {
	page
	Month   string
	Records []store.AuditRecord
}

// month reads ?month=2026-12, the current month when absent.
func (c *Console) month(ctx *gin.Context) (time.Time, bool) {
	m := ctx.Query("month")
	if m == "" {
		now := c.deps.Now().In(time.Local)
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local), true
	}
	t, err := time.ParseInLocation("2006-01", m, time.Local)
	if err != nil {
		c.refuse(ctx, http.StatusBadRequest, "月份应为 2026-12 的形式")
		return time.Time{}, false
	}
	return t, true
}

func (c *Console) auditPage(ctx *gin.Context) {
	m, ok := c.month(ctx)
	if !ok {
		return
	}
	records, err := c.deps.Store.AuditMonth(ctx.Request.Context(), m)
	if err != nil {
		c.fail(ctx, err)
		return
	}
	lib, done := c.deps.Library()
	defer done()
	c.render(ctx, http.StatusOK, "audit", auditPage{page: c.page(ctx, "审计日志", lib.LibraryVersion()), Month: m.Format("2006-01"), Records: records})
}

// auditCSV exports a month of the audit log; the export is itself logged.
func (c *Console) auditCSV(ctx *gin.Context) {
	m, ok := c.month(ctx)
	if !ok {
		return
	}
	records, err := c.deps.Store.AuditMonth(ctx.Request.Context(), m)
	if err == nil {
		_, err = c.deps.Store.AppendAudit(ctx.Request.Context(), store.AuditEntry{Actor: actor(ctx), Action: store.ActionExported, Object: "audit/" + m.Format("2006-01")})
	}
	if err != nil {
		c.fail(ctx, err)
		return
	}
	ctx.Header("Content-Type", "text/csv; charset=utf-8")
	ctx.Header("Content-Disposition", `attachment; filename="audit-`+m.Format("2006-01")+`.csv"`)
	if err := store.WriteAuditCSV(ctx.Writer, records, time.Local); err != nil {
		c.deps.Log.Error("audit export", "err", err)
	}
}
