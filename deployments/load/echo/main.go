// Command echo is the yardstick of deployments/load/match-ratio.sh: a bare
// Gin server whose POST /v1/match decodes the JSON body and answers it back,
// so that a ratio against it leaves out the machine and the HTTP stack.
// GET /healthz tells the script it is up.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18490", "listen address")
	flag.Parse()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/healthz", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.POST("/v1/match", func(c *gin.Context) {
		var body map[string]any
		if err := c.ShouldBindJSON(&body); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, body)
	})
	log.Fatal(http.ListenAndServe(*addr, r))
}
