package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"policybot/store"
)

// mustAppend appends n entries of opened cases, a minute apart.
func mustAppend(t *testing.T, e *env, n int) []store.AuditRecord {
	t.Helper()
	var recs []store.AuditRecord
	for i := range n {
		r, err := e.s.AppendAudit(t.Context(), store.AuditEntry{
			Actor: clerk, Action: store.ActionCaseOpened, Object: fmt.Sprintf("case/%d", i+1),
		})
		if err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		recs = append(recs, r)
		e.clock.Advance(time.Minute)
	}
	return recs
}

func testAuditMonth(t *testing.T, e *env) {
	ctx := t.Context()
	// 2026-01-31 23:30 and 2026-02-01 00:30 in Shanghai: 15:30 and 16:30 UTC
	// of the same day, in two months.
	times := []time.Time{
		time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai),
		time.Date(2026, 1, 31, 23, 30, 0, 0, shanghai),
		time.Date(2026, 2, 1, 0, 30, 0, 0, shanghai),
		time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai),
	}
	clock := NewClock(times[0])
	e.s.Close()
	e.s = e.db.Open(t, store.Options{Now: clock.Now})
	var appended []store.AuditRecord
	for i, at := range times {
		clock.Advance(at.Sub(clock.Now()))
		r, err := e.s.AppendAudit(ctx, store.AuditEntry{
			Actor: supervisor, Action: store.ActionExported, Object: "audit", Detail: fmt.Sprintf("export %d\n第二行", i),
		})
		if err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		appended = append(appended, r)
	}
	want := store.AuditRecord{Seq: 1, At: times[0].UTC(), AuditEntry: store.AuditEntry{
		Actor: supervisor, Action: store.ActionExported, Object: "audit", Detail: "export 0\n第二行",
	}, PrevHash: make([]byte, 32), Hash: appended[0].Hash}
	if d := diff(want, appended[0]); d != "" || len(appended[0].Hash) != 32 {
		t.Errorf("AppendAudit (-want +got):\n%s", d)
	}
	if !bytes.Equal(appended[1].PrevHash, appended[0].Hash) {
		t.Errorf("record 2's PrevHash %x, want record 1's hash %x", appended[1].PrevHash, appended[0].Hash)
	}
	for _, tt := range []struct {
		month time.Time
		want  []store.AuditRecord
	}{
		{time.Date(2026, 1, 20, 0, 0, 0, 0, shanghai), appended[:2]},
		{time.Date(2026, 2, 28, 23, 0, 0, 0, shanghai), appended[2:3]},
		{time.Date(2026, 1, 31, 16, 0, 0, 0, time.UTC), appended[1:3]}, // January in UTC
		{time.Date(2025, 12, 1, 0, 0, 0, 0, shanghai), nil},
	} {
		got, err := e.s.AuditMonth(ctx, tt.month)
		if err != nil {
			t.Fatalf("AuditMonth: %v", err)
		}
		if d := diff(tt.want, got); d != "" {
			t.Errorf("AuditMonth(%v) (-want +got):\n%s", tt.month, d)
		}
	}
}

func testAuditRefuses(t *testing.T, e *env) {
	for _, tt := range []struct {
		name  string
		e     store.AuditEntry
		field string
	}{
		{"NoAction", store.AuditEntry{Actor: clerk}, "action"},
		{"BadAction", store.AuditEntry{Actor: clerk, Action: "Case Opened"}, "action"},
		{"NoUsername", store.AuditEntry{Action: store.ActionPrinted}, "actor"},
		{"ControlInObject", store.AuditEntry{Actor: clerk, Action: store.ActionPrinted, Object: "case/1\x1b"}, "object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.AppendAudit(t.Context(), tt.e)
			wantError(t, err, store.ErrInvalid, tt.field)
		})
	}
}

// testAuditAppendOnly checks that the database itself refuses to change the
// log, short of lifting its guard.
func testAuditAppendOnly(t *testing.T, e *env) {
	mustAppend(t, e, 2)
	raw := e.db.Raw(t)
	for _, q := range []string{
		`UPDATE audit_log SET detail = 'x' WHERE seq = 1`,
		`DELETE FROM audit_log WHERE seq = 2`,
	} {
		if _, err := raw.Exec(q); err == nil {
			t.Errorf("%s: no error, want the append-only guard to refuse it", q)
		}
	}
	if rep, err := e.s.VerifyAudit(t.Context()); err != nil || !rep.OK() || rep.Rows != 2 {
		t.Errorf("VerifyAudit = %+v, %v; want 2 whole rows", rep, err)
	}
}

// testAuditVerifyTampered edits a row, deletes one in the middle and the last
// two, and checks that VerifyAudit names each.
func testAuditVerifyTampered(t *testing.T, e *env) {
	ctx := t.Context()
	recs := mustAppend(t, e, 10)
	rep, err := e.s.VerifyAudit(ctx)
	if err != nil || !rep.OK() || rep.Rows != 10 || rep.HeadSeq != 10 || !bytes.Equal(rep.HeadHash, recs[9].Hash) {
		t.Fatalf("VerifyAudit before tampering = %+v, %v; want 10 whole rows", rep, err)
	}
	Tamper(t, e.db,
		`UPDATE audit_log SET username = 'zhao.lei' WHERE seq = 3`,
		`DELETE FROM audit_log WHERE seq = 6`,
		`DELETE FROM audit_log WHERE seq >= 9`,
	)
	rep, err = e.s.VerifyAudit(ctx)
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	want := store.AuditReport{Rows: 7, HeadSeq: 10, HeadHash: recs[9].Hash, Problems: []store.AuditProblem{
		{Kind: store.ProblemEdited, From: 3, To: 3},
		{Kind: store.ProblemDeleted, From: 6, To: 6},
		{Kind: store.ProblemDeleted, From: 9, To: 10},
	}}
	if d := diff(want, rep); d != "" {
		t.Errorf("VerifyAudit after tampering (-want +got):\n%s", d)
	}
	for _, p := range rep.Problems {
		t.Logf("found: %s", p)
	}

	// Rows appended afterwards chain on from the head, and the damage stays
	// visible.
	mustAppend(t, e, 1)
	rep, err = e.s.VerifyAudit(ctx)
	if err != nil || rep.HeadSeq != 11 || len(rep.Problems) != 3 || rep.Problems[2] != (store.AuditProblem{Kind: store.ProblemDeleted, From: 9, To: 10}) {
		t.Errorf("VerifyAudit after one more append = %+v, %v; want rows 9 to 10 still deleted", rep, err)
	}
}

// testAuditVerifyAdded checks a row written behind the store's back: a copy
// of the last row with the next seq.
func testAuditVerifyAdded(t *testing.T, e *env) {
	recs := mustAppend(t, e, 4)
	Tamper(t, e.db, `INSERT INTO audit_log (seq, at, username, action, object, remote_addr, detail, prev_hash, hash)
		SELECT 5, at, username, action, object, remote_addr, detail, hash, hash FROM audit_log WHERE seq = 4`)
	rep, err := e.s.VerifyAudit(t.Context())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	want := store.AuditReport{Rows: 5, HeadSeq: 4, HeadHash: recs[3].Hash, Problems: []store.AuditProblem{
		{Kind: store.ProblemEdited, From: 5, To: 5},
		{Kind: store.ProblemAdded, From: 5, To: 5},
	}}
	if d := diff(want, rep); d != "" {
		t.Errorf("VerifyAudit (-want +got):\n%s", d)
	}
}

// testAuditVerifyUnlinked replaces rows 2 and 4 with the rows of another
// chain, each consistent with its own hash as a rewrite that recomputed it
// would be, and checks that VerifyAudit sees they do not fit.
func testAuditVerifyUnlinked(t *testing.T, e *env) {
	mustAppend(t, e, 4)
	// The other chain's rows are those of this one but for their detail.
	clock := NewClock(start)
	other := e.newDB(t).Open(t, store.Options{Now: clock.Now})
	var forged []store.AuditRecord
	for i := range 4 {
		r, err := other.AppendAudit(t.Context(), store.AuditEntry{
			Actor: clerk, Action: store.ActionCaseOpened, Object: fmt.Sprintf("case/%d", i+1), Detail: "forged",
		})
		if err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		forged = append(forged, r)
		clock.Advance(time.Minute)
	}
	raw := e.db.Raw(t)
	for _, q := range e.db.Unguard {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, r := range []store.AuditRecord{forged[1], forged[3]} {
		if _, err := raw.Exec(`UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
			r.Detail, r.PrevHash, r.Hash, r.Seq); err != nil {
			t.Fatalf("tamper: %v", err)
		}
	}
	rep, err := e.s.VerifyAudit(t.Context())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	// Row 3 is where it was, but it follows the row 2 that was there before.
	want := []store.AuditProblem{
		{Kind: store.ProblemUnlinked, From: 2, To: 2},
		{Kind: store.ProblemUnlinked, From: 3, To: 3},
		{Kind: store.ProblemUnlinked, From: 4, To: 4},
	}
	if d := diff(want, rep.Problems); d != "" {
		t.Errorf("VerifyAudit (-want +got):\n%s", d)
	}
}

func testAuditVerifyNoHead(t *testing.T, e *env) {
	mustAppend(t, e, 2)
	Tamper(t, e.db, `DELETE FROM audit_head`)
	rep, err := e.s.VerifyAudit(t.Context())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	if d := diff([]store.AuditProblem{{Kind: store.ProblemNoHead}}, rep.Problems); d != "" {
		t.Errorf("VerifyAudit without a head (-want +got):\n%s", d)
	}
}

// testAuditConcurrentAppends checks that appends from many goroutines (or
// replicas) at once each get their own seq and keep the chain whole.
func testAuditConcurrentAppends(t *testing.T, e *env) {
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := e.s.AppendAudit(t.Context(), store.AuditEntry{
					Actor: clerk, Action: store.ActionPrinted, Object: fmt.Sprintf("case/%d", w*each+i),
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("AppendAudit: %v", err)
	}
	rep, err := e.s.VerifyAudit(t.Context())
	if err != nil || !rep.OK() || rep.Rows != writers*each || rep.HeadSeq != writers*each {
		t.Errorf("VerifyAudit = %+v, %v; want %d whole rows", rep, err, writers*each)
	}
}
