package session

import (
	"sync"
	"time"
)

// writeCache holds the values a Redis store last wrote or read, by key, up
// to a total size; see Redis.Cached. A nil *writeCache holds nothing.
type writeCache struct {
	max int

	mu      sync.Mutex // guards entries and size
	entries map[string]cachedValue
	size    int // of the values held
}

type cachedValue struct {
	value   []byte
	sum     string // digest of value
	expires time.Time
}

func newWriteCache(maxBytes int) *writeCache {
	return &writeCache{max: maxBytes, entries: make(map[string]cachedValue)}
}

// get returns a copy of the value of k with its digest, if held and not
// expired at now.
func (c *writeCache) get(k string, now time.Time) (value []byte, sum string, ok bool) {
	if c == nil {
		return nil, "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || !now.Before(e.expires) {
		return nil, "", false
	}
	return clone(e.value), e.sum, true
}

// put holds value as k's until expires, making room by dropping other
// entries: expired ones first, then any, in the map's random order, which
// spares the cost of keeping an order for a cache whose misses cost one
// read. A value larger than the whole cache is not held.
func (c *writeCache) put(k string, value []byte, sum string, expires time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(k)
	if len(value) > c.max {
		return
	}
	if c.size+len(value) > c.max {
		now := time.Now()
		for key, e := range c.entries {
			if !now.Before(e.expires) {
				c.dropLocked(key)
			}
		}
		for key := range c.entries {
			if c.size+len(value) <= c.max {
				break
			}
			c.dropLocked(key)
		}
	}
	c.entries[k] = cachedValue{value: value, sum: sum, expires: expires}
	c.size += len(value)
}

// drop forgets k, whose value in Redis is no longer known.
func (c *writeCache) drop(k string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(k)
}

func (c *writeCache) dropLocked(k string) {
	if e, ok := c.entries[k]; ok {
		c.size -= len(e.value)
		delete(c.entries, k)
	}
}
