package dialogue

import (
	"testing"

	"policybot/kb"
	"policybot/matcher"
)

// TestReplayAfterReload checks that a stored reply is read back even when
// the library has dropped one of its facts since: the reply is sent as it
// was, and its profile keeps the facts the library still takes.
func TestReplayAfterReload(t *testing.T) {
	base, err := kb.Load(kb.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := matcher.NewCatalogue(base.Facts(), base.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"session_id":"abcdefgh12345678","reply":"已记录","results":[],"citations":[],"question":null,` +
		`"profile":{"profitable":true,"dropped_fact_cny":5,"bond_financing_cny":50000000},"facts":[],"intent":"eligibility",` +
		`"restarted":false,"library_version":"v1"}`)
	r, err := readReply(body, cat)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Replayed || r.SessionID != "abcdefgh12345678" || !r.Profile.Has("profitable") || !r.Profile.Has("bond_financing_cny") || r.Profile.Has("dropped_fact_cny") {
		t.Errorf("replay = %+v, want the stored reply without the dropped fact", r)
	}
	got, err := r.MarshalJSON()
	if err != nil || string(got) != string(body) {
		t.Errorf("MarshalJSON = %s, %v; want the stored body", got, err)
	}
}
