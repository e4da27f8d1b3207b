package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"policybot/kb"
)

const (
	defaultSearchSize = 10
	maxSearchSize     = 50
)

type searchHit struct {
	DocNo     string  `json:"doc_no"`
	Article   string  `json:"article"`
	Title     string  `json:"title"`
	Section   string  `json:"section"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
	Highlight string  `json:"highlight"`
}

// GET /v1/search?q=&size= returns the clauses that best answer q, best first.
func (s *Server) search(c *gin.Context) {
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
	hits, err := s.searcher.Search(c.Request.Context(), q, size)
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
			DocNo: h.Clause.DocNo, Article: h.Clause.Article, Title: h.Clause.Title, Section: h.Clause.Section,
			Text: h.Clause.Text, Score: h.Score, Highlight: h.Highlight,
		})
	}
	c.JSON(http.StatusOK, gin.H{"hits": out})
}
