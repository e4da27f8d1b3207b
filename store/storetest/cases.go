package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"policybot/store"
)

// nankang is the case most tests open: a furniture maker of 南康 whose
// revenue staff typed and whose region was read from the applicant's words.
var nankang = store.CaseInput{
	Enterprise: "赣州市南康区鑫盛家具有限公司",
	CreditCode: "91440300708461136t",
	Facts: store.Facts{
		"industry":         {Value: json.RawMessage(`"furniture"`), Source: store.SourceStaff},
		"main_revenue_cny": {Value: json.RawMessage(`12e8`), Source: store.SourceApplicant, Sentence: "我们是南康做家具的,今年营收12个亿"},
		"region":           {Value: json.RawMessage(`"南康区"`), Source: store.SourceApplicant, Sentence: "我们是南康做家具的,今年营收12个亿"},
	},
	Notes: "申请人下周带财务报表再来。",
}

// clerk is the staff member who serves at the counter.
var clerk = store.Actor{Username: "li.ming", RemoteAddr: "10.0.0.7"}

// withStaff adds the accounts the case tests act as.
func withStaff(t *testing.T, e *env) {
	t.Helper()
	mustStaff(t, e.s, clerk.Username, store.RoleStaff)
	mustStaff(t, e.s, supervisor.Username, store.RoleSupervisor)
}

func mustCase(t *testing.T, s store.Store, in store.CaseInput) store.Case {
	t.Helper()
	c, err := s.CreateCase(t.Context(), in, clerk)
	if err != nil {
		t.Fatalf("CreateCase(%s): %v", in.Enterprise, err)
	}
	return c
}

func testCases(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	got := mustCase(t, e.s, nankang)
	want := store.Case{
		ID: got.ID, Enterprise: nankang.Enterprise, CreditCode: "91440300708461136T", Facts: nankang.Facts,
		Notes: nankang.Notes, CreatedBy: clerk.Username, UpdatedBy: clerk.Username,
		CreatedAt: start.UTC(), UpdatedAt: start.UTC(), Version: 1,
	}
	if d := diff(want, got); d != "" {
		t.Errorf("CreateCase (-want +got):\n%s", d)
	}
	found, err := e.s.Case(ctx, got.ID)
	if err != nil {
		t.Fatalf("Case: %v", err)
	}
	if d := diff(want, found); d != "" {
		t.Errorf("Case (-want +got):\n%s", d)
	}

	e.clock.Advance(time.Hour)
	edit := nankang
	edit.Enterprise = "赣州市南康区鑫盛家居有限公司"
	edit.Facts = store.Facts{"industry": nankang.Facts["industry"]}
	updated, err := e.s.UpdateCase(ctx, got.ID, edit, supervisor)
	if err != nil {
		t.Fatalf("UpdateCase: %v", err)
	}
	want.Enterprise, want.Facts = edit.Enterprise, edit.Facts
	want.UpdatedBy, want.UpdatedAt, want.Version = supervisor.Username, e.clock.Now().UTC(), 2
	if d := diff(want, updated); d != "" {
		t.Errorf("UpdateCase (-want +got):\n%s", d)
	}
	if _, err := e.s.UpdateCase(ctx, got.ID+1000, edit, supervisor); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateCase of no case: error = %v, want ErrNotFound", err)
	}
	if _, err := e.s.Case(ctx, got.ID+1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Case of no case: error = %v, want ErrNotFound", err)
	}

	recs, err := e.s.AuditMonth(ctx, start)
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	last := recs[len(recs)-1]
	wantEntry := store.AuditEntry{Actor: supervisor, Action: store.ActionCaseEdited,
		Object: fmt.Sprintf("case/%d", got.ID), Detail: "changed enterprise, facts"}
	if d := diff(wantEntry, last.AuditEntry); d != "" {
		t.Errorf("audit of the edit (-want +got):\n%s", d)
	}
}

func testCaseRefuses(t *testing.T, e *env) {
	withStaff(t, e)
	mustCase(t, e.s, nankang)
	tests := []struct {
		name  string
		edit  func(*store.CaseInput)
		by    store.Actor
		kind  error
		field string
	}{
		{"CodeTaken", func(c *store.CaseInput) { c.Enterprise = "另一家公司" }, clerk, store.ErrConflict, "credit_code"},
		{"CodeCheck", func(c *store.CaseInput) { c.CreditCode = "91440300708461136A" }, clerk, store.ErrInvalid, "credit_code"},
		{"CodeShort", func(c *store.CaseInput) { c.CreditCode = "9144030070846" }, clerk, store.ErrInvalid, "credit_code"},
		{"NoName", func(c *store.CaseInput) { c.Enterprise = "  " }, clerk, store.ErrInvalid, "enterprise"},
		{"LongName", func(c *store.CaseInput) { c.Enterprise = strings.Repeat("家", 101) }, clerk, store.ErrInvalid, "enterprise"},
		{"NullFact", func(c *store.CaseInput) {
			c.Facts = store.Facts{"revenue": {Value: json.RawMessage(`null`), Source: store.SourceStaff}}
		}, clerk, store.ErrInvalid, "facts.revenue"},
		{"BadJSON", func(c *store.CaseInput) {
			c.Facts = store.Facts{"revenue": {Value: json.RawMessage(`12亿`), Source: store.SourceStaff}}
		}, clerk, store.ErrInvalid, "facts.revenue"},
		{"NoSentence", func(c *store.CaseInput) {
			c.Facts = store.Facts{"region": {Value: json.RawMessage(`"南康区"`), Source: store.SourceApplicant}}
		}, clerk, store.ErrInvalid, "facts.region.sentence"},
		{"StaffSentence", func(c *store.CaseInput) {
			c.Facts = store.Facts{"region": {Value: json.RawMessage(`"南康区"`), Source: store.SourceStaff, Sentence: "在南康"}}
		}, clerk, store.ErrInvalid, "facts.region.sentence"},
		{"UnknownSource", func(c *store.CaseInput) {
			c.Facts = store.Facts{"region": {Value: json.RawMessage(`"南康区"`), Source: "guess"}}
		}, clerk, store.ErrInvalid, "facts.region.source"},
		{"BadKey", func(c *store.CaseInput) {
			c.Facts = store.Facts{"Region!": {Value: json.RawMessage(`"南康区"`), Source: store.SourceStaff}}
		}, clerk, store.ErrInvalid, "facts"},
		{"ControlInNotes", func(c *store.CaseInput) { c.Notes = "a\x00b" }, clerk, store.ErrInvalid, "notes"},
		{"NoActor", func(c *store.CaseInput) { c.CreditCode = "" }, store.Actor{}, store.ErrInvalid, "actor"},
		{"UnknownActor", func(c *store.CaseInput) { c.CreditCode = "" }, store.Actor{Username: "no.one"}, store.ErrInvalid, "actor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := nankang
			tt.edit(&in)
			_, err := e.s.CreateCase(t.Context(), in, tt.by)
			wantError(t, err, tt.kind, tt.field)
		})
	}

	// A person, or an applicant who does not know the code, has none.
	noCode := nankang
	noCode.CreditCode = ""
	for range 2 {
		if _, err := e.s.CreateCase(t.Context(), noCode, clerk); err != nil {
			t.Errorf("CreateCase without a credit code: %v", err)
		}
	}
}

func testVisits(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	c := mustCase(t, e.s, nankang)
	if visits, err := e.s.Visits(ctx, c.ID); err != nil || len(visits) != 0 {
		t.Errorf("Visits of a new case = %v, %v; want none", visits, err)
	}
	first := store.Match{LibraryVersion: "lib-2026-01", Results: json.RawMessage(`[{"benefit": "家具产业奖励", "status": "eligible", "amount": 500000}]`)}
	second := store.Match{LibraryVersion: "lib-2026-03", Results: json.RawMessage(`[{"status":"eligible","benefit":"家具产业奖励","amount":500000},{"benefit":"技改补贴","status":"undetermined","amount":1.50e6}]`)}
	v1, err := e.s.RecordVisit(ctx, c.ID, first, clerk)
	if err != nil {
		t.Fatalf("RecordVisit: %v", err)
	}
	e.clock.Advance(60 * 24 * time.Hour)
	v2, err := e.s.RecordVisit(ctx, c.ID, second, supervisor)
	if err != nil {
		t.Fatalf("RecordVisit: %v", err)
	}
	// Results come back in one canonical form on both databases: keys sorted,
	// numbers as written.
	want := []store.Visit{
		{ID: v1.ID, CaseID: c.ID, At: start.UTC(), Staff: clerk.Username, LibraryVersion: "lib-2026-01",
			Results: json.RawMessage(`[{"amount":500000,"benefit":"家具产业奖励","status":"eligible"}]`)},
		{ID: v2.ID, CaseID: c.ID, At: e.clock.Now().UTC(), Staff: supervisor.Username, LibraryVersion: "lib-2026-03",
			Results: json.RawMessage(`[{"amount":500000,"benefit":"家具产业奖励","status":"eligible"},{"amount":1.50e6,"benefit":"技改补贴","status":"undetermined"}]`)},
	}
	if d := diff(want[1], v2); d != "" {
		t.Errorf("RecordVisit (-want +got):\n%s", d)
	}
	visits, err := e.s.Visits(ctx, c.ID)
	if err != nil {
		t.Fatalf("Visits: %v", err)
	}
	if d := diff(want, visits); d != "" {
		t.Errorf("Visits (-want +got):\n%s", d)
	}
	got, err := e.s.Case(ctx, c.ID)
	if err != nil {
		t.Fatalf("Case: %v", err)
	}
	if got.LibraryVersion != "lib-2026-03" || string(got.Results) != string(want[1].Results) || got.UpdatedBy != supervisor.Username {
		t.Errorf("Case after two visits: version %q, results %s, updated by %s; want the last visit's",
			got.LibraryVersion, got.Results, got.UpdatedBy)
	}

	if _, err := e.s.Visits(ctx, c.ID+1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Visits of no case: error = %v, want ErrNotFound", err)
	}
	if _, err := e.s.RecordVisit(ctx, c.ID+1000, first, clerk); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecordVisit of no case: error = %v, want ErrNotFound", err)
	}
	_, err = e.s.RecordVisit(ctx, c.ID, store.Match{LibraryVersion: "v", Results: json.RawMessage(`{"a":`)}, clerk)
	wantError(t, err, store.ErrInvalid, "results")
	_, err = e.s.RecordVisit(ctx, c.ID, store.Match{Results: json.RawMessage(`[]`)}, clerk)
	wantError(t, err, store.ErrInvalid, "library_version")
}

func testDeleteCase(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	c := mustCase(t, e.s, nankang)
	other := mustCase(t, e.s, store.CaseInput{Enterprise: "南康明达木业有限公司", Facts: store.Facts{}})
	if _, err := e.s.RecordVisit(ctx, c.ID, store.Match{LibraryVersion: "v1", Results: json.RawMessage(`[]`)}, clerk); err != nil {
		t.Fatalf("RecordVisit: %v", err)
	}
	if err := e.s.DeleteCase(ctx, c.ID, supervisor); err != nil {
		t.Fatalf("DeleteCase: %v", err)
	}
	if _, err := e.s.Case(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Case after delete: error = %v, want ErrNotFound", err)
	}
	if _, err := e.s.Visits(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Visits after delete: error = %v, want ErrNotFound", err)
	}
	raw := e.db.Raw(t)
	for _, q := range []string{
		`SELECT count(*) FROM visits WHERE case_id = $1`,
		`SELECT count(*) FROM case_grams WHERE case_id = $1`,
	} {
		var n int
		if err := raw.QueryRow(q, c.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want nothing left of the case", q, n, err)
		}
	}
	list, err := e.s.SearchCases(ctx, store.CaseQuery{Name: "南康"})
	if err != nil || len(list.Cases) != 1 || list.Cases[0].ID != other.ID {
		t.Errorf("SearchCases(南康) after delete = %+v, %v; want only case %d", list, err, other.ID)
	}
	// The code is free again for a new case, which gets an id of its own:
	// case/ID in the audit log names one enterprise only.
	again, err := e.s.CreateCase(ctx, nankang, clerk)
	if err != nil {
		t.Errorf("CreateCase with a deleted case's code: %v", err)
	} else if again.ID == c.ID || again.ID <= other.ID {
		t.Errorf("a new case after a deletion got id %d; ids in use or given before: %d, %d", again.ID, c.ID, other.ID)
	}
	if err := e.s.DeleteCase(ctx, c.ID, supervisor); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteCase twice: error = %v, want ErrNotFound", err)
	}
	recs, err := e.s.AuditMonth(ctx, start)
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	var deleted []string
	for _, r := range recs {
		if r.Action == store.ActionCaseDeleted {
			deleted = append(deleted, r.Username+" "+r.Object)
		}
	}
	if d := diff([]string{fmt.Sprintf("wang.fang case/%d", c.ID)}, deleted); d != "" {
		t.Errorf("audit of deletions (-want +got):\n%s", d)
	}
}

func testPurgeCases(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	old := mustCase(t, e.s, store.CaseInput{Enterprise: "赣州老客户家具厂", Facts: store.Facts{}})
	revisited := mustCase(t, e.s, store.CaseInput{Enterprise: "赣州回头客家具厂", Facts: store.Facts{}})
	e.clock.Advance(100 * 24 * time.Hour)
	if _, err := e.s.RecordVisit(ctx, revisited.ID, store.Match{LibraryVersion: "v2", Results: json.RawMessage(`[]`)}, clerk); err != nil {
		t.Fatalf("RecordVisit: %v", err)
	}
	recent := mustCase(t, e.s, store.CaseInput{Enterprise: "赣州新客户家具厂", Facts: store.Facts{}})
	e.clock.Advance(90*24*time.Hour - time.Second)

	// The retention counts from the last update, so a case revisited stays.
	n, err := e.s.PurgeCases(ctx, 90*24*time.Hour, store.Actor{Username: "system"})
	if err != nil || n != 1 {
		t.Fatalf("PurgeCases = %d, %v; want 1", n, err)
	}
	if _, err := e.s.Case(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Case of a purged case: error = %v, want ErrNotFound", err)
	}
	for _, id := range []int64{revisited.ID, recent.ID} {
		if _, err := e.s.Case(ctx, id); err != nil {
			t.Errorf("Case %d within retention: %v", id, err)
		}
	}
	if n, err := e.s.PurgeCases(ctx, 90*24*time.Hour, store.Actor{Username: "system"}); err != nil || n != 0 {
		t.Errorf("PurgeCases again = %d, %v; want 0", n, err)
	}
	_, err = e.s.PurgeCases(ctx, 0, store.Actor{Username: "system"})
	wantError(t, err, store.ErrInvalid, "retention")

	rep, err := e.s.VerifyAudit(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("VerifyAudit = %+v, %v", rep, err)
	}
	recs, err := e.s.AuditMonth(ctx, e.clock.Now())
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	if len(recs) != 1 || recs[0].Action != store.ActionCasesPurged {
		t.Errorf("audit of this month = %+v, want one cases-purged row", recs)
	}
}

// testReopen checks that what was kept is there after the store is closed
// and opened again, as after a restart of the server.
func testReopen(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	c := mustCase(t, e.s, nankang)
	visit, err := e.s.RecordVisit(ctx, c.ID, store.Match{LibraryVersion: "v1", Results: json.RawMessage(`[{"benefit":"家具产业奖励"}]`)}, clerk)
	if err != nil {
		t.Fatalf("RecordVisit: %v", err)
	}
	token, sess, err := e.s.CreateSession(ctx, clerk.Username, time.Hour)
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	before, err := e.s.Case(ctx, c.ID)
	if err != nil {
		t.Fatalf("Case: %v", err)
	}
	head, err := e.s.VerifyAudit(ctx)
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}

	e.reopen(t)
	after, err := e.s.Case(ctx, c.ID)
	if err != nil {
		t.Fatalf("Case after reopen: %v", err)
	}
	if d := diff(before, after); d != "" {
		t.Errorf("case after reopen (-before +after):\n%s", d)
	}
	visits, err := e.s.Visits(ctx, c.ID)
	if err != nil || len(visits) != 1 || visits[0].ID != visit.ID {
		t.Errorf("Visits after reopen = %+v, %v; want the one visit", visits, err)
	}
	if got, err := e.s.Session(ctx, token); err != nil || got.CSRFToken != sess.CSRFToken {
		t.Errorf("Session after reopen = %+v, %v", got, err)
	}
	if _, err := e.s.SignIn(ctx, store.Credentials{Username: clerk.Username, Password: password}, policy); err != nil {
		t.Errorf("SignIn after reopen: %v", err)
	}
	if list, err := e.s.SearchCases(ctx, store.CaseQuery{Name: "鑫盛"}); err != nil || len(list.Cases) != 1 {
		t.Errorf("SearchCases after reopen = %+v, %v", list, err)
	}
	rep, err := e.s.VerifyAudit(ctx)
	if err != nil || !rep.OK() || rep.HeadSeq != head.HeadSeq+1 {
		t.Errorf("VerifyAudit after reopen and a sign-in = %+v, %v; want a whole chain one row past %d", rep, err, head.HeadSeq)
	}
}

// testUpdateWithMatch saves facts and their match in one transaction, and
// refuses a save over a case changed since it was read.
func testUpdateWithMatch(t *testing.T, e *env) {
	ctx := t.Context()
	withStaff(t, e)
	c := mustCase(t, e.s, nankang)
	in := nankang
	in.Notes = "第一次来访"
	in.Match = &store.Match{LibraryVersion: "v1", Results: json.RawMessage(`[{"benefit_id":"a"}]`)}
	in.IfVersion = c.Version
	saved, err := e.s.UpdateCase(ctx, c.ID, in, clerk)
	if err != nil {
		t.Fatalf("UpdateCase with a match: %v", err)
	}
	if saved.LibraryVersion != "v1" || !strings.Contains(string(saved.Results), `"a"`) {
		t.Errorf("UpdateCase with a match kept version %q results %s", saved.LibraryVersion, saved.Results)
	}
	if visits, err := e.s.Visits(ctx, c.ID); err != nil || len(visits) != 1 {
		t.Errorf("Visits = %d, %v; want the one recorded with the facts", len(visits), err)
	}
	// A second counter still holds the case as it was before the save,
	// within the same instant: versions, not times, tell.
	stale := nankang
	stale.Notes = "另一个窗口"
	stale.IfVersion = c.Version
	_, err = e.s.UpdateCase(ctx, c.ID, stale, clerk)
	var se *store.Error
	if !errors.As(err, &se) || !errors.Is(err, store.ErrConflict) || se.Field != "version" {
		t.Fatalf("UpdateCase over a changed case: error = %v, want a conflict on version", err)
	}
	if now, _ := e.s.Case(ctx, c.ID); now.Notes != "第一次来访" {
		t.Errorf("a refused save changed the notes to %q", now.Notes)
	}
	// A match too large is refused before anything is written.
	big := nankang
	big.Notes = "太大"
	big.Match = &store.Match{LibraryVersion: "v1", Results: json.RawMessage(`"` + strings.Repeat("x", 9<<20) + `"`)}
	if _, err := e.s.UpdateCase(ctx, c.ID, big, clerk); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("UpdateCase with results too large: error = %v, want ErrInvalid", err)
	}
	if now, _ := e.s.Case(ctx, c.ID); now.Notes != "第一次来访" {
		t.Errorf("a refused match changed the notes to %q", now.Notes)
	}
}
