package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
	"policybot/store"
)

type ticketsPage struct {
	page
	Search string
}

// GET /console/tickets
//
// ticketsPage finds a ticket by its number, typed as people type it (in
// lower case, without its hyphen).
func (c *Console) ticketsPage(ctx *gin.Context) {
	q := strings.TrimSpace(ctx.Query("number"))
	if number, ok := store.NormalizeTicketNumber(q); ok {
		ctx.Redirect(http.StatusSeeOther, "/console/tickets/"+number)
		return
	}
	status, why := http.StatusOK, ""
	if q != "" {
		status, why = http.StatusBadRequest, "工单号应为 TS 加8位日期和序号,如 TS20261201-0001"
	}
	c.showTicketSearch(ctx, status, q, why)
}

func (c *Console) showTicketSearch(ctx *gin.Context, status int, search, why string) {
	lib, done := c.deps.Library()
	defer done()
	p := ticketsPage{page: c.page(ctx, "投诉工单", lib.LibraryVersion()), Search: search}
	p.Error = why
	c.render(ctx, status, "tickets", p)
}

// factView is a fact of a ticket as the page shows it.
type factView struct{ Label, Value, Source string }

// clauseView is a clause a ticket cites, with its text when the library
// still has it.
type clauseView struct{ Cite, Title, Text string }

// eventView is a status callback of the platform. LateAfter is the highest
// sequence number received before this one, when higher than its own: the
// callback arrived after a later step and did not move the status.
type eventView struct {
	Seq          int64
	Status, Note string
	At           string
	Current      bool
	LateAfter    int64
}

// ticketView is what the ticket page shows of a ticket and its delivery.
// It holds the phone masked only, so that no template can print it whole.
type ticketView struct {
	Number, Enterprise, CreditCode, Contact, Phone, Department string
	FiledAt, ConsentedAt, Complaint                            string
	// Status is the ticket's status in Chinese, as the callback StatusSeq
	// set it (0 before the first).
	Status     string
	StatusSeq  int64
	PlatformID string
	Facts      []factView
	Clauses    []clauseView
	History    []eventView

	// DeliveryState is the delivery's state in Chinese, and one of the
	// four flags says which it is.
	DeliveryState                   string
	Pending, Delivering, Done, Dead bool
	Attempts                        int
	// Why is the last failure in plain words, Reason as the worker wrote it.
	Why, Reason              string
	DeliveredAt, NextAttempt string
}

type ticketPage struct {
	page
	Ticket ticketView
}

// GET /console/tickets/:number
//
// ticketPage shows a ticket to staff: the enterprise's complaint with
// what it rests on, where its delivery stands and the platform's progress.
// Opening it is audited, as opening a case is.
func (c *Console) ticketPage(ctx *gin.Context) {
	rctx := ctx.Request.Context()
	number, ok := store.NormalizeTicketNumber(ctx.Param("number"))
	if !ok {
		c.showTicketSearch(ctx, http.StatusNotFound, ctx.Param("number"), "没有找到这个工单号的工单")
		return
	}
	d, err := c.deps.Store.Delivery(rctx, number)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.showTicketSearch(ctx, http.StatusNotFound, number, "没有找到工单 "+number)
		return
	case errors.Is(err, store.ErrNoSealer):
		c.refuse(ctx, http.StatusNotFound, complaintsOff)
		return
	case err != nil:
		c.fail(ctx, err)
		return
	}
	history, err := c.deps.Store.TicketHistory(rctx, number)
	if err != nil {
		c.fail(ctx, err)
		return
	}
	if _, err := c.deps.Store.AppendAudit(rctx, store.AuditEntry{Actor: actor(ctx), Action: store.ActionComplaintOpened, Object: store.TicketObject(number)}); err != nil {
		c.fail(ctx, err)
		return
	}
	lib, done := c.deps.Library()
	defer done()
	t, reason := d.Ticket, reasonOf(d)
	v := ticketView{
		Number: t.Number, Enterprise: t.Enterprise, CreditCode: t.CreditCode, Contact: t.ContactName,
		Phone: maskPhone(t.Phone), Department: departmentOf(t), FiledAt: localTime(t.CreatedAt),
		ConsentedAt: localTime(t.ConsentedAt), Complaint: t.Complaint, Status: t.Status.Label(), StatusSeq: t.StatusSeq,
		PlatformID: t.PlatformTicketID, Facts: factsOf(lib, t.Facts), Clauses: clausesOf(lib, t.Clauses),
		History: historyOf(history, t.StatusSeq),

		DeliveryState: deliveryLabel(d.State), Attempts: d.Attempts, Why: failureWords(reason), Reason: reason,
		DeliveredAt: localTime(d.DeliveredAt), NextAttempt: localTime(d.NextAttemptAt),
		Pending: d.State == store.DeliveryPending, Delivering: d.State == store.DeliveryDelivering,
		Done: d.State == store.DeliveryDelivered, Dead: d.State == store.DeliveryDead,
	}
	c.render(ctx, http.StatusOK, "ticket", ticketPage{page: c.page(ctx, "投诉工单 "+number, lib.LibraryVersion()), Ticket: v})
}

// factsOf lists a ticket's facts in the catalogue's order, each written as
// the library writes it; those the library no longer has follow, as kept.
func factsOf(lib *library.Library, facts store.Facts) []factView {
	p := lib.NewProfile()
	var out []factView
	for _, f := range lib.Facts() {
		kept, ok := facts[f.Key]
		if !ok {
			continue
		}
		v := factView{Label: f.Label, Value: string(kept.Value), Source: factSource(kept)}
		if value, ok := decodeFact(p, f.Key, kept.Value); ok {
			v.Value = matcher.FormatFact(&f, value)
		}
		out = append(out, v)
	}
	for _, k := range slices.Sorted(maps.Keys(facts)) {
		if _, ok := lib.Engine.Catalogue().Lookup(k); !ok {
			out = append(out, factView{Label: k, Value: string(facts[k].Value), Source: factSource(facts[k])})
		}
	}
	return out
}

// factSource says where a fact of a ticket came from.
func factSource(f store.Fact) string {
	if f.Source == store.SourceApplicant {
		return "企业原话:“" + f.Sentence + "”"
	}
	return "工作人员录入"
}

// decodeFact reads a kept value as the profile takes it.
func decodeFact(p *matcher.Profile, key string, raw json.RawMessage) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || p.Set(key, v) != nil {
		return nil, false
	}
	return p.Get(key)
}

// clausesOf cites a ticket's clauses as the case page does.
func clausesOf(lib *library.Library, clauses []store.CitedClause) []clauseView {
	var out []clauseView
	for _, cl := range clauses {
		doc := cl.DocNo
		if d, err := lib.Document(cl.DocID); err == nil {
			doc = kb.CiteDocument(cl.DocNo, d.Title)
		} else if doc == "" {
			doc = cl.DocID
		}
		v := clauseView{Cite: doc + kb.Cite(cl.Article), Title: cl.Title}
		if clause, err := lib.Clause(cl.DocID, cl.Article); err == nil {
			v.Text = clause.Text
		}
		out = append(out, v)
	}
	return out
}

// historyOf lists the callbacks by sequence number, marking the one that
// set the status and those received after a later one. The store keeps
// when each arrived, not whether it moved the status; one received after
// a higher number cannot have, since a callback moves the status only
// past every number before it. Callbacks received at the same instant are
// not told apart, so are not marked.
func historyOf(events []store.StatusEvent, current int64) []eventView {
	var out []eventView
	for _, e := range events {
		// To the second: callbacks of one ticket come minutes apart, or
		// seconds when the platform catches up.
		v := eventView{Seq: e.Seq, Status: e.Status.Label(), Note: e.Note, At: e.ReceivedAt.In(time.Local).Format(time.DateTime), Current: e.Seq == current}
		for _, before := range events {
			if before.Seq > max(e.Seq, v.LateAfter) && before.ReceivedAt.Before(e.ReceivedAt) {
				v.LateAfter = before.Seq
			}
		}
		out = append(out, v)
	}
	return out
}
