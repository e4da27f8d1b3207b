package storetest

import (
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy forwards TCP connections to a server and can stop forwarding, which
// is how a stalled Redis looks to its clients (a long script, a paused or
// swapping server, a network that drops packets): connections stay open,
// and what is sent gets no answer. A proxy rather than CLIENT PAUSE on the
// test Redis, which every package under test shares at once.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex // guards stalled, resumed, conns and closed
	stalled bool
	resumed chan struct{} // closed by Resume or Close to let held bytes through
	conns   []net.Conn
	closed  bool

	wg sync.WaitGroup
}

// NewProxy returns a proxy to target (host:port) on a free loopback port,
// forwarding until Stall, and closed with its connections when the test ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("proxy: %v", err)
	}
	p := &Proxy{ln: ln, target: target, resumed: make(chan struct{})}
	p.wg.Go(p.accept)
	tb.Cleanup(p.close)
	return p
}

// RedisURLThrough returns the test Redis's URL (see RedisURL) with its host
// replaced by a new proxy to it, and the proxy.
func RedisURLThrough(tb testing.TB) (string, *Proxy) {
	tb.Helper()
	u, err := url.Parse(RedisURL(tb))
	if err != nil {
		tb.Fatalf("test redis URL: %v", err)
	}
	p := NewProxy(tb, u.Host)
	u.Host = p.ln.Addr().String()
	return u.String(), p
}

// Stall holds every byte from now on, in both directions, until Resume.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stalled {
		p.stalled, p.resumed = true, make(chan struct{})
	}
}

// Resume forwards again, what was held first.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stalled {
		p.stalled = false
		close(p.resumed)
	}
}

// wait returns once bytes may pass, false when the proxy is closed.
func (p *Proxy) wait() bool {
	p.mu.Lock()
	stalled, resumed, closed := p.stalled, p.resumed, p.closed
	p.mu.Unlock()
	if stalled && !closed {
		<-resumed
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.closed
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		p.wg.Go(func() { p.pipe(up, c) })
		p.wg.Go(func() { p.pipe(c, up) })
	}
}

// pipe copies from src to dst, each read's bytes held while stalled; it
// closes both ends when either does.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.wait() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) close() {
	p.mu.Lock()
	p.closed = true
	if p.stalled {
		p.stalled = false
		close(p.resumed)
	}
	conns := p.conns
	p.mu.Unlock()
	p.ln.Close()
	for _, c := range conns {
		c.Close()
	}
	p.wg.Wait()
}
