package console_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"policybot/store"
)

// signInBrowser signs user in and waits for the cases page, which the
// sign-in page does not have.
func signInBrowser(t *testing.T, ctx context.Context, s *site, user string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/console/signin"),
		chromedp.SendKeys(`input[name=username]`, user),
		chromedp.SendKeys(`input[name=password]`, password),
		chromedp.Submit(`input[name=password]`),
		chromedp.WaitVisible(`input[name=enterprise]`),
	); err != nil {
		t.Fatal(err)
	}
}

// screenshot keeps the page as name in the test's artifacts.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// In a real browser a supervisor finds a dead letter on the deliveries
// page, retries it with its button, and the page then shows it pending.
func TestBrowserRetryDeadLetter(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t)
	number := s.deadLetters("cannot reach the platform: dial tcp 10.20.0.7:443: connect: connection refused")[0].Number
	row := `#dead-` + number
	signInBrowser(t, ctx, s, "wang")
	// Only the deliveries page has the list of dead letters.
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/console/deliveries"), chromedp.WaitVisible(`#dead-letters`)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(row))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{number, "赣州市南康区鑫盛家具有限公司", "连接不上投诉平台", "市工业和信息化局"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dead letter's row lacks %s: %q", want, text)
		}
	}
	screenshot(t, ctx, "deliveries-dead.png")
	// The page before the retry has no result, so waiting for one waits
	// for the page after it.
	if err := chromedp.Do(ctx, chromedp.Click(row+` button`), chromedp.WaitVisible(`#retry-result`)); err != nil {
		t.Fatal(err)
	}
	result, err := chromedp.Run(ctx, chromedp.Text(`#retry-result`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "已重新投递工单 " + number + "。当前投递状态:等待投递。"; result != want {
		t.Errorf("after the retry the page says %q, want %q", result, want)
	}
	counts, err := chromedp.Run(ctx, chromedp.Text(`#delivery-counts tbody`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(counts); strings.Join(got, " ") != "1 0 0 0" {
		t.Errorf("the counts after the retry %v, want one pending and none dead", got)
	}
	gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+row+`') === null`))
	if err != nil || !gone {
		t.Errorf("the retried delivery is still listed dead (%v)", err)
	}
	screenshot(t, ctx, "deliveries-retried.png")
	if d, err := s.db.Delivery(context.Background(), number); err != nil || d.State != store.DeliveryPending {
		t.Errorf("the delivery is %s (%v), want pending", d.State, err)
	}
}

// In a real browser a staff member finds a ticket by its number, typed
// loosely, and reads the platform's progress in order, the callback that
// came late marked.
func TestBrowserTicketHistory(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t)
	tk := s.delivered("turn-1",
		callback{1, "受理", "已受理"},
		callback{3, "办理中", "承办单位正在办理"},
		callback{2, "转办", "转办至市工业和信息化局"},
	)
	signInBrowser(t, ctx, s, "li")
	typed := strings.ToLower(strings.ReplaceAll(tk.Number, "-", ""))
	// The cases page has no ticket search, and the search page no history.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/console/tickets"),
		chromedp.WaitVisible(`#ticket-search`),
		chromedp.SendKeys(`#ticket-search input[name=number]`, typed),
		chromedp.Submit(`#ticket-search input[name=number]`),
		chromedp.WaitVisible(`#history`),
	); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#history tbody tr')].map(r => [...r.cells].map(c => c.innerText.trim()).filter((_, i) => i != 3).join('|'))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1|受理|已受理|",
		"2|转办|转办至市工业和信息化局|晚到:在第3号之后才收到,未改变当前状态",
		"3|办理中|承办单位正在办理|当前状态",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("the history reads\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	status, err := chromedp.Run(ctx, chromedp.Text(`#current-status`))
	if err != nil || status != "办理中" {
		t.Errorf("the current status %q (%v), want 办理中", status, err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(`body`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, phone) || !strings.Contains(body, "138****8000") {
		t.Error("the ticket page does not show the phone masked, or shows it whole")
	}
	screenshot(t, ctx, "ticket.png")
}
