// Package api is policybot's HTTP interface: the Gin routes, their request
// and response types, and the one JSON error shape.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/internal/ratelimit"
	"policybot/kb"
	"policybot/matcher"
)

// Library is one loaded policy library as a request reads it: its
// documents and clauses, their search, its catalogue of facts and its rules.
// A request takes the current one at its start and keeps it to the end.
type Library interface {
	Documents() []*kb.Document
	Document(docID string) (*kb.Document, error)
	// DocumentByNo finds the one document with an issuing number; several
	// give kb.ErrAmbiguous.
	DocumentByNo(docNo string) (*kb.Document, error)
	Clause(docID, article string) (*kb.Clause, error)
	// Search looks among the clauses of docIDs; nil means every document.
	Search(ctx context.Context, q string, size int, docIDs []string) ([]kb.Hit, error)
	Match(p *matcher.Profile, opts matcher.Options) *matcher.Outcome
	NewProfile() *matcher.Profile
	Facts() []matcher.Fact
	LibraryVersion() string
	// Ready returns nil while the library can answer: it holds a document
	// and its search index is open.
	Ready() error
	// DocumentsIn returns the documents in force on t in the area of an
	// applicant registered in region; a bad region is a *matcher.FieldError.
	DocumentsIn(region string, t time.Time) ([]string, error)
}

// Reloader takes up a changed library, refusing one that does not load or
// fails its own test cases; who says who asked, for the log.
type Reloader interface {
	Reload(who string) (version string, err error)
}

// Pinger reports whether a backing service answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config holds what the HTTP layer needs to know.
type Config struct {
	// MaxBodyBytes bounds every request body.
	MaxBodyBytes int64
	// AnonymousChat lets /v1/chat work without a login token.
	AnonymousChat bool
	// AdminToken is the bearer token of the admin endpoints; empty turns
	// them off.
	AdminToken string
	// TrustedProxies are the networks of the proxies whose X-Forwarded-For
	// names the client and whose X-Forwarded-Proto says the scheme (for
	// Strict-Transport-Security); none by default, so that the client
	// address is the peer's and no one can forge it.
	TrustedProxies []netip.Prefix
	// Limits bound each client's requests, counted by Deps.Limiter.
	Limits Limits
	// MaxHeaderBytes bounds a request's line and header fields; beyond it
	// the answer is 431. Zero means DefaultMaxHeaderBytes.
	MaxHeaderBytes int
	// CORSOrigins are the browser origins allowed to call the API, such as
	// https://example.gov.cn; empty allows none.
	CORSOrigins []string
	// Version and Commit name the build that serves, for GET /version;
	// Commit is empty when the build does not know it.
	Version string
	Commit  string
}

// Server holds the handlers' dependencies.
type Server struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	library  func() (Library, func())
	reloader Reloader
	chat     Chatter
	auth     Authenticator
	limiter  ratelimit.Limiter
	content  ContentChecker
	// ready lists the services /readyz checks besides the knowledge base.
	ready []Pinger
	// metrics is nil when nothing is counted.
	metrics Metrics
}

// Deps are the services a Server is built from. Library returns the library
// to answer a request from and the function that ends the request's use of
// it; Chat and Auth may be nil, which turns those endpoints off (503), and so
// does a nil Reloader for the admin reload. A nil Content checks no chat
// message. Metrics may be nil, which counts nothing and serves no
// /metrics.
type Deps struct {
	Library  func() (Library, func())
	Reloader Reloader
	Chat     Chatter
	Auth     Authenticator
	Content  ContentChecker
	Ready    []Pinger
	Metrics  Metrics
	Log      *slog.Logger
	Now      func() time.Time

	// Limiter counts the requests of Config.Limits; nil limits none.
	Limiter ratelimit.Limiter
}

// NewServer returns a server; Handler gives its routes.
func NewServer(cfg Config, d Deps) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.MaxHeaderBytes <= 0 {
		cfg.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		cfg: cfg, log: d.Log, now: d.Now, library: d.Library, reloader: d.Reloader,
		chat: d.Chat, auth: d.Auth, limiter: d.Limiter, content: d.Content, ready: d.Ready, metrics: d.Metrics,
	}
}

// libraryKey is where a request keeps the library it answers from.
const libraryKey = "policybot.library"

// withLibrary takes the library a request answers from at its start and
// keeps it to its end, whatever a reload does meanwhile.
func (s *Server) withLibrary(c *gin.Context) {
	lib, release := s.library()
	defer release()
	c.Set(libraryKey, lib)
	c.Next()
}

// lib returns the library of the request.
func (s *Server) lib(c *gin.Context) Library { return c.MustGet(libraryKey).(Library) }

// Handler returns every route of the service on one listener; internal
// adds the routes of the government extranet (the console).
func (s *Server) Handler(internal ...func(gin.IRouter)) http.Handler {
	return s.engine(true, true, internal)
}

// PublicHandler returns the routes of the internet zone alone: the API the
// mini-program uses and the public routes given, without the admin or
// internal routes.
func (s *Server) PublicHandler(public ...func(gin.IRouter)) http.Handler {
	return s.engine(true, false, public)
}

// InternalHandler returns the routes of the internal listener: health, the
// admin endpoints, /metrics and the internal routes given.
func (s *Server) InternalHandler(internal ...func(gin.IRouter)) http.Handler {
	return s.engine(false, true, internal)
}

func (s *Server) engine(public, internal bool, mounts []func(gin.IRouter)) http.Handler {
	r := s.router(public)
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/readyz/library", s.readyLibrary)
	r.GET("/version", s.withLibrary, s.version)
	v1 := r.Group("/v1", s.withLibrary)
	if public {
		r.GET("/openapi.json", s.openapi)
		api := v1.Group("", s.limitAddress("addr", s.cfg.Limits.Address, addressLimited))
		api.GET("/search", s.search)
		api.GET("/policies", s.policies)
		api.GET("/facts", s.facts)
		api.GET("/clauses/:id", s.clause)
		api.GET("/clauses/:id/:article", s.clause)
		api.POST("/match", s.match)
		api.POST("/chat", s.chatTurn)
		// Logins are counted before WeChat is asked, so that a flood of
		// codes costs WeChat's quota no more than the limit.
		api.POST("/auth/wechat/login", s.limitAddress("login", s.cfg.Limits.Login, loginLimited), s.wechatLogin)
		api.POST("/auth/logout", s.logout)
	}
	if internal {
		v1.POST("/admin/reload", s.reload)
		// The metrics name routes, error codes and the library: they are
		// for the operators' network, not the internet.
		if s.metrics != nil {
			r.GET("/metrics", gin.WrapH(s.metrics.Handler()))
		}
	}
	for _, mount := range mounts {
		mount(r)
	}
	return r
}

// router returns an engine with no route yet, which every listener's
// routes share: the request id and access log, the recovery, the one JSON
// error shape, the guards (security headers, and CORS where public), and
// the answers to a path or method of no route.
func (s *Server) router(public bool) *gin.Engine {
	r := gin.New()
	// The client address is the peer's unless the peer is a trusted proxy,
	// so that X-Forwarded-For cannot forge where a request came from (the
	// limits count it, the audit log records it). Only X-Forwarded-For is
	// read: a proxy that sets it need not know of X-Real-IP, which a client
	// could then send through it.
	proxies := make([]string, len(s.cfg.TrustedProxies))
	for i, p := range s.cfg.TrustedProxies {
		proxies[i] = p.String()
	}
	_ = r.SetTrustedProxies(proxies)
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	r.HandleMethodNotAllowed = true
	// A redirect would answer in HTML, outside the one JSON error shape.
	r.RedirectTrailingSlash = false
	r.ContextWithFallback = true
	r.Use(s.requestContext, gin.CustomRecoveryWithWriter(nil, s.recovered), s.renderErrors)
	r.Use(s.guards(public)...)
	r.NoRoute(func(c *gin.Context) {
		_ = c.Error(&Error{Code: CodeNotFound, Message: "没有这个接口"})
	})
	r.NoMethod(func(c *gin.Context) {
		_ = c.Error(&Error{Code: CodeMethodNotAllowed, Message: "该接口不支持此方法"})
	})
	return r
}
