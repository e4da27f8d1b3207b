package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/store"
)

// StatusStore keeps the complaint platform's status callbacks on our
// tickets; store.TicketStore is one.
type StatusStore interface {
	RecordStatus(ctx context.Context, u store.StatusUpdate, by store.Actor) (store.StatusResult, error)
}

// StatusNotifier tells a ticket's owner that the platform moved it to a new
// status; the WeChat subscribe message is one way. It is called after the
// answer, once per callback that moved the ticket.
type StatusNotifier interface {
	StatusChanged(ctx context.Context, ticketNo, status, note string, at time.Time)
}

// notifyTimeout bounds telling the owner of a new status, which runs after
// the platform has its answer.
const notifyTimeout = 15 * time.Second

// statusCallback is the body of a status callback, the JSON of
// complaints.StatusCallback. Its time is read here rather than by the
// decoder, whose error would not name the field.
type statusCallback struct {
	TicketNo         string `json:"ticket_no"`
	PlatformTicketID string `json:"platform_ticket_id"`
	Seq              int64  `json:"seq"`
	Status           string `json:"status"`
	Note             string `json:"note"`
	At               string `json:"at"`
}

// statusAnswer is the answer to a callback accepted: whether it repeated
// one accepted before, and where the ticket stands after it.
type statusAnswer struct {
	Duplicate bool   `json:"duplicate"`
	Status    string `json:"status"`
	StatusSeq int64  `json:"status_seq"`
}

// recordStatus answers POST /v1/integrations/complaints/status: the
// platform reports a step of the closed loop of a ticket policybot filed.
// Callbacks arrive in any order: a higher seq moves the ticket, a lower one
// only joins its history, a repeat of the same body is accepted again and
// the same seq with another body is 409.
func (in Integrations) recordStatus(c *gin.Context) {
	var req statusCallback
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	number, ok := store.NormalizeTicketNumber(req.TicketNo)
	if !ok {
		_ = c.Error(invalid("ticket_no", "缺少或格式不正确的工单编号:应为 policybot 投递时给出的 TS 开头的编号"))
		return
	}
	if !store.ValidPlatformTicketID(req.PlatformTicketID) {
		_ = c.Error(invalid("platform_ticket_id", "缺少或格式不正确的平台工单编号"))
		return
	}
	if req.Seq < 1 {
		_ = c.Error(invalid("seq", "序号应为从1起的整数"))
		return
	}
	status, ok := store.PlatformStatus(req.Status)
	if !ok {
		_ = c.Error(invalid("status", "状态应为受理、转办、办理中、办结、回访或评价"))
		return
	}
	at, err := time.Parse(time.RFC3339, req.At)
	if err != nil {
		_ = c.Error(invalid("at", "时间应为 RFC 3339 格式,如 2026-01-15T09:30:00+08:00"))
		return
	}
	res, err := in.Status.RecordStatus(c.Request.Context(), store.StatusUpdate{
		Number: number, PlatformTicketID: req.PlatformTicketID, Seq: req.Seq, Status: status, Note: req.Note, Body: signedBody(c),
	}, integratorActor(c))
	if err != nil {
		_ = c.Error(statusError(err))
		return
	}
	c.JSON(http.StatusOK, statusAnswer{Duplicate: res.Duplicate, Status: res.Status.Label(), StatusSeq: res.Seq})
	// Only a callback that moved the ticket is news to its owner: not a
	// repeat, nor an older step that arrived late. It is told outside the
	// request, so that a slow WeChat never holds the platform's answer.
	if in.Notify != nil && !res.Duplicate && res.Seq == req.Seq {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), notifyTimeout)
		go func() {
			defer cancel()
			in.Notify.StatusChanged(ctx, number, status.Label(), req.Note, at)
		}()
	}
}

func statusError(err error) error {
	var se *store.Error
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &Error{Code: CodeNotFound, Message: "没有这个工单", Field: "ticket_no"}
	case !errors.As(err, &se):
		return err
	case errors.Is(se, store.ErrInvalid):
		return invalid(se.Field, se.Message)
	case se.Field == "seq":
		return &Error{Code: CodeConflict, Message: "该序号的回调已以不同的内容收到过:同一序号只能有一种内容", Field: se.Field}
	case se.Field == "platform_ticket_id":
		return &Error{Code: CodeConflict, Message: "平台工单编号与该工单投递时平台答复的不一致", Field: se.Field}
	}
	return err
}
