package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// APIError is returned when WeChat answers a server API call with a non-zero
// errcode. It wraps ErrUpstream, so that callers that only tell WeChat's
// failures from ours need not know the codes.
type APIError struct {
	API  string // The call, such as "stable_token".
	Code int    // WeChat's errcode.
	// Msg is WeChat's errmsg, which carries the request id (rid) its
	// support asks for.
	Msg string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wechat: %s: errcode %d (%s)", e.API, e.Code, e.Msg)
}

// Unwrap returns ErrUpstream.
func (e *APIError) Unwrap() error { return ErrUpstream }

// errorBody is the part of every WeChat answer that tells failure.
type errorBody struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// postJSON posts in as JSON to path with query, and decodes the answer into
// out, which must embed errorBody. A transport failure, a status other than
// 200 or an answer that is not JSON wraps ErrUpstream; a non-zero errcode is
// an *APIError. Errors never hold the URL or the body, which carry the
// secret or the access_token.
func (c *Client) postJSON(ctx context.Context, api, path string, query url.Values, in any, out interface{ errorCode() errorBody }) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("wechat: %s: encode request: %w", api, err)
	}
	target := c.BaseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %s: build request: %w", ErrUpstream, api, redactURL(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s: send request: %w", ErrUpstream, api, redactURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s: HTTP status %d", ErrUpstream, api, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBodySize)).Decode(out); err != nil {
		return fmt.Errorf("%w: %s: decode answer: %w", ErrUpstream, api, err)
	}
	if e := out.errorCode(); e.ErrCode != 0 {
		return &APIError{API: api, Code: e.ErrCode, Msg: e.ErrMsg}
	}
	return nil
}

func (e errorBody) errorCode() errorBody { return e }
