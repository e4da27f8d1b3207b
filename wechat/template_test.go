package wechat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const testTemplateID = "bDmywsp2oEHjwAadTGKkUJ-eJEiMiOf7H-dZ7wjdw80"

const testTemplateFile = `
page: pages/complaint/detail?no={ticket_no}
miniprogram_state: trial
fields:
  ticket_no: character_string1
  status: phrase2
  note: thing3
  time: time4
`

func TestFit(t *testing.T) {
	tests := []struct {
		name, key, in, want string
	}{
		{"ThingFits", "thing3", "已转交区市场监管局办理", "已转交区市场监管局办理"},
		{"ThingAtLimit", "thing3", strings.Repeat("办", 20), strings.Repeat("办", 20)},
		{"ThingCutWithEllipsis", "thing3", "已转交赣州市南康区市场监督管理局依法依规办理并答复企业", "已转交赣州市南康区市场监督管理局依法依…"},
		{"ThingCutAtSpace", "thing1", "材料已收到请耐心等待部门将在五个工作 日内答复", "材料已收到请耐心等待部门将在五个工作…"},
		{"ThingMixedScripts", "thing1", "ABC公司2026年度第1批次申报材料已补正完毕", "ABC公司2026年度第1批次申报材料…"},
		{"ThingEmojiIsOneCharacter", "thing1", strings.Repeat("👍", 21), strings.Repeat("👍", 19) + "…"},
		{"PhraseFits", "phrase2", "办理中", "办理中"},
		{"PhraseCutBare", "phrase2", "已受理并转办", "已受理并转"},
		{"NameCut", "name5", "欧阳诸葛司马上官慕容端木", "欧阳诸葛司马上官慕容"},
		{"CharacterString", "character_string1", "TS20260115-0001", "TS20260115-0001"},
		{"CharacterStringCut", "character_string12", strings.Repeat("A", 40), strings.Repeat("A", 32)},
		{"SymbolCut", "symbol1", "!!!!!!!", "!!!!!"},
		{"TimeIsNotCut", "time4", "2026年3月4日 13:06~2026年12月31日 23:59", "2026年3月4日 13:06~2026年12月31日 23:59"},
		{"NewlinesAndTabsBecomeSpaces", "thing3", "第一行\n第二行\t第三行", "第一行 第二行 第三行"},
		{"ControlCharactersGo", "thing3", "办\x00结\u200b", "办 结\u200b"},
		{"SpacesTrimmed", "thing3", "  办结  ", "办结"},
		{"Empty", "thing3", "", "无"},
		{"OnlySpaces", "phrase2", " \n ", "无"},
		{"InvalidUTF8Dropped", "thing3", "办\xff结", "办结"},
		{"UnknownKeyNotCut", "odd", strings.Repeat("办", 30), strings.Repeat("办", 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fit(tt.key, tt.in); got != tt.want {
				t.Errorf("fit(%q, %q) = %q, want %q", tt.key, tt.in, got, tt.want)
			}
		})
	}
}

// FuzzFit checks that whatever text the complaint platform sends, the value
// fits its key: valid, not empty, free of control characters and within
// the key's length.
func FuzzFit(f *testing.F) {
	for _, seed := range []string{"", "办结", "已转交赣州市南康区市场监督管理局依法依规办理", "\x00\n\xff", "👍👍", "a b\tc"} {
		f.Add(seed)
	}
	keys := []string{"thing1", "phrase2", "character_string3", "name4", "time5"}
	f.Fuzz(func(t *testing.T, s string) {
		for _, key := range keys {
			got := fit(key, s)
			limit := keyLimits[templateKey.FindStringSubmatch(key)[1]]
			switch {
			case !utf8.ValidString(got):
				t.Fatalf("fit(%s, %q) = %q, not UTF-8", key, s, got)
			case got == "":
				t.Fatalf("fit(%s, %q) is empty", key, s)
			case strings.IndexFunc(got, unicode.IsControl) >= 0:
				t.Fatalf("fit(%s, %q) = %q holds a control character", key, s, got)
			case limit > 0 && utf8.RuneCountInString(got) > limit:
				t.Fatalf("fit(%s, %q) = %q, over %d characters", key, s, got, limit)
			}
		}
	})
}

func TestParseTemplate(t *testing.T) {
	got, err := ParseTemplate(testTemplateID, []byte(testTemplateFile))
	if err != nil {
		t.Fatal(err)
	}
	want := Template{
		ID: testTemplateID, Page: "pages/complaint/detail?no={ticket_no}", State: "trial",
		Fields: map[string]string{"ticket_no": "character_string1", "status": "phrase2", "note": "thing3", "time": "time4"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseTemplate (-want +got):\n%s", diff)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct {
		name, id, file, wantIn string
	}{
		{"NoID", "", "fields: {status: phrase1}", "template id"},
		{"BadID", "id with spaces", "fields: {status: phrase1}", "template id"},
		{"NoFields", testTemplateID, "page: pages/index/index", "at least one"},
		{"UnknownField", testTemplateID, "fields: {phone: phone_number1}", `"phone"`},
		{"KeyWithoutNumber", testTemplateID, "fields: {status: phrase}", `"phrase"`},
		{"AmountKey", testTemplateID, "fields: {note: amount1}", "cannot fill"},
		{"EnumKey", testTemplateID, "fields: {status: enum1}", "cannot fill"},
		{"KeyTwice", testTemplateID, "fields: {status: thing1, note: thing1}", "both map to thing1"},
		{"BadState", testTemplateID, "miniprogram_state: release\nfields: {status: phrase1}", "miniprogram_state"},
		{"BadLang", testTemplateID, "lang: fr\nfields: {status: phrase1}", "lang"},
		{"PageWithSlash", testTemplateID, "page: /pages/index\nfields: {status: phrase1}", "page"},
		{"UnknownSetting", testTemplateID, "template_id: x\nfields: {status: phrase1}", "template_id"},
		{"NotYAML", testTemplateID, "fields: [", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTemplate(tt.id, []byte(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("ParseTemplate error = %v, want one naming %s", err, tt.wantIn)
			}
		})
	}
}

func TestLoadTemplate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte("fields: {status: phrase1, note: price1}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTemplate(testTemplateID, path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadTemplate error = %v, want one naming the file", err)
	}
	if _, err := LoadTemplate(testTemplateID, filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Error("LoadTemplate of a missing file: no error")
	}
}

func TestTemplateMessage(t *testing.T) {
	tp, err := ParseTemplate(testTemplateID, []byte("page: pages/t?no={ticket_no}&x=1\nfields: {ticket_no: character_string1, status: phrase2}"))
	if err != nil {
		t.Fatal(err)
	}
	got := tp.Message("o-user", map[string]string{FieldTicketNo: "TS20260115-0001", FieldStatus: "已受理并转办", FieldNote: "ignored"})
	want := Message{
		ToUser: "o-user", TemplateID: testTemplateID, Page: "pages/t?no=TS20260115-0001&x=1",
		Data: map[string]MessageValue{"character_string1": {"TS20260115-0001"}, "phrase2": {"已受理并转"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Message (-want +got):\n%s", diff)
	}
}
