package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

type reloadRequest struct {
	// By says who asks, for the log.
	By string `json:"by"`
}

// POST /v1/admin/reload takes up the library as it now is on disk, once it
// loads and passes its test cases; until then the old one keeps answering.
func (s *Server) reload(c *gin.Context) {
	if s.reloader == nil || s.cfg.AdminToken == "" {
		_ = c.Error(&Error{Code: CodeUnavailable, Message: "管理接口未启用"})
		return
	}
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AdminToken)) != 1 {
		_ = c.Error(&Error{Code: CodeUnauthorized, Message: "管理令牌无效", Field: "Authorization"})
		return
	}
	var req reloadRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			_ = c.Error(err)
			return
		}
	}
	// The peer's own address: a forwarded-for header is the caller's to write.
	who := "admin " + c.RemoteIP()
	if by := strings.TrimSpace(req.By); by != "" {
		who += " (" + truncateRunes(by, 40) + ")"
	}
	version, err := s.reloader.Reload(who)
	var refused interface{ Refusal() (string, []string) }
	if errors.As(err, &refused) {
		reason, failed := refused.Refusal()
		e := &Error{Code: CodeConflict, Message: "新的政策库未通过检查,仍使用原政策库:" + reason, Field: "library"}
		sent(c, e)
		c.JSON(http.StatusConflict, gin.H{"error": e, "failed_cases": failed, "library_version": version})
		return
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"library_version": version})
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
