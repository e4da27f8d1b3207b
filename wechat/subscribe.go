package wechat

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"time"
)

// sendAPI names subscribeMessage.send in its *APIError.
const sendAPI = "subscribeMessage.send"

type sendResponse struct {
	errorBody
}

// SendSubscribe sends m with the access_token token (POST
// /cgi-bin/message/subscribe/send). Errors are those of an API call:
// *APIError or wrapping ErrUpstream; Sender tells them apart.
func (c *Client) SendSubscribe(ctx context.Context, token string, m Message) error {
	var out sendResponse
	return c.postJSON(ctx, sendAPI, "/cgi-bin/message/subscribe/send", url.Values{"access_token": {token}}, m, &out)
}

// Outcome is how a notice ended, for callers to count.
type Outcome string

// The outcomes of sending, and of a Notifier that chose not to.
const (
	// OutcomeSent: WeChat took the message.
	OutcomeSent Outcome = "sent"
	// OutcomeRefused: WeChat answered 43101: the user holds no acceptance
	// of the template (used up, or unsubscribed).
	OutcomeRefused Outcome = "refused"
	// OutcomeRejected: WeChat refused the message itself, for good: bad
	// data (47003, Result.Field names the key), openid (40003), template
	// (40037) or page (41030), or another answer that no retry mends.
	OutcomeRejected Outcome = "rejected"
	// OutcomeFailed: WeChat could not be reached or stayed busy through
	// every retry, no access_token could be had, or the deadline passed.
	OutcomeFailed Outcome = "failed"
	// OutcomeNotAccepted: the user holds no acceptance that we know of,
	// so nothing was sent.
	OutcomeNotAccepted Outcome = "not_accepted"
	// OutcomeNoRecipient: the ticket has no WeChat user (filed in an
	// anonymous chat), so nothing was sent.
	OutcomeNoRecipient Outcome = "no_recipient"
)

// Result is what became of one message.
type Result struct {
	Outcome Outcome
	// Code is WeChat's errcode in its last answer, 0 for success or none.
	Code int
	// Field is the data key a 47003 answer names, when it names one.
	Field string
	// Attempts is how many times WeChat was asked to send.
	Attempts int
}

// WeChat's errcodes that Sender acts on.
const (
	codeBusy         = -1    // system error: try again
	codeInvalidToken = 40001 // access_token invalid or not the latest
	codeIllegalToken = 40014 // access_token malformed
	codeExpiredToken = 42001 // access_token expired
	codeRefused      = 43101 // the user holds no acceptance
	codeDailyQuota   = 45009 // the API's daily quota is used up
	codeMinuteQuota  = 45011 // the API's per-minute quota is used up
	codeArgInvalid   = 47003 // template data does not fit its keys
)

// How often and after how long NewSender's Sender tries a message again.
const (
	defaultRetries = 3
	defaultBackoff = 500 * time.Millisecond
)

// invalidKey finds the key in a 47003 errmsg, such as "argument invalid!
// data.thing1.value is empty rid: ...".
var invalidKey = regexp.MustCompile(`data\.([a-z_]+[0-9]+)\.value`)

// Sender sends subscribe messages with an access_token of Tokens.
type Sender struct {
	client *Client
	tokens *Tokens
	// retries is how many times a message is sent again after an answer
	// that may pass (-1, 45009, 45011, a transport failure); the waits
	// between grow from backoff, doubling, each drawn at random from half
	// to all of it so that senders part.
	retries int
	backoff time.Duration
}

// NewSender returns a Sender that sends with client and tokens, and tries
// a message up to 3 more times with waits from 0.5 seconds up.
func NewSender(client *Client, tokens *Tokens) *Sender {
	return &Sender{client: client, tokens: tokens, retries: defaultRetries, backoff: defaultBackoff}
}

// Send sends m and says what became of it. An answer that the token is
// invalid or expired (40001, 42001, 40014) refreshes the token and sends
// once more; 43101, and the answers that no retry mends, are final at once;
// the others are retried with backoff, within ctx's deadline. The error,
// nil only when the message was sent, says why for the logs.
func (s *Sender) Send(ctx context.Context, m Message) (Result, error) {
	var res Result
	token, refreshed := "", false
	// once sends m once, taking a token first when there is none (a failed
	// fetch leaves none), and, the first time WeChat refuses the token,
	// once more with a refreshed one.
	once := func() error {
		if token == "" {
			t, err := s.tokens.Token(ctx)
			if err != nil {
				return err
			}
			token = t
		}
		res.Attempts++
		err := s.client.SendSubscribe(ctx, token, m)
		if apiErr, ok := errors.AsType[*APIError](err); !ok || !tokenRejected(apiErr.Code) || refreshed {
			return err
		}
		refreshed = true
		t, err := s.tokens.Refresh(ctx, token)
		if err != nil {
			token = ""
			return err
		}
		token = t
		res.Attempts++
		return s.client.SendSubscribe(ctx, token, m)
	}
	for retry := 0; ; retry++ {
		err := once()
		res.Code = 0
		apiErr, isAPI := errors.AsType[*APIError](err)
		if isAPI {
			res.Code = apiErr.Code
		}
		fail := func(o Outcome, err error) (Result, error) {
			res.Outcome = o
			return res, fmt.Errorf("wechat: send with template %s: %w", m.TemplateID, err)
		}
		switch {
		case err == nil:
			res.Outcome = OutcomeSent
			return res, nil
		case ctx.Err() != nil:
			return fail(OutcomeFailed, err)
		case isAPI && transient(apiErr.Code):
			// Retried below.
		case isAPI && apiErr.API != sendAPI:
			// WeChat refused a token for good (a wrong appid or secret,
			// a server address off its list): ours to mend, not the
			// message's fault.
			return fail(OutcomeFailed, err)
		case isAPI && tokenRejected(apiErr.Code):
			return fail(OutcomeFailed, fmt.Errorf("a refreshed access_token was refused too: %w", err))
		case isAPI && apiErr.Code == codeRefused:
			return fail(OutcomeRefused, err)
		case isAPI:
			if k := invalidKey.FindStringSubmatch(apiErr.Msg); apiErr.Code == codeArgInvalid && k != nil {
				res.Field = k[1]
			}
			return fail(OutcomeRejected, err)
		}
		if retry == s.retries {
			return fail(OutcomeFailed, fmt.Errorf("still failing after %d retries: %w", retry, err))
		}
		if werr := s.wait(ctx, retry+1); werr != nil {
			return fail(OutcomeFailed, fmt.Errorf("%w (then %w)", err, werr))
		}
	}
}

// wait sleeps before the retry-th retry, or returns ctx's error.
func (s *Sender) wait(ctx context.Context, retry int) error {
	d := s.backoff << (retry - 1)
	d = d/2 + rand.N(d/2+1)
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tokenRejected reports whether code says the access_token is no good.
func tokenRejected(code int) bool {
	return code == codeInvalidToken || code == codeExpiredToken || code == codeIllegalToken
}

// transient reports whether code is an answer that a later try may not get.
func transient(code int) bool {
	return code == codeBusy || code == codeDailyQuota || code == codeMinuteQuota
}
