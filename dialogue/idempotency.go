package dialogue

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"policybot/matcher"
)

// A session remembers the keys of its last maxKeyedTurns turns that came with
// an idempotency key, and the replies of the last maxKeyedReplies of them. A
// client retries the turn it got no answer to, so a few replies are plenty;
// the keys, which cost far less, are kept longer so that a late duplicate of
// an older turn is refused rather than applied again.
const (
	maxKeyedTurns   = 64
	maxKeyedReplies = 2
)

// Idempotency keys are 1 to maxKeyLen printable ASCII characters. A key that
// opens a session of an anonymous caller must have at least minOpeningKeyLen:
// such keys are shared by every anonymous caller, so a short one (1, turn-1)
// would land two strangers in one session.
const (
	maxKeyLen        = 128
	minOpeningKeyLen = 16
)

// Errors of a turn with an idempotency key.
var (
	// ErrKeyReused is returned when the key was used in the session for
	// another message (or another as_of).
	ErrKeyReused = errors.New("dialogue: idempotency key used for another message")
	// ErrReplayGone is returned when the key's turn was applied but is too
	// old for its reply to be kept: it is neither applied again nor answered.
	ErrReplayGone = errors.New("dialogue: reply of the idempotency key no longer kept")
)

// KeyedTurn is what a session keeps of a turn that came with an idempotency
// key. Digests are the first 16 bytes of SHA-256, in unpadded base64url.
type KeyedTurn struct {
	Key     string `json:"key"`     // digest of the key
	Request string `json:"request"` // digest of the message and as_of
	Turn    int    `json:"turn"`
	// Reply is the reply exactly as it was sent, compressed with DEFLATE
	// (RFC 1951): a reply is most of a session's size, and the session is
	// read and written whole on every turn. Only the last maxKeyedReplies
	// keyed turns keep it.
	Reply []byte `json:"reply,omitempty"`
}

// deflaters are the compressors of replies, which are costly to make.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // fails only for a bad level
	return w
}}

// deflate returns b compressed.
func deflate(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&out)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// inflate returns the bytes that deflate compressed into b.
func inflate(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	return io.ReadAll(r)
}

// checkKey returns the *InputError of a malformed idempotency key.
func checkKey(key string, opening bool) error {
	if len(key) > maxKeyLen {
		return &InputError{"idempotency_key", fmt.Sprintf("幂等键过长(最多%d个字符)", maxKeyLen)}
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return &InputError{"idempotency_key", "幂等键只能由可打印的ASCII字符组成"}
		}
	}
	if opening && len(key) < minOpeningKeyLen {
		return &InputError{"idempotency_key", fmt.Sprintf("未登录时开启会话的幂等键至少%d个字符,请使用随机生成的键(如UUID)", minOpeningKeyLen)}
	}
	return nil
}

// digest hashes parts, each preceded by its length so that no two lists of
// parts give the same input.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(binary.AppendUvarint(nil, uint64(len(p))))
		h.Write([]byte(p))
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// keyedSessionID is the id of the session that a keyed turn opens when it
// names no session (asked is "") or one that does not exist. A retry of that
// turn opens the same one, where it finds its first reply; another owner, or
// another session asked for, gives another id. An id is as hard to guess as
// the key, the owner and the id asked for together; the owner is also checked
// on every turn.
func keyedSessionID(owner, asked, key string) string {
	return digest("policybot chat session v1", owner, asked, key)
}

// keyed returns the remembered turn of the key digest, or nil.
func (s *State) keyed(key string) *KeyedTurn {
	for i := range s.Keyed {
		if s.Keyed[i].Key == key {
			return &s.Keyed[i]
		}
	}
	return nil
}

// remember records a keyed turn, forgetting the oldest keys beyond
// maxKeyedTurns and the replies beyond maxKeyedReplies.
func (s *State) remember(k KeyedTurn) {
	s.Keyed = append(s.Keyed, k)
	if n := len(s.Keyed) - maxKeyedTurns; n > 0 {
		s.Keyed = append(s.Keyed[:0], s.Keyed[n:]...)
	}
	for i := range len(s.Keyed) - maxKeyedReplies {
		s.Keyed[i].Reply = nil
	}
}

// replyJSON is Reply without its MarshalJSON.
type replyJSON Reply

// MarshalJSON writes the reply exactly as Turn first sent it, for a replay as
// for the first answer; a Reply made otherwise is written from its fields.
func (r *Reply) MarshalJSON() ([]byte, error) {
	if r.body != nil {
		return r.body, nil
	}
	return json.Marshal((*replyJSON)(r))
}

// readReply returns the reply of an earlier turn from the JSON it was sent as,
// marked Replayed. Its profile keeps the facts the current library still
// takes, should a reload have dropped some since.
func readReply(body []byte, cat *matcher.Catalogue) (*Reply, error) {
	r := &Reply{}
	aux := struct {
		*replyJSON
		Profile map[string]json.RawMessage `json:"profile"`
	}{replyJSON: (*replyJSON)(r)}
	if err := json.Unmarshal(body, &aux); err != nil {
		return nil, fmt.Errorf("dialogue: stored reply: %w", err)
	}
	r.Profile = cat.NewProfile()
	for {
		raw, err := json.Marshal(aux.Profile)
		if err != nil {
			return nil, fmt.Errorf("dialogue: stored reply: %w", err)
		}
		err = r.Profile.UnmarshalJSON(raw)
		if err == nil {
			break
		}
		// Each failure names one fact; drop it and read the rest again.
		fe, ok := errors.AsType[*matcher.FieldError](err)
		if ok {
			_, ok = aux.Profile[fe.Field]
		}
		if !ok {
			return nil, fmt.Errorf("dialogue: stored reply: %w", err)
		}
		delete(aux.Profile, fe.Field)
	}
	r.body = body
	r.Replayed = true
	return r, nil
}
