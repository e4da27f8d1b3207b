package fakeplatform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"policybot/complaints"
	"policybot/complaints/sign"
)

// callback is a callback to send: its body is encoded once, so that a
// repeat is the same bytes.
type callback struct {
	c    complaints.StatusCallback
	kind string
	body []byte
}

// closedLoop is the 12345 closed loop, in order, with what the platform
// says at each step.
var closedLoop = []struct{ status, note string }{
	{"受理", "已受理,编号见平台"},
	{"转办", "转办至承办单位"},
	{"办理中", "承办单位正在办理"},
	{"办结", "已办结,办理结果已告知企业"},
	{"回访", "已电话回访"},
	{"评价", "满意"},
}

// plan returns the callbacks of a ticket received. p.mu must be held.
func (p *Platform) plan(t complaints.TicketPayload, platformID string) []callback {
	cb := p.cfg.Callbacks
	var sends []callback
	for i, step := range closedLoop {
		note := step.note
		if step.status == "转办" && t.Department != "" {
			note = "转办至" + t.Department
		}
		c := complaints.StatusCallback{TicketNo: t.TicketNo, PlatformTicketID: platformID, Seq: int64(i + 1),
			Status: step.status, Note: note, At: time.Now().UTC()}
		sends = append(sends, newCallback(c, CallbackFirst))
		if p.rand.Float64() < cb.Repeat {
			sends = append(sends, newCallback(c, CallbackRepeat))
		}
		if p.rand.Float64() < cb.Conflict {
			c.Note += "(更正)"
			sends = append(sends, newCallback(c, CallbackConflict))
		}
	}
	if cb.Reorder {
		p.rand.Shuffle(len(sends), func(i, j int) { sends[i], sends[j] = sends[j], sends[i] })
	}
	return sends
}

func newCallback(c complaints.StatusCallback, kind string) callback {
	body, err := json.Marshal(c)
	if err != nil {
		panic("fakeplatform: encode a callback: " + err.Error()) // strings and numbers always encode
	}
	return callback{c: c, kind: kind, body: body}
}

// callbackTimeout bounds one callback.
const callbackTimeout = 10 * time.Second

// send sends the callbacks of a ticket, one after another.
func (p *Platform) send(sends []callback) {
	defer p.callbacks.Done()
	for _, c := range sends {
		select {
		case <-p.ctx.Done():
			return
		case <-time.After(p.cfg.Callbacks.Interval):
		}
		res := CallbackResult{TicketNo: c.c.TicketNo, Seq: c.c.Seq, Status: c.c.Status, Kind: c.kind}
		res.Code, res.Error = p.post(c.body)
		p.mu.Lock()
		p.ledger.Callbacks = append(p.ledger.Callbacks, res)
		p.mu.Unlock()
	}
}

// post sends one callback, signed anew, and returns the answer's status.
func (p *Platform) post(body []byte) (int, string) {
	ctx, cancel := context.WithTimeout(p.ctx, callbackTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.Callbacks.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if err := sign.Sign(req, body, p.cfg.Key); err != nil {
		return 0, err.Error()
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			p.log.Warn("fakeplatform: callback", "err", err)
		}
		return 0, err.Error()
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, string(answer)
	}
	return resp.StatusCode, ""
}
