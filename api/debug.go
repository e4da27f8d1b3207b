package api

import (
	"net/http"
	"net/http/pprof"
	runtimepprof "runtime/pprof"

	"github.com/gin-gonic/gin"
)

// AdminHandler returns the routes of the admin listener (--admin-addr),
// which only operators reach: Go's profiler under /debug/pprof/ and, when
// metrics are counted, /metrics. No other listener serves the profiler: a
// profile shows the program's insides, and a CPU profile or a trace keeps
// a core busy for as long as it is asked to run.
func (s *Server) AdminHandler() http.Handler {
	r := s.router(false)
	r.GET("/debug/pprof/", gin.WrapF(pprof.Index))
	r.GET("/debug/pprof/:name", s.profile)
	if s.metrics != nil {
		r.GET("/metrics", gin.WrapH(s.metrics.Handler()))
	}
	return r
}

// profiles are the handlers of net/http/pprof that are not a named
// profile, which pprof.Index serves.
var profiles = map[string]http.HandlerFunc{
	"cmdline": pprof.Cmdline,
	"profile": pprof.Profile,
	"symbol":  pprof.Symbol,
	"trace":   pprof.Trace,
}

// GET /debug/pprof/{name} serves the profile name (heap, goroutine, …),
// the CPU profile, the execution trace, the command line or the symbols.
func (s *Server) profile(c *gin.Context) {
	if h, ok := profiles[c.Param("name")]; ok {
		h(c.Writer, c.Request)
		return
	}
	// pprof.Index would answer an unknown name in plain text.
	if runtimepprof.Lookup(c.Param("name")) == nil {
		_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个 profile", Field: "name"})
		return
	}
	pprof.Index(c.Writer, c.Request)
}
