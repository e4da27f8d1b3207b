package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"policybot/store"
)

// newKey is a key of integrator gz12345 whose sealed secret the store
// keeps as given: it never opens it.
func newKey(id string) store.NewIntegratorKey {
	return store.NewIntegratorKey{KeyID: id, Integrator: "gz12345", Algorithm: "hmac-sha256", SecretEnc: []byte("sealed:" + id)}
}

func mustAddKey(t *testing.T, s store.Store, k store.NewIntegratorKey) store.IntegratorKey {
	t.Helper()
	got, err := s.AddIntegratorKey(t.Context(), k, store.Actor{Username: "cli"})
	if err != nil {
		t.Fatalf("AddIntegratorKey(%s): %v", k.KeyID, err)
	}
	return got
}

func testIntegratorKeys(t *testing.T, e *env) {
	ctx := t.Context()
	n := newKey("pbk_1")
	n.Integrator = " GZ12345 "
	n.Algorithm = "hmac-sm3"
	got, err := e.s.AddIntegratorKey(ctx, n, supervisor)
	if err != nil {
		t.Fatalf("AddIntegratorKey: %v", err)
	}
	first := store.IntegratorKey{KeyID: "pbk_1", Integrator: "gz12345", Algorithm: "hmac-sm3", SecretEnc: []byte("sealed:pbk_1"), CreatedAt: start.UTC()}
	if d := diff(first, got); d != "" {
		t.Errorf("AddIntegratorKey (-want +got):\n%s", d)
	}
	if got, err := e.s.IntegratorKey(ctx, "pbk_1"); err != nil || diff(first, got) != "" {
		t.Errorf("IntegratorKey = %+v, %v; want %+v", got, err, first)
	}
	if _, err := e.s.IntegratorKey(ctx, "pbk_none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("IntegratorKey(pbk_none) error = %v, want ErrNotFound", err)
	}

	e.clock.Advance(time.Hour)
	second := mustAddKey(t, e.s, newKey("pbk_2"))
	mustAddKey(t, e.s, store.NewIntegratorKey{KeyID: "pbk_other", Integrator: "other-platform", Algorithm: "hmac-sha256", SecretEnc: []byte("x")})
	e.clock.Advance(time.Hour)
	revoked, err := e.s.RevokeIntegratorKey(ctx, "pbk_1", supervisor)
	if err != nil {
		t.Fatalf("RevokeIntegratorKey: %v", err)
	}
	first.RevokedAt = e.clock.Now().UTC()
	if d := diff(first, revoked); d != "" {
		t.Errorf("RevokeIntegratorKey (-want +got):\n%s", d)
	}
	// Revoking again keeps the first time.
	e.clock.Advance(time.Minute)
	if again, err := e.s.RevokeIntegratorKey(ctx, "pbk_1", supervisor); err != nil || !again.RevokedAt.Equal(first.RevokedAt) {
		t.Errorf("RevokeIntegratorKey again = %+v, %v; want RevokedAt %v kept", again, err, first.RevokedAt)
	}
	if _, err := e.s.RevokeIntegratorKey(ctx, "pbk_none", supervisor); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeIntegratorKey(pbk_none) error = %v, want ErrNotFound", err)
	}

	list, err := e.s.IntegratorKeys(ctx, "GZ12345")
	if err != nil {
		t.Fatalf("IntegratorKeys: %v", err)
	}
	if d := diff([]store.IntegratorKey{first, second}, list); d != "" {
		t.Errorf("IntegratorKeys (-want +got):\n%s", d)
	}
	if list, err := e.s.IntegratorKeys(ctx, "nobody"); err != nil || len(list) != 0 {
		t.Errorf("IntegratorKeys(nobody) = %v, %v; want none", list, err)
	}

	recs, err := e.s.AuditMonth(ctx, start)
	if err != nil {
		t.Fatalf("AuditMonth: %v", err)
	}
	type row struct {
		Username       string
		Action         store.Action
		Object, Detail string
	}
	var rows []row
	for _, r := range recs {
		rows = append(rows, row{r.Username, r.Action, r.Object, r.Detail})
	}
	want := []row{
		{"wang.fang", store.ActionIntegratorKeyAdded, "integrator-key/pbk_1", "gz12345 hmac-sm3"},
		{"cli", store.ActionIntegratorKeyAdded, "integrator-key/pbk_2", "gz12345 hmac-sha256"},
		{"cli", store.ActionIntegratorKeyAdded, "integrator-key/pbk_other", "other-platform hmac-sha256"},
		{"wang.fang", store.ActionIntegratorKeyRevoked, "integrator-key/pbk_1", "gz12345"},
		{"wang.fang", store.ActionIntegratorKeyRevoked, "integrator-key/pbk_1", "gz12345"},
	}
	if d := diff(want, rows); d != "" {
		t.Errorf("audit rows (-want +got):\n%s", d)
	}
}

func testIntegratorKeyRefuses(t *testing.T, e *env) {
	mustAddKey(t, e.s, newKey("pbk_1"))
	tests := []struct {
		name  string
		edit  func(*store.NewIntegratorKey)
		by    store.Actor
		kind  error
		field string
	}{
		{"KeyIDTaken", func(k *store.NewIntegratorKey) { k.KeyID = "pbk_1"; k.Integrator = "other-platform" }, supervisor, store.ErrConflict, "key_id"},
		{"KeyIDWithColon", func(k *store.NewIntegratorKey) { k.KeyID = "pbk:2" }, supervisor, store.ErrInvalid, "key_id"},
		{"NoKeyID", func(k *store.NewIntegratorKey) { k.KeyID = "" }, supervisor, store.ErrInvalid, "key_id"},
		{"IntegratorChinese", func(k *store.NewIntegratorKey) { k.Integrator = "投诉平台" }, supervisor, store.ErrInvalid, "integrator"},
		{"NoIntegrator", func(k *store.NewIntegratorKey) { k.Integrator = " " }, supervisor, store.ErrInvalid, "integrator"},
		{"UnknownAlgorithm", func(k *store.NewIntegratorKey) { k.Algorithm = "hmac-md5" }, supervisor, store.ErrInvalid, "algorithm"},
		{"NoSecret", func(k *store.NewIntegratorKey) { k.SecretEnc = nil }, supervisor, store.ErrInvalid, "secret_enc"},
		{"NoActor", func(*store.NewIntegratorKey) {}, store.Actor{}, store.ErrInvalid, "actor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKey("pbk_2")
			tt.edit(&k)
			_, err := e.s.AddIntegratorKey(t.Context(), k, tt.by)
			wantError(t, err, tt.kind, tt.field)
		})
	}
	if _, err := e.s.RevokeIntegratorKey(t.Context(), "pbk_1", store.Actor{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("RevokeIntegratorKey without an actor: error = %v, want ErrInvalid", err)
	}
	// Only the first key was kept, with its one audit row.
	if keys, _ := e.s.IntegratorKeys(t.Context(), "gz12345"); len(keys) != 1 {
		t.Errorf("keys kept after refusals: %d, want 1", len(keys))
	}
	if got := auditActions(t, e.s); len(got) != 1 {
		t.Errorf("audit actions after refusals: %v, want the first add only", got)
	}
}

// testIntegratorKeyRotation checks the rotation: two active keys at once,
// a third refused until one is revoked.
func testIntegratorKeyRotation(t *testing.T, e *env) {
	ctx := t.Context()
	mustAddKey(t, e.s, newKey("pbk_1"))
	mustAddKey(t, e.s, newKey("pbk_2"))
	_, err := e.s.AddIntegratorKey(ctx, newKey("pbk_3"), supervisor)
	wantError(t, err, store.ErrConflict, "integrator")
	if _, err := e.s.RevokeIntegratorKey(ctx, "pbk_1", supervisor); err != nil {
		t.Fatalf("RevokeIntegratorKey: %v", err)
	}
	mustAddKey(t, e.s, newKey("pbk_3"))
	_, err = e.s.AddIntegratorKey(ctx, newKey("pbk_4"), supervisor)
	wantError(t, err, store.ErrConflict, "integrator")
	// Another integrator has keys of its own.
	other := newKey("pbk_other")
	other.Integrator = "other-platform"
	mustAddKey(t, e.s, other)
}

// testIntegratorKeyConcurrentAdds checks that adds for one integrator sent
// at once cannot together make more than two keys active.
func testIntegratorKeyConcurrentAdds(t *testing.T, e *env) {
	const adds = 8
	var wg sync.WaitGroup
	errs := make([]error, adds)
	for i := range adds {
		wg.Go(func() {
			_, errs[i] = e.s.AddIntegratorKey(t.Context(), newKey(fmt.Sprintf("pbk_%d", i)), supervisor)
		})
	}
	wg.Wait()
	added := 0
	for _, err := range errs {
		switch {
		case err == nil:
			added++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("AddIntegratorKey: %v, want success or ErrConflict", err)
		}
	}
	keys, err := e.s.IntegratorKeys(t.Context(), "gz12345")
	if err != nil {
		t.Fatal(err)
	}
	if added != store.MaxActiveKeys || len(keys) != store.MaxActiveKeys {
		t.Errorf("%d of %d adds at once succeeded and %d keys are kept, want %d", added, adds, len(keys), store.MaxActiveKeys)
	}
}
