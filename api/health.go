package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// GET /healthz answers 200 while the process is up.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// GET /readyz answers 200 only when the knowledge base is loaded and every
// configured backing service (Redis) answers.
func (s *Server) readyz(c *gin.Context) {
	if _, ok := s.libraryReady(c); !ok {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	for _, p := range s.ready {
		if err := p.Ping(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready", "err", err)
			_ = c.Error(&Error{Code: CodeUnavailable, Message: "会话存储不可用"})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// GET /readyz/library answers 200 while this process's own library can
// answer (it holds a document and its index is open), asking nothing of
// Redis or the database: the readiness probe, which an outage of a service
// every replica shares must not fail on all of them at once.
func (s *Server) readyLibrary(c *gin.Context) {
	version, ok := s.libraryReady(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "library_version": version})
}

// libraryReady returns the version of the current library when it can
// answer; otherwise it records the 503 and returns false.
func (s *Server) libraryReady(c *gin.Context) (version string, ok bool) {
	if s.library != nil {
		lib, release := s.library()
		err, v := lib.Ready(), lib.LibraryVersion()
		release()
		if err == nil {
			return v, true
		}
	}
	_ = c.Error(&Error{Code: CodeUnavailable, Message: "知识库未加载"})
	return "", false
}
