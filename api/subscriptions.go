package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"policybot/session"
	"policybot/wechat"
)

// SubscriptionKeeper records the one-time subscriptions users accept, and
// returns how many messages of the template the user may now be sent;
// *wechat.Subscriptions is one.
type SubscriptionKeeper interface {
	Accept(ctx context.Context, openID, templateID string) (int, error)
}

type subscriptionRequest struct {
	TemplateID string `json:"template_id"`
}

// SubscriptionRoutes returns the mount of POST /v1/wechat/subscriptions,
// a route of the mini-program's, like the chat, that keeps acceptances in
// k.
func (s *Server) SubscriptionRoutes(k SubscriptionKeeper) func(gin.IRouter) {
	return func(r gin.IRouter) {
		r.POST("/v1/wechat/subscriptions", s.limitAddress("addr", s.cfg.Limits.Address, addressLimited), s.acceptSubscription(k))
	}
}

// POST /v1/wechat/subscriptions records that the logged-in user accepted a
// subscribe-message template once in wx.requestSubscribeMessage, which lets
// the service send them one message of it, such as their complaint's
// progress.
func (s *Server) acceptSubscription(k SubscriptionKeeper) gin.HandlerFunc {
	return func(c *gin.Context) {
		openID, err := s.caller(c)
		if err != nil {
			_ = c.Error(err)
			return
		}
		// Anonymous chat leaves the caller unknown, and a message needs
		// a user to go to.
		if openID == "" {
			_ = c.Error(&Error{Code: CodeUnauthorized, Message: "请先登录", Field: "Authorization"})
			return
		}
		var req subscriptionRequest
		if err := decodeJSON(c, &req); err != nil {
			_ = c.Error(err)
			return
		}
		if strings.TrimSpace(req.TemplateID) == "" {
			_ = c.Error(invalid("template_id", "缺少订阅消息模板ID"))
			return
		}
		credits, err := k.Accept(c.Request.Context(), openID, req.TemplateID)
		switch {
		case errors.Is(err, wechat.ErrUnknownTemplate):
			_ = c.Error(invalid("template_id", "不是本服务发送的订阅消息模板"))
			return
		case errors.Is(err, session.ErrUnavailable):
			_ = c.Error(&Error{Code: CodeUnavailable, Message: "订阅记录暂时不可用,请稍后再试"})
			return
		case err != nil:
			_ = c.Error(err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"template_id": req.TemplateID, "credits": credits})
	}
}
