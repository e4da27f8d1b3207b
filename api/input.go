package api

import (
	"net/http"
	"net/url"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// validText refuses a request whose path or query is not UTF-8 text, with
// 400 naming the parameter; JSON bodies are checked where they are decoded
// (decodeJSON). Go decodes %FF into the byte 0xFF without complaint, and
// such a byte would otherwise reach the handlers, the logs and, as a field
// name, the client.
func (s *Server) validText(c *gin.Context) {
	if !utf8.ValidString(c.Request.URL.Path) {
		s.refuse(c, invalid("path", "路径不是合法的UTF-8文本"))
		return
	}
	if c.Request.URL.RawQuery == "" {
		c.Next()
		return
	}
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		s.refuse(c, invalid("query", "查询参数无法解析"))
		return
	}
	for name, values := range q {
		if !utf8.ValidString(name) {
			s.refuse(c, invalid("query", "查询参数名不是合法的UTF-8文本"))
			return
		}
		for _, v := range values {
			if !utf8.ValidString(v) {
				s.refuse(c, invalid(fieldName(name, "query"), "查询参数不是合法的UTF-8文本"))
				return
			}
		}
	}
	c.Next()
}

// refuse ends the request with e, which renderErrors writes.
func (s *Server) refuse(c *gin.Context, e *Error) {
	_ = c.Error(e)
	c.Abort()
}

// maxFieldName bounds a name taken from a request into an error's field.
const maxFieldName = 64

// fieldName returns name to put in an error's field when it is short
// printable UTF-8, and otherwise fallback: a client's odd name is never
// echoed back.
func fieldName(name, fallback string) string {
	if name == "" || len(name) > maxFieldName || !utf8.ValidString(name) {
		return fallback
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fallback
		}
	}
	return name
}

// DefaultMaxHeaderBytes is the request line and header fields a request may
// carry when Config.MaxHeaderBytes is not set.
const DefaultMaxHeaderBytes = 16 << 10

// headerLimit refuses a request whose request line and header fields are
// over Config.MaxHeaderBytes, with 431 in the JSON shape naming the largest
// part: query, path or a header's name. net/http's own limit
// (http.Server.MaxHeaderBytes) answers in plain text before any handler
// runs, so the server sets that one well above ours (ListenerHeaderBytes),
// and this is the limit clients meet.
func (s *Server) headerLimit(c *gin.Context) {
	size, largest := headerSize(c.Request)
	if size > s.cfg.MaxHeaderBytes {
		s.refuse(c, &Error{Code: CodeHeaderTooLarge, Message: "请求头过大", Field: largest})
		return
	}
	c.Next()
}

// ListenerHeaderBytes is the http.Server.MaxHeaderBytes to serve a Server
// of limit (Config.MaxHeaderBytes) with: Go's default of 1 MiB, or twice
// limit when that is more, so that what net/http itself refuses is far
// beyond what headerLimit answers in JSON.
func ListenerHeaderBytes(limit int) int {
	return max(http.DefaultMaxHeaderBytes, 2*limit)
}

// headerSize counts the request line and header fields of r as they came
// on the wire, near enough (HTTP/1.1 framing), and names the largest part.
func headerSize(r *http.Request) (size int, largest string) {
	path := len(r.RequestURI) - len(r.URL.RawQuery)
	size = len(r.Method) + len(r.RequestURI) + len(r.Proto) + len("  \r\n")
	size += len("Host: \r\n") + len(r.Host)
	most := 0
	largest = "path"
	if len(r.URL.RawQuery) > path {
		most, largest = len(r.URL.RawQuery), "query"
	} else {
		most = path
	}
	for name, values := range r.Header {
		n := 0
		for _, v := range values {
			n += len(name) + len(": \r\n") + len(v)
		}
		size += n
		if n > most {
			most, largest = n, fieldName(name, "header")
		}
	}
	return size, largest
}
