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
	lib := s.lib(c)
	today := matcher.Today(s.now())
	docs := lib.Documents()
	out := make([]policy, 0, len(docs))
	for _, d := range docs {
		out = append(out, policy{Document: d, InForce: inForce(d, today), Clauses: len(d.Clauses)})
	}
	writeJSON(c, http.StatusOK, gin.H{"policies": out, "library_version": lib.LibraryVersion()})
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

// GET /v1/clauses/{doc_id}/{article} returns one clause with its departments
// and tags. The older form /v1/clauses/{article}?doc_id= (or ?doc_no=) also
// works, without the document while the article is unique in the library.
func (s *Server) clause(c *gin.Context) {
	lib := s.lib(c)
	docID, article := c.Param("id"), c.Param("article")
	if article == "" {
		docID, article = c.Query("doc_id"), c.Param("id")
		if no := c.Query("doc_no"); no != "" && docID == "" {
			d, err := documentByNo(lib, no)
			if err != nil {
				_ = c.Error(err)
				return
			}
			docID = d.DocID
		}
	}
	if _, ok := kb.ParseArticle(article); !ok {
		_ = c.Error(invalid("article", "条款编号应形如 十七.1、二十二 或 二.三"))
		return
	}
	if docID != "" {
		if _, err := lib.Document(docID); err != nil {
			_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个文件", Field: "doc_id"})
			return
		}
	}
	cl, err := lib.Clause(docID, article)
	switch {
	case errors.Is(err, kb.ErrAmbiguous):
		_ = c.Error(invalid("doc_id", "多个文件都有该条款,请指定文件 doc_id"))
		return
	case errors.Is(err, kb.ErrNotFound):
		_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个条款", Field: "article"})
		return
	case err != nil:
		_ = c.Error(err)
		return
	}
	writeJSON(c, http.StatusOK, cl)
}

// documentByNo finds the one document with an issuing number.
func documentByNo(lib Library, no string) (*kb.Document, error) {
	d, err := lib.DocumentByNo(no)
	switch {
	case errors.Is(err, kb.ErrAmbiguous):
		return nil, invalid("doc_no", "多个文件使用该文号,请改用 doc_id")
	case err != nil:
		return nil, &Error{Code: CodeNotFound, Message: "没有这个文件", Field: "doc_no"}
	}
	return d, nil
}

// factOut is one fact of the catalogue as /v1/facts publishes it.
type factOut struct {
	Key      string           `json:"key"`
	Type     string           `json:"type"`
	Unit     string           `json:"unit,omitempty"`
	Label    string           `json:"label"`
	Question string           `json:"question,omitempty"`
	Options  []matcher.Option `json:"options,omitempty"`
	Min      *float64         `json:"min,omitempty"`
	Max      *float64         `json:"max,omitempty"`
	// DescribesApplicant marks facts that describe the applicant in
	// general rather than something a measure rewards.
	DescribesApplicant bool `json:"describes_applicant"`
	// DocID names the document that declares the fact; empty when shared.
	DocID string `json:"doc_id,omitempty"`
}

// GET /v1/facts publishes the catalogue of facts a profile may hold, in
// profile order: what the console builds its form from.
func (s *Server) facts(c *gin.Context) {
	lib := s.lib(c)
	facts := lib.Facts()
	out := make([]factOut, 0, len(facts))
	for _, f := range facts {
		o := factOut{Key: f.Key, Type: f.Kind.String(), Unit: f.Unit, Label: f.Label, Question: f.Question,
			Options: f.Options, DescribesApplicant: f.General, DocID: f.Doc}
		switch f.Kind {
		case matcher.KindMoney, matcher.KindNumber, matcher.KindYear:
			o.Min, o.Max = &f.Min, &f.Max
		}
		if f.Kind == matcher.KindMoney {
			o.Unit = "元"
		}
		out = append(out, o)
	}
	writeJSON(c, http.StatusOK, gin.H{"facts": out, "library_version": lib.LibraryVersion()})
}
