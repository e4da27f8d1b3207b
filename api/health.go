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
	if s.library == nil {
		_ = c.Error(&Error{Code: CodeUnavailable, Message: "知识库未加载"})
		return
	}
	lib, release := s.library()
	n := len(lib.Documents())
	release()
	if n == 0 {
		_ = c.Error(&Error{Code: CodeUnavailable, Message: "知识库未加载"})
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
