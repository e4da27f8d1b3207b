package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
)

// Source says where a fact of a case came from.
type Source string

// The sources of a fact.
const (
	// SourceStaff is a fact typed by staff.
	SourceStaff Source = "staff"
	// SourceApplicant is a fact read from the applicant's own words; its
	// Sentence is the sentence it was read from, for staff to confirm.
	SourceApplicant Source = "applicant"
)

// Fact is one fact of a case: its value as the matcher takes it, and where
// it came from. A fact not known is absent from Facts, never null.
type Fact struct {
	Value    json.RawMessage `json:"value"`
	Source   Source          `json:"source"`
	Sentence string          `json:"sentence,omitempty"`
}

// Facts are a case's facts by the catalogue's key.
type Facts map[string]Fact

var factKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// checkFacts returns the facts as JSON with each value in canonical form.
func checkFacts(facts Facts) ([]byte, error) {
	if len(facts) > maxFacts {
		return nil, invalid("facts", fmt.Sprintf("不能超过%d项", maxFacts))
	}
	out := make(Facts, len(facts))
	for _, key := range slices.Sorted(maps.Keys(facts)) { // the first fault named is the same every time
		f := facts[key]
		field := "facts." + key
		if !factKeyRE.MatchString(key) {
			return nil, invalid("facts", fmt.Sprintf("%q 不是有效的事实名", truncate(key, 64)))
		}
		if len(f.Value) > maxValueBytes {
			return nil, invalid(field, "取值过长")
		}
		v, err := canonicalJSON(f.Value)
		if err != nil || string(v) == "null" {
			return nil, invalid(field, "取值应为 JSON 值;未知的事实应省略,不能为 null")
		}
		switch f.Source {
		case SourceStaff:
			if f.Sentence != "" {
				return nil, invalid(field+".sentence", "工作人员录入的事实没有原话")
			}
		case SourceApplicant:
			if f.Sentence, err = line(field+".sentence", f.Sentence, maxSentenceLen); err != nil {
				return nil, err
			}
		default:
			return nil, invalid(field+".source", "来源应为 staff 或 applicant")
		}
		f.Value = v
		out[key] = f
	}
	return json.Marshal(out) // map keys sorted, so equal facts encode alike
}

// canonicalJSON returns raw compacted, with object keys sorted and numbers
// as written, or an error if raw is not one JSON value. The store writes
// JSON in this form, so equal facts encode alike.
func canonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
