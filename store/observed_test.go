package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"policybot/store"
	"policybot/store/storetest"
)

// calls records what an Observed store tells.
type calls struct {
	mu  sync.Mutex // guards got
	got []call
}

type call struct {
	op     string
	failed bool
}

func (c *calls) observe(op string, took time.Duration, failed bool) {
	if took < 0 {
		panic("negative duration")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, call{op, failed})
}

func (c *calls) all() []call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]call(nil), c.got...)
}

// observed wraps the stores of newDB in Observed.
func observed(newDB storetest.NewDB) storetest.NewDB {
	return func(tb testing.TB) storetest.DB {
		db := newDB(tb)
		open := db.Open
		db.Open = func(tb testing.TB, opt store.Options) store.Store {
			return store.NewObserved(open(tb, opt), (&calls{}).observe)
		}
		return db
	}
}

// TestObservedContract runs the whole store contract through Observed, so
// that it forwards every call and its results unchanged.
func TestObservedContract(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { storetest.Run(t, observed(storetest.SQLite)) })
	t.Run("Postgres", func(t *testing.T) {
		storetest.PostgresURL(t)
		storetest.Run(t, observed(storetest.Postgres))
	})
}

// TestObservedCalls checks what Observed tells of answers, refusals and a
// database that fails.
func TestObservedCalls(t *testing.T) {
	ctx := context.Background()
	rec := &calls{}
	db := storetest.SQLite(t)
	s := store.NewObserved(db.Open(t, store.Options{}), rec.observe)
	by := store.Actor{Username: "cli"}
	if _, err := s.AddStaff(ctx, store.NewStaff{Username: "wang", DisplayName: "王芳", Password: "correct horse battery", Role: store.RoleSupervisor}, by); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddStaff(ctx, store.NewStaff{Username: "wang", DisplayName: "王芳", Password: "correct horse battery", Role: store.RoleSupervisor}, by); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a username taken twice: %v", err)
	}
	if _, err := s.Case(ctx, 404); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a missing case: %v", err)
	}
	if _, _, err := s.CreateSession(ctx, "wang", time.Hour); err != nil {
		t.Fatal(err)
	}
	// A closed database fails every call.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Staff(ctx, "wang"); !store.Failed(err) {
		t.Fatalf("a call of a closed store: %v", err)
	}
	want := []call{{"AddStaff", false}, {"AddStaff", false}, {"Case", false}, {"CreateSession", false}, {"Staff", true}}
	got := rec.all()
	if len(got) != len(want) {
		t.Fatalf("observed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d observed %v, want %v", i, got[i], want[i])
		}
	}
}

func TestFailed(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"not found", store.ErrNotFound, false},
		{"wrapped not found", errors.Join(errors.New("case 3"), store.ErrNotFound), false},
		{"refused", &store.Error{Kind: store.ErrInvalid, Field: "name", Message: "空"}, false},
		{"bad credentials", store.ErrBadCredentials, false},
		{"locked", &store.LockedError{Until: time.Now()}, false},
		{"lease lost", store.ErrLeaseLost, false},
		{"driver", errors.New("sql: database is closed"), true},
		{"deadline", context.DeadlineExceeded, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.Failed(tt.err); got != tt.want {
				t.Errorf("Failed(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
