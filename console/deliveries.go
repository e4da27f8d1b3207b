package console

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/store"
)

// deadListLimit bounds the dead letters one page lists: a platform down
// for a day leaves them by the hundred, and the newest are retried first.
const deadListLimit = 100

// deliveryLabels are the states of a delivery as staff say them.
var deliveryLabels = map[store.DeliveryState]string{
	store.DeliveryPending:    "等待投递",
	store.DeliveryDelivering: "正在投递",
	store.DeliveryDelivered:  "已投递",
	store.DeliveryDead:       "已停止投递",
}

// deliveryLabel returns a delivery state in Chinese, or its code.
func deliveryLabel(s store.DeliveryState) string {
	if l, ok := deliveryLabels[s]; ok {
		return l
	}
	return string(s)
}

// stateCount is one state of the outbox with its count.
type stateCount struct {
	Label string
	N     int
}

// deadLetter is a dead delivery as the list shows it.
type deadLetter struct {
	Number, Enterprise, Department, FiledAt, DiedAt, Why, Reason string
	Attempts                                                     int
}

// retryResult is what a retry did, shown on the page it redirects to:
// Stale when the delivery was no longer dead, so nothing was done.
type retryResult struct {
	Number, State string
	Stale         bool
}

type deliveriesPage struct {
	page
	Counts []stateCount
	Dead   []deadLetter
	// More is how many dead letters the list leaves out.
	More   int
	Result *retryResult
}

// GET /console/deliveries
//
// deliveriesPage shows the outbox by state and its dead letters, each
// with the button that retries it.
func (c *Console) deliveriesPage(ctx *gin.Context) {
	rctx := ctx.Request.Context()
	counts, err := c.deps.Store.DeliveryCounts(rctx)
	if err != nil {
		c.fail(ctx, err)
		return
	}
	dead, err := c.deps.Store.DeadDeliveries(rctx, deadListLimit)
	if errors.Is(err, store.ErrNoSealer) {
		c.refuse(ctx, http.StatusNotFound, complaintsOff)
		return
	}
	if err != nil {
		c.fail(ctx, err)
		return
	}
	lib, done := c.deps.Library()
	defer done()
	p := deliveriesPage{page: c.page(ctx, "投诉工单投递", lib.LibraryVersion()), More: max(counts[store.DeliveryDead]-len(dead), 0)}
	for _, s := range []store.DeliveryState{store.DeliveryPending, store.DeliveryDelivering, store.DeliveryDelivered, store.DeliveryDead} {
		p.Counts = append(p.Counts, stateCount{Label: deliveryLabel(s), N: counts[s]})
	}
	for _, d := range dead {
		reason := reasonOf(d)
		p.Dead = append(p.Dead, deadLetter{
			Number: d.Ticket.Number, Enterprise: d.Ticket.Enterprise, Department: departmentOf(d.Ticket),
			FiledAt: localTime(d.Ticket.CreatedAt), DiedAt: localTime(d.UpdatedAt),
			Why: failureWords(reason), Reason: reason, Attempts: d.Attempts,
		})
	}
	// The state a retry left is read back from the store: by the time the
	// page loads, a worker may have taken the delivery on.
	number, stale := ctx.Query("retried"), false
	if number == "" {
		number, stale = ctx.Query("stale"), true
	}
	if number, ok := store.NormalizeTicketNumber(number); ok {
		d, err := c.deps.Store.Delivery(rctx, number)
		switch {
		case err == nil:
			p.Result = &retryResult{Number: number, State: deliveryLabel(d.State), Stale: stale}
		case !errors.Is(err, store.ErrNotFound):
			c.fail(ctx, err)
			return
		}
	}
	c.render(ctx, http.StatusOK, "deliveries", p)
}

// POST /console/deliveries/:number/retry
//
// retryDelivery makes a dead delivery pending again; the store audits it.
// A delivery someone retried meanwhile is no error: the page says so.
func (c *Console) retryDelivery(ctx *gin.Context) {
	number, ok := store.NormalizeTicketNumber(ctx.Param("number"))
	if !ok {
		c.refuse(ctx, http.StatusNotFound, "没有这个工单")
		return
	}
	_, err := c.deps.Store.RetryDelivery(ctx.Request.Context(), number, actor(ctx))
	result := "retried"
	switch {
	case errors.Is(err, store.ErrConflict):
		result = "stale"
	case errors.Is(err, store.ErrNotFound):
		c.refuse(ctx, http.StatusNotFound, "没有这个工单")
		return
	case errors.Is(err, store.ErrNoSealer):
		c.refuse(ctx, http.StatusNotFound, complaintsOff)
		return
	case err != nil:
		c.fail(ctx, err)
		return
	}
	ctx.Redirect(http.StatusSeeOther, "/console/deliveries?"+url.Values{result: {number}}.Encode())
}

// complaintsOff is the answer of the complaint pages on a service started
// without the master key, whose store cannot open tickets.
const complaintsOff = "本服务未开启投诉工单功能(启动时未加 --complaints)"

// departmentOf names a ticket's department, or says there is none.
func departmentOf(t store.Ticket) string {
	if t.Department == "" {
		return "未确定"
	}
	return t.Department
}

// localTime writes a time of the store at the counter's clock.
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format("2006-01-02 15:04")
}

// reasonOf returns why a delivery last failed, as the worker wrote it,
// with the ticket's phone masked: the excerpt of the platform's answer it
// quotes may echo the phone it was sent.
func reasonOf(d store.Delivery) string {
	if d.Ticket.Phone == "" {
		return d.LastError
	}
	return strings.ReplaceAll(d.LastError, d.Ticket.Phone, maskPhone(d.Ticket.Phone))
}

// maskPhone keeps the first three and the last four digits of a phone,
// enough for staff to ask a caller to confirm it: 138****8000.
func maskPhone(phone string) string {
	if len(phone) < 10 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:3] + strings.Repeat("*", len(phone)-7) + phone[len(phone)-4:]
}

// answeredRE reads the status code of the platform's answer in a reason.
var answeredRE = regexp.MustCompile(`^platform answered ([0-9]{3})`)

// failureWords says why a delivery failed in words a supervisor can act
// on. The reasons are the outbox worker's (complaints.Worker), in English
// for the logs; one this does not know is shown as it is.
func failureWords(reason string) string {
	switch {
	case reason == "":
		return ""
	case reason == "failed, no reason given":
		return "未记录原因"
	case strings.HasPrefix(reason, "cannot reach the platform"):
		return "连接不上投诉平台(网络不通或平台停机)"
	case strings.HasPrefix(reason, "no answer from the platform"):
		return "投诉平台在规定时间内没有应答"
	case strings.HasPrefix(reason, "platform refused the ticket"):
		return "投诉平台拒收了这张工单,认为内容不合格;请先与平台核对,否则重新投递仍会被拒"
	case strings.Contains(reason, "without a valid platform_ticket_id"):
		return "投诉平台有应答,但没有给出有效的平台工单号"
	case strings.Contains(reason, "then the connection failed"):
		return "投诉平台应答时连接中断"
	case answeredRE.MatchString(reason):
		return "投诉平台出错(状态码 " + answeredRE.FindStringSubmatch(reason)[1] + ")"
	case strings.HasPrefix(reason, "no signing key"), strings.HasPrefix(reason, "sign:"):
		return "本系统没有可用的投诉平台签名密钥,请联系系统管理员"
	case strings.HasPrefix(reason, "platform URL"), strings.HasPrefix(reason, "encode the ticket"):
		return "本系统的投递配置有误,请联系系统管理员"
	}
	return reason
}
