// Package wechat is the server side of a WeChat mini-program. For login it
// exchanges the one-time code from wx.login for the user's openid, and
// issues and resolves our own opaque tokens, so that WeChat's session_key
// never leaves the server (it is not even kept). For notices it keeps the app's access_token, shared by
// the replicas, counts the subscriptions users accept, and tells them of
// their complaints' progress by subscribe messages.
package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Errors returned by Code2Session, wrapped with details for logs; callers
// branch on them with errors.Is.
var (
	// ErrInvalidCode is returned for a malformed, expired or already used
	// code (errcode 40029).
	ErrInvalidCode = errors.New("wechat: invalid code")
	// ErrRateLimited is returned when WeChat refuses because the user logged
	// in too often (errcode 45011: 100 per user per minute).
	ErrRateLimited = errors.New("wechat: rate limited")
	// ErrHighRisk is returned when WeChat blocks the user as high-risk
	// (errcode 40226).
	ErrHighRisk = errors.New("wechat: high-risk user")
	// ErrUpstream is returned for any other failure of WeChat or of the
	// connection to it.
	ErrUpstream = errors.New("wechat: upstream failure")
)

// DefaultBaseURL is the WeChat API that NewClient talks to.
const DefaultBaseURL = "https://api.weixin.qq.com"

// maxCodeLen bounds the codes that Code2Session sends on. Real codes are 32
// characters; the bound leaves room for a format change, not for abuse.
const maxCodeLen = 128

// maxBodySize bounds how much of a WeChat answer is read: real ones are a few
// hundred bytes.
const maxBodySize = 64 << 10

// Client calls the WeChat server API for one mini-program. Its fields must not
// change once it is in use.
type Client struct {
	BaseURL string // Without a trailing slash; tests point it at a fake server.
	AppID   string
	Secret  string // Never logged, and kept out of errors.
	HTTP    *http.Client
}

// NewClient returns a Client of DefaultBaseURL whose requests time out after
// 10 seconds.
func NewClient(appID, secret string) *Client {
	return &Client{
		BaseURL: DefaultBaseURL,
		AppID:   appID,
		Secret:  secret,
		HTTP:    &http.Client{Timeout: 10 * time.Second},
	}
}

// Session is what WeChat knows of a user who logged in. UnionID is empty
// unless the mini-program is bound to an Open Platform account. WeChat's
// session_key is left out: nothing of ours uses it, so it is dropped as soon
// as the answer is read.
type Session struct {
	OpenID  string
	UnionID string
}

// code2SessionResponse is the body of jscode2session, on success and failure alike.
type code2SessionResponse struct {
	OpenID     string `json:"openid"`
	UnionID    string `json:"unionid"`
	SessionKey string `json:"session_key"`
	ErrCode    int    `json:"errcode"`
	ErrMsg     string `json:"errmsg"`
}

// Code2Session exchanges the code that the mini-program got from wx.login for
// the user's Session (GET /sns/jscode2session). It returns ErrInvalidCode
// without calling WeChat when code cannot be one.
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	if !validCode(code) {
		return Session{}, fmt.Errorf("%w: code2session: malformed code", ErrInvalidCode)
	}
	q := url.Values{
		"appid":      {c.AppID},
		"secret":     {c.Secret},
		"js_code":    {code},
		"grant_type": {"authorization_code"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/sns/jscode2session?"+q.Encode(), nil)
	if err != nil {
		return Session{}, upstream("build request", redactURL(err))
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return Session{}, upstream("send request", redactURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Session{}, upstream(fmt.Sprintf("HTTP status %d", resp.StatusCode), nil)
	}
	var body code2SessionResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBodySize)).Decode(&body); err != nil {
		return Session{}, upstream("decode answer", err)
	}

	var reason error
	switch body.ErrCode {
	case 0:
		if body.OpenID == "" || body.SessionKey == "" {
			return Session{}, upstream("answer without openid or session_key", nil)
		}
		return Session{OpenID: body.OpenID, UnionID: body.UnionID}, nil
	case 40029:
		reason = ErrInvalidCode
	case 45011:
		reason = ErrRateLimited
	case 40226:
		reason = ErrHighRisk
	default:
		reason = ErrUpstream
	}
	// errmsg carries WeChat's request id (rid), which its support asks for.
	return Session{}, fmt.Errorf("%w: code2session: errcode %d (%s)", reason, body.ErrCode, body.ErrMsg)
}

// validCode reports whether code looks like a wx.login code: short, and
// letters, digits, '-' and '_' only, so nothing odd reaches WeChat or our logs.
func validCode(code string) bool {
	if code == "" || len(code) > maxCodeLen {
		return false
	}
	for _, r := range code {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// upstream wraps ErrUpstream, for callers to branch on, and err, if any, for
// their logs.
func upstream(what string, err error) error {
	if err == nil {
		return fmt.Errorf("%w: code2session: %s", ErrUpstream, what)
	}
	return fmt.Errorf("%w: code2session: %s: %w", ErrUpstream, what, err)
}

// redactURL drops the request URL, which holds the secret, from the errors of
// net/http: a *url.Error prints it in full.
func redactURL(err error) error {
	if uerr, ok := errors.AsType[*url.Error](err); ok {
		return fmt.Errorf("%s: %w", strings.ToLower(uerr.Op), uerr.Err)
	}
	return err
}
