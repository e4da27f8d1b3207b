package api

import (
	"strings"
	"testing"
)

// quoteSFString writes s as a Structured Field String.
func quoteSFString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func TestUnquoteSFString(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`8e03978e-40d5`, `8e03978e-40d5`, true},
		{`"8e03978e-40d5"`, `8e03978e-40d5`, true},
		{`"a \"b\" \\c"`, `a "b" \c`, true},
		{`""`, ``, true},
		{`"abc`, ``, false},
		{`"abc";p=1`, ``, false},
		{`"a\b"`, ``, false},
		{"\"a\tb\"", ``, false},
		{`"键"`, ``, false},
	}
	for _, tt := range tests {
		got, ok := unquoteSFString(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("unquoteSFString(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzUnquoteSFString checks that a quoted header value is read back as the
// string it quotes, and that every string read is printable ASCII.
func FuzzUnquoteSFString(f *testing.F) {
	for _, s := range []string{`"8e03978e-40d5-43e8-bc93-6894a57f9324"`, `"a \"b\" \\c"`, `""`, `"abc`, `plain`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, ok := unquoteSFString(v)
		if !ok || !strings.HasPrefix(v, `"`) {
			return
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				t.Fatalf("unquoteSFString(%q) = %q, which is not printable ASCII", v, s)
			}
		}
		if q := quoteSFString(s); q != v {
			t.Fatalf("unquoteSFString(%q) = %q, which quotes as %q", v, s, q)
		}
	})
}
