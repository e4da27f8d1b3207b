package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"policybot/internal/uscc"
)

// Bounds on what a ticket holds.
const (
	maxContactLen    = 50
	maxComplaintLen  = 2000
	maxDepartmentLen = 100
	maxClauses       = 50
	maxOwnerKeyLen   = 128
)

// ticketZone is the time zone of a ticket number's date: Beijing time,
// which keeps no daylight saving.
var ticketZone = time.FixedZone("CST", 8*3600)

var (
	idempotencyKeyRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)
	ticketNumberRE   = regexp.MustCompile(`^TS([0-9]{8})([0-9]{4,6})$`)
	mobileRE         = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlineRE       = regexp.MustCompile(`^0[1-9][0-9]{8,10}$`)
)

// ticketNumber returns the number of the seq-th ticket of day (yyyymmdd):
// TS20260115-0042, short enough to read out and type. It is no secret:
// reading a ticket takes its owner or its phone too.
func ticketNumber(day string, seq int64) string {
	return fmt.Sprintf("TS%s-%04d", day, seq)
}

// NormalizeTicketNumber returns a ticket number as kept from one as a
// person types it (in either case, in full-width characters, with spaces
// or without its hyphen), or false for text that is no ticket number.
func NormalizeTicketNumber(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return unicode.ToUpper(r)
	}, norm.NFKC.String(s))
	m := ticketNumberRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return "TS" + m[1] + "-" + m[2], true
}

// NormalizePhone returns a phone as kept, its digits without the country
// code, from one as a person types it (with spaces, hyphens, brackets,
// +86), or false for text that is neither a mainland mobile number nor a
// landline number with its area code.
func NormalizePhone(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-()+", r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
	switch {
	case strings.HasPrefix(s, "0086"):
		s = s[4:]
	case strings.HasPrefix(s, "86") && len(s) == 13:
		s = s[2:]
	}
	if mobileRE.MatchString(s) || landlineRE.MatchString(s) {
		return s, true
	}
	return "", false
}

// phoneAD is the associated data of a ticket's phone, sealed and hashed:
// bound to the ticket, so that a sealed phone copied to another ticket
// does not open, and equal phones of two tickets hash apart, so that the
// hashes neither link a person's tickets nor let anyone try a phone
// against all of them at once.
func phoneAD(number string) []byte {
	return []byte("complaint_tickets/phone/" + number)
}

// requestAD is the associated data of the hash of what was filed.
var requestAD = []byte("complaint_tickets/request")

// ticketRow is a NewTicket checked and encoded as the database keeps it.
type ticketRow struct {
	idempotencyKey string
	owner          string
	contact        string
	phone          string
	enterprise     string
	creditCode     sql.NullString
	complaint      string
	facts          []byte
	clauses        []byte
	department     string
	consentedAt    time.Time
}

func checkTicket(in NewTicket, now time.Time) (ticketRow, error) {
	var r ticketRow
	var err error
	if !idempotencyKeyRE.MatchString(in.IdempotencyKey) {
		return r, invalid("idempotency_key", "an idempotency key is 1 to 128 of A-Z, a-z, 0-9 and . _ : -")
	}
	r.idempotencyKey = in.IdempotencyKey
	if err := checkText("owner_key", in.OwnerKey, maxOwnerKeyLen, ""); err != nil {
		return r, err
	}
	r.owner = in.OwnerKey
	if r.contact, err = line("contact_name", in.ContactName, maxContactLen); err != nil {
		return r, err
	}
	var ok bool
	if r.phone, ok = NormalizePhone(in.Phone); !ok {
		return r, invalid("phone", "请填写11位手机号码,或带区号的固定电话")
	}
	if r.enterprise, err = line("enterprise", in.Enterprise, maxEnterpriseLen); err != nil {
		return r, err
	}
	if code := strings.ToUpper(strings.TrimSpace(in.CreditCode)); code != "" {
		if err := uscc.Check(code); err != nil {
			return r, invalid("credit_code", err.Error())
		}
		r.creditCode = sql.NullString{String: code, Valid: true}
	}
	if r.complaint, err = text("complaint", in.Complaint, maxComplaintLen); err != nil {
		return r, err
	}
	if r.complaint == "" {
		return r, invalid("complaint", "不能为空")
	}
	if r.facts, err = checkFacts(in.Facts); err != nil {
		return r, err
	}
	if r.clauses, err = checkClauses(in.Clauses); err != nil {
		return r, err
	}
	if r.department, err = text("department", in.Department, maxDepartmentLen); err != nil {
		return r, err
	}
	r.consentedAt = in.ConsentedAt.UTC().Truncate(time.Microsecond)
	if in.ConsentedAt.IsZero() || r.consentedAt.After(now) {
		return r, invalid("consented_at", "a ticket is filed only with the user's consent, given before")
	}
	return r, nil
}

func checkClauses(clauses []CitedClause) ([]byte, error) {
	if len(clauses) > maxClauses {
		return nil, invalid("clauses", fmt.Sprintf("不能超过%d条", maxClauses))
	}
	out := make([]CitedClause, len(clauses))
	for i, c := range clauses {
		field := fmt.Sprintf("clauses[%d]", i)
		var err error
		if out[i].DocID, err = line(field+".doc_id", c.DocID, 100); err != nil {
			return nil, err
		}
		if out[i].Article, err = line(field+".article", c.Article, 50); err != nil {
			return nil, err
		}
		if out[i].DocNo, err = text(field+".doc_no", c.DocNo, 100); err != nil {
			return nil, err
		}
		if out[i].Title, err = text(field+".title", c.Title, 200); err != nil {
			return nil, err
		}
	}
	return json.Marshal(out)
}

// canonical returns what was filed in one encoding, for its hash.
func (r ticketRow) canonical() []byte {
	b, err := json.Marshal([]any{r.idempotencyKey, r.owner, r.contact, r.phone, r.enterprise, r.creditCode.String,
		r.complaint, json.RawMessage(r.facts), json.RawMessage(r.clauses), r.department, r.consentedAt.Format(timeLayout)})
	if err != nil {
		panic("store: encode a ticket: " + err.Error()) // strings and checked JSON always encode
	}
	return b
}
