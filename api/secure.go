package api

import (
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy is sent with every answer. The API answers JSON,
// which needs nothing; the console's pages set a policy of their own that
// allows their style sheets and forms. Both forbid framing.
const contentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// hstsMaxAge is a year, as browsers' preload lists ask.
const hstsMaxAge = "max-age=31536000"

// securityHeaders sets the headers that keep a browser from sniffing,
// framing or leaking the referrer of any answer, before the handler runs,
// so that errors carry them too. Strict-Transport-Security is sent only on
// a request that came over TLS, to us or to a trusted proxy that says so:
// over plain HTTP it would be a lie a browser ignores at best.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	if s.overTLS(c.Request) {
		h.Set("Strict-Transport-Security", hstsMaxAge)
	}
	c.Next()
}

// overTLS reports whether the client reached us over TLS: directly, or
// through a proxy of Config.TrustedProxies whose X-Forwarded-Proto says
// https. Anyone else's X-Forwarded-Proto is not believed.
func (s *Server) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if len(s.cfg.TrustedProxies) == 0 {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	if !strings.EqualFold(strings.TrimSpace(proto), "https") {
		return false
	}
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(peer.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// corsMaxAge is how long a browser may keep a preflight's answer.
const corsMaxAge = time.Hour

// cors returns the CORS middleware of the allow-list Config.CORSOrigins,
// or nil when it is empty: then no answer allows another origin.
//
// An origin on the list gets gin-contrib/cors's answers (preflights 204).
// A request from any other origin is served as if CORS were off: no
// Access-Control-* header, so the browser keeps the answer from the page.
// It is not refused, as gin-contrib/cors would with a bare 403: the
// console's own forms send their origin too, which a proxy that rewrites
// Host would make look foreign.
func (s *Server) cors() gin.HandlerFunc {
	if len(s.cfg.CORSOrigins) == 0 {
		return nil
	}
	allowed := make(map[string]bool, len(s.cfg.CORSOrigins))
	for _, o := range s.cfg.CORSOrigins {
		allowed[strings.ToLower(o)] = true
	}
	allow := cors.New(cors.Config{
		AllowOrigins:  s.cfg.CORSOrigins,
		AllowMethods:  []string{http.MethodGet, http.MethodPost},
		AllowHeaders:  []string{"Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"},
		ExposeHeaders: []string{"X-Request-ID", "Idempotent-Replayed", "Retry-After"},
		MaxAge:        corsMaxAge,
	})
	return func(c *gin.Context) {
		if origin := c.GetHeader("Origin"); origin != "" && !allowed[origin] {
			// Caches must not hand this answer to an allowed origin.
			c.Writer.Header().Add("Vary", "Origin")
			c.Next()
			return
		}
		allow(c)
	}
}

// guards returns the middleware every request passes before its route:
// the security headers, CORS on a listener of the public API, the header
// limit and the UTF-8 check. CORS comes before the checks, so that a page
// of an allowed origin can read their errors.
func (s *Server) guards(public bool) []gin.HandlerFunc {
	g := []gin.HandlerFunc{s.securityHeaders}
	if cors := s.cors(); public && cors != nil {
		g = append(g, cors)
	}
	return append(g, s.headerLimit, s.validText)
}
