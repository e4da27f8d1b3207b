package wechat

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Our fields, which a template's keys show.
const (
	FieldTicketNo = "ticket_no" // The ticket's number, such as TS20260115-0001.
	FieldStatus   = "status"    // The status as the platform names it: 受理, 转办, 办理中, 办结, 回访 or 评价.
	FieldNote     = "note"      // What the platform said with the status; may be empty.
	FieldTime     = "time"      // When the status was recorded, in China's time.
)

var ourFields = []string{FieldTicketNo, FieldStatus, FieldNote, FieldTime}

// keyLimits is, for each type of template key that our fields can fill,
// the most characters WeChat takes in a value, as its documentation of
// subscribeMessage.send states them; 0 means a format rather than a length
// (time and date). Amount and enum keys take only values of their own form,
// which none of our fields has.
var keyLimits = map[string]int{
	"thing":            20,
	"number":           32,
	"letter":           32,
	"symbol":           5,
	"character_string": 32,
	"phone_number":     17,
	"car_number":       8,
	"name":             10, // 10 Chinese characters, or 20 letters: the smaller holds for both.
	"phrase":           5,
	"time":             0,
	"date":             0,
}

// templateKey is a key of a template: its type, then the key's number.
var templateKey = regexp.MustCompile(`^([a-z_]+?)([0-9]+)$`)

// templateID is what a template id looks like: WeChat's are 43 characters
// of base64url.
var templateID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// emptyValue fills a key whose field is empty, since WeChat refuses an
// empty value (47003); it is valid in thing, phrase and name keys, the ones
// a free-text field such as the note maps to.
const emptyValue = "无"

// Template is a subscribe-message template as configured: its id, the page
// a tap on the message opens, and which key of the template shows each of
// our fields.
type Template struct {
	ID string
	// Page is a page of the mini-program, such as
	// "pages/complaint/detail?no={ticket_no}"; {ticket_no} is replaced by
	// the ticket's number. Empty opens nothing.
	Page string
	// State is the miniprogram_state a tap opens: developer, trial or
	// formal; empty is formal.
	State string
	// Lang is the language of the message's "open the mini-program" link:
	// zh_CN (empty), en_US, zh_HK or zh_TW.
	Lang string
	// Fields maps our fields (FieldTicketNo, ...) to the template's keys,
	// such as character_string1 or thing3.
	Fields map[string]string
}

// templateFile is the mapping file of a template.
type templateFile struct {
	Page             string            `yaml:"page"`
	MiniprogramState string            `yaml:"miniprogram_state"`
	Lang             string            `yaml:"lang"`
	Fields           map[string]string `yaml:"fields"`
}

// LoadTemplate reads the mapping file at path (see ParseTemplate) of the
// template id.
func LoadTemplate(id, path string) (Template, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Template{}, fmt.Errorf("wechat: template: %w", err)
	}
	t, err := ParseTemplate(id, raw)
	if err != nil {
		return Template{}, fmt.Errorf("%w (in %s)", err, path)
	}
	return t, nil
}

// ParseTemplate reads the mapping file of the template id, YAML such as
//
//	page: pages/complaint/detail?no={ticket_no}
//	miniprogram_state: formal
//	fields:
//	  ticket_no: character_string1
//	  status: phrase2
//	  note: thing3
//	  time: time4
//
// The template's keys come from its page in the mini-program's admin
// console; a key's type is its name without the number, and sets how long
// a value may be. Not every field need be shown, but one must.
func ParseTemplate(id string, raw []byte) (Template, error) {
	if !templateID.MatchString(id) {
		return Template{}, errors.New("wechat: template: the template id should be 1 to 128 of A-Z, a-z, 0-9, _ and -")
	}
	var f templateFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return Template{}, fmt.Errorf("wechat: template: %w", err)
	}
	if !slices.Contains([]string{"", "developer", "trial", "formal"}, f.MiniprogramState) {
		return Template{}, fmt.Errorf("wechat: template: miniprogram_state %q: want developer, trial or formal", f.MiniprogramState)
	}
	if !slices.Contains([]string{"", "zh_CN", "en_US", "zh_HK", "zh_TW"}, f.Lang) {
		return Template{}, fmt.Errorf("wechat: template: lang %q: want zh_CN, en_US, zh_HK or zh_TW", f.Lang)
	}
	if strings.IndexFunc(f.Page, unicode.IsControl) >= 0 || strings.HasPrefix(f.Page, "/") {
		return Template{}, fmt.Errorf("wechat: template: page %q: want a page path of the mini-program, without a leading /", f.Page)
	}
	if len(f.Fields) == 0 {
		return Template{}, fmt.Errorf("wechat: template: fields: map at least one of %s to a key", strings.Join(ourFields, ", "))
	}
	used := map[string]string{}
	for field, key := range f.Fields {
		if !slices.Contains(ourFields, field) {
			return Template{}, fmt.Errorf("wechat: template: fields: %q is none of %s", field, strings.Join(ourFields, ", "))
		}
		m := templateKey.FindStringSubmatch(key)
		if m == nil {
			return Template{}, fmt.Errorf("wechat: template: fields: %s: key %q is not a type followed by a number, such as thing3", field, key)
		}
		if _, ok := keyLimits[m[1]]; !ok {
			return Template{}, fmt.Errorf("wechat: template: fields: %s: key %q is of a type our fields cannot fill", field, key)
		}
		if other, ok := used[key]; ok {
			return Template{}, fmt.Errorf("wechat: template: fields: %s and %s both map to %s", other, field, key)
		}
		used[key] = field
	}
	return Template{ID: id, Page: f.Page, State: f.MiniprogramState, Lang: f.Lang, Fields: f.Fields}, nil
}

// Message is a subscribe message to send (subscribeMessage.send).
type Message struct {
	ToUser     string                  `json:"touser"` // The user's openid.
	TemplateID string                  `json:"template_id"`
	Page       string                  `json:"page,omitempty"`
	State      string                  `json:"miniprogram_state,omitempty"`
	Lang       string                  `json:"lang,omitempty"`
	Data       map[string]MessageValue `json:"data"`
}

// MessageValue is the value of one key of a template.
type MessageValue struct {
	Value string `json:"value"`
}

// Message returns the message of the template to openID with values, our
// fields by name; every value is made to fit its key (see fit), and fields
// the template does not show are left out.
func (t Template) Message(openID string, values map[string]string) Message {
	m := Message{ToUser: openID, TemplateID: t.ID, State: t.State, Lang: t.Lang, Data: map[string]MessageValue{}}
	if t.Page != "" {
		m.Page = strings.ReplaceAll(t.Page, "{ticket_no}", url.QueryEscape(values[FieldTicketNo]))
	}
	for field, key := range t.Fields {
		m.Data[key] = MessageValue{Value: fit(key, values[field])}
	}
	return m
}

// fit makes s a value that key's type takes: control characters (WeChat
// refuses them) become spaces, runs of space one space, an empty value
// emptyValue, and one over the type's length limit is cut to it, in
// characters (runes) as WeChat counts them. A cut thing, the type of free
// text, ends in "…" so that the reader sees it was cut; other types take
// no such symbol and are cut bare.
func fit(key, s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if s == "" {
		return emptyValue
	}
	// A key ParseTemplate did not check has no known limit.
	typ, limit := "", 0
	if m := templateKey.FindStringSubmatch(key); m != nil {
		typ, limit = m[1], keyLimits[m[1]]
	}
	if limit == 0 || utf8.RuneCountInString(s) <= limit {
		return s
	}
	runes := []rune(s)
	if typ == "thing" {
		return strings.TrimRight(string(runes[:limit-1]), " ") + "…"
	}
	return strings.TrimRight(string(runes[:limit]), " ")
}
