package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bytedance/sonic"
	"github.com/gin-gonic/gin"

	"policybot/kb"
	"policybot/matcher"
)

// Error codes, the only ones clients ever see.
const (
	CodeInvalid          = "invalid_argument"
	CodeNotFound         = "not_found"
	CodeTooLarge         = "too_large"
	CodeHeaderTooLarge   = "header_too_large"
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeUnauthorized     = "unauthorized"
	CodeRateLimited      = "rate_limited"
	CodeForbidden        = "forbidden"
	CodeConflict         = "conflict"
	CodeUnprocessable    = "unprocessable"
	CodeContentRejected  = "content_rejected"
	CodeUpstream         = "upstream_error"
	CodeUnavailable      = "unavailable"
	CodeInternal         = "internal"
)

// statusOf is the one table from error code to HTTP status.
var statusOf = map[string]int{
	CodeInvalid:          http.StatusBadRequest,
	CodeNotFound:         http.StatusNotFound,
	CodeTooLarge:         http.StatusRequestEntityTooLarge,
	CodeHeaderTooLarge:   http.StatusRequestHeaderFieldsTooLarge,
	CodeUnsupportedMedia: http.StatusUnsupportedMediaType,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	CodeUnauthorized:     http.StatusUnauthorized,
	CodeForbidden:        http.StatusForbidden,
	CodeConflict:         http.StatusConflict,
	CodeUnprocessable:    http.StatusUnprocessableEntity,
	CodeContentRejected:  http.StatusUnprocessableEntity,
	CodeRateLimited:      http.StatusTooManyRequests,
	CodeUpstream:         http.StatusBadGateway,
	CodeUnavailable:      http.StatusServiceUnavailable,
	CodeInternal:         http.StatusInternalServerError,
}

// Error is what a client is told about a failed request. Message is safe to
// show; Field names the request field or parameter at fault, if any.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// invalid returns a 400 error naming field.
func invalid(field, message string) *Error {
	return &Error{Code: CodeInvalid, Message: message, Field: field}
}

// errorBody is the one JSON shape of every failure.
type errorBody struct {
	Error *Error `json:"error"`
}

// clientError turns any error into what the client may see; the second
// result is false for errors the log must see: ours, answered with a bare
// "internal error", and a dependency's timeout, answered 503.
func clientError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	var fe *matcher.FieldError
	if errors.As(err, &fe) {
		return invalid(fe.Field, fe.Error()), true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &Error{Code: CodeTooLarge, Message: "请求体过大", Field: "body"}, true
	}
	if errors.Is(err, kb.ErrNotFound) {
		return &Error{Code: CodeNotFound, Message: "未找到"}, true
	}
	// A dependency that did not answer within its deadline (--db-timeout)
	// is down for this request, not a fault of ours.
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeUnavailable, Message: "服务暂时不可用,请稍后再试"}, false
	}
	return &Error{Code: CodeInternal, Message: "internal error"}, false
}

// renderErrors writes the last error a handler recorded, in the one JSON
// shape, unless the handler already wrote a response.
func (s *Server) renderErrors(c *gin.Context) {
	c.Next()
	if len(c.Errors) == 0 || c.Writer.Written() {
		return
	}
	err := c.Errors.Last().Err
	e, ours := clientError(err)
	if !ours {
		s.log.ErrorContext(c.Request.Context(), "request failed", "err", err)
	}
	sent(c, e)
	c.AbortWithStatusJSON(statusOf[e.Code], errorBody{e})
}

// recovered answers a panic as an internal error after logging it; the
// process keeps serving.
func (s *Server) recovered(c *gin.Context, v any) {
	s.log.ErrorContext(c.Request.Context(), "panic", "panic", v)
	e := &Error{Code: CodeInternal, Message: "internal error"}
	sent(c, e)
	c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{e})
}

// sentErrorKey is where a request keeps the error it was answered with,
// for the access log and the metrics.
const sentErrorKey = "policybot.error"

// sent records that c is answered with e. Every JSON error goes through
// it, whoever writes the answer.
func sent(c *gin.Context, e *Error) { c.Set(sentErrorKey, e) }

// sentError returns the error c was answered with, or nil.
func sentError(c *gin.Context) *Error {
	v, _ := c.Get(sentErrorKey)
	e, _ := v.(*Error)
	return e
}

// decodeJSON reads a JSON request body into v strictly: one object, no
// unknown fields, within the size limit. Errors name the field at fault.
func decodeJSON(c *gin.Context, v any) error {
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		return &Error{Code: CodeUnsupportedMedia, Message: "请求体应为 application/json", Field: "Content-Type"}
	}
	// The body is read whole (MaxBytesReader bounds it) because the JSON
	// decoder takes invalid UTF-8 in a string as U+FFFD without a word.
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return jsonError(err)
	}
	if !utf8.Valid(body) {
		return invalid("body", "请求体不是合法的UTF-8文本")
	}
	if requestDecoder.Unmarshal(body, v) == nil {
		return nil
	}
	// What sonic refuses is read again by encoding/json, from nothing,
	// whose errors name the field at fault and whose reading stands where
	// the two would differ (an invalid escape, a key in other case).
	reflect.ValueOf(v).Elem().SetZero()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	// Numbers stay as written, so that a profile's money is judged exactly
	// (500000000.00000001 is no whole sum); no request has another number
	// of unknown type.
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("body", "请求体只能包含一个JSON对象")
	}
	return nil
}

// requestDecoder reads well-formed requests as encoding/json does (numbers
// as json.Number, no unknown field), several times faster on a match
// request's profile; it fails on an invalid UTF-8 escape or an unescaped
// control character, which decodeJSON then leaves to encoding/json.
var requestDecoder = sonic.Config{UseNumber: true, DisallowUnknownFields: true, UseUnicodeErrors: true, ValidateString: true}.Froze()

// jsonError turns a decoding failure into a client error without the
// decoder's own wording, which names Go types.
func jsonError(err error) error {
	var fe *matcher.FieldError
	var mbe *http.MaxBytesError
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &fe), errors.As(err, &mbe):
		return err
	case errors.As(err, &te):
		return invalid(fieldName(te.Field, "body"), "类型不正确")
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return invalid("body", "请求体不是合法的JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// The decoder quotes the name as Go does (%q).
		field, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			field = ""
		}
		return invalid(fieldName(field, "body"), "不是可识别的字段")
	}
	return invalid("body", "请求体无法解析")
}
