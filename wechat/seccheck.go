package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// ErrContentRejected is returned by CheckText when WeChat's content check
// does not pass a text: it suggests risky, or review, which WeChat asks to
// hold as well.
var ErrContentRejected = errors.New("wechat: content rejected by msgSecCheck")

// secCheckAPI names security.msgSecCheck in its *APIError.
const secCheckAPI = "msgSecCheck"

// secCheckScene is the scene msgSecCheck is told of: 2, comments, the
// nearest of its four (profile, comment, forum, social log) to a message
// typed into a chat.
const secCheckScene = 2

// ContentCheckTimeout bounds one check, refresh of the token included, so
// that a slow WeChat holds a chat turn up by no more than this.
const ContentCheckTimeout = 3 * time.Second

// ContentCheck checks what users write with WeChat's msgSecCheck, version
// 2 (POST /wxa/msg_sec_check), which a mini-program that takes users' text
// is required to call.
type ContentCheck struct {
	client *Client
	tokens *Tokens
}

// NewContentCheck returns a ContentCheck that calls WeChat with client and
// an access_token of tokens.
func NewContentCheck(client *Client, tokens *Tokens) *ContentCheck {
	return &ContentCheck{client: client, tokens: tokens}
}

type secCheckRequest struct {
	Content string `json:"content"`
	Version int    `json:"version"`
	Scene   int    `json:"scene"`
	OpenID  string `json:"openid"`
}

type secCheckResponse struct {
	errorBody
	TraceID string `json:"trace_id"`
	Result  struct {
		Suggest string `json:"suggest"`
		Label   int    `json:"label"`
	} `json:"result"`
}

// CheckText returns nil when WeChat passes text written by the user openid
// (who must have opened the mini-program within two hours, as a logged-in
// chat user has), and an error wrapping ErrContentRejected, with WeChat's
// label and trace id for the log, when it does not. Any other error says
// why no verdict could be had: WeChat failed (ErrUpstream, or an *APIError
// such as 40003 for an openid it does not know), no access_token could be
// had, or ContentCheckTimeout passed. An access_token that WeChat refuses
// is refreshed and the check made once more.
func (c *ContentCheck) CheckText(ctx context.Context, openid, text string) error {
	ctx, cancel := context.WithTimeout(ctx, ContentCheckTimeout)
	defer cancel()
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return fmt.Errorf("wechat: msgSecCheck: %w", err)
	}
	in := secCheckRequest{Content: text, Version: 2, Scene: secCheckScene, OpenID: openid}
	var out secCheckResponse
	err = c.client.postJSON(ctx, secCheckAPI, "/wxa/msg_sec_check", url.Values{"access_token": {token}}, in, &out)
	if apiErr, ok := errors.AsType[*APIError](err); ok && tokenRejected(apiErr.Code) {
		if token, err = c.tokens.Refresh(ctx, token); err != nil {
			return fmt.Errorf("wechat: msgSecCheck: %w", err)
		}
		out = secCheckResponse{}
		err = c.client.postJSON(ctx, secCheckAPI, "/wxa/msg_sec_check", url.Values{"access_token": {token}}, in, &out)
	}
	if err != nil {
		return err
	}
	switch out.Result.Suggest {
	case "pass":
		return nil
	case "risky", "review":
		return fmt.Errorf("%w: suggest %s, label %d, trace_id %s", ErrContentRejected, out.Result.Suggest, out.Result.Label, out.TraceID)
	}
	return fmt.Errorf("%w: msgSecCheck: answer without a known suggest (%q), trace_id %s", ErrUpstream, out.Result.Suggest, out.TraceID)
}
