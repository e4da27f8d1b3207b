package api

import (
	"net/http"
	"runtime"

	"github.com/gin-gonic/gin"
)

type versionResponse struct {
	Version        string `json:"version"`
	GoVersion      string `json:"go_version"`
	LibraryVersion string `json:"library_version"`
	Commit         string `json:"commit,omitempty"`
}

// GET /version names the build that answers and the library it serves.
func (s *Server) version(c *gin.Context) {
	c.JSON(http.StatusOK, versionResponse{
		Version:        s.cfg.Version,
		GoVersion:      runtime.Version(),
		LibraryVersion: s.lib(c).LibraryVersion(),
		Commit:         s.cfg.Commit,
	})
}
