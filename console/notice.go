package console

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/matcher"
	"policybot/store"
)

type noticePage struct {
	Case           store.Case
	Date, Printed  string
	LibraryVersion string
	Results        Results
	Next           []string
	Exclusive      []string
	Staff          store.Staff
	// Marks are the marks (※1) beside each benefit of a document whose
	// validity is in doubt, by doc_id; Notes say each such validity once,
	// under the tables, after its mark: in full beside every benefit it
	// would take the notice of a full profile to a third page.
	Marks map[string]string
	Notes []string
}

// notice is the 政策匹配告知单 of a case as saved, printed from the browser.
func (c *Console) notice(ctx *gin.Context) {
	cs, ok := c.loadCase(ctx)
	if !ok {
		return
	}
	lib, done := c.deps.Library()
	defer done()
	p, _ := profileOf(lib, cs)
	now := c.deps.Now()
	out := lib.Match(p, matcher.Options{AsOf: now})
	cat := lib.Engine.Catalogue()
	view := noticePage{Case: cs, Date: now.In(time.Local).Format("2006年1月2日"), Printed: now.In(time.Local).Format("2006-01-02 15:04"),
		LibraryVersion: lib.LibraryVersion(), Results: ViewResults(cat, out), Staff: session(ctx).Staff}
	view.Next = nextSteps(view.Results)
	view.Exclusive = exclusiveNotes(view.Results)
	view.Marks, view.Notes = validityNotes(out.Validity)
	if _, err := c.deps.Store.AppendAudit(ctx.Request.Context(), store.AuditEntry{Actor: actor(ctx), Action: store.ActionPrinted, Object: store.CaseObject(cs.ID)}); err != nil {
		c.fail(ctx, err)
		return
	}
	ctx.Header("Content-Type", "text/html; charset=utf-8")
	ctx.Status(http.StatusOK)
	if err := c.pages["notice"].Execute(ctx.Writer, view); err != nil {
		c.deps.Log.Error("console page", "page", "notice", "err", err)
	}
}

// validityNotes numbers the validity of each document: its mark by doc_id
// and its note.
func validityNotes(vs []matcher.Validity) (map[string]string, []string) {
	marks := map[string]string{}
	var notes []string
	for i, v := range vs {
		mark := "※" + strconv.Itoa(i+1)
		marks[v.DocID] = mark
		notes = append(notes, mark+" "+strings.Join(v.Caveats, ""))
	}
	return marks, notes
}

// nextSteps are what the applicant brings or asks next: each fact still to
// confirm with what it decides, then, by department, the benefits to apply
// for there.
func nextSteps(r Results) []string {
	var out []string
	need := map[string][]string{}
	var order []string
	for _, o := range r.Open {
		for _, m := range o.Missing {
			if _, ok := need[m]; !ok {
				order = append(order, m)
			}
			need[m] = append(need[m], o.Title)
		}
	}
	for _, m := range order {
		out = append(out, "请提供或确认:"+m+"(关系到"+strings.Join(need[m], "、")+")")
	}
	by := map[string][]string{}
	var depts []string
	for _, e := range r.Eligible {
		d := e.Department
		if d == "" || d == "条文未写明" {
			d = "政务服务大厅惠企政策窗口"
		}
		if _, ok := by[d]; !ok {
			depts = append(depts, d)
		}
		by[d] = append(by[d], e.Title)
	}
	for _, d := range depts {
		out = append(out, "向"+d+"咨询申报:"+strings.Join(by[d], "、"))
	}
	return out
}

// exclusiveNotes say which eligible benefits are granted only at the
// highest of their group (就高不重复): their sums do not add up.
func exclusiveNotes(r Results) []string {
	groups := map[string][]string{}
	var order []string
	for _, e := range r.Eligible {
		if g := e.ExclusiveGroup; g != "" {
			if _, ok := groups[g]; !ok {
				order = append(order, g)
			}
			groups[g] = append(groups[g], e.Title)
		}
	}
	var out []string
	for _, g := range order {
		if len(groups[g]) > 1 {
			out = append(out, strings.Join(groups[g], "、")+"就高享受一项,金额不累加")
		}
	}
	return out
}
