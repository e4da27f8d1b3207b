package store

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestNameKey(t *testing.T) {
	tests := []struct{ name, want string }{
		{"赣州市南康区鑫盛家具有限公司", "赣州市南康区鑫盛家具有限公司"},
		{"ＡＢＣ（广州）贸易有限公司", "abc(广州)贸易有限公司"},
		{" 南康 区域\u3000物流 ", "南康区域物流"},
		{"TCL科技集团股份有限公司", "tcl科技集团股份有限公司"},
		{"１００％纯木", "100%纯木"},
	}
	for _, tt := range tests {
		if got := nameKey(tt.name); got != tt.want {
			t.Errorf("nameKey(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestBigrams(t *testing.T) {
	tests := []struct {
		key  string
		want []string
	}{
		{"", nil},
		{"南", nil},
		{"南康", []string{"南康"}},
		{"南康家具", []string{"南康", "康家", "家具"}},
		{"哈哈哈", []string{"哈哈"}},
		{"a%b", []string{"a%", "%b"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, bigrams(tt.key)); diff != "" {
			t.Errorf("bigrams(%q) (-want +got):\n%s", tt.key, diff)
		}
	}
}

func TestSample(t *testing.T) {
	grams := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	if diff := cmp.Diff([]string{"a", "d", "g", "j"}, sample(grams, 4)); diff != "" {
		t.Errorf("sample of 4 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(grams[:3], sample(grams[:3], 4)); diff != "" {
		t.Errorf("sample of fewer (-want +got):\n%s", diff)
	}
}

func TestCanonicalJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b": 1, "a": [true, null, "x"]}`, `{"a":[true,null,"x"],"b":1}`},
		{`{"amount": 1200000000, "rate": 0.15, "big": 1e21}`, `{"amount":1200000000,"big":1e21,"rate":0.15}`},
		{`"<南康> & 家具"`, `"<南康> & 家具"`},
		{` 12 `, `12`},
	}
	for _, tt := range tests {
		got, err := canonicalJSON([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("canonicalJSON(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{``, `{`, `1 2`, `{"a":1}x`, `12亿`} {
		if got, err := canonicalJSON([]byte(bad)); err == nil {
			t.Errorf("canonicalJSON(%q) = %s, want an error", bad, got)
		}
	}
}

// FuzzCanonicalJSON checks that what canonicalJSON returns is valid JSON
// that it returns unchanged, so that a case read back compares equal.
func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{`{"b": 1, "a": [true, null]}`, `"南康"`, `1e21`, `[{"x": {"y": -0.5}}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := canonicalJSON([]byte(s))
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("canonicalJSON(%q) = %q, not valid JSON", s, out)
		}
		again, err := canonicalJSON(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("canonicalJSON(%q) = %q, but again %q, %v", s, out, again, err)
		}
	})
}

// FuzzSearchKey checks the reading of a name query: no panic, and every
// gram is two characters found in the key.
func FuzzSearchKey(f *testing.F) {
	for _, s := range []string{"南康", "ＡＢＣ（广州", " 鑫 盛 ", "a%_b", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key := nameKey(s)
		for _, g := range bigrams(key) {
			if utf8.RuneCountInString(g) != 2 || !strings.Contains(key, g) {
				t.Fatalf("bigrams(%q) holds %q", key, g)
			}
		}
	})
}

// TestChainHash pins the canonical content of an audit record, as computed
// from its description by another program (Python's hashlib): logs already
// written must still verify after any change to this package.
func TestChainHash(t *testing.T) {
	r := AuditRecord{
		Seq: 7,
		At:  time.Date(2026, 1, 15, 1, 2, 3, 456789000, time.UTC),
		AuditEntry: AuditEntry{
			Actor:  Actor{Username: "li.ming", RemoteAddr: "10.0.0.7"},
			Action: ActionCaseOpened, Object: "case/42", Detail: "从列表打开",
		},
		PrevHash: make([]byte, 32),
	}
	const want = "5ce942ced9f073fe27812281fc216987238f7d68dc32c50c88e2233c0b97f980"
	if got := hex.EncodeToString(r.chainHash()); got != want {
		t.Errorf("chainHash = %s, want %s", got, want)
	}

	// Fields are length-prefixed, so moving text from one to the next
	// changes the hash.
	moved := r
	moved.Username, moved.RemoteAddr = "li.ming1", "0.0.0.7"
	if bytes.Equal(moved.chainHash(), r.chainHash()) {
		t.Error("moving a character between fields left the hash unchanged")
	}
}

func TestWriteAuditCSV(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	recs := []AuditRecord{{
		Seq: 1, At: time.Date(2026, 1, 31, 16, 30, 0, 0, time.UTC),
		AuditEntry: AuditEntry{
			Actor:  Actor{Username: "=cmd|' /C calc'!A0", RemoteAddr: "10.0.0.7"},
			Action: ActionSignInFailed, Object: "-2+3", Detail: "wrong password,\n第二行",
		},
		PrevHash: make([]byte, 32), Hash: bytes.Repeat([]byte{0xab}, 32),
	}}
	var buf bytes.Buffer
	if err := WriteAuditCSV(&buf, recs, shanghai); err != nil {
		t.Fatalf("WriteAuditCSV: %v", err)
	}
	out, ok := strings.CutPrefix(buf.String(), "\ufeff")
	if !ok {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	want := [][]string{
		{"序号", "时间", "工作人员", "操作", "对象", "来源地址", "详情", "前一哈希", "哈希"},
		{"1", "2026-02-01T00:30:00+08:00", "'=cmd|' /C calc'!A0", "sign-in-failed", "'-2+3", "10.0.0.7",
			"wrong password,\n第二行", strings.Repeat("00", 32), strings.Repeat("ab", 32)},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
}

func TestTokenHash(t *testing.T) {
	token := newToken()
	if _, ok := tokenHash(token); !ok || len(token) != 43 {
		t.Fatalf("newToken() = %q, want 43 characters that tokenHash takes", token)
	}
	for _, bad := range []string{"", token[:42], token + "=", "!" + token[1:]} {
		if _, ok := tokenHash(bad); ok {
			t.Errorf("tokenHash(%q) took it", bad)
		}
	}
}
