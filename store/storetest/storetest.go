// Package storetest is the contract every store.Store must meet, as a test
// suite to run against each database, and the helpers that give a test a
// database of its own: a temporary SQLite file, or a schema in the
// PostgreSQL that deployments/test-postgres.sh starts.
package storetest

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"policybot/internal/secretbox"
	"policybot/internal/testclock"
	"policybot/store"
)

// Clock is a clock that moves only when told to, for the store's Now.
type Clock = testclock.Fake

// NewClock returns a clock that reads start until advanced.
func NewClock(start time.Time) *Clock { return testclock.NewFake(start) }

// shanghai is the time zone of the service halls, in which months are counted.
var shanghai = time.FixedZone("CST", 8*3600)

// start is when every test's clock starts: a Thursday morning at the counter.
var start = time.Date(2026, 1, 15, 9, 0, 0, 0, shanghai)

// NewSealer returns a Box of a random master key, for a store's
// Options.Sealer.
func NewSealer(tb testing.TB) *secretbox.Box {
	tb.Helper()
	key := make([]byte, secretbox.KeySize)
	rand.Read(key)
	b, err := secretbox.New(key)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// env is what a subtest works with: a store on a database of its own, the
// clock it runs on, the master key its phones are sealed under, and the
// database itself.
type env struct {
	newDB  NewDB
	db     DB
	clock  *Clock
	sealer *secretbox.Box
	s      store.Store
}

func newEnv(t *testing.T, newDB NewDB) *env {
	t.Helper()
	t.Parallel()
	e := &env{newDB: newDB, db: newDB(t), clock: NewClock(start), sealer: NewSealer(t)}
	e.s = e.db.Open(t, e.options())
	return e
}

func (e *env) options() store.Options {
	return store.Options{Now: e.clock.Now, Sealer: e.sealer}
}

// reopen closes the store and opens the database again.
func (e *env) reopen(t *testing.T) {
	t.Helper()
	if err := e.s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	e.s = e.db.Open(t, e.options())
}

// Run runs the contract suite against the databases newDB returns. Every
// subtest runs in parallel on a database of its own.
func Run(t *testing.T, newDB NewDB) {
	for _, tt := range []struct {
		name string
		test func(t *testing.T, e *env)
	}{
		{"AddStaff", testAddStaff},
		{"AddStaffRefuses", testAddStaffRefuses},
		{"SignIn", testSignIn},
		{"LockOut", testLockOut},
		{"LockOutWindow", testLockOutWindow},
		{"ParallelGuesses", testParallelGuesses},
		{"DisableStaff", testDisableStaff},
		{"Sessions", testSessions},
		{"SessionExpiry", testSessionExpiry},
		{"Cases", testCases},
		{"CaseRefuses", testCaseRefuses},
		{"Visits", testVisits},
		{"UpdateWithMatch", testUpdateWithMatch},
		{"SearchByName", testSearchByName},
		{"SearchByCode", testSearchByCode},
		{"SearchCommonGrams", testSearchCommonGrams},
		{"SearchRefuses", testSearchRefuses},
		{"DeleteCase", testDeleteCase},
		{"PurgeCases", testPurgeCases},
		{"Reopen", testReopen},
		{"IntegratorKeys", testIntegratorKeys},
		{"IntegratorKeyRefuses", testIntegratorKeyRefuses},
		{"IntegratorKeyRotation", testIntegratorKeyRotation},
		{"IntegratorKeyConcurrentAdds", testIntegratorKeyConcurrentAdds},
		{"AuditMonth", testAuditMonth},
		{"AuditRefuses", testAuditRefuses},
		{"AuditAppendOnly", testAuditAppendOnly},
		{"AuditVerifyTampered", testAuditVerifyTampered},
		{"AuditVerifyAdded", testAuditVerifyAdded},
		{"AuditVerifyUnlinked", testAuditVerifyUnlinked},
		{"AuditVerifyNoHead", testAuditVerifyNoHead},
		{"AuditConcurrentAppends", testAuditConcurrentAppends},
		{"FileTicket", testFileTicket},
		{"FileTicketIdempotent", testFileTicketIdempotent},
		{"FileTicketConcurrent", testFileTicketConcurrent},
		{"FileTicketRefuses", testFileTicketRefuses},
		{"TicketNumbers", testTicketNumbers},
		{"TicketAccess", testTicketAccess},
		{"TicketsNeedSealer", testTicketsNeedSealer},
		{"ClaimDeliveries", testClaimDeliveries},
		{"DeliveryDone", testDeliveryDone},
		{"DeliveryFailed", testDeliveryFailed},
		{"DeadLetters", testDeadLetters},
		{"ConcurrentClaims", testConcurrentClaims},
		{"StatusRules", testStatusRules},
		{"StatusConcurrentRepeats", testStatusConcurrentRepeats},
		{"Inbound", testInbound},
		{"Timeout", testTimeout},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.test(t, newEnv(t, newDB))
		})
	}
}

// supervisor is who most tests act as.
var supervisor = store.Actor{Username: "wang.fang", RemoteAddr: "10.1.2.3"}

// password is the password of every account the tests create.
const password = "correct horse battery"

// mustStaff adds an account with password.
func mustStaff(t *testing.T, s store.Store, username string, role store.Role) store.Staff {
	t.Helper()
	st, err := s.AddStaff(t.Context(), store.NewStaff{
		Username: username, DisplayName: "测试" + username, Role: role, Password: password,
	}, store.Actor{Username: "cli"})
	if err != nil {
		t.Fatalf("AddStaff(%s): %v", username, err)
	}
	return st
}

// wantError checks that err is an *store.Error of kind naming field.
func wantError(t *testing.T, err error, kind error, field string) {
	t.Helper()
	var se *store.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *store.Error of field %q", err, field)
	}
	if !errors.Is(err, kind) || se.Field != field {
		t.Errorf("error = %v (field %q), want %v of field %q", err, se.Field, kind, field)
	}
	if se.Message == "" {
		t.Errorf("error %v has no message", err)
	}
}

// ignoreHash lets cmp compare accounts, whose password hash is unexported.
var ignoreHash = cmpopts.IgnoreUnexported(store.Staff{})

// auditActions returns the actions of the log's entries in order.
func auditActions(t *testing.T, s store.Store) []store.Action {
	t.Helper()
	recs, err := s.AuditMonth(t.Context(), start)
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	var actions []store.Action
	for _, r := range recs {
		actions = append(actions, r.Action)
	}
	return actions
}

// diff is cmp.Diff with the options every comparison of store types needs.
func diff(want, got any) string {
	return cmp.Diff(want, got, ignoreHash, cmpopts.EquateEmpty())
}
