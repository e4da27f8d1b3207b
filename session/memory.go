package session

import (
	"context"
	"sync"
	"time"
)

// Memory is a Store held in process memory, for tests and single-instance
// development. Its entries are lost on restart and not shared between
// instances.
//
// Expired entries are dropped when read, and all of them are swept at most
// once per TTL from Update. Only writes add entries, so sweeping there bounds
// memory to the keys used in the last two TTLs, without a goroutine to stop.
type Memory struct {
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex // guards entries, nextSweep and version
	entries   map[string]entry
	nextSweep time.Time
	version   uint64 // of the last write
}

type entry struct {
	value   []byte
	expires time.Time
	version uint64 // changes on every write, to detect a concurrent one
}

// NewMemory returns an empty Memory whose entries expire ttl after their last
// use, as told by now (usually time.Now). It panics if ttl is not positive.
func NewMemory(ttl time.Duration, now func() time.Time) *Memory {
	if ttl <= 0 {
		panic("session: NewMemory needs a positive ttl")
	}
	return &Memory{ttl: ttl, now: now, entries: make(map[string]entry)}
}

// Get returns a copy of the value of key and restarts its TTL, or ErrNotFound.
func (m *Memory) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	e, ok := m.live(key, now)
	if !ok {
		return nil, ErrNotFound
	}
	e.expires = now.Add(m.ttl)
	m.entries[key] = e
	return clone(e.value), nil
}

// Update replaces the value of key with fn(old). fn runs outside the lock,
// so that turns of different sessions run in parallel; the write succeeds
// only if the entry is still the one fn read, and otherwise fn runs again on
// the newer value, as with the Redis store. A nil result is stored as an
// empty value, which later reads see as present.
func (m *Memory) Update(_ context.Context, key string, fn func(old []byte) ([]byte, error)) error {
	for {
		m.mu.Lock()
		now := m.now()
		m.sweep(now)
		e, found := m.live(key, now)
		m.mu.Unlock()
		var old []byte
		if found {
			// A copy, so an fn that edits old in place and then fails writes nothing.
			old = clone(e.value)
		}
		value, err := fn(old)
		if err != nil {
			return err
		}
		m.mu.Lock()
		now = m.now()
		cur, still := m.live(key, now)
		if still != found || found && cur.version != e.version {
			m.mu.Unlock()
			continue // another writer came first: read again
		}
		m.version++
		m.entries[key] = entry{value: clone(value), expires: now.Add(m.ttl), version: m.version}
		m.mu.Unlock()
		return nil
	}
}

// Delete removes key; deleting an absent key is not an error.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

// Ping always succeeds: there is no backing service.
func (m *Memory) Ping(context.Context) error {
	return nil
}

// live returns the entry of key if it has not expired, and drops it if it has.
func (m *Memory) live(key string, now time.Time) (entry, bool) {
	e, ok := m.entries[key]
	if !ok {
		return entry{}, false
	}
	if !now.Before(e.expires) {
		delete(m.entries, key)
		return entry{}, false
	}
	return e, true
}

// sweep drops every expired entry, at most once per TTL so that its cost,
// linear in the number of entries, is spread over many writes.
func (m *Memory) sweep(now time.Time) {
	if now.Before(m.nextSweep) {
		return
	}
	for k, e := range m.entries {
		if !now.Before(e.expires) {
			delete(m.entries, k)
		}
	}
	m.nextSweep = now.Add(m.ttl)
}

// clone copies b into a non-nil slice, so that a present value never reads as
// absent.
func clone(b []byte) []byte {
	return append([]byte{}, b...)
}
