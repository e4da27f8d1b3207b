package gazetteer

import (
	"errors"
	"strings"
	"testing"
)

func TestParseExtrasEmpty(t *testing.T) {
	for _, in := range []string{"", "# nothing yet\n", "~\n", "zones: []\nnames: []\n"} {
		x, err := ParseExtras(strings.NewReader(in))
		if err != nil {
			t.Errorf("ParseExtras(%q): %v", in, err)
			continue
		}
		if _, err := National().With(x); err != nil {
			t.Errorf("With(%q): %v", in, err)
		}
	}
}

// TestExtrasErrors checks that each fault of a file is reported at its line
// and field, whether ParseExtras finds it or With does.
func TestExtrasErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		field    string
		msg      string
	}{
		{"unknown top key", "zones: []\nregions: []\n", 2, "regions", "unknown key"},
		{"top not a mapping", "- a\n", 1, "", "mapping"},
		{"zones not a list", "zones:\n  id: 1\n", 2, "zones", "want a list"},
		{"zone not a mapping", "zones:\n  - 赣州\n", 2, "zones[0]", "mapping"},
		{"zone without id", "zones:\n  - name: 某区\n    parent: 360700\n", 2, "zones[0]", "missing id"},
		{"zone without parent", "zones:\n  - id: 360700-Z1\n    name: 某区\n", 2, "zones[0]", "missing parent"},
		{"bad zone id", "zones:\n  - id: 360701\n    name: 某区\n    parent: 360700\n", 2, "zones[0].id", "no zone id"},
		{"zone id twice", "zones:\n  - {id: 360700-Z1, name: 甲区, parent: 360700}\n  - {id: 360700-Z1, name: 乙区, parent: 360700}\n", 3, "zones[1].id", "already used at line 2"},
		{"unknown zone key", "zones:\n  - id: 360700-Z1\n    name: 某区\n    parent: 360700\n    area: 3\n", 5, "zones[0].area", "unknown key"},
		{"key twice", "zones:\n  - id: 360700-Z1\n    name: 某区\n    name: 某区\n", 4, "zones[0].name", "twice"},
		{"empty name", "zones:\n  - id: 360700-Z1\n    name: \"\"\n    parent: 360700\n", 3, "zones[0].name", "non-empty"},
		{"name with a space", "zones:\n  - id: 360700-Z1\n    name: 某 区\n    parent: 360700\n", 3, "zones[0].name", "space"},
		{"alias not a word", "zones:\n  - id: 360700-Z1\n    name: 某区\n    parent: 360700\n    aliases: [[a]]\n", 5, "zones[0].aliases[0]", "non-empty"},
		{"alias twice", "zones:\n  - id: 360700-Z1\n    name: 某区\n    parent: 360700\n    aliases:\n      - 甲\n      - 甲\n", 7, "zones[0].aliases[1]", "twice"},
		{"bad code", "names:\n  - code: 36070\n", 2, "names[0].code", "no 6-digit code"},
		{"names without code", "names:\n  - name: 南康区\n", 2, "names[0]", "missing code"},
		{"empty former", "names:\n  - code: 360703\n    former:\n      - {}\n", 4, "names[0].former[0]", "needs a name or a code"},
		{"code twice", "names:\n  - code: 360703\n  - code: 360703\n", 3, "names[1].code", "already has an entry at line 2"},
		{"second document", "names: []\n---\nzones: []\n", 2, "", "second YAML document"},
		// Found by With, against the divisions.
		{"unknown parent", "zones:\n  - {id: 360799-Z1, name: 某区, parent: 360799}\n", 2, "zones[0].parent", "360799 is no division"},
		{"parent a county", "zones:\n  - {id: 360703-Z1, name: 某区, parent: 南康区}\n", 2, "zones[0].parent", "is a county"},
		{"parent ambiguous", "zones:\n  - {id: 320106-Z1, name: 某区, parent: 鼓楼区}\n", 2, "zones[0].parent", "names 4 divisions"},
		{"id of another parent", "zones:\n  - {id: 440100-Z1, name: 某区, parent: 360700}\n", 2, "zones[0].id", "does not begin with its parent's code 360700"},
		{"span elsewhere", "zones:\n  - id: 360700-Z1\n    name: 某区\n    parent: 360700\n    spans: [360702, 440115]\n", 5, "zones[0].spans[1]", "440115 is no division in 江西省赣州市"},
		{"span unknown name", "zones:\n  - id: 360700-Z1\n    name: 某区\n    parent: 赣州市\n    spans:\n      - 南沙区\n", 6, "zones[0].spans[0]", "南沙区 names no division in 江西省赣州市"},
		{"span not a county", "zones:\n  - id: 360000-Z1\n    name: 某区\n    parent: 江西省\n    spans: [赣州市]\n", 5, "zones[0].spans[0]", "is a prefecture"},
		{"zone id taken", "zones:\n  - {id: 360700-Z01, name: 某区, parent: 360700}\n", 2, "zones[0].id", "already used"},
		{"unknown code", "names:\n  - code: 360799\n", 2, "names[0].code", "360799 is no division"},
		{"name not of the code", "names:\n  - code: 360703\n    name: 赣县区\n", 3, "names[0].name", "is 江西省赣州市南康区 (360703), not 赣县区"},
		{"former code current", "names:\n  - code: 360703\n    former:\n      - {code: 360704}\n", 4, "names[0].former[0].code", "current code of 江西省赣州市赣县区"},
		{"former code taken", "names:\n  - code: 360702\n    former:\n      - {code: 360721}\n", 4, "names[0].former[0].code", "already a former code of 江西省赣州市赣县区"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := ParseExtras(strings.NewReader(tc.in))
			if err == nil {
				_, err = withExtras(t).With(x)
			}
			var e *ExtrasError
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *ExtrasError", err)
			}
			if e.Line != tc.line || e.Field != tc.field || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("err = %v; want line %d, field %q, message with %q", err, tc.line, tc.field, tc.msg)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Errorf("err %q does not name the line", err)
			}
		})
	}
}

func TestExtrasSyntaxError(t *testing.T) {
	_, err := ParseExtras(strings.NewReader("zones:\n  - id: [\n"))
	if err == nil || !strings.Contains(err.Error(), "line ") {
		t.Errorf("err = %v, want the YAML parser's error with its line", err)
	}
}
