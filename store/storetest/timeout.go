package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"policybot/store"
)

// testTimeout checks that calls made while the database stalls end with
// the store's timeout, however many wait at once, and that the store
// works again once the stall ends.
func testTimeout(t *testing.T, e *env) {
	withStaff(t, e)
	opt := e.options()
	opt.Timeout = 200 * time.Millisecond
	s := e.db.Open(t, opt)

	release := Stall(t, e.db)
	const waiting = 4
	errs := make(chan error, waiting)
	for range waiting {
		go func() {
			errs <- endsSoon(t, func(ctx context.Context) error {
				_, err := s.CreateCase(ctx, store.CaseInput{Enterprise: "赣州停顿测试企业", Facts: store.Facts{}}, clerk)
				return err
			})
		}()
	}
	for range waiting {
		if err := <-errs; !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("CreateCase while the database stalls = %v, want context.DeadlineExceeded", err)
		}
	}
	release()
	mustCase(t, s, nankang)
}

// endsSoon returns what call returns, or an error if it has not returned
// within a bound far beyond any timeout of the tests: a hang.
func endsSoon(t *testing.T, call func(context.Context) error) error {
	done := make(chan error, 1)
	go func() { done <- call(t.Context()) }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		return errors.New("storetest: the call did not end")
	}
}

// Stall runs db.Stall on a connection of its own and holds what it locks
// until the returned function is called or the test ends, as a stuck
// transaction or a long migration would.
func Stall(tb testing.TB, db DB) (release func()) {
	tb.Helper()
	ctx := context.Background()
	conn, err := db.Raw(tb).Conn(ctx)
	if err != nil {
		tb.Fatalf("stall: %v", err)
	}
	for _, q := range db.Stall {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			tb.Fatalf("stall: %s: %v", q, err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				tb.Errorf("stall: release: %v", err)
			}
			conn.Close()
		})
	}
	tb.Cleanup(release)
	return release
}
