package dialogue

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"policybot/matcher"
)

// State is what a chat session remembers between turns. It is stored as JSON
// and must stay readable by the next version of the service.
type State struct {
	ID    string `json:"id"`
	Owner string `json:"owner,omitempty"` // WeChat openid; empty for anonymous chat
	// Facts are the facts gathered so far, each with the message it came from.
	Facts    []FactRecord `json:"facts"`
	Declined []string     `json:"declined,omitempty"` // facts the user does not know
	Pending  string       `json:"pending,omitempty"`  // the fact just asked about
	// FollowUps counts questions asked in a row; at the limit the next turn
	// summarises instead of asking.
	FollowUps int `json:"follow_ups,omitempty"`
	// CaveatShown is set once the validity caveat has been told.
	CaveatShown bool `json:"caveat_shown,omitempty"`
	// Cited are the clauses the last answer that cited any cited, for a
	// follow-up that refers to them (这笔奖励由哪级财政出, 具体怎么算); a
	// turn that cites nothing leaves them.
	Cited []Citation `json:"cited,omitempty"`
	// Told are the benefits the last eligibility answer told of, for a
	// follow-up about them (还有效吗, 找哪个部门).
	Told []string `json:"told,omitempty"`
	// Asked are the benefits the user last asked about by name (柳河那个过渡期
	// 补助能享受吗), kept in play until their facts are known.
	Asked []string `json:"asked,omitempty"`
	// Uncovered is the turn whose question the library did not cover, so
	// that the next turn saying only who asks (就是我个人的,不是公司的)
	// is answered alike.
	Uncovered int    `json:"uncovered,omitempty"`
	Turn      int    `json:"turn"`
	History   []Line `json:"history,omitempty"`
	// AsOf is the date the session judges on, YYYY-MM-DD; empty for today.
	AsOf string `json:"as_of,omitempty"`
	// Keyed are the turns that came with an idempotency key, oldest first,
	// so that a retry is answered without being applied again.
	Keyed []KeyedTurn `json:"keyed,omitempty"`
	// Complaint is a complaint being gathered to file, or nil.
	Complaint *ComplaintDraft `json:"complaint,omitempty"`
	// Earlier is the case the last new one set aside (再问一家园区里的企业),
	// so that a message back about it (园区那边今年还…) takes it up again;
	// nil when none.
	Earlier *Case `json:"earlier,omitempty"`

	// unasked marks the case of one applicant of several asked for at
	// once: its answer asks no question, since a reply could not say
	// whose it is. It is never stored.
	unasked bool
}

// Case is the facts of one applicant's case, set aside.
type Case struct {
	Facts    []FactRecord `json:"facts"`
	Declined []string     `json:"declined,omitempty"`
}

// asOf returns the day the session judges on: the one it was given, or
// today in China.
func (s *State) asOf(now time.Time) time.Time {
	if t, err := time.Parse(time.DateOnly, s.AsOf); err == nil {
		return t
	}
	return matcher.Today(now)
}

// FactRecord is one fact with where it came from.
type FactRecord struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Approx bool   `json:"approx,omitempty"`
	// Range is what the words of an approximate figure allow, and Bounds
	// the user's words for it when two bounds make it.
	Range  *Range `json:"range,omitempty"`
	Bounds string `json:"bounds,omitempty"`
	Turn   int    `json:"turn"`   // the turn of the message it came from
	Source string `json:"source"` // the words it was read from
	Note   string `json:"note,omitempty"`
}

// Line is one message of the bounded history: what the user said and how it
// was read. Replies are not kept; they follow from the state and the rules.
type Line struct {
	Turn   int    `json:"turn"`
	User   string `json:"user"`
	Intent string `json:"intent"`
}

// profile builds the matcher profile of the facts gathered so far.
func (s *State) profile(cat *matcher.Catalogue) (*matcher.Profile, error) {
	p := cat.NewProfile()
	for _, f := range s.Facts {
		if err := p.Set(f.Key, storedValue(cat, f)); err != nil {
			return nil, fmt.Errorf("dialogue: stored fact %s: %w", f.Key, err)
		}
	}
	return p, nil
}

// storedValue is a fact's value as a profile takes it: JSON brings numbers
// back as float64, and money facts are whole yuan.
func storedValue(cat *matcher.Catalogue, f FactRecord) any {
	if x, ok := f.Value.(float64); ok {
		if fact, _ := cat.Lookup(f.Key); fact != nil && fact.Kind == matcher.KindMoney {
			return int64(x)
		}
	}
	return f.Value
}

// forget drops the stored facts the library no longer takes (a reloaded
// library renamed a fact or an option, or narrowed its bounds), so that a
// conversation goes on with what still holds rather than failing.
func (s *State) forget(cat *matcher.Catalogue) {
	p := cat.NewProfile()
	s.Facts = slices.DeleteFunc(s.Facts, func(f FactRecord) bool { return p.Set(f.Key, storedValue(cat, f)) != nil })
	if s.Pending != "" {
		if _, ok := cat.Lookup(s.Pending); !ok {
			s.Pending = ""
		}
	}
}

// set records a fact, replacing an earlier value of the same key.
func (s *State) set(r FactRecord) {
	s.Facts = slices.DeleteFunc(s.Facts, func(f FactRecord) bool { return f.Key == r.Key })
	s.Facts = append(s.Facts, r)
	s.Declined = slices.DeleteFunc(s.Declined, func(k string) bool { return k == r.Key })
}

// fact returns the record of key.
func (s *State) fact(key string) (FactRecord, bool) {
	for _, f := range s.Facts {
		if f.Key == key {
			return f, true
		}
	}
	return FactRecord{}, false
}

// recent lists fact keys most recently set first.
func (s *State) recent() []string {
	out := make([]string, 0, len(s.Facts))
	for i := len(s.Facts) - 1; i >= 0; i-- {
		out = append(out, s.Facts[i].Key)
	}
	return out
}

// values maps each gathered fact to its value.
func (s *State) values() map[string]any {
	m := make(map[string]any, len(s.Facts))
	for _, f := range s.Facts {
		m[f.Key] = f.Value
	}
	return m
}

// sources maps each gathered fact to the words it was read from.
func (s *State) sources() map[string]string {
	m := make(map[string]string, len(s.Facts))
	for _, f := range s.Facts {
		m[f.Key] = f.Source
	}
	return m
}

// applicantType is the applicant type gathered so far, enterprise by default.
func (s *State) applicantType() string {
	if f, ok := s.fact("applicant_type"); ok {
		if v, ok := f.Value.(string); ok {
			return v
		}
	}
	return "enterprise"
}

func decodeState(raw []byte) (*State, error) {
	var s State
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("dialogue: stored session: %w", err)
	}
	return &s, nil
}
