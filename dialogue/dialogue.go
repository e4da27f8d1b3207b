package dialogue

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// Store keeps session state; session.Memory and session.Redis satisfy it.
type Store interface {
	// Update atomically replaces the value of key with fn(old); old is nil
	// when the key is absent. fn may run more than once.
	Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error
}

// Searcher finds clauses for a question and the sentences of a clause that
// answer it.
type Searcher interface {
	// SearchIn looks among the clauses of docIDs; nil means every document.
	SearchIn(ctx context.Context, q string, size int, docIDs []string) ([]kb.Hit, error)
	Answer(c *kb.Clause, q string) string
}

// Library looks clauses up by document and number, and has the chat's texts.
type Library interface {
	Clause(docID, article string) (*kb.Clause, error)
	Documents() []*kb.Document
	// DocumentsIn returns the documents in force on t in region's area.
	DocumentsIn(region *gazetteer.Division, t time.Time) []string
	ChatTexts() kb.ChatTexts
}

// Source is one library as a turn reads it: its rules, its clauses and their
// search, and the reader of its phrases. A turn takes the current one at its
// start and keeps it to the end, so a reload never changes a turn halfway.
type Source struct {
	Engine  *matcher.Engine
	Search  Searcher
	Library Library
	Reader  *Reader
	// Version is the library's content hash, told in every reply.
	Version string
}

// Errors a turn can fail with besides the store's own.
var (
	// ErrInvalid is returned for an empty or over-long message or a
	// malformed session id; the *InputError says which.
	ErrInvalid = errors.New("dialogue: invalid input")
	// ErrForbidden is returned when a session belongs to another user.
	ErrForbidden = errors.New("dialogue: session belongs to another user")
)

// InputError names the input field at fault.
type InputError struct {
	Field, Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }
func (e *InputError) Unwrap() error { return ErrInvalid }

// MaxMessageRunes bounds one chat message.
const MaxMessageRunes = 500

// maxFollowUps is how many questions are asked in a row before a summary.
const maxFollowUps = 3

// Service runs chat turns.
type Service struct {
	source  func() (*Source, func())
	store   Store
	now     func() time.Time
	history int

	// The library of the turn under way; set only on the copy a turn runs on.
	engine  *matcher.Engine
	search  Searcher
	library Library
	reader  *Reader
	texts   kb.ChatTexts
	version string
	// desk files complaints; nil when no complaint platform is configured.
	desk ComplaintDesk
}

// WithComplaintDesk returns a copy of s that offers to file complaints
// with d.
func (s *Service) WithComplaintDesk(d ComplaintDesk) *Service {
	t := *s
	t.desk = d
	return &t
}

// NewService returns a chat service over the library that source returns at
// the start of each turn (with the function that ends the turn's use of it),
// keeping history turns per session.
func NewService(source func() (*Source, func()), store Store, now func() time.Time, history int) *Service {
	return &Service{source: source, store: store, now: now, history: history}
}

// bind returns a copy of s that reads the library current now, and the
// function that ends the turn's use of it.
func (s *Service) bind() (*Service, func()) {
	src, release := s.source()
	t := *s
	t.engine, t.search, t.library, t.reader, t.texts, t.version = src.Engine, src.Search, src.Library, src.Reader, src.Library.ChatTexts(), src.Version
	return &t, release
}

// Input is one message from a user.
type Input struct {
	Owner string // openid, or "" for anonymous chat
	// SessionID names the session to continue; "" starts a new one, and so
	// does an id of no session, under an id the server chooses.
	SessionID string
	Message   string
	// AsOf is the date to judge on; zero keeps the session's, or today.
	AsOf time.Time
	// IdempotencyKey, when set, makes a retry of the turn return the first
	// reply without applying the message again; "" for none.
	IdempotencyKey string
}

// Citation names a clause an answer rests on.
type Citation struct {
	DocID string `json:"doc_id"`
	DocNo string `json:"doc_no"`
	// DocTitle names a document that has no 文号 to a reader.
	DocTitle string `json:"doc_title,omitempty"`
	Article  string `json:"article"`
	Title    string `json:"title,omitempty"`
}

// Reply is the answer to one turn, in the shape of contract.md.
type Reply struct {
	SessionID string           `json:"session_id"`
	Reply     string           `json:"reply"`
	Results   []matcher.Result `json:"results"`
	// Validity is the validity of each document of the results, once.
	Validity  []matcher.Validity `json:"validity"`
	Citations []Citation         `json:"citations"`
	Question  *matcher.Question  `json:"question"`
	Profile   *matcher.Profile   `json:"profile"`
	// Facts are the same facts with the message each came from.
	Facts  []FactRecord `json:"facts"`
	Intent string       `json:"intent"`
	// Restarted is set when the session asked for had expired or never
	// existed, so this message began a new one, under a new SessionID.
	Restarted bool `json:"restarted"`
	// LibraryVersion is the content hash of the library that answered.
	LibraryVersion string `json:"library_version"`
	// TicketNo is the number of the complaint this turn filed, or "".
	TicketNo string `json:"ticket_no,omitempty"`
	// Replayed is set when the turn's idempotency key had been seen: this
	// is the first reply, read back from the JSON it was sent as, and the
	// message was not applied again.
	Replayed bool `json:"-"`

	body []byte // the JSON a keyed turn's reply is sent as, every time
}

var sessionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// Turn reads one message, updates the session and answers. The same message
// in the same state always gets the same answer. A turn with an idempotency
// key that the session has seen is answered with the reply it had then, and
// changes nothing; with another message it fails with ErrKeyReused.
func (s *Service) Turn(ctx context.Context, in Input) (*Reply, error) {
	msg := strings.TrimSpace(in.Message)
	switch {
	case msg == "":
		return nil, &InputError{"message", "消息不能为空"}
	case !utf8.ValidString(msg):
		return nil, &InputError{"message", "消息不是合法的UTF-8文本"}
	case utf8.RuneCountInString(msg) > MaxMessageRunes:
		return nil, &InputError{"message", fmt.Sprintf("消息过长(最多%d个字)", MaxMessageRunes)}
	}
	if in.SessionID != "" && !sessionIDPattern.MatchString(in.SessionID) {
		return nil, &InputError{"session_id", "会话编号格式不正确"}
	}
	var k *KeyedTurn
	if in.IdempotencyKey != "" {
		if err := checkKey(in.IdempotencyKey, in.Owner == "" && in.SessionID == ""); err != nil {
			return nil, err
		}
		asOf := ""
		if !in.AsOf.IsZero() {
			asOf = in.AsOf.Format(time.DateOnly)
		}
		k = &KeyedTurn{Key: digest(in.IdempotencyKey), Request: digest(msg, asOf)}
	}
	s, release := s.bind()
	defer release()
	if in.SessionID != "" {
		reply, err := s.apply(ctx, in.SessionID, false, in, msg, k)
		if !errors.Is(err, errNoSession) {
			return reply, err
		}
	}
	// A new session, under an id of the server's choosing: an id it did
	// not issue, or one that expired, is never taken up, so nobody can
	// choose an id that another user is then given or will guess. A keyed
	// turn's retry must find the session its first try opened, so the id
	// follows from the key.
	id := newSessionID()
	if k != nil {
		id = keyedSessionID(in.Owner, in.SessionID, in.IdempotencyKey)
	}
	return s.apply(ctx, id, true, in, msg, k)
}

// errNoSession is returned by apply when the session asked for is absent;
// errReplayed when a keyed turn was answered from the session's memory.
var (
	errNoSession = errors.New("dialogue: no such session")
	errReplayed  = errors.New("dialogue: replayed")
)

// apply runs the turn on session id in one store update, so that a turn is
// applied and its key remembered together or not at all. A session that does
// not exist is created only when fresh is set, and otherwise apply writes
// nothing and returns errNoSession; a fresh id that exists is the session a
// first try of the keyed turn k opened.
func (s *Service) apply(ctx context.Context, id string, fresh bool, in Input, msg string, k *KeyedTurn) (*Reply, error) {
	var reply *Reply
	err := s.store.Update(ctx, id, func(old []byte) ([]byte, error) {
		reply = nil
		var st *State
		switch {
		case old == nil && !fresh:
			return nil, errNoSession
		case old == nil:
			st = &State{ID: id, Owner: in.Owner}
		case fresh && k == nil:
			// 128 random bits do not collide; if they ever did, the
			// session found is someone else's.
			return nil, errors.New("dialogue: new session id already in use")
		default:
			var err error
			if st, err = decodeState(old); err != nil {
				return nil, err
			}
			if st.Owner != in.Owner {
				return nil, ErrForbidden
			}
		}
		if k != nil {
			if seen := st.keyed(k.Key); seen != nil {
				r, err := s.replay(seen, k)
				if err != nil {
					return nil, err
				}
				reply = r
				return nil, errReplayed // nothing to write
			}
			if fresh && old != nil {
				// The key's session exists but no longer remembers it.
				return nil, ErrReplayGone
			}
		}
		if !in.AsOf.IsZero() {
			st.AsOf = in.AsOf.Format(time.DateOnly)
		}
		r, err := s.turn(ctx, st, msg)
		if err != nil {
			return nil, err
		}
		r.Validity = matcher.ValidityOf(r.Results)
		if fresh && in.SessionID != "" {
			// The user may be in the middle of a conversation that timed
			// out: say so, rather than answer as if nothing was lost.
			r.Restarted = true
			r.Reply = "(之前的会话已过期,已开始新的会话;如有需要请重新提供企业信息。)" + r.Reply
		}
		if k != nil {
			if r.body, err = json.Marshal((*replyJSON)(r)); err != nil {
				return nil, err
			}
			packed, err := deflate(r.body)
			if err != nil {
				return nil, fmt.Errorf("dialogue: compress reply: %w", err)
			}
			st.remember(KeyedTurn{Key: k.Key, Request: k.Request, Turn: st.Turn, Reply: packed})
		}
		reply = r
		return json.Marshal(st)
	})
	if err != nil && !errors.Is(err, errReplayed) {
		return nil, err
	}
	return reply, nil
}

// replay answers a keyed turn the session has seen, as it was answered then.
func (s *Service) replay(seen, k *KeyedTurn) (*Reply, error) {
	switch {
	case seen.Request != k.Request:
		return nil, ErrKeyReused
	case seen.Reply == nil:
		return nil, ErrReplayGone
	}
	body, err := inflate(seen.Reply)
	if err != nil {
		return nil, fmt.Errorf("dialogue: stored reply: %w", err)
	}
	return readReply(body, s.engine.Catalogue())
}

func newSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
