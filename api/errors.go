package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

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
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeUnauthorized     = "unauthorized"
	CodeRateLimited      = "rate_limited"
	CodeForbidden        = "forbidden"
	CodeConflict         = "conflict"
	CodeUnprocessable    = "unprocessable"
	CodeUpstream         = "upstream_error"
	CodeUnavailable      = "unavailable"
	CodeInternal         = "internal"
)

// statusOf is the one table from error code to HTTP status.
var statusOf = map[string]int{
	CodeInvalid:          http.StatusBadRequest,
	CodeNotFound:         http.StatusNotFound,
	CodeTooLarge:         http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia: http.StatusUnsupportedMediaType,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	CodeUnauthorized:     http.StatusUnauthorized,
	CodeForbidden:        http.StatusForbidden,
	CodeConflict:         http.StatusConflict,
	CodeUnprocessable:    http.StatusUnprocessableEntity,
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
// result is false for errors that are ours, which are logged and answered
// with a bare "internal error".
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
	c.AbortWithStatusJSON(statusOf[e.Code], errorBody{e})
}

// recovered answers a panic as an internal error after logging it; the
// process keeps serving.
func (s *Server) recovered(c *gin.Context, v any) {
	s.log.ErrorContext(c.Request.Context(), "panic", "panic", v)
	c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{&Error{Code: CodeInternal, Message: "internal error"}})
}

// decodeJSON reads a JSON request body into v strictly: one object, no
// unknown fields, within the size limit. Errors name the field at fault.
func decodeJSON(c *gin.Context, v any) error {
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		return &Error{Code: CodeUnsupportedMedia, Message: "请求体应为 application/json", Field: "Content-Type"}
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return jsonError(err)
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
		field := te.Field
		if field == "" {
			field = "body"
		}
		return invalid(field, "类型不正确")
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return invalid("body", "请求体不是合法的JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid(field, "不是可识别的字段")
	}
	return invalid("body", "请求体无法解析")
}
