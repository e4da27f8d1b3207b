package api

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"
)

// openAPIYAML is the service's own API description, kept in YAML for people
// and served as JSON for tools.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// openAPIJSON is converted once at start-up; a broken document stops the
// process at once rather than at the first request.
var openAPIJSON = mustJSON(openAPIYAML)

func mustJSON(doc []byte) []byte {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		panic("api/openapi.yaml: " + err.Error())
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("api/openapi.yaml: " + err.Error())
	}
	return b
}

// OpenAPI returns the API description as YAML, for the tests that check
// responses against it.
func OpenAPI() []byte { return append([]byte(nil), openAPIYAML...) }

// GET /openapi.json serves the API description.
func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openAPIJSON)
}
