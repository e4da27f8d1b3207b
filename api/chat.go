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

// Authenticator logs mini-program users in, tells who holds a token, and
// revokes a token.
type Authenticator interface {
	Login(ctx context.Context, code string) (string, error)
	Resolve(ctx context.Context, token string) (string, error)
	Logout(ctx context.Context, token string) error
}

type chatRequest struct {
	SessionID string `json:"session_id"`
	Message   string `json:"message"`
	// AsOf is the date to judge on, YYYY-MM-DD; it holds for the session
	// until changed.
	AsOf string `json:"as_of"`
	// IdempotencyKey is the Idempotency-Key header's key, for clients that
	// cannot set headers; nil when absent.
	IdempotencyKey *string `json:"idempotency_key"`
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
	if !s.allowUser(c, owner) {
		return
	}
	var req chatRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	key, err := idempotencyKey(c.Request.Header, req.IdempotencyKey)
	if err != nil {
		_ = c.Error(err)
		return
	}
	in := dialogue.Input{Owner: owner, SessionID: req.SessionID, Message: req.Message, IdempotencyKey: key}
	if req.AsOf != "" {
		t, err := parseAsOf(req.AsOf)
		if err != nil {
			_ = c.Error(err)
			return
		}
		in.AsOf = t
	}
	if err := s.checkContent(c.Request.Context(), owner, req.Message); err != nil {
		_ = c.Error(err)
		return
	}
	reply, err := s.chat.Turn(c.Request.Context(), in)
	if err != nil {
		if errors.Is(err, session.ErrUnavailable) && c.Request.Context().Err() == nil {
			// The client is told only that the store is unavailable;
			// the log says why, unless the client went away first.
			s.log.WarnContext(c.Request.Context(), "chat session store unavailable", "err", err)
		}
		_ = c.Error(chatError(err))
		return
	}
	if reply.Replayed {
		c.Header("Idempotent-Replayed", "true")
	} else if s.metrics != nil {
		// A replay answers a turn already counted.
		s.metrics.ChatTurn(reply.Intent)
	}
	writeJSON(c, http.StatusOK, reply)
}

// idempotencyKey returns the key of the Idempotency-Key header or of the
// idempotency_key field, which must agree when both are given; "" when
// neither is. The header's value is a Structured Field String ("…") as the
// IETF draft has it, or the bare key as most clients send it. The key's
// length and characters are checked by dialogue.
func idempotencyKey(h http.Header, field *string) (string, error) {
	values := h.Values("Idempotency-Key")
	if len(values) > 1 {
		return "", invalid("idempotency_key", "Idempotency-Key 请求头只能有一个")
	}
	key, given := "", false
	if len(values) == 1 {
		var ok bool
		if key, ok = unquoteSFString(values[0]); !ok {
			return "", invalid("idempotency_key", "Idempotency-Key 请求头应为一个字符串")
		}
		given = true
	}
	if field != nil {
		if given && *field != key {
			return "", invalid("idempotency_key", "idempotency_key 与 Idempotency-Key 请求头不一致")
		}
		key, given = *field, true
	}
	if given && key == "" {
		return "", invalid("idempotency_key", "幂等键不能为空")
	}
	return key, nil
}

// unquoteSFString returns the string of a Structured Field String (RFC 9651
// §3.3.3), or v itself when it does not start with a quote; ok is false for
// a quoted value that is not one such string alone.
func unquoteSFString(v string) (s string, ok bool) {
	if !strings.HasPrefix(v, `"`) {
		return v, true
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			if i != len(v)-1 {
				return "", false // parameters, or more after the string
			}
			return b.String(), true
		case c == '\\':
			if i++; i == len(v) || (v[i] != '"' && v[i] != '\\') {
				return "", false
			}
			b.WriteByte(v[i])
		case c < 0x20 || c > 0x7e:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return "", false // no closing quote
}

// caller returns the openid of the bearer token, or "" for anonymous chat
// when that is allowed.
func (s *Server) caller(c *gin.Context) (string, error) {
	if c.GetHeader("Authorization") == "" && s.cfg.AnonymousChat {
		return "", nil
	}
	token, err := bearerToken(c)
	if err != nil {
		return "", err
	}
	if s.auth == nil {
		return "", &Error{Code: CodeUnauthorized, Message: "登录凭证无效,请重新登录", Field: "Authorization"}
	}
	openid, err := s.auth.Resolve(c.Request.Context(), token)
	if err != nil {
		return "", authError(err)
	}
	return openid, nil
}

// bearerToken returns the token of the Authorization header.
func bearerToken(c *gin.Context) (string, error) {
	h := c.GetHeader("Authorization")
	if h == "" {
		return "", &Error{Code: CodeUnauthorized, Message: "请先登录", Field: "Authorization"}
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return "", &Error{Code: CodeUnauthorized, Message: "登录凭证无效,请重新登录", Field: "Authorization"}
	}
	return strings.TrimSpace(token), nil
}

func chatError(err error) error {
	var ie *dialogue.InputError
	switch {
	case errors.As(err, &ie):
		return invalid(ie.Field, ie.Message)
	case errors.Is(err, dialogue.ErrForbidden):
		return &Error{Code: CodeForbidden, Message: "该会话属于其他用户", Field: "session_id"}
	case errors.Is(err, dialogue.ErrKeyReused):
		return &Error{Code: CodeUnprocessable, Message: "该幂等键已用于另一条消息;新消息请使用新的幂等键", Field: "idempotency_key"}
	case errors.Is(err, dialogue.ErrReplayGone):
		return &Error{Code: CodeConflict, Message: "该幂等键的消息已处理过,但其答复已不再保存;新消息请使用新的幂等键", Field: "idempotency_key"}
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
		// WeChat's quota is by the minute; its refusal says no more.
		if errors.Is(err, wechat.ErrRateLimited) {
			c.Header("Retry-After", "60")
		}
		_ = c.Error(authError(err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "token_type": "Bearer"})
}

// POST /v1/auth/logout revokes the bearer token on every replica. It
// answers 204 for a token that was already unknown too, so that a retried
// logout whose first answer was lost succeeds.
func (s *Server) logout(c *gin.Context) {
	if s.auth == nil {
		_ = c.Error(&Error{Code: CodeUnavailable, Message: "微信登录未配置"})
		return
	}
	token, err := bearerToken(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if err := s.auth.Logout(c.Request.Context(), token); err != nil {
		_ = c.Error(authError(err))
		return
	}
	c.Status(http.StatusNoContent)
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
