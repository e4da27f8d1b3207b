package api

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"policybot/dialogue"
	"policybot/wechat"
)

// ContentChecker tells whether a text that a user wrote may be taken in;
// *wechat.ContentCheck is one. CheckText returns an error wrapping
// wechat.ErrContentRejected for a text refused, and any other error when it
// could not decide.
type ContentChecker interface {
	CheckText(ctx context.Context, openid, text string) error
}

// checkContent refuses a chat message of a logged-in user that the content
// check rejects, with 422 content_rejected naming message, before anything
// of it is applied or stored. The check fails open: when it cannot decide
// (WeChat down, out of quota, slow past its deadline) the message is taken
// and the failure logged, since chat text is shown to no one but its own
// writer and chat must not stop with WeChat. Anonymous messages are not
// checked, since msgSecCheck needs the writer's openid; nor are messages
// that the chat refuses anyway (empty or too long), which cost no call.
func (s *Server) checkContent(ctx context.Context, openid, message string) error {
	if s.content == nil || openid == "" || strings.TrimSpace(message) == "" ||
		utf8.RuneCountInString(message) > dialogue.MaxMessageRunes {
		return nil
	}
	err := s.content.CheckText(ctx, openid, message)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wechat.ErrContentRejected):
		s.log.InfoContext(ctx, "chat message rejected by the content check", "err", err)
		return &Error{Code: CodeContentRejected, Message: "消息未通过内容安全检测,请修改后再发送", Field: "message"}
	}
	s.log.WarnContext(ctx, "content check failed; message taken unchecked", "err", err)
	return nil
}
