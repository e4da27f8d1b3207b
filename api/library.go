package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/kb"
	"policybot/matcher"
)

type policy struct {
	*kb.Document
	// InForce is "yes", "no", or "unknown" when the text states no term and
	// the policy may have been replaced.
	InForce string `json:"in_force"`
	Clauses int    `json:"clauses"`
}

// GET /v1/policies lists the documents with their validity.
func (s *Server) policies(c *gin.Context) {
	today := matcher.Today(s.now())
	docs := s.library.Documents()
	out := make([]policy, 0, len(docs))
	for _, d := range docs {
		out = append(out, policy{Document: d, InForce: inForce(d, today), Clauses: len(d.Clauses)})
	}
	c.JSON(http.StatusOK, gin.H{"policies": out})
}

func inForce(d *kb.Document, t time.Time) string {
	switch d.ValidityOn(t) {
	case kb.InForce:
		return "yes"
	case kb.NoStatedTerm:
		return "unknown"
	}
	return "no"
}

// GET /v1/clauses/{article}?doc_no= returns one clause with its departments
// and tags. Without doc_no the article must be unique across documents.
func (s *Server) clause(c *gin.Context) {
	article := c.Param("article")
	if _, ok := kb.ParseArticle(article); !ok {
		_ = c.Error(invalid("article", "条款编号应形如 十七.1 或 二十二"))
		return
	}
	docNo := c.Query("doc_no")
	if docNo != "" && !s.hasDocument(docNo) {
		_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个文件", Field: "doc_no"})
		return
	}
	cl, err := s.library.Clause(docNo, article)
	switch {
	case errors.Is(err, kb.ErrAmbiguous):
		_ = c.Error(invalid("doc_no", "多个文件都有该条款,请指定 doc_no"))
		return
	case errors.Is(err, kb.ErrNotFound):
		_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个条款", Field: "article"})
		return
	case err != nil:
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, cl)
}

func (s *Server) hasDocument(docNo string) bool {
	for _, d := range s.library.Documents() {
		if d.DocNo == docNo {
			return true
		}
	}
	return false
}
