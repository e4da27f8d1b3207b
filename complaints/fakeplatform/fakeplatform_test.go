package fakeplatform_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policybot/complaints"
	"policybot/complaints/fakeplatform"
	"policybot/complaints/sign"
)

var key = sign.Key{ID: "pbk_1", Algorithm: sign.HMACSHA256, Secret: []byte("secret-of-the-test-key")}

// deliver posts body to the platform with the idempotency key, signed
// with k unless k has no id, and returns the answer.
func deliver(t *testing.T, srv *httptest.Server, k sign.Key, idempotencyKey string, body []byte) (int, complaints.TicketReceipt) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/tickets", bytes.NewReader(body))
	req.Header.Set(complaints.HeaderIdempotencyKey, idempotencyKey)
	if k.ID != "" {
		if err := sign.Sign(req, body, k); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r complaints.TicketReceipt
	json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r
}

func ticket(no, key string) []byte {
	b, _ := json.Marshal(complaints.TicketPayload{TicketNo: no, IdempotencyKey: key, Complaint: "未兑现"})
	return b
}

func TestDeliveries(t *testing.T) {
	p := fakeplatform.New(fakeplatform.Config{Key: key})
	srv := httptest.NewServer(p)
	defer srv.Close()
	defer p.Close()

	status, first := deliver(t, srv, key, "pbt_1", ticket("TS20260115-0001", "pbt_1"))
	if status != http.StatusCreated || first.PlatformTicketID == "" || first.Duplicate {
		t.Errorf("first delivery = %d %+v, want 201 with a ticket id", status, first)
	}
	status, again := deliver(t, srv, key, "pbt_1", ticket("TS20260115-0001", "pbt_1"))
	if status != http.StatusOK || again.PlatformTicketID != first.PlatformTicketID || !again.Duplicate {
		t.Errorf("repeat = %d %+v, want 200 with the same id, a duplicate", status, again)
	}
	wrongKey := sign.Key{ID: "pbk_1", Algorithm: sign.HMACSHA256, Secret: []byte("another secret")}
	for _, tt := range []struct {
		name       string
		k          sign.Key
		header     string
		body       []byte
		wantStatus int
	}{
		{"Unsigned", sign.Key{}, "pbt_2", ticket("TS20260115-0002", "pbt_2"), http.StatusUnauthorized},
		{"WrongSecret", wrongKey, "pbt_2", ticket("TS20260115-0002", "pbt_2"), http.StatusUnauthorized},
		{"HeaderDiffers", key, "pbt_3", ticket("TS20260115-0002", "pbt_2"), http.StatusBadRequest},
		{"NoTicketNo", key, "pbt_2", ticket("", "pbt_2"), http.StatusBadRequest},
		{"KeyReusedForAnotherBody", key, "pbt_1", ticket("TS20260115-0009", "pbt_1"), http.StatusUnprocessableEntity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if status, _ := deliver(t, srv, tt.k, tt.header, tt.body); status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
		})
	}
	l := p.Ledger()
	want := []fakeplatform.Entry{{IdempotencyKey: "pbt_1", TicketNo: "TS20260115-0001", PlatformTicketID: first.PlatformTicketID, Deliveries: 2}}
	if d := cmp.Diff(want, l.Tickets, cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".ReceivedAt" || p.Last().String() == ".bodyHash"
	}, cmp.Ignore())); d != "" {
		t.Errorf("ledger (-want +got):\n%s", d)
	}
	if l.Attempts != 7 || l.Refused != 5 || l.Duplicates != 1 {
		t.Errorf("ledger counts %d attempts, %d refused, %d duplicates; want 7, 5, 1", l.Attempts, l.Refused, l.Duplicates)
	}

	// GET /ledger is the same ledger.
	resp, err := srv.Client().Get(srv.URL + "/ledger")
	if err != nil {
		t.Fatal(err)
	}
	var got fakeplatform.Ledger
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if len(got.Tickets) != 1 || got.Tickets[0].PlatformTicketID != first.PlatformTicketID || got.Attempts != 7 {
		t.Errorf("GET /ledger = %+v", got)
	}
}

// TestFaults makes every delivery a fault of one kind: a failure records
// nothing, a timeout and an answer twice record the ticket.
func TestFaults(t *testing.T) {
	for _, tt := range []struct {
		name        string
		faults      fakeplatform.Faults
		wantStatus  int
		wantTickets int
	}{
		{"Fail", fakeplatform.Faults{Fail: 1}, http.StatusInternalServerError, 0},
		{"Timeout", fakeplatform.Faults{Timeout: 1}, http.StatusGatewayTimeout, 1},
		{"AnswerTwice", fakeplatform.Faults{AnswerTwice: 1}, http.StatusInternalServerError, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeplatform.New(fakeplatform.Config{Key: key, Faults: tt.faults, Hold: 10 * time.Millisecond})
			srv := httptest.NewServer(p)
			defer srv.Close()
			defer p.Close()
			if status, _ := deliver(t, srv, key, "pbt_1", ticket("TS20260115-0001", "pbt_1")); status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			p.SetFaults(fakeplatform.Faults{})
			if status, r := deliver(t, srv, key, "pbt_1", ticket("TS20260115-0001", "pbt_1")); status/100 != 2 || r.Duplicate != (tt.wantTickets == 1) {
				t.Errorf("retry %d %+v; want accepted, a duplicate if the fault recorded it", status, r)
			}
			if l := p.Ledger(); len(l.Tickets) != 1 || l.Attempts != 2 {
				t.Errorf("ledger %+v; want the ticket once after 2 attempts", l)
			}
		})
	}
}

func TestLedgerCheck(t *testing.T) {
	l := fakeplatform.Ledger{Tickets: []fakeplatform.Entry{
		{IdempotencyKey: "k1", TicketNo: "TS-1"},
		{IdempotencyKey: "k2", TicketNo: "TS-9"},
		{IdempotencyKey: "k1", TicketNo: "TS-1"},
		{IdempotencyKey: "k4", TicketNo: "TS-4"},
	}}
	got := l.Check(map[string]string{"k1": "TS-1", "k2": "TS-2", "k3": "TS-3"})
	want := []string{
		"k1 (TS-1) is in the ledger twice",
		"k2 is TS-9 in the ledger, filed as TS-2",
		"k3 (TS-3) is missing from the ledger",
		"k4 (TS-4) is in the ledger but was never filed",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Check (-want +got):\n%s", d)
	}
}
