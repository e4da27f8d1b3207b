package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Metrics counts what the server answers, for GET /metrics; *metrics.Metrics
// is one.
type Metrics interface {
	// Request counts an answered request: route is the template of its
	// route, or unmatchedRoute; code is the error code answered, or "".
	Request(route, method string, status int, code string, took time.Duration)
	// MatchResult counts one result of POST /v1/match by its status.
	MatchResult(status string)
	// ChatTurn counts one chat turn answered by its intent.
	ChatTurn(intent string)
	// Handler serves the metrics.
	Handler() http.Handler
}

// unmatchedRoute is the route of every request that matched none, whatever
// its path: a label of each path asked would grow without bound.
const unmatchedRoute = "unmatched"

// countRequest counts the request c answered, if anything counts.
func (s *Server) countRequest(c *gin.Context, sent *Error, took time.Duration) {
	if s.metrics == nil {
		return
	}
	route := c.FullPath()
	if route == "" {
		route = unmatchedRoute
	}
	code := ""
	if sent != nil {
		code = sent.Code
	}
	s.metrics.Request(route, methodLabel(c.Request.Method), c.Writer.Status(), code, took)
}

// methodLabel is a request's method as a label: a client may send any token
// as its method, so those beyond the standard ones are all "other".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}
