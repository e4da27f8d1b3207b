package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"policybot/dialogue"
	"policybot/session"
	"policybot/wechat"
)

// Chatter runs one chat turn.
type Chatter interface {
	Turn(ctx context.Context, in dialogue.Input) (*dialogue.Reply, error)
}

// Authenticator logs mini-program users in and tells who holds a token.
type Authenticator interface {
	Login(ctx context.Context, code string) (string, error)
	Resolve(ctx context.Context, token string) (string, error)
}

type chatRequest struct {
	SessionID string `json:"session_id"`
	Message   string `json:"message"`
	// AsOf is the date to judge on, YYYY-MM-DD; it holds for the session
	// until changed.
	AsOf string `json:"as_of"`
}

// POST /v1/chat takes one message of a conversation and answers with what it
// settled, the clauses it rests on and the next question, if any.
func (s *Server) chatTurn(c *gin.Context) {
	if s.chat == nil {
		_ = c.Error(&Error{Code: CodeUnavailable, Message: "聊天服务未启用"})
		return
	}
	owner, err := s.caller(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	var req chatRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	in := dialogue.Input{Owner: owner, SessionID: req.SessionID, Message: req.Message}
	if req.AsOf != "" {
		t, err := parseAsOf(req.AsOf)
		if err != nil {
			_ = c.Error(err)
			return
		}
		in.AsOf = t
	}
	reply, err := s.chat.Turn(c.Request.Context(), in)
	if err != nil {
		_ = c.Error(chatError(err))
		return
	}
	c.JSON(http.StatusOK, reply)
}

// caller returns the openid of the bearer token, or "" for anonymous chat
// when that is allowed.
func (s *Server) caller(c *gin.Context) (string, error) {
	h := c.GetHeader("Authorization")
	if h == "" {
		if s.cfg.AnonymousChat {
			return "", nil
		}
		return "", &Error{Code: CodeUnauthorized, Message: "请先登录", Field: "Authorization"}
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || s.auth == nil {
		return "", &Error{Code: CodeUnauthorized, Message: "登录凭证无效,请重新登录", Field: "Authorization"}
	}
	openid, err := s.auth.Resolve(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		return "", authError(err)
	}
	return openid, nil
}

func chatError(err error) error {
	var ie *dialogue.InputError
	switch {
	case errors.As(err, &ie):
		return invalid(ie.Field, ie.Message)
	case errors.Is(err, dialogue.ErrForbidden):
		return &Error{Code: CodeForbidden, Message: "该会话属于其他用户", Field: "session_id"}
	case errors.Is(err, session.ErrUnavailable):
		return &Error{Code: CodeUnavailable, Message: "会话存储暂时不可用,请稍后再试"}
	}
	return err
}

type loginRequest struct {
	Code string `json:"code"`
}

// POST /v1/auth/wechat/login exchanges the code of wx.login for our own
// opaque token; WeChat's session_key never leaves the server.
func (s *Server) wechatLogin(c *gin.Context) {
	if s.auth == nil {
		_ = c.Error(&Error{Code: CodeUnavailable, Message: "微信登录未配置"})
		return
	}
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	if strings.TrimSpace(req.Code) == "" {
		_ = c.Error(invalid("code", "缺少 wx.login 返回的 code"))
		return
	}
	token, err := s.auth.Login(c.Request.Context(), req.Code)
	if err != nil {
		_ = c.Error(authError(err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "token_type": "Bearer"})
}

func authError(err error) error {
	switch {
	case errors.Is(err, wechat.ErrInvalidCode):
		return invalid("code", "登录code无效或已过期,请重新调用wx.login")
	case errors.Is(err, wechat.ErrRateLimited):
		return &Error{Code: CodeRateLimited, Message: "登录过于频繁,请稍后再试"}
	case errors.Is(err, wechat.ErrHighRisk):
		return &Error{Code: CodeForbidden, Message: "微信判定该用户存在风险,暂不能登录"}
	case errors.Is(err, wechat.ErrUpstream):
		return &Error{Code: CodeUpstream, Message: "微信服务暂时不可用,请稍后再试"}
	case errors.Is(err, wechat.ErrUnauthorized):
		return &Error{Code: CodeUnauthorized, Message: "登录凭证无效或已过期,请重新登录", Field: "Authorization"}
	case errors.Is(err, session.ErrUnavailable):
		return &Error{Code: CodeUnavailable, Message: "登录服务暂时不可用,请稍后再试"}
	}
	return err
}
