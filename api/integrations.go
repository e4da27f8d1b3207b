package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/internal/ratelimit"
	"policybot/library"
	"policybot/store"
)

// InboundStore keeps the complaint platform's questions with the answers
// given, so that a question asked twice is answered and recorded once;
// store.TicketStore is one.
type InboundStore interface {
	InboundAnswer(ctx context.Context, platformTicketID, text string) (json.RawMessage, error)
	RecordInbound(ctx context.Context, q store.InboundQuestion, by store.Actor) (json.RawMessage, bool, error)
}

// Integrations are what the complaint platform's routes need: the
// signature check of its calls, the bound on each key's calls, where its
// questions and status callbacks are kept, and the library the advice is
// read from.
type Integrations struct {
	Verifier SignatureVerifier
	// Limiter counts each key's calls against Limit; nil bounds nothing.
	Limiter ratelimit.Limiter
	Limit   ratelimit.Limit
	Inbound InboundStore
	Status  StatusStore
	// Notify tells a ticket's owner of its new status; nil tells nobody.
	Notify StatusNotifier
	// Audit records every call of a verified integrator; nil records
	// only what the calls change.
	Audit   CallAuditor
	Log     *slog.Logger
	Library func() (*library.Library, func())
	Now     func() time.Time
	// MaxBody bounds a signed request's body.
	MaxBody int64
}

// maxComplaintRunes bounds the complaint text the platform forwards.
const maxComplaintRunes = 5000

// IntegrationRoutes returns the mount of the routes integrators call, for
// the internal listener (or the one listener when there is none).
func IntegrationRoutes(in Integrations) func(gin.IRouter) {
	return func(r gin.IRouter) {
		g := r.Group("/v1/integrations", SignedRequests(in.Verifier, in.MaxBody))
		if in.Audit != nil {
			g.Use(auditCalls(in.Audit, in.Log))
		}
		if in.Limiter != nil {
			g.Use(perKeyLimit(in.Limiter, in.Limit))
		}
		g.POST("/complaints", in.advise)
		g.POST("/complaints/status", in.recordStatus)
	}
}

// advise answers POST /v1/integrations/complaints: the clauses a forwarded
// complaint concerns, the benefits its facts match, the departments to
// forward it to and a reply to suggest. The same ticket and text get the
// same answer, recorded once; the same ticket with another text is 409.
func (in Integrations) advise(c *gin.Context) {
	var req complaints.AdviceRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	switch {
	case !store.ValidPlatformTicketID(req.TicketID):
		_ = c.Error(invalid("ticket_id", "缺少或格式不正确的工单编号"))
		return
	case strings.TrimSpace(req.Text) == "":
		_ = c.Error(invalid("text", "缺少投诉内容"))
		return
	case !utf8.ValidString(req.Text) || utf8.RuneCountInString(req.Text) > maxComplaintRunes:
		_ = c.Error(invalid("text", "投诉内容应为不超过5000字的文本"))
		return
	}
	ctx := c.Request.Context()
	answer, err := in.Inbound.InboundAnswer(ctx, req.TicketID, req.Text)
	switch {
	case err == nil:
		c.Data(http.StatusOK, "application/json; charset=utf-8", answer)
		return
	case errors.Is(err, store.ErrConflict):
		_ = c.Error(&Error{Code: CodeConflict, Message: "该工单已以不同的投诉内容提交过", Field: "text"})
		return
	case !errors.Is(err, store.ErrNotFound):
		_ = c.Error(err)
		return
	}
	lib, release := in.Library()
	defer release()
	advice, err := complaints.Advise(ctx, lib, req, in.Now())
	if err != nil {
		_ = c.Error(err)
		return
	}
	raw, err := json.Marshal(advice)
	if err != nil {
		_ = c.Error(err)
		return
	}
	kept, _, err := in.Inbound.RecordInbound(ctx, store.InboundQuestion{PlatformTicketID: req.TicketID, Text: req.Text, Answer: raw},
		integratorActor(c))
	if errors.Is(err, store.ErrConflict) {
		_ = c.Error(&Error{Code: CodeConflict, Message: "该工单已以不同的投诉内容提交过", Field: "text"})
		return
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", kept)
}

// integratorActor is who makes the changes of a verified call, as the audit
// log records them: the integrator that signed it, from the peer's address.
func integratorActor(c *gin.Context) store.Actor {
	caller, _ := sign.FromContext(c.Request.Context())
	return store.Actor{Username: "integrator:" + caller.Integrator, RemoteAddr: c.ClientIP()}
}
