package storetest

import (
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/store"
)

// policy locks an account for 15 minutes after 3 failures within 10.
var policy = store.Lockout{Failures: 3, Window: 10 * time.Minute, Duration: 15 * time.Minute}

func testAddStaff(t *testing.T, e *env) {
	ctx := t.Context()
	got, err := e.s.AddStaff(ctx, store.NewStaff{
		Username: " Li.Ming ", DisplayName: " 李明 ", Role: store.RoleStaff, Password: password,
	}, supervisor)
	if err != nil {
		t.Fatalf("AddStaff: %v", err)
	}
	want := store.Staff{Username: "li.ming", DisplayName: "李明", Role: store.RoleStaff, CreatedAt: start.UTC()}
	if d := diff(want, got); d != "" {
		t.Errorf("AddStaff (-want +got):\n%s", d)
	}
	found, err := e.s.Staff(ctx, "LI.MING")
	if err != nil {
		t.Fatalf("Staff: %v", err)
	}
	if d := diff(want, found); d != "" {
		t.Errorf("Staff (-want +got):\n%s", d)
	}
	if _, err := e.s.Staff(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Staff(nobody) error = %v, want ErrNotFound", err)
	}
	if d := diff([]store.Action{store.ActionStaffAdded}, auditActions(t, e.s)); d != "" {
		t.Errorf("audit actions (-want +got):\n%s", d)
	}
}

func testAddStaffRefuses(t *testing.T, e *env) {
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	ok := store.NewStaff{Username: "zhao.lei", DisplayName: "赵磊", Role: store.RoleSupervisor, Password: password}
	tests := []struct {
		name  string
		edit  func(*store.NewStaff)
		by    store.Actor
		kind  error
		field string
	}{
		{"UsernameTaken", func(n *store.NewStaff) { n.Username = "Li.Ming" }, supervisor, store.ErrConflict, "username"},
		{"UsernameShort", func(n *store.NewStaff) { n.Username = "l" }, supervisor, store.ErrInvalid, "username"},
		{"UsernameChinese", func(n *store.NewStaff) { n.Username = "李明" }, supervisor, store.ErrInvalid, "username"},
		{"NoDisplayName", func(n *store.NewStaff) { n.DisplayName = " " }, supervisor, store.ErrInvalid, "display_name"},
		{"UnknownRole", func(n *store.NewStaff) { n.Role = "admin" }, supervisor, store.ErrInvalid, "role"},
		{"ShortPassword", func(n *store.NewStaff) { n.Password = "hunter2" }, supervisor, store.ErrInvalid, "password"},
		{"NoActor", func(*store.NewStaff) {}, store.Actor{}, store.ErrInvalid, "actor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ok
			tt.edit(&n)
			_, err := e.s.AddStaff(t.Context(), n, tt.by)
			wantError(t, err, tt.kind, tt.field)
		})
	}
}

func testSignIn(t *testing.T, e *env) {
	ctx := t.Context()
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	e.clock.Advance(time.Hour)
	st, err := e.s.SignIn(ctx, store.Credentials{Username: "Li.Ming", Password: password, RemoteAddr: "10.0.0.7"}, policy)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if !st.LastSignIn.Equal(e.clock.Now()) || st.FailedCount != 0 {
		t.Errorf("SignIn = %+v, want LastSignIn %v and no failures", st, e.clock.Now())
	}
	for _, c := range []store.Credentials{
		{Username: "li.ming", Password: password + "!"},
		{Username: "li.ming", Password: strings.ToUpper(password)},
		{Username: "no.one", Password: password},
		{Username: "", Password: ""},
	} {
		if _, err := e.s.SignIn(ctx, c, policy); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("SignIn(%q, %q) error = %v, want ErrBadCredentials", c.Username, c.Password, err)
		}
	}
	recs, err := e.s.AuditMonth(ctx, start)
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	type row struct {
		Action         store.Action
		Username, From string
		Detail         string
	}
	var got []row
	for _, r := range recs[1:] {
		got = append(got, row{r.Action, r.Username, r.RemoteAddr, r.Detail})
	}
	want := []row{
		{store.ActionSignIn, "li.ming", "10.0.0.7", ""},
		{store.ActionSignInFailed, "li.ming", "", "wrong password"},
		{store.ActionSignInFailed, "li.ming", "", "wrong password"},
		{store.ActionSignInFailed, "no.one", "", "unknown username"},
		{store.ActionSignInFailed, "-", "", "unknown username"},
	}
	if d := diff(want, got); d != "" {
		t.Errorf("audit of sign-ins (-want +got):\n%s", d)
	}
}

func testLockOut(t *testing.T, e *env) {
	ctx := t.Context()
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	wrong := store.Credentials{Username: "li.ming", Password: "not the password"}
	right := store.Credentials{Username: "li.ming", Password: password}

	// Two failures, then the right password: the count starts again.
	for range 2 {
		e.s.SignIn(ctx, wrong, policy)
	}
	if st, _ := e.s.Staff(ctx, "li.ming"); st.FailedCount != 2 {
		t.Errorf("FailedCount after 2 failures = %d, want 2", st.FailedCount)
	}
	if _, err := e.s.SignIn(ctx, right, policy); err != nil {
		t.Fatalf("SignIn after 2 failures: %v", err)
	}
	if st, _ := e.s.Staff(ctx, "li.ming"); st.FailedCount != 0 {
		t.Errorf("FailedCount after a sign-in = %d, want 0", st.FailedCount)
	}

	// Three failures lock the account; the third says until when.
	for i := range 3 {
		e.clock.Advance(time.Minute)
		_, err := e.s.SignIn(ctx, wrong, policy)
		if i < 2 && !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("failure %d: error = %v, want ErrBadCredentials", i+1, err)
		}
		if i == 2 {
			var le *store.LockedError
			if !errors.As(err, &le) || !le.Until.Equal(e.clock.Now().Add(policy.Duration)) {
				t.Fatalf("failure 3: error = %v, want a *LockedError until %v", err, e.clock.Now().Add(policy.Duration))
			}
		}
	}
	lockedAt := e.clock.Now()
	e.clock.Advance(policy.Duration - time.Second)
	_, err := e.s.SignIn(ctx, right, policy)
	var le *store.LockedError
	if !errors.As(err, &le) || !errors.Is(err, store.ErrLocked) || !le.Until.Equal(lockedAt.Add(policy.Duration)) {
		t.Errorf("right password while locked: error = %v, want a *LockedError until %v", err, lockedAt.Add(policy.Duration))
	}
	e.clock.Advance(time.Second)
	st, err := e.s.SignIn(ctx, right, policy)
	if err != nil {
		t.Fatalf("SignIn when the lock ends: %v", err)
	}
	if !st.LockedUntil.IsZero() || st.FailedCount != 0 {
		t.Errorf("after the lock: LockedUntil %v, FailedCount %d; want neither", st.LockedUntil, st.FailedCount)
	}
}

// testLockOutWindow checks that failures further apart than the window do
// not add up.
func testLockOutWindow(t *testing.T, e *env) {
	ctx := t.Context()
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	wrong := store.Credentials{Username: "li.ming", Password: "not the password"}
	for _, gap := range []time.Duration{0, 6 * time.Minute, 6 * time.Minute, 6 * time.Minute} {
		e.clock.Advance(gap)
		if _, err := e.s.SignIn(ctx, wrong, policy); !errors.Is(err, store.ErrBadCredentials) {
			t.Fatalf("failure after %v: error = %v, want ErrBadCredentials and no lock", gap, err)
		}
	}
	if st, _ := e.s.Staff(ctx, "li.ming"); st.FailedCount != 2 || !st.LockedUntil.IsZero() {
		t.Errorf("FailedCount = %d, LockedUntil = %v; want 2 failures in the window, no lock", st.FailedCount, st.LockedUntil)
	}
}

// testParallelGuesses checks that guesses sent at once cannot together check
// more passwords than the policy allows.
func testParallelGuesses(t *testing.T, e *env) {
	ctx := t.Context()
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			e.s.SignIn(ctx, store.Credentials{Username: "li.ming", Password: "guess"}, policy)
		})
	}
	wg.Wait()
	recs, err := e.s.AuditMonth(ctx, start)
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	checked := 0
	for _, r := range recs {
		if strings.HasPrefix(r.Detail, "wrong password") {
			checked++
		}
	}
	if checked != policy.Failures {
		t.Errorf("%d of 8 parallel guesses were checked, want %d", checked, policy.Failures)
	}
	if st, _ := e.s.Staff(ctx, "li.ming"); st.LockedUntil.IsZero() {
		t.Error("account not locked after 8 guesses")
	}
}

func testDisableStaff(t *testing.T, e *env) {
	ctx := t.Context()
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	token, _, err := e.s.CreateSession(ctx, "li.ming", time.Hour)
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	e.clock.Advance(time.Minute)
	if err := e.s.DisableStaff(ctx, "li.ming", supervisor); err != nil {
		t.Fatalf("DisableStaff: %v", err)
	}
	if _, err := e.s.SignIn(ctx, store.Credentials{Username: "li.ming", Password: password}, policy); !errors.Is(err, store.ErrBadCredentials) {
		t.Errorf("SignIn of a disabled account: error = %v, want ErrBadCredentials", err)
	}
	if _, err := e.s.Session(ctx, token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session of a disabled account: error = %v, want ErrNotFound", err)
	}
	if _, _, err := e.s.CreateSession(ctx, "li.ming", time.Hour); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateSession of a disabled account: error = %v, want ErrNotFound", err)
	}
	st, err := e.s.Staff(ctx, "li.ming")
	if err != nil || !st.DisabledAt.Equal(e.clock.Now()) {
		t.Errorf("Staff = %+v, %v; want DisabledAt %v", st, err, e.clock.Now())
	}
	if err := e.s.DisableStaff(ctx, "no.one", supervisor); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DisableStaff(no.one) error = %v, want ErrNotFound", err)
	}
}

func testSessions(t *testing.T, e *env) {
	ctx := t.Context()
	staff := mustStaff(t, e.s, "li.ming", store.RoleSupervisor)
	token, sess, err := e.s.CreateSession(ctx, "li.ming", 8*time.Hour)
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	if len(token) != 43 || len(sess.CSRFToken) != 43 || token == sess.CSRFToken {
		t.Errorf("token %q and CSRF token %q: want two different 256-bit tokens", token, sess.CSRFToken)
	}
	want := store.Session{Staff: staff, CSRFToken: sess.CSRFToken, CreatedAt: start.UTC(), ExpiresAt: start.Add(8 * time.Hour).UTC()}
	if d := diff(want, sess); d != "" {
		t.Errorf("CreateSession (-want +got):\n%s", d)
	}
	got, err := e.s.Session(ctx, token)
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("Session (-want +got):\n%s", d)
	}

	// The database holds the token's hash and nothing from which to make a cookie.
	hash := sha256.Sum256([]byte(token))
	var n int
	raw := e.db.Raw(t)
	if err := raw.QueryRow(`SELECT count(*) FROM console_sessions WHERE token_hash = $1`, hash[:]).Scan(&n); err != nil || n != 1 {
		t.Errorf("sessions kept under the token's SHA-256: %d, %v; want 1", n, err)
	}
	if err := raw.QueryRow(`SELECT count(*) FROM console_sessions WHERE token_hash = $1 OR csrf_token = $2`, []byte(token), token).Scan(&n); err != nil || n != 0 {
		t.Errorf("sessions holding the token itself: %d, %v; want 0", n, err)
	}

	for _, bad := range []string{"", "not-a-token", token[:42], token + "A", strings.ToUpper(token)} {
		if _, err := e.s.Session(ctx, bad); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Session(%q) error = %v, want ErrNotFound", bad, err)
		}
	}
	if _, _, err := e.s.CreateSession(ctx, "no.one", time.Hour); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateSession(no.one) error = %v, want ErrNotFound", err)
	}
	if err := e.s.DeleteSession(ctx, token); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if _, err := e.s.Session(ctx, token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session after sign-out: error = %v, want ErrNotFound", err)
	}
	if err := e.s.DeleteSession(ctx, token); err != nil {
		t.Errorf("DeleteSession twice: %v", err)
	}
}

func testSessionExpiry(t *testing.T, e *env) {
	ctx := t.Context()
	mustStaff(t, e.s, "li.ming", store.RoleStaff)
	short, _, err := e.s.CreateSession(ctx, "li.ming", time.Hour)
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	long, _, err := e.s.CreateSession(ctx, "li.ming", 8*time.Hour)
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	// Use does not extend a session: the hour counts from sign-in.
	for range 3 {
		e.clock.Advance(19 * time.Minute)
		if _, err := e.s.Session(ctx, short); err != nil {
			t.Fatalf("Session at %v: %v", e.clock.Now(), err)
		}
	}
	e.clock.Advance(3 * time.Minute)
	if _, err := e.s.Session(ctx, short); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session an hour after sign-in: error = %v, want ErrNotFound", err)
	}
	if _, err := e.s.Session(ctx, long); err != nil {
		t.Errorf("Session of 8 hours after one: %v", err)
	}
	if n, err := e.s.PurgeSessions(ctx); err != nil || n != 1 {
		t.Errorf("PurgeSessions = %d, %v; want 1", n, err)
	}
	if _, err := e.s.Session(ctx, long); err != nil {
		t.Errorf("Session of 8 hours after the purge: %v", err)
	}
	if _, _, err := e.s.CreateSession(ctx, "li.ming", 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CreateSession with no lifetime: error = %v, want ErrInvalid", err)
	}
}
