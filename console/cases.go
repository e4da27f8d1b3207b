package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"policybot/dialogue"
	"policybot/library"
	"policybot/matcher"
	"policybot/store"
)

type casesPage struct {
	page
	Query       string
	Searched    bool
	Cases       []store.CaseSummary
	More        bool
	New         store.CaseInput
	FieldErrors map[string]string
}

// casesPage finds cases by a credit-code prefix or a part of the name.
func (c *Console) casesPage(ctx *gin.Context) {
	lib, done := c.deps.Library()
	defer done()
	p := casesPage{page: c.page(ctx, "案件", lib.LibraryVersion()), Query: strings.TrimSpace(ctx.Query("q"))}
	if ctx.Query("deleted") != "" {
		p.Flash = "案件已删除。"
	}
	status := http.StatusOK
	if p.Query != "" {
		p.Searched = true
		list, err := c.deps.Store.SearchCases(ctx.Request.Context(), queryOf(p.Query))
		var se *store.Error
		switch {
		case errors.As(err, &se):
			p.Error, p.Searched, status = se.Message, false, http.StatusBadRequest
		case err != nil:
			c.fail(ctx, err)
			return
		}
		p.Cases, p.More = list.Cases, list.More
	}
	c.render(ctx, status, "cases", p)
}

// queryOf reads a search box: letters and digits only are a credit-code
// prefix, anything else a part of the name.
func queryOf(q string) store.CaseQuery {
	code := strings.IndexFunc(q, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	}) < 0
	if code && utf8.RuneCountInString(q) >= 2 && strings.IndexFunc(q, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 {
		return store.CaseQuery{CodePrefix: strings.ToUpper(q)}
	}
	return store.CaseQuery{Name: q}
}

func (c *Console) createCase(ctx *gin.Context) {
	in := store.CaseInput{Enterprise: strings.TrimSpace(ctx.PostForm("enterprise")), CreditCode: strings.ToUpper(strings.TrimSpace(ctx.PostForm("credit_code"))), Facts: store.Facts{}}
	cs, err := c.deps.Store.CreateCase(ctx.Request.Context(), in, actor(ctx))
	var se *store.Error
	if errors.As(err, &se) {
		lib, done := c.deps.Library()
		defer done()
		p := casesPage{page: c.page(ctx, "案件", lib.LibraryVersion()), New: in, FieldErrors: map[string]string{se.Field: se.Message}}
		status := http.StatusBadRequest
		if errors.Is(err, store.ErrConflict) {
			status = http.StatusConflict
			p.FieldErrors[se.Field] += "(可在上方按信用代码查询已有案件)"
		}
		c.render(ctx, status, "cases", p)
		return
	}
	if err != nil {
		c.fail(ctx, err)
		return
	}
	ctx.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/cases/%d", cs.ID))
}

type casePage struct {
	page
	Case       store.Case
	Form       Form
	Results    Results
	Changes    []string
	LastVisit  string
	Words      string
	Proposed   int
	AsOf       string
	NotesError string
}

// loadCase reads the case of the path, answering 404 itself.
func (c *Console) loadCase(ctx *gin.Context) (store.Case, bool) {
	id, err := strconv.ParseInt(ctx.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		c.refuse(ctx, http.StatusNotFound, "没有这个案件")
		return store.Case{}, false
	}
	cs, err := c.deps.Store.Case(ctx.Request.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.refuse(ctx, http.StatusNotFound, "没有这个案件")
		return store.Case{}, false
	case err != nil:
		c.fail(ctx, err)
		return store.Case{}, false
	}
	return cs, true
}

// casePage reopens a case: its facts matched on today's library, and what
// changed since the last visit.
func (c *Console) casePage(ctx *gin.Context) {
	cs, ok := c.loadCase(ctx)
	if !ok {
		return
	}
	if _, err := c.deps.Store.AppendAudit(ctx.Request.Context(), store.AuditEntry{Actor: actor(ctx), Action: store.ActionCaseOpened, Object: store.CaseObject(cs.ID)}); err != nil {
		c.fail(ctx, err)
		return
	}
	lib, done := c.deps.Library()
	defer done()
	p, sources := profileOf(lib, cs)
	c.showCase(ctx, http.StatusOK, lib, cs, p, edit{sources: sources, saved: true})
}

// edit is the state of a case page beyond the case as saved: where each
// value came from, the values refused and why, the facts proposed from the
// applicant's words (with the words), and those words.
type edit struct {
	sources, refused map[string]string
	proposed         map[string]proposal
	words            string
	// saved is true when the page shows the case as saved: only then is it
	// compared with the last visit.
	saved bool
}

// proposal is a value read from the applicant's words: the form value it
// was read as and the sentence it was read from.
type proposal struct{ value, sentence string }

// showCase renders a case with the profile p, saved or as staff are
// editing it.
func (c *Console) showCase(ctx *gin.Context, status int, lib *library.Library, cs store.Case, p *matcher.Profile, e edit) {
	now := c.deps.Now()
	out := lib.Match(p, matcher.Options{AsOf: now, IncludeIneligible: true, IncludeText: true})
	cat := lib.Engine.Catalogue()
	view := casePage{page: c.page(ctx, cs.Enterprise, lib.LibraryVersion()), Case: cs, Results: ViewResults(cat, out),
		AsOf: now.Format(time.DateOnly), Words: e.words, NotesError: e.refused["notes"]}
	if ctx.Query("saved") != "" {
		view.Flash = "已保存并重新匹配。"
	}
	view.Form = BuildForm(cat, p, out, e.sources, titles(lib))
	mark := func(fs []Field) {
		for i := range fs {
			fs[i].Error = e.refused[fs[i].Fact.Key]
			if pr, ok := e.proposed[fs[i].Fact.Key]; ok {
				fs[i].Proposed, fs[i].Sentence, fs[i].ProposedValue = true, pr.sentence, pr.value
				view.Proposed++
			}
		}
	}
	mark(view.Form.Settling)
	mark(view.Form.Known)
	for i := range view.Form.Others {
		mark(view.Form.Others[i].Fields)
	}
	if n := len(e.refused); n > 0 {
		view.Error = "有" + strconv.Itoa(n) + "项填写有误,未保存,请按提示修改。"
		if why, ok := e.refused["version"]; ok {
			view.Error = why
		}
	}
	if e.saved && ctx.Query("saved") == "" {
		visits, err := c.deps.Store.Visits(ctx.Request.Context(), cs.ID)
		if err != nil {
			c.fail(ctx, err)
			return
		}
		if n := len(visits); n > 0 {
			last := visits[n-1]
			var before []matcher.Result
			if err := json.Unmarshal(last.Results, &before); err == nil {
				view.Changes = Changes(before, out.Results, last.LibraryVersion != lib.LibraryVersion())
				view.LastVisit = last.At.In(time.Local).Format("2006-01-02")
			}
		}
	}
	c.render(ctx, status, "case", view)
}

// saveFacts takes the form: every value checked before anything is kept,
// then the facts, notes and their match saved in one transaction, refused
// if the case changed since the form was read.
func (c *Console) saveFacts(ctx *gin.Context) {
	cs, ok := c.loadCase(ctx)
	if !ok {
		return
	}
	lib, done := c.deps.Library()
	defer done()
	cat := lib.Engine.Catalogue()
	p, sources := profileOf(lib, cs)
	if err := ctx.Request.ParseForm(); err != nil {
		c.refuse(ctx, http.StatusBadRequest, "表单无法读取")
		return
	}
	form := ctx.Request.PostForm
	// Proposals still to confirm survive a refused post.
	proposed := map[string]proposal{}
	for k := range form {
		if key, ok := strings.CutPrefix(k, "src."); ok {
			proposed[key] = proposal{value: form.Get("prop." + key), sentence: form.Get(k)}
		}
	}
	refused := ParseForm(cat, p, form)
	// Browsers send a textarea's line breaks as CRLF.
	notes := strings.TrimSpace(strings.ReplaceAll(form.Get("notes"), "\r\n", "\n"))
	version, _ := strconv.ParseInt(form.Get("version"), 10, 64)
	e := edit{sources: sources, refused: refused, proposed: proposed}
	if len(refused) > 0 {
		cs.Notes = notes
		c.showCase(ctx, http.StatusBadRequest, lib, cs, p, e)
		return
	}
	facts := store.Facts{}
	for _, k := range p.Keys() {
		v, _ := p.Get(k)
		raw, err := json.Marshal(v)
		if err != nil {
			c.fail(ctx, err)
			return
		}
		f := store.Fact{Value: raw, Source: store.SourceStaff}
		if old, ok := cs.Facts[k]; ok && bytes.Equal(old.Value, raw) {
			f = old // unchanged: it keeps where it came from
		}
		// The applicant's words stand for a value only as they were read:
		// a value staff changed is theirs.
		if pr, ok := proposed[k]; ok && pr.sentence != "" && form.Get(k) == pr.value {
			f.Source, f.Sentence = store.SourceApplicant, pr.sentence
		}
		facts[k] = f
	}
	out := lib.Match(p, matcher.Options{AsOf: c.deps.Now(), IncludeIneligible: true})
	results, err := json.Marshal(out.Results)
	if err != nil {
		c.fail(ctx, err)
		return
	}
	in := store.CaseInput{Enterprise: cs.Enterprise, CreditCode: cs.CreditCode, Facts: facts, Notes: notes,
		Match: &store.Match{Results: results, LibraryVersion: lib.LibraryVersion()}, IfVersion: version}
	if _, err := c.deps.Store.UpdateCase(ctx.Request.Context(), cs.ID, in, actor(ctx)); err != nil {
		var se *store.Error
		if errors.As(err, &se) && staffTyped(se.Field) {
			status := http.StatusBadRequest
			if errors.Is(err, store.ErrConflict) {
				status = http.StatusConflict
			}
			cs.Notes = notes
			e.refused = map[string]string{se.Field: se.Message}
			c.showCase(ctx, status, lib, cs, p, e)
			return
		}
		c.fail(ctx, err)
		return
	}
	ctx.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/cases/%d?saved=1#results", cs.ID))
}

// staffTyped reports whether a field the store refused is one staff
// entered (the notes, a fact and its source, the version of the case they
// read): the others are the console's own, and their refusal a fault to
// log, not a message to show.
func staffTyped(field string) bool {
	return field == "notes" || field == "version" || strings.HasPrefix(field, "facts")
}

// readWords fills the form from the applicant's own words through the
// chat's understanding. Nothing is saved: staff confirm each fact, shown
// with the sentence it was read from, by saving the form. An approximate
// figure is not filled in: the counter records exact ones.
func (c *Console) readWords(ctx *gin.Context) {
	cs, ok := c.loadCase(ctx)
	if !ok {
		return
	}
	lib, done := c.deps.Library()
	defer done()
	words := strings.TrimSpace(ctx.PostForm("words"))
	p, sources := profileOf(lib, cs)
	e := edit{sources: sources, words: words, proposed: map[string]proposal{}}
	if words == "" || utf8.RuneCountInString(words) > 2000 {
		e.refused = map[string]string{"words": "请输入申请人的描述(不超过2000字)"}
		c.showCase(ctx, http.StatusBadRequest, lib, cs, p, e)
		return
	}
	u := lib.Chat().Reader.Understand(words, dialogue.Context{ApplicantType: p.ApplicantType(), Year: c.deps.Now().Year()})
	for _, m := range u.Mentions {
		sentence := sentenceOf(u.Text, m)
		if utf8.RuneCountInString(sentence) > maxSentence {
			sentence = m.Text // a clause with no stop in it says too much
		}
		if m.Approx {
			if !p.Has(m.Key) {
				sources[m.Key] = "申请人说“" + sentence + "”,是约数,请核实准确数后填写"
			}
			continue
		}
		f, _ := lib.Engine.Catalogue().Lookup(m.Key)
		if err := p.Set(m.Key, m.Value); err == nil {
			sources[m.Key] = "待确认,来自申请人表述:“" + sentence + "”"
			v, _ := p.Get(m.Key)
			e.proposed[m.Key] = proposal{value: formValue(f, v), sentence: sentence}
		}
	}
	c.showCase(ctx, http.StatusOK, lib, cs, p, e)
}

// maxSentence bounds the words a fact is shown and kept with, well under
// what the store takes.
const maxSentence = 200

// sentenceOf returns the clause of text a mention was read from, between
// the punctuation around it: 今年没有盈利 for the 盈利 of 没有盈利.
func sentenceOf(text string, m dialogue.Mention) string {
	end := m.End
	start := end - len(m.Text)
	if start < 0 || end > len(text) || text[start:end] != m.Text {
		return m.Text
	}
	isBreak := func(r rune) bool { return strings.ContainsRune(",，。;；!！?？、\n", r) }
	if i := strings.LastIndexFunc(text[:start], isBreak); i >= 0 {
		_, size := utf8.DecodeRuneInString(text[i:])
		start = i + size
	} else {
		start = 0
	}
	if i := strings.IndexFunc(text[end:], isBreak); i >= 0 {
		end += i
	} else {
		end = len(text)
	}
	return strings.TrimSpace(text[start:end])
}

func (c *Console) deleteCase(ctx *gin.Context) {
	cs, ok := c.loadCase(ctx)
	if !ok {
		return
	}
	if ctx.PostForm("confirm") != "yes" {
		c.refuse(ctx, http.StatusBadRequest, "请勾选确认后再删除")
		return
	}
	if err := c.deps.Store.DeleteCase(ctx.Request.Context(), cs.ID, actor(ctx)); err != nil && !errors.Is(err, store.ErrNotFound) {
		c.fail(ctx, err)
		return
	}
	ctx.Redirect(http.StatusSeeOther, "/console/cases?deleted=1")
}

// profileOf reads a case's facts into a profile of the library, with where
// each came from; the enterprise's name and credit code are the case's own.
// A fact the library no longer has, or no longer takes, is left out of the
// match (it stays in the case).
func profileOf(lib *library.Library, cs store.Case) (*matcher.Profile, map[string]string) {
	p := lib.NewProfile()
	sources := map[string]string{}
	for k, f := range cs.Facts {
		dec := json.NewDecoder(bytes.NewReader(f.Value))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil || p.Set(k, v) != nil {
			continue
		}
		sources[k] = "工作人员录入"
		if f.Source == store.SourceApplicant {
			sources[k] = "申请人表述:“" + f.Sentence + "”"
		}
	}
	for k, v := range map[string]string{"name": cs.Enterprise, "credit_code": cs.CreditCode} {
		if !p.Has(k) && v != "" && p.Set(k, v) == nil {
			sources[k] = "案件登记"
		}
	}
	return p, sources
}

// titles maps each document to its title, for the form's groups.
func titles(lib *library.Library) map[string]string {
	m := map[string]string{}
	for _, d := range lib.Documents() {
		m[d.DocID] = d.Title
	}
	return m
}
