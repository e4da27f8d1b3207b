package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/matcher"
)

// matchRequest is decoded in one pass, the profile's facts with it: numbers
// stay json.Number so that money is read whole.
type matchRequest struct {
	Profile map[string]any `json:"profile"`
	AsOf    string         `json:"as_of"`
}

// POST /v1/match returns the benefits a profile qualifies for, those still
// undetermined with the facts they need, and with ?include=ineligible those
// that do not apply and why. include=untouched adds the benefits none of
// whose facts was given; include=text adds each clause's text, and
// include=conditions each condition's check, which reasons already say in
// words (a third of the answer).
func (s *Server) match(c *gin.Context) {
	var req matchRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	if req.Profile == nil {
		_ = c.Error(invalid("profile", "缺少企业信息 profile"))
		return
	}
	lib := s.lib(c)
	p := lib.NewProfile()
	if err := p.SetFacts(req.Profile); err != nil {
		_ = c.Error(err)
		return
	}
	opts := matcher.Options{AsOf: matcher.Today(s.now())}
	conditions := false
	if req.AsOf != "" {
		t, err := parseAsOf(req.AsOf)
		if err != nil {
			_ = c.Error(err)
			return
		}
		opts.AsOf = t
	}
	for _, inc := range c.QueryArray("include") {
		for _, v := range strings.Split(inc, ",") {
			switch v {
			case "ineligible":
				opts.IncludeIneligible = true
			case "untouched":
				opts.IncludeUntouched = true
			case "text":
				opts.IncludeText = true
			case "conditions":
				conditions = true
			default:
				_ = c.Error(invalid("include", "include 只能是 ineligible、untouched、text 或 conditions"))
				return
			}
		}
	}
	out := lib.Match(p, opts)
	if !conditions {
		for i := range out.Results {
			out.Results[i].Conditions = nil
		}
	}
	if s.metrics != nil {
		for _, r := range out.Results {
			s.metrics.MatchResult(string(r.Status))
		}
	}
	writeJSON(c, http.StatusOK, matchResponse{Outcome: out, LibraryVersion: lib.LibraryVersion()})
}

// parseAsOf reads the as_of of a request, YYYY-MM-DD.
func parseAsOf(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, invalid("as_of", "日期应为 YYYY-MM-DD")
	}
	return t, nil
}

type matchResponse struct {
	*matcher.Outcome
	// LibraryVersion is the content hash of the library that answered.
	LibraryVersion string `json:"library_version"`
}
