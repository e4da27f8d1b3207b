package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"policybot/console"
	"policybot/kb"
	"policybot/matcher"
	"policybot/store"
)

// chromium returns the browser the tests drive: POLICYBOT_TEST_CHROMIUM,
// set by deployments/test-browser.sh, which make test runs. Without it the
// browser tests are skipped, unless POLICYBOT_REQUIRE_BROWSER says they
// must run.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("POLICYBOT_TEST_CHROMIUM")
	if path == "" {
		if os.Getenv("POLICYBOT_REQUIRE_BROWSER") != "" {
			t.Fatal("POLICYBOT_REQUIRE_BROWSER is set but POLICYBOT_TEST_CHROMIUM is not")
		}
		t.Skip("no browser: run through deployments/test-browser.sh (make test does)")
	}
	return path
}

// browserStarts is how many times newBrowser tries to start Chromium: under
// the load of make test's parallel packages it may die while starting,
// which says nothing of the pages.
const browserStarts = 3

// newBrowser starts headless Chromium with what this machine's closed
// network and a root user need.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	var err error
	for range browserStarts {
		ctx, cancel := startBrowser(t)
		if err = chromedp.Do(ctx); err == nil {
			t.Cleanup(cancel)
			return ctx
		}
		cancel()
	}
	t.Fatalf("chromium did not start in %d tries: %v", browserStarts, err)
	return nil
}

// startBrowser returns a context of a new headless Chromium, not started
// until first used, and what stops it.
func startBrowser(t *testing.T) (context.Context, func()) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // CI runs as root, where the sandbox cannot start
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	return ctx, func() { cancelTimeout(); cancelCtx(); cancelAlloc() }
}

// The whole counter visit in a real browser: sign in, open a case, fill it
// from the applicant's sentence, confirm, see amounts and citations, and
// print the notice to PDF.
func TestBrowserCounterVisit(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t)
	out := t.ArtifactDir()
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/console/signin"),
		chromedp.SendKeys(`input[name=username]`, "wang"),
		chromedp.SendKeys(`input[name=password]`, password),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`input[name=enterprise]`),
		chromedp.SendKeys(`input[name=enterprise]`, "阿里巴巴(中国)有限公司"),
		chromedp.SendKeys(`input[name=credit_code]`, "91330100716105852F"),
		chromedp.Submit(`input[name=credit_code]`),
		chromedp.WaitVisible(`textarea[name=words]`),
		chromedp.SendKeys(`textarea[name=words]`, "我们是南康做家具的,今年营收12个亿,去年9亿,是盈利的,今年还发了3.2亿的公司债"),
		chromedp.Submit(`textarea[name=words]`),
		chromedp.WaitVisible(`.field.proposed`),
		chromedp.Submit(`#facts textarea[name=notes]`),
		chromedp.WaitVisible(`#results .result.eligible`),
	)
	if err != nil {
		t.Fatal(err)
	}
	resultsText, err := chromedp.Run(ctx, chromedp.Text(`#results`))
	if err != nil {
		t.Fatal(err)
	}
	results, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"主营业务收入首次突破台阶奖励", "10万元", "第十七条第一款", "市财政局", "企业债券融资奖励", "32万元", "第十六条第四款"} {
		if !strings.Contains(resultsText, want) {
			t.Errorf("the results page lacks %s", want)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/console/cases/1/notice"), chromedp.WaitVisible(`h1`)); err != nil {
		t.Fatal(err)
	}
	notice, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"results.png": results, "notice.png": notice, "notice.pdf": pdf} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text, pages, size := readPDF(t, filepath.Join(out, "notice.pdf"))
	for _, want := range []string{"政策匹配告知单", "阿里巴巴(中国)有限公司", "王芳", "以主管部门审核认定为准"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed notice lacks %s", want)
		}
	}
	// Every eligible benefit of the saved case, with its amount and clause,
	// as the library matches it.
	eligible := eligibleOf(t, s, 1)
	if len(eligible) < 2 {
		t.Fatalf("the case has %d eligible benefits, want the two its words give", len(eligible))
	}
	for _, r := range eligible {
		for _, want := range []string{r.Title, r.AmountText(), kb.Cite(r.Article)} {
			if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
				t.Errorf("the printed notice lacks %q of %s", want, r.BenefitID)
			}
		}
	}
	if pages < 1 || pages > 2 {
		t.Errorf("the notice prints on %d pages, want one or two", pages)
	}
	if !strings.HasSuffix(size, "(A4)") {
		t.Errorf("the notice prints on %q, want A4", size)
	}
	t.Logf("screenshots and PDF in %s", out)
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
var sizeLine = regexp.MustCompile(`(?m)^Page size:\s+(.*)$`)

// readPDF returns a PDF's text (without line breaks, as a reader of
// Chinese would join it), its page count and page size, through poppler.
func readPDF(t *testing.T, path string) (text string, pages int, size string) {
	t.Helper()
	raw, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (deployments/test-browser.sh installs poppler-utils)", err)
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	if m := pagesLine.FindSubmatch(info); m != nil {
		pages, _ = strconv.Atoi(string(m[1]))
	}
	if m := sizeLine.FindSubmatch(info); m != nil {
		size = string(m[1])
	}
	return strings.Join(strings.Fields(string(raw)), ""), pages, size
}

// In a real browser: a wrong password, a form whose CSRF token is gone, a
// staff member opening the audit log and an expired session are refused.
func TestBrowserRefusals(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t)
	// signIn waits for sel, which only the page after the post has.
	signIn := func(user, pass, sel string) string {
		t.Helper()
		text, err := func() (string, error) {
			if err := chromedp.Do(ctx,
				chromedp.Navigate(s.url+"/console/signin"),
				chromedp.SendKeys(`input[name=username]`, user),
				chromedp.SendKeys(`input[name=password]`, pass),
				chromedp.Submit(`input[name=password]`),
				chromedp.WaitVisible(sel),
			); err != nil {
				return "", err
			}
			return chromedp.Run(ctx, chromedp.Text(`body`))
		}()
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	if text := signIn("wang", "not-the-password", `.error`); !strings.Contains(text, "用户名或密码错误") {
		t.Errorf("a wrong password: the page says %q", text)
	}
	if text := signIn("li", password, `input[name=enterprise]`); !strings.Contains(text, "案件查询") {
		t.Fatalf("sign-in of li: %q", text)
	}
	// A forged form: the page's CSRF token removed before it is sent.
	err := chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=enterprise]`, "阿里巴巴(中国)有限公司"),
		chromedp.SendKeys(`input[name=credit_code]`, "91330100716105852F"),
	)
	if err != nil {
		t.Fatal(err)
	}
	removed, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const f = document.querySelectorAll('input[name=csrf]'); f.forEach(e => e.remove()); return f.length })()`))
	if err != nil || removed == 0 {
		t.Fatalf("removing the CSRF fields: %d, %v", removed, err)
	}
	// The page before the post has no alert, so waiting for one waits for
	// the answer to the post rather than reading the page it replaces.
	if err := chromedp.Do(ctx, chromedp.Submit(`input[name=credit_code]`), chromedp.WaitVisible(`[role=alert]`)); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(`body`)); !strings.Contains(text, "表单已失效") {
		t.Errorf("a form without its CSRF token: the page says %q", text)
	}
	if list, _ := s.db.SearchCases(context.Background(), store.CaseQuery{Name: "阿里"}); len(list.Cases) != 0 {
		t.Error("the forged form created a case")
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/console/audit"), chromedp.WaitReady(`body`)); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(`body`)); !strings.Contains(text, "仅主管") {
		t.Errorf("a staff member on the audit log: the page says %q", text)
	}
	s.clock.add(console.DefaultConfig.SessionTTL + time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/console/cases"), chromedp.WaitVisible(`input[name=password]`)); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(`body`)); !strings.Contains(text, "登录已过期") {
		t.Errorf("an expired session: the page says %q", text)
	}
}

// eligibleOf matches a saved case on the test library, as the notice does.
func eligibleOf(t *testing.T, s *site, id int64) []matcher.Result {
	t.Helper()
	lib, err := openLibrary()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.db.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p := lib.NewProfile()
	for k, f := range cs.Facts {
		dec := json.NewDecoder(bytes.NewReader(f.Value))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if err := p.Set(k, v); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	var out []matcher.Result
	for _, r := range lib.Match(p, matcher.Options{AsOf: s.clock.now()}).Results {
		if r.Status == matcher.Eligible {
			out = append(out, r)
		}
	}
	return out
}

// The notice of a full profile, every yes/no fact said yes and the seed's
// figures, still prints on at most two A4 pages with every eligible sum.
func TestBrowserNoticeOfAFullProfile(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t)
	lib, err := openLibrary()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.db.CreateCase(context.Background(), store.CaseInput{Enterprise: "阿里巴巴(中国)有限公司", CreditCode: "91330100716105852F", Facts: fullProfile(lib)}, store.Actor{Username: "wang"})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/console/signin"),
		chromedp.SendKeys(`input[name=username]`, "wang"),
		chromedp.SendKeys(`input[name=password]`, password),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`input[name=enterprise]`),
		chromedp.Navigate(s.url+"/console/cases/"+strconv.FormatInt(cs.ID, 10)+"/notice"),
		chromedp.WaitVisible(`h1`),
	)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.ArtifactDir(), "notice-full.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text, pages, _ := readPDF(t, path)
	eligible := eligibleOf(t, s, cs.ID)
	if len(eligible) < 10 {
		t.Fatalf("the full profile has %d eligible benefits; the test wants a long notice", len(eligible))
	}
	if pages > 2 {
		t.Errorf("the notice of %d eligible benefits prints on %d pages, want at most two", len(eligible), pages)
	}
	for _, r := range eligible {
		if !strings.Contains(text, strings.Join(strings.Fields(r.Title), "")) {
			t.Errorf("the printed notice lacks %s", r.Title)
		}
	}
}
