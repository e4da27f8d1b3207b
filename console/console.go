// Package console is the service-hall console: server-rendered pages for
// counter staff, over the same library, matching and understanding the API
// uses, with cases, staff and the audit log kept in a store. Staff also
// read the complaint tickets the chat filed, and supervisors retry the
// deliveries of those the outbox gave up on. The pages need no JavaScript:
// sign-in, case search, the form and printing are forms and links.
package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/library"
	"policybot/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Cookie names. The session cookie holds a random token whose hash the
// store keeps; the sign-in cookie carries the sign-in form's CSRF token
// before there is a session.
const (
	sessionCookie = "pb_console"
	signInCookie  = "pb_console_signin"
)

// Config tunes the console.
type Config struct {
	// Lockout is the sign-in lock-out policy.
	Lockout store.Lockout
	// SessionTTL is a session's absolute lifetime.
	SessionTTL time.Duration
	// SecureCookies marks cookies Secure; set it when the console is served
	// over TLS, directly or behind a proxy that ends TLS.
	SecureCookies bool
}

// DefaultConfig is five failures in 15 minutes locking an account for 15
// minutes, and a working day's session.
var DefaultConfig = Config{
	Lockout:    store.Lockout{Failures: 5, Window: 15 * time.Minute, Duration: 15 * time.Minute},
	SessionTTL: 10 * time.Hour,
}

// Deps are what the console is built from. Library returns the library to
// answer a request from and the function that ends its use.
type Deps struct {
	Store   store.Store
	Library func() (*library.Library, func())
	Log     *slog.Logger
	Now     func() time.Time
}

// Console serves the pages. Its store calls take the request's context,
// never the *gin.Context: gin reuses a Context once its handler returns,
// while database/sql may still be watching it.
type Console struct {
	cfg   Config
	deps  Deps
	pages map[string]*template.Template
	cop   *http.CrossOriginProtection
}

// New parses the pages and returns the console.
func New(cfg Config, d Deps) (*Console, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	c := &Console{cfg: cfg, deps: d, pages: map[string]*template.Template{}, cop: http.NewCrossOriginProtection()}
	for _, name := range []string{"signin", "cases", "case", "audit", "tickets", "ticket", "deliveries"} {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		c.pages[name] = t
	}
	t, err := template.ParseFS(templateFS, "templates/notice.html")
	if err != nil {
		return nil, err
	}
	c.pages["notice"] = t
	return c, nil
}

// Register adds the console's routes under /console/.
func (c *Console) Register(r gin.IRouter) {
	static, _ := fs.Sub(staticFS, "static")
	// The style sheets are cached: an old office PC fetches them once.
	files := r.Group("/console/static", func(ctx *gin.Context) {
		ctx.Header("Cache-Control", "max-age=86400")
		ctx.Header("X-Content-Type-Options", "nosniff")
	})
	for _, name := range []string{"console.css", "notice.css"} {
		files.StaticFileFS("/"+name, name, http.FS(static))
	}
	g := r.Group("/console", c.noStore, c.sameOrigin)
	g.GET("/", func(ctx *gin.Context) { ctx.Redirect(http.StatusSeeOther, "/console/cases") })
	g.GET("/signin", c.signInPage)
	g.POST("/signin", c.signIn)
	a := g.Group("", c.signedIn)
	a.POST("/signout", c.signOut)
	a.GET("/cases", c.casesPage)
	a.POST("/cases", c.createCase)
	a.GET("/cases/:id", c.casePage)
	a.POST("/cases/:id/facts", c.saveFacts)
	a.POST("/cases/:id/words", c.readWords)
	a.GET("/cases/:id/notice", c.notice)
	a.GET("/tickets", c.ticketsPage)
	a.GET("/tickets/:number", c.ticketPage)
	s := a.Group("", c.supervisor)
	s.POST("/cases/:id/delete", c.deleteCase)
	s.GET("/audit", c.auditPage)
	s.GET("/audit.csv", c.auditCSV)
	s.GET("/deliveries", c.deliveriesPage)
	s.POST("/deliveries/:number/retry", c.retryDelivery)
}

// noStore keeps pages of personal information out of caches.
func (c *Console) noStore(ctx *gin.Context) {
	h := ctx.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	// The pages have no script and no inline style: their style sheets
	// and their own forms are all they need.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
}

// sameOrigin refuses a cross-origin post that the browser marks as one; the
// CSRF token of every form covers browsers too old to say.
func (c *Console) sameOrigin(ctx *gin.Context) {
	if err := c.cop.Check(ctx.Request); err != nil {
		c.refuse(ctx, http.StatusForbidden, "跨站请求已拒绝")
	}
}

// signedIn loads the session of the cookie, refusing a post whose CSRF
// token is not the session's.
func (c *Console) signedIn(ctx *gin.Context) {
	token, err := ctx.Cookie(sessionCookie)
	if err != nil {
		ctx.Redirect(http.StatusSeeOther, "/console/signin")
		ctx.Abort()
		return
	}
	s, err := c.deps.Store.Session(ctx.Request.Context(), token)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.clearCookie(ctx, sessionCookie)
		ctx.Redirect(http.StatusSeeOther, "/console/signin?expired=1")
		ctx.Abort()
		return
	case err != nil:
		c.fail(ctx, err)
		return
	}
	if ctx.Request.Method == http.MethodPost && !sameToken(ctx.PostForm("csrf"), s.CSRFToken) {
		c.refuse(ctx, http.StatusForbidden, "表单已失效,请刷新页面后重试")
		return
	}
	ctx.Set("session", s)
	ctx.Set("token", token)
}

// supervisor refuses staff who are not supervisors.
func (c *Console) supervisor(ctx *gin.Context) {
	if session(ctx).Staff.Role != store.RoleSupervisor {
		c.refuse(ctx, http.StatusForbidden, "仅主管可以进行此操作")
	}
}

func session(ctx *gin.Context) store.Session {
	s, _ := ctx.Get("session")
	return s.(store.Session)
}

// actor is who acts in a request, for the audit log.
func actor(ctx *gin.Context) store.Actor {
	a := store.Actor{RemoteAddr: ctx.ClientIP()}
	if s, ok := ctx.Get("session"); ok {
		a.Username = s.(store.Session).Staff.Username
	}
	return a
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c *Console) setCookie(ctx *gin.Context, name, value string, ttl time.Duration) {
	http.SetCookie(ctx.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/console/", MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: c.cfg.SecureCookies || ctx.Request.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

func (c *Console) clearCookie(ctx *gin.Context, name string) {
	http.SetCookie(ctx.Writer, &http.Cookie{Name: name, Path: "/console/", MaxAge: -1, HttpOnly: true,
		Secure: c.cfg.SecureCookies || ctx.Request.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// page is what every page's layout reads.
type page struct {
	Title, Flash, Error, CSRF, LibraryVersion string
	Staff                                     *store.Staff
	Supervisor                                bool
	RoleText                                  string
}

func (c *Console) page(ctx *gin.Context, title, version string) page {
	p := page{Title: title, LibraryVersion: version}
	if v, ok := ctx.Get("session"); ok {
		s := v.(store.Session)
		p.Staff, p.CSRF = &s.Staff, s.CSRFToken
		p.Supervisor = s.Staff.Role == store.RoleSupervisor
		p.RoleText = "工作人员"
		if p.Supervisor {
			p.RoleText = "主管"
		}
	}
	return p
}

// render writes a page; a template that fails writes nothing of itself.
func (c *Console) render(ctx *gin.Context, status int, name string, data any) {
	ctx.Header("Content-Type", "text/html; charset=utf-8")
	ctx.Status(status)
	if err := c.pages[name].ExecuteTemplate(ctx.Writer, name+".html", data); err != nil {
		c.deps.Log.Error("console page", "page", name, "err", err)
	}
}

// refuse answers a refused request with a short page saying why.
func (c *Console) refuse(ctx *gin.Context, status int, why string) {
	ctx.Abort()
	ctx.Header("Content-Type", "text/html; charset=utf-8")
	ctx.String(status, "<!doctype html><meta charset=utf-8><title>无法完成</title><p class=\"error\" role=\"alert\">%s</p><p><a href=\"/console/cases\">返回</a></p>", template.HTMLEscapeString(why))
}

// fail answers an error of the store or the library without its text: 503
// when the database did not answer within its deadline, 500 otherwise.
func (c *Console) fail(ctx *gin.Context, err error) {
	c.deps.Log.Error("console", "path", ctx.FullPath(), "err", err)
	status := http.StatusInternalServerError
	if errors.Is(err, context.DeadlineExceeded) {
		status = http.StatusServiceUnavailable
	}
	c.refuse(ctx, status, "服务暂时不可用,请稍后再试")
}
