package complaints_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/complaints"
	"policybot/complaints/fakeplatform"
	"policybot/complaints/sign"
	"policybot/store"
	"policybot/store/storetest"
)

// webhook stands in for policybot's status route, which api/ serves: it
// verifies a callback's signature and records it, answering 409 for a
// conflict.
func webhook(s store.Store, keys *complaints.Keys) http.Handler {
	v := sign.NewVerifier(keys, sign.NewMemoryNonces(time.Now), time.Now)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		caller, err := v.Verify(r.Context(), r, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var c complaints.StatusCallback
		if err := json.Unmarshal(body, &c); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		status, ok := store.PlatformStatus(c.Status)
		if !ok {
			http.Error(w, "unknown status", http.StatusBadRequest)
			return
		}
		res, err := s.RecordStatus(r.Context(), store.StatusUpdate{Number: c.TicketNo, Seq: c.Seq, Status: status, Note: c.Note, Body: body},
			store.Actor{Username: "integrator/" + caller.KeyID})
		switch {
		case errors.Is(err, store.ErrConflict):
			http.Error(w, err.Error(), http.StatusConflict)
		case errors.Is(err, store.ErrNotFound):
			http.Error(w, err.Error(), http.StatusNotFound)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			json.NewEncoder(w).Encode(map[string]bool{"duplicate": res.Duplicate})
		}
	})
}

// TestStatusCallbacks has the platform report the closed loop of every
// ticket delivered, each callback perhaps repeated or sent again with
// another body, all in a shuffled order: repeats are accepted, conflicts
// refused, and every ticket ends rated with its whole history.
func TestStatusCallbacks(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, storetest.SQLite)
	hook := httptest.NewServer(webhook(e.s, e.keys))
	t.Cleanup(hook.Close)
	fake := e.withFake(t, fakeplatform.Config{Callbacks: fakeplatform.Callbacks{
		URL: hook.URL, Interval: time.Millisecond, Repeat: 0.5, Conflict: 0.3, Reorder: true,
	}})
	stop := run(t, e.worker(t, e.s, testWorkerConfig, complaints.Hooks{}))
	tickets := fileTickets(t, e.s, 20, 2)
	waitFor(t, e.s, "all delivered", allDelivered(len(tickets)))
	stop()
	fake.Wait()

	// Of the two bodies of a number, the one that arrives first is kept;
	// the same body again is a repeat, accepted, the other a conflict.
	type callback struct {
		ticket string
		seq    int64
	}
	kept := make(map[callback]bool) // true: the platform's first body; false: the other
	kinds := make(map[string]int)
	reordered := 0
	last := make(map[string]int64)
	for _, c := range fake.Ledger().Callbacks {
		kinds[c.Kind]++
		first := c.Kind != fakeplatform.CallbackConflict
		key := callback{c.TicketNo, c.Seq}
		if _, ok := kept[key]; !ok {
			kept[key] = first
		}
		want := http.StatusOK
		if kept[key] != first {
			want = http.StatusConflict
		}
		if c.Code != want {
			t.Errorf("%s callback %d of %s answered %d %s, want %d", c.Kind, c.Seq, c.TicketNo, c.Code, c.Error, want)
		}
		if c.Seq < last[c.TicketNo] {
			reordered++
		}
		last[c.TicketNo] = max(last[c.TicketNo], c.Seq)
	}
	t.Logf("callbacks: %v; %d arrived after a later one", kinds, reordered)
	if kinds[fakeplatform.CallbackFirst] != 6*len(tickets) || kinds[fakeplatform.CallbackRepeat] == 0 || kinds[fakeplatform.CallbackConflict] == 0 || reordered == 0 {
		t.Errorf("callbacks %v, %d reordered; want 6 per ticket, with repeats, conflicts and some out of order", kinds, reordered)
	}

	wantStatuses := []store.TicketStatus{store.TicketAccepted, store.TicketTransferred, store.TicketProcessing,
		store.TicketConcluded, store.TicketRevisited, store.TicketRated}
	for _, tk := range tickets {
		got, err := e.s.TicketForOwner(t.Context(), tk.Number, tk.OwnerKey)
		if err != nil || got.Status != store.TicketRated || got.StatusSeq != 6 {
			t.Errorf("%s: %s at seq %d, %v; want rated at 6", tk.Number, got.Status, got.StatusSeq, err)
		}
		history, err := e.s.TicketHistory(t.Context(), tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		var statuses []store.TicketStatus
		for _, ev := range history {
			statuses = append(statuses, ev.Status)
		}
		if d := cmp.Diff(wantStatuses, statuses); d != "" {
			t.Errorf("%s: history (-want +got):\n%s", tk.Number, d)
		}
		for _, ev := range history {
			if corrected := strings.HasSuffix(ev.Note, "(更正)"); corrected == kept[callback{tk.Number, ev.Seq}] {
				t.Errorf("%s: seq %d's note %q is not that of the body that arrived first", tk.Number, ev.Seq, ev.Note)
			}
		}
	}
}
