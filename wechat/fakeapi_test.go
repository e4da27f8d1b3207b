package wechat

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeAPI is WeChat's stable_token, subscribeMessage.send and
// msgSecCheck. It checks every request as WeChat would, keeps one token in
// force as stable_token does, refuses sends and checks with any other token
// (40001), and answers sends and checks from a script first.
type fakeAPI struct {
	*httptest.Server
	t testing.TB

	mu          sync.Mutex // guards the fields below
	current     string     // the token in force
	seq         int        // tokens issued
	life        int        // expires_in of the tokens, in seconds
	rotate      bool       // the next normal-mode call issues a new token
	tokenFail   string     // when set, the body of every stable_token answer
	tokenCalls  int
	forced      int
	sendScript  []string  // bodies of the next send answers, in order; "500" is HTTP 500
	sent        []Message // the messages of every send, checked
	gate        chan struct{}
	checkScript []string          // bodies of the next msgSecCheck answers; "500" is HTTP 500
	checked     []secCheckRequest // the body of every msgSecCheck
}

const sentOK = `{"errcode":0,"errmsg":"ok","msgid":294402298110051942}`

func newFakeAPI(t testing.TB) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, life: 7200}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cgi-bin/stable_token", f.stableToken)
	mux.HandleFunc("POST /cgi-bin/message/subscribe/send", f.send)
	mux.HandleFunc("POST /wxa/msg_sec_check", f.secCheck)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) stableToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh *bool  `json:"force_refresh"`
	}
	if !f.decode(w, r, &in) {
		return
	}
	if in.GrantType != "client_credential" || in.AppID != testAppID || in.Secret != testSecret || in.ForceRefresh == nil {
		f.t.Errorf("stable_token body %+v: want client_credential, the app's appid and secret, and force_refresh", in)
	}
	f.mu.Lock()
	f.tokenCalls++
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tokenFail != "" {
		w.Write([]byte(f.tokenFail))
		return
	}
	if *in.ForceRefresh {
		f.forced++
		f.issue()
	} else if f.current == "" || f.rotate {
		f.issue()
	}
	fmt.Fprintf(w, `{"access_token":%q,"expires_in":%d}`, f.current, f.life)
}

// issue puts a new token in force; f.mu must be held.
func (f *fakeAPI) issue() {
	f.seq++
	f.current = fmt.Sprintf("token-%d", f.seq)
	f.rotate = false
}

func (f *fakeAPI) send(w http.ResponseWriter, r *http.Request) {
	var m Message
	if !f.decode(w, r, &m) {
		return
	}
	if m.ToUser == "" || m.TemplateID == "" || len(m.Data) == 0 {
		f.t.Errorf("send body %+v: want touser, template_id and data", m)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	for k, v := range m.Data {
		if v.Value == "" {
			fmt.Fprintf(w, `{"errcode":47003,"errmsg":"argument invalid! data.%s.value is empty rid: 1"}`, k)
			return
		}
	}
	if len(f.sendScript) > 0 {
		body := f.sendScript[0]
		f.sendScript = f.sendScript[1:]
		if body == "500" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte(body))
		return
	}
	if r.URL.Query().Get("access_token") != f.current {
		w.Write([]byte(`{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 2"}`))
		return
	}
	w.Write([]byte(sentOK))
}

// secCheck answers msgSecCheck: risky for a text with 枪, review for one
// with 待审, pass otherwise, as WeChat's v2 answers look.
func (f *fakeAPI) secCheck(w http.ResponseWriter, r *http.Request) {
	var in secCheckRequest
	if !f.decode(w, r, &in) {
		return
	}
	if in.Version != 2 || in.Scene < 1 || in.Scene > 4 || in.OpenID == "" || in.Content == "" {
		f.t.Errorf("msg_sec_check body %+v: want version 2, a scene, an openid and content", in)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checked = append(f.checked, in)
	if len(f.checkScript) > 0 {
		body := f.checkScript[0]
		f.checkScript = f.checkScript[1:]
		if body == "500" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte(body))
		return
	}
	if r.URL.Query().Get("access_token") != f.current {
		w.Write([]byte(`{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 3"}`))
		return
	}
	suggest, label := "pass", 100
	switch {
	case strings.Contains(in.Content, "枪"):
		suggest, label = "risky", 20006
	case strings.Contains(in.Content, "待审"):
		suggest, label = "review", 20001
	}
	fmt.Fprintf(w, `{"errcode":0,"errmsg":"ok","detail":[{"strategy":"content_model","errcode":0,"suggest":%q,"label":%d,"prob":90}],"trace_id":"trace-%d","result":{"suggest":%q,"label":%d}}`,
		suggest, label, len(f.checked), suggest, label)
}

func (f *fakeAPI) scriptChecks(bodies ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkScript = append(f.checkScript, bodies...)
}

func (f *fakeAPI) checks() []secCheckRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]secCheckRequest(nil), f.checked...)
}

// decode reads a JSON request body strictly, as WeChat's answers to
// unknown fields are not to be relied on.
func (f *fakeAPI) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("%s: Content-Type %q, want application/json", r.URL.Path, ct)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		f.t.Errorf("%s: body: %v", r.URL.Path, err)
		w.Write([]byte(`{"errcode":47001,"errmsg":"data format error"}`))
		return false
	}
	return true
}

// forceElsewhere puts a new token in force as a forced refresh by someone
// else would, invalidating the one in force.
func (f *fakeAPI) forceElsewhere() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.issue()
}

// rollOver makes WeChat's next normal-mode answer a new token, as in the
// last 5 minutes of the one in force.
func (f *fakeAPI) rollOver() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rotate = true
}

// setLife sets the expires_in of the tokens, in seconds.
func (f *fakeAPI) setLife(seconds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.life = seconds
}

// hold makes stable_token answers wait until release is called.
func (f *fakeAPI) hold() (release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gate := make(chan struct{})
	f.gate = gate
	return sync.OnceFunc(func() { close(gate) })
}

func (f *fakeAPI) failTokens(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenFail = body
}

func (f *fakeAPI) script(bodies ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sendScript = append(f.sendScript, bodies...)
}

// counts returns the stable_token calls, how many of them forced, and the
// sends so far.
func (f *fakeAPI) counts() (tokenCalls, forced, sends int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenCalls, f.forced, len(f.sent)
}

func (f *fakeAPI) sentMessages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.sent...)
}
