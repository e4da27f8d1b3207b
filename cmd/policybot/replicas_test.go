package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"policybot/internal/apispec"
	"policybot/internal/evalset"
	sessiontest "policybot/session/storetest"
	"policybot/store"
	"policybot/store/storetest"
)

// TestReplicas runs two policybot processes on one Redis and one
// PostgreSQL and holds one conversation across them: each turn goes to one
// replica and its keyed retry to the other, and two turns go one to each at
// once. The retries are answered with the first reply and applied nothing,
// neither of the two turns at once is lost, the complaint the conversation
// files is filed once, and every answer is the one a single process, with
// its sessions in memory and its cases in SQLite, gives to the same turns.
// On one Redis node, and on a Redis Cluster of three masters.
func TestReplicas(t *testing.T) {
	ref := newComplaintsEnv(t, storetest.SQLite(t))
	one := startReplica(t, map[string]string{"POLICYBOT_MASTER_KEY": ref.vars["POLICYBOT_MASTER_KEY"], "REDIS_URL": "", "DATABASE_URL": ""},
		"--complaints", "--data-dir", ref.db.Dir)
	for _, tt := range []struct {
		name  string
		redis func(testing.TB) string
	}{
		{"Redis", sessiontest.RedisURL},
		{"RedisCluster", sessiontest.RedisClusterURL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"REDIS_URL": tt.redis(t)}
			storetest.PostgresURL(t)
			e := newComplaintsEnv(t, storetest.Postgres(t))
			maps.Copy(vars, e.vars)
			args := []string{"--complaints", "--database-url", e.db.URL, "--trusted-proxies", "127.0.0.1/32", "--address-rate", "1", "--address-burst", "3"}
			a, b := startReplica(t, vars, args...), startReplica(t, vars, args...)
			for _, r := range []*replica{a, b} {
				if status := r.get(t, "/readyz"); status != http.StatusOK {
					t.Fatalf("readyz at %s = %d, want 200: Redis and PostgreSQL answer\n%s", r.addr, status, r.out)
				}
			}
			testReplicas(t, [2]*replica{a, b}, e, one, ref)
			for _, r := range []*replica{a, b} {
				r.stop(t)
			}
		})
	}
}

// The conversation of TestReplicas: a dialogue of the chat set whose later
// turns correct the facts of the earlier ones, then two facts sent at once
// (they commute: either order gives one profile), then a complaint filed,
// then its progress asked by its number and the phone given.
const (
	replicasDialogueFile = "../../dialogue/testdata/chat-ours.jsonl"
	replicasDialogue     = "furniture-steps"
	replicasPhone        = "13900000001"
)

var (
	replicasAtOnce    = [2]string{"今年还发行了3亿元企业债", "我们公司今年被认定为省级两化融合示范企业"}
	replicasAtOnceKey = [2]string{"bond_financing_cny", "informatization_demo"}
	replicasComplaint = []string{
		"十七.1的奖励申报一年了还不兑现,部门之间推诿,我要投诉",
		"企业名称:南康第一家具有限公司,联系人陈女士,电话" + replicasPhone,
		"同意提交",
	}
)

func testReplicas(t *testing.T, replicas [2]*replica, e *complaintsEnv, one *replica, ref *complaintsEnv) {
	d := replicasDialogueOf(t)
	c := newConversation(t)
	next := 0 // the replica that takes the next turn; the other gets its retry
	say := func(message string) []byte {
		t.Helper()
		key := c.key()
		first := replicas[next].chat(t, c.sid, message, key)
		if first.status != http.StatusOK || first.replayed {
			t.Fatalf("%q at replica %d: %d, replayed %v: %s", message, next, first.status, first.replayed, first.body)
		}
		if c.sid == "" {
			c.sid = sessionOf(t, first.body)
		}
		// The retry of an opening turn names no session, as the first
		// did: its key leads it to the session the first one opened.
		retrySID := c.sid
		if len(c.said) == 0 {
			retrySID = ""
		}
		checkReplayed(t, replicas[1-next].chat(t, retrySID, message, key), first)
		c.said = append(c.said, message)
		next = 1 - next
		return first.body
	}

	var bodies [][]byte
	for i, turn := range d.Turns {
		body := say(turn.Say)
		for _, p := range judgeTurn(body, turn.Expect) {
			t.Errorf("%s turn %d %q: %s\n%s", d.ID, i+1, turn.Say, p, body)
		}
		bodies = append(bodies, body)
	}

	// Two turns at once, one at each replica: both are applied, one after
	// the other, so the one applied second shows both facts.
	var atOnce [2]answer
	keys := [2]string{c.key(), c.key()}
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { atOnce[i] = replicas[i].chat(t, c.sid, replicasAtOnce[i], keys[i]) })
	}
	wg.Wait()
	second := -1
	for i, ans := range atOnce {
		if ans.status != http.StatusOK || ans.replayed {
			t.Fatalf("%q at replica %d, at once with another turn: %d, replayed %v: %s", replicasAtOnce[i], i, ans.status, ans.replayed, ans.body)
		}
		checkReplayed(t, replicas[1-i].chat(t, c.sid, replicasAtOnce[i], keys[i]), ans)
		own, other := profileHas(t, ans.body, replicasAtOnceKey[i]), profileHas(t, ans.body, replicasAtOnceKey[1-i])
		switch {
		case !own:
			t.Fatalf("%q: the profile lacks %s: %s", replicasAtOnce[i], replicasAtOnceKey[i], ans.body)
		case other && second >= 0:
			t.Fatalf("both turns sent at once saw the other's fact:\n%s\n%s", atOnce[0].body, atOnce[1].body)
		case other:
			second = i
		}
	}
	if second < 0 {
		t.Fatalf("of two turns sent at once, neither saw the other's fact: one was lost\n%s\n%s", atOnce[0].body, atOnce[1].body)
	}
	for _, i := range []int{1 - second, second} {
		c.said = append(c.said, replicasAtOnce[i])
		bodies = append(bodies, atOnce[i].body)
	}

	for _, m := range replicasComplaint {
		bodies = append(bodies, say(m))
	}
	ticket := ticketOf(t, bodies[len(bodies)-1])

	// A key whose reply is no longer kept is refused at either replica,
	// never applied again: the opening turn's, whose figures the later
	// turns corrected, so that applying it again would undo them.
	for i, r := range replicas {
		if ans := r.chat(t, "", d.Turns[0].Say, c.keys[0]); ans.status != http.StatusConflict {
			t.Errorf("the opening turn's key again, at replica %d, after %d turns: %d %s; want 409", i, len(c.said), ans.status, ans.body)
		}
	}
	bodies = append(bodies, say(progressQuestion(ticket)))

	// One client's calls, spread over both replicas, count against one
	// limit: the replicas trust loopback as a proxy and allow a burst of
	// 3, so a client named by X-Forwarded-For that spent two calls at each
	// replica in turn is refused at the fourth, wherever it goes. The
	// conversation above came from loopback, exempt by default.
	client := randomClient()
	for i := range 4 {
		want := http.StatusOK
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		if status := replicas[i%2].getAs(t, "/v1/policies", client); status != want {
			t.Errorf("call %d of one client, at replica %d: %d; want %d, the budget shared through Redis", i+1, i%2, status, want)
		}
	}

	// The same turns on one process, in the order the replicas applied
	// them, give the same answers; its progress question names its own
	// ticket.
	rc := newConversation(t)
	var refBodies [][]byte
	refSay := func(message string) {
		t.Helper()
		ans := one.chat(t, rc.sid, message, rc.key())
		if ans.status != http.StatusOK {
			t.Fatalf("%q on one process: %d %s", message, ans.status, ans.body)
		}
		if rc.sid == "" {
			rc.sid = sessionOf(t, ans.body)
		}
		refBodies = append(refBodies, ans.body)
	}
	for _, m := range c.said[:len(c.said)-1] {
		refSay(m)
	}
	refTicket := ticketOf(t, refBodies[len(refBodies)-1])
	refSay(progressQuestion(refTicket))
	for i := range c.said {
		got := normalize(bodies[i], c.sid, ticket)
		want := normalize(refBodies[i], rc.sid, refTicket)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("turn %d %q: the answer of the replicas differs from one process's (-one +replicas):\n%s", i+1, c.said[i], d)
		}
	}

	// The complaint is one row in the shared database, with what one
	// process files for the same conversation.
	var n int
	if err := e.db.Raw(t).QueryRow(`SELECT count(*) FROM complaint_tickets`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d tickets in PostgreSQL, %v; want the one complaint filed once", n, err)
	}
	got, err := e.s.Ticket(t.Context(), ticket)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ref.s.Ticket(t.Context(), refTicket)
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmpopts.IgnoreFields(store.Ticket{}, "ID", "Number", "IdempotencyKey", "ConsentedAt", "CreatedAt", "UpdatedAt")
	if d := cmp.Diff(want, got, ignore); d != "" {
		t.Errorf("the ticket filed through the replicas differs from one process's (-one +replicas):\n%s", d)
	}
	for _, k := range replicasAtOnceKey {
		if _, ok := got.Facts[k]; !ok {
			t.Errorf("the ticket's facts lack %s, of a turn sent at once with another", k)
		}
	}
}

// replicasDialogueOf returns TestReplicas's dialogue of the chat set.
func replicasDialogueOf(t *testing.T) evalset.Dialogue {
	t.Helper()
	for _, d := range evalset.Read[evalset.Dialogue](t, replicasDialogueFile) {
		if d.ID == replicasDialogue {
			if d.AsOf != "" {
				t.Fatalf("%s is judged on %s; TestReplicas sends no as_of", d.ID, d.AsOf)
			}
			return d
		}
	}
	t.Fatalf("%s has no dialogue %s", replicasDialogueFile, replicasDialogue)
	return evalset.Dialogue{}
}

// conversation is one chat session as a client holds it: its id once the
// first answer gives it, the messages in the order they were applied, and
// the idempotency keys in the order they were given out.
type conversation struct {
	run  string // the random part of every key, so that runs never share one
	sid  string
	said []string
	keys []string
}

func newConversation(t *testing.T) *conversation {
	return &conversation{run: fmt.Sprintf("%s-%016x", t.Name(), rand.Uint64())}
}

// key returns the idempotency key of a new message: at least the 16
// characters an anonymous opening key needs.
func (c *conversation) key() string {
	k := fmt.Sprintf("%s-%02d", c.run, len(c.keys))
	c.keys = append(c.keys, k)
	return k
}

// replica is a policybot serve process of its own: the test binary run as
// the program (see helperEnv), as a deployment runs several.
type replica struct {
	addr string
	out  *lockedBuffer
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has ended, err its Wait's
	err  error
}

var listeningAddrRe = regexp.MustCompile(`"msg":"listening","addr":"([0-9.:]+)"`)

// startReplica starts `policybot serve` on a free loopback port with the
// environment vars (which replace the test's own of the same name) and
// waits until it listens. The process is killed when the test ends.
func startReplica(t *testing.T, vars map[string]string, args ...string) *replica {
	t.Helper()
	args = append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+strings.Join(args, "\x1f"))
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	r := &replica{out: &lockedBuffer{}, cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = r.out, r.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.err = cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // fails once the process has ended, which is what is wanted
		<-r.done
	})
	// Under the race detector on two loaded cores a start takes seconds;
	// the deadline is only there to end a test that would hang.
	deadline := time.After(2 * time.Minute)
	for {
		if m := listeningAddrRe.FindStringSubmatch(r.out.String()); m != nil {
			r.addr = m[1]
			return r
		}
		select {
		case <-r.done:
			t.Fatalf("serve %v ended before listening: %v\n%s", args, r.err, r.out)
		case <-deadline:
			t.Fatalf("serve %v did not listen within 2 minutes:\n%s", args, r.out)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop ends the replica with SIGTERM, as an orchestrator does, and checks
// that it stopped cleanly.
func (r *replica) stop(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
		if r.err != nil {
			t.Errorf("replica at %s stopped with %v, want a clean exit on SIGTERM\n%s", r.addr, r.err, r.out)
		}
	case <-time.After(time.Minute):
		t.Errorf("replica at %s did not stop within a minute of SIGTERM\n%s", r.addr, r.out)
	}
}

// get returns the status of GET path.
func (r *replica) get(t *testing.T, path string) int {
	t.Helper()
	resp, err := http.Get("http://" + r.addr + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// getAs returns the status of GET path asked for client, named by
// X-Forwarded-For.
func (r *replica) getAs(t *testing.T, path, client string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+r.addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Forwarded-For", client)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// answer is the answer to one POST /v1/chat.
type answer struct {
	status   int
	replayed bool // Idempotent-Replayed: true
	body     []byte
}

// chat sends message with the idempotency key in session sid (none when
// "") and checks the answer against the API description. It only reports
// errors, so that goroutines may call it; a failed call answers status 0.
func (r *replica) chat(t *testing.T, sid, message, key string) answer {
	t.Helper()
	fields := map[string]string{"message": message}
	if sid != "" {
		fields["session_id"] = sid
	}
	body, err := json.Marshal(fields)
	if err != nil {
		t.Error(err)
		return answer{}
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+r.addr+"/v1/chat", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return answer{}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", `"`+key+`"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("chat at %s: %v", r.addr, err)
		return answer{}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("chat at %s: %v", r.addr, err)
		return answer{}
	}
	spec, err := apispec.Load()
	if err == nil {
		err = spec.Check(req, resp.StatusCode, resp.Header, raw)
	}
	if err != nil {
		t.Error(err)
	}
	return answer{status: resp.StatusCode, replayed: resp.Header.Get("Idempotent-Replayed") == "true", body: raw}
}

// checkReplayed checks that retry, a turn sent again with its key, got the
// first answer byte for byte, marked as replayed.
func checkReplayed(t *testing.T, retry, first answer) {
	t.Helper()
	if retry.status != http.StatusOK || !retry.replayed || !bytes.Equal(retry.body, first.body) {
		t.Errorf("a retry at the other replica: %d, replayed %v:\n%s\nwant 200, replayed, with the first answer:\n%s",
			retry.status, retry.replayed, retry.body, first.body)
	}
}

// chatReply is what the tests read of a chat answer.
type chatReply struct {
	SessionID string       `json:"session_id"`
	Reply     string       `json:"reply"`
	Results   []chatResult `json:"results"`
	Question  *struct {
		Fact string `json:"fact"`
	} `json:"question"`
	Profile  map[string]any `json:"profile"`
	TicketNo string         `json:"ticket_no"`
}

// chatResult is what the tests read of a result of a chat answer.
type chatResult struct {
	Article  string `json:"article"`
	Status   string `json:"status"`
	DocID    string `json:"doc_id"`
	DocNo    string `json:"doc_no"`
	DocTitle string `json:"doc_title"`
	Amount   *struct {
		CNY int64 `json:"cny"`
	} `json:"amount"`
}

func decodeReply(t *testing.T, body []byte) chatReply {
	t.Helper()
	var r chatReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("chat answer %s: %v", body, err)
	}
	return r
}

func sessionOf(t *testing.T, body []byte) string {
	t.Helper()
	sid := decodeReply(t, body).SessionID
	if sid == "" {
		t.Fatalf("no session id: %s", body)
	}
	return sid
}

func ticketOf(t *testing.T, body []byte) string {
	t.Helper()
	no := decodeReply(t, body).TicketNo
	if no == "" {
		t.Fatalf("no ticket filed: %s", body)
	}
	return no
}

func profileHas(t *testing.T, body []byte, key string) bool {
	t.Helper()
	_, ok := decodeReply(t, body).Profile[key]
	return ok
}

// progressQuestion asks the progress of ticket by its number and phone,
// as an anonymous user must.
func progressQuestion(ticket string) string {
	return "查一下投诉进度,投诉编号" + ticket + ",电话" + replicasPhone
}

// normalize returns an answer with its session id and ticket number, which
// differ from one conversation to another, replaced by placeholders.
func normalize(body []byte, sid, ticket string) string {
	return strings.NewReplacer(sid, "<session>", ticket, "<ticket>").Replace(string(body))
}

// judgeTurn returns how a chat answer misses what a turn of a dialogue
// expects, as dialogue's TestDialogues judges it, for the expectations
// the dialogues of the chat set give most; one it cannot check is a
// problem too, so that a dialogue swapped in is never judged in part.
func judgeTurn(body []byte, exp evalset.Turn) []string {
	var r chatReply
	if err := json.Unmarshal(body, &r); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	if len(exp.Cites) > 0 || len(exp.ResultsExclude) > 0 {
		problems = append(problems, "judgeTurn checks neither cites nor results_exclude")
	}
	asked := ""
	if r.Question != nil {
		asked = r.Question.Fact
	}
	if exp.AsksFact != "" && asked != exp.AsksFact {
		problems = append(problems, fmt.Sprintf("asks %q, want %q", asked, exp.AsksFact))
	}
	if exp.NotAsksFact != "" && asked == exp.NotAsksFact {
		problems = append(problems, fmt.Sprintf("asks %q again", asked))
	}
	for _, k := range exp.ProfileLacks {
		if _, ok := r.Profile[k]; ok {
			problems = append(problems, "profile still holds "+k)
		}
	}
	if len(exp.ReplyContains) > 0 && !slices.ContainsFunc(exp.ReplyContains, func(w string) bool { return strings.Contains(r.Reply, w) }) {
		problems = append(problems, fmt.Sprintf("reply mentions none of %v", exp.ReplyContains))
	}
	for _, w := range exp.ReplyContainsAll {
		if !strings.Contains(r.Reply, w) {
			problems = append(problems, "reply lacks "+w)
		}
	}
	for _, res := range r.Results {
		if exp.NoEligible && res.Status == "eligible" {
			problems = append(problems, "claims "+res.Article+" eligible")
		}
	}
	for _, e := range exp.ResultsInclude {
		if !slices.ContainsFunc(r.Results, func(res chatResult) bool {
			var cny *int64
			if res.Amount != nil {
				cny = &res.Amount.CNY
			}
			return (e.Article == "" || res.Article == e.Article) && e.DocMatches(res.DocID, res.DocNo, res.DocTitle) &&
				res.Status == e.WantStatus() && e.AmountMatches(cny)
		}) {
			problems = append(problems, fmt.Sprintf("no %s %s result with amount %s", e.WantStatus(), e.Article, e.Amount))
		}
	}
	return problems
}
