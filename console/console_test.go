package console_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"policybot/console"
	"policybot/kb"
	"policybot/library"
	"policybot/store"
	"policybot/store/storetest"
)

var openLibrary = sync.OnceValues(func() (*library.Library, error) {
	return library.Open(kb.Embedded(), "embedded")
})

// clock is a settable time shared by the store and the console.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type site struct {
	t     *testing.T
	url   string
	db    *store.DB
	clock *clock
	// library is the library the console answers from; tests swap it.
	library *atomic.Pointer[library.Library]
}

const password = "a-long-enough-password"

// newSite serves the console over a fresh SQLite store that keeps
// complaint tickets, with a supervisor wang and a staff member li.
func newSite(t *testing.T) *site {
	t.Helper()
	return siteOf(t, storetest.NewSealer(t))
}

// siteOf serves the console over a store with sealer, nil for a service
// started without complaints.
func siteOf(t *testing.T, sealer store.Sealer) *site {
	t.Helper()
	lib, err := openLibrary()
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)}
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), store.Options{Now: clk.now, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range []store.NewStaff{
		{Username: "wang", DisplayName: "王芳", Role: store.RoleSupervisor, Password: password},
		{Username: "li", DisplayName: "李强", Role: store.RoleStaff, Password: password},
	} {
		if _, err := db.AddStaff(context.Background(), s, store.Actor{Username: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	current := &atomic.Pointer[library.Library]{}
	current.Store(lib)
	c, err := console.New(console.DefaultConfig, console.Deps{Store: db, Library: func() (*library.Library, func()) { return current.Load(), func() {} }, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	c.Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return &site{t: t, url: srv.URL, db: db, clock: clk, library: current}
}

// browser is a client with cookies that does not follow redirects, so
// tests see them.
type browser struct {
	s      *site
	client *http.Client
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.s.t.Helper()
	resp, err := b.client.Get(b.s.url + path)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) post(path string, form url.Values) (int, string, http.Header) {
	b.s.t.Helper()
	resp, err := b.client.PostForm(b.s.url+path, form)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%.500s", page)
	}
	return m[1]
}

func (b *browser) signIn(user string) string {
	t := b.s.t
	t.Helper()
	_, page, _ := b.get("/console/signin")
	status, body, h := b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "username": {user}, "password": {password}})
	if status != http.StatusSeeOther || h.Get("Location") != "/console/cases" {
		t.Fatalf("sign-in of %s: %d %s\n%.300s", user, status, h.Get("Location"), body)
	}
	_, page, _ = b.get("/console/cases")
	return csrfOf(t, page)
}

func TestRefusals(t *testing.T) {
	s := newSite(t)
	t.Run("wrong password", func(t *testing.T) {
		b := s.browser()
		_, page, _ := b.get("/console/signin")
		status, body, h := b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "username": {"wang"}, "password": {"wrong-password-123"}})
		if status != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
			t.Errorf("wrong password: %d, want 401 saying so", status)
		}
		if strings.Contains(h.Get("Set-Cookie"), "pb_console=") {
			t.Error("a wrong password got a session cookie")
		}
	})
	t.Run("sign-in without its CSRF token", func(t *testing.T) {
		b := s.browser()
		b.get("/console/signin")
		if status, _, _ := b.post("/console/signin", url.Values{"username": {"wang"}, "password": {password}}); status != http.StatusForbidden {
			t.Errorf("sign-in without a token: %d, want 403", status)
		}
	})
	t.Run("a post without the session's CSRF token", func(t *testing.T) {
		b := s.browser()
		b.signIn("wang")
		status, _, _ := b.post("/console/cases", url.Values{"enterprise": {"阿里巴巴(中国)有限公司"}, "credit_code": {"91330100716105852F"}})
		if status != http.StatusForbidden {
			t.Errorf("post without a token: %d, want 403", status)
		}
		status, _, _ = b.post("/console/cases", url.Values{"csrf": {"forged"}, "enterprise": {"阿里巴巴(中国)有限公司"}, "credit_code": {"91330100716105852F"}})
		if status != http.StatusForbidden {
			t.Errorf("post with a forged token: %d, want 403", status)
		}
		if list, _ := s.db.SearchCases(context.Background(), store.CaseQuery{Name: "阿里"}); len(list.Cases) != 0 {
			t.Error("a refused post created a case")
		}
	})
	t.Run("a cross-site post", func(t *testing.T) {
		b := s.browser()
		token := b.signIn("wang")
		req, _ := http.NewRequest(http.MethodPost, s.url+"/console/cases", strings.NewReader(url.Values{"csrf": {token}, "enterprise": {"x"}, "credit_code": {"91330100716105852F"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site post: %d, want 403", resp.StatusCode)
		}
	})
	t.Run("staff reading the audit log", func(t *testing.T) {
		b := s.browser()
		b.signIn("li")
		if status, _, _ := b.get("/console/audit"); status != http.StatusForbidden {
			t.Errorf("staff member on the audit log: %d, want 403", status)
		}
		if status, _, _ := b.get("/console/audit.csv"); status != http.StatusForbidden {
			t.Errorf("staff member on the audit export: %d, want 403", status)
		}
	})
	t.Run("an expired session", func(t *testing.T) {
		b := s.browser()
		b.signIn("li")
		s.clock.add(console.DefaultConfig.SessionTTL + time.Minute)
		status, _, h := b.get("/console/cases")
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/console/signin") {
			t.Errorf("expired session: %d to %q, want a redirect to sign in", status, h.Get("Location"))
		}
	})
	t.Run("no session", func(t *testing.T) {
		status, _, h := s.browser().get("/console/cases/1")
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/console/signin") {
			t.Errorf("no session: %d to %q", status, h.Get("Location"))
		}
	})
	t.Run("lock-out", func(t *testing.T) {
		b := s.browser()
		var status int
		for range console.DefaultConfig.Lockout.Failures + 1 {
			_, page, _ := b.get("/console/signin")
			status, _, _ = b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "username": {"li"}, "password": {"not-the-password"}})
		}
		if status != http.StatusUnauthorized {
			t.Errorf("after %d failures: %d, want 401", console.DefaultConfig.Lockout.Failures+1, status)
		}
		_, page, _ := b.get("/console/signin")
		status, locked, h := b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "username": {"li"}, "password": {password}})
		if status != http.StatusUnauthorized || strings.Contains(h.Get("Set-Cookie"), "pb_console=") {
			t.Errorf("the right password while locked: %d, want 401 and no session", status)
		}
		// The locked account answers as an unknown name does.
		_, page, _ = b.get("/console/signin")
		_, unknown, _ := b.post("/console/signin", url.Values{"csrf": {csrfOf(t, page)}, "username": {"nobody"}, "password": {password}})
		if strip(locked) != strip(unknown) {
			t.Error("a locked account's page differs from an unknown name's: it tells the name exists")
		}
	})
}

// A counter visit: a case opened, filled from the applicant's words,
// confirmed, matched and printed; reopened later, it says what changed.
func TestCounterVisit(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	token := b.signIn("wang")
	status, _, h := b.post("/console/cases", url.Values{"csrf": {token}, "enterprise": {"阿里巴巴(中国)有限公司"}, "credit_code": {"91330100716105852F"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create case: %d", status)
	}
	casePath := h.Get("Location")
	if status, _, _ := b.post("/console/cases", url.Values{"csrf": {token}, "enterprise": {"同一家"}, "credit_code": {"91330100716105852F"}}); status != http.StatusConflict {
		t.Errorf("a second case of one credit code: %d, want 409", status)
	}
	if status, body, _ := b.post("/console/cases", url.Values{"csrf": {token}, "enterprise": {"某公司"}, "credit_code": {"91330100716105852X"}}); status != http.StatusBadRequest || !strings.Contains(body, "校验") {
		t.Errorf("a bad check character: %d, want 400 naming it", status)
	}

	_, page, _ := b.post(casePath+"/words", url.Values{"csrf": {token}, "words": {"我们是南康做家具的,今年营收12个亿,去年9亿,是盈利的"}})
	for _, want := range []string{"待确认,来自申请人表述:“今年营收12个亿”", `name="src.main_revenue_cny"`, `value="1200000000"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the words page lacks %s", want)
		}
	}
	if c, _ := s.db.Case(context.Background(), 1); len(c.Facts) != 0 {
		t.Error("reading the applicant's words saved facts before staff confirmed them")
	}
	form := formValues(page)
	form.Set("csrf", token)
	if status, _, _ := b.post(casePath+"/facts", form); status != http.StatusSeeOther {
		t.Fatalf("saving the facts: %d", status)
	}
	c, err := s.db.Case(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if f := c.Facts["main_revenue_cny"]; string(f.Value) != "1200000000" || f.Source != store.SourceApplicant || f.Sentence != "今年营收12个亿" {
		t.Errorf("saved revenue %+v, want 12亿 from the applicant's sentence", f)
	}
	if _, ok := c.Facts["profitable"]; !ok {
		t.Error("profitable was not saved")
	}
	_, page, _ = b.get(casePath)
	for _, want := range []string{"主营业务收入首次突破台阶奖励", "10万元", "第十七条第一款", "市财政局"} {
		if !strings.Contains(page, want) {
			t.Errorf("the results lack %s", want)
		}
	}

	// A bad value is refused whole: nothing is saved.
	form = formValues(page)
	form.Set("csrf", token)
	form.Set("main_revenue_cny", "大概13亿")
	form.Set("notes", "不该保存")
	status, page, _ = b.post(casePath+"/facts", form)
	if status != http.StatusBadRequest || !strings.Contains(page, "准确金额") {
		t.Errorf("an estimate in the form: %d, want 400 asking for the exact sum", status)
	}
	if c, _ := s.db.Case(context.Background(), 1); c.Notes != "" {
		t.Error("a refused form saved its notes")
	}

	_, notice, _ := b.get(casePath + "/notice")
	for _, want := range []string{"政策匹配告知单", "阿里巴巴(中国)有限公司", "10万元", "第十七条第一款", "王芳", "以主管部门审核认定为准"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the notice lacks %s", want)
		}
	}
	records, err := s.db.AuditMonth(context.Background(), s.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range records {
		actions = append(actions, string(r.Action))
		// The case's words and figures, not any "12": the library's version
		// hash in a matched record may hold those digits.
		if slices.ContainsFunc([]string{"12个亿", "1200000000", "营收", "阿里"}, func(w string) bool { return strings.Contains(r.Detail, w) }) {
			t.Errorf("audit detail holds the case's content: %q", r.Detail)
		}
	}
	for _, want := range []store.Action{store.ActionSignIn, store.ActionCaseCreated, store.ActionCaseEdited, store.ActionCaseMatched, store.ActionCaseOpened, store.ActionPrinted} {
		if !strings.Contains(strings.Join(actions, " "), string(want)) {
			t.Errorf("the audit log lacks %s: %v", want, actions)
		}
	}
	if _, csv, h := b.get("/console/audit.csv"); !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(csv, "printed") {
		t.Errorf("audit export: %s\n%.300s", h.Get("Content-Type"), csv)
	}
}

// Reopened after the library changed (a clause's rate revised, a benefit
// the old library did not have), a case says what changed since its last
// visit.
func TestReopenAfterLibraryChange(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, kb.Embedded()); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(dir, "ganzhou-2014-26", "rules.yaml")
	raw, err := os.ReadFile(rules)
	if err != nil {
		t.Fatal(err)
	}
	revised := strings.Replace(string(raw), "bond_award_per_mille: {per_mille: 1,", "bond_award_per_mille: {per_mille: 2,", 1)
	if revised == string(raw) {
		t.Fatal("the bond award's rate is not where the test expects it")
	}
	if err := os.WriteFile(rules, []byte(revised), 0o644); err != nil {
		t.Fatal(err)
	}
	newer, err := library.Open(os.DirFS(dir), "revised")
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t)
	b := s.browser()
	token := b.signIn("wang")
	_, _, h := b.post("/console/cases", url.Values{"csrf": {token}, "enterprise": {"阿里巴巴(中国)有限公司"}, "credit_code": {"91330100716105852F"}})
	casePath := h.Get("Location")
	form := url.Values{"csrf": {token}, "region": {"南康区"}, "is_industrial": {"true"}, "bond_financing_cny": {"320000000"}}
	if status, _, _ := b.post(casePath+"/facts", form); status != http.StatusSeeOther {
		t.Fatalf("saving: %d", status)
	}
	_, page, _ := b.get(casePath)
	if strings.Contains(page, "与上次来访") {
		t.Error("reopened on the same library, the case tells of changes")
	}
	s.library.Store(newer)
	_, page, _ = b.get(casePath)
	for _, want := range []string{"与上次来访", "金额变化:企业债券融资奖励,由32万元变为64万元"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case reopened on the revised library lacks %q", want)
		}
	}
}

var inputField = regexp.MustCompile(`<input id="f-[^"]*" name="([^"]*)" value="([^"]*)">|<input type="hidden" name="((?:src|prop)\.[^"]*|version)" value="([^"]*)">`)
var selectField = regexp.MustCompile(`(?s)<select id="f-[^"]*" name="([^"]*)">(.*?)</select>`)
var selectedOption = regexp.MustCompile(`<option value="([^"]*)" selected>`)

// formValues reads the facts form of a case page as a browser would send it.
func formValues(page string) url.Values {
	v := url.Values{}
	for _, m := range inputField.FindAllStringSubmatch(page, -1) {
		if m[1] != "" {
			v.Set(m[1], html.UnescapeString(m[2]))
		} else {
			v.Set(m[3], html.UnescapeString(m[4]))
		}
	}
	for _, m := range selectField.FindAllStringSubmatch(page, -1) {
		if o := selectedOption.FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], o[1])
		}
	}
	return v
}

var csrfValue = regexp.MustCompile(`value="[^"]{40,}"`)

// strip takes the per-page CSRF token out of a page.
func strip(page string) string { return csrfValue.ReplaceAllString(page, "") }

// Editing a case: notes with line breaks are kept, a proposal staff change
// is theirs, a refused form keeps the applicant's words, and a save over a
// case another counter changed is refused whole.
func TestEditing(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	token := b.signIn("wang")
	_, _, h := b.post("/console/cases", url.Values{"csrf": {token}, "enterprise": {"阿里巴巴(中国)有限公司"}, "credit_code": {"91330100716105852F"}})
	casePath := h.Get("Location")
	_, page, _ := b.post(casePath+"/words", url.Values{"csrf": {token}, "words": {"我们在南康,今年营收12个亿,今年没有盈利"}})
	if !strings.Contains(page, "“今年没有盈利”") {
		t.Error("a denied fact does not show the whole clause it was read from")
	}
	if !strings.Contains(page, "今年营收12个亿,今年没有盈利</textarea>") {
		t.Error("the applicant's words are not kept in their box")
	}
	form := formValues(page)
	form.Set("csrf", token)
	form.Set("main_revenue_cny", "1300000000") // staff correct the figure
	form.Set("region", "没有这个地方")               // and slip on another
	status, page, _ := b.post(casePath+"/facts", form)
	if status != http.StatusBadRequest {
		t.Fatalf("a bad region: %d, want 400", status)
	}
	if !strings.Contains(page, `name="src.profitable"`) {
		t.Error("a refused form lost the applicant's words of the facts still to confirm")
	}
	form = formValues(page)
	form.Set("csrf", token)
	form.Set("region", "南康区")
	form.Set("notes", "第一行\r\n第二行")
	if status, body, _ := b.post(casePath+"/facts", form); status != http.StatusSeeOther {
		t.Fatalf("saving: %d\n%.400s", status, body)
	}
	c, _ := s.db.Case(context.Background(), 1)
	if c.Notes != "第一行\n第二行" {
		t.Errorf("notes saved as %q", c.Notes)
	}
	if f := c.Facts["main_revenue_cny"]; f.Source != store.SourceStaff {
		t.Errorf("a figure staff changed is saved as %s's, from %q", f.Source, f.Sentence)
	}
	if f := c.Facts["profitable"]; f.Source != store.SourceApplicant || string(f.Value) != "false" || f.Sentence != "今年没有盈利" {
		t.Errorf("profitable saved as %+v, want false from 今年没有盈利", f)
	}
	if visits, _ := s.db.Visits(context.Background(), 1); len(visits) != 1 {
		t.Errorf("%d visits after one save, want 1", len(visits))
	}
	// Two counters open the case; the second saves after the first.
	_, first, _ := b.get(casePath)
	_, second, _ := b.get(casePath)
	f1, f2 := formValues(first), formValues(second)
	f1.Set("csrf", token)
	f1.Set("notes", "窗口一")
	if status, _, _ := b.post(casePath+"/facts", f1); status != http.StatusSeeOther {
		t.Fatalf("the first save: %d", status)
	}
	f2.Set("csrf", token)
	f2.Set("notes", "窗口二")
	status, page, _ = b.post(casePath+"/facts", f2)
	if status != http.StatusConflict || !strings.Contains(page, "已被他人修改") {
		t.Errorf("a save over a changed case: %d, want 409 saying so", status)
	}
	if c, _ := s.db.Case(context.Background(), 1); c.Notes != "窗口一" {
		t.Errorf("the refused save changed the notes to %q", c.Notes)
	}
	if visits, _ := s.db.Visits(context.Background(), 1); len(visits) != 2 {
		t.Errorf("%d visits, want 2: a refused save records none", len(visits))
	}
}
