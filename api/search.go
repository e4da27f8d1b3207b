package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"policybot/kb"
	"policybot/matcher"
)

const (
	defaultSearchSize = 10
	maxSearchSize     = 50
)

type searchHit struct {
	DocID     string  `json:"doc_id"`
	DocNo     string  `json:"doc_no"`
	DocTitle  string  `json:"doc_title"`
	Article   string  `json:"article"`
	Title     string  `json:"title"`
	Section   string  `json:"section"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
	Highlight string  `json:"highlight"`
	// Relevant is kb.Hit.Relevant: whether the clause is about what was
	// asked. The hits and their order do not depend on it.
	Relevant bool `json:"relevant"`
}

// GET /v1/search?q=&size=&doc_id=&region= returns the clauses that best
// answer q, best first; doc_id narrows the search to one document, region to
// the documents in force today in the area of an applicant registered there.
// Each hit says whether it is relevant; none is when the library does not
// cover the question, and the hits are the same either way.
func (s *Server) search(c *gin.Context) {
	lib := s.lib(c)
	q := strings.TrimSpace(c.Query("q"))
	switch {
	case q == "":
		_ = c.Error(invalid("q", "请输入要查询的问题"))
		return
	case !utf8.ValidString(q):
		_ = c.Error(invalid("q", "问题不是合法的UTF-8文本"))
		return
	case utf8.RuneCountInString(q) > kb.MaxQueryRunes:
		_ = c.Error(invalid("q", "问题过长(最多"+strconv.Itoa(kb.MaxQueryRunes)+"个字)"))
		return
	}
	size := defaultSearchSize
	if raw, ok := c.GetQuery("size"); ok {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxSearchSize {
			_ = c.Error(invalid("size", "size应为1到"+strconv.Itoa(maxSearchSize)+"之间的整数"))
			return
		}
		size = n
	}
	var docIDs []string
	if id, ok := c.GetQuery("doc_id"); ok {
		if _, err := lib.Document(id); err != nil {
			_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个文件", Field: "doc_id"})
			return
		}
		docIDs = []string{id}
	}
	if region, ok := c.GetQuery("region"); ok {
		inArea, err := lib.DocumentsIn(region, matcher.Today(s.now()))
		if err != nil {
			_ = c.Error(err)
			return
		}
		if docIDs != nil && !slices.Contains(inArea, docIDs[0]) {
			inArea = []string{}
		} else if docIDs != nil {
			inArea = docIDs
		}
		docIDs = inArea
	}
	hits, err := lib.Search(c.Request.Context(), q, size, docIDs)
	if errors.Is(err, kb.ErrEmptyQuery) {
		_ = c.Error(invalid("q", "问题中没有可查询的内容"))
		return
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := make([]searchHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, searchHit{
			DocID: h.Clause.DocID, DocNo: h.Clause.DocNo, DocTitle: h.Clause.DocTitle, Article: h.Clause.Article, Title: h.Clause.Title, Section: h.Clause.Section,
			Text: h.Clause.Text, Score: h.Score, Highlight: h.Highlight(), Relevant: h.Relevant(),
		})
	}
	writeJSON(c, http.StatusOK, gin.H{"hits": out, "library_version": lib.LibraryVersion()})
}
